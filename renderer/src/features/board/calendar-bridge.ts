/**
 * The ONLY code of the board that talks to FullCalendar (issue 21, part 1; enforced by ESLint's
 * `@typescript-eslint/no-restricted-imports` in eslint.config.js, test in scripts/lint-rules.test.ts; the
 * other file allowed is components/Timeline.tsx, the React wrapper that creates the calendar). It turns
 * the pure card model (board-model.ts) into events and resources, keeps the calendar in step with the
 * store (`CalendarBridge.sync`, deltas straight from the answer), translates the calendar's handlers into
 * BoardStore actions and answers the store's navigation (`CalendarPort`).
 *
 * Over ~400 lines on purpose: splitting it would put FullCalendar imports in a second file, which is what
 * the lint rule is there to stop. Its parts: the event/resource mapping, `CalendarSync` (event-level
 * reconciliation), the options with their handlers, and the bridge itself.
 */
import type {
  Calendar,
  CalendarOptions,
  DateSelectInfo,
  DatesSetInfo,
  EventApi,
  EventClickInfo,
  EventDisplayInfo,
  EventDragStopInfo,
  EventDropInfo,
  EventInput,
  EventReceiveInfo,
  EventResizeDoneInfo,
  MountInfo,
} from 'fullcalendar';
import { Draggable } from 'fullcalendar/interaction';
import type { ResourceApi, ResourceCellInfo, ResourceInput, ResourceLaneInfo } from 'fullcalendar-scheduler';
import type { BoardDelta, BoardView, CardBooking } from '../../../../core/api/contract.ts';
import type { Conflict, ConflictWorld } from '../../../../core/conflicts.ts';
import type { Provider, Settings } from '../../../../core/model.ts';
import { addDays, dayBoundsMs, localDateOf, toMs, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { clockOptions, type TimeFormat } from '../../../../core/format.ts';
import type { TimelineHandle } from '../../components/Timeline.tsx';
import { sameValue } from '../forms/values.ts';
import type { BookingMark, BookingMarks } from '../sync/use-booking-marks.ts';
import {
  cardPlacement,
  isRunningLate,
  movedSlot,
  reassigned,
  rowProviders,
  timeOffBlocks,
  type BoardContext,
  type CardLook,
  type CardPlacement,
} from './board-model.ts';
import { daysOf, loadCellId, loadCellOf, loadsOnDay, loadsOnDays, loadSentence, type LoadFigure } from './board-load.ts';
import { rememberBoardPlace, type BoardPlace, type BoardViewType } from './board-place.ts';
import type { BoardStore, BoardViewKind, CalendarPort, VisibleRange } from './board-store.ts';
import { cardClassNames, cardHtml, pendingCardHtml, timeOffHtml } from './card-html.ts';
import { loadCellHtml } from './load-html.ts';
import { capacityNodes } from './load-label.ts';
import { RenderHold } from './render-hold.ts';
import { appendLateMarker, syncLateMarkers } from './late-marker.ts';
import { lateReportsByProvider } from '../../../../core/assistant/running-late.ts';
import { fmtDate, isoOf, todayIn } from './time-format.ts';
import type { Roster } from './use-roster.ts';

// ---------------------------------------------------------------------------------------------------
// The card model as FullCalendar events and resources.

/** Our bookkeeping in an event input; `CalendarSync` keeps it out of the calendar. */
interface InputMeta {
  /** Where the event is and what the calendar itself reads of it: a change is a calendar action. */
  sig: string;
  /** What the card shows: a change repaints the card, the calendar is not told. */
  lookSig?: string;
  look?: CardLook;
}

const metaOf = (input: EventInput) => input.extendedProps as InputMeta;

export function placementInput(p: CardPlacement): EventInput {
  return {
    id: p.id,
    title: p.title,
    start: p.start,
    end: p.end,
    resourceIds: p.resourceIds,
    startEditable: p.startEditable,
    durationEditable: p.durationEditable,
    resourceEditable: p.startEditable,
    extendedProps: { kind: 'booking', sig: p.sig, lookSig: p.lookSig, look: p.look },
  };
}

/** The card as one FullCalendar event (one event for a team job, on every assignee's row). */
export function bookingEventInput(b: CardBooking, conflicts: readonly Conflict[] | undefined, ctx: BoardContext): EventInput | null {
  const p = cardPlacement(b, conflicts, ctx);
  return p ? placementInput(p) : null;
}

export function timeOffEventInputs(providers: readonly Provider[], fromMs: number, toMs_: number): EventInput[] {
  return timeOffBlocks(providers, fromMs, toMs_).map((off) => ({
    id: off.id,
    resourceId: off.providerId,
    start: off.start,
    end: off.end,
    title: off.reason,
    display: 'background',
    extendedProps: { kind: 'timeoff', reason: off.reason, providerId: off.providerId, sig: off.sig },
  }));
}

/** FullCalendar business hours per provider (0 = Sunday there, `mon` first in ours). */
function businessHoursOf(p: Provider): ResourceInput['businessHours'] {
  const list = WEEKDAYS.flatMap((day, i) => p.weeklyHours[day].map((iv) => ({ daysOfWeek: [(i + 1) % 7], startTime: iv.start, endTime: iv.end })));
  // No hours at all: shade everything (an interval on no weekday).
  return list.length > 0 && p.active ? list : [{ daysOfWeek: [], startTime: '00:00', endTime: '00:01' }];
}

/** Active providers, plus inactive ones that still hold a visible booking (so no card is ever hidden). */
export function resourceInputs(providers: readonly Provider[], inactiveInView: ReadonlySet<string>): ResourceInput[] {
  return rowProviders(providers, inactiveInView).map((p) => ({
    id: p.id,
    title: p.name,
    sortOrder: p.sortOrder,
    businessHours: businessHoursOf(p),
    extendedProps: { color: p.color, skills: p.skills, active: p.active, capacity: null },
  }));
}

// ---------------------------------------------------------------------------------------------------
// Reconciling the calendar: add, update or remove single events (docs/architecture.md, the board).

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The extended props the calendar holds for an event: our bookkeeping stays out. */
function calendarProps(input: EventInput): Record<string, unknown> {
  const { sig: _sig, lookSig: _lookSig, look: _look, ...rest } = input.extendedProps as InputMeta & Record<string, unknown>;
  return rest;
}

const forCalendar = (input: EventInput): EventInput => ({ ...input, extendedProps: calendarProps(input) });

function updateEvent(ev: EventApi, input: EventInput) {
  if (ev.start?.getTime() !== toMs(String(input.start)) || ev.end?.getTime() !== toMs(String(input.end))) ev.setDates(String(input.start), String(input.end));
  const ids = (input.resourceIds as string[] | undefined) ?? (input.resourceId ? [String(input.resourceId)] : []);
  // A resource that left the calendar (a provider removed, here or on another desktop) reads as null.
  const current = ev.getResources().flatMap((r) => (r ? [r.id] : []));
  if (!sameList(current, ids)) ev.setResources(ids);
  if (ev.title !== input.title) ev.setProp('title', input.title);
  if (ev.startEditable !== input.startEditable) ev.setProp('startEditable', input.startEditable);
  if (ev.durationEditable !== input.durationEditable) ev.setProp('durationEditable', input.durationEditable);
  // Each setter is one calendar action that walks every event the calendar holds (~1 ms per call at a
  // week of 200 × 10k, profiled): set only the props whose value changed.
  for (const [key, value] of Object.entries(calendarProps(input))) if (!sameValue(ev.extendedProps[key], value)) ev.setExtendedProp(key, value);
}

/**
 * Keeps the calendar's events equal to the board's inputs (matched by id), touching only what differs,
 * by the signatures of what it last put in. Adds go in as one event source (`addEvent` one by one is
 * quadratic: ~15 s for 8k events); when most of the board changes (navigation) everything is replaced.
 * A card's look (`CardLook`) is kept here, not in its event: the content hooks read it (`lookOf`), and a
 * card whose look changed but not its place is repainted in the DOM (`repaintCards`), with no calendar
 * action and no render (a Save of 20 was 20 actions and a timeline render, ~60 ms at 200 × 10k).
 */
export class CalendarSync {
  private placed = new Map<string, { sig: string; lookSig: string | undefined }>();
  private looks = new Map<string, CardLook>();
  private api: Calendar | null = null;

  /** `root`: the calendar's element, where mounted cards are repainted. */
  constructor(private readonly root: () => ParentNode | null) {}

  lookOf(id: string): CardLook | undefined {
    return this.looks.get(id);
  }

  isEmpty(api: Calendar): boolean {
    return api !== this.api || this.placed.size === 0;
  }

  sync(api: Calendar, inputs: readonly EventInput[]): void {
    if (api !== this.api) {
      this.placed.clear(); // a new calendar (remount): it holds nothing of ours yet
      this.api = api;
    }
    const next = new Map<string, EventInput>();
    for (const input of inputs) next.set(String(input.id), input);
    const toAdd: EventInput[] = [];
    const toUpdate: EventInput[] = [];
    const relooked: string[] = [];
    const looks = new Map<string, CardLook>();
    const placed = new Map<string, { sig: string; lookSig: string | undefined }>();
    for (const [id, input] of next) {
      const meta = metaOf(input);
      if (meta.look) looks.set(id, meta.look);
      placed.set(id, { sig: meta.sig, lookSig: meta.lookSig });
      const known = this.placed.get(id);
      if (known === undefined) toAdd.push(input);
      else if (known.sig !== meta.sig) toUpdate.push(input);
      if (known !== undefined && known.lookSig !== meta.lookSig) relooked.push(id);
    }
    this.looks = looks; // before the calendar renders: its hooks read these
    const toRemove = [...this.placed.keys()].filter((id) => !next.has(id));
    api.batchRendering(() => {
      if (toRemove.length > Math.max(200, inputs.length / 10)) {
        api.removeAllEventSources();
        api.removeAllEvents();
        if (inputs.length) api.addEventSource(inputs.map(forCalendar));
        relooked.length = 0; // every card is rendered anew
        return;
      }
      // Look events up one by one (O(n) each in FullCalendar) or, for many, index them once.
      const lookups = toUpdate.length + toAdd.length + toRemove.length;
      let index: Map<string, EventApi> | null = null;
      const find = (id: string): EventApi | null => {
        if (lookups <= 16) return api.getEventById(id);
        index ??= new Map(api.getEvents().map((e) => [e.id, e]));
        return index.get(id) ?? null;
      };
      const fresh: EventInput[] = [];
      // Not known to us, but maybe already in the calendar (received from the queue by a drop).
      for (const input of toAdd) {
        const ev = find(String(input.id));
        if (ev) {
          updateEvent(ev, input);
          relooked.push(String(input.id));
        } else fresh.push(forCalendar(input));
      }
      for (const input of toUpdate) {
        const ev = find(String(input.id));
        if (ev) updateEvent(ev, input);
        else fresh.push(forCalendar(input));
      }
      for (const id of toRemove) find(id)?.remove();
      if (fresh.length) api.addEventSource(fresh);
    });
    this.placed = placed;
    this.repaint(relooked);
  }

  /** One edit: `inputs` are the events it may have changed, `removed` those that must go; nothing else is looked at. */
  apply(api: Calendar, inputs: readonly EventInput[], removed: readonly string[]): void {
    if (api !== this.api) {
      this.sync(api, inputs);
      return;
    }
    const relooked: string[] = [];
    const moved: EventInput[] = [];
    for (const input of inputs) {
      const id = String(input.id);
      const meta = metaOf(input);
      const known = this.placed.get(id);
      if (known?.sig === meta.sig && known.lookSig === meta.lookSig) continue;
      if (meta.look) this.looks.set(id, meta.look);
      if (known?.sig === meta.sig) relooked.push(id);
      else moved.push(input);
      this.placed.set(id, { sig: meta.sig, lookSig: meta.lookSig });
    }
    const gone = removed.filter((id) => this.placed.has(id));
    if (moved.length > 0 || gone.length > 0) {
      api.batchRendering(() => {
        const fresh: EventInput[] = [];
        for (const input of moved) {
          const ev = api.getEventById(String(input.id));
          if (ev) {
            updateEvent(ev, input);
            relooked.push(String(input.id)); // maybe a pending card FullCalendar made from the queue
          } else fresh.push(forCalendar(input));
        }
        for (const id of gone) {
          api.getEventById(id)?.remove();
          this.placed.delete(id);
          this.looks.delete(id);
        }
        if (fresh.length) api.addEventSource(fresh);
      });
    }
    this.repaint(relooked);
  }

  private repaint(ids: readonly string[]): void {
    const root = this.root();
    if (root && ids.length > 0) repaintCards(root, new Set(ids), (id) => this.looks.get(id));
  }
}

/** A row label's capacity (board-load.ts): the day's figure and the sentence its title says. */
export interface RowCapacity {
  figure: LoadFigure;
  title: string;
}

/**
 * Updates the rows' capacity only where it changed (`rows`: only those rows), in one `batchRendering`:
 * each `setExtendedProp` alone re-renders the resource area (400 took ~0.7 s at 200 rows).
 */
export function syncCapacity(api: Calendar, loads: ReadonlyMap<string, RowCapacity>, rows?: ReadonlySet<string>) {
  api.batchRendering(() => {
    for (const r of api.getResources()) {
      if (rows && !rows.has(r.id)) continue;
      const next = loads.get(r.id) ?? null;
      const now = r.extendedProps.capacity as RowCapacity | null | undefined;
      if (now?.figure.sig !== next?.figure.sig || now?.title !== next?.title) r.setExtendedProp('capacity', next);
    }
  });
}

/** Repaints the mounted cards of these bookings (every row, and the measuring copies) with their current look. */
export function repaintCards(root: ParentNode, ids: ReadonlySet<string>, lookOf: (id: string) => CardLook | undefined): void {
  for (const content of root.querySelectorAll<HTMLElement>('.cl-card__content[data-booking-id]')) {
    const id = content.dataset.bookingId!;
    const look = ids.has(id) ? lookOf(id) : undefined;
    const holder = content.parentElement;
    if (!look || !holder) continue;
    const html = cardHtml(look.card);
    if (holder.innerHTML !== html) holder.innerHTML = html;
    const harness = holder.closest<HTMLElement>('.cl-card');
    if (harness) {
      const mirror = harness.classList.contains('cl-card--mirror');
      for (const name of [...harness.classList]) if (name.startsWith('cl-card--')) harness.classList.remove(name);
      harness.classList.add(...cardClassNames(look.card, mirror).split(' '));
    }
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderProviderLabel(resource: ResourceApi): HTMLElement {
  const props = resource.extendedProps as { color?: string; skills?: string[]; active?: boolean; capacity?: RowCapacity | null };
  const root = el('div', 'cl-provider');
  root.dataset.providerId = resource.id;
  const name = el('div', 'cl-provider__name');
  const swatch = el('span', 'cl-provider__swatch');
  swatch.style.backgroundColor = props.color ?? '#888';
  const title = el('span', 'cl-provider__title', resource.title);
  title.title = resource.title; // the name may be cut short beside the capacity meter
  name.append(swatch, title);
  if (props.active === false) name.append(el('span', 'cl-provider__inactive', 'inactive'));
  appendLateMarker(name, resource.extendedProps.late);
  root.append(name);
  // Capacity (issue 19): a meter on the name line, the day's words under it.
  const load = el('div', 'cl-provider__load');
  if (props.capacity) {
    const { meter, words } = capacityNodes(props.capacity.figure, props.capacity.title);
    name.append(meter);
    load.append(words);
    load.dataset.loadDay = props.capacity.figure.date;
  }
  root.append(load);
  if (props.skills?.length) {
    const skills = el('div', 'cl-provider__skills', props.skills.join(' · '));
    skills.title = props.skills.join(', ');
    root.append(skills);
  }
  return root;
}

// ---------------------------------------------------------------------------------------------------
// Options that follow from the settings alone (the floor benchmark, bench/fc-floor-page.ts, uses them too).

/** A week or a range is titled by its days ("Nov 23 – 29, 2026"), not only its month. */
const DAYS_TITLE = { year: 'numeric', month: 'short', day: 'numeric' } as const;

/** The time axis in the organization's clock (core/format.ts): "9 AM" or "09:00"; "9a" or "09" where hours are narrow. */
type SlotFormat = { hour: 'numeric' | '2-digit'; minute?: '2-digit'; hour12: boolean; meridiem?: 'narrow' };
const axisHour = (f: TimeFormat): SlotFormat => (f === '12h' ? { hour: 'numeric', hour12: true } : { hour: '2-digit', minute: '2-digit', hour12: false });
const narrowHour = (f: TimeFormat): SlotFormat => (f === '12h' ? { hour: 'numeric', hour12: true, meridiem: 'narrow' } : { hour: '2-digit', hour12: false });

export const boardViews = (timeFormat: TimeFormat): CalendarOptions['views'] => ({
  resourceTimelineDay: { slotDuration: '00:30', slotHeaderInterval: '01:00', slotHeaderFormat: axisHour(timeFormat), slotMinWidth: 34 },
  resourceTimelineWeek: {
    slotDuration: '01:00',
    slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, narrowHour(timeFormat)],
    slotMinWidth: 30,
    titleFormat: DAYS_TITLE,
  },
  // The week overview (issue 19): one day-sized slot per day, a summary cell per provider and day instead
  // of the job cards (`loadCellInputs`); nothing in it is dragged, resized or drawn out.
  resourceTimelineWeekLoad: {
    type: 'resourceTimeline',
    duration: { weeks: 1 },
    slotDuration: { days: 1 },
    slotMinTime: '00:00',
    slotMaxTime: '24:00',
    slotHeaderFormat: { weekday: 'short', month: 'short', day: 'numeric' },
    slotMinWidth: 80, // 7 days beside the queue and the rows at 1280 px: the slots stretch to fill
    titleFormat: DAYS_TITLE,
    editable: false,
    droppable: false,
    selectable: false,
    eventInteractive: true,
    nowIndicator: false, // a line at 08:00 of one day means nothing in day-sized slots, and crosses the figures
  },
  resourceTimelineRange: {
    type: 'resourceTimeline',
    slotDuration: '02:00',
    slotHeaderFormat: [{ weekday: 'short', month: 'short', day: 'numeric' }, narrowHour(timeFormat)],
    slotMinWidth: 22,
    titleFormat: DAYS_TITLE,
  },
});

export function boardCalendarOptions(settings: Pick<Settings, 'timeZone' | 'timelineStart' | 'timelineEnd' | 'calendarLicenseKey' | 'timeFormat'>): CalendarOptions {
  return {
    schedulerLicenseKey: settings.calendarLicenseKey,
    timeZone: settings.timeZone,
    firstDay: 1, // dispatch weeks start on Monday
    nowIndicator: true,
    headerToolbar: false,
    height: '100%',
    virtualization: true,
    editable: true,
    droppable: true,
    eventResourceEditable: true,
    snapDuration: '00:15',
    dragRevertDuration: 0,
    slotMinTime: settings.timelineStart,
    slotMaxTime: settings.timelineEnd,
    scrollTime: settings.timelineStart,
    views: boardViews(settings.timeFormat),
    eventTimeFormat: clockOptions(settings.timeFormat),
    resourceOrder: 'sortOrder,title',
    resourceColumnsWidth: 230,
    resourceColumnHeaderContent: 'Technicians',
    resourceCellContent: (info: ResourceCellInfo) => (info.resource ? { domNodes: [renderProviderLabel(info.resource)] } : undefined),
    resourceLaneClass: 'cl-lane',
    resourceLaneDidMount: (info: MountInfo<ResourceLaneInfo>) => {
      info.el.dataset.laneProviderId = info.resource.id;
    },
    nonBusinessHoursClass: 'cl-offhours',
    backgroundEventClass: (info: EventDisplayInfo) => (info.event.extendedProps.kind === 'timeoff' ? 'cl-timeoff' : ''),
    backgroundEventContent: (info: EventDisplayInfo) =>
      info.event.extendedProps.kind === 'timeoff' ? { html: timeOffHtml(String(info.event.extendedProps.reason)) } : undefined,
    selectable: true,
    selectMinDistance: 6,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const durationInput = (ms: number) => `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.round((ms % 3_600_000) / 60_000))}`;

/** The queue's cards dragged onto rows (FullCalendar's external drag); the drop arrives as `eventReceive`. */
export function queueDraggable(list: HTMLElement, eventData: (el: HTMLElement) => { id: string; title: string; durationMs: number }): () => void {
  const draggable = new Draggable(list, {
    itemSelector: '.cl-queue-card',
    eventData: (el) => {
      const { id, title, durationMs } = eventData(el);
      return { id, title, duration: durationInput(durationMs), create: true, extendedProps: { kind: 'booking', fromQueue: true, durationMs } };
    },
  });
  return () => draggable.destroy();
}

// ---------------------------------------------------------------------------------------------------
// The bridge: the calendar in step with the store, and its handlers as store actions.

/** A first fill with more bookings than this goes into the calendar in two steps (first rows first). */
const PROGRESSIVE_FROM = 1500;
/** The rows that can be on screen when the board opens: a row is at least one card tall. */
const firstRowCount = () => Math.ceil(window.innerHeight / 48) + 2;

const kindOf = (viewType: string): BoardViewKind =>
  viewType === 'resourceTimelineDay' ? 'day' : viewType === 'resourceTimelineWeek' ? 'week' : viewType === 'resourceTimelineWeekLoad' ? 'load' : 'range';

/** The week overview's cells: one summary event per provider and day, not editable, opened by a click. */
function loadCellInputs(figures: ReadonlyMap<string, LoadFigure[]>, names: ReadonlyMap<string, Provider>, zone: string): EventInput[] {
  const out: EventInput[] = [];
  for (const [providerId, days] of figures) {
    const name = names.get(providerId)?.name ?? '';
    for (const f of days) {
      const sentence = loadSentence(name, dayLabel(f.date, zone), f);
      const html = loadCellHtml(f, sentence);
      out.push({
        id: loadCellId(providerId, f.date),
        resourceId: providerId,
        // Instants, not all-day dates: the day is the organization's local day (and `updateEvent` reads instants).
        start: isoOf(dayBoundsMs(f.date, zone)[0]),
        end: isoOf(dayBoundsMs(f.date, zone)[1]),
        title: sentence,
        editable: false,
        startEditable: false,
        durationEditable: false,
        resourceEditable: false,
        interactive: true,
        extendedProps: { kind: 'load', band: f.band, html, sig: html },
      });
    }
  }
  return out;
}

const dayLabel = (day: LocalDate, zone: string) => fmtDate(dayBoundsMs(day, zone)[0] + 12 * 3_600_000, zone);

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

export class CalendarBridge implements CalendarPort {
  private readonly cards: CalendarSync;
  readonly renderHold = new RenderHold();
  /** A card the calendar is dragging or resizing: its release holds the calendar's rendering. */
  private cardGesture = false;
  private queueRect: DOMRect | null = null;
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
    private readonly store: BoardStore,
    private readonly timeline: () => TimelineHandle | null,
    private readonly queueEl: () => HTMLElement | null,
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
    const onPress = (e: PointerEvent) => {
      queuePress = e.target instanceof Element && e.target.closest('.cl-queue-card') ? { x: e.clientX, y: e.clientY } : null;
    };
    const onRelease = (e: PointerEvent) => {
      const fromQueue = queuePress !== null && Math.hypot(e.clientX - queuePress.x, e.clientY - queuePress.y) > 3;
      queuePress = null;
      const api = this.api;
      if (api && (this.cardGesture || fromQueue)) this.renderHold.begin(api);
    };
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
  options(p: { settings: Settings; readOnly: boolean; opening: { view: string; date: LocalDate }; now: () => number; resources: ResourceInput[] }): CalendarOptions {
    const store = this.store;
    const zone = p.settings.timeZone;
    const lookOf = (id: string) => this.cards.lookOf(id);
    const hold = this.renderHold;
    return {
      ...boardCalendarOptions(p.settings),
      ...(p.readOnly ? { editable: false, droppable: false, selectable: false } : {}),
      initialView: p.opening.view,
      initialDate: p.opening.date,
      now: () => new Date(p.now()),
      resources: p.resources,
      eventClass: (info: EventDisplayInfo) =>
        info.event.extendedProps.kind === 'load' ? `cl-loadcell-event cl-loadcell-event--${String(info.event.extendedProps.band)}` : cardClassNames(lookOf(info.event.id)?.card, info.isMirror),
      eventContent: (info: EventDisplayInfo) => {
        if (info.event.extendedProps.kind === 'load') return { html: String(info.event.extendedProps.html) };
        const card = lookOf(info.event.id)?.card;
        return { html: card ? cardHtml(card) : pendingCardHtml(info.event.id, info.event.title) };
      },
      datesSet: (info: DatesSetInfo) => {
        const from = info.view.activeStart.getTime();
        const to = info.view.activeEnd.getTime();
        const next: VisibleRange = { kind: kindOf(info.view.type), title: info.view.title, firstDay: localDateOf(from, zone), lastDay: localDateOf(Math.max(from, to - 1), zone) };
        store.setRange(next);
        rememberBoardPlace({ view: info.view.type as BoardViewType, firstDay: next.firstDay, lastDay: next.lastDay });
        const reopen = this.reopenRange;
        if (reopen) {
          this.reopenRange = null;
          // Not from inside FullCalendar's own datesSet: a view change there would re-enter it.
          setTimeout(() => store.goRange(reopen.firstDay, reopen.lastDay), 0);
        }
      },
      eventClick: (info: EventClickInfo) => {
        info.jsEvent.preventDefault();
        const cell = loadCellOf(info.event.id);
        if (cell) {
          this.day(cell.day); // a week-overview cell opens its day
          return;
        }
        const row = info.el.closest<HTMLElement>('[data-lane-provider-id]')?.dataset.laneProviderId ?? null;
        store.select(info.event.id, row);
        store.openPanel(info.event.id);
      },
      eventDrop: (info: EventDropInfo) => {
        const slot = lookOf(info.event.id)?.slot;
        if (!slot || !info.event.start) {
          info.revert();
          return;
        }
        const to = info.newResource?.id;
        if (to) store.setSelectedRow(to);
        const assignees = reassigned(slot.assignees, info.oldResource?.id, to);
        void store.stage(info.event.id, movedSlot(slot, info.event.start.getTime(), assignees), info.revert).finally(hold.claim());
      },
      eventResize: (info: EventResizeDoneInfo) => {
        const slot = lookOf(info.event.id)?.slot;
        if (!slot || !info.event.start || !info.event.end) {
          info.revert();
          return;
        }
        const next = { start: isoOf(info.event.start.getTime()), end: isoOf(info.event.end.getTime()), assignees: slot.assignees };
        void store.stage(info.event.id, next, info.revert).finally(hold.claim());
      },
      eventReceive: (info: EventReceiveInfo) => {
        const resource = info.event.getResources()[0];
        const start = info.event.start;
        const durationMs = Number(info.event.extendedProps.durationMs) || 3_600_000;
        if (!resource || !start) {
          info.revert();
          return;
        }
        store.select(info.event.id, resource.id);
        const slot = { start: isoOf(start.getTime()), end: isoOf(start.getTime() + durationMs), assignees: [resource.id] };
        void store.stage(info.event.id, slot, info.revert).finally(hold.claim());
      },
      // Dragging across free time on a row books that technician for that time (one day at most).
      selectAllow: (span: { start: Date; end: Date }) => localDateOf(span.start.getTime(), zone) === localDateOf(span.end.getTime() - 1, zone),
      select: (info: DateSelectInfo) => {
        this.api?.unselect();
        if (!info.resource) return;
        store.openNewBooking({ start: isoOf(info.start.getTime()), minutes: Math.round((info.end.getTime() - info.start.getTime()) / 60_000), assignees: [info.resource.id] });
      },
      // A queue card landed on the calendar (`eventReceive` follows in the same task).
      drop: () => hold.settle(),
      // The queue's place is read when a drag starts (layout is settled then), not on release.
      eventDragStart: () => {
        this.cardGesture = true;
        this.queueRect = this.queueEl()?.getBoundingClientRect() ?? null;
      },
      eventDragStop: (info: EventDragStopInfo) => {
        this.cardGesture = false;
        hold.settle();
        const rect = this.queueRect;
        const { clientX: x, clientY: y } = info.jsEvent;
        if (rect && x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) void store.unassign(info.event.id)?.finally(hold.claim());
      },
      eventResizeStart: () => {
        this.cardGesture = true;
      },
      eventResizeStop: () => {
        this.cardGesture = false;
        hold.settle();
      },
    };
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
   * (asked again each frame: rows not rendered have an estimated height). Gives up after 3 s, and as
   * soon as another reveal starts.
   */
  reveal(id: string, row: string | null): void {
    const r = { asks: 0, until: performance.now() + 3000 };
    this.revealing = r;
    const step = () => {
      if (this.revealing !== r) return;
      if (scrollToCard(id) || performance.now() > r.until) {
        this.revealing = null;
        return;
      }
      const api = this.api;
      if (row && r.asks < 10 && api && this.store.getState().view?.bookings.some((b) => b.id === id)) {
        r.asks++;
        // FullCalendar 7.0.2 (pinned) has no public call for it: the request its own
        // `addResource(resource, scrollTo)` makes (docs/architecture.md).
        api.trigger('_resourceScrollRequest', row);
      }
      requestAnimationFrame(step);
    };
    step();
  }
}

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
