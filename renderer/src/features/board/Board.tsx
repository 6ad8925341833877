import { useWorkspaceStatus } from '../first-run/workspace-status.ts';
import type {
  Calendar,
  CalendarOptions,
  DateSelectInfo,
  DatesSetInfo,
  EventClickInfo,
  EventDisplayInfo,
  EventDragStopInfo,
  EventDropInfo,
  EventInput,
  EventReceiveInfo,
  EventResizeDoneInfo,
} from 'fullcalendar';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { BoardBooking, BoardDelta, BoardView, CardBooking } from '../../../../core/api/contract.ts';
import type { ConsoleClient } from '../../api/types.ts';
import type { Conflict } from '../../../../core/conflicts.ts';
import type { Slot } from '../../../../core/model.ts';
import type { MenuAction } from '../../../../core/api/names.ts';
/** The board re-reads at most this span at once: the contract's range schema refuses more. */
import { MAX_RANGE_DAYS } from '../../../../core/api/range-limit.ts';
import { addDays, dayBoundsMs, localDateOf, toMs, weekdayOf, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Timeline, type TimelineHandle } from '../../components/Timeline.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { JobPanel } from '../jobs/JobPanel.tsx';
import { NewBookingForm } from '../bookings/NewBookingForm.tsx';
import { runCommand } from '../forms/backend.ts';
import {
  bookingEventInput,
  loadsOn,
  movedSlot,
  CalendarSync,
  isRunningLate,
  resourceInputs,
  syncLoads,
  timeOffEventInputs,
  type BoardContext,
} from './board-model.ts';
import { cardClassNames, cardHtml, pendingCardHtml } from './card-html.ts';
import { BoardHeader, VIEWER_READ_ONLY, type BoardViewKind } from './BoardHeader.tsx';
import { QuickSearch } from './QuickSearch.tsx';
import { SaveDialog, type SaveChoice, type SaveRetry } from './SaveDialog.tsx';
import { fmtDate, isoOf, todayIn } from './time-format.ts';
import { routeSheetsHash } from '../route-sheets/route-sheets-url.ts';
import { UnassignedQueue } from './UnassignedQueue.tsx';
import { useSync } from '../sync/SyncContext.tsx';
import { useBookingMarks, type BookingMark } from '../sync/use-booking-marks.ts';
import { usePresenceReport } from '../sync/use-presence-report.ts';
import { useRoster, type Roster } from './use-roster.ts';
import { RenderHold } from './render-hold.ts';
import { boardCalendarOptions } from './calendar-options.ts';
import { useNow } from '../../clock.ts';
import { layoutStore, useLayout } from '../../layout.ts';
import { openingPlace, rememberBoardPlace, type BoardViewType } from './board-place.ts';
import '../../styles/board.css';

/** A first fill with more bookings than this goes into the calendar in two steps (first rows first). */
const PROGRESSIVE_FROM = 1500;
/**
 * The rows that can be on screen when the board opens: a row is at least one card tall (52 px), and
 * FullCalendar's cost for the first paint grows with every event it holds, not with what it shows.
 */
const firstRowCount = () => Math.ceil(window.innerHeight / 48) + 2;


interface VisibleRange {
  kind: BoardViewKind;
  title: string;
  firstDay: LocalDate;
  lastDay: LocalDate;
}

interface CachedInput {
  b: CardBooking;
  c: Conflict[] | undefined;
  selected: boolean;
  late: boolean;
  mark: BookingMark | undefined;
  input: EventInput | null;
}

/** One staged board edit, so Ctrl+Z can step back through staged edits before committed history. */
interface StagedStep {
  id: string;
  /** The staged slot before this edit; `undefined` when the booking had no staged edit (discard restores it). */
  before: Slot | null | undefined;
  after: Slot | null;
}

// `?date=2026-11-24` opens on that date and `?view=week` in the week view: for demos, screenshots,
// end-to-end tests and the board benchmark. "Now" is the console's clock (renderer/src/clock.ts).

const kindOf = (viewType: string): BoardViewKind =>
  viewType === 'resourceTimelineDay' ? 'day' : viewType === 'resourceTimelineWeek' ? 'week' : 'range';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
const isControl = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest('button, a[href], [role="button"], summary') !== null;

export interface BoardProps {
  /** A booking to bring into view and open (e.g. chosen in the bookings list); changes re-open. */
  openRequest?: { id: string; seq: number } | null;
}

/** What a new booking starts from: a range dragged out on a technician's row, or nothing (button, N, menu). */
interface NewBookingSeed {
  start?: string;
  minutes?: number;
  assignees?: string[];
}

export function Board({ openRequest = null }: BoardProps) {
  const client = useClient();
  const { roster, error } = useRoster(client);
  if (error) return <p className="cl-error cl-screen-error">Could not load the organization: {error}</p>;
  if (!roster) return <p className="cl-muted cl-screen-loading">Loading board…</p>;
  return <BoardScreen roster={roster} openRequest={openRequest} />;
}

