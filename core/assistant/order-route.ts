import { findConflictsOf, personSpan, workingSpans, type Conflict, type ConflictWorld, type Span } from '../conflicts';
import type { Booking, Coordinates, Customer, Provider, Slot } from '../model';
import { effectiveStatus } from '../status';
import { dayBoundsMs, fromMs, localDateOf, MINUTE_MS, toMs, type LocalDate } from '../time';
import { formatterFor } from '../format';
import { drivingMinutes, jobCoordinates, roadKm, type TravelModel } from '../travel';
import { formatDistance } from '../units';
import { reasonsOf } from './hard-rules';
import { timeFreedom } from './time-freedom';

/**
 * Order a route (issue #19, docs/design.md §3): one provider's stops on one day, reordered to cut travel.
 * The distance is the route sheet's (home base to the first stop, then stop to stop; legs with a place we
 * cannot locate count nothing), so a route called shorter here prints shorter. Times are repacked from the
 * day's earliest current start: each movable stop starts as soon as the previous one ends plus the drive
 * (on a 5-minute mark), inside its arrival window and the provider's working hours, never over time off;
 * a fixed stop (sent to the technician, a crew's job, already outside hours...) keeps its time and the
 * others fit around it. Exact (dynamic programming over subsets) up to EXACT_UP_TO stops, local search
 * (or-opt and 2-opt, checked against the same rules) beyond. The engine judges the result: an order that
 * would add any conflict is never proposed.
 */

export const EXACT_UP_TO = 12;
/** Shorter by less than this (km, the precision shown) is "nothing to gain": not worth re-telling anyone a time. */
export const MIN_GAIN_KM = 0.1;
const STEP_MS = 5 * MINUTE_MS;

export interface RouteInput {
  world: ConflictWorld;
  provider: Provider;
  day: LocalDate;
  /** Anything around the day (other rows, other days are ignored); staged edits already applied. */
  bookings: readonly Booking[];
  customers: ReadonlyMap<string, Pick<Customer, 'address' | 'coordinates'>>;
  travel: TravelModel;
}

export interface RouteTimes {
  order: number;
  start: string;
  end: string;
}

export interface RouteStopPlan {
  bookingId: string;
  title: string;
  before: RouteTimes;
  after: RouteTimes;
  /** Why the stop kept its time, when it did on purpose. */
  fixedReason: string | null;
  hasCoordinates: boolean;
}

export interface RouteTotals {
  km: number;
  minutes: number;
  /** When the last stop ends (ISO instant), null without stops. */
  finish: string | null;
}

export type RouteOutcome = 'better' | 'nothing_to_gain' | 'too_few_stops' | 'no_valid_order';

export interface RouteProposal {
  providerId: string;
  day: LocalDate;
  outcome: RouteOutcome;
  /** One sentence for the panel's header. */
  message: string;
  /** In the proposed order (the current order unless `better`). */
  stops: RouteStopPlan[];
  before: RouteTotals;
  after: RouteTotals;
  /** Only the jobs whose slot changes; empty unless `better`. Stage them all at once. */
  slots: Array<{ id: string; slot: Slot }>;
  notes: string[];
  /** True when the order is the proven best under the rules (small days), false for the local search's. */
  exact: boolean;
}

export interface RouteOptions {
  /** Exact search up to this many stops (benchmarks lower it to measure the local search). */
  exactUpTo?: number;
  /**
   * `brute`: every order tried, for benchmarks and tests to check the other two against (≤ 9 stops).
   * Default `auto`: exact up to `exactUpTo`, local search beyond.
   */
  search?: 'auto' | 'exact' | 'local' | 'brute';
}

interface Stop {
  booking: Booking;
  coords: Coordinates | null;
  /** How long the provider is busy (their span; labor shared under auto-resize). */
  occupyMs: number;
  slotMs: number;
  currentStart: number;
  fixed: { start: number; reason: string } | null;
  from: number;
  to: number;
  /** Stops without coordinates keep their place in the order. */
  pinnedAt: number | null;
}

