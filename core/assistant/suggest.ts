import { personSpan, workingSpans, type ConflictWorld, type Span } from '../conflicts';
import type { Booking, Coordinates, Customer, Priority, Provider, Settings, Slot } from '../model';
import { effectiveStatus } from '../status';
import { dayBoundsMs, fromMs, HOUR_MS, localDateOf, localDatesBetween, MINUTE_MS, toMs, type LocalDate } from '../time';
import { countText, type Formatter, formatterFor } from '../format';
import { drivingMinutes, jobCoordinates, roadKm, travelModelOf, type TravelModel } from '../travel';
import { formatDistance, type DistanceUnit } from '../units';
import { availableMinutes } from './capacity';
import { breaksWith, memberBreaks, reasonsOf } from './hard-rules';
import { timeFreedom } from './time-freedom';

/**
 * "Suggest a technician" (issue #19, docs/design.md §3): every provider ranked for one job. The conflict
 * engine is the only judge of hard rules (hard-rules.ts): a provider it would report anything against is
 * listed last, with its sentences. The others are ordered by soft scores, each explained in words: travel
 * added from the previous stop and to the next one, the day's load, this customer served before, and how
 * the job's priority fits. Pure and deterministic: the same input gives the same list.
 */

export const SUGGEST_STEP_MINUTES = 15;
/** A queued job with neither its own slot nor a service lasts an hour (as when it is dragged onto a row). */
const DEFAULT_MINUTES = 60;

export type SuggestWorld = ConflictWorld & { settings: Pick<Settings, 'timeZone' | 'autoResize' | 'travelSpeedKmh' | 'travelDistanceFactor'> };

export interface SuggestInput {
  world: SuggestWorld;
  booking: Booking;
  /** The day a job without a date is planned on (the board's day); a dated job keeps its own. */
  day: LocalDate;
  /** The providers to rank (every active one, plus whoever is on the job now). */
  providers: readonly Provider[];
  /**
   * Each provider's bookings that may touch the job's day, as the dispatcher sees them (staged edits
   * applied); others' and other days' are harmless. The job itself may be among them.
   */
  bookingsOf: (providerId: string) => readonly Booking[];
  customers: ReadonlyMap<string, Customer>;
  /** How many earlier jobs each provider did for this job's customer (`servedBefore`). */
  served: ReadonlyMap<string, number>;
  /** Now: a job without a date is not planned to start in the past (the board's day may be today). */
  notBefore?: number;
}

export interface SoftScore {
  /** Points added to the provider's cost (lower is better; negative is a bonus). */
  points: number;
  reason: string;
}

export interface Suggestion {
  providerId: string;
  name: string;
  /** What picking this provider stages: the job at its start with them alone (a crew is `CrewSuggestion`). */
  slot: Slot;
  /** No hard rule broken for this provider at this time. */
  ok: boolean;
  /** The engine's sentences when not ok. */
  hardReasons: string[];
  /** Sum of the soft scores' points (lower is better). */
  score: number;
  travel: SoftScore & { minutes: number | null; km: number | null };
  load: SoftScore & { utilizationAfter: number | null };
  customer: SoftScore & { jobs: number };
  priority: SoftScore;
  /** Already on the job. */
  current: boolean;
}

export interface CrewSuggestion {
  providerIds: string[];
  names: string[];
  slot: Slot;
  score: number;
  reason: string;
}

export interface SuggestResult {
  bookingId: string;
  title: string;
  teamSize: number;
  /** The job's time is kept (it has one), or chosen per provider within `from`..`to` of the day. */
  time: { kind: 'kept'; start: string } | { kind: 'chosen'; day: LocalDate };
  durationMinutes: number;
  ranked: Suggestion[];
  /** Team jobs (teamSize > 1): the best crew found, or null with `crewReason`. */
  crew: CrewSuggestion | null;
  crewReason: string | null;
}

/** How long the job lasts when placed: its own slot, else its service's duration, else an hour. */
export function plannedMs(booking: Booking, world: ConflictWorld): number {
  if (booking.slot) return toMs(booking.slot.end) - toMs(booking.slot.start);
  const service = booking.serviceId ? world.services.get(booking.serviceId) : undefined;
  return (service?.durationMinutes ?? DEFAULT_MINUTES) * MINUTE_MS;
}

