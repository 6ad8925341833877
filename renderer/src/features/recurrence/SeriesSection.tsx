import { useState, type ReactNode } from 'react';
import type { BackendClient, BoardBooking, BookingSeriesInfo } from '../../../../core/api/contract';
import { localDateOf, localTimeOf, localToMs, fromMs, toMs } from '../../../../core/time';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { fmtDate } from '../board/time-format.ts';
import { runCommand } from '../forms/backend';
import { templatePatchOf } from './series-edit';
import './recurrence.css';

/** Which visits an edit made in the job panel applies to. */
export type SeriesScope = 'visit' | 'following' | 'all';

const SCOPE_LABELS: Record<SeriesScope, string> = { visit: 'This visit', following: 'This and following', all: 'All visits' };

/** "Apply to: This visit / This and following / All visits" (on the first visit, the last two are the same). */
export function ScopeChoice({ name, value, onChange, info }: { name: string; value: SeriesScope; onChange: (s: SeriesScope) => void; info: BookingSeriesInfo }) {
  return (
    <fieldset className="rc-scope" data-scope-choice={name}>
      <legend>Apply to</legend>
      {(['visit', 'following', 'all'] as const).map((scope) => (
        <label key={scope} className="rc-radio">
          <input type="radio" name={`${name}.scope`} value={scope} checked={value === scope} onChange={() => onChange(scope)} />
          {SCOPE_LABELS[scope]}
          {scope === 'following' && info.isFirst ? <span className="cl-muted"> (= all)</span> : null}
        </label>
      ))}
    </fieldset>
  );
}

/** Runs a field edit of a visit on the chosen visits: one visit, this and following, or the whole series. */
export function runScopedEdit(client: BackendClient, scope: SeriesScope, info: BookingSeriesInfo, bookingId: string, patch: Record<string, unknown>, slotStart: string | null) {
  if (scope === 'visit') return runCommand(client, 'updateOccurrence', { id: bookingId, ...patch });
  const template = templatePatchOf(patch, slotStart);
  if (scope === 'following') return runCommand(client, 'updateSeriesFrom', { id: info.seriesId, date: info.date, ...template });
  return runCommand(client, 'updateSeries', { id: info.seriesId, ...template });
}

interface SeriesSectionProps {
  client: BackendClient;
  booking: BoardBooking;
  info: BookingSeriesInfo;
  zone: string;
  /** The visit is closed (completed, cancelled): it can no longer change. */
  closed: boolean;
  /** `gone`: the visit no longer exists (skipped before anyone was sent): the panel closes. */
  onDone: (message: string, gone?: boolean) => void;
  onError: (message: string) => void;
  /** "This and following" done: the visits it created (the visit shown may now be one of them). */
  onSplit: (created: readonly string[], message: string) => void;
}

type TimeErrors = Partial<Record<'time' | 'duration' | 'form', string>>;

/**
 * The job panel's part for a visit of a repeating job: its rule in words, the visits' time with the choice
 * of which visits it applies to, Skip this visit and End series (each confirmed first).
 */