interface Plan {
  order: number[];
  starts: number[];
  km: number;
  finish: number;
}

/** The day's stops of a provider as the route sheet lists them: live jobs touching the day, by start. */
export function routeStops(input: Pick<RouteInput, 'provider' | 'day' | 'bookings' | 'world'>): Booking[] {
  const [dayStart, dayEnd] = dayBoundsMs(input.day, input.world.settings.timeZone);
  return input.bookings
    .filter((b) => b.slot && b.slot.assignees.includes(input.provider.id) && effectiveStatus(b.status, b.slot) !== 'cancelled')
    .filter((b) => toMs(b.slot!.start) < dayEnd && toMs(b.slot!.end) > dayStart)
    .sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start) || toMs(a.slot!.end) - toMs(b.slot!.end) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

const conflictKey = (c: Conflict) => `${c.bookingId}|${c.kind}|${c.providerId ?? ''}|${c.otherBookingId ?? ''}`;
const ceilStep = (ms: number) => Math.ceil(ms / STEP_MS) * STEP_MS;
const round1 = (km: number) => Math.round(km * 10) / 10;

export function orderRoute(input: RouteInput, options: RouteOptions = {}): RouteProposal {
  const { world, provider, day, travel } = input;
  const zone = world.settings.timeZone;
  const [dayStart, dayEnd] = dayBoundsMs(day, zone);
  const jobs = routeStops(input);
  const ids = new Set(jobs.map((b) => b.id));
  const neighbours = input.bookings.filter((b) => !ids.has(b.id));
  const conflictsBefore = findConflictsOf(world, jobs, input.bookings);
  const notes: string[] = [];

  const stops: Stop[] = jobs.map((booking, index) => {
    const span = personSpan(booking, world.settings.autoResize)!;
    const slot = booking.slot!;
    const customer = booking.customerId ? input.customers.get(booking.customerId) : undefined;
    const coords = jobCoordinates(booking, customer);
    const freedom = timeFreedom(booking, day, zone, true);
    const own = conflictsBefore.get(booking.id) ?? [];
    let fixed: Stop['fixed'] = null;
    if (freedom.kind === 'fixed') fixed = { start: freedom.start, reason: freedom.reason };
    else if (toMs(slot.start) < dayStart || span.end > dayEnd) fixed = { start: toMs(slot.start), reason: 'Runs past the day' };
    else if (own.some((c) => c.kind === 'outside_hours' || c.kind === 'time_off')) {
      // Moving it would trade one broken rule for another the engine may word differently: the dispatcher decides.
      fixed = { start: toMs(slot.start), reason: 'Already outside working hours or in time off' };
    }
    if (!coords) notes.push(`"${booking.title}" has no coordinates: it stays stop ${index + 1} and its legs are not in the distance`);
    return {
      booking,
      coords,
      occupyMs: span.end - span.start,
      slotMs: toMs(slot.end) - toMs(slot.start),
      currentStart: toMs(slot.start),
      fixed,
      from: freedom.kind === 'free' ? freedom.from : 0,
      to: freedom.kind === 'free' ? freedom.to : 0,
      pinnedAt: coords ? null : index,
    };
  });

  const n = stops.length;
  const home = provider.coordinates;
  const km = (a: Coordinates | null, b: Coordinates | null) => (a && b ? roadKm(a, b, travel) : 0);
  const homeKm = stops.map((s) => km(home, s.coords));
  const legKm = stops.map((a) => stops.map((b) => km(a.coords, b.coords)));
  const legMs = legKm.map((row) => row.map((k) => Math.ceil(drivingMinutes(k, travel)) * MINUTE_MS));
  const dayOpen = stops.filter((s) => !s.fixed).reduce((min, s) => Math.min(min, s.currentStart), Number.POSITIVE_INFINITY);
  const open = availableSpans(provider, day, zone);
  const fixedOrder = stops.map((s, i) => ({ s, i })).filter(({ s }) => s.fixed).sort((a, b) => a.s.fixed!.start - b.s.fixed!.start || a.i - b.i).map(({ i }) => i);
  const fixedRank = new Map(fixedOrder.map((i, r) => [i, r]));

  /** When stop `j` starts if reached at `arrive` from `prev` (-1: the day's start), or null when it cannot. */
  const startAt = (j: number, prev: number, arrive: number): number | null => {
    const s = stops[j]!;
    if (s.fixed) {
      if (prev >= 0 && !stops[prev]!.fixed && arrive > s.fixed.start) return null;
      return s.fixed.start;
    }
    const t = fitInto(open, Math.max(arrive, s.from, dayOpen), s.occupyMs);
    return t !== null && t <= s.to ? t : null;
  };
  const endOf = (j: number, start: number, clock: number) => Math.max(clock, start + stops[j]!.occupyMs);

  const evaluate = (order: readonly number[]): Plan | null => {
    let total = 0;
    let clock = Number.NEGATIVE_INFINITY;
    let prev = -1;
    const starts: number[] = [];
    for (let k = 0; k < order.length; k++) {
      const j = order[k]!;
      const pin = stops[j]!.pinnedAt;
      if (pin !== null && pin !== k) return null;
      total += prev < 0 ? homeKm[j]! : legKm[prev]![j]!;
      const start = startAt(j, prev, prev < 0 ? clock : clock + legMs[prev]![j]!);
      if (start === null) return null;
      starts.push(start);
      clock = endOf(j, start, clock);
      prev = j;
    }
    // The fixed stops in their own time order: a movable stop cannot pass one by being reordered.
    let rank = 0;
    for (const j of order) if (stops[j]!.fixed && fixedRank.get(j) !== rank++) return null;
    return { order: [...order], starts, km: total, finish: clock };
  };

  // The local search's inner loop: the same walk as `evaluate` without allocating, abandoned as soon as
  // the distance passes `bound` (most candidates are longer). Sets `lastFinish`.
  const rankOf = stops.map((s, j) => (s.fixed ? fixedRank.get(j)! : -1));
  const pinOf = stops.map((s) => s.pinnedAt ?? -1);
  let lastFinish = 0;
  const cost = (order: ArrayLike<number>, bound: number): number => {
    let total = 0;
    let clock = Number.NEGATIVE_INFINITY;
    let prev = -1;
    let rank = 0;
    for (let k = 0; k < order.length; k++) {
      const j = order[k]!;
      if (pinOf[j] !== -1 && pinOf[j] !== k) return Number.POSITIVE_INFINITY;
      if (rankOf[j] !== -1 && rankOf[j] !== rank++) return Number.POSITIVE_INFINITY;
      total += prev < 0 ? homeKm[j]! : legKm[prev]![j]!;
      if (total > bound) return Number.POSITIVE_INFINITY;
      const start = startAt(j, prev, prev < 0 ? clock : clock + legMs[prev]![j]!);
      if (start === null) return Number.POSITIVE_INFINITY;
      clock = endOf(j, start, clock);
      prev = j;
    }
    lastFinish = clock;
    return total;
  };
  const searcher: Search = { evaluate, cost: (order, bound) => ({ km: cost(order, bound), finish: lastFinish }) };

  const current = stops.map((_, i) => i);
  const beforeKm = current.reduce((sum, j, k) => sum + (k === 0 ? homeKm[j]! : legKm[current[k - 1]!]![j]!), 0);
  const beforeFinish = n ? Math.max(...stops.map((s) => s.currentStart + s.slotMs)) : null;
  const totals = (kmTotal: number, finish: number | null): RouteTotals => ({
    km: round1(kmTotal),
    minutes: Math.round(drivingMinutes(kmTotal, travel)),
    finish: finish === null ? null : fromMs(finish),
  });
  const asIs = (outcome: RouteOutcome, message: string, exact: boolean): RouteProposal => ({
    providerId: provider.id,
    day,
    outcome,
    message,
    stops: stops.map((s, i) => {
      const times = { order: i + 1, start: s.booking.slot!.start, end: s.booking.slot!.end };
      return { bookingId: s.booking.id, title: s.booking.title, before: times, after: times, fixedReason: s.fixed?.reason ?? null, hasCoordinates: s.coords !== null };
    }),
    before: totals(beforeKm, beforeFinish),
    after: totals(beforeKm, beforeFinish),
    slots: [],
    notes,
    exact,
  });

  const movable = stops.filter((s) => !s.fixed && s.pinnedAt === null).length;
  if (movable < 2) return asIs('too_few_stops', n === 0 ? `${provider.name} has no stops on ${day}` : 'Fewer than two stops can move: nothing to reorder', true);

  const search = options.search ?? 'auto';
  const exact = search === 'auto' ? n <= (options.exactUpTo ?? EXACT_UP_TO) : search !== 'local';
  const best =
    search === 'brute'
      ? bruteBest(n, evaluate)
      : exact
        ? exactBest(n, evaluate, { homeKm, legKm, legMs, startAt, endOf, stops, fixedRank })
        : localSearch(n, searcher, stops, legKm, homeKm, (plan) => windowSweeps(plan, evaluate, { homeKm, legKm, legMs, startAt, endOf, stops, fixedRank }));
  const baseline = evaluate(current);
  if (!best) return asIs('no_valid_order', 'No order keeps every window, fixed time and working hour with the drive between stops', exact);
  if (best.km > beforeKm - MIN_GAIN_KM || (baseline && best.km >= baseline.km - MIN_GAIN_KM)) {
    return asIs('nothing_to_gain', `The current order is already the shortest${exact ? '' : ' found'} (${formatDistance(beforeKm, world.settings.distanceUnit ?? 'km')})`, exact);
  }

  // The engine is the judge: any conflict the new times add (not there before) and the order is not proposed.
  const moved = new Map<string, Booking>();
  best.order.forEach((j, k) => {
    const s = stops[j]!;
    const start = best.starts[k]!;
    if (start !== s.currentStart) moved.set(s.booking.id, { ...s.booking, slot: { ...s.booking.slot!, start: fromMs(start), end: fromMs(start + s.slotMs) } });
  });
  const after = jobs.map((b) => moved.get(b.id) ?? b);
  const conflictsAfter = findConflictsOf(world, after, [...neighbours, ...after]);
  const had = new Set([...conflictsBefore.values()].flat().map(conflictKey));
  const added = [...conflictsAfter.values()].flat().filter((c) => !had.has(conflictKey(c)));
  if (added.length > 0) {
    return asIs('no_valid_order', `The shorter order would break a rule: ${reasonsOf(added).join('; ')}`, exact);
  }

  const place = new Map(best.order.map((j, k) => [j, k]));
  const plans: RouteStopPlan[] = best.order.map((j, k) => {
    const s = stops[j]!;
    const start = best.starts[k]!;
    return {
      bookingId: s.booking.id,
      title: s.booking.title,
      before: { order: j + 1, start: s.booking.slot!.start, end: s.booking.slot!.end },
      after: { order: place.get(j)! + 1, start: fromMs(start), end: fromMs(start + s.slotMs) },
      fixedReason: s.fixed?.reason ?? null,
      hasCoordinates: s.coords !== null,
    };
  });
  const finishAfter = Math.max(...plans.map((p) => toMs(p.after.end)));
  const saved = round1(beforeKm - best.km);
  const fmt = formatterFor({ timeZone: zone, timeFormat: world.settings.timeFormat ?? '24h' });
  const unit = world.settings.distanceUnit ?? 'km';
  return {
    providerId: provider.id,
    day,
    outcome: 'better',
    message: `${formatDistance(saved, unit)} shorter: ${formatDistance(beforeKm, unit)} → ${formatDistance(best.km, unit)}, last stop ends ${fmt.time(finishAfter)}${localDateOf(finishAfter, zone) === day ? '' : ` on ${fmt.day(finishAfter)}`}`,
    stops: plans,
    before: totals(beforeKm, beforeFinish),
    after: totals(best.km, finishAfter),
    slots: [...moved.values()].map((b) => ({ id: b.id, slot: b.slot! })),
    notes,
    exact,
  };
}

