import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, type Service, type ServiceFields } from '../../../../core/model';
import { runCommand } from '../forms/backend';
import { Field } from '../forms/Field';
import { FormActions } from '../forms/FormActions';
import { FieldErrorsContext } from '../forms/field-errors';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import { TagInput } from '../forms/TagInput';
import { useRecordForm } from '../forms/use-form';
import { numberText, parseNumber } from '../forms/values';

export interface ServiceFormProps {
  client: BackendClient;
  /** The service to edit; absent for a new one. */
  service?: Service;
  skillSuggestions?: readonly string[];
  onSaved: (result: { id: string; created: boolean; name: string }) => void;
  onCancel: () => void;
}

interface Draft {
  name: string;
  durationMinutes: string;
  laborHours: string;
  teamSize: string;
  requiredSkills: string[];
  active: boolean;
}

const draftOf = (s?: Service): Draft => ({
  name: s?.name ?? '',
  durationMinutes: numberText(s?.durationMinutes ?? 60),
  laborHours: numberText(s?.laborHours ?? 1),
  teamSize: numberText(s?.teamSize ?? 1),
  requiredSkills: [...(s?.requiredSkills ?? [])],
  active: s?.active ?? true,
});

const NUMBER_FIELDS = ['durationMinutes', 'laborHours', 'teamSize'] as const;

function fieldsOf(d: Draft): { fields: ServiceFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const numbers = {} as Record<(typeof NUMBER_FIELDS)[number], number>;
  for (const key of NUMBER_FIELDS) {
    const n = parseNumber(d[key]);
    if (n === null) errors[key] = 'Required';
    else if (n === 'invalid') errors[key] = 'Must be a number';
    else numbers[key] = n;
  }
  return { fields: { name: d.name, ...numbers, requiredSkills: d.requiredSkills, active: d.active }, errors };
}

/** Create or edit a service (a kind of job): `createService` / `updateService` (only changed fields). */
export function ServiceForm({ client, service, skillSuggestions, onSaved, onCancel }: ServiceFormProps) {
  const form = useRecordForm({
    record: service,
    draftOf,
    fieldsOf,
    create: (fields) => runCommand(client, 'createService', fields),
    update: (id, patch) => runCommand(client, 'updateService', { id, ...patch }),
    onSaved,
  });
  const { draft, set, errors } = form;

  return (
    <FieldErrorsContext value={errors}>
      <form
        className="adm-form svc-form"
        noValidate
        aria-label={service ? `Edit ${service.name}` : 'New service'}
        onSubmit={form.onSubmit}
        onKeyDown={formKeyDown(onCancel)}
      >
        <FormMessage labels={{ id: 'Service' }} />
        <div className="adm-form-grid">
          <Field label="Name" path="name" className="adm-span-all">
            {(c) => <input {...c} type="text" autoComplete="off" maxLength={TEXT_LIMITS.name} value={draft.name} onChange={(e) => set('name', e.target.value)} autoFocus={!service} />}
          </Field>
          <Field label="Duration (minutes)" path="durationMinutes" hint="Default length of a job on the board.">
            {(c) => <input {...c} type="number" min={5} max={1440} step={5} value={draft.durationMinutes} onChange={(e) => set('durationMinutes', e.target.value)} />}
          </Field>
          <Field label="Labor hours" path="laborHours" hint="Total person-hours of work.">
            {(c) => <input {...c} type="number" min={0.25} step={0.25} value={draft.laborHours} onChange={(e) => set('laborHours', e.target.value)} />}
          </Field>
          <Field label="Team size" path="teamSize" hint="Technicians needed.">
            {(c) => <input {...c} type="number" min={1} max={20} step={1} value={draft.teamSize} onChange={(e) => set('teamSize', e.target.value)} />}
          </Field>
          <Field label="Required skills" path="requiredSkills" className="adm-span-all" hint="Assigning a technician without them shows a conflict. Enter or comma adds.">
            {(c) => (
              <TagInput control={c} value={draft.requiredSkills} onChange={(v) => set('requiredSkills', v)} suggestions={skillSuggestions} placeholder="e.g. HVAC" noun="skill" />
            )}
          </Field>
          <Field label="Active (offered for new jobs)" path="active" inline>
            {(c) => <input {...c} type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} />}
          </Field>
        </div>
        <FormActions busy={form.busy} busyLabel="Saving…" submitLabel={service ? 'Save changes' : 'Create service'} onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