/** Weights, in "minutes of travel" (one added minute of driving costs one point). */
const LOAD_POINTS = 60; // a day going from empty to full weighs as an hour of driving
const SERVED_POINTS = 10; // per earlier job for this customer, up to three
const SERVED_CAP = 3;
/** Points per minute a job waits after the earliest start any technician could give it. */
const DELAY_POINTS: Record<Priority, number> = { emergency: 1, high: 0.25, normal: 0, low: 0 };
/** Urgent jobs go to lighter days: an emergency on a full day may be delayed by what is already there. */
const LOAD_FACTOR: Record<Priority, number> = { emergency: 2, high: 1.5, normal: 1, low: 0.5 };

const fmtMinutes = (m: number): string => {
  const r = Math.round(m);
  if (r < 60) return `${r} min`;
  return r % 60 === 0 ? `${r / 60} h` : `${Math.floor(r / 60)} h ${r % 60} min`;
};
const round2 = (n: number) => Math.round(n * 100) / 100;
/** Instants as text, remembered (Temporal's formatting is a good part of a ranking otherwise). */
const instants = new Map<number, string>();
const instantOf = (ms: number): string => {
  let text = instants.get(ms);
  if (text === undefined) {
    if (instants.size > 50_000) instants.clear();
    instants.set(ms, (text = fromMs(ms)));
  }
  return text;
};

interface Stop {
  span: Span;
  at: Coordinates | null;
  title: string;
}

interface DayContext {
  stops: Stop[];
  /** Where the day starts when there is no earlier stop. */
  home: Coordinates | null;
  bookedMinutes: number;
  availableMinutes: number;
  /** Busy spans (jobs and time off) the free-gap search steps around. */
  busy: Span[];
  working: Span[];
}

interface Judged {
  start: number;
  travel: Suggestion['travel'];
  breaks: string[];
}

