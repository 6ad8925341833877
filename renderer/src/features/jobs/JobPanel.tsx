import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BookingDetails, BookingSeriesInfo } from '../../../../core/api/contract.ts';
import type { Priority, Provider, Settings, Slot } from '../../../../core/model.ts';
import { isClosed, STATUS_LABELS } from '../../../../core/status.ts';
import { toMs } from '../../../../core/time.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { isRunningLate } from '../board/board-model.ts';
import { priorityLabel } from '../board/card-html.ts';
import { JobNotifications } from '../notifications/JobNotifications.tsx';
import { JobSyncNotes } from '../sync/JobSyncNotes.tsx';
import { JobWhenForm } from './JobWhenForm.tsx';
import { runScopedEdit, ScopeChoice, SeriesSection, type SeriesScope } from '../recurrence/SeriesSection.tsx';
import { fmtDate, fmtDateTime, fmtTimeRange, fromLocalInput, toLocalInput } from '../board/time-format.ts';

/** Same order as core's PRIORITIES (not imported at runtime: core/model.ts would pull zod into the renderer). */
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'emergency'];

interface JobPanelProps {
  id: string;
  settings: Settings;
  providers: readonly Provider[];
  providersById: ReadonlyMap<string, Provider>;
  nowMs: number;
  /** A viewer's console: every control that would change the job is disabled. */
  readOnly: boolean;
  onClose: () => void;
  /** Stages a new slot through the board (so it joins the board's undo stack); false when refused. */
  onStage: (id: string, slot: Slot | null) => Promise<boolean>;
}

interface FormState {
  title: string;
  priority: Priority;
  notes: string;
  teamSize: string;
  laborHours: string;
  arrivalStart: string;
  arrivalEnd: string;
}

function formOf(d: BookingDetails, zone: string): FormState {
  const b = d.booking;
  return {
    title: b.title,
    priority: b.priority,
    notes: b.notes,
    teamSize: String(b.teamSize),
    laborHours: String(b.laborHours),
    arrivalStart: toLocalInput(b.arrivalWindow?.start, zone),
    arrivalEnd: toLocalInput(b.arrivalWindow?.end, zone),
  };
}

/** Field errors from the backend (`arrivalWindow.end`, `teamSize`, ...) mapped onto the form's fields. */
function errorFor(errors: Record<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) if (errors[k]) return errors[k];
  return undefined;
}

/**
 * The job panel: everything about one booking, its conflicts with reasons, history, an edit form with
 * per-field errors, its team, and the actions Send to Tech, Unassign and Cancel. For a visit of a repeating
 * job, its series too (`SeriesSection`), and edits apply to this visit, this and following, or all visits.
 */
export function JobPanel(props: JobPanelProps) {
  // "This and following" replaces the open visit by the new series' visit on that date (a new id): the
  // panel follows it, until the board opens another job.
  const [opened, setOpened] = useState(props.id);
  const [current, setCurrent] = useState(props.id);
  if (opened !== props.id) {
    setOpened(props.id);
    setCurrent(props.id);
  }
  return <JobPanelOf {...props} id={current} onReplaced={setCurrent} />;
}

