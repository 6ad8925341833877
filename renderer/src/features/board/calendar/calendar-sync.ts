/**
 * Keeps the calendar's events and row labels equal to the board's inputs, touching only what differs
 * (docs/architecture.md, the board): `CalendarSync` for the events, `syncCapacity` for the rows' loads,
 * `repaintCards` for a card whose look changed but not its place.
 */
import type { Calendar, EventApi, EventInput } from 'fullcalendar';
import { toMs } from '../../../../../core/time.ts';
import { sameValue } from '../../forms/values.ts';
import type { CardLook } from '../board-model.ts';
import type { LoadFigure } from '../board-load.ts';
import { cardClassNames, cardHtml } from '../card-html.ts';
import { metaOf, type InputMeta } from './event-inputs.ts';


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