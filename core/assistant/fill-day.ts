import { findConflictsOf, personSpan, workingSpans, type ConflictWorld, type Span } from '../conflicts';
import type { Booking, Coordinates, Customer, Provider, Service, Settings, Slot } from '../model';
import { effectiveStatus, isClosed } from '../status';
import { dayBoundsMs, fromMs, HOUR_MS, localDateOf, MINUTE_MS, toMs, type LocalDate } from '../time';
import { countText, formatterFor, type TimeFormat } from '../format';
import { drivingMinutes, jobCoordinates, roadKm, travelModelOf, type TravelModel } from '../travel';
import { availableMinutes } from './capacity';
import { breaksWith, reasonsOf } from './hard-rules';
import { timeFreedom } from './time-freedom';

/**
 * Fill a day (issue #19, docs/design.md §3): assign a set of unassigned jobs to providers on one day.
 *
 * Hard rules are the conflict engine's and always hold: the heuristic keeps its own fast model of each
 * provider's day (working time minus time off, the jobs already there, travel between stops), and every
 * placement it commits is judged by the engine (`findConflictsOf`, the same call `breaksWith` makes); the
 * final result is judged once more over everything, and a job the engine flags is taken back out.
 *
 * Then it minimises `travelWeight × km + balanceWeight × BALANCE_KM × Σ utilization²` (Σu² is smallest when
 * the same booked time is spread evenly): regret insertion (the job that would lose most by waiting goes
 * first, emergencies before high before normal), then local search within a budget: relocate and swap, then
 * ruin and recreate (a job and its nearest neighbours taken out and put back by regret or cheapest first, kept
 * when the day got cheaper), then each row's new jobs at once. Crews and jobs with a fixed time are placed
 * first (on a 15-minute grid, the cheapest `teamSize` rows free at that time) and are not moved afterwards.
 * Deterministic: jobs and providers are taken in a fixed order, ties go to the lower index, no randomness.
 *
 * Written as a generator that yields progress, so the backend can run it in slices and stop on cancel.
 */

export interface FillDayInput {
  day: LocalDate;
  /** `timeFormat`: how the explanations write times (24 h when absent). */
  settings: Pick<Settings, 'timeZone' | 'autoResize' | 'travelSpeedKmh' | 'travelDistanceFactor' | 'assistantTravelWeight' | 'assistantBalanceWeight'> & { timeFormat?: TimeFormat };
  /** Every provider (inactive ones are never given work, but existing jobs may name them). */
  providers: readonly Provider[];
  services: readonly Service[];
  /** The customers of the jobs and of the day's existing bookings (for job coordinates). */
  customers: readonly Customer[];
  /** The jobs to place: each is either placed or reported unplaced, exactly once. */
  jobs: readonly Booking[];
  /** The other bookings touching the day (staged edits applied): they stay where they are. */
  bookings: readonly Booking[];
  /** Now (epoch ms), when filling today: no job placed to start before it. */
  notBefore?: number;
  /** Local-search budget, in route evaluations (default LOCAL_SEARCH_BUDGET). */
  searchBudget?: number;
}

export interface PlacedJob {
  id: string;
  title: string;
  slot: Slot;
  /** Why this provider (crew) and time, in words: "Ana Silva: 6 min from the previous stop, 55% loaded". */
  why: string;
}

export interface UnplacedJob {
  id: string;
  title: string;
  /** The engine's reasons, or "No free time …". */
  why: string;
}

export interface FillTotals {
  travelKm: number;
  travelMinutes: number;
  /** Standard deviation of utilization among active providers working that day, in percentage points. */
  loadSpread: number;
  /** Jobs on the day's rows (existing and placed). */
  jobs: number;
}

export interface FillDayResult {
  day: LocalDate;
  placed: PlacedJob[];
  unplaced: UnplacedJob[];
  before: FillTotals;
  after: FillTotals;
}

export interface FillProgress {
  phase: 'placing' | 'improving' | 'checking';
  done: number;
  total: number;
}

/** Σ utilization² is scaled to kilometres: a day going from 50% to 62.5% costs about 3 km of driving. */
export const BALANCE_KM = 20;
export const LOCAL_SEARCH_BUDGET = 100_000;
const STEP_MS = 5 * MINUTE_MS;
const TEAM_GRID_MS = 15 * MINUTE_MS;
const MAX_PASSES = 4;
/** Ruin-and-recreate rounds, by how many nearby jobs each takes out. */
const LNS_SIZES = [3, 5, 8];
const EPS = 1e-6;
const PRIORITY_RANK = { emergency: 3, high: 2, normal: 1, low: 0 } as const;

interface Stop {
  /** Index into `jobs` of a job being placed, or -1 for a booking already there. */
  job: number;
  booking: Booking | null;
  /** Existing bookings, crews and jobs whose time is fixed do not move when a route is re-timed. */
  pinned: boolean;
  start: number;
  end: number;
  loc: number;
}