function BoardScreen({ roster, openRequest }: { roster: Roster; openRequest: BoardProps['openRequest'] }) {
  const client = useClient();
  const toast = useToast();
  const nowMs = useNow();
  const { settings } = roster;
  const zone = settings.timeZone;
  // The toggle answers at once; the saved setting (roster:changed) then takes over.
  const [autoResizeOverride, setAutoResizeOverride] = useState<boolean | null>(null);
  useEffect(() => setAutoResizeOverride(null), [settings.autoResize]);
  const autoResize = autoResizeOverride ?? settings.autoResize;

  const timeline = useRef<TimelineHandle>(null);
  const queueEl = useRef<HTMLElement>(null);
  const queueRect = useRef<DOMRect | null>(null);
  /** A card the calendar is dragging or resizing: its release holds the calendar's rendering (`RenderHold`). */
  const cardGesture = useRef(false);
  const renderHold = useRef(new RenderHold());
  const [range, setRange] = useState<VisibleRange | null>(null);
  const [view, setView] = useState<BoardView | null>(null);
  const [queue, setQueue] = useState<BoardBooking[]>([]);
  const [queueText, setQueueText] = useState('');
  const [stagedCount, setStagedCount] = useState(0);
  const [saving, setSaving] = useState(false);
  const [saveRetry, setSaveRetry] = useState<SaveRetry | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [panelId, setPanelId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'save' | 'discard' | 'search' | 'send-day' | 'new-booking' | null>(null);
  const [providerFilter, setProviderFilter] = useState<{ id: string; name: string } | null>(null);
  const [newBookingSeed, setNewBookingSeed] = useState<NewBookingSeed>({});
  const selectedRow = useRef<string | null>(null);
  const prefetchStarted = useRef(false);
  const undoStack = useRef<StagedStep[]>([]);
  const redoStack = useRef<StagedStep[]>([]);

  // Only the first render's place matters: FullCalendar owns navigation afterwards.
  const opening = useMemo(() => openingPlace(window.location.search, todayIn(zone, nowMs)), []);
  const initialDate = opening.date;
  /** A range the board was left on: widened again once the calendar shows its first day. */
  const reopenRange = useRef(opening.range);

  /**
   * The first read of the board starts now, while the calendar is still being built: the range the
   * calendar will show is known from the opening date and view (a week starts on Monday, `firstDay: 1`).
   * The first `refreshBoard` for that range takes this answer unless an event said the board changed.
   */
  const prefetch = useRef<{ from: string; to: string; stale: boolean; answer: ReturnType<typeof client.request<'board:getRange'>> } | null>(null);
  if (prefetch.current === null && !prefetchStarted.current) {
    prefetchStarted.current = true;
    const week = opening.view === 'resourceTimelineWeek';
    const first = week ? addDays(initialDate, -WEEKDAYS.indexOf(weekdayOf(initialDate))) : initialDate;
    const last = week ? addDays(first, 6) : initialDate;
    const from = isoOf(dayBoundsMs(first, zone)[0]);
    const to = isoOf(dayBoundsMs(last, zone)[1]);
    prefetch.current = { from, to, stale: false, answer: client.request('board:getRange', { from, to }) };
  }

  const { peers, status: syncStatus } = useSync();
  // A viewer's console shows the schedule and changes nothing: no drag, no edit controls, a badge saying so.
  // So does a console older than the organization's documents: it must not write a format it does not know.
  const workspace = useWorkspaceStatus();
  const updateRequired = workspace.state === 'unknown' ? null : workspace.updateRequired;
  const readOnly = syncStatus?.user?.role === 'viewer' || updateRequired !== null;
  const layout = useLayout();
  // Latest state for callbacks that FullCalendar and the keyboard call later.
  const latest = useRef({ roster, range, view, queue, queueText, selectedId, panelId, stagedCount, nowMs, dialog, autoResize, readOnly });
  latest.current = { roster, range, view, queue, queueText, selectedId, panelId, stagedCount, nowMs, dialog, autoResize, readOnly };

  // ---------------------------------------------------------------------------------------------
  // Reading: the visible range (full local days) and the queue; events only invalidate (DESIGN §6).

  /** The range the board reads (full local days): what `board:getRange` and the edit deltas cover. */
  const readRange = useCallback((r: VisibleRange) => {
    const z = latest.current.roster.settings.timeZone;
    return { from: isoOf(dayBoundsMs(r.firstDay, z)[0]), to: isoOf(dayBoundsMs(r.lastDay, z)[1]) };
  }, []);

  // Other desktops (features/sync): marks for the visible range, and which job this one has open.
  const marksRange = useMemo(() => (range ? readRange(range) : null), [range, readRange]);
  const marks = useBookingMarks(client, marksRange, peers);
  usePresenceReport(client, panelId);

  // The board's data also lives in a ref, so deltas arriving back to back build on each other.
  const viewRef = useRef<BoardView | null>(null);
  /** What the next calendar sync may apply alone: the bookings one delta replaced, on top of `base`. */
  const pendingDelta = useRef<{ base: BoardView; view: BoardView; delta: BoardDelta; rows: Set<string>; applied: boolean } | null>(null);
  const commitView = useCallback((next: BoardView) => {
    viewRef.current = next;
    setView(next);
    setStagedCount(next.stagedCount);
  }, []);

  /**
   * The calendar is built once the first read has answered: built earlier, it renders and measures an
   * empty timeline and then everything again with the cards (two layouts and ResizeObserver passes, most
   * of a first paint; bench/board-bench.ts), while the read it waited for is only a few ms away.
   */
  const [firstReadDone, setFirstReadDone] = useState(false);
  useEffect(() => {
    let live = true;
    const early = prefetch.current;
    void early?.answer.then((result) => {
      if (!live) return;
      // The calendar's first render then already holds the cards: it syncs in the commit that builds it.
      // (`refreshBoard` for the calendar's range takes the same answer again: an unchanged view.)
      if (result.ok && !early.stale) commitView(result.value);
      setFirstReadDone(true);
    });
    return () => {
      live = false;
    };
  }, [commitView]);

  const boardSeq = useRef(0);
  const readsInFlight = useRef(0);
  const refreshBoard = useCallback(async () => {
    const r = latest.current.range;
    if (!r) return;
    const seq = ++boardSeq.current;
    readsInFlight.current++;
    const wanted = readRange(r);
    const early = prefetch.current;
    prefetch.current = null;
    let result;
    try {
      result =
        early && !early.stale && early.from === wanted.from && early.to === wanted.to
          ? await early.answer
          : await client.request('board:getRange', wanted);
    } finally {
      readsInFlight.current--;
    }
    if (seq !== boardSeq.current) return; // a newer read is on its way
    if (!result.ok) {
      toast(result.error.message, 'error');
      return;
    }
    pendingDelta.current = null;
    commitView(result.value);
  }, [client, toast, readRange, commitView]);

  const queueSeq = useRef(0);
  const refreshQueue = useCallback(async () => {
    const seq = ++queueSeq.current;
    const text = latest.current.queueText.trim();
    const result = await client.request('queue:list', text ? { text } : {});
    if (seq !== queueSeq.current) return;
    if (result.ok) setQueue(result.value);
  }, [client]);

  // One read at a time: an invalidation arriving while a read is on its way asks for exactly one more.
  const inFlight = useRef(false);
  const dirty = useRef(false);
  const lastRefreshAt = useRef(0);
  const refresh = useCallback(() => {
    if (inFlight.current) {
      dirty.current = true;
      return;
    }
    inFlight.current = true;
    lastRefreshAt.current = performance.now();
    void Promise.all([refreshBoard(), refreshQueue()]).finally(() => {
      inFlight.current = false;
      if (dirty.current) {
        dirty.current = false;
        refresh();
      }
    });
  }, [refreshBoard, refreshQueue]);
  /**
   * After our own edit the backend's `draft:changed` / `schedule:changed` event triggers the re-read; this
   * is only a fallback in case that event never comes (e.g. a dropped connection).
   */
  const refreshSoon = useCallback(() => {
    const asked = performance.now();
    setTimeout(() => {
      if (lastRefreshAt.current < asked) refresh();
    }, 400);
  }, [refresh]);

  /** Own Save on its way, and the bookings `schedule:changed` named meanwhile. */
  const savesInFlight = useRef(0);
  const changedDuringSave = useRef(new Set<string>());
  /** Own `draft:stage` requests on their way: their `draft:changed` is answered by a window re-read. */
  const stagesInFlight = useRef(0);

  useEffect(() => {
    void refreshBoard();
  }, [refreshBoard, range?.firstDay, range?.lastDay, roster]);

  // The release comes before FullCalendar's drop handling (which runs in a later task), so the capture
  // listener can hold the calendar's rendering across all of it and our answer (`RenderHold`). A job
  // dragged from the queue is FullCalendar's external drag, which has no start hook: a press on a queue
  // card that moves before its release counts as one.
  useEffect(() => {
    const hold = renderHold.current;
    let queuePress: { x: number; y: number } | null = null;
    const onPress = (e: PointerEvent) => {
      queuePress = e.target instanceof Element && e.target.closest('.cl-queue-card') ? { x: e.clientX, y: e.clientY } : null;
    };
    const onRelease = (e: PointerEvent) => {
      const fromQueue = queuePress !== null && Math.hypot(e.clientX - queuePress.x, e.clientY - queuePress.y) > 3;
      queuePress = null;
      const api = timeline.current?.api;
      if (api && (cardGesture.current || fromQueue)) hold.begin(api);
    };
    window.addEventListener('pointerdown', onPress, { capture: true });
    window.addEventListener('pointerup', onRelease, { capture: true });
    return () => {
      window.removeEventListener('pointerdown', onPress, { capture: true });
      window.removeEventListener('pointerup', onRelease, { capture: true });
      hold.release();
    };
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void refreshQueue(), queueText ? 150 : 0);
    return () => clearTimeout(timer);
  }, [refreshQueue, queueText, roster]);

  const [connected, setConnected] = useState(true);
  useEffect(() => {
    const offs = [
      client.on('schedule:changed', (p) => {
        if (prefetch.current) prefetch.current.stale = true;
        if (savesInFlight.current > 0) for (const id of p.ids) changedDuringSave.current.add(id);
        else refresh();
      }),
      client.on('draft:changed', (p) => {
        if (prefetch.current) prefetch.current.stale = true;
        setStagedCount(p.stagedCount);
        if (stagesInFlight.current === 0 && savesInFlight.current === 0) refresh();
      }),
    ];
    const withConnection = client as Partial<Pick<ConsoleClient, 'onConnectionChange'>>;
    if (withConnection.onConnectionChange) {
      offs.push(
        withConnection.onConnectionChange((up) => {
          setConnected(up);
          if (up) refresh(); // re-query what is visible after a reconnect
        }),
      );
    }
    return () => offs.forEach((off) => off());
  }, [client, refresh]);

  // ---------------------------------------------------------------------------------------------
  // Rows and cards into the calendar, touching single events only.

  const visibleProviders = useMemo(
    () => (providerFilter ? roster.providers.filter((p) => p.id === providerFilter.id) : roster.providers),
    [roster.providers, providerFilter],
  );
  const inactiveInView = useMemo(() => {
    const used = new Set((view?.bookings ?? []).flatMap((b) => b.slot?.assignees ?? []));
    return roster.providers.filter((p) => !p.active && used.has(p.id)).map((p) => p.id).join();
  }, [view, roster.providers]);
  const resources = useMemo(
    () => resourceInputs(visibleProviders, new Set(inactiveInView.split(',').filter(Boolean))),
    [visibleProviders, inactiveInView],
  );

  const loadDay = useCallback((r: VisibleRange | null): LocalDate => {
    if (!r) return todayIn(zone, nowMs);
    if (r.kind === 'day') return r.firstDay;
    const today = todayIn(zone, nowMs);
    return today >= r.firstDay && today <= r.lastDay ? today : r.firstDay;
  }, [zone, nowMs]);

  // Event inputs per booking, reused while the booking object (and what the card shows) is unchanged:
  // a window re-read keeps the other ~10k bookings' objects, so only the re-read ones are rebuilt.
  const inputCache = useRef<{ key: unknown[]; entries: Map<string, CachedInput> }>({ key: [], entries: new Map() });
  const calendarSync = useRef(new CalendarSync(() => timeline.current?.el ?? null));

  /** What the last sync used to build cards and row loads, for an edit applied straight from its answer. */
  const calendarCtx = useRef<{ ctx: BoardContext; day: LocalDate; prefix: string } | null>(null);

  /** One edit into the calendar: the events of the bookings the delta names, and the touched rows' loads. */
  const applyToCalendar = (api: Calendar, ctx: BoardContext, delta: BoardDelta, rows: ReadonlySet<string>, day: LocalDate, prefix: string) => {
    const cache = inputCache.current.entries;
    const changed: EventInput[] = [];
    const removed: string[] = [];
    for (const b of delta.bookings) {
      const c = delta.conflicts[b.id];
      const selected = b.id === ctx.selectedId;
      const late = isRunningLate(b, ctx.nowMs);
      const entry: CachedInput = { b, c, selected, late, mark: ctx.marks?.get(b.id), input: bookingEventInput(b, c, ctx) };
      cache.set(b.id, entry);
      if (entry.input) changed.push(entry.input);
      else removed.push(b.id);
    }
    for (const id of delta.gone) {
      cache.delete(id);
      removed.push(id);
    }
    const onRows = delta.bookings.filter((b) => b.slot?.assignees.some((a) => rows.has(a)));
    // One calendar render for the events and the row labels (each batch is a render of the whole timeline).
    api.batchRendering(() => {
      calendarSync.current.apply(api, changed, removed);
      syncLoads(api, loadsOn(day, onRows, ctx), day, prefix, rows);
    });
  };

  /** What the calendar was last synced with: a delta on top of exactly that view may be applied alone. */
  const synced = useRef<unknown[]>([]);
  const [filledAll, setFilledAll] = useState(false);
  const deltaBase = useRef<BoardView | null>(null);

  useLayoutEffect(() => {
    const api = timeline.current?.api;
    const delta = pendingDelta.current;
    pendingDelta.current = null;
    if (!api || !view || !range) return;
    const ctx: BoardContext = {
      zone,
      autoResize,
      nowMs,
      customers: roster.customers,
      services: roster.services,
      selectedId,
      marks,
    };
    const key = [zone, autoResize, roster];
    if (key.some((k, i) => k !== inputCache.current.key[i])) inputCache.current = { key, entries: new Map() };
    const cache = inputCache.current.entries;
    const entryOf = (b: CardBooking): CachedInput => {
      const c = view.conflicts[b.id];
      const selected = b.id === selectedId;
      const late = isRunningLate(b, nowMs);
      const mark = marks.get(b.id);
      const entry = cache.get(b.id);
      if (entry && entry.b === b && entry.c === c && entry.selected === selected && entry.late === late && entry.mark === mark) return entry;
      return { b, c, selected, late, mark, input: bookingEventInput(b, c, ctx) };
    };
    const day = loadDay(range);
    const prefix = range.kind === 'day' ? '' : day === todayIn(zone, nowMs) ? 'Today: ' : `${fmtDate(dayBoundsMs(day, zone)[0] + 12 * 3_600_000, zone)}: `;
    calendarCtx.current = { ctx, day, prefix };
    const deps = [api, range, roster, autoResize, zone, nowMs, selectedId, resources, loadDay, visibleProviders, filledAll, marks];
    const sameDeps = deps.every((d, i) => d === synced.current[i]);
    synced.current = deps;

    if (delta && delta.view === view && sameDeps && (delta.applied || deltaBase.current === delta.base)) {
      // One edit: only the bookings the delta names, their events, and the load of the rows it touched
      // (usually done already, straight from the answer: `applyDelta`).
      if (!delta.applied) applyToCalendar(api, ctx, delta.delta, delta.rows, day, prefix);
      deltaBase.current = view;
      return;
    }

    // First fill of a large board: the first rows (all a person sees before scrolling) go in before the
    // first paint; the rest a frame later (`filledAll`). FullCalendar's cost grows with every event it
    // holds (~300 ms for a week of 200 × 10k), not with what it shows.
    const progressive = !filledAll && calendarSync.current.isEmpty(api) && view.bookings.length > PROGRESSIVE_FROM;
    let bookings = view.bookings;
    if (progressive) {
      const firstRows = new Set(resources.slice(0, firstRowCount()).map((r) => String(r.id)));
      bookings = bookings.filter((b) => b.slot?.assignees.some((a) => firstRows.has(a)));
      afterFrames(3, () => setFilledAll(true)); // once the calendar has measured and painted its rows
    }
    const seen = new Map<string, CachedInput>();
    const inputs: EventInput[] = [];
    for (const b of bookings) {
      const entry = entryOf(b);
      seen.set(b.id, entry);
      if (entry.input) inputs.push(entry.input);
    }
    inputCache.current.entries = seen;
    const [from] = dayBoundsMs(range.firstDay, zone);
    const [, to] = dayBoundsMs(range.lastDay, zone);
    inputs.push(...timeOffEventInputs(roster.providers, from, to));
    api.batchRendering(() => {
      calendarSync.current.sync(api, inputs);
      syncLoads(api, loadsOn(day, view.bookings, ctx), day, prefix);
    });
    deltaBase.current = view;
  }, [view, range, roster, autoResize, zone, nowMs, selectedId, resources, loadDay, visibleProviders, filledAll, marks]);

  // ---------------------------------------------------------------------------------------------
  // Staging board edits (never committed until Save).

  const currentStaged = (id: string): Slot | null | undefined => {
    const b = latest.current.view?.bookings.find((x) => x.id === id) ?? latest.current.queue.find((x) => x.id === id);
    return b?.staged ? b.slot : undefined;
  };

  /**
   * An edit's answer carries what changed on the board (`BoardDelta`): apply it to the bookings it names
   * and to their calendar events alone. A delta for a range the board no longer shows is dropped for a
   * fresh read, and so is one that raced a full read of the board.
   */
  const applyDelta = useCallback(
    (delta: BoardDelta, edited: readonly string[], rowsBefore: Iterable<string>) => {
      const base = viewRef.current;
      const r = latest.current.range;
      const readAlready = readsInFlight.current > 0;
      if (!base || !r) return;
      const expected = readRange(r);
      if (toMs(expected.from) !== toMs(delta.from) || toMs(expected.to) !== toMs(delta.to)) {
        refresh();
        return;
      }
      ++boardSeq.current; // a full read started before this edit would bring back the old board
      const ids = new Set([...delta.bookings.map((b) => b.id), ...delta.gone]);
      const conflicts = { ...base.conflicts };
      for (const id of ids) delete conflicts[id];
      Object.assign(conflicts, delta.conflicts);
      const next: BoardView = { bookings: [...base.bookings.filter((b) => !ids.has(b.id)), ...delta.bookings], conflicts, stagedCount: delta.stagedCount };
      // Loads change on the rows the edited bookings left or joined.
      const rows = new Set(rowsBefore);
      for (const b of delta.bookings) if (edited.includes(b.id)) for (const a of b.slot?.assignees ?? []) rows.add(a);
      // Straight into the calendar, in this task: the card repaints without waiting for React to render
      // the board; the render that follows only records the new data (the layout effect sees `applied`).
      const api = timeline.current?.api;
      const cal = calendarCtx.current;
      const direct = !!api && !!cal && deltaBase.current === base && pendingDelta.current === null;
      if (direct) {
        applyToCalendar(api, cal.ctx, delta, rows, cal.day, cal.prefix);
        deltaBase.current = next;
      }
      pendingDelta.current = { base, view: next, delta, rows, applied: direct };
      commitView(next);
      if (readAlready) refresh(); // that read was dropped: read again after this edit
    },
    [readRange, commitView, refresh],
  );

  /** Queue membership changes only when a job leaves or joins "nobody assigned". */
  const touchesQueue = (before: Slot | null, after: Slot | null) => !before?.assignees.length || !after?.assignees.length;

  const stage = useCallback(
    async (id: string, slot: Slot | null, revert?: () => void): Promise<boolean> => {
      const before = currentStaged(id);
      const oldSlot = slotOf(id);
      const r = latest.current.range;
      stagesInFlight.current++;
      let result;
      try {
        result = await client.request('draft:stage', r ? { id, slot, view: readRange(r) } : { id, slot });
      } finally {
        stagesInFlight.current--;
      }
      if (!result.ok) {
        revert?.();
        toast(result.error.message, 'error');
        return false;
      }
      undoStack.current.push({ id, before, after: slot });
      redoStack.current = [];
      setStagedCount(result.value.stagedCount);
      if (result.value.view) applyDelta(result.value.view, [id], oldSlot?.assignees ?? []);
      else refresh();
      if (touchesQueue(oldSlot, slot)) void refreshQueue();
      return true;
    },
    // currentStaged and slotOf read refs only.
    [client, toast, applyDelta, refreshQueue, readRange],
  );

  const slotOf = (id: string): Slot | null => {
    const b = latest.current.view?.bookings.find((x) => x.id === id) ?? latest.current.queue.find((x) => x.id === id);
    return b?.slot ?? null;
  };

  const unassign = (id: string): Promise<boolean> | undefined => {
    if (latest.current.readOnly) return;
    const slot = slotOf(id);
    if (!slot || slot.assignees.length === 0) {
      toast('This job has nobody assigned', 'info');
      return;
    }
    return stage(id, { ...slot, assignees: [] });
  };

  /**
   * Ctrl+Z: while this session has staged board edits, step back through them (the slot staged before, or
   * the saved one); with none left, undo the last committed action (`history:undo`, e.g. a whole Save).
   * Ctrl+Shift+Z / Ctrl+Y mirror it. The staged-edit stack lives in this window only (not across reloads).
   */
  /** Undo/redo of one staged edit: back to the slot staged before (or the saved one), with its delta. */
  const restage = async (id: string, slot: Slot | null | undefined): Promise<boolean> => {
    const oldSlot = slotOf(id);
    const r = latest.current.range;
    const view = r ? readRange(r) : undefined;
    stagesInFlight.current++;
    let result;
    try {
      result = slot === undefined ? await client.request('draft:discard', { id, view }) : await client.request('draft:stage', { id, slot, view });
    } finally {
      stagesInFlight.current--;
    }
    if (!result.ok) {
      toast(result.error.message, 'error');
      return false;
    }
    setStagedCount(result.value.stagedCount);
    if (result.value.view) {
      applyDelta(result.value.view, [id], oldSlot?.assignees ?? []);
      const now = result.value.view.bookings.find((b) => b.id === id)?.slot ?? null;
      if (touchesQueue(oldSlot, now) || result.value.view.gone.includes(id)) void refreshQueue();
    } else refresh();
    return true;
  };

  const undo = async () => {
    if (latest.current.readOnly) return;
    const step = undoStack.current.pop();
    if (step) {
      if (!(await restage(step.id, step.before))) return;
      redoStack.current.push(step);
      toast('Undid a board edit', 'info');
      return;
    }
    const r = await client.request('history:undo', {});
    if (!r.ok) toast(r.error.message, 'error');
    else if (r.value.staged > 0) {
      // What was saved may have been sent to people: taking it back is a change they are told of on Save.
      toast(`The last Save is staged back (${r.value.staged} ${r.value.staged === 1 ? 'job' : 'jobs'}): Save to apply it and choose who is told`, 'info');
    } else toast(r.value.done ? 'Undone' : 'Nothing to undo', 'info');
    refreshSoon();
  };

  const redo = async () => {
    if (latest.current.readOnly) return;
    const step = redoStack.current.pop();
    if (step) {
      if (!(await restage(step.id, step.after))) return;
      undoStack.current.push(step);
      toast('Redid a board edit', 'info');
      return;
    }
    const r = await client.request('history:redo', {});
    if (!r.ok) toast(r.error.message, 'error');
    else toast(r.value.done ? 'Redone' : 'Nothing to redo', 'info');
    refreshSoon();
  };

  /**
   * Save, through the Save dialog: the answer carries the saved bookings as they now are. The store's
   * `schedule:changed` for our own Save arrives before that answer; it needs no re-read unless it names a
   * booking the answer does not cover (another client's change in the same moment).
   */
  const saveDraft = async (choice: SaveChoice) => {
    const r = latest.current.range;
    savesInFlight.current++;
    let result;
    try {
      result = await client.request('draft:save', r ? { ...choice, view: readRange(r) } : choice);
    } finally {
      savesInFlight.current--;
    }
    const heard = changedDuringSave.current;
    changedDuringSave.current = new Set();
    if (result.ok && result.value.view) {
      const d = result.value.view;
      const covered = new Set([...d.bookings.map((b) => b.id), ...d.gone]);
      applyDelta(d, [], []);
      if ([...heard].some((id) => !covered.has(id))) refresh();
    } else if (heard.size > 0 || result.ok) refresh();
    return result;
  };

  /** The Save dialog's confirm: it closes at once; a refused Save brings it back with the reason. */
  const confirmSave = async (choice: SaveChoice) => {
    setDialog(null);
    setSaveRetry(null);
    setSaving(true);
    let result;
    try {
      result = await saveDraft(choice);
    } finally {
      setSaving(false);
    }
    if (!result.ok) {
      setSaveRetry({ error: result.error.message, choice });
      setDialog('save');
      return;
    }
    undoStack.current = [];
    redoStack.current = [];
    const saved = result.value.saved;
    toast(`Saved ${saved} ${saved === 1 ? 'change' : 'changes'}`, 'success');
  };

  /** Ctrl+S, the menu and the header's Save: not while a Save is under way (its edits are still staged). */
  const openSave = () => {
    if (latest.current.readOnly) return;
    if (savesInFlight.current > 0) toast('Saving…', 'info');
    else if (latest.current.stagedCount > 0) setDialog('save');
    else toast('No unsaved changes', 'info');
  };

  const discardAll = async () => {
    setDialog(null);
    const r = await client.request('draft:discard', {});
    if (!r.ok) {
      toast(r.error.message, 'error');
      return;
    }
    undoStack.current = [];
    redoStack.current = [];
    setStagedCount(r.value.stagedCount);
    toast('Changes discarded', 'info');
    refreshSoon();
  };

  const select = (id: string | null, row?: string | null) => {
    setSelectedId(id);
    selectedRow.current = row ?? null;
  };

  /**
   * Brings a job's card on screen. Its row may be far below the fold, where FullCalendar's virtualization
   * has not mounted it (so there is no card to scroll to), and a jump may change the date first (the card
   * exists only once that range is read and synced): each frame, scroll to the card if it exists, else,
   * once the board's data holds the job, ask the calendar to scroll its row into view. Gives up after 3 s,
   * and as soon as another reveal starts.
   */
  const reveal = useRef<{ asks: number; until: number } | null>(null);
  const revealCard = (id: string, row: string | null) => {
    const r = { asks: 0, until: performance.now() + 3000 };
    reveal.current = r;
    const step = () => {
      if (reveal.current !== r) return; // another reveal started (even of the same card)
      if (scrollToCard(id) || performance.now() > r.until) {
        reveal.current = null;
        return;
      }
      const calendar = timeline.current?.api;
      // Asked again each frame: the first answer scrolls to where the calendar estimates the row (rows it
      // has not rendered have an estimated height); rendering the rows there corrects the estimate, and
      // the next answer lands on the row (3 frames in the keyboard spec's 200-row board).
      if (row && r.asks < 10 && calendar && latest.current.view?.bookings.some((b) => b.id === id)) {
        r.asks++;
        scrollToRow(calendar, row);
      }
      requestAnimationFrame(step);
    };
    step();
  };
  const openFromQueue = useCallback((id: string) => {
    setSelectedId(id);
    selectedRow.current = null;
    setPanelId(id);
  }, []);

  // ---------------------------------------------------------------------------------------------
  // Navigation.

  const api = () => timeline.current?.api ?? null;
  const goDay = () => api()?.changeView('resourceTimelineDay');
  const goWeek = () => api()?.changeView('resourceTimelineWeek');
  const goToday = () => api()?.gotoDate(todayIn(zone, nowMs));
  const goRange = (first: string, last: string) => {
    if (first === last) {
      api()?.changeView('resourceTimelineDay', first);
      return;
    }
    let end = last;
    if (addDays(first, MAX_RANGE_DAYS - 1) < last) {
      end = addDays(first, MAX_RANGE_DAYS - 1);
      toast(`Showing ${MAX_RANGE_DAYS} days at most`, 'info');
    }
    api()?.changeView('resourceTimelineRange', { start: first, end: addDays(end, 1) });
  };

  const jumpToBooking = async (id: string) => {
    setDialog(null);
    const r = await client.request('bookings:get', { id });
    if (!r.ok) {
      toast(r.error.message, 'error');
      return;
    }
    const slot = r.value.booking.slot;
    if (slot) {
      const date = localDateOf(toMs(slot.start), zone);
      const calendar = api();
      if (calendar && latest.current.range?.kind === 'range') calendar.changeView('resourceTimelineDay', date);
      else calendar?.gotoDate(date);
      if (slot.assignees.length && providerFilter && !slot.assignees.includes(providerFilter.id)) setProviderFilter(null);
    }
    select(id, slot?.assignees[0] ?? null);
    setPanelId(id);
    revealCard(id, slot?.assignees[0] ?? null);
  };

  // ---------------------------------------------------------------------------------------------
  // Keyboard (DESIGN/issue: keyboard-first).

  const moveSelection = (dir: 'left' | 'right' | 'up' | 'down') => {
    const v = latest.current.view;
    if (!v) return;
    const rowOrder = visibleProviders.map((p) => p.id);
    const byRow = new Map<string, CardBooking[]>(rowOrder.map((id) => [id, []]));
    for (const b of v.bookings) {
      if (!b.slot || b.status === 'cancelled') continue;
      for (const a of b.slot.assignees) byRow.get(a)?.push(b);
    }
    for (const list of byRow.values()) list.sort((a, b) => a.slot!.start.localeCompare(b.slot!.start));
    const rows = rowOrder.filter((id) => byRow.get(id)!.length > 0);
    if (rows.length === 0) return;
    const current = v.bookings.find((b) => b.id === latest.current.selectedId && b.slot);
    if (!current) {
      const first = byRow.get(rows[0]!)![0]!;
      select(first.id, rows[0]);
      revealCard(first.id, rows[0]!);
      return;
    }
    let row = selectedRow.current && current.slot!.assignees.includes(selectedRow.current) ? selectedRow.current : current.slot!.assignees[0]!;
    if (!rows.includes(row)) row = rows[0]!;
    let next: CardBooking | undefined;
    let nextRow = row;
    if (dir === 'left' || dir === 'right') {
      const list = byRow.get(row)!;
      const i = list.findIndex((b) => b.id === current.id);
      next = list[Math.max(0, Math.min(list.length - 1, i + (dir === 'left' ? -1 : 1)))];
    } else {
      const i = rows.indexOf(row) + (dir === 'up' ? -1 : 1);
      if (i < 0 || i >= rows.length) return;
      nextRow = rows[i]!;
      const start = toMs(current.slot!.start);
      next = [...byRow.get(nextRow)!].sort((a, b) => Math.abs(toMs(a.slot!.start) - start) - Math.abs(toMs(b.slot!.start) - start))[0];
    }
    if (next) {
      select(next.id, nextRow);
      revealCard(next.id, nextRow);
    }
  };

  /** The route sheets of the day the board shows (in a week: today when it is in view, else its first day). */
  const openRouteSheets = () => {
    window.location.hash = routeSheetsHash({ date: loadDay(range) });
  };

  const openNewBooking = (seed: NewBookingSeed = {}) => {
    if (latest.current.readOnly) return;
    setNewBookingSeed(seed);
    setDialog('new-booking');
  };

  const keyHandler = useRef<(e: KeyboardEvent) => void>(() => {});
  keyHandler.current = (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 's') {
      e.preventDefault();
      openSave();
      return;
    }
    if (mod && key === 'k') {
      e.preventDefault();
      setDialog('search');
      return;
    }
    if (mod && key === 'p' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      openRouteSheets();
      return;
    }
    if (latest.current.dialog) return; // the open dialog handles its own keys
    if (isTyping(e.target)) return;
    // Enter and Space on a focused button or link are that control's own (Add member, Move, a queue
    // card's Enter): the board's Enter must not take them over.
    if ((e.key === 'Enter' || e.key === ' ') && isControl(e.target)) return;
    if (mod && (key === 'z' || key === 'y')) {
      e.preventDefault();
      if (key === 'y' || e.shiftKey) void redo();
      else void undo();
      return;
    }
    if (mod || e.altKey) return;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'ArrowUp':
      case 'ArrowDown':
        e.preventDefault();
        moveSelection(e.key.slice(5).toLowerCase() as 'left' | 'right' | 'up' | 'down');
        return;
      case 'Enter':
        if (latest.current.selectedId) {
          e.preventDefault();
          setPanelId(latest.current.selectedId);
        }
        return;
      case 'Escape':
        if (latest.current.panelId) setPanelId(null);
        else select(null);
        return;
      case 'Delete':
      case 'Backspace':
      case 'u':
      case 'U':
        if (latest.current.selectedId) {
          e.preventDefault();
          void unassign(latest.current.selectedId);
        }
        return;
    }
    if (key === 'd') goDay();
    else if (key === 'w') goWeek();
    else if (key === 't') goToday();
    else if (key === 'n') openNewBooking();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keyHandler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  // The desktop menu asks for the same actions as the keys (the web host has no menu).
  const menuHandler = useRef<(action: MenuAction) => void>(() => {});
  menuHandler.current = (action) => {
    const typing = isTyping(document.activeElement);
    switch (action) {
      case 'save':
        openSave();
        return;
      case 'search':
        setDialog('search');
        return;
      case 'newBooking':
        openNewBooking();
        return;
      case 'undo':
        // In a text field the menu's Undo means the text, as the native Edit menu would.
        if (typing) document.execCommand('undo');
        else void undo();
        return;
      case 'redo':
        if (typing) document.execCommand('redo');
        else void redo();
        return;
      case 'viewDay':
        goDay();
        return;
      case 'viewWeek':
        goWeek();
        return;
      case 'today':
        goToday();
        return;
      case 'printRouteSheets':
        openRouteSheets();
        return;
    }
  };
  useEffect(() => client.on('app:menuInvoked', ({ action }) => menuHandler.current(action)), [client]);

  // A booking chosen elsewhere (bookings list): bring it into view once the calendar exists.
  const handledOpen = useRef<number | null>(null);
  useEffect(() => {
    if (!openRequest || !range || handledOpen.current === openRequest.seq) return;
    handledOpen.current = openRequest.seq;
    void jumpToBooking(openRequest.id);
  });

  // ---------------------------------------------------------------------------------------------
  // FullCalendar options: functions become stable trampolines inside <Timeline>.

  const options: CalendarOptions = {
    ...boardCalendarOptions(settings),
    ...(readOnly ? { editable: false, droppable: false, selectable: false } : {}),
    initialView: opening.view,
    initialDate,
    now: () => new Date(latest.current.nowMs),
    resources,
    eventClass: (info: EventDisplayInfo) => cardClassNames(calendarSync.current.lookOf(info.event.id)?.card, info.isMirror),
    eventContent: (info: EventDisplayInfo) => {
      const card = calendarSync.current.lookOf(info.event.id)?.card;
      return { html: card ? cardHtml(card) : pendingCardHtml(info.event.id, info.event.title) };
    },
    datesSet: (info: DatesSetInfo) => {
      const from = info.view.activeStart.getTime();
      const to = info.view.activeEnd.getTime();
      const next: VisibleRange = {
        kind: kindOf(info.view.type),
        title: info.view.title,
        firstDay: localDateOf(from, zone),
        lastDay: localDateOf(Math.max(from, to - 1), zone),
      };
      setRange((prev) =>
        prev && prev.kind === next.kind && prev.firstDay === next.firstDay && prev.lastDay === next.lastDay && prev.title === next.title ? prev : next,
      );
      rememberBoardPlace({ view: info.view.type as BoardViewType, firstDay: next.firstDay, lastDay: next.lastDay });
      const range = reopenRange.current;
      if (range) {
        reopenRange.current = null;
        // Not from inside FullCalendar's own datesSet: a view change there would re-enter it.
        setTimeout(() => goRange(range.firstDay, range.lastDay), 0);
      }
    },
    eventClick: (info: EventClickInfo) => {
      info.jsEvent.preventDefault();
      const row = info.el.closest<HTMLElement>('[data-lane-provider-id]')?.dataset.laneProviderId ?? null;
      select(info.event.id, row);
      setPanelId(info.event.id);
    },
    eventDrop: (info: EventDropInfo) => {
      const slot = calendarSync.current.lookOf(info.event.id)?.slot;
      if (!slot || !info.event.start) {
        info.revert();
        return;
      }
      let assignees = slot.assignees;
      const from = info.oldResource?.id;
      const to = info.newResource?.id;
      if (from && to && from !== to) assignees = [...new Set(slot.assignees.map((a) => (a === from ? to : a)))];
      selectedRow.current = to ?? selectedRow.current;
      void stage(info.event.id, movedSlot(slot, info.event.start.getTime(), assignees), info.revert).finally(renderHold.current.claim());
    },
    eventResize: (info: EventResizeDoneInfo) => {
      const slot = calendarSync.current.lookOf(info.event.id)?.slot;
      if (!slot || !info.event.start || !info.event.end) {
        info.revert();
        return;
      }
      void stage(info.event.id, { start: isoOf(info.event.start.getTime()), end: isoOf(info.event.end.getTime()), assignees: slot.assignees }, info.revert).finally(
        renderHold.current.claim(),
      );
    },
    eventReceive: (info: EventReceiveInfo) => {
      const resource = info.event.getResources()[0];
      const start = info.event.start;
      const durationMs = Number(info.event.extendedProps.durationMs) || 3_600_000;
      if (!resource || !start) {
        info.revert();
        return;
      }
      const id = info.event.id;
      select(id, resource.id);
      void stage(id, { start: isoOf(start.getTime()), end: isoOf(start.getTime() + durationMs), assignees: [resource.id] }, info.revert).finally(
        renderHold.current.claim(),
      );
    },
    // Dragging across free time on a row books that technician for that time. A drag, not a click: a click on
    // an empty row only clears the selection. One day at most, as a booking on the board is.
    selectAllow: (span: { start: Date; end: Date }) => localDateOf(span.start.getTime(), zone) === localDateOf(span.end.getTime() - 1, zone),
    select: (info: DateSelectInfo) => {
      api()?.unselect();
      const resource = info.resource;
      if (!resource) return;
      openNewBooking({
        start: isoOf(info.start.getTime()),
        minutes: Math.round((info.end.getTime() - info.start.getTime()) / 60_000),
        assignees: [resource.id],
      });
    },
    // A queue card landed on the calendar (`eventReceive` follows in the same task).
    drop: () => renderHold.current.settle(),
    // The queue's place is read when a drag starts (layout is settled then), not on release, where
    // reading it would force a layout of the whole board in the middle of the drop.
    eventDragStart: () => {
      cardGesture.current = true;
      queueRect.current = queueEl.current?.getBoundingClientRect() ?? null;
    },
    eventDragStop: (info: EventDragStopInfo) => {
      cardGesture.current = false;
      renderHold.current.settle();
      const rect = queueRect.current;
      const { clientX: x, clientY: y } = info.jsEvent;
      if (rect && x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) void unassign(info.event.id)?.finally(renderHold.current.claim());
    },
    eventResizeStart: () => {
      cardGesture.current = true;
    },
    eventResizeStop: () => {
      cardGesture.current = false;
      renderHold.current.settle();
    },
  };

  const sendDayCount = useMemo(() => {
    if (!view || !range || range.kind !== 'day') return 0;
    const [from, to] = dayBoundsMs(range.firstDay, zone);
    return view.bookings.filter((b) => b.status === 'scheduled' && !b.staged && b.slot && toMs(b.slot.start) >= from && toMs(b.slot.start) < to).length;
  }, [view, range, zone]);

  const sendDay = async () => {
    setDialog(null);
    if (!range) return;
    const r = await runCommand(client, 'sendDayToTech', { date: range.firstDay });
    if (!r.ok) {
      toast(r.error.message, 'error');
      return;
    }
    const sent = r.value.sent.length;
    toast(sent === 0 ? 'No Scheduled jobs to send on this day' : `Sent ${sent} ${sent === 1 ? 'job' : 'jobs'} to techs`, sent ? 'success' : 'info');
    refreshSoon();
  };

  const setAutoResize = async (on: boolean) => {
    setAutoResizeOverride(on);
    const r = await runCommand(client, 'updateSettings', { autoResize: on });
    if (!r.ok) {
      setAutoResizeOverride(null);
      toast(r.error.message, 'error');
    }
  };

  return (
    <div className="cl-board" data-screen="board" data-view-kind={range?.kind ?? ''} data-first-day={range?.firstDay ?? ''}>
      {connected ? null : (
        <div className="cl-offline" role="alert" data-offline="">
          Disconnected from the backend: reconnecting… Changes cannot be staged until it is back.
        </div>
      )}
      <BoardHeader
        title={range?.title ?? ''}
        kind={range?.kind ?? 'day'}
        firstDay={range?.firstDay ?? initialDate}
        lastDay={range?.lastDay ?? initialDate}
        stagedCount={stagedCount}
        saving={saving}
        readOnly={readOnly}
        readOnlyWhy={updateRequired ?? VIEWER_READ_ONLY}
        autoResize={autoResize}
        providerFilter={providerFilter}
        onDay={goDay}
        onWeek={goWeek}
        onToday={goToday}
        onPrev={() => api()?.prev()}
        onNext={() => api()?.next()}
        onRange={goRange}
        onAutoResize={(on) => void setAutoResize(on)}
        onSave={openSave}
        onDiscard={() => setDialog('discard')}
        onUndo={() => void undo()}
        onRedo={() => void redo()}
        onSendDay={() => setDialog('send-day')}
        onSearch={() => setDialog('search')}
        onNewBooking={() => openNewBooking()}
        onRouteSheets={openRouteSheets}
        onClearProviderFilter={() => setProviderFilter(null)}
      />
      <div className={`cl-board__body${panelId ? ' has-panel' : ''}${layout.queueCollapsed ? ' is-queue-collapsed' : ''}`}>
        <UnassignedQueue
          items={queue}
          text={queueText}
          onText={setQueueText}
          zone={zone}
          customers={roster.customers}
          services={roster.services}
          selectedId={selectedId}
          readOnly={readOnly}
          collapsed={layout.queueCollapsed}
          onCollapse={(collapsed) => layoutStore.set({ queueCollapsed: collapsed })}
          onOpen={openFromQueue}
          rootRef={queueEl}
        />
        <div className="cl-board__timeline">
          {firstReadDone ? <Timeline ref={timeline} options={options} /> : <p className="cl-muted cl-screen-loading">Loading board…</p>}
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
            onClose={() => setPanelId(null)}
            onStage={(id, slot) => stage(id, slot)}
          />
        ) : null}
      </div>

      {dialog === 'save' ? (
        <SaveDialog
          settings={settings}
          providers={roster.providersById}
          onConfirm={(choice) => void confirmSave(choice)}
          onClose={() => {
            setSaveRetry(null);
            setDialog(null);
          }}
          retry={saveRetry}
        />
      ) : null}
      {dialog === 'discard' ? (
        <ConfirmDialog name="discard" title="Discard unsaved changes?" confirmLabel="Discard" danger onConfirm={() => void discardAll()} onCancel={() => setDialog(null)}>
          <p>
            {stagedCount} unsaved {stagedCount === 1 ? 'change' : 'changes'} will be dropped and the board returns to the saved schedule.
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'send-day' && range ? (
        <ConfirmDialog name="send-day" title="Send day to techs" confirmLabel="Send" onConfirm={() => void sendDay()} onCancel={() => setDialog(null)}>
          <p>
            Send {sendDayCount} Scheduled {sendDayCount === 1 ? 'job' : 'jobs'} on {fmtDate(dayBoundsMs(range.firstDay, zone)[0] + 12 * 3_600_000, zone)} to their technicians?
            {stagedCount > 0 ? ' Unsaved changes are not sent: save them first.' : ''}
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'new-booking' ? (
        <Dialog name="new-booking" title="New booking" onClose={() => setDialog(null)}>
          <NewBookingForm
            client={client}
            initialStart={newBookingSeed.start}
            initialMinutes={newBookingSeed.minutes}
            initialAssignees={newBookingSeed.assignees}
            onCancel={() => setDialog(null)}
            onCreated={({ id, title }) => {
              setDialog(null);
              toast(`Created ${title}`, 'success');
              void jumpToBooking(id);
            }}
          />
        </Dialog>
      ) : null}
      {dialog === 'search' ? (
        <QuickSearch
          zone={zone}
          onClose={() => setDialog(null)}
          onBooking={(id) => void jumpToBooking(id)}
          onProvider={(id, name) => {
            setDialog(null);
            setProviderFilter({ id, name });
          }}
        />
      ) : null}
    </div>
  );
}

/** Runs `fn` in a task after `n` more frames have been painted. */
function afterFrames(n: number, fn: () => void) {
  if (n <= 0) setTimeout(fn, 0);
  else requestAnimationFrame(() => afterFrames(n - 1, fn));
}

/** Scrolls the card into view if it is mounted; false when it is not (its row not rendered, or no such card). */
function scrollToCard(id: string): boolean {
  const card = document.querySelector(`.cl-timeline [data-booking-id="${CSS.escape(id)}"]`);
  card?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  return card !== null;
}

/**
 * Scrolls a provider's row to the top of the timeline, mounted or not. FullCalendar 7.0.2 (pinned) has no
 * public call for it: this is the request its own `addResource(resource, scrollTo)` makes, which the
 * resource timeline answers from the row positions it keeps for every row (docs/architecture.md).
 */
function scrollToRow(calendar: Calendar, providerId: string) {
  calendar.trigger('_resourceScrollRequest', providerId);
}
