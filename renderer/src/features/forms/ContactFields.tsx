import { TEXT_LIMITS } from '../../../../core/model';
import { Field } from './Field';
import { FieldGroup } from './FieldGroup';

/** The draft fields every contact record has (a customer, a service provider), as typed. */
export interface ContactDraft {
  name: string;
  email: string;
  phone: string;
  address: string;
  lat: string;
  lng: string;
}

export interface ContactFieldsProps {
  draft: ContactDraft;
  set: (key: keyof ContactDraft, value: string, path?: string) => void;
  nameMaxLength: number;
  /** A new record's form starts on its name. */
  autoFocus: boolean;
  /** What the address is for this kind of record. */
  addressHint: string;
  coordinatesHint: string;
}

/**
 * Name, email, phone, address and coordinates: the same fields, limits and error paths for every contact
 * record, so a customer and a provider are typed in alike.
 */
export function ContactFields({ draft, set, nameMaxLength, autoFocus, addressHint, coordinatesHint }: ContactFieldsProps) {
  return (
    <>
      <Field label="Name" path="name" className="adm-span-all">
        {(c) => <input {...c} type="text" autoComplete="off" maxLength={nameMaxLength} value={draft.name} onChange={(e) => set('name', e.target.value)} autoFocus={autoFocus} />}
      </Field>
      <Field label="Email" path="email">
        {(c) => <input {...c} type="email" autoComplete="off" value={draft.email} onChange={(e) => set('email', e.target.value)} />}
      </Field>
      <Field label="Phone" path="phone">
        {(c) => <input {...c} type="tel" autoComplete="off" value={draft.phone} onChange={(e) => set('phone', e.target.value)} />}
      </Field>
      <Field label="Address" path="address" className="adm-span-all" hint={addressHint}>
        {(c) => <input {...c} type="text" autoComplete="off" maxLength={TEXT_LIMITS.address} value={draft.address} onChange={(e) => set('address', e.target.value)} />}
      </Field>
      <FieldGroup legend="Coordinates (optional)" path="coordinates" className="adm-span-all" hint={coordinatesHint}>
        <div className="adm-inline-fields">
          <Field label="Latitude" path="coordinates.lat">
            {(c) => <input {...c} type="text" inputMode="decimal" autoComplete="off" placeholder="41.8781" value={draft.lat} onChange={(e) => set('lat', e.target.value, 'coordinates')} />}
          </Field>
          <Field label="Longitude" path="coordinates.lng">
            {(c) => <input {...c} type="text" inputMode="decimal" autoComplete="off" placeholder="-87.6298" value={draft.lng} onChange={(e) => set('lng', e.target.value, 'coordinates')} />}
          </Field>
        </div>
      </FieldGroup>
    </>
  );
}

export interface ChannelFieldsProps<K extends string> {
  legend: string;
  /** Each channel's key and label, in the order shown. */
  options: ReadonlyArray<readonly [K, string]>;
  value: Record<K, boolean>;
  /** The whole set with one channel changed, and that channel's error path. */
  onChange: (next: Record<K, boolean>, path: string) => void;
}

/** How a contact is notified: one checkbox per channel, errors at `channels.<key>`. */
export function ChannelFields<K extends string>({ legend, options, value, onChange }: ChannelFieldsProps<K>) {
  return (
    <FieldGroup legend={legend} path="channels" className="adm-span-all">
      <div className="adm-inline-fields">
        {options.map(([key, label]) => (
          <Field key={key} label={label} path={`channels.${key}`} inline>
            {(c) => <input {...c} type="checkbox" checked={value[key]} onChange={(e) => onChange({ ...value, [key]: e.target.checked }, `channels.${key}`)} />}
          </Field>
        ))}
      </div>
    </FieldGroup>
  );
}