export function suggest(input: SuggestInput): SuggestResult {
  const { world, booking, customers } = input;
  const zone = world.settings.timeZone;
  const unit = world.settings.distanceUnit ?? 'km';
  const model = travelModelOf(world.settings);
  const date = planningDay(booking, input.day, zone);
  const freedom = booking.slot ? null : timeFreedom(booking, date, zone);
  const [dayStart, dayEnd] = dayBoundsMs(date, zone);
  const lengthMs = plannedMs(booking, world);
  const here = jobCoordinates(booking, booking.customerId ? customers.get(booking.customerId) : undefined);
  const current = new Set(booking.slot?.assignees ?? []);
  // Each member's own time under auto-resize (the labor shared by the whole crew).
  const memberMs = (crewSize: number) =>
    world.settings.autoResize ? Math.round((booking.laborHours / Math.max(1, crewSize)) * HOUR_MS) : lengthMs;
  const ownMs = memberMs(booking.teamSize);

  const contexts = new Map<string, DayContext>();
  const contextOf = (p: Provider): DayContext => {
    let ctx = contexts.get(p.id);
    if (!ctx) contexts.set(p.id, (ctx = dayContext(world, p, input.bookingsOf(p.id), booking.id, date, dayStart, dayEnd, customers)));
    return ctx;
  };
  const neighboursOf = (ids: readonly string[]) => ids.flatMap((id) => input.bookingsOf(id));

  const slotAt = (start: number, assignees: string[]): Slot => ({ start: instantOf(start), end: instantOf(start + lengthMs), assignees });
  const judge = (p: Provider, start: number): Judged => {
    const ctx = contextOf(p);
    const slot = slotAt(start, [p.id]);
    const conflicts =
      booking.teamSize > 1 ? memberBreaks(world, input.bookingsOf(p.id), booking, slot, p.id) : breaksWith(world, input.bookingsOf(p.id), booking, slot);
    return { start, travel: travelAt(ctx, start, start + ownMs, here, model, unit), breaks: reasonsOf(conflicts) };
  };

  /** Not in the past; a past day is planned as asked (nothing of it is ahead). */
  const earliest = (f: { from: number; to: number }) =>
    input.notBefore !== undefined && input.notBefore <= f.to ? Math.max(f.from, input.notBefore) : f.from;

  /** A dated job keeps its start; otherwise each provider's best free start (least added travel, earliest). */
  const chooseStart = (p: Provider): number => {
    if (booking.slot) return toMs(booking.slot.start);
    const f = freedom!;
    if (f.kind === 'fixed') return f.start;
    const from = earliest(f);
    const ctx = contextOf(p);
    const weight = DELAY_POINTS[booking.priority];
    let best: { start: number; cost: number } | null = null;
    for (const start of candidateStarts(ctx, from, f.to, ownMs, dayStart)) {
      const t = travelAt(ctx, start, start + ownMs, here, model, unit);
      const cost = (t.minutes ?? 0) + (weight * (start - from)) / MINUTE_MS;
      if (!best || cost < best.cost - 1e-9) best = { start, cost };
    }
    if (best) return best.start;
    // Nowhere free: the first working start (or the window's) shows the engine's reason for it.
    const first = ctx.working.map((w) => Math.max(w.start, from)).find((s) => s <= f.to);
    return stepUp(first ?? from, dayStart);
  };

  /** Where a crew may start: a kept or fixed time, else every 15-minute mark of the job's freedom. */
  const crewStarts = (): number[] => {
    if (booking.slot) return [toMs(booking.slot.start)];
    const f = freedom!;
    if (f.kind === 'fixed') return [f.start];
    const out: number[] = [];
    for (let s = stepUp(earliest(f), dayStart); s <= f.to; s += SUGGEST_STEP_MINUTES * MINUTE_MS) out.push(s);
    return out;
  };

  const judged = input.providers.map((p) => ({ p, j: judge(p, chooseStart(p)) }));
  const okStarts = judged.filter((x) => x.j.breaks.length === 0).map((x) => x.j.start);
  const earliestOk = okStarts.length ? Math.min(...okStarts) : null;

  const ranked = judged.map(({ p, j }): Suggestion => {
    const ctx = contextOf(p);
    const load = loadScore(ctx, ownMs, booking.priority);
    const jobs = input.served.get(p.id) ?? 0;
    const customer = customerScore(jobs, booking.customerId !== null);
    const priority = priorityScore(booking.priority, j.start, earliestOk, booking.slot !== null, clockOf(world));
    return {
      providerId: p.id,
      name: p.name,
      slot: slotAt(j.start, [p.id]),
      ok: j.breaks.length === 0,
      hardReasons: j.breaks,
      score: round2(j.travel.points + load.points + customer.points + priority.points),
      travel: j.travel,
      load,
      customer,
      priority,
      current: current.has(p.id),
    };
  });
  ranked.sort(bySuggestion);

  let crew: CrewSuggestion | null = null;
  let crewReason: string | null = null;
  if (booking.teamSize > 1) {
    const quick = (p: Provider, start: number) => {
      const ctx = contextOf(p);
      const free = isFree(ctx, start, start + ownMs);
      return { free, travelPoints: free ? travelAt(ctx, start, start + ownMs, here, model, unit).points : 0 };
    };
    const found = suggestCrew(input, ranked, crewStarts(), judge, quick, slotAt, neighboursOf);
    crew = found.crew;
    crewReason = found.reason;
  }

  return {
    bookingId: booking.id,
    title: booking.title,
    teamSize: booking.teamSize,
    time: booking.slot ? { kind: 'kept', start: booking.slot.start } : { kind: 'chosen', day: date },
    durationMinutes: Math.round(lengthMs / MINUTE_MS),
    ranked,
    crew,
    crewReason,
  };
}

/**
 * The local day a job is ranked on: its own when it has a time; without one, the board's day, unless its
 * arrival window pins it to another (`timeFreedom`). The caller reads each provider's bookings of this day.
 */
export function planningDay(booking: Booking, day: LocalDate, zone: string): LocalDate {
  if (booking.slot) return localDateOf(toMs(booking.slot.start), zone);
  const freedom = timeFreedom(booking, day, zone);
  return freedom.kind === 'fixed' ? localDateOf(freedom.start, zone) : day;
}

/** Rule-abiding first, then lower cost, then name, then id: a stable, deterministic order. */
export function bySuggestion(a: Suggestion, b: Suggestion): number {
  if (a.ok !== b.ok) return a.ok ? -1 : 1;
  if (a.score !== b.score) return a.score - b.score;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : 0;
}

