import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, type Customer, type CustomerFields } from '../../../../core/model';
import { runCommand } from '../forms/backend';
import { Field } from '../forms/Field';
import { FormActions } from '../forms/FormActions';
import { FieldErrorsContext } from '../forms/field-errors';
import { FieldGroup } from '../forms/FieldGroup';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { useRecordForm } from '../forms/use-form';
import { numberText, parseCoordinates } from '../forms/values';

export interface CustomerFormProps {
  client: BackendClient;
  /** The customer to edit; absent for a new one. */
  customer?: Customer;
  onSaved: (result: { id: string; created: boolean; name: string }) => void;
  onCancel: () => void;
}

interface Draft {
  name: string;
  email: string;
  phone: string;
  address: string;
  lat: string;
  lng: string;
  notes: string;
  channels: { email: boolean; sms: boolean };
}

const draftOf = (c?: Customer): Draft => ({
  name: c?.name ?? '',
  email: c?.email ?? '',
  phone: c?.phone ?? '',
  address: c?.address ?? '',
  lat: numberText(c?.coordinates?.lat),
  lng: numberText(c?.coordinates?.lng),
  notes: c?.notes ?? '',
  channels: { email: c?.channels.email ?? true, sms: c?.channels.sms ?? false },
});

function fieldsOf(d: Draft): { fields: CustomerFields; errors: Record<string, string> } {
  const coordinates = parseCoordinates(d.lat, d.lng);
  return {
    fields: {
      name: d.name,
      email: d.email.trim(),
      phone: d.phone,
      address: d.address,
      coordinates: coordinates.value,
      notes: d.notes,
      channels: d.channels,
    },
    errors: coordinates.errors,
  };
}

/** Create or edit a customer: `createCustomer` / `updateCustomer` (only changed fields). */
export function CustomerForm({ client, customer, onSaved, onCancel }: CustomerFormProps) {
  const form = useRecordForm({
    record: customer,
    draftOf,
    fieldsOf,
    create: (fields) => runCommand(client, 'createCustomer', fields),
    update: (id, patch) => runCommand(client, 'updateCustomer', { id, ...patch }),
    onSaved,
  });
  const { draft, set, errors } = form;

  return (
    <FieldErrorsContext value={errors}>
      <form
        className="adm-form cust-form"
        noValidate
        aria-label={customer ? `Edit ${customer.name}` : 'New customer'}
        onSubmit={form.onSubmit}
        onKeyDown={formKeyDown(onCancel)}
      >
        <FormMessage labels={{ coordinates: 'Coordinates', id: 'Customer' }} />
        <div className="adm-form-grid">
          <Field label="Name" path="name" className="adm-span-all">
            {(c) => <input {...c} type="text" autoComplete="off" maxLength={TEXT_LIMITS.customerName} value={draft.name} onChange={(e) => set('name', e.target.value)} autoFocus={!customer} />}
          </Field>
          <Field label="Email" path="email">
            {(c) => <input {...c} type="email" autoComplete="off" value={draft.email} onChange={(e) => set('email', e.target.value)} />}
          </Field>
          <Field label="Phone" path="phone">
            {(c) => <input {...c} type="tel" autoComplete="off" value={draft.phone} onChange={(e) => set('phone', e.target.value)} />}
          </Field>
          <Field label="Address" path="address" className="adm-span-all" hint="Where jobs for this customer happen by default.">
            {(c) => <input {...c} type="text" autoComplete="off" maxLength={TEXT_LIMITS.address} value={draft.address} onChange={(e) => set('address', e.target.value)} />}
          </Field>
          <FieldGroup legend="Coordinates (optional)" path="coordinates" className="adm-span-all" hint="Decimal degrees; used for travel estimates on route sheets.">
            <div className="adm-inline-fields">
              <Field label="Latitude" path="coordinates.lat">
                {(c) => <input {...c} type="text" inputMode="decimal" autoComplete="off" placeholder="41.8781" value={draft.lat} onChange={(e) => set('lat', e.target.value, 'coordinates')} />}
              </Field>
              <Field label="Longitude" path="coordinates.lng">
                {(c) => <input {...c} type="text" inputMode="decimal" autoComplete="off" placeholder="-87.6298" value={draft.lng} onChange={(e) => set('lng', e.target.value, 'coordinates')} />}
              </Field>
            </div>
          </FieldGroup>
          <FieldGroup legend="Notify this customer by" path="channels" className="adm-span-all">
            <div className="adm-inline-fields">
              {(
                [
                  ['email', 'Email'],
                  ['sms', 'SMS'],
                ] as const
              ).map(([key, label]) => (
                <Field key={key} label={label} path={`channels.${key}`} inline>
                  {(c) => (
                    <input
                      {...c}
                      type="checkbox"
                      checked={draft.channels[key]}
                      onChange={(e) => set('channels', { ...draft.channels, [key]: e.target.checked }, `channels.${key}`)}
                    />
                  )}
                </Field>
              ))}
            </div>
          </FieldGroup>
          <Field label="Notes" path="notes" className="adm-span-all" hint="Gate codes, pets, parking… shown to technicians on the job.">
            {(c) => <textarea {...c} maxLength={TEXT_LIMITS.notes} rows={4} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />}
          </Field>
        </div>
        <FormActions busy={form.busy} busyLabel="Saving…" submitLabel={customer ? 'Save changes' : 'Create customer'} onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