/** Working time on the day minus time off, merged, in order. */
function availableSpans(provider: Provider, day: LocalDate, zone: string): Span[] {
  const off = provider.timeOff.map((t) => ({ start: toMs(t.start), end: toMs(t.end) })).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  const work = [...workingSpans(provider, day, zone)].sort((a, b) => a.start - b.start);
  for (const w of work) {
    let pieces: Span[] = [w];
    for (const o of off) {
      pieces = pieces.flatMap((p) => (o.end <= p.start || o.start >= p.end ? [p] : [
        ...(o.start > p.start ? [{ start: p.start, end: o.start }] : []),
        ...(o.end < p.end ? [{ start: o.end, end: p.end }] : []),
      ]));
    }
    for (const p of pieces) {
      const last = out.at(-1);
      if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
      else out.push({ ...p });
    }
  }
  return out;
}

/** The earliest start at or after `t` (on a 5-minute mark) where `length` fits in one open span. */
function fitInto(open: readonly Span[], t: number, length: number): number | null {
  for (const span of open) {
    const start = ceilStep(Math.max(t, span.start));
    if (start + length <= span.end) return start;
  }
  return null;
}

interface ExactParts {
  homeKm: number[];
  legKm: number[][];
  legMs: number[][];
  startAt: (j: number, prev: number, arrive: number) => number | null;
  endOf: (j: number, start: number, clock: number) => number;
  stops: Stop[];
  fixedRank: Map<number, number>;
}