function dayContext(
  world: ConflictWorld,
  p: Provider,
  bookings: readonly Booking[],
  jobId: string,
  date: LocalDate,
  dayStart: number,
  dayEnd: number,
  customers: ReadonlyMap<string, Customer>,
): DayContext {
  const zone = world.settings.timeZone;
  const stops: Stop[] = [];
  let bookedMs = 0;
  for (const b of bookings) {
    if (b.id === jobId || !b.slot || !b.slot.assignees.includes(p.id)) continue;
    if (effectiveStatus(b.status, b.slot) === 'cancelled') continue;
    const span = personSpan(b, world.settings.autoResize)!;
    if (span.end <= dayStart || span.start >= dayEnd) continue;
    bookedMs += Math.min(span.end, dayEnd) - Math.max(span.start, dayStart);
    stops.push({ span, at: jobCoordinates(b, b.customerId ? customers.get(b.customerId) : undefined), title: b.title });
  }
  stops.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const off = p.timeOff.map((t) => ({ start: toMs(t.start), end: toMs(t.end) })).filter((t) => t.end > dayStart && t.start < dayEnd);
  return {
    stops,
    home: p.coordinates,
    bookedMinutes: Math.round(bookedMs / MINUTE_MS),
    availableMinutes: availableMinutes(p, date, zone),
    busy: [...stops.map((s) => s.span), ...off].sort((a, b) => a.start - b.start),
    working: workingSpans(p, date, zone),
  };
}

/** The first 15-minute mark (counted from local midnight) at or after `ms`. */
function stepUp(ms: number, dayStart: number): number {
  const step = SUGGEST_STEP_MINUTES * MINUTE_MS;
  return dayStart + Math.ceil((ms - dayStart) / step) * step;
}

/** Inside working hours and clear of jobs and time off (a quick look; the engine still judges). */
function isFree(ctx: DayContext, start: number, end: number): boolean {
  return ctx.working.some((w) => w.start <= start && end <= w.end) && !ctx.busy.some((b) => b.start < end && b.end > start);
}

/** Starts on the day's 15-minute marks where the job fits inside working hours, clear of jobs and time off. */
function* candidateStarts(ctx: DayContext, from: number, to: number, ownMs: number, dayStart: number): Generator<number> {
  const step = SUGGEST_STEP_MINUTES * MINUTE_MS;
  for (const w of ctx.working) {
    for (let s = stepUp(Math.max(w.start, from), dayStart); s <= to && s + ownMs <= w.end; s += step) {
      const clash = ctx.busy.find((b) => b.start < s + ownMs && b.end > s);
      // Past the clash in one jump (the loop adds the step back), instead of every step inside it.
      if (clash) s = Math.max(s, stepUp(clash.end, dayStart) - step);
      else yield s;
    }
  }
}

/** Added travel for the job at [start, end): previous stop (or home) → job → next stop, less previous → next. */
function travelAt(ctx: DayContext, start: number, end: number, here: Coordinates | null, model: TravelModel, unit: DistanceUnit): Suggestion['travel'] {
  let prev: Stop | null = null;
  let next: Stop | null = null;
  for (const s of ctx.stops) {
    if (s.span.end <= start) prev = s;
    else if (s.span.start >= end) {
      next = s;
      break;
    }
  }
  if (!here) return { points: 0, minutes: null, km: null, reason: 'Travel unknown: the job has no map position' };
  const from = prev ? prev.at : ctx.home;
  const legKm = (a: Coordinates | null) => (a ? roadKm(a, here, model) : null);
  const inKm = legKm(from);
  const outKm = next ? legKm(next.at) : 0;
  if (inKm === null || outKm === null) {
    const what = inKm === null ? (prev ? `"${prev.title}"` : 'their home base') : `"${next!.title}"`;
    return { points: 0, minutes: null, km: null, reason: `Travel unknown: ${what} has no map position` };
  }
  const direct = prev?.at && next?.at ? roadKm(prev.at, next.at, model) : 0;
  const km = Math.max(0, inKm + outKm - direct);
  const minutes = drivingMinutes(km, model);
  const inText = `${fmtMinutes(drivingMinutes(inKm, model))} (${formatDistance(inKm, unit)}) from ${prev ? `"${prev.title}"` : 'their home base'}`;
  // With a next stop the legs are not the cost: the detour is (the drive between the two stops is saved).
  const outText = next ? `, ${fmtMinutes(drivingMinutes(outKm, model))} (${formatDistance(outKm, unit)}) on to "${next.title}": ${fmtMinutes(minutes)} added` : '';
  return { points: round2(minutes), minutes: round2(minutes), km: round2(km), reason: `Travel ${inText}${outText}` };
}

