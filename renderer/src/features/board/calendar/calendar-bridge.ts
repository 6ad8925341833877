/**
 * The bridge between the board's store and FullCalendar (issue 21, part 1). Only the files of this folder
 * (and components/Timeline.tsx, the React wrapper that creates the calendar) talk to FullCalendar: ESLint's
 * `@typescript-eslint/no-restricted-imports` in eslint.config.js, test in scripts/lint-rules.test.ts. The
 * bridge keeps the calendar in step with the store (`sync`, deltas straight from the answer) and answers
 * the store's navigation (`CalendarPort`). Its parts: event-inputs.ts (the card model as events and
 * rows), calendar-sync.ts (event-level reconciliation), board-options.ts (the settings' options),
 * calendar-handlers.ts (the calendar's handlers as store actions), provider-label.ts (a row's label).
 */
import type { Calendar, CalendarOptions, EventInput } from 'fullcalendar';
import type { ResourceInput } from 'fullcalendar-scheduler';
import type { BoardDelta, BoardView, CardBooking } from '../../../../../core/api/contract.ts';
import type { Conflict, ConflictWorld } from '../../../../../core/conflicts.ts';
import type { Provider, Settings } from '../../../../../core/model.ts';
import { addDays, dayBoundsMs, type LocalDate } from '../../../../../core/time.ts';
import { lateReportsByProvider } from '../../../../../core/assistant/running-late.ts';
import type { TimelineHandle } from '../../../components/Timeline.tsx';
import type { BookingMark, BookingMarks } from '../../sync/use-booking-marks.ts';
import { isRunningLate, type BoardContext, type CardLook } from '../board-model.ts';
import { daysOf, loadsOnDay, loadsOnDays, loadSentence, type LoadFigure } from '../board-load.ts';
import type { BoardPlace } from '../board-place.ts';
import type { BoardStore, CalendarPort, VisibleRange } from '../board-store.ts';
import { RenderHold } from '../render-hold.ts';
import { syncLateMarkers } from '../late-marker.ts';
import { todayIn } from '../time-format.ts';
import type { Roster } from '../use-roster.ts';
import { boardCalendarOptions } from './board-options.ts';
import { CalendarSync, syncCapacity, type RowCapacity } from './calendar-sync.ts';
import { calendarHandlers, type CardGesture, type HandlerHost } from './calendar-handlers.ts';
import { bookingEventInput, dayLabel, loadCellInputs, timeOffEventInputs } from './event-inputs.ts';

/** A first fill with more bookings than this goes into the calendar in two steps (first rows first). */
const PROGRESSIVE_FROM = 1500;
/** The rows that can be on screen when the board opens: a row is at least one card tall. */
const firstRowCount = () => Math.ceil(window.innerHeight / 48) + 2;

/** The day the row labels' capacity is for, in words for their title, and the world to judge it in. */
interface LabelDay {
  day: LocalDate;
  text: string;
  world: ConflictWorld;
}

function rowCapacities(figures: ReadonlyMap<string, LoadFigure>, label: LabelDay): Map<string, RowCapacity> {
  const out = new Map<string, RowCapacity>();
  for (const [id, figure] of figures) out.set(id, { figure, title: loadSentence(label.world.providers.get(id)?.name ?? '', label.text, figure) });
  return out;
}

/** The providers of the board's rows, in order. */
const rowsOf = (input: SyncInput): Provider[] => input.resources.flatMap((r) => input.roster.providersById.get(String(r.id)) ?? []);

interface CachedInput {
  b: CardBooking;
  c: Conflict[] | undefined;
  selected: boolean;
  late: boolean;
  mark: BookingMark | undefined;
  input: EventInput | null;
}

/** What the calendar shows, as the board's React render knows it. */
export interface SyncInput {
  view: BoardView | null;
  range: VisibleRange | null;
  roster: Roster;
  autoResize: boolean;
  nowMs: number;
  selectedId: string | null;
  marks: BookingMarks;
  /** The rows, in order (the filter applied, inactive providers in view). */
  resources: ResourceInput[];
}

export class CalendarBridge implements CalendarPort, HandlerHost {
  private readonly cards: CalendarSync;
  readonly renderHold = new RenderHold();
  /** A card the calendar is dragging or resizing: its release holds the calendar's rendering. */
  readonly gesture: CardGesture = { active: false, queueRect: null };
  private cache: { key: unknown[]; entries: Map<string, CachedInput> } = { key: [], entries: new Map() };
  private synced: unknown[] = [];
  /** The view the calendar holds: a delta computed on exactly that view may be applied alone. */
  private syncedView: BoardView | null = null;
  /** A delta the calendar could not take straight away (not synced to its base yet). */
  private pending: { base: BoardView; next: BoardView; delta: BoardDelta; rows: ReadonlySet<string> } | null = null;
  private filledAll = false;
  private last: { input: SyncInput; ctx: BoardContext; label: LabelDay } | null = null;
  /** A range the board was left on: widened again once the calendar shows its first day. */
  private reopenRange: BoardPlace | null;
  private revealing: object | null = null;

