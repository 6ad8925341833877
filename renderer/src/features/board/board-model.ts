import type { Calendar, EventApi, EventInput } from 'fullcalendar';
import type { ResourceApi, ResourceInput } from 'fullcalendar-scheduler';
import type { CardBooking } from '../../../../core/api/contract.ts';
import { personSpan, severityOf, type Conflict } from '../../../../core/conflicts.ts';
import type { Customer, Provider, Service, Slot } from '../../../../core/model.ts';
import { isClosed } from '../../../../core/status.ts';
import { dayBoundsMs, toMs, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { sameValue } from '../forms/values.ts';
import { fmtHours, fmtTime, fmtTimeRange } from './time-format.ts';
import { cardClassNames, cardHtml, type CardModel } from './card-html.ts';
import type { BookingMark, BookingMarks } from '../sync/use-booking-marks.ts';

/**
 * Pure mapping from backend data to what the timeline shows: cards (one FullCalendar event per booking,
 * with every assignee as a resource), time-off background blocks, provider rows and their load. The
 * calendar is then reconciled event by event (`syncEvents`), never by replacing the whole array.
 */
export interface BoardContext {
  zone: string;
  autoResize: boolean;
  nowMs: number;
  customers: ReadonlyMap<string, Customer>;
  services: ReadonlyMap<string, Service>;
  selectedId: string | null;
  /** Other desktops' marks (features/sync): changed while offline, open elsewhere. */
  marks?: BookingMarks;
}

/** A job's start has passed and nobody is on the way yet (DESIGN §3, seeds: "spot a running-behind job"). */
export function isRunningLate(b: Pick<CardBooking, 'slot' | 'status'>, nowMs: number): boolean {
  if (!b.slot) return false;
  if (b.status === 'en_route' || b.status === 'in_progress' || isClosed(b.status)) return false;
  return toMs(b.slot.start) < nowMs;
}

const unique = (list: string[]) => [...new Set(list)];

export function cardOf(b: CardBooking, conflicts: readonly Conflict[] | undefined, ctx: BoardContext): CardModel {
  const span = personSpan(b, ctx.autoResize);
  const customer = b.customerId ? (ctx.customers.get(b.customerId)?.name ?? '') : '';
  const service = b.serviceId ? (ctx.services.get(b.serviceId)?.name ?? '') : '';
  const assigned = b.slot?.assignees.length ?? 0;
  return {
    id: b.id,
    title: b.title,
    customer,
    service,
    time: span ? fmtTimeRange(span.start, span.end, ctx.zone) : 'No date',
    arrival: b.arrivalWindow
      ? `Arrive ${fmtTimeRange(toMs(b.arrivalWindow.start), toMs(b.arrivalWindow.end), ctx.zone)}`
      : null,
    priority: b.priority,
    status: b.status,
    staged: b.staged,
    late: isRunningLate(b, ctx.nowMs),
    severity: severityOf(conflicts),
    reasons: unique((conflicts ?? []).map((c) => c.message)),
    team: b.teamSize > 1 || assigned > 1 ? `${assigned}/${b.teamSize}` : null,
    selected: ctx.selectedId === b.id,
    editable: !isClosed(b.status),
    offlineBy: markOf(ctx, b.id)?.offlineBy ?? [],
    viewers: markOf(ctx, b.id)?.viewers ?? [],
  };
}

const markOf = (ctx: BoardContext, id: string): BookingMark | undefined => ctx.marks?.get(id);

/**
 * What a card shows and the slot it stands for. Kept beside the calendar (`CalendarSync.lookOf`), not in
 * its events: each change to an event is one calendar action over every event it holds, while a look
 * changes far more often than a place (Save, conflicts, selection, running late, other desktops' marks).
 */
export interface CardLook {
  card: CardModel;
  slot: Slot;
}

/** Our bookkeeping in an event input; `CalendarSync` keeps it out of the calendar. */
interface InputMeta {
  /** Where the event is and what the calendar itself reads of it: a change is a calendar action. */
  sig: string;
  /** What the card shows: a change repaints the card, the calendar is not told. */
  lookSig?: string;
  look?: CardLook;
}

const metaOf = (input: EventInput) => input.extendedProps as InputMeta;

/** The card as one FullCalendar event (one event for a team job, on every assignee's row). */
export function bookingEventInput(b: CardBooking, conflicts: readonly Conflict[] | undefined, ctx: BoardContext): EventInput | null {
  if (!b.slot || b.slot.assignees.length === 0 || b.status === 'cancelled') return null;
  const span = personSpan(b, ctx.autoResize)!;
  const card = cardOf(b, conflicts, ctx);
  const start = b.slot.start;
  const end = new Date(span.end).toISOString();
  const resourceIds = b.slot.assignees;
  // With auto-resize the card shows the per-person share of the labor, not the slot: resizing means nothing.
  const durationEditable = card.editable && !ctx.autoResize;
  return {
    id: b.id,
    title: b.title,
    start,
    end,
    resourceIds,
    startEditable: card.editable,
    durationEditable,
    resourceEditable: card.editable,
    extendedProps: {
      kind: 'booking',
      sig: JSON.stringify([b.title, start, end, resourceIds, card.editable, durationEditable]),
      lookSig: JSON.stringify([card, b.slot]),
      look: { card, slot: b.slot },
    },
  };
}

export function timeOffEventInputs(providers: readonly Provider[], fromMs: number, toMs_: number): EventInput[] {
  const out: EventInput[] = [];
  for (const p of providers) {
    for (const off of p.timeOff) {
      if (toMs(off.start) >= toMs_ || toMs(off.end) <= fromMs) continue;
      const reason = off.reason || 'Time off';
      out.push({
        id: `off:${p.id}:${off.id}`,
        resourceId: p.id,
        start: off.start,
        end: off.end,
        title: reason,
        display: 'background',
        extendedProps: { kind: 'timeoff', reason, providerId: p.id, sig: JSON.stringify([off, p.id]) },
      });
    }
  }
  return out;
}

/** FullCalendar business hours per provider (0 = Sunday there, `mon` first in ours). */
function businessHoursOf(p: Provider): ResourceInput['businessHours'] {
  const list = WEEKDAYS.flatMap((day, i) =>
    p.weeklyHours[day].map((iv) => ({ daysOfWeek: [(i + 1) % 7], startTime: iv.start, endTime: iv.end })),
  );
  // No hours at all: shade everything (an interval on no weekday).
  return list.length > 0 && p.active ? list : [{ daysOfWeek: [], startTime: '00:00', endTime: '00:01' }];
}

/** Active providers, plus inactive ones that still hold a visible booking (so no card is ever hidden). */
export function resourceInputs(providers: readonly Provider[], inactiveInView: ReadonlySet<string>): ResourceInput[] {
  return providers
    .filter((p) => p.active || inactiveInView.has(p.id))
    .map((p) => ({
      id: p.id,
      title: p.name,
      sortOrder: p.sortOrder,
      businessHours: businessHoursOf(p),
      extendedProps: { color: p.color, skills: p.skills, active: p.active, load: '' },
    }));
}

export interface Load {
  jobs: number;
  hours: number;
}

/** Jobs starting on `day` per provider and the hours they occupy that person (auto-resize aware). */
export function loadsOn(day: LocalDate, bookings: readonly CardBooking[], ctx: Pick<BoardContext, 'zone' | 'autoResize'>): Map<string, Load> {
  const [from, to] = dayBoundsMs(day, ctx.zone);
  const out = new Map<string, Load>();
  for (const b of bookings) {
    if (!b.slot || b.status === 'cancelled') continue;
    const span = personSpan(b, ctx.autoResize)!;
    if (span.start < from || span.start >= to) continue;
    for (const id of b.slot.assignees) {
      const load = out.get(id) ?? { jobs: 0, hours: 0 };
      load.jobs += 1;
      load.hours += (span.end - span.start) / 3_600_000;
      out.set(id, load);
    }
  }
  return out;
}

export const loadText = (load: Load | undefined): string =>
  load ? `${load.jobs} ${load.jobs === 1 ? 'job' : 'jobs'} · ${fmtHours(load.hours)} h` : '0 jobs · 0 h';

// ---------------------------------------------------------------------------------------------------
// Reconciling the calendar: add, update or remove single events (DESIGN §10).

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The extended props the calendar holds for an event: our bookkeeping stays out. */
function calendarProps(input: EventInput): Record<string, unknown> {
  const { sig: _sig, lookSig: _lookSig, look: _look, ...rest } = input.extendedProps as InputMeta & Record<string, unknown>;
  return rest;
}

const forCalendar = (input: EventInput): EventInput => ({ ...input, extendedProps: calendarProps(input) });

function updateEvent(ev: EventApi, input: EventInput) {
  const start = toMs(String(input.start));
  const end = toMs(String(input.end));
  if (ev.start?.getTime() !== start || ev.end?.getTime() !== end) ev.setDates(String(input.start), String(input.end));
  const ids = (input.resourceIds as string[] | undefined) ?? (input.resourceId ? [String(input.resourceId)] : []);
  // A resource that left the calendar (a provider removed, here or on another desktop) reads as null.
  const current = ev.getResources().flatMap((r) => (r ? [r.id] : []));
  if (!sameList(current, ids)) ev.setResources(ids);
  if (ev.title !== input.title) ev.setProp('title', input.title);
  if (ev.startEditable !== input.startEditable) ev.setProp('startEditable', input.startEditable);
  if (ev.durationEditable !== input.durationEditable) ev.setProp('durationEditable', input.durationEditable);
  // Each setter is one calendar action that walks every event the calendar holds (~1 ms per call at a
  // week of 200 × 10k, profiled): set only the props whose value changed.
  for (const [key, value] of Object.entries(calendarProps(input))) {
    if (!sameValue(ev.extendedProps[key], value)) ev.setExtendedProp(key, value);
  }
}

interface Placed {
  sig: string;
  lookSig: string | undefined;
}

/**
 * Keeps the calendar's events equal to the board's inputs (matched by id), touching only what differs.
 * It remembers the signatures of what it last put in, so a drop at 10k events costs a few lookups, not a
 * walk over every event. Adds go in as one event source (FullCalendar's `addEvent` one by one is quadratic:
 * ~15 s for 8k events); when most of the board changes (navigation) everything is replaced in one go.
 * Events FullCalendar created or moved itself (a drop from the queue, a drag) are found by id and updated.
 *
 * A card's look (`CardLook`) is kept here, not in its event: the content hooks read it (`lookOf`), and a
 * card whose look changed but not its place is repainted in the DOM (`repaintCards`), with no calendar
 * action and no calendar render. A Save of 20 was 20 actions and a render of the whole timeline (~60 ms at
 * 200 × 10k) for 20 "unsaved" marks. This stays consistent with FullCalendar's own rendering because the
 * hooks always read the current look and every mounted card is repainted whenever its look changes: any
 * later render of a card by the calendar writes what is already there, or the same newer look.
 */
export class CalendarSync {
  private placed = new Map<string, Placed>();
  private looks = new Map<string, CardLook>();
  private api: Calendar | null = null;

  /** `root`: the calendar's element, where mounted cards are repainted. */
  constructor(private readonly root: () => ParentNode | null) {}

  /** What the card of this booking shows now (undefined for a card the board has not read yet). */
  lookOf(id: string): CardLook | undefined {
    return this.looks.get(id);
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
    const placed = new Map<string, Placed>();
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
      // Most of the board left (navigation): replace everything. Only additions (a board filled in two
      // goes) are added as one source without touching what is already there.
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
      // Not known to us, but maybe already in the calendar (received from the queue by a drop): it shows
      // a pending card until it is repainted.
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

  /** True while the calendar holds none of our events (a new calendar, or nothing synced yet). */
  isEmpty(api: Calendar): boolean {
    return api !== this.api || this.placed.size === 0;
  }

  /**
   * Applies one edit: `inputs` are the events it may have changed (most are unchanged and cost a lookup
   * in our signatures), `removed` the events that must go. The rest of the calendar is not looked at.
   */
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

/**
 * Updates the provider rows' load labels ("Today: 3 jobs · 4.5 h") only where they changed (`rows`: only
 * those rows). In one `batchRendering`: each `setExtendedProp` on its own re-renders the whole resource
 * area (at 200 rows, 400 changes took ~0.7 s of a week's first paint).
 */
export function syncLoads(api: Calendar, loads: ReadonlyMap<string, Load>, day: LocalDate, prefix = '', rows?: ReadonlySet<string>) {
  api.batchRendering(() => {
    for (const r of api.getResources()) {
      if (rows && !rows.has(r.id)) continue;
      const text = prefix + loadText(loads.get(r.id));
      if (r.extendedProps.load !== text) r.setExtendedProp('load', text);
      if (r.extendedProps.loadDay !== day) r.setExtendedProp('loadDay', day);
    }
  });
}

/** The slot a moved card stands for: same duration, new start, new people. */
export function movedSlot(slot: Slot, newStartMs: number, assignees: string[]): Slot {
  const duration = toMs(slot.end) - toMs(slot.start);
  return {
    start: new Date(newStartMs).toISOString(),
    end: new Date(newStartMs + duration).toISOString(),
    assignees,
  };
}

// ---------------------------------------------------------------------------------------------------
// DOM for FullCalendar content hooks (they take strings, {html} or {domNodes}, not React elements).

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Repaints the mounted cards of these bookings (on every row, and FullCalendar's measuring copies) with
 * their current look: the content FullCalendar injected from `eventContent`, and our class names on its
 * event element (its own class names are left alone).
 */
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

export function renderProviderLabel(resource: ResourceApi): HTMLElement {
  const props = resource.extendedProps as { color?: string; skills?: string[]; active?: boolean; load?: string; loadDay?: string };
  const root = el('div', 'cl-provider');
  root.dataset.providerId = resource.id;
  const name = el('div', 'cl-provider__name');
  const swatch = el('span', 'cl-provider__swatch');
  swatch.style.backgroundColor = props.color ?? '#888';
  name.append(swatch, el('span', 'cl-provider__title', resource.title));
  if (props.active === false) name.append(el('span', 'cl-provider__inactive', 'inactive'));
  root.append(name);
  const load = el('div', 'cl-provider__load', props.load ?? '');
  load.dataset.load = props.load ?? '';
  if (props.loadDay) load.title = `Load on ${props.loadDay}`;
  root.append(load);
  if (props.skills?.length) {
    const skills = el('div', 'cl-provider__skills', props.skills.join(' · '));
    skills.title = props.skills.join(', ');
    root.append(skills);
  }
  return root;
}

export const fmtClock = fmtTime;
