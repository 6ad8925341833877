import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, type Provider, type WeeklyHours } from '../../../../core/model';
import { runCommand } from '../forms/backend';
import { ChannelFields, ContactFields } from '../forms/ContactFields';
import { Field } from '../forms/Field';
import { FormActions } from '../forms/FormActions';
import { FieldErrorsContext } from '../forms/field-errors';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { TagInput } from '../forms/TagInput';
import { useRecordForm } from '../forms/use-form';
import { draftFromProvider, fieldsFromDraft, newProviderDraft } from './provider-draft';
import { WeeklyHoursEditor } from './WeeklyHoursEditor';

export interface ProviderFormProps {
  client: BackendClient;
  /** The provider to edit; absent for a new one. */
  provider?: Provider;
  /** How many providers exist, to pick a new one's color like the backend would. */
  providerCount?: number;
  /** A new provider's hours to start from: the organization's usual week. */
  usualWeek?: WeeklyHours;
  /** Offered while typing skills. */
  skillSuggestions?: readonly string[];
  onSaved: (result: { id: string; created: boolean; name: string }) => void;
  onCancel: () => void;
}

const PROVIDER_CHANNELS = [
  ['email', 'Email'],
  ['sms', 'SMS'],
  ['chat', 'Team chat'],
] as const;

const ORPHAN_LABELS = { coordinates: 'Coordinates', id: 'Provider' };

/** Create or edit a service provider: `createProvider` / `updateProvider` (only changed fields). */
export function ProviderForm({ client, provider, providerCount = 0, usualWeek, skillSuggestions, onSaved, onCancel }: ProviderFormProps) {
  const form = useRecordForm({
    record: provider,
    draftOf: (p?: Provider) => (p ? draftFromProvider(p) : newProviderDraft(providerCount, usualWeek)),
    fieldsOf: fieldsFromDraft,
    create: (fields) => runCommand(client, 'createProvider', fields),
    update: (id, patch) => runCommand(client, 'updateProvider', { id, ...patch }),
    onSaved,
  });
  const { draft, set, errors } = form;

  return (
    <FieldErrorsContext value={errors}>
      <form
        className="adm-form prov-form"
        noValidate
        aria-label={provider ? `Edit ${provider.name}` : 'New service provider'}
        onSubmit={form.onSubmit}
        onKeyDown={formKeyDown(onCancel)}
      >
        <FormMessage labels={ORPHAN_LABELS} />
        <div className="adm-form-grid">
          <ContactFields
            draft={draft}
            set={set}
            nameMaxLength={TEXT_LIMITS.name}
            autoFocus={!provider}
            addressHint="Start point / home base for route sheets."
            coordinatesHint="Decimal degrees; leave both blank if unknown."
          />
          <Field label="Color" path="color" hint="Shown on the board.">
            {(c) => (
              <div className="prov-color">
                <input {...c} type="color" value={/^#[0-9a-fA-F]{6}$/.test(draft.color) ? draft.color : '#000000'} onChange={(e) => set('color', e.target.value)} />
                <code className="adm-muted">{draft.color}</code>
              </div>
            )}
          </Field>
          <Field label="Team chat handle" path="chatHandle">
            {(c) => <input {...c} type="text" autoComplete="off" placeholder="@ana" maxLength={TEXT_LIMITS.chatHandle} value={draft.chatHandle} onChange={(e) => set('chatHandle', e.target.value)} />}
          </Field>
          <Field label="Skills" path="skills" className="adm-span-all" hint="Enter or comma adds a skill.">
            {(c) => (
              <TagInput control={c} value={draft.skills} onChange={(skills) => set('skills', skills)} suggestions={skillSuggestions} placeholder="e.g. HVAC, electrical" noun="skill" />
            )}
          </Field>
          <ChannelFields legend="Notifications" options={PROVIDER_CHANNELS} value={draft.channels} onChange={(channels, path) => set('channels', channels, path)} />
          <Field label="Active (can be assigned jobs)" path="active" inline hint={draft.active ? undefined : 'Inactive providers are hidden from the board and flagged if assigned.'}>
            {(c) => <input {...c} type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} />}
          </Field>
          <Field label="Sort order" path="sortOrder" hint={provider ? 'Position on the board (lower first).' : 'Blank: last on the board.'}>
            {(c) => <input {...c} type="number" step={1} value={draft.sortOrder} onChange={(e) => set('sortOrder', e.target.value)} />}
          </Field>
        </div>
        <WeeklyHoursEditor value={draft.weeklyHours} onChange={(weeklyHours) => form.model.set('weeklyHours', weeklyHours)} onEdited={(path) => errors.clear(path)} />
        <FormActions busy={form.busy} busyLabel="Saving…" submitLabel={provider ? 'Save changes' : 'Create provider'} onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