  constructor(
    readonly store: BoardStore,
    private readonly timeline: () => TimelineHandle | null,
    readonly queueEl: () => HTMLElement | null,
    reopenRange: BoardPlace | null,
  ) {
    this.cards = new CalendarSync(() => this.timeline()?.el ?? null);
    this.reopenRange = reopenRange;
  }

  private get api(): Calendar | null {
    return this.timeline()?.api ?? null;
  }

  /**
   * Attaches to the store (navigation, deltas) and holds the calendar's rendering on a card's release
   * (`RenderHold`): the capture listener runs before FullCalendar's drop task. A job dragged from the
   * queue is FullCalendar's external drag, which has no start hook: a press on a queue card that moves
   * before its release counts as one.
   */
  connect(): () => void {
    this.store.calendar = this;
    this.store.onDelta((base, next, delta, rows) => this.applyDelta(base, next, delta, rows));
    let queuePress: { x: number; y: number } | null = null;
    const onPress = this.store.whileVisible((e: PointerEvent) => {
      queuePress = e.target instanceof Element && e.target.closest('.cl-queue-card') ? { x: e.clientX, y: e.clientY } : null;
    });
    const onRelease = this.store.whileVisible((e: PointerEvent) => {
      const fromQueue = queuePress !== null && Math.hypot(e.clientX - queuePress.x, e.clientY - queuePress.y) > 3;
      queuePress = null;
      const api = this.api;
      if (api && (this.gesture.active || fromQueue)) this.renderHold.begin(api);
    });
    window.addEventListener('pointerdown', onPress, { capture: true });
    window.addEventListener('pointerup', onRelease, { capture: true });
    return () => {
      window.removeEventListener('pointerdown', onPress, { capture: true });
      window.removeEventListener('pointerup', onRelease, { capture: true });
      this.renderHold.release();
      if (this.store.calendar === this) this.store.calendar = null;
      this.store.onDelta(null);
    };
  }

  private contextOf(input: SyncInput): { ctx: BoardContext; label: LabelDay } {
    const zone = input.roster.settings.timeZone;
    const ctx: BoardContext = {
      zone,
      autoResize: input.autoResize,
      nowMs: input.nowMs,
      customers: input.roster.customers,
      services: input.roster.services,
      selectedId: input.selectedId,
      marks: input.marks,
    };
    const today = todayIn(zone, input.nowMs);
    const day = this.store.loadDay(today);
    // A week's row labels show today when it is in view, else the first day: the title says which.
    const text = input.range?.kind === 'day' ? dayLabel(day, zone) : day === today ? `Today (${dayLabel(day, zone)})` : `${dayLabel(day, zone)}, the first day shown`;
    const world: ConflictWorld = { settings: { timeZone: zone, autoResize: input.autoResize, timeFormat: input.roster.settings.timeFormat }, providers: input.roster.providersById, services: input.roster.services };
    return { ctx, label: { day, text, world } };
  }

  /** The row labels' capacity for these providers, from bookings holding all of theirs in the range. */
  private capacities(label: LabelDay, providers: Iterable<Provider>, bookings: readonly CardBooking[], conflicts: BoardView['conflicts']): Map<string, RowCapacity> {
    return rowCapacities(loadsOnDay(label.world, providers, label.day, bookings, conflicts), label);
  }

  /** The week overview: its cells and row labels from the whole view (edits there are rare: undo, other desktops). */
  private fillLoadView(api: Calendar, input: SyncInput, view: BoardView, label: LabelDay): void {
    const range = input.range!;
    const days = daysOf(range.firstDay, range.lastDay);
    const figures = loadsOnDays(label.world, rowsOf(input), days, view.bookings, view.conflicts);
    const i = days.indexOf(label.day);
    const onDay = new Map<string, LoadFigure>();
    for (const [id, list] of figures) if (list[i]) onDay.set(id, list[i]);
    api.batchRendering(() => {
      this.cards.sync(api, loadCellInputs(figures, input.roster.providersById, input.roster.settings.timeZone));
      syncCapacity(api, rowCapacities(onDay, label));
    });
    this.syncedView = view;
  }

