import { countText } from '../../../../core/format.ts';
import { runCommand } from '../forms/backend.ts';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { dayBoundsMs } from '../../../../core/time.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Timeline, type TimelineHandle } from '../../components/Timeline.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { useNow } from '../../clock.ts';
import { layoutStore, useLayout } from '../../layout.ts';
import { NewBookingForm } from '../bookings/NewBookingForm.tsx';
import { useWorkspaceStatus } from '../first-run/workspace-status.ts';
import { JobPanel } from '../jobs/JobPanel.tsx';
import { RoutePanel } from '../assistant/RoutePanel.tsx';
import { useRouteOrderLink } from '../assistant/route-link.ts';
import { SuggestPanel } from '../assistant/SuggestPanel.tsx';
import { routeSheetsHash } from '../route-sheets/route-sheets-url.ts';
import { useSync } from '../sync/SyncContext.tsx';
import { useBookingMarks } from '../sync/use-booking-marks.ts';
import { usePresenceReport } from '../sync/use-presence-report.ts';
import { actionForKey, actionForMenu, boardAction, runBoardAction, type ActionContext } from './board-actions.ts';
import { inactiveWithBookings } from './board-model.ts';
import { openingPlace } from './board-place.ts';
import { BoardStore, type BoardState } from './board-store.ts';
import { CalendarBridge } from './calendar/calendar-bridge.ts';
import { resourceInputs } from './calendar/event-inputs.ts';
import { BoardHeader, VIEWER_READ_ONLY } from './BoardHeader.tsx';
import { QuickSearch } from './QuickSearch.tsx';
import { SaveDialog } from './SaveDialog.tsx';
import { FillDayPanel } from '../assistant/FillDayPanel.tsx';
import { fmtDate, organizationFormatter, todayIn } from './time-format.ts';
import { fillAction } from './fill-action.ts';
import { UnassignedQueue } from './UnassignedQueue.tsx';
import { LateJobs } from './LateJobs.tsx';
import { useRoster, type Roster } from './use-roster.ts';
import '../../styles/board.css';
import '../../styles/board-load.css';

/**
 * The board screen: a view of `BoardStore` (board-store.ts, read through `useSyncExternalStore`) and the
 * calendar (`CalendarBridge`, the only code that talks to FullCalendar). Keys, the desktop menu and the
 * header's buttons run the same actions (board-actions.ts). `?date=2026-11-24` opens on that date and
 * `?view=week` in the week view (demos, e2e, the board benchmark); "now" is the console's clock.
 */

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
const isControl = (target: EventTarget | null) => target instanceof HTMLElement && target.closest('button, a[href], [role="button"], summary') !== null;

export interface BoardProps {
  /** A booking to bring into view and open (e.g. chosen in the bookings list); changes re-open. */
  openRequest?: { id: string; seq: number } | null;
  /** False while another screen shows: the board stays mounted, hidden (App.tsx), and stands down. */
  visible?: boolean;
}

export function Board({ openRequest = null, visible = true }: BoardProps) {
  const client = useClient();
  const { roster, error } = useRoster(client);
  if (error) return <p className="cl-error cl-screen-error">Could not load the organization: {error}</p>;
  if (!roster) return <p className="cl-muted cl-screen-loading">Loading board…</p>;
  return <BoardScreen roster={roster} openRequest={openRequest} visible={visible} />;
}

export const useBoardState = (store: BoardStore): BoardState => useSyncExternalStore(store.subscribe, store.getState);