interface Label {
  km: number;
  clock: number;
  last: number;
  parent: Label | null;
}

/**
 * Exact: labels over (visited set, last stop), keeping every label not beaten on both distance and the
 * time the last stop ends (with windows, a longer way that ends earlier can still win). Visits fixed stops
 * in their time order and stops without coordinates at their own place.
 */
function exactBest(n: number, evaluate: (order: readonly number[]) => Plan | null, p: ExactParts): Plan | null {
  const full = (1 << n) - 1;
  const labels: Array<Map<number, Label[]>> = Array.from({ length: 1 << n }, () => new Map());
  const fixedMaskBefore = p.stops.map((s, j) => {
    if (!s.fixed) return 0;
    let m = 0;
    for (const [i, r] of p.fixedRank) if (r < p.fixedRank.get(j)!) m |= 1 << i;
    return m;
  });
  const popcount = (m: number) => {
    let c = 0;
    for (let x = m; x; x &= x - 1) c++;
    return c;
  };
  const allowed = (mask: number, j: number) => {
    const s = p.stops[j]!;
    if (s.pinnedAt !== null && s.pinnedAt !== popcount(mask)) return false;
    return (mask & fixedMaskBefore[j]!) === fixedMaskBefore[j]!;
  };
  const insert = (mask: number, label: Label) => {
    const byLast = labels[mask]!;
    const list = byLast.get(label.last) ?? [];
    for (const other of list) if (other.km <= label.km + 1e-9 && other.clock <= label.clock) return;
    const kept = list.filter((o) => !(label.km <= o.km + 1e-9 && label.clock <= o.clock));
    kept.push(label);
    byLast.set(label.last, kept);
  };
  for (let j = 0; j < n; j++) {
    if (!allowed(0, j)) continue;
    const start = p.startAt(j, -1, Number.NEGATIVE_INFINITY);
    if (start === null) continue;
    insert(1 << j, { km: p.homeKm[j]!, clock: p.endOf(j, start, Number.NEGATIVE_INFINITY), last: j, parent: null });
  }
  // Masks in increasing order: every predecessor of a mask is smaller than it.
  for (let mask = 1; mask < full; mask++) {
    for (const list of labels[mask]!.values()) {
      for (const label of list) {
        for (let j = 0; j < n; j++) {
          if (mask & (1 << j) || !allowed(mask, j)) continue;
          const start = p.startAt(j, label.last, label.clock + p.legMs[label.last]![j]!);
          if (start === null) continue;
          insert(mask | (1 << j), { km: label.km + p.legKm[label.last]![j]!, clock: p.endOf(j, start, label.clock), last: j, parent: label });
        }
      }
    }
    labels[mask] = new Map(); // done with it; frees memory as the search goes
  }
  let best: Label | null = null;
  for (const list of labels[full]!.values()) {
    for (const l of list) if (!best || l.km < best.km - 1e-9 || (Math.abs(l.km - best.km) <= 1e-9 && l.clock < best.clock)) best = l;
  }
  if (!best) return null;
  const order: number[] = [];
  for (let l: Label | null = best; l; l = l.parent) order.unshift(l.last);
  return evaluate(order);
}

