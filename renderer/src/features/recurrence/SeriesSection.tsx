import { useEffect, useState } from 'react';
import type { BackendClient, BoardBooking, BookingSeriesInfo } from '../../../../core/api/contract';
import { localDateOf, localTimeOf, localToMs, fromMs, toMs } from '../../../../core/time';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { fmtDate } from '../board/time-format.ts';
import { runCommand } from '../forms/backend';
import { Field } from '../forms/Field.tsx';
import { FormShell } from '../forms/FormShell.tsx';
import { useForm } from '../forms/use-form.ts';
import type { Result } from '../../../../core/result';
import { seriesTimeOf, templatePatchOf, type SeriesTimeDraft } from './series-edit';
import './recurrence.css';
import { Button } from '../../components/Button.tsx';

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

/** What a scoped edit made: the visits "This and following" created (the visit shown may be one of them). */
export interface ScopedEditDone {
  created: readonly string[];
}

/** Runs a field edit of a visit on the chosen visits: one visit, this and following, or the whole series. */
export async function runScopedEdit(
  client: BackendClient,
  scope: SeriesScope,
  info: BookingSeriesInfo,
  bookingId: string,
  patch: Record<string, unknown>,
  slotStart: string | null,
): Promise<Result<ScopedEditDone>> {
  if (scope === 'visit') return nothingCreated(await runCommand(client, 'updateOccurrence', { id: bookingId, ...patch }));
  const template = templatePatchOf(patch, slotStart);
  if (scope === 'all') return nothingCreated(await runCommand(client, 'updateSeries', { id: info.seriesId, ...template }));
  const split = await runCommand(client, 'updateSeriesFrom', { id: info.seriesId, date: info.date, ...template });
  return split.ok ? { ok: true, value: { created: split.value.created } } : split;
}

const nothingCreated = (r: Result<unknown>): Result<ScopedEditDone> => (r.ok ? { ok: true, value: { created: [] } } : r);

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

/**
 * The job panel's part for a visit of a repeating job: its rule in words, the visits' time with the choice
 * of which visits it applies to, Skip this visit and End series (each confirmed first).
 */
export function SeriesSection({ client, booking, info, zone, closed, onDone, onError, onSplit }: SeriesSectionProps) {
  const slot = booking.slot;
  const ownTime = slot ? localTimeOf(toMs(slot.start), zone) : info.startTime;
  const ownMinutes = slot ? Math.round((toMs(slot.end) - toMs(slot.start)) / 60_000) : info.durationMinutes;
  const [scope, setScope] = useState<SeriesScope>('visit');
  const [confirm, setConfirm] = useState<'skip' | 'end' | null>(null);
  const form = useForm<SeriesTimeDraft, { time: string; minutes: number }, ScopedEditDone>(() => ({ time: ownTime, minutes: String(ownMinutes) }), {
    check: seriesTimeOf,
    send: ({ time, minutes }) => applyTime(time, minutes),
  });
  const { draft, set, errors, model } = form;
  // The visit changed elsewhere (a drag, another desktop, a series edit): show its time again.
  useEffect(() => model.reset({ time: ownTime, minutes: String(ownMinutes) }), [model, ownTime, ownMinutes]);

  const visitDay = fmtDate(localToMs(info.date, '12:00', zone), zone);

  const applyTime = async (time: string, minutes: number): Promise<Result<ScopedEditDone>> => {
    if (scope === 'visit') {
      const date = slot ? localDateOf(toMs(slot.start), zone) : info.date;
      const start = localToMs(date, time, zone);
      return nothingCreated(
        await runCommand(client, 'updateOccurrence', {
          id: booking.id,
          slot: { start: fromMs(start), end: fromMs(start + minutes * 60_000), assignees: slot?.assignees ?? [] },
        }),
      );
    }
    const change = {
      ...(time !== info.startTime ? { startTime: time } : {}),
      ...(minutes !== info.durationMinutes ? { durationMinutes: minutes } : {}),
    };
    if (scope === 'all') return nothingCreated(await runCommand(client, 'updateSeries', { id: info.seriesId, ...change }));
    const split = await runCommand(client, 'updateSeriesFrom', { id: info.seriesId, date: info.date, ...change });
    return split.ok ? { ok: true, value: { created: split.value.created } } : split;
  };

  const submit = async () => {
    const outcome = await form.submit();
    if (outcome.kind !== 'done') return;
    if (scope === 'following') onSplit(outcome.result.created, 'This and following visits changed');
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
      <FormShell name="series-time" errors={errors} onSubmit={submit}>
        <div className="cl-row">
          <Field label="Visit time" path="series.startTime" aliases={['startTime', 'slot.start']}>
            {(c) => <input {...c} className="cl-input" type="time" value={draft.time} onChange={(e) => set('time', e.target.value, 'series.startTime')} />}
          </Field>
          <Field label="Minutes" path="series.durationMinutes" aliases={['durationMinutes', 'slot.end']}>
            {(c) => <input {...c} className="cl-input" inputMode="numeric" value={draft.minutes} onChange={(e) => set('minutes', e.target.value, 'series.durationMinutes')} />}
          </Field>
        </div>
        <ScopeChoice name="series-time" value={scope} onChange={setScope} info={info} />
        <div className="cl-row">
          <Button type="submit" data-action="apply-series-time" disabled={form.busy || closed}>
            Change time
          </Button>
          <span className="cl-muted cl-small">Saved at once; technicians already sent a visit keep it.</span>
        </div>
      </FormShell>
      <div className="cl-row">
        <Button data-action="skip-visit" disabled={closed} onClick={() => setConfirm('skip')}>
          Skip this visit
        </Button>
        <Button variant="danger" data-action="end-series" onClick={() => setConfirm('end')}>
          End series
        </Button>
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
