import { useId, useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { TEXT_LIMITS, type Provider, type TimeOff } from '../../../../core/model';
import { runCommand } from '../forms/backend';
import { Field } from '../forms/Field';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { formKeyDown } from '../forms/form-keys';
import { FormMessage } from '../forms/FormMessage';
import {
  formatRange,
  localDateEndInstant,
  localDateStartInstant,
  localDateTimeToInstant,
  zoneAbbreviation,
} from '../forms/time-zone';
import { useNow } from '../../clock.ts';
import { Button } from '../../components/Button.tsx';

export interface TimeOffEditorProps {
  client: BackendClient;
  provider: Provider;
  /** The organization's IANA zone: what the dispatcher types and reads. */
  timeZone: string;
  onCancel?: () => void;
}

interface Draft {
  allDay: boolean;
  start: string;
  end: string;
  reason: string;
}

const EMPTY: Draft = { allDay: false, start: '', end: '', reason: '' };

/** Entries shown in the org zone; new ones typed in the org zone and sent as UTC instants. */
export function TimeOffEditor({ client, provider, timeZone, onCancel }: TimeOffEditorProps) {
  const errors = useFieldErrors();
  const titleId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    errors.clear(key);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    let start: string | null;
    let end: string | null;
    if (draft.allDay) {
      start = localDateStartInstant(draft.start, timeZone);
      end = localDateEndInstant(draft.end || draft.start, timeZone);
      if (!start) local.start = draft.start ? 'Must be a date' : 'Required';
      if (!end && draft.end) local.end = 'Must be a date';
    } else {
      start = localDateTimeToInstant(draft.start, timeZone);
      end = localDateTimeToInstant(draft.end, timeZone);
      if (!start) local.start = draft.start ? 'Must be a date and time' : 'Required';
      if (!end) local.end = draft.end ? 'Must be a date and time' : 'Required';
    }
    if (errors.showLocal(local) || !start || !end) return;
    setBusy(true);
    const result = await runCommand(client, 'addTimeOff', { providerId: provider.id, start, end, reason: draft.reason });
    setBusy(false);
    if (!result.ok) {
      errors.showError(result.error);
      return;
    }
    errors.clear();
    setDraft((d) => ({ ...EMPTY, allDay: d.allDay }));
  };

  const remove = async (entry: TimeOff) => {
    setRemoving(entry.id);
    setRemoveError(null);
    const result = await runCommand(client, 'removeTimeOff', { providerId: provider.id, timeOffId: entry.id });
    setRemoving(null);
    if (!result.ok) setRemoveError(result.error.message);
  };

  const nowMs = useNow();
  const entries = [...provider.timeOff].sort((a, b) => a.start.localeCompare(b.start));

  return (
    <section className="prov-timeoff" aria-labelledby={titleId}>
      <h3 id={titleId}>Time off</h3>
      <p className="adm-field-hint">
        Times are in the organization&rsquo;s zone, {timeZone} ({zoneAbbreviation(timeZone, new Date(nowMs).toISOString())}).
      </p>
      {entries.length === 0 ? (
        <p className="adm-muted">No time off.</p>
      ) : (
        <ul className="prov-timeoff-list">
          {entries.map((entry) => {
            const past = Date.parse(entry.end) <= nowMs;
            const label = formatRange(entry.start, entry.end, timeZone);
            return (
              <li key={entry.id} data-time-off-id={entry.id} className={past ? 'prov-timeoff--past' : undefined}>
                <span className="prov-timeoff-span">
                  {label}
                  {entry.reason ? <span className="prov-timeoff-reason"> · {entry.reason}</span> : null}
                  {past ? <span className="adm-muted"> (past)</span> : null}
                </span>
                <Button
                  variant="danger" small
                  aria-label={`Remove time off ${label}`}
                  disabled={removing === entry.id}
                  onClick={() => void remove(entry)}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {removeError ? (
        <p className="adm-load-error" role="alert">
          {removeError}
        </p>
      ) : null}

      <FieldErrorsContext value={errors}>
        <form className="adm-form prov-timeoff-form" noValidate aria-label="Add time off" onSubmit={(e) => void submit(e)} onKeyDown={formKeyDown(onCancel)}>
          <FormMessage />
          <div className="adm-form-grid">
            <Field label="All day (whole days)" path="allDay" inline className="adm-span-all">
              {(control) => (
                <input
                  {...control}
                  type="checkbox"
                  checked={draft.allDay}
                  onChange={(e) => setDraft((d) => ({ ...d, allDay: e.target.checked, start: '', end: '' }))}
                />
              )}
            </Field>
            <Field label={draft.allDay ? 'First day' : 'Starts'} path="start">
              {(control) => (
                <input {...control} type={draft.allDay ? 'date' : 'datetime-local'} value={draft.start} onChange={(e) => set('start', e.target.value)} />
              )}
            </Field>
            <Field label={draft.allDay ? 'Last day' : 'Ends'} path="end" hint={draft.allDay ? 'Blank: the first day only' : undefined}>
              {(control) => (
                <input {...control} type={draft.allDay ? 'date' : 'datetime-local'} value={draft.end} onChange={(e) => set('end', e.target.value)} />
              )}
            </Field>
            <Field label="Reason" path="reason">
              {(control) => <input {...control} type="text" maxLength={TEXT_LIMITS.timeOffReason} placeholder="Vacation, training…" value={draft.reason} onChange={(e) => set('reason', e.target.value)} />}
            </Field>
          </div>
          <div className="adm-actions">
            <Button type="submit" disabled={busy}>
              {busy ? 'Adding…' : 'Add time off'}
            </Button>
          </div>
        </form>
      </FieldErrorsContext>
    </section>
  );
}