function BoardScreen({ roster, openRequest, visible }: { roster: Roster; openRequest: BoardProps['openRequest']; visible: boolean }) {
  const client = useClient();
  const toast = useToast();
  const toastRef = useRef(toast);
  toastRef.current = toast;
  const nowMs = useNow();
  const { settings } = roster;
  const zone = settings.timeZone;
  // The toggle answers at once; the saved setting (roster:changed) then takes over.
  const [autoResizeOverride, setAutoResizeOverride] = useState<boolean | null>(null);
  useEffect(() => setAutoResizeOverride(null), [settings.autoResize]);
  const autoResize = autoResizeOverride ?? settings.autoResize;

  const timeline = useRef<TimelineHandle>(null);
  const queueEl = useRef<HTMLElement>(null);
  // Only the first render's place matters: FullCalendar owns navigation afterwards.
  const [opening] = useState(() => openingPlace(window.location.search, todayIn(zone, nowMs)));
  const [store] = useState(() => {
    const s = new BoardStore(client, roster, {
      notify: (message, kind) => toastRef.current(message, kind),
      openRouteSheets: (date) => {
        window.location.hash = routeSheetsHash({ date });
      },
    });
    s.start(opening); // the first read leaves while the calendar is still being built
    return s;
  });
  const [bridge] = useState(() => new CalendarBridge(store, () => timeline.current, () => queueEl.current, opening.range));
  const state = useBoardState(store);
  const { range, view, queue, queueText, stagedCount, selectedId, panelId, dialog, providerFilter } = state;

  // Before any effect of this commit: a listener must not act in the commit that hides the board.
  useLayoutEffect(() => store.setVisible(visible), [store, visible]);
  useEffect(() => store.connect(), [store]);
  useEffect(() => bridge.connect(), [bridge]);
  useEffect(() => store.setRoster(roster), [store, roster]);
  useRouteOrderLink(store);
  useEffect(() => {
    const timer = setTimeout(() => void store.refreshQueue(), queueText ? 150 : 0);
    return () => clearTimeout(timer);
  }, [store, queueText]);

  const { peers, status: syncStatus } = useSync();
  // A viewer's console shows the schedule and changes nothing; so does a console older than the
  // organization's documents: it must not write a format it does not know.
  const workspace = useWorkspaceStatus();
  const updateRequired = workspace.state === 'unknown' ? null : workspace.updateRequired;
  const readOnly = syncStatus?.user?.role === 'viewer' || updateRequired !== null;
  useLayoutEffect(() => store.setReadOnly(readOnly), [store, readOnly]);
  const layout = useLayout();

  // Other desktops (features/sync): marks for the visible range, and which job this one has open.
  const marksRange = useMemo(() => store.readRange(range) ?? null, [store, range]);
  const marks = useBookingMarks(client, marksRange, peers);
  usePresenceReport(client, panelId);

  const visibleProviders = useMemo(
    () => (providerFilter ? roster.providers.filter((p) => p.id === providerFilter.id) : roster.providers),
    [roster.providers, providerFilter],
  );
  const inactiveInView = useMemo(() => inactiveWithBookings(roster.providers, view?.bookings ?? []).join(), [view, roster.providers]);
  const resources = useMemo(() => resourceInputs(visibleProviders, new Set(inactiveInView.split(',').filter(Boolean))), [visibleProviders, inactiveInView]);

  useLayoutEffect(() => {
    bridge.sync({ view, range, roster, autoResize, nowMs, selectedId, marks, resources });
  }, [bridge, view, range, roster, autoResize, nowMs, selectedId, marks, resources]);

  // Keys and the desktop menu: one table of actions (board-actions.ts).
  const actionContext = (): ActionContext => ({ store, today: todayIn(zone, nowMs) });
  const latestContext = useRef(actionContext);
  latestContext.current = actionContext;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // The suggest panel is modal: the board's keys wait, wherever the focus is in it.
      const blocked = store.getState().dialog !== null || store.getState().assistant !== null || isTyping(e.target);
      const hit = actionForKey(e, blocked, isControl(e.target));
      if (!hit) return;
      if (runBoardAction(hit.action, latestContext.current()) && hit.spec.preventDefault) e.preventDefault();
      else if (hit.spec.everywhere && hit.spec.preventDefault) e.preventDefault(); // Ctrl+S never saves the page
    };
    const onShownKey = store.whileVisible(onKey);
    window.addEventListener('keydown', onShownKey);
    const offMenu = client.on(
      'app:menuInvoked',
      store.whileVisible(({ action: menu }) => {
        const action = actionForMenu(menu);
        if (!action) return;
        // In a text field the menu's Undo means the text, as the native Edit menu would.
        if (action.menuInTextField && isTyping(document.activeElement)) document.execCommand(action.menuInTextField);
        else runBoardAction(action, latestContext.current());
      }),
    );
    return () => {
      window.removeEventListener('keydown', onShownKey);
      offMenu();
    };
  }, [store, client]);
  const run = (id: string) => () => void runBoardAction(boardAction(id), actionContext());

  // A booking chosen elsewhere (bookings list): bring it into view once the calendar exists.
  const handledOpen = useRef<number | null>(null);
  useEffect(() => {
    if (!openRequest || !range || handledOpen.current === openRequest.seq) return;
    handledOpen.current = openRequest.seq;
    void store.jumpTo(openRequest.id);
  });

  const nowRef = useRef(nowMs);
  nowRef.current = nowMs;
  const options = bridge.options({ settings, readOnly, opening, now: () => nowRef.current, resources });

  const setAutoResize = async (on: boolean) => {
    setAutoResizeOverride(on);
    const r = await runCommand(client, 'updateSettings', { autoResize: on });
    if (!r.ok) {
      setAutoResizeOverride(null);
      toast(r.error.message, 'error');
    }
  };

  const sendDayCount = store.sendDayCount();
  // The queue is memoised (500 cards at 10k): its handlers keep their identity across the board's renders.
  const queueHandlers = useMemo(
    () => ({
      onText: (text: string) => store.setQueueText(text),
      onOpen: (id: string) => store.openFromQueue(id),
      onSuggest: (id: string) => store.openAssistant({ kind: 'suggest', bookingId: id }),
    }),
    [store],
  );
  return (
    <div className="cl-board" data-screen="board" data-view-kind={range?.kind ?? ''} data-first-day={range?.firstDay ?? ''}>
      {state.connected ? null : (
        <div className="cl-offline" role="alert" data-offline="">
          Disconnected from the backend: reconnecting… Changes cannot be staged until it is back.
        </div>
      )}
      <BoardHeader
        title={range?.title ?? ''}
        kind={range?.kind ?? 'day'}
        firstDay={range?.firstDay ?? opening.date}
        lastDay={range?.lastDay ?? opening.date}
        stagedCount={stagedCount}
        saving={state.saving}
        readOnly={readOnly}
        readOnlyWhy={updateRequired ?? VIEWER_READ_ONLY}
        autoResize={autoResize}
        providerFilter={providerFilter}
        onDay={run('day-view')}
        onWeek={run('week-view')}
        onWeekLoad={run('week-load-view')}
        onToday={run('today')}
        onPrev={run('prev')}
        onNext={run('next')}
        onRange={(first, last) => store.goRange(first, last)}
        onAutoResize={(on) => void setAutoResize(on)}
        onSave={run('save')}
        onDiscard={run('discard')}
        onUndo={run('undo')}
        onRedo={run('redo')}
        onSendDay={run('send-day')}
        onSearch={run('search')}
        onNewBooking={run('new-booking')}
        onRouteSheets={run('route-sheets')}
        onClearProviderFilter={() => store.setProviderFilter(null)}
      />
      <div className={`cl-board__body${panelId ? ' has-panel' : ''}${layout.queueCollapsed ? ' is-queue-collapsed' : ''}`}>
        <UnassignedQueue
          items={queue}
          text={queueText}
          onText={queueHandlers.onText}
          zone={zone}
          customers={roster.customers}
          services={roster.services}
          selectedId={selectedId}
          readOnly={readOnly}
          collapsed={layout.queueCollapsed}
          onCollapse={collapseQueue}
          onOpen={queueHandlers.onOpen}
          onSuggest={queueHandlers.onSuggest}
          fill={readOnly ? null : fillAction(range, queue, queueText, zone, (day, bookingIds) => store.openAssistant({ kind: 'fill', day, ...(bookingIds ? { bookingIds } : {}) }))}
          rootRef={queueEl}
        />
        <div className="cl-board__timeline">
          {state.firstReadDone ? <Timeline ref={timeline} options={options} /> : <p className="cl-muted cl-screen-loading">Loading board…</p>}
        </div>
        {panelId ? (
          <JobPanel
            key={panelId}
            id={panelId}
            settings={settings}
            providers={roster.providers}
            providersById={roster.providersById}
            nowMs={nowMs}
            readOnly={readOnly}
            onClose={() => store.closePanel()}
            onStage={(id, slot) => store.stage(id, slot)}
            onOrderRoute={(providerId, day) => store.openAssistant({ kind: 'route', providerId, day })}
            onSuggest={(id) => store.openAssistant({ kind: 'suggest', bookingId: id })}
          />
        ) : null}
      </div>
      {state.assistant?.kind === 'route' ? <RoutePanel store={store} providerId={state.assistant.providerId} day={state.assistant.day} roster={roster} /> : null}

      <LateJobs store={store} view={view} roster={roster} readOnly={readOnly} />
      {state.assistant?.kind === 'fill' ? (
        <FillDayPanel day={state.assistant.day} bookingIds={state.assistant.bookingIds} zone={zone} unit={roster.settings.distanceUnit} providers={roster.providersById} onStage={(slots) => store.stageMany(slots)} onClose={() => store.closeAssistant()} />
      ) : null}
      {state.assistant?.kind === 'suggest' ? (
        <SuggestPanel store={store} bookingId={state.assistant.bookingId} day={store.loadDay(todayIn(zone, nowMs))} zone={zone} />
      ) : null}
      {dialog === 'save' ? (
        <SaveDialog
          settings={settings}
          providers={roster.providersById}
          onConfirm={(choice) => void store.confirmSave(choice)}
          onClose={() => store.closeDialog()}
          retry={state.saveRetry}
        />
      ) : null}
      {dialog === 'discard' ? (
        <ConfirmDialog name="discard" title="Discard unsaved changes?" confirmLabel="Discard" danger onConfirm={() => void store.discardAll()} onCancel={() => store.closeDialog()}>
          <p>
            {countText(stagedCount, 'unsaved change')} will be dropped and the board returns to the saved schedule.
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'send-day' && range ? (
        <ConfirmDialog name="send-day" title="Send day to techs" confirmLabel="Send" onConfirm={() => void store.sendDay()} onCancel={() => store.closeDialog()}>
          <p>
            Send {organizationFormatter(zone).count(sendDayCount, 'Scheduled job')} on {fmtDate(dayBoundsMs(range.firstDay, zone)[0] + 12 * 3_600_000, zone)} to their technicians?
            {stagedCount > 0 ? ' Unsaved changes are not sent: save them first.' : ''}
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'new-booking' ? (
        <Dialog name="new-booking" title="New booking" onClose={() => store.closeDialog()}>
          <NewBookingForm
            client={client}
            initialStart={state.newBookingSeed.start}
            initialMinutes={state.newBookingSeed.minutes}
            initialAssignees={state.newBookingSeed.assignees}
            onCancel={() => store.closeDialog()}
            onCreated={({ id, title }) => {
              store.closeDialog();
              toast(`Created ${title}`, 'success');
              void store.jumpTo(id);
            }}
          />
        </Dialog>
      ) : null}
      {dialog === 'search' ? (
        <QuickSearch
          zone={zone}
          onClose={() => store.closeDialog()}
          onBooking={(id) => void store.jumpTo(id)}
          onProvider={(id, name) => store.setProviderFilter({ id, name })}
        />
      ) : null}
    </div>
  );
}

const collapseQueue = (collapsed: boolean) => layoutStore.set({ queueCollapsed: collapsed });