function loadScore(ctx: DayContext, ownMs: number, priority: Priority): Suggestion['load'] {
  const own = Math.round(ownMs / MINUTE_MS);
  const after = ctx.bookedMinutes + own;
  if (ctx.availableMinutes <= 0) {
    return { points: LOAD_POINTS * 2, utilizationAfter: null, reason: 'No working time on this day' };
  }
  const before = ctx.bookedMinutes / ctx.availableMinutes;
  const u = after / ctx.availableMinutes;
  const points = round2(LOAD_POINTS * LOAD_FACTOR[priority] * Math.min(u, 2));
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const base = `Day ${pct(before)} booked (${fmtMinutes(ctx.bookedMinutes)} of ${fmtMinutes(ctx.availableMinutes)}), ${pct(u)} with this job`;
  return { points, utilizationAfter: round2(u), reason: u > 1 ? `${base}: over capacity` : base };
}

function customerScore(jobs: number, hasCustomer: boolean): Suggestion['customer'] {
  if (!hasCustomer) return { points: 0, jobs: 0, reason: 'No customer on this job' };
  if (jobs === 0) return { points: 0, jobs, reason: 'Has not served this customer before' };
  return { points: -SERVED_POINTS * Math.min(jobs, SERVED_CAP), jobs, reason: `Served this customer before (${countText(jobs, 'job')})` };
}

/** The organization's clock for the reasons' times (24 h when the world does not say). */
const clockOf = (world: ConflictWorld): Formatter => formatterFor({ timeZone: world.settings.timeZone, timeFormat: world.settings.timeFormat ?? '24h' });

function priorityScore(priority: Priority, start: number, earliest: number | null, kept: boolean, fmt: Formatter): SoftScore {
  const name = priority === 'emergency' ? 'Emergency' : priority === 'high' ? 'High priority' : priority === 'low' ? 'Low priority' : 'Normal priority';
  if (priority === 'normal' || priority === 'low') {
    return { points: 0, reason: `${name}: any free time that day fits${priority === 'low' ? ', a busy day too' : ''}` };
  }
  if (kept || earliest === null) return { points: 0, reason: `${name} at a set time: lighter days come first` };
  const late = Math.max(0, (start - earliest) / MINUTE_MS);
  if (late === 0) return { points: 0, reason: `${name}: the earliest start of anyone (${fmt.time(start)})` };
  return {
    points: round2(DELAY_POINTS[priority] * late),
    reason: `${name}: starts ${fmt.time(start)}, ${fmtMinutes(late)} after the earliest possible (${fmt.time(earliest)})`,
  };
}

/**
 * A crew for a team job, greedy: at each start the job may take (a kept time: that one; otherwise every
 * 15-minute mark of the day where enough of them are free), the rule-abiding providers free then, best
 * score first, each confirmed by the engine, as many as the job needs; the cheapest crew wins (earliest on
 * ties), and only if the engine, judging the whole crew on the job, reports nothing. Not an exhaustive
 * search: a cheaper crew that needs someone other than the best-scored free ones at a start is missed.
 */
