import { useEffect, useState } from 'react';
import type { BookingDetails, BookingSeriesInfo } from '../../../../core/api/contract.ts';
import { fieldLabel } from '../../../../core/field-labels.ts';
import { TEXT_LIMITS, type Priority } from '../../../../core/model.ts';
import type { Result } from '../../../../core/result.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { Button } from '../../components/Button.tsx';
import { priorityLabel } from '../board/card-html.ts';
import { runCommand } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import { FormShell } from '../forms/FormShell.tsx';
import { useForm } from '../forms/use-form.ts';
import { runScopedEdit, ScopeChoice, type ScopedEditDone, type SeriesScope } from '../recurrence/SeriesSection.tsx';
import { detailsDraftOf, detailsPatch, type DetailsDraft } from './job-details.ts';

/** Same order as core's PRIORITIES (not imported at runtime: core/model.ts would pull zod into the renderer). */
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'emergency'];

interface JobDetailsFormProps {
  details: BookingDetails;
  zone: string;
  /** The series the job is a visit of (null: a one-off job): the edit applies to the chosen visits. */
  series: BookingSeriesInfo | null;
  /** Saved: `scope` says which visits it changed, `created` the visits "This and following" made. */
  onSaved: (scope: SeriesScope | null, done: ScopedEditDone) => void;
}

/** The job panel's Details: title, priority, team size, labor hours, arrival window and notes. */
export function JobDetailsForm({ details, zone, series, onSaved }: JobDetailsFormProps) {
  const client = useClient();
  const id = details.booking.id;
  const [scope, setScope] = useState<SeriesScope>('visit');
  const saved = detailsDraftOf(details, zone);
  const form = useForm<DetailsDraft, Record<string, unknown>, ScopedEditDone>(() => saved, {
    check: (draft) => detailsPatch(draft, saved, zone),
    send: (patch) => {
      if (Object.keys(patch).length === 0) return null;
      if (series) return runScopedEdit(client, scope, series, id, patch, details.booking.slot?.start ?? null);
      return runCommand(client, 'updateBooking', { id, ...patch }).then((r): Result<ScopedEditDone> => (r.ok ? { ok: true, value: { created: [] } } : r));
    },
  });
  const { draft, set, errors, model, dirty } = form;

  // Keep the form in step with the booking unless the dispatcher is typing in it.
  useEffect(() => {
    if (!model.getState().dirty) model.reset(detailsDraftOf(details, zone));
  }, [model, details, zone]);

  const submit = async () => {
    const outcome = await form.submit();
    if (outcome.kind === 'done') onSaved(series ? scope : null, outcome.result);
  };

  const text = (key: 'title' | 'teamSize' | 'laborHours', label: string, inputMode?: 'numeric' | 'decimal') => (
    <Field label={label} path={key}>
      {(c) => <input {...c} className="cl-input" inputMode={inputMode} value={draft[key]} onChange={(e) => set(key, e.target.value)} />}
    </Field>
  );

  return (
    <FormShell name="booking" errors={errors} onSubmit={submit}>
      {text('title', fieldLabel('title'))}
      <div className="cl-row">
        <Field label={fieldLabel('priority')} path="priority">
          {(c) => (
            <select {...c} className="cl-input" value={draft.priority} onChange={(e) => set('priority', e.target.value as Priority)}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('teamSize', fieldLabel('teamSize'), 'numeric')}
        {text('laborHours', fieldLabel('laborHours'), 'decimal')}
      </div>
      <div className="cl-row">
        <Field label={fieldLabel('arrivalWindow.start')} path="arrivalWindow.start" aliases={['arrivalWindow']}>
          {(c) => (
            <input {...c} className="cl-input" type="datetime-local" value={draft.arrivalStart} onChange={(e) => set('arrivalStart', e.target.value, 'arrivalWindow')} />
          )}
        </Field>
        <Field label={fieldLabel('arrivalWindow.end')} path="arrivalWindow.end">
          {(c) => (
            <input {...c} className="cl-input" type="datetime-local" value={draft.arrivalEnd} onChange={(e) => set('arrivalEnd', e.target.value, 'arrivalWindow')} />
          )}
        </Field>
      </div>
      <Field label={fieldLabel('notes')} path="notes">
        {(c) => <textarea {...c} className="cl-input" rows={3} maxLength={TEXT_LIMITS.notes} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />}
      </Field>
      {series ? <ScopeChoice name="details" value={scope} onChange={setScope} info={series} /> : null}
      <div className="cl-row">
        <Button type="submit" variant="primary" data-action="save-details" disabled={!dirty}>
          Save details
        </Button>
        <Button
          disabled={!dirty}
          onClick={() => {
            model.reset(detailsDraftOf(details, zone));
            errors.clear();
          }}
        >
          Revert
        </Button>
      </div>
    </FormShell>
  );
}