  /** One edit into the calendar: the events of the bookings the delta names, and the touched rows' loads. */
  private applyToCalendar(api: Calendar, ctx: BoardContext, delta: BoardDelta, rows: ReadonlySet<string>, label: LabelDay) {
    const changed: EventInput[] = [];
    const removed: string[] = [];
    for (const b of delta.bookings) {
      const c = delta.conflicts[b.id];
      const entry: CachedInput = { b, c, selected: b.id === ctx.selectedId, late: isRunningLate(b, ctx.nowMs), mark: ctx.marks?.get(b.id), input: bookingEventInput(b, c, ctx) };
      this.cache.entries.set(b.id, entry);
      if (entry.input) changed.push(entry.input);
      else removed.push(b.id);
    }
    for (const id of delta.gone) {
      this.cache.entries.delete(id);
      removed.push(id);
    }
    const onRows = delta.bookings.filter((b) => b.slot?.assignees.some((a) => rows.has(a)));
    // One calendar render for the events and the row labels (each batch is a render of the whole timeline).
    api.batchRendering(() => {
      this.cards.apply(api, changed, removed);
      const touched = [...rows].flatMap((id) => label.world.providers.get(id) ?? []);
      syncCapacity(api, this.capacities(label, touched, onRows, delta.conflicts), rows);
      syncLateMarkers(api, lateReportsByProvider(onRows, ...dayBoundsMs(label.day, ctx.zone)), rows);
    });
  }

  /** Straight into the calendar, in the answer's task: the card repaints without waiting for React. */
  private applyDelta(base: BoardView, next: BoardView, delta: BoardDelta, rows: ReadonlySet<string>): void {
    const api = this.api;
    const last = this.last;
    if (api && last && this.syncedView === base && this.pending === null) {
      if (last.input.range?.kind === 'load') this.fillLoadView(api, last.input, next, last.label);
      else this.applyToCalendar(api, last.ctx, delta, rows, last.label);
      this.syncedView = next;
    } else this.pending = { base, next, delta, rows };
  }

  /** The board rendered: bring the calendar in step (the layout effect after each render of the board). */
  sync(input: SyncInput): void {
    const api = this.api;
    const pending = this.pending;
    this.pending = null;
    const { view, range, roster, autoResize } = input;
    if (!api || !view || !range) return;
    const zone = roster.settings.timeZone;
    const { ctx, label } = this.contextOf(input);
    this.last = { input, ctx, label };
    const key = [zone, autoResize, roster];
    if (key.some((k, i) => k !== this.cache.key[i])) this.cache = { key, entries: new Map() };
    const deps = [api, range, roster, autoResize, input.nowMs, input.selectedId, input.resources, input.marks, this.filledAll];
    const sameDeps = deps.every((d, i) => d === this.synced[i]);
    this.synced = deps;
    if (sameDeps && view === this.syncedView) return; // deltas applied straight from their answers
    if (range.kind === 'load') {
      this.fillLoadView(api, input, view, label);
      return;
    }
    if (sameDeps && pending && pending.next === view && pending.base === this.syncedView) {
      this.applyToCalendar(api, ctx, pending.delta, pending.rows, label);
      this.syncedView = view;
      return;
    }
    // First fill of a large board: the rows a person sees before scrolling go in before the first paint,
    // the rest 3 frames later. FullCalendar's cost grows with every event it holds, not with what it shows.
    const progressive = !this.filledAll && this.cards.isEmpty(api) && view.bookings.length > PROGRESSIVE_FROM;
    let bookings = view.bookings;
    if (progressive) {
      const firstRows = new Set(input.resources.slice(0, firstRowCount()).map((r) => String(r.id)));
      bookings = bookings.filter((b) => b.slot?.assignees.some((a) => firstRows.has(a)));
      afterFrames(3, () => {
        this.filledAll = true;
        if (this.last) this.sync(this.last.input);
      });
    }
    const seen = new Map<string, CachedInput>();
    const inputs: EventInput[] = [];
    for (const b of bookings) {
      const c = view.conflicts[b.id];
      const selected = b.id === input.selectedId;
      const late = isRunningLate(b, input.nowMs);
      const mark = input.marks.get(b.id);
      let entry = this.cache.entries.get(b.id);
      if (!entry || entry.b !== b || entry.c !== c || entry.selected !== selected || entry.late !== late || entry.mark !== mark) {
        entry = { b, c, selected, late, mark, input: bookingEventInput(b, c, ctx) };
      }
      seen.set(b.id, entry);
      if (entry.input) inputs.push(entry.input);
    }
    this.cache.entries = seen;
    inputs.push(...timeOffEventInputs(roster.providers, dayBoundsMs(range.firstDay, zone)[0], dayBoundsMs(range.lastDay, zone)[1]));
    api.batchRendering(() => {
      this.cards.sync(api, inputs);
      syncCapacity(api, this.capacities(label, rowsOf(input), view.bookings, view.conflicts));
      syncLateMarkers(api, lateReportsByProvider(view.bookings, ...dayBoundsMs(label.day, ctx.zone)));
    });
    this.syncedView = view;
  }