function suggestCrew(
  input: SuggestInput,
  ranked: readonly Suggestion[],
  starts: readonly number[],
  judge: (p: Provider, start: number) => Judged,
  quick: (p: Provider, start: number) => { free: boolean; travelPoints: number },
  slotAt: (start: number, assignees: string[]) => Slot,
  neighboursOf: (ids: readonly string[]) => Booking[],
): { crew: CrewSuggestion | null; reason: string | null } {
  const { booking, world } = input;
  const need = booking.teamSize;
  const byId = new Map(input.providers.map((p) => [p.id, p]));
  // Only those fine alone at their own best time (skills and the like do not change with the time).
  const fine = ranked.filter((s) => s.ok);
  let best: CrewSuggestion | null = null;
  for (const start of starts) {
    // Who is free then, on a quick look, scored at this start (their other scores do not depend on the
    // time, priority aside).
    const free = fine
      .map((s) => ({ s, q: quick(byId.get(s.providerId)!, start) }))
      .filter(({ q }) => q.free)
      .map(({ s, q }) => ({ s, score: round2(s.score - s.travel.points + q.travelPoints) }))
      .sort((a, b) => a.score - b.score || bySuggestion(a.s, b.s));
    if (free.length < need) continue;
    const bound = round2(free.slice(0, need).reduce((sum, m) => sum + m.score, 0));
    if (best && bound >= best.score) continue;
    const members: typeof free = [];
    for (const m of free) {
      if (members.length === need) break;
      if (toMs(m.s.slot.start) === start || judge(byId.get(m.s.providerId)!, start).breaks.length === 0) members.push(m);
    }
    if (members.length < need) continue;
    const score = round2(members.reduce((sum, m) => sum + m.score, 0));
    if (best && score >= best.score) continue;
    const ids = members.map((m) => m.s.providerId);
    const slot = slotAt(start, ids);
    if (breaksWith(world, neighboursOf(ids), booking, slot).length > 0) continue;
    best = {
      providerIds: ids,
      names: members.map((m) => m.s.name),
      slot,
      score,
      reason: `${clockOf(world).list(members.map((m) => m.s.name))}: the ${need} best-scored technicians free together at ${clockOf(world).time(start)} (chosen greedily)`,
    };
  }
  if (best) return { crew: best, reason: null };
  const n = fine.length;
  if (n >= need) return { crew: null, reason: `No crew of ${need}: the ${n} technicians who could take it alone are never free together that day` };
  return { crew: null, reason: `No crew of ${need}: ${n === 0 ? 'nobody is' : n === 1 ? 'only one technician is' : `only ${n} technicians are`} free without breaking a rule` };
}

/**
 * The index the ranking reads at scale: each provider's bookings by local day, and per customer how many
 * jobs each provider did for them before a given instant. Built once over a whole board.
 */
export class SuggestIndex {
  private readonly byProviderDay = new Map<string, Booking[]>();
  private readonly byCustomer = new Map<string, Booking[]>();
  constructor(bookings: Iterable<Booking>, private readonly zone: string) {
    for (const b of bookings) {
      if (b.customerId) {
        const list = this.byCustomer.get(b.customerId);
        if (list) list.push(b);
        else this.byCustomer.set(b.customerId, [b]);
      }
      if (!b.slot) continue;
      // A job is filed under every local day it touches (a night job, a job of several days).
      const days = localDatesBetween(toMs(b.slot.start), Math.max(toMs(b.slot.start) + 1, toMs(b.slot.end)), zone);
      for (const a of b.slot.assignees) {
        for (const d of days) {
          const key = `${a}|${d}`;
          const list = this.byProviderDay.get(key);
          if (list) list.push(b);
          else this.byProviderDay.set(key, [b]);
        }
      }
    }
  }

  /** One provider's bookings touching `date`. */
  bookingsOf(providerId: string, date: LocalDate): Booking[] {
    return this.byProviderDay.get(`${providerId}|${date}`) ?? [];
  }

  served(customerId: string | null, beforeMs: number, exceptId: string): Map<string, number> {
    return servedBefore(customerId ? (this.byCustomer.get(customerId) ?? []) : [], customerId, beforeMs, exceptId);
  }
}

/** Per provider, the customer's earlier jobs they were on (started before `beforeMs`, not cancelled). */
export function servedBefore(bookings: Iterable<Booking>, customerId: string | null, beforeMs: number, exceptId: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!customerId) return out;
  for (const b of bookings) {
    if (b.id === exceptId || b.customerId !== customerId || !b.slot) continue;
    if (toMs(b.slot.start) >= beforeMs || effectiveStatus(b.status, b.slot) === 'cancelled') continue;
    for (const a of b.slot.assignees) out.set(a, (out.get(a) ?? 0) + 1);
  }
  return out;
}