interface Row {
  index: number;
  provider: Provider;
  home: number;
  /** Working time that day minus time off and minus other days' jobs running into it. */
  free: Span[];
  availableMin: number;
  /** Minutes booked by existing jobs. */
  baseMin: number;
  stops: Stop[];
  km: number;
  /** Bookings of this provider touching the day that are not being placed (for the engine). */
  existing: Booking[];
}

interface Job {
  index: number;
  booking: Booking;
  loc: number;
  slotMs: number;
  personMs: number;
  from: number;
  to: number;
  pinnedStart: number | null;
  pinnedWhy: string | null;
  eligible: number[];
  rows: number[];
  start: number;
  state: 'pending' | 'placed' | 'unplaced';
  why: string;
}

const ceilStep = (ms: number) => Math.ceil(ms / STEP_MS) * STEP_MS;

/** Runs the whole fill at once (tests, benchmarks): the same steps the backend runs in slices. */
export function fillDay(input: FillDayInput): FillDayResult {
  const steps = fillDaySteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export function* fillDaySteps(input: FillDayInput): Generator<FillProgress, FillDayResult, void> {
  const { day, settings } = input;
  const zone = settings.timeZone;
  const fmt = formatterFor({ timeZone: zone, timeFormat: settings.timeFormat ?? '24h' });
  const model: TravelModel = travelModelOf(settings);
  const wTravel = settings.assistantTravelWeight;
  const wBalance = settings.assistantBalanceWeight * BALANCE_KM;
  const [dayStart, dayEnd] = dayBoundsMs(day, zone);
  const world: ConflictWorld = {
    settings: { timeZone: zone, autoResize: settings.autoResize, timeFormat: settings.timeFormat },
    providers: new Map(input.providers.map((p) => [p.id, p])),
    services: new Map(input.services.map((s) => [s.id, s])),
  };
  const customers = new Map(input.customers.map((c) => [c.id, c]));

  // Locations, and the road distances between them computed once each.
  const places: Coordinates[] = [];
  const placeOf = (c: Coordinates | null): number => (c ? places.push(c) - 1 : -1);
  const distMemo = new Map<number, number>();
  const km = (a: number, b: number): number => {
    if (a < 0 || b < 0 || a === b) return 0;
    const key = a < b ? a * 1_000_003 + b : b * 1_000_003 + a;
    let d = distMemo.get(key);
    if (d === undefined) distMemo.set(key, (d = roadKm(places[a]!, places[b]!, model)));
    return d;
  };
  const driveMs = (d: number) => Math.ceil((drivingMinutes(d, model) * MINUTE_MS) / 1000) * 1000;

  // --- Jobs: every input job exactly once; those that cannot take part are unplaced with the reason.
  const jobs: Job[] = [];
  const seen = new Set<string>();
  const sortedJobs = [...input.jobs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const b of sortedJobs) {
    if (seen.has(b.id)) continue;
    seen.add(b.id);
    const service = b.serviceId ? world.services.get(b.serviceId) : undefined;
    const slotMs = b.slot
      ? toMs(b.slot.end) - toMs(b.slot.start)
      : service
        ? service.durationMinutes * MINUTE_MS
        : Math.max(0.25, b.laborHours / b.teamSize) * HOUR_MS;
    const personMs = settings.autoResize ? Math.round((b.laborHours / Math.max(1, b.teamSize)) * HOUR_MS) : slotMs;
    const job: Job = {
      index: jobs.length, booking: b, loc: placeOf(jobCoordinates(b, b.customerId ? customers.get(b.customerId) : undefined)),
      slotMs, personMs, from: dayStart, to: dayEnd - 1, pinnedStart: null, pinnedWhy: null, eligible: [], rows: [], start: 0, state: 'pending', why: '',
    };
    jobs.push(job);
    const skip = notFillable(b, day, zone);
    if (skip) {
      job.state = 'unplaced';
      job.why = skip;
      continue;
    }
    const freedom = timeFreedom(b, day, zone);
    if (freedom.kind === 'fixed') {
      job.pinnedStart = freedom.start;
      job.pinnedWhy = freedom.reason;
    } else {
      job.from = Math.max(freedom.from, input.notBefore ?? -Infinity);
      job.to = freedom.to;
    }
  }
  const jobIds = new Set(jobs.map((j) => j.booking.id));

  // --- Rows: active providers in board order, with what is already on their day.
  const rows: Row[] = [];
  const byProvider = new Map<string, Booking[]>();
  for (const b of input.bookings) {
    if (jobIds.has(b.id) || !b.slot || effectiveStatus(b.status, b.slot) === 'cancelled') continue;
    const span = personSpan(b, settings.autoResize)!;
    if (span.end <= dayStart || span.start >= dayEnd) continue;
    for (const p of b.slot.assignees) {
      const list = byProvider.get(p);
      if (list) list.push(b);
      else byProvider.set(p, [b]);
    }
  }
  const ordered = [...input.providers].sort((a, b) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const allRows: Row[] = [];
  for (const provider of ordered) {
    const existing = (byProvider.get(provider.id) ?? []).slice().sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start) || (a.id < b.id ? -1 : 1));
    const blocks: Span[] = provider.timeOff.map((t) => ({ start: toMs(t.start), end: toMs(t.end) }));
    const stops: Stop[] = [];
    let baseMs = 0;
    for (const b of existing) {
      const span = personSpan(b, settings.autoResize)!;
      baseMs += Math.max(0, Math.min(span.end, dayEnd) - Math.max(span.start, dayStart));
      if (span.start >= dayStart) {
        const at = placeOf(jobCoordinates(b, b.customerId ? customers.get(b.customerId) : undefined));
        stops.push({ job: -1, booking: b, pinned: true, start: span.start, end: span.end, loc: at });
      } else blocks.push(span);
    }
    const row: Row = {
      index: -1, provider, home: placeOf(provider.coordinates), free: provider.active ? freeSpans(provider, day, zone, blocks) : [],
      availableMin: availableMinutes(provider, day, zone), baseMin: Math.round(baseMs / MINUTE_MS), stops, km: 0, existing,
    };
    row.km = routeKm(row, stops);
    allRows.push(row);
    if (provider.active && row.free.length > 0) {
      row.index = rows.length;
      rows.push(row);
    }
  }
  const before = totals(allRows, jobs, false);

  function routeKm(row: Row, stops: readonly Stop[]): number {
    let total = 0;
    let at = row.home;
    for (const s of stops) {
      if (s.loc < 0) continue;
      total += km(at, s.loc);
      at = s.loc;
    }
    return total + km(at, row.home);
  }

  function bookedMin(row: Row, stops: readonly Stop[]): number {
    let ms = 0;
    for (const s of stops) if (s.job >= 0) ms += s.end - s.start;
    return row.baseMin + ms / MINUTE_MS;
  }

  function rowCost(row: Row, stops: readonly Stop[], routeKmValue: number): number {
    const u = row.availableMin > 0 ? bookedMin(row, stops) / row.availableMin : 0;
    return wTravel * routeKmValue + wBalance * u * u;
  }

  /** The earliest start at or after `t` where `dur` fits in free time, no later than `latest`. */
  function fit(row: Row, t: number, dur: number, latest: number): number | null {
    for (const iv of row.free) {
      if (iv.end - dur < t) continue;
      const s = Math.max(t, iv.start);
      if (s > latest) return null;
      const r = ceilStep(s);
      if (r + dur <= iv.end && r <= latest) return r;
      if (s + dur <= iv.end) return s;
    }
    return null;
  }

  const fitsAt = (row: Row, s: number, dur: number) => row.free.some((iv) => iv.start <= s && s + dur <= iv.end);

  /**
   * Times the stops (movable ones as early as they can go, in this order) and returns each start and the
   * route's km, or null when they do not fit. A job being placed needs the driving time from the stop
   * before it and to the stop after it; existing bookings next to each other are left as they are.
   */
  function retime(row: Row, stops: readonly Stop[]): { starts: number[]; km: number } | null {
    const starts: number[] = [];
    let prevEnd = -Infinity;
    let prevNew = false;
    let at = row.home;
    let total = 0;
    for (const s of stops) {
      const leg = s.loc >= 0 ? km(at, s.loc) : 0;
      total += leg;
      const isNew = s.job >= 0;
      const gap = (isNew || prevNew) && prevEnd > -Infinity ? driveMs(leg) : 0;
      let start: number;
      if (s.pinned) {
        start = s.start;
        if ((isNew || prevNew) && prevEnd + gap > start) return null;
      } else {
        const job = jobs[s.job]!;
        const f = fit(row, Math.max(job.from, prevEnd + gap), job.personMs, job.to);
        if (f === null) return null;
        start = f;
      }
      starts.push(start);
      const end = start + (s.end - s.start);
      prevEnd = Math.max(prevEnd, end);
      prevNew = isNew;
      if (s.loc >= 0) at = s.loc;
    }
    return { starts, km: total + km(at, row.home) };
  }

  function apply(row: Row, stops: Stop[], timed: { starts: number[]; km: number }) {
    stops.forEach((s, i) => {
      const d = s.end - s.start;
      s.start = timed.starts[i]!;
      s.end = s.start + d;
      if (s.job >= 0) jobs[s.job]!.start = s.start;
    });
    row.stops = stops;
    row.km = timed.km;
  }

  const currentCost = (row: Row) => rowCost(row, row.stops, row.km);

  /** Best place for a movable single job in `row`: cost added and position, or null. */
  function bestInsert(row: Row, job: Job, base: readonly Stop[] = row.stops, baseCost = currentCost(row)) {
    let best: { cost: number; pos: number } | null = null;
    const stop: Stop = { job: job.index, booking: null, pinned: false, start: 0, end: job.personMs, loc: job.loc };
    for (let pos = 0; pos <= base.length; pos++) {
      // Stops are in time order: nothing can go before a stop that starts after the job's latest start.
      if (pos > 0 && base[pos - 1]!.pinned && base[pos - 1]!.start > job.to) break;
      const trial = [...base.slice(0, pos), stop, ...base.slice(pos)];
      const timed = retime(row, trial);
      evaluations++;
      if (!timed) continue;
      const cost = rowCost(row, trial, timed.km) - baseCost;
      if (!best || cost < best.cost - EPS) best = { cost, pos };
    }
    return best;
  }

  /** The route with `job` pinned at `start`, or null. */
  function pinnedTrial(row: Row, job: Job, start: number) {
    if (!fitsAt(row, start, job.personMs)) return null;
    const stop: Stop = { job: job.index, booking: null, pinned: true, start, end: start + job.personMs, loc: job.loc };
    let pos = 0;
    while (pos < row.stops.length && row.stops[pos]!.start <= start) pos++;
    const trial = [...row.stops.slice(0, pos), stop, ...row.stops.slice(pos)];
    const timed = retime(row, trial);
    evaluations++;
    if (!timed) return null;
    return { trial, timed, cost: rowCost(row, trial, timed.km) - currentCost(row) };
  }

  const bookingOf = (job: Job): Booking => ({
    ...job.booking,
    slot: {
      start: fromMs(job.start),
      end: fromMs(job.start + job.slotMs),
      assignees: job.rows.map((r) => rows[r]!.provider.id),
    },
  });

  /** The engine's verdict on every placed job on these rows: the reasons, or [] when none breaks a rule. */
  function engineReasons(rowIndices: Iterable<number>): Map<string, string[]> {
    const placed = new Map<string, Booking>();
    const all: Booking[] = [];
    for (const r of new Set(rowIndices)) {
      const row = rows[r]!;
      all.push(...row.existing);
      for (const s of row.stops) if (s.job >= 0 && !placed.has(jobs[s.job]!.booking.id)) placed.set(jobs[s.job]!.booking.id, bookingOf(jobs[s.job]!));
    }
    all.push(...placed.values());
    const verdict = findConflictsOf(world, [...placed.values()], all);
    const out = new Map<string, string[]>();
    for (const [id, conflicts] of verdict) if (conflicts.length > 0) out.set(id, reasonsOf(conflicts));
    return out;
  }

  /** Commits new routes for some rows if the engine finds nothing on them; restores them otherwise. */
  function commit(changes: Array<{ row: Row; stops: Stop[]; timed: { starts: number[]; km: number } }>, job?: Job, crew?: number[]): boolean {
    const saved = changes.map(({ row }) => ({ row, stops: row.stops, times: row.stops.map((s) => s.start), km: row.km }));
    const jobStarts = jobs.map((j) => j.start);
    const jobRows = job ? job.rows : null;
    if (job && crew) job.rows = crew;
    for (const c of changes) apply(c.row, c.stops, c.timed);
    if (engineReasons(changes.map((c) => c.row.index)).size === 0) return true;
    for (const s of saved) {
      s.row.stops = s.stops;
      s.row.stops.forEach((stop, i) => {
        const d = stop.end - stop.start;
        stop.start = s.times[i]!;
        stop.end = stop.start + d;
      });
      s.row.km = s.km;
    }
    jobs.forEach((j, i) => (j.start = jobStarts[i]!));
    if (job && jobRows) job.rows = jobRows;
    return false;
  }

  let evaluations = 0;
  const total = jobs.length * (1 + MAX_PASSES + 2 * LNS_SIZES.length);
  let done = jobs.filter((j) => j.state !== 'pending').length;

  // Eligibility: active, working that day, long enough free time, the skills (the engine has the last word).
  for (const job of jobs) {
    if (job.state !== 'pending') continue;
    const skills = job.booking.serviceId ? (world.services.get(job.booking.serviceId)?.requiredSkills ?? []) : [];
    for (const row of rows) {
      if (!skills.every((s) => row.provider.skills.includes(s))) continue;
      if (!row.free.some((iv) => iv.end - iv.start >= job.personMs)) continue;
      job.eligible.push(row.index);
    }
    if (job.eligible.length < job.booking.teamSize) {
      job.state = 'unplaced';
      job.why = noneQualified(job);
      done++;
    }
  }

  // --- 1. Crews and jobs with a fixed time first: they have the fewest choices.
  const isPinnedKind = (j: Job) => j.booking.teamSize > 1 || j.pinnedStart !== null;
  const byUrgency = (a: Job, b: Job) =>
    PRIORITY_RANK[b.booking.priority] - PRIORITY_RANK[a.booking.priority] || b.booking.teamSize - a.booking.teamSize || b.personMs - a.personMs || a.index - b.index;
  for (const job of jobs.filter((j) => j.state === 'pending' && isPinnedKind(j)).sort(byUrgency)) {
    placeCrew(job);
    done++;
    yield { phase: 'placing', done, total };
  }

  function placeCrew(job: Job) {
    const size = job.booking.teamSize;
    const times: number[] = [];
    if (job.pinnedStart !== null) times.push(job.pinnedStart);
    else for (let t = Math.ceil(job.from / TEAM_GRID_MS) * TEAM_GRID_MS; t <= job.to; t += TEAM_GRID_MS) times.push(t);
    const options: Array<{ cost: number; t: number; crew: Array<{ r: number; trial: Stop[]; timed: { starts: number[]; km: number } }> }> = [];
    for (const t of times) {
      const feasible: Array<{ r: number; cost: number; trial: Stop[]; timed: { starts: number[]; km: number } }> = [];
      for (const r of job.eligible) {
        const option = pinnedTrial(rows[r]!, job, t);
        if (option) feasible.push({ r, ...option });
      }
      if (feasible.length < size) continue;
      feasible.sort((a, b) => a.cost - b.cost || a.r - b.r);
      const crew = feasible.slice(0, size);
      options.push({ cost: crew.reduce((s, c) => s + c.cost, 0), t, crew });
    }
    options.sort((a, b) => a.cost - b.cost || a.t - b.t);
    for (const option of options.slice(0, 8)) {
      job.start = option.t;
      const crew = option.crew.map((c) => c.r).sort((a, b) => a - b);
      if (commit(option.crew.map((c) => ({ row: rows[c.r]!, stops: c.trial, timed: c.timed })), job, crew)) {
        job.state = 'placed';
        return;
      }
    }
    job.state = 'unplaced';
    job.why = noFreeTime(job);
  }

  // --- 2. Single jobs by regret: the one that loses most by waiting goes next.
  const singles = jobs.filter((j) => j.state === 'pending');
  const table = new Map<number, Array<{ cost: number; pos: number } | null>>();
  const forbidden = new Set<number>();
  for (const job of singles) table.set(job.index, job.eligible.map((r) => bestInsert(rows[r]!, job)));
  const refresh = (r: number) => {
    for (const job of singles) {
      if (job.state !== 'pending') continue;
      const k = job.eligible.indexOf(r);
      if (k >= 0) table.get(job.index)![k] = forbidden.has(job.index * rows.length + r) ? null : bestInsert(rows[r]!, job);
    }
  };
  for (;;) {
    let pick: { job: Job; k: number; key: [number, number] } | null = null;
    for (const job of singles) {
      if (job.state !== 'pending') continue;
      const options = table.get(job.index)!;
      let best = -1;
      let second = Infinity;
      for (let k = 0; k < options.length; k++) {
        const o = options[k];
        if (!o) continue;
        if (best < 0 || o.cost < options[best]!.cost - EPS) {
          if (best >= 0) second = options[best]!.cost;
          best = k;
        } else if (o.cost < second) second = o.cost;
      }
      if (best < 0) {
        job.state = 'unplaced';
        job.why = noFreeTime(job);
        done++;
        continue;
      }
      const regret = second === Infinity ? 1e12 : second - options[best]!.cost;
      const key: [number, number] = [PRIORITY_RANK[job.booking.priority], regret];
      if (!pick || key[0] > pick.key[0] || (key[0] === pick.key[0] && key[1] > pick.key[1] + EPS)) pick = { job, k: best, key };
    }
    if (!pick) break;
    const { job, k } = pick;
    const r = job.eligible[k]!;
    const row = rows[r]!;
    const pos = table.get(job.index)![k]!.pos;
    const trial = [...row.stops.slice(0, pos), { job: job.index, booking: null, pinned: false, start: 0, end: job.personMs, loc: job.loc }, ...row.stops.slice(pos)];
    const timed = retime(row, trial)!;
    if (commit([{ row, stops: trial, timed }], job, [r])) {
      job.state = 'placed';
      done++;
      refresh(r);
      yield { phase: 'placing', done, total };
    } else {
      forbidden.add(job.index * rows.length + r);
      table.get(job.index)![k] = null;
    }
  }

  // --- 3. Local search: move a job to another place, or swap two jobs between providers, while it pays.
  // The budget counts the search's own evaluations (placing 400 jobs on 200 rows takes ~10^5 by itself).
  const budget = (input.searchBudget ?? LOCAL_SEARCH_BUDGET) + evaluations;
  const lnsBudget = budget + 3 * (input.searchBudget ?? LOCAL_SEARCH_BUDGET);
  const movable = () => jobs.filter((j) => j.state === 'placed' && !isPinnedKind(j));
  const rowOfStop = (job: Job) => rows[job.rows[0]!]!;
  const without = (row: Row, job: Job) => row.stops.filter((s) => s.job !== job.index);
  let pass = 0;
  for (; pass < MAX_PASSES && evaluations < budget; pass++) {
    let improved = false;
    for (const job of movable()) {
      if (evaluations >= budget) break;
      if (relocate(job) || swapNear(job)) improved = true;
      done = Math.min(total, done + 1);
      yield { phase: 'improving', done, total };
    }
    if (!improved) break;
  }

  function relocate(job: Job): boolean {
    const from = rowOfStop(job);
    const rest = without(from, job);
    const restTimed = retime(from, rest);
    if (!restTimed) return false;
    const gain = currentCost(from) - rowCost(from, rest, restTimed.km);
    let best: { r: number; cost: number; pos: number } | null = null;
    for (const r of job.eligible) {
      if (forbidden.has(job.index * rows.length + r)) continue;
      const row = rows[r]!;
      const base = r === from.index ? rest : row.stops;
      const baseCost = r === from.index ? rowCost(from, rest, restTimed.km) : currentCost(row);
      const option = bestInsert(row, job, base, baseCost);
      if (option && option.cost < gain - 1e-3 && (!best || option.cost < best.cost - EPS)) best = { r, ...option };
    }
    if (!best) return false;
    const to = rows[best.r]!;
    const base = best.r === from.index ? rest : to.stops;
    const trial = [...base.slice(0, best.pos), { job: job.index, booking: null, pinned: false, start: 0, end: job.personMs, loc: job.loc }, ...base.slice(best.pos)];
    const timed = retime(to, trial)!;
    const changes = best.r === from.index ? [{ row: to, stops: trial, timed }] : [{ row: from, stops: rest, timed: restTimed }, { row: to, stops: trial, timed }];
    return commit(changes, job, [best.r]);
  }

  /** Swaps with one of the nearest jobs on another row. */
  function swapNear(job: Job): boolean {
    const a = rowOfStop(job);
    const others = movable()
      .filter((o) => o.rows[0] !== a.index && o.eligible.includes(a.index) && job.eligible.includes(o.rows[0]!))
      .map((o) => ({ o, d: job.loc >= 0 && o.loc >= 0 ? km(job.loc, o.loc) : Infinity }))
      .sort((x, y) => x.d - y.d || x.o.index - y.o.index)
      .slice(0, 6);
    for (const { o } of others) {
      const b = rows[o.rows[0]!]!;
      const restA = without(a, job);
      const restB = without(b, o);
      const timedA0 = retime(a, restA);
      const timedB0 = retime(b, restB);
      if (!timedA0 || !timedB0) continue;
      const inB = bestInsert(b, job, restB, rowCost(b, restB, timedB0.km));
      const inA = bestInsert(a, o, restA, rowCost(a, restA, timedA0.km));
      if (!inA || !inB) continue;
      const delta = rowCost(a, restA, timedA0.km) + inA.cost + rowCost(b, restB, timedB0.km) + inB.cost - currentCost(a) - currentCost(b);
      if (delta > -1e-3) continue;
      const trialA = [...restA.slice(0, inA.pos), { job: o.index, booking: null, pinned: false, start: 0, end: o.personMs, loc: o.loc }, ...restA.slice(inA.pos)];
      const trialB = [...restB.slice(0, inB.pos), { job: job.index, booking: null, pinned: false, start: 0, end: job.personMs, loc: job.loc }, ...restB.slice(inB.pos)];
      const oRows = o.rows;
      o.rows = [a.index];
      if (commit([{ row: a, stops: trialA, timed: retime(a, trialA)! }, { row: b, stops: trialB, timed: retime(b, trialB)! }], job, [b.index])) return true;
      o.rows = oRows;
    }
    return false;
  }

  // --- 3b. Ruin and recreate: take out a seed job and its nearest neighbours, put them back by regret
  // (onto the rows around them), keep it when the day got cheaper. Seeds in job order: deterministic.
  for (const [size, greedy] of LNS_SIZES.flatMap((n) => [[n, false], [n, true]] as const)) {
    for (const seedJob of movable()) {
      if (evaluations >= lnsBudget) break;
      if (seedJob.state === 'placed' && seedJob.loc >= 0) ruinAndRecreate(seedJob, size, greedy);
      done = Math.min(total, done + 1);
      yield { phase: 'improving', done, total };
    }
  }

  // Then whole routes: each row's new jobs out at once, back onto the rows of the jobs nearest them.
  for (const row of rows) {
    if (evaluations >= lnsBudget) break;
    const own = row.stops.filter((st) => st.job >= 0 && !isPinnedKind(jobs[st.job]!)).map((st) => jobs[st.job]!);
    if (own.length < 2) continue;
    const around = new Set<number>([row.index]);
    for (const j of own) if (j.loc >= 0) for (const { o } of nearest(j, 4)) around.add(o.rows[0]!);
    recreate(own, around);
  }

  function nearest(seedJob: Job, n: number) {
    return movable()
      .filter((o) => o.loc >= 0)
      .map((o) => ({ o, d: km(seedJob.loc, o.loc) }))
      .sort((a, b) => a.d - b.d || a.o.index - b.o.index)
      .slice(0, n);
  }

  /** `greedy`: put back the cheapest first instead of by regret (a second way out of a local optimum). */
  function ruinAndRecreate(seedJob: Job, size: number, greedy = false): boolean {
    const near = nearest(seedJob, size * 2);
    // The rows around: those of the removed jobs and of the next nearest ones.
    const around = new Set<number>();
    for (const { o } of near) around.add(o.rows[0]!);
    return recreate(near.slice(0, size).map((n) => n.o), around, greedy);
  }

  function recreate(removed: Job[], around: Set<number>, greedy = false): boolean {
    const candidates = [...around].sort((a, b) => a - b);
    const snapshot = candidates.map((r) => ({ row: rows[r]!, stops: rows[r]!.stops.map((st) => ({ ...st })), km: rows[r]!.km }));
    const jobState = removed.map((j) => ({ j, rows: j.rows, start: j.start }));
    const before = candidates.reduce((sum, r) => sum + currentCost(rows[r]!), 0);
    const restore = () => {
      for (const sn of snapshot) {
        sn.row.stops = sn.stops.map((st) => ({ ...st }));
        sn.row.km = sn.km;
      }
      for (const { j, rows: r, start } of jobState) {
        j.rows = r;
        j.start = start;
        j.state = 'placed';
      }
      for (const sn of snapshot) for (const st of sn.row.stops) if (st.job >= 0) jobs[st.job]!.start = st.start;
      return false;
    };
    for (const j of removed) {
      const row = rowOfStop(j);
      const rest = without(row, j);
      const timed = retime(row, rest);
      if (!timed) return restore();
      apply(row, rest, timed);
      j.state = 'pending';
    }
    const pending = new Set(removed);
    while (pending.size > 0) {
      let pick: { job: Job; r: number; pos: number; key: [number, number] } | null = null;
      for (const job of pending) {
        let best: { r: number; cost: number; pos: number } | null = null;
        let second = Infinity;
        for (const r of candidates) {
          if (!job.eligible.includes(r) || forbidden.has(job.index * rows.length + r)) continue;
          const o = bestInsert(rows[r]!, job);
          if (!o) continue;
          if (!best || o.cost < best.cost - EPS) {
            if (best) second = best.cost;
            best = { r, ...o };
          } else if (o.cost < second) second = o.cost;
        }
        if (!best) return restore();
        const key: [number, number] = [PRIORITY_RANK[job.booking.priority], greedy ? -best.cost : second === Infinity ? 1e12 : second - best.cost];
        if (!pick || key[0] > pick.key[0] || (key[0] === pick.key[0] && key[1] > pick.key[1] + EPS)) pick = { job, r: best.r, pos: best.pos, key };
      }
      const { job, r, pos } = pick!;
      const row = rows[r]!;
      const trial = [...row.stops.slice(0, pos), { job: job.index, booking: null, pinned: false, start: 0, end: job.personMs, loc: job.loc }, ...row.stops.slice(pos)];
      if (!commit([{ row, stops: trial, timed: retime(row, trial)! }], job, [r])) return restore();
      job.state = 'placed';
      pending.delete(job);
    }
    const after = candidates.reduce((sum, r) => sum + currentCost(rows[r]!), 0);
    return after < before - 1e-3 ? true : restore();
  }

  // --- 4. Jobs left out get one more try now that routes are tighter; then the engine judges it all.
  for (const job of singles) {
    if (job.state !== 'unplaced' || job.eligible.length === 0) continue;
    let best: { r: number; cost: number; pos: number } | null = null;
    for (const r of job.eligible) {
      if (forbidden.has(job.index * rows.length + r)) continue;
      const option = bestInsert(rows[r]!, job);
      if (option && (!best || option.cost < best.cost - EPS)) best = { r, ...option };
    }
    if (!best) continue;
    const row = rows[best.r]!;
    const trial = [...row.stops.slice(0, best.pos), { job: job.index, booking: null, pinned: false, start: 0, end: job.personMs, loc: job.loc }, ...row.stops.slice(best.pos)];
    if (commit([{ row, stops: trial, timed: retime(row, trial)! }], job, [best.r])) job.state = 'placed';
  }
  yield { phase: 'checking', done: total, total };

  for (;;) {
    const verdict = engineReasons(rows.map((r) => r.index));
    if (verdict.size === 0) break;
    for (const [id, reasons] of verdict) {
      const job = jobs.find((j) => j.booking.id === id)!;
      for (const r of job.rows) rows[r]!.stops = rows[r]!.stops.filter((s) => s.job !== job.index);
      job.rows = [];
      job.state = 'unplaced';
      job.why = reasons.join('; ');
    }
  }

  // --- The result, with the reasons in words.
  const placed: PlacedJob[] = [];
  const unplaced: UnplacedJob[] = [];
  for (const job of jobs) {
    if (job.state === 'placed') {
      const b = bookingOf(job);
      placed.push({ id: b.id, title: b.title, slot: b.slot!, why: whyPlaced(job) });
    } else unplaced.push({ id: job.booking.id, title: job.booking.title, why: job.why || noFreeTime(job) });
  }
  const order = (a: { slot: Slot; id: string }, b: { slot: Slot; id: string }) => toMs(a.slot.start) - toMs(b.slot.start) || (a.id < b.id ? -1 : 1);
  placed.sort(order);
  for (const row of rows) row.km = routeKm(row, row.stops);
  return { day, placed, unplaced, before, after: totals(allRows, jobs, true) };

  function whyPlaced(job: Job): string {
    const parts = job.rows.map((r) => {
      const row = rows[r]!;
      const i = row.stops.findIndex((s) => s.job === job.index);
      let prev = -1;
      for (let k = i - 1; k >= 0 && prev < 0; k--) prev = row.stops[k]!.loc;
      const fromWhere = prev >= 0 ? 'the previous stop' : 'home base';
      const origin = prev >= 0 ? prev : row.home;
      const travel = job.loc < 0 ? 'no location to measure travel' : origin < 0 ? 'first stop (no home base)' : `${Math.round(drivingMinutes(km(origin, job.loc), model))} min from ${fromWhere}`;
      const load = row.availableMin > 0 ? `${Math.round((bookedMin(row, row.stops) / row.availableMin) * 100)}% loaded` : 'no hours';
      return `${row.provider.name}: ${travel}, ${load}`;
    });
    const head = job.rows.length > 1 ? `Crew of ${job.rows.length}. ` : '';
    const pinned = job.pinnedWhy ? ` (time kept: ${job.pinnedWhy.toLowerCase()})` : '';
    return head + parts.join('; ') + pinned;
  }

  function noFreeTime(job: Job): string {
    const window = job.booking.arrivalWindow ? ` inside the arrival window ${fmt.timeRange(toMs(job.booking.arrivalWindow.start), toMs(job.booking.arrivalWindow.end))}` : '';
    const length = formatMinutes(job.personMs / MINUTE_MS);
    const who = job.booking.teamSize > 1 ? `no ${job.booking.teamSize} qualified providers are free together` : 'no qualified provider is free';
    return `No free time: ${who} for ${length}${window} (working hours, time off, other jobs, travel)`;
  }

  function noneQualified(job: Job): string {
    // The engine's reasons for the first active providers, so the words are the board's.
    const sample = ordered.filter((p) => p.active).slice(0, 3);
    if (sample.length === 0) return 'No active provider';
    const reasons = new Set<string>();
    for (const p of sample) {
      // In their free time when they have any, so the reasons are the ones that matter.
      const at = job.pinnedStart ?? allRows.find((r) => r.provider === p)?.free[0]?.start ?? job.from;
      const slot = { start: fromMs(at), end: fromMs(at + job.slotMs), assignees: [p.id] };
      for (const r of reasonsOf(breaksWith(world, [], { ...job.booking, teamSize: 1, laborHours: job.booking.laborHours / job.booking.teamSize }, slot))) reasons.add(r);
    }
    const working = rows.length;
    const lead = job.booking.teamSize > job.eligible.length && job.eligible.length > 0
      ? `Needs ${job.booking.teamSize} people; only ${countText(job.eligible.length, 'qualified provider works', 'qualified providers work')} that day`
      : working === 0 ? 'Nobody works that day' : 'No provider working that day qualifies';
    return reasons.size > 0 ? `${lead}: ${[...reasons].join('; ')}` : lead;
  }

  function totals(all: readonly Row[], js: readonly Job[], after: boolean): FillTotals {
    let travelKm = 0;
    let count = 0;
    const loads: number[] = [];
    for (const row of all) {
      const stops = after && row.index >= 0 ? rows[row.index]!.stops : row.stops.filter((s) => s.job < 0);
      const kmValue = after && row.index >= 0 ? rows[row.index]!.km : routeKm(row, stops);
      if (stops.length > 0) travelKm += kmValue;
      count += stops.filter((s) => s.job < 0).length;
      if (row.availableMin > 0 && row.provider.active) {
        loads.push(bookedMin(row, stops) / row.availableMin);
      }
    }
    if (after) count += js.filter((j) => j.state === 'placed').length;
    const round1 = (n: number) => Math.round(n * 10) / 10;
    return { travelKm: round1(travelKm), travelMinutes: Math.round(drivingMinutes(travelKm, model)), loadSpread: round1(standardDeviation(loads) * 100), jobs: count };
  }
}