function JobPanelOf({
  id,
  settings,
  providers,
  providersById,
  nowMs,
  readOnly,
  onClose,
  onStage,
  onReplaced,
}: JobPanelProps & { onReplaced: (id: string) => void }) {
  const client = useClient();
  const toast = useToast();
  const zone = settings.timeZone;
  const [details, setDetails] = useState<BookingDetails | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [dirty, setDirty] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [addMember, setAddMember] = useState('');
  /** The series this job is a visit of (null: a one-off job), and which visits a details edit applies to. */
  const [series, setSeries] = useState<BookingSeriesInfo | null>(null);
  const [scope, setScope] = useState<SeriesScope>('visit');

  const load = useCallback(async () => {
    const [r, s] = await Promise.all([client.request('bookings:get', { id }), client.request('series:ofBooking', { id })]);
    if (!r.ok) {
      setLoadError(r.error.message);
      return;
    }
    setLoadError(null);
    setDetails(r.value);
    setSeries(s.ok ? s.value : null);
  }, [client, id]);

  /**
   * After "This and following" the visit on this date may belong to the new series, under a new id (this
   * one was removed; the new series' first visit is `created[0]`): open that one, or close when there is
   * none. A visit kept by the old series (changed, or already dispatched) just reloads.
   */
  const followSplit = useCallback(
    async (created: readonly string[], date: string) => {
      const still = await client.request('bookings:get', { id });
      if (still.ok) return void load();
      const candidate = created[0];
      const info = candidate ? await client.request('series:ofBooking', { id: candidate }) : null;
      if (candidate && info?.ok && info.value?.date === date) onReplaced(candidate);
      else onClose();
    },
    [client, id, load, onReplaced, onClose],
  );

  useEffect(() => {
    setDetails(null);
    setForm(null);
    setDirty(false);
    setFieldErrors({});
    setFormError(null);
    setActionError(null);
    setCancelling(false);
    setSeries(null);
    setScope('visit');
    void load();
    const offSchedule = client.on('schedule:changed', () => void load());
    const offDraft = client.on('draft:changed', () => void load());
    const offRoster = client.on('roster:changed', () => void load());
    return () => {
      offSchedule();
      offDraft();
      offRoster();
    };
  }, [client, load]);

  // Keep the form in step with the booking unless the dispatcher is typing in it.
  useEffect(() => {
    if (details && !dirty) setForm(formOf(details, zone));
  }, [details, dirty, zone]);

  const booking = details?.booking;
  const slot = booking?.slot ?? null;
  const closed = booking ? isClosed(booking.status) : true;
  const assignees = slot?.assignees ?? [];
  const candidates = useMemo(
    () => providers.filter((p) => p.active && !assignees.includes(p.id)),
    [providers, assignees],
  );

  if (loadError) {
    return (
      <aside className="cl-panel" data-panel="job" aria-label="Job details">
        <header className="cl-panel__header">
          <h2>Job</h2>
          <button type="button" className="cl-icon-button" aria-label="Close panel" onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <p className="cl-error">{loadError}</p>
      </aside>
    );
  }
  if (!details || !booking || !form) {
    return (
      <aside className="cl-panel" data-panel="job" aria-label="Job details" aria-busy="true">
        <p className="cl-muted cl-panel__loading">Loading…</p>
      </aside>
    );
  }

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm({ ...form, [key]: value });
    setDirty(true);
  };

  const submit = async () => {
    const errors: Record<string, string> = {};
    const patch: Record<string, unknown> = {};
    const original = formOf(details, zone);
    if (form.title !== original.title) patch.title = form.title;
    if (form.priority !== original.priority) patch.priority = form.priority;
    if (form.notes !== original.notes) patch.notes = form.notes;
    if (form.teamSize !== original.teamSize) {
      const n = Number(form.teamSize);
      if (form.teamSize.trim() === '' || !Number.isFinite(n)) errors.teamSize = 'Must be a number';
      else patch.teamSize = n;
    }
    if (form.laborHours !== original.laborHours) {
      const n = Number(form.laborHours);
      if (form.laborHours.trim() === '' || !Number.isFinite(n)) errors.laborHours = 'Must be a number';
      else patch.laborHours = n;
    }
    if (form.arrivalStart !== original.arrivalStart || form.arrivalEnd !== original.arrivalEnd) {
      if (!form.arrivalStart && !form.arrivalEnd) patch.arrivalWindow = null;
      else if (!form.arrivalStart) errors['arrivalWindow.start'] = 'Give a start, or clear both';
      else if (!form.arrivalEnd) errors['arrivalWindow.end'] = 'Give an end, or clear both';
      else patch.arrivalWindow = { start: fromLocalInput(form.arrivalStart, zone), end: fromLocalInput(form.arrivalEnd, zone) };
    }
    if (Object.keys(errors).length) {
      setFieldErrors(errors);
      setFormError('Please fix the highlighted fields');
      return;
    }
    if (Object.keys(patch).length === 0) {
      setDirty(false);
      return;
    }
    const r = series
      ? await runScopedEdit(client, scope, series, id, patch, slot?.start ?? null)
      : await client.request('commands:run', { name: 'updateBooking', input: { id, ...patch } });
    if (!r.ok) {
      setFieldErrors(r.error.fieldErrors ?? {});
      setFormError(r.error.message);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    setDirty(false);
    toast(series && scope !== 'visit' ? (scope === 'all' ? 'All visits updated' : 'This and following visits updated') : 'Job updated', 'success');
    if (series && scope === 'following') void followSplit((r.value as { created?: string[] }).created ?? [], series.date);
    else void load();
  };

  const run = async (name: string, input: unknown, done: string) => {
    setActionError(null);
    const r = await client.request('commands:run', { name, input });
    if (!r.ok) {
      setActionError(r.error.message);
      toast(r.error.message, 'error');
      return false;
    }
    toast(done, 'success');
    void load();
    return true;
  };

  const stageTeam = async (next: string[]) => {
    if (!slot) return;
    setActionError(null);
    if (await onStage(id, { ...slot, assignees: next })) void load();
  };

  const fieldClass = (...keys: string[]) => (errorFor(fieldErrors, ...keys) ? 'cl-field has-error' : 'cl-field');
  const fieldError = (...keys: string[]) => {
    const message = errorFor(fieldErrors, ...keys);
    return message ? (
      <span className="cl-field__error" data-field-error={keys[0]}>
        {message}
      </span>
    ) : null;
  };

  const late = isRunningLate(booking, nowMs);
  const canSend = booking.status === 'scheduled';
  const customer = details.customer;

  return (
    <aside className="cl-panel" data-panel="job" data-booking-id={booking.id} data-status={booking.status} aria-label="Job details">
      <header className="cl-panel__header">
        <h2 title={booking.title}>{booking.title}</h2>
        <button type="button" className="cl-icon-button" aria-label="Close panel" title="Close (Esc)" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>

      <div className="cl-panel__body">
        <JobSyncNotes bookingId={booking.id} formatTime={(iso) => fmtDateTime(iso, zone)} />
        <section className="cl-panel__section">
          <div className="cl-panel__status-line">
            <span className={`cl-status cl-status--${booking.status}`} data-panel-status={booking.status}>
              {STATUS_LABELS[booking.status]}
            </span>
            <span className={`cl-prio cl-prio--${booking.priority}`}>{priorityLabel(booking.priority)}</span>
            {booking.staged ? <span className="cl-staged-dot">unsaved change</span> : null}
            {late ? <span className="cl-late-badge">Running late</span> : null}
          </div>
          <p className="cl-panel__stamp" data-dispatch-stamp={booking.dispatched ? 'true' : 'false'}>
            {booking.dispatched
              ? `Sent to tech ${fmtDateTime(booking.dispatched.at, zone)} by ${booking.dispatched.by.name}`
              : 'Not sent to a technician yet'}
          </p>
          {booking.statusNote ? <p className="cl-panel__note">{booking.statusNote}</p> : null}
          <dl className="cl-facts">
            <dt>When</dt>
            <dd data-panel-when="">
              {slot ? `${fmtDate(toMs(slot.start), zone)}, ${fmtTimeRange(toMs(slot.start), toMs(slot.end), zone)}` : 'No date'}
              {booking.staged && details.savedSlot ? (
                <span className="cl-muted"> (saved: {fmtDate(toMs(details.savedSlot.start), zone)}, {fmtTimeRange(toMs(details.savedSlot.start), toMs(details.savedSlot.end), zone)})</span>
              ) : null}
            </dd>
            {booking.arrivalWindow ? (
              <>
                <dt>Arrival</dt>
                <dd>{fmtTimeRange(toMs(booking.arrivalWindow.start), toMs(booking.arrivalWindow.end), zone)}</dd>
              </>
            ) : null}
            <dt>Customer</dt>
            <dd>
              {customer ? (
                <>
                  {customer.name}
                  {customer.phone ? <span className="cl-muted"> · {customer.phone}</span> : null}
                </>
              ) : (
                'None'
              )}
            </dd>
            <dt>Address</dt>
            <dd>{booking.location.address || customer?.address || '—'}</dd>
            <dt>Service</dt>
            <dd>{details.service ? `${details.service.name} (${details.service.durationMinutes} min)` : '—'}</dd>
          </dl>
        </section>

        <section className="cl-panel__section" data-panel-conflicts={details.conflicts.length}>
          <h3>Conflicts</h3>
          {details.conflicts.length === 0 ? (
            <p className="cl-muted">No conflicts</p>
          ) : (
            <ul className="cl-conflicts">
              {details.conflicts.map((c, i) => (
                <li key={`${c.kind}:${c.providerId ?? ''}:${c.otherBookingId ?? ''}:${i}`} className={`cl-conflict cl-conflict--${c.severity}`} data-conflict-kind={c.kind} data-severity={c.severity}>
                  {c.message}
                </li>
              ))}
            </ul>
          )}
        </section>

        {details.concurrentMoves && (
          <section className="cl-panel__section cl-moves" data-concurrent-moves={details.concurrentMoves.lost.length}>
            <h3>Moved at the same time</h3>
            <p>
              While offline, {details.concurrentMoves.lost.length === 1 ? 'two moves were' : 'several moves were'} made
              from the same starting point. Only one slot can win, whole:
            </p>
            <ul>
              <li className="cl-moves__winner" data-move-result="won">
                <strong>Kept:</strong> {details.concurrentMoves.winner.by.name} — {details.concurrentMoves.winner.summary}
                <span className="cl-muted"> ({fmtDateTime(details.concurrentMoves.winner.at, zone)})</span>
              </li>
              {details.concurrentMoves.lost.map((m) => (
                <li key={m.id} className="cl-moves__lost" data-move-result="lost">
                  <strong>Not applied:</strong> {m.by.name} — {m.summary}
                  <span className="cl-muted"> ({fmtDateTime(m.at, zone)})</span>
                </li>
              ))}
            </ul>
            <p className="cl-muted">Moving the job again settles it for everyone.</p>
          </section>
        )}

        {/* One switch for every control that changes the job: a viewer sees them, greyed, and changes nothing. */}
        <fieldset className="cl-fieldset-plain" disabled={readOnly} data-read-only={readOnly ? '' : undefined}>
        {series ? (
          <SeriesSection
            key={`${booking.id}:${series.seriesId}`}
            client={client}
            booking={booking}
            info={series}
            zone={zone}
            closed={closed}
            onDone={(message, gone) => {
              setActionError(null);
              toast(message, 'success');
              if (gone) onClose();
              else void load();
            }}
            onSplit={(created, message) => {
              setActionError(null);
              toast(message, 'success');
              void followSplit(created, series.date);
            }}
            onError={(message) => {
              setActionError(message);
              toast(message, 'error');
            }}
          />
        ) : null}
        <section className="cl-panel__section">
          <h3>When</h3>
          <JobWhenForm
            slot={slot}
            zone={zone}
            defaultDurationMs={(booking.laborHours / Math.max(1, booking.teamSize)) * 3_600_000 || 3_600_000}
            disabled={closed}
            onStage={async (next) => {
              setActionError(null);
              const staged = await onStage(id, next);
              if (staged) void load();
              return staged;
            }}
          />
        </section>

        <section className="cl-panel__section">
          <h3>Team</h3>
          <ul className="cl-assignees" data-assignees={assignees.length}>
            {assignees.map((pid) => {
              const p = providersById.get(pid);
              return (
                <li key={pid} data-assignee-id={pid}>
                  <span className="cl-provider__swatch" style={{ backgroundColor: p?.color ?? '#888' }} />
                  {p?.name ?? 'Unknown provider'}
                  <button
                    type="button"
                    className="cl-link-button"
                    disabled={closed}
                    aria-label={`Remove ${p?.name ?? 'provider'}`}
                    data-action="remove-assignee"
                    onClick={() => void stageTeam(assignees.filter((a) => a !== pid))}
                  >
                    Remove
                  </button>
                </li>
              );
            })}
            {assignees.length === 0 ? <li className="cl-muted">Nobody assigned</li> : null}
          </ul>
          <div className="cl-row">
            <select
              className="cl-input"
              aria-label="Add team member"
              value={addMember}
              disabled={!slot || closed}
              onChange={(e) => setAddMember(e.target.value)}
            >
              <option value="">{slot ? 'Add member…' : 'Give it a start first (When, or drag it onto the board)'}</option>
              {candidates.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="cl-button"
              data-action="add-assignee"
              disabled={!addMember || !slot || closed}
              onClick={() => {
                const pid = addMember;
                setAddMember('');
                void stageTeam([...assignees, pid]);
              }}
            >
              Add
            </button>
          </div>
          <p className="cl-muted cl-small">
            Needs {booking.teamSize} {booking.teamSize === 1 ? 'person' : 'people'} · {booking.laborHours} labor h. Team changes are staged until Save.
          </p>
        </section>

        <section className="cl-panel__section cl-panel__actions">
          <button
            type="button"
            className="cl-button cl-button--primary"
            data-action="send-to-tech"
            disabled={!canSend}
            title={canSend ? 'Notify the technician and mark Dispatched' : 'Only a Scheduled job (with a date and a technician) can be sent'}
            onClick={() => void run('sendToTech', { id }, 'Sent to tech')}
          >
            <Icon name="send" /> Send to Tech
          </button>
          <button
            type="button"
            className="cl-button"
            data-action="unassign"
            disabled={!slot || assignees.length === 0 || closed}
            onClick={() => void stageTeam([])}
          >
            Unassign
          </button>
          <button type="button" className="cl-button cl-button--danger" data-action="cancel-job" disabled={closed} onClick={() => setCancelling(true)}>
            Cancel job
          </button>
          {actionError ? (
            <p className="cl-error" role="alert" data-action-error="">
              {actionError}
            </p>
          ) : null}
          {cancelling ? (
            <form
              className="cl-cancel-form"
              onSubmit={(e) => {
                e.preventDefault();
                void run('cancelBooking', { id, reason: cancelReason }, 'Job cancelled').then(async (ok) => {
                  if (!ok) return;
                  setCancelling(false);
                  setCancelReason('');
                });
              }}
            >
              <label className="cl-field">
                <span>Why is the job cancelled?</span>
                <input className="cl-input" name="cancelReason" autoFocus value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />
              </label>
              <div className="cl-row">
                <button type="submit" className="cl-button cl-button--danger" data-action="confirm-cancel">
                  Cancel job
                </button>
                <button type="button" className="cl-button" onClick={() => setCancelling(false)}>
                  Keep job
                </button>
              </div>
            </form>
          ) : null}
        </section>

        <section className="cl-panel__section">
          <h3>Details</h3>
          <form
            className="cl-form"
            data-form="booking"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            {formError ? (
              <p className="cl-error" role="alert" data-form-error="">
                {formError}
              </p>
            ) : null}
            <label className={fieldClass('title')}>
              <span>Title</span>
              <input className="cl-input" name="title" value={form.title} onChange={(e) => set('title', e.target.value)} />
              {fieldError('title')}
            </label>
            <div className="cl-row">
              <label className={fieldClass('priority')}>
                <span>Priority</span>
                <select className="cl-input" name="priority" value={form.priority} onChange={(e) => set('priority', e.target.value as Priority)}>
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {priorityLabel(p)}
                    </option>
                  ))}
                </select>
                {fieldError('priority')}
              </label>
              <label className={fieldClass('teamSize')}>
                <span>Team size</span>
                <input className="cl-input" name="teamSize" inputMode="numeric" value={form.teamSize} onChange={(e) => set('teamSize', e.target.value)} />
                {fieldError('teamSize')}
              </label>
              <label className={fieldClass('laborHours')}>
                <span>Labor hours</span>
                <input className="cl-input" name="laborHours" inputMode="decimal" value={form.laborHours} onChange={(e) => set('laborHours', e.target.value)} />
                {fieldError('laborHours')}
              </label>
            </div>
            <div className="cl-row">
              <label className={fieldClass('arrivalWindow.start', 'arrivalWindow')}>
                <span>Arrival from</span>
                <input className="cl-input" type="datetime-local" name="arrivalStart" value={form.arrivalStart} onChange={(e) => set('arrivalStart', e.target.value)} />
                {fieldError('arrivalWindow.start', 'arrivalWindow')}
              </label>
              <label className={fieldClass('arrivalWindow.end')}>
                <span>Arrival to</span>
                <input className="cl-input" type="datetime-local" name="arrivalEnd" value={form.arrivalEnd} onChange={(e) => set('arrivalEnd', e.target.value)} />
                {fieldError('arrivalWindow.end')}
              </label>
            </div>
            <label className={fieldClass('notes')}>
              <span>Notes</span>
              <textarea className="cl-input" name="notes" rows={3} value={form.notes} onChange={(e) => set('notes', e.target.value)} />
              {fieldError('notes')}
            </label>
            {series ? <ScopeChoice name="details" value={scope} onChange={setScope} info={series} /> : null}
            <div className="cl-row">
              <button type="submit" className="cl-button cl-button--primary" data-action="save-details" disabled={!dirty}>
                Save details
              </button>
              <button
                type="button"
                className="cl-button"
                disabled={!dirty}
                onClick={() => {
                  setDirty(false);
                  setFieldErrors({});
                  setFormError(null);
                  setForm(formOf(details, zone));
                }}
              >
                Revert
              </button>
            </div>
          </form>
        </section>
        </fieldset>

        <JobNotifications bookingId={booking.id} formatTime={(iso) => fmtDateTime(iso, zone)} />

        <section className="cl-panel__section">
          <h3>History</h3>
          <ol className="cl-history" data-history={details.history.length}>
            {[...details.history].reverse().map((h) => (
              <li key={h.id} data-history-action={h.action}>
                <span className="cl-history__when">{fmtDateTime(h.at, zone)}</span>
                <span className="cl-history__who">{h.by.name}</span>
                <span className="cl-history__what">{h.summary}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </aside>
  );
}
