import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BookingDetails, BookingSeriesInfo } from '../../../../core/api/contract.ts';
import type { Provider, Settings, Slot } from '../../../../core/model.ts';
import { isClosed, STATUS_LABELS } from '../../../../core/status.ts';
import { localDateOf, toMs } from '../../../../core/time.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { isRunningLate } from '../board/board-model.ts';
import { priorityLabel } from '../board/card-html.ts';
import { JobNotifications } from '../notifications/JobNotifications.tsx';
import { JobSyncNotes } from '../sync/JobSyncNotes.tsx';
import { JobWhenForm } from './JobWhenForm.tsx';
import { SeriesSection, type ScopedEditDone, type SeriesScope } from '../recurrence/SeriesSection.tsx';
import { runCommand } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import type { Result } from '../../../../core/result.ts';
import { JobDetailsForm } from './JobDetailsForm.tsx';
import { JobConcurrentMoves, JobConflicts, JobHistory } from './JobRecordSections.tsx';
import { fmtDate, fmtDateTime, fmtTimeRange } from '../board/time-format.ts';
import { Button } from '../../components/Button.tsx';
import { OrderRouteButtons } from '../assistant/OrderRouteButtons.tsx';

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
  /** Opens the route panel for one of the job's technicians on the job's day (the board's assistant). */
  onOrderRoute?: (providerId: string, day: string) => void;
  /** Opens "Suggest a technician" for this job (features/assistant). */
  onSuggest?: (id: string) => void;
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
  onOrderRoute,
  onSuggest,
  onReplaced,
}: JobPanelProps & { onReplaced: (id: string) => void }) {
  const client = useClient();
  const toast = useToast();
  const zone = settings.timeZone;
  const [details, setDetails] = useState<BookingDetails | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [addMember, setAddMember] = useState('');
  /** The series this job is a visit of (null: a one-off job). */
  const [series, setSeries] = useState<BookingSeriesInfo | null>(null);

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
    setActionError(null);
    setCancelling(false);
    setSeries(null);
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
  if (!details || !booking) {
    return (
      <aside className="cl-panel" data-panel="job" aria-label="Job details" aria-busy="true">
        <p className="cl-muted cl-panel__loading">Loading…</p>
      </aside>
    );
  }

  /** Details saved: say which visits changed, and follow a split to the visit now on this date. */
  const detailsSaved = (scope: SeriesScope | null, done: ScopedEditDone) => {
    toast(scope && scope !== 'visit' ? (scope === 'all' ? 'All visits updated' : 'This and following visits updated') : 'Job updated', 'success');
    if (series && scope === 'following') void followSplit(done.created, series.date);
    else void load();
  };

  /** An action button's command, said in a toast, then the job read again. */
  const run = async (command: () => Promise<Result<unknown>>, done: string) => {
    setActionError(null);
    const r = await command();
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

        <JobConflicts conflicts={details.conflicts} />
        {details.concurrentMoves ? <JobConcurrentMoves moves={details.concurrentMoves} zone={zone} /> : null}

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
                  <Button
                    variant="link"
                    disabled={closed}
                    aria-label={`Remove ${p?.name ?? 'provider'}`}
                    data-action="remove-assignee"
                    onClick={() => void stageTeam(assignees.filter((a) => a !== pid))}
                  >
                    Remove
                  </Button>
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
            <Button
              data-action="add-assignee"
              disabled={!addMember || !slot || closed}
              onClick={() => {
                const pid = addMember;
                setAddMember('');
                void stageTeam([...assignees, pid]);
              }}
            >
              Add
            </Button>
          </div>
          {onOrderRoute && slot && !readOnly ? (
            <OrderRouteButtons people={assignees.map((pid) => ({ id: pid, name: providersById.get(pid)?.name ?? 'Unknown provider' }))} day={localDateOf(toMs(slot.start), zone)} onOrder={onOrderRoute} />
          ) : null}
          {onSuggest ? (
            <Button data-action="suggest" disabled={closed || readOnly} title="Every technician ranked for this job, with reasons (S)" onClick={() => onSuggest(id)}>
              {booking.teamSize > 1 ? 'Suggest a crew' : 'Suggest a technician'}
            </Button>
          ) : null}
          <p className="cl-muted cl-small">
            Needs {booking.teamSize} {booking.teamSize === 1 ? 'person' : 'people'} · {booking.laborHours} labor h. Team changes are staged until Save.
          </p>
        </section>

        <section className="cl-panel__section cl-panel__actions">
          <Button
            variant="primary"
            data-action="send-to-tech"
            disabled={!canSend}
            title={canSend ? 'Notify the technician and mark Dispatched' : 'Only a Scheduled job (with a date and a technician) can be sent'}
            onClick={() => void run(() => runCommand(client, 'sendToTech', { id }), 'Sent to tech')}
          >
            <Icon name="send" /> Send to Tech
          </Button>
          <Button
            data-action="unassign"
            disabled={!slot || assignees.length === 0 || closed}
            onClick={() => void stageTeam([])}
          >
            Unassign
          </Button>
          <Button variant="danger" data-action="cancel-job" disabled={closed} onClick={() => setCancelling(true)}>
            Cancel job
          </Button>
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
                void run(() => runCommand(client, 'cancelBooking', { id, reason: cancelReason }), 'Job cancelled').then(async (ok) => {
                  if (!ok) return;
                  setCancelling(false);
                  setCancelReason('');
                });
              }}
            >
              <Field label="Why is the job cancelled?" path="cancelReason">
                {(c) => <input {...c} className="cl-input" autoFocus value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />}
              </Field>
              <div className="cl-row">
                <Button variant="danger" type="submit" data-action="confirm-cancel">
                  Cancel job
                </Button>
                <Button onClick={() => setCancelling(false)}>
                  Keep job
                </Button>
              </div>
            </form>
          ) : null}
        </section>

        <section className="cl-panel__section">
          <h3>Details</h3>
          <JobDetailsForm key={booking.id} details={details} zone={zone} series={series} onSaved={detailsSaved} />
        </section>
        </fieldset>

        <JobNotifications bookingId={booking.id} formatTime={(iso) => fmtDateTime(iso, zone)} />

        <JobHistory history={details.history} zone={zone} />
      </div>
    </aside>
  );
}
