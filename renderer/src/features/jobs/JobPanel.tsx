import { useCallback, useEffect, useState } from 'react';
import type { BookingDetails, BookingSeriesInfo } from '../../../../core/api/contract.ts';
import type { Provider, Settings, Slot } from '../../../../core/model.ts';
import { isClosed } from '../../../../core/status.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { JobNotifications } from '../notifications/JobNotifications.tsx';
import { JobSyncNotes } from '../sync/JobSyncNotes.tsx';
import { JobWhenForm } from './JobWhenForm.tsx';
import { SeriesSection, type ScopedEditDone, type SeriesScope } from '../recurrence/SeriesSection.tsx';
import type { Result } from '../../../../core/result.ts';
import { JobDetailsForm } from './JobDetailsForm.tsx';
import { JobConcurrentMoves, JobConflicts, JobHistory } from './JobRecordSections.tsx';
import { fmtDateTime } from '../board/time-format.ts';
import { JobActionsSection } from './JobActionsSection.tsx';
import { JobSummarySection } from './JobSummarySection.tsx';
import { JobTeamSection } from './JobTeamSection.tsx';

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

  const canSend = booking.status === 'scheduled';

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
        <JobSummarySection details={details} zone={zone} nowMs={nowMs} />

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

        <JobTeamSection
          // Per job: a pick half made for one job is not offered for the next. Keys unique among siblings.
          key={`team:${booking.id}`}
          booking={booking}
          providers={providers}
          providersById={providersById}
          zone={zone}
          closed={closed}
          readOnly={readOnly}
          onStageTeam={(next) => void stageTeam(next)}
          onOrderRoute={onOrderRoute}
          onSuggest={onSuggest}
        />

        <JobActionsSection
          key={`actions:${booking.id}`}
          id={id}
          canSend={canSend}
          canUnassign={!!slot && assignees.length > 0 && !closed}
          closed={closed}
          actionError={actionError}
          run={run}
          onUnassign={() => void stageTeam([])}
        />

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