export function SeriesSection({ client, booking, info, zone, closed, onDone, onError, onSplit }: SeriesSectionProps) {
  const slot = booking.slot;
  const ownTime = slot ? localTimeOf(toMs(slot.start), zone) : info.startTime;
  const ownMinutes = slot ? Math.round((toMs(slot.end) - toMs(slot.start)) / 60_000) : info.durationMinutes;
  const [time, setTime] = useState(ownTime);
  const [minutes, setMinutes] = useState(String(ownMinutes));
  const [scope, setScope] = useState<SeriesScope>('visit');
  const [errors, setErrors] = useState<TimeErrors>({});
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'skip' | 'end' | null>(null);
  // The visit changed elsewhere (a drag, another desktop, a series edit): show its time again.
  const [shown, setShown] = useState(`${ownTime}/${ownMinutes}`);
  if (shown !== `${ownTime}/${ownMinutes}`) {
    setShown(`${ownTime}/${ownMinutes}`);
    setTime(ownTime);
    setMinutes(String(ownMinutes));
  }

  const visitDay = fmtDate(localToMs(info.date, '12:00', zone), zone);

  const applyTime = async () => {
    const next: TimeErrors = {};
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) next.time = 'A time like 09:00';
    const n = Number(minutes);
    if (!/^\s*\d+\s*$/.test(minutes) || n <= 0) next.duration = 'A whole number of minutes, like 90';
    if (next.time || next.duration) {
      setErrors(next);
      return;
    }
    let result;
    setBusy(true);
    if (scope === 'visit') {
      const date = slot ? localDateOf(toMs(slot.start), zone) : info.date;
      const start = localToMs(date, time, zone);
      result = await runCommand(client, 'updateOccurrence', {
        id: booking.id,
        slot: { start: fromMs(start), end: fromMs(start + n * 60_000), assignees: slot?.assignees ?? [] },
      });
    } else {
      const change = {
        ...(time !== info.startTime ? { startTime: time } : {}),
        ...(n !== info.durationMinutes ? { durationMinutes: n } : {}),
      };
      result =
        scope === 'following'
          ? await runCommand(client, 'updateSeriesFrom', { id: info.seriesId, date: info.date, ...change })
          : await runCommand(client, 'updateSeries', { id: info.seriesId, ...change });
    }
    setBusy(false);
    if (!result.ok) {
      const f = result.error.fieldErrors ?? {};
      setErrors({
        time: f.startTime ?? f['slot.start'],
        duration: f.durationMinutes ?? f['slot.end'],
        form: result.error.message,
      });
      return;
    }
    setErrors({});
    if (scope === 'following') onSplit((result.value as { created?: string[] }).created ?? [], 'This and following visits changed');
    else onDone(scope === 'visit' ? 'This visit changed' : 'All visits changed');
  };

  const run = async (what: 'skip' | 'end') => {
    setConfirm(null);
    const result =
      what === 'skip'
        ? await runCommand(client, 'skipOccurrence', { id: booking.id })
        : await runCommand(client, 'endSeries', { id: info.seriesId, lastDate: info.date });
    if (!result.ok) onError(result.error.message);
    else if ('booking' in result.value) onDone('Visit skipped', result.value.booking === 'removed');
    else onDone(`The series ends after ${visitDay}`);
  };

  const field = (key: 'time' | 'duration', label: string, input: ReactNode) => (
    <label className={errors[key] ? 'cl-field has-error' : 'cl-field'}>
      <span>{label}</span>
      {input}
      {errors[key] ? (
        <span className="cl-field__error" data-field-error={`series.${key}`}>
          {errors[key]}
        </span>
      ) : null}
    </label>
  );

  return (
    <section className="cl-panel__section" data-panel-series={info.seriesId} data-series-date={info.date}>
      <h3>Repeating job</h3>
      <p className="rc-series__rule" data-series-rule="">
        Repeats: {info.ruleText}
      </p>
      {info.ownChanges ? (
        <p className="cl-muted cl-small" data-series-own-changes="">
          This visit was changed on its own: edits to all visits leave it as it is.
        </p>
      ) : null}
      <form
        className="cl-form"
        data-form="series-time"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void applyTime();
        }}
      >
        {errors.form ? (
          <p className="cl-error" role="alert" data-form-error="">
            {errors.form}
          </p>
        ) : null}
        <div className="cl-row">
          {field(
            'time',
            'Visit time',
            <input
              className="cl-input"
              type="time"
              name="series.startTime"
              value={time}
              aria-invalid={errors.time ? true : undefined}
              onChange={(e) => {
                setTime(e.target.value);
                setErrors((x) => ({ ...x, time: undefined }));
              }}
            />,
          )}
          {field(
            'duration',
            'Minutes',
            <input
              className="cl-input"
              name="series.durationMinutes"
              inputMode="numeric"
              value={minutes}
              aria-invalid={errors.duration ? true : undefined}
              onChange={(e) => {
                setMinutes(e.target.value);
                setErrors((x) => ({ ...x, duration: undefined }));
              }}
            />,
          )}
        </div>
        <ScopeChoice name="series-time" value={scope} onChange={setScope} info={info} />
        <div className="cl-row">
          <button type="submit" className="cl-button" data-action="apply-series-time" disabled={busy || closed}>
            Change time
          </button>
          <span className="cl-muted cl-small">Saved at once; technicians already sent a visit keep it.</span>
        </div>
      </form>
      <div className="cl-row">
        <button type="button" className="cl-button" data-action="skip-visit" disabled={closed} onClick={() => setConfirm('skip')}>
          Skip this visit
        </button>
        <button type="button" className="cl-button cl-button--danger" data-action="end-series" onClick={() => setConfirm('end')}>
          End series
        </button>
      </div>
      {confirm === 'skip' ? (
        <ConfirmDialog name="skip-visit" title="Skip this visit?" confirmLabel="Skip visit" danger onConfirm={() => void run('skip')} onCancel={() => setConfirm(null)}>
          <p>
            The visit on {visitDay} is removed from the schedule (cancelled, if a technician was already sent). The other visits stay.
          </p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'end' ? (
        <ConfirmDialog name="end-series" title="End the series?" confirmLabel="End series" danger onConfirm={() => void run('end')} onCancel={() => setConfirm(null)}>
          <p>
            This visit on {visitDay} becomes the last one. Later visits that have not started are removed (cancelled, if a technician was
            already sent).
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