  /** The calendar's options: the settings' own, the rows, and every handler as a store action. */
  /** The calendar's options: the settings' own, the rows, and every handler as a store action. */
  options(p: { settings: Settings; readOnly: boolean; opening: { view: string; date: LocalDate }; now: () => number; resources: ResourceInput[] }): CalendarOptions {
    return {
      ...boardCalendarOptions(p.settings),
      ...(p.readOnly ? { editable: false, droppable: false, selectable: false } : {}),
      initialView: p.opening.view,
      initialDate: p.opening.date,
      now: () => new Date(p.now()),
      resources: p.resources,
      ...calendarHandlers(this, p.settings.timeZone),
    };
  }

  // HandlerHost --------------------------------------------------------------------------------------

  lookOf(id: string): CardLook | undefined {
    return this.cards.lookOf(id);
  }
  takeReopenRange(): BoardPlace | null {
    const reopen = this.reopenRange;
    this.reopenRange = null;
    return reopen;
  }
  unselect(): void {
    this.api?.unselect();
  }

  // CalendarPort -------------------------------------------------------------------------------------

  day(date?: LocalDate): void {
    this.api?.changeView('resourceTimelineDay', date);
  }
  week(): void {
    this.api?.changeView('resourceTimelineWeek');
  }
  weekLoad(): void {
    this.api?.changeView('resourceTimelineWeekLoad');
  }
  gotoDate(date: LocalDate): void {
    this.api?.gotoDate(date);
  }
  prev(): void {
    this.api?.prev();
  }
  next(): void {
    this.api?.next();
  }
  range(first: LocalDate, last: LocalDate): void {
    this.api?.changeView('resourceTimelineRange', { start: first, end: addDays(last, 1) });
  }

  /**
   * Brings a job's card on screen. Its row may be far below the fold, where FullCalendar's virtualization
   * has not mounted it, and a jump may change the date first: each frame, scroll to the card if it
   * exists, else, once the board's data holds the job, ask the calendar to scroll its row into view
   * (asked again each frame: rows not rendered have an estimated height, corrected as they mount). Gives
   * up 3 s after the data holds the job (10 s after the call if it never does), and as soon as another
   * reveal starts; done once the card has stayed mounted for a few frames in a row (FullCalendar measures
   * the rows it mounts and can move the card off again after the first scroll). The budget is time from
   * the data, not a count of frames: on a loaded machine the day's read and the rows' mounting take many
   * slow frames, and ten asks ran out before the row was reached (e2e board-keyboard.spec.ts under load).
   */
  reveal(id: string, row: string | null): void {
    const r = { until: performance.now() + 10_000, inData: false, steady: 0 };
    this.revealing = r;
    const step = () => {
      if (this.revealing !== r) return;
      const shown = scrollToCard(id);
      r.steady = shown ? r.steady + 1 : 0;
      if (r.steady >= REVEAL_STEADY_FRAMES || performance.now() > r.until) {
        this.revealing = null;
        return;
      }
      const api = this.api;
      if (!shown && row && api && this.store.getState().view?.bookings.some((b) => b.id === id)) {
        if (!r.inData) r.until = Math.min(r.until, performance.now() + 3000);
        r.inData = true;
        // FullCalendar 7.0.2 (pinned) has no public call for it: the request its own
        // `addResource(resource, scrollTo)` makes (docs/architecture.md).
        api.trigger('_resourceScrollRequest', row);
      }
      requestAnimationFrame(step);
    };
    step();
  }
}

/** Frames a revealed card must stay mounted before the reveal lets go. */
const REVEAL_STEADY_FRAMES = 5;

/** Runs `fn` in a task after `n` more frames have been painted. */
function afterFrames(n: number, fn: () => void) {
  if (n <= 0) setTimeout(fn, 0);
  else requestAnimationFrame(() => afterFrames(n - 1, fn));
}

/** Scrolls the card into view if it is mounted; false when it is not. */
function scrollToCard(id: string): boolean {
  const card = document.querySelector(`.cl-timeline [data-booking-id="${CSS.escape(id)}"]`);
  card?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  return card !== null;
}