const formatMinutes = (m: number) => (m < 60 ? `${Math.round(m)} min` : `${Math.round((m / 60) * 100) / 100} h`);

function standardDeviation(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

/** Why a job cannot take part in filling `day` at all, or null. */
function notFillable(b: Booking, day: LocalDate, zone: string): string | null {
  if (isClosed(b.status)) return `It is ${b.status}`;
  if (b.slot && b.slot.assignees.length > 0) return 'It is already assigned';
  if (b.slot && localDateOf(toMs(b.slot.start), zone) !== day) return `It is dated ${localDateOf(toMs(b.slot.start), zone)}, not this day`;
  return null;
}

/** Working spans of the day minus `blocks` (time off, other days' jobs running into it), in time order. */
function freeSpans(provider: Provider, day: LocalDate, zone: string, blocks: readonly Span[]): Span[] {
  let free: Span[] = [];
  for (const w of workingSpans(provider, day, zone)) free.push({ ...w });
  for (const b of blocks) {
    const next: Span[] = [];
    for (const f of free) {
      if (b.end <= f.start || b.start >= f.end) next.push(f);
      else {
        if (b.start > f.start) next.push({ start: f.start, end: b.start });
        if (b.end < f.end) next.push({ start: b.end, end: f.end });
      }
    }
    free = next;
  }
  return free.sort((a, b) => a.start - b.start);
}