/** Every order (Heap's algorithm): the yardstick for the other searches on small days. */
function bruteBest(n: number, evaluate: (order: readonly number[]) => Plan | null): Plan | null {
  if (n > 9) throw new Error('Brute force is for at most 9 stops');
  const order = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  let best = evaluate(order);
  for (let i = 1; i < n; ) {
    if (c[i]! < i) {
      const k = i % 2 === 0 ? 0 : c[i]!;
      [order[k], order[i]] = [order[i]!, order[k]!];
      const plan = evaluate(order);
      if (plan && better(plan, best)) best = plan;
      c[i] = c[i]! + 1;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return best;
}

const better = (a: Plan, b: Plan | null) => !b || a.km < b.km - 1e-9 || (Math.abs(a.km - b.km) <= 1e-9 && a.finish < b.finish);

/** Stops per window of `windowSweeps`: 2^8 subsets, a few ms a window. */
const WINDOW = 8;

/**
 * Each run of WINDOW consecutive stops of the local search's order, reordered exactly (labels over its
 * subsets, as `exactBest`, from where the stops before it leave the technician, each finish judged with the
 * stops after it), window by window until a sweep finds nothing shorter. Catches what swaps of one or a
 * few stops cannot reach, at a fraction of the whole day's exact search.
 */
function windowSweeps(start: Plan | null, evaluate: (order: readonly number[]) => Plan | null, p: ExactParts): Plan | null {
  if (!start || start.order.length <= WINDOW) return start;
  let plan = start;
  const n = plan.order.length;
  for (let sweep = 0, improved = true; improved && sweep < 5; sweep++) {
    improved = false;
    for (let from = 0; from + WINDOW <= n; from++) {
      const next = bestInWindow(plan, from, evaluate, p);
      if (next && better(next, plan)) {
        plan = next;
        improved = true;
      }
    }
  }
  return plan;
}

function bestInWindow(plan: Plan, from: number, evaluate: (order: readonly number[]) => Plan | null, p: ExactParts): Plan | null {
  const order = plan.order;
  const ids = order.slice(from, from + WINDOW);
  const suffix = order.slice(from + WINDOW);
  // Where the stops before the window leave the technician.
  let clock = Number.NEGATIVE_INFINITY;
  let last = -1;
  let km0 = 0;
  for (let k = 0; k < from; k++) {
    const j = order[k]!;
    km0 += last < 0 ? p.homeKm[j]! : p.legKm[last]![j]!;
    const start = p.startAt(j, last, last < 0 ? clock : clock + p.legMs[last]![j]!);
    if (start === null) return null;
    clock = p.endOf(j, start, clock);
    last = j;
  }
  const w = ids.length;
  const rankedBefore = ids.map((j) => {
    const r = p.fixedRank.get(j);
    if (r === undefined) return 0;
    let m = 0;
    ids.forEach((i, bit) => {
      const ri = p.fixedRank.get(i);
      if (ri !== undefined && ri < r) m |= 1 << bit;
    });
    return m;
  });
  const labels: Array<Map<number, Label[]>> = Array.from({ length: 1 << w }, () => new Map());
  const insert = (mask: number, label: Label) => {
    const list = labels[mask]!.get(label.last) ?? [];
    for (const o of list) if (o.km <= label.km + 1e-9 && o.clock <= label.clock) return;
    const kept = list.filter((o) => !(label.km <= o.km + 1e-9 && label.clock <= o.clock));
    kept.push(label);
    labels[mask]!.set(label.last, kept);
  };
  let count = 0;
  const step = (mask: number, prev: number, atKm: number, atClock: number, parent: Label | null) => {
    for (let bit = 0; bit < w; bit++) {
      if (mask & (1 << bit) || (mask & rankedBefore[bit]!) !== rankedBefore[bit]!) continue;
      const j = ids[bit]!;
      const pin = p.stops[j]!.pinnedAt;
      if (pin !== null && pin !== from + count) continue;
      const start = p.startAt(j, prev, prev < 0 ? atClock : atClock + p.legMs[prev]![j]!);
      if (start === null) continue;
      insert(mask | (1 << bit), { km: atKm + (prev < 0 ? p.homeKm[j]! : p.legKm[prev]![j]!), clock: p.endOf(j, start, atClock), last: j, parent });
    }
  };
  step(0, last, km0, clock, null);
  for (let mask = 1; mask < (1 << w) - 1; mask++) {
    count = 0;
    for (let x = mask; x; x &= x - 1) count++;
    for (const list of labels[mask]!.values()) for (const l of list) step(mask, l.last, l.km, l.clock, l);
  }
  // Every way the window can end, finished with the stops after it.
  let best: { label: Label; km: number; finish: number } | null = null;
  for (const list of labels[(1 << w) - 1]!.values()) {
    for (const l of list) {
      let km = l.km;
      let at = l.clock;
      let prev = l.last;
      let ok = true;
      for (const j of suffix) {
        km += p.legKm[prev]![j]!;
        const start = p.startAt(j, prev, at + p.legMs[prev]![j]!);
        if (start === null) {
          ok = false;
          break;
        }
        at = p.endOf(j, start, at);
        prev = j;
      }
      if (ok && (!best || km < best.km - 1e-9 || (km <= best.km + 1e-9 && at < best.finish))) best = { label: l, km, finish: at };
    }
  }
  if (!best) return null;
  const window: number[] = [];
  for (let l: Label | null = best.label; l; l = l.parent) window.unshift(l.last);
  return evaluate([...order.slice(0, from), ...window, ...suffix]);
}

interface Search {
  evaluate: (order: readonly number[]) => Plan | null;
  /** Distance of `order` and when it ends, or Infinity when it breaks a rule or runs past `bound` km. */
  cost: (order: ArrayLike<number>, bound: number) => { km: number; finish: number };
}

/** Kicks of the iterated local search: a fixed number, so the same day always gives the same order. */
const KICKS = 10;

/**
 * Local search from a few starts (the current order, earliest deadline first, nearest feasible neighbour),
 * each polished (`windowSweeps`), then an iterated local search: a seeded random double-bridge kick of the
 * best order, improved again, kept (and polished) when shorter.
 */
function localSearch(n: number, search: Search, stops: Stop[], legKm: number[][], homeKm: number[], polish: (plan: Plan) => Plan | null): Plan | null {
  const deadline = (j: number) => stops[j]!.fixed?.start ?? stops[j]!.to;
  const starts: number[][] = [
    stops.map((_, i) => i),
    stops.map((_, i) => i).sort((a, b) => deadline(a) - deadline(b) || a - b),
    nearestNeighbour(n, search.evaluate, legKm, homeKm),
  ];
  let best: Plan | null = null;
  for (const order of starts) {
    const first = search.evaluate(order);
    if (!first) continue;
    const plan = polish(improve(first, search)) ?? first;
    if (better(plan, best)) best = plan;
  }
  if (!best || n < 8) return best;
  let seed = 0x2545f491 ^ n;
  const random = () => {
    // xorshift32: deterministic kicks
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  for (let kick = 0; kick < KICKS; kick++) {
    const o = best.order;
    const a = 1 + Math.floor(random() * (n - 3));
    const b = a + 1 + Math.floor(random() * (n - a - 2));
    const c = b + 1 + Math.floor(random() * (n - b - 1));
    // Double bridge: A C B D, the move 2-opt and or-opt cannot undo in one step.
    const kicked = [...o.slice(0, a), ...o.slice(b, c), ...o.slice(a, b), ...o.slice(c)];
    const plan = search.evaluate(kicked);
    if (!plan) continue;
    const improved = improve(plan, search);
    if (better(improved, best)) best = polish(improved) ?? improved;
  }
  return best;
}

function nearestNeighbour(n: number, evaluate: (order: readonly number[]) => Plan | null, legKm: number[][], homeKm: number[]): number[] {
  const order: number[] = [];
  const left = new Set(Array.from({ length: n }, (_, i) => i));
  while (left.size) {
    const prev = order.at(-1);
    const candidates = [...left].sort((a, b) => (prev === undefined ? homeKm[a]! - homeKm[b]! : legKm[prev]![a]! - legKm[prev]![b]!) || a - b);
    // The nearest one whose prefix still keeps the rules (the full order is judged later anyway).
    const pick = candidates.find((j) => evaluate([...order, j]) !== null) ?? candidates[0]!;
    order.push(pick);
    left.delete(pick);
  }
  return order;
}

/**
 * Or-opt (move a run of 1–3 stops elsewhere, either way round), swaps and 2-opt (reverse a run) until none
 * shortens the route. Candidates are built in one buffer and costed without allocating.
 */
function improve(start: Plan, search: Search): Plan {
  let plan = start;
  const n = plan.order.length;
  const buf = new Int32Array(n);
  const tryBuf = (): boolean => {
    const { km, finish } = search.cost(buf, plan.km + 1e-9);
    if (!(km < plan.km - 1e-9 || (km <= plan.km + 1e-9 && finish < plan.finish))) return false;
    const next = search.evaluate(Array.from(buf));
    if (!next) return false;
    plan = next;
    return true;
  };
  for (let improved = true, rounds = 0; improved && rounds < 200; rounds++) {
    improved = false;
    const o = plan.order;
    // Or-opt: the run o[i..i+len) taken out and put back before rest[at].
    for (let len = 1; len <= 3 && !improved; len++) {
      for (let i = 0; i + len <= n && !improved; i++) {
        for (let at = 0; at <= n - len && !improved; at++) {
          if (at === i) continue;
          for (const reversed of len > 1 ? [false, true] : [false]) {
            let w = 0;
            for (let r = 0; r <= n - len; r++) {
              if (r === at) for (let q = 0; q < len; q++) buf[w++] = o[reversed ? i + len - 1 - q : i + q]!;
              if (r < n - len) buf[w++] = o[r < i ? r : r + len]!;
            }
            if (tryBuf()) {
              improved = true;
              break;
            }
          }
        }
      }
    }
    // Swap two stops.
    for (let i = 0; i < n - 1 && !improved; i++) {
      for (let k = i + 1; k < n && !improved; k++) {
        for (let q = 0; q < n; q++) buf[q] = o[q]!;
        buf[i] = o[k]!;
        buf[k] = o[i]!;
        if (tryBuf()) improved = true;
      }
    }
    // 2-opt: o[i..k] reversed.
    for (let i = 0; i < n - 1 && !improved; i++) {
      for (let k = i + 1; k < n && !improved; k++) {
        for (let q = 0; q < n; q++) buf[q] = q < i || q > k ? o[q]! : o[k - (q - i)]!;
        if (tryBuf()) improved = true;
      }
    }
  }
  return plan;
}
