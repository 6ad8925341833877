import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, type Customer, type CustomerFields } from '../../../../core/model';
import { runCommand } from '../forms/backend';
import { ChannelFields, ContactFields, type ContactDraft } from '../forms/ContactFields';
import { Field } from '../forms/Field';
import { FormActions } from '../forms/FormActions';
import { FieldErrorsContext } from '../forms/field-errors';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { useRecordForm } from '../forms/use-form';
import { numberText, parseCoordinates } from '../forms/values';

const CUSTOMER_CHANNELS = [
  ['email', 'Email'],
  ['sms', 'SMS'],
] as const;

export interface CustomerFormProps {
  client: BackendClient;
  /** The customer to edit; absent for a new one. */
  customer?: Customer;
  onSaved: (result: { id: string; created: boolean; name: string }) => void;
  onCancel: () => void;
}

interface Draft extends ContactDraft {
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
          <ContactFields
            draft={draft}
            set={set}
            nameMaxLength={TEXT_LIMITS.customerName}
            autoFocus={!customer}
            addressHint="Where jobs for this customer happen by default."
            coordinatesHint="Decimal degrees; used for travel estimates on route sheets."
          />
          <ChannelFields legend="Notify this customer by" options={CUSTOMER_CHANNELS} value={draft.channels} onChange={(channels, path) => set('channels', channels, path)} />
          <Field label="Notes" path="notes" className="adm-span-all" hint="Gate codes, pets, parking… shown to technicians on the job.">
            {(c) => <textarea {...c} maxLength={TEXT_LIMITS.notes} rows={4} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />}
          </Field>
        </div>
        <FormActions busy={form.busy} busyLabel="Saving…" submitLabel={customer ? 'Save changes' : 'Create customer'} onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
