/**
 * Fill a day (core/assistant/fill-day.ts), measured (issue #19):
 * - speed: 40 jobs × 15 providers (target ≤ 2 s) and 400 × 200 (≤ 15 s), seeded instances with skills, time
 *   off, crews, arrival windows and jobs already on the day;
 * - quality: on small instances (≤ 12 jobs × 4 providers) the exact optimum from HiGHS (a MILP: assignment +
 *   routes with time windows, objective = unplaced jobs first, then total travel) in the same run, the gap per
 *   instance and on average (aim ≤ 5%); the heuristic runs with the balance weight at 0 there, so both
 *   minimise the same thing;
 * - every result re-judged by the conflict engine over the whole day: no hard rule broken, ever.
 *
 * `npm run bench:fill` (`npx tsx bench/fill-day-bench.ts [--quick] [--speed]`; `--speed` leaves out HiGHS)
 */
import os from 'node:os';
import highsLoader from 'highs';
import { findConflicts } from '../core/conflicts';
import { fillDay, type FillDayInput, type FillDayResult } from '../core/assistant/fill-day';
import { fillInstance } from '../core/assistant/fill-day-instances';
import type { Booking, Coordinates } from '../core/model';
import { dayBoundsMs, MINUTE_MS, toMs } from '../core/time';
import { jobCoordinates, roadKm, travelModelOf, drivingMinutes } from '../core/travel';
import { percentile } from './stats';

const quick = process.argv.includes('--quick');

/** Conflicts the engine reports on placed jobs once the result is saved. */
function brokenRules(input: FillDayInput, result: FillDayResult): number {
  const placed = new Map(result.placed.map((p) => [p.id, p.slot]));
  const all: Booking[] = [...input.bookings, ...input.jobs.filter((j) => placed.has(j.id)).map((j) => ({ ...j, slot: placed.get(j.id)! }))];
  const world = { settings: input.settings, providers: new Map(input.providers.map((p) => [p.id, p])), services: new Map(input.services.map((s) => [s.id, s])) };
  const verdict = findConflicts(world, all);
  return result.placed.reduce((n, p) => n + (verdict.get(p.id)?.length ?? 0), 0);
}

/** Total route km of the day, recomputed from the result (home → stops by start time → home). */
function travelOf(input: FillDayInput, result: FillDayResult): number {
  const model = travelModelOf(input.settings);
  const placed = new Map(result.placed.map((p) => [p.id, p.slot]));
  const all = [...input.bookings, ...input.jobs.filter((j) => placed.has(j.id)).map((j) => ({ ...j, slot: placed.get(j.id)! }))];
  let total = 0;
  for (const p of input.providers) {
    const stops = all.filter((b) => b.slot!.assignees.includes(p.id)).sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start));
    if (stops.length === 0) continue;
    let at: Coordinates | null = p.coordinates;
    for (const s of stops) {
      const c = jobCoordinates(s, undefined);
      if (!c) continue;
      if (at) total += roadKm(at, c, model);
      at = c;
    }
    if (at && p.coordinates) total += roadKm(at, p.coordinates, model);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Speed

function speed(label: string, jobs: number, providers: number, runs: number) {
  const times: number[] = [];
  const cpu: number[] = [];
  let result: FillDayResult | null = null;
  let input: FillDayInput | null = null;
  for (let r = 0; r < runs; r++) {
    input = fillInstance(100 + r, { jobs, providers, existing: 3 });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    result = fillDay(input);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    // CPU time of this process: what the fill costs, apart from what others on the machine take.
    cpu.push((c.user + c.system) / 1000);
  }
  const broken = brokenRules(input!, result!);
  console.log(
    `${label}: wall p50 ${fmt(percentile(times, 50))} max ${fmt(Math.max(...times))}, CPU p50 ${fmt(percentile(cpu, 50))} (${runs} runs, load average ${os.loadavg()[0]!.toFixed(1)}); last: ${result!.placed.length} placed, ${result!.unplaced.length} unplaced, ` +
      `travel ${result!.before.travelKm} → ${result!.after.travelKm} km, load spread (sd) ${result!.before.loadSpread} → ${result!.after.loadSpread} pts, rules broken ${broken}`,
  );
  return { times, broken };
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

// ---------------------------------------------------------------------------------------------------
// Quality against the exact optimum

const UNPLACED_KM = 10_000;

/**
 * The MILP in CPLEX LP format. Per provider k a route from home through the jobs it takes and its existing
 * stops (fixed times) back home: arcs x_a_b_k, flow conservation, job assignment y_i_k or unplaced u_i, a
 * start time s_i per job inside its window and working hours, and s_b ≥ s_a + d_a + drive_ab − M(1 − x) on
 * every arc touching a job (the heuristic needs the drive there too; two existing stops keep their times).
 */
function milp(input: FillDayInput): string {
  const model = travelModelOf(input.settings);
  const [dayStart] = dayBoundsMs(input.day, input.settings.timeZone);
  const min = (ms: number) => (ms - dayStart) / MINUTE_MS;
  const M = 24 * 60 * 2;
  type Node = { id: string; at: Coordinates | null; dur: number; from: number; to: number; fixed: number | null };
  const jobs: Node[] = input.jobs.map((j, i) => {
    const slotMs = j.slot ? toMs(j.slot.end) - toMs(j.slot.start) : Math.max(0.25, j.laborHours / j.teamSize) * 3_600_000;
    const dur = (input.settings.autoResize ? (j.laborHours / j.teamSize) * 3_600_000 : slotMs) / MINUTE_MS;
    const [ds, de] = dayBoundsMs(input.day, input.settings.timeZone);
    const from = j.arrivalWindow ? Math.max(ds, toMs(j.arrivalWindow.start)) : ds;
    const to = j.arrivalWindow ? Math.min(de - 1, toMs(j.arrivalWindow.end)) : de - 1;
    return { id: `j${i}`, at: jobCoordinates(j, undefined), dur, from: min(from), to: min(to), fixed: null };
  });
  const lines: string[] = [];
  const objective: string[] = [];
  const constraints: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const assign = new Map<string, string[]>();
  jobs.forEach((j) => {
    objective.push(`${UNPLACED_KM} u_${j.id}`);
    binaries.push(`u_${j.id}`);
    assign.set(j.id, [`u_${j.id}`]);
  });
  const km = (a: Coordinates | null, b: Coordinates | null) => (a && b ? roadKm(a, b, model) : 0);
  let row = 0;
  const c = (text: string) => constraints.push(` c${row++}: ${text}`);
  input.providers.forEach((p, k) => {
    const work = p.weeklyHours.tue[0]!;
    const ws = min(toMs(`${input.day}T${String(Number(work.start.slice(0, 2)) + 6).padStart(2, '0')}:${work.start.slice(3)}:00Z`));
    const we = min(toMs(`${input.day}T${String(Number(work.end.slice(0, 2)) + 6).padStart(2, '0')}:${work.end.slice(3)}:00Z`));
    const existing: Node[] = input.bookings
      .filter((b) => b.slot!.assignees.includes(p.id))
      .map((b, e) => ({ id: `e${k}_${e}`, at: jobCoordinates(b, undefined), dur: (toMs(b.slot!.end) - toMs(b.slot!.start)) / MINUTE_MS, from: 0, to: 0, fixed: min(toMs(b.slot!.start)) }));
    const depot: Node = { id: `h${k}`, at: p.coordinates, dur: 0, from: 0, to: 0, fixed: null };
    const nodes = [depot, ...jobs, ...existing];
    const outs = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    const ins = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        if (a.fixed !== null && b.fixed !== null && a.fixed >= b.fixed) continue; // existing stops keep their order
        const x = `x_${a.id}_${b.id}_${k}`;
        binaries.push(x);
        outs.get(a.id)!.push(x);
        ins.get(b.id)!.push(x);
        const d = km(a.at, b.at);
        if (d > 0) objective.push(`${d.toFixed(6)} ${x}`);
        const aJob = a.id.startsWith('j');
        const bJob = b.id.startsWith('j');
        if ((aJob || bJob) && a !== depot && b !== depot) {
          const drive = drivingMinutes(d, model);
          // s_b - s_a - M x >= d_a + drive - M, with fixed starts as constants.
          const sa = a.fixed === null ? `s_${a.id}` : null;
          const sb = b.fixed === null ? `s_${b.id}` : null;
          const rhs = a.dur + drive - M + (a.fixed ?? 0) - (b.fixed ?? 0);
          c(`${sb ? `${sb} ` : ''}${sa ? `- ${sa} ` : ''}- ${M} ${x} >= ${rhs.toFixed(6)}`);
        }
      }
    }
    for (const j of jobs) {
      const y = `y_${j.id}_${k}`;
      binaries.push(y);
      assign.get(j.id)!.push(y);
      c(`${outs.get(j.id)!.join(' + ')} - ${y} = 0`);
      c(`${ins.get(j.id)!.join(' + ')} - ${y} = 0`);
      // Inside working hours when assigned here.
      c(`s_${j.id} - ${M} ${y} >= ${ws - M}`);
      c(`s_${j.id} + ${M} ${y} <= ${we - j.dur + M}`);
    }
    for (const e of existing) {
      c(`${outs.get(e.id)!.join(' + ')} = 1`);
      c(`${ins.get(e.id)!.join(' + ')} = 1`);
    }
    c(`${outs.get(depot.id)!.join(' + ')} - ${ins.get(depot.id)!.join(' - ')} = 0`);
    c(`${outs.get(depot.id)!.join(' + ')} ${existing.length > 0 ? '= 1' : '<= 1'}`);
  });
  for (const j of jobs) {
    c(`${assign.get(j.id)!.join(' + ')} = 1`);
    bounds.push(` ${j.from} <= s_${j.id} <= ${j.to}`);
  }
  lines.push('Minimize', ` obj: ${objective.join(' + ')}`, 'Subject To', ...constraints, 'Bounds', ...bounds, 'Binary', ` ${binaries.join(' ')}`, 'End');
  return lines.join('\n');
}

async function quality(instances: number) {
  const highs = await highsLoader();
  const rows: Array<{ seed: number; jobs: number; providers: number; hUnplaced: number; oUnplaced: number; hKm: number; oKm: number; gap: number; broken: number; solveMs: number; status: string }> = [];
  for (let i = 0; i < instances; i++) {
    const seed = 1000 + i;
    const jobs = [6, 8, 10, 12][i % 4]!;
    const providers = [2, 3, 4, 4][i % 4]!;
    const input = fillInstance(seed, { jobs, providers, existing: 1, teamShare: 0, windowShare: 0.4, rules: false, balanceWeight: 0, spread: 0.12 });
    const result = fillDay(input);
    const broken = brokenRules(input, result);
    const hKm = travelOf(input, result);
    const t0 = performance.now();
    const solution = highs.solve(milp(input), { time_limit: quick ? 20 : 60, mip_rel_gap: 1e-6, output_flag: false });
    const solveMs = performance.now() - t0;
    const obj = solution.Status === 'Optimal' || solution.Status === 'Time limit reached' ? solution.ObjectiveValue : NaN;
    const oUnplaced = Math.round(obj / UNPLACED_KM);
    const oKm = obj - oUnplaced * UNPLACED_KM;
    const hUnplaced = result.unplaced.length;
    const gap = hUnplaced === oUnplaced ? (oKm > 0 ? (hKm - oKm) / oKm : 0) : NaN;
    rows.push({ seed, jobs, providers, hUnplaced, oUnplaced, hKm, oKm, gap, broken, solveMs, status: solution.Status });
    console.log(
      `  seed ${seed} ${jobs}×${providers}: heuristic ${hKm.toFixed(1)} km, ${hUnplaced} unplaced | HiGHS ${solution.Status} ${oKm.toFixed(1)} km, ${oUnplaced} unplaced (${fmt(solveMs)}) | gap ${Number.isNaN(gap) ? 'unplaced differ' : `${(gap * 100).toFixed(1)}%`} | rules broken ${broken}`,
    );
  }
  const gaps = rows.filter((r) => !Number.isNaN(r.gap)).map((r) => r.gap);
  const avg = gaps.reduce((s, g) => s + g, 0) / Math.max(1, gaps.length);
  console.log(`quality: average gap ${(avg * 100).toFixed(2)}% over ${gaps.length} of ${rows.length} instances with the same unplaced count; rules broken ${rows.reduce((s, r) => s + r.broken, 0)}`);
  return rows;
}

async function main() {
  console.log(`fill-day bench (Node ${process.version})${quick ? ' --quick' : ''}`);
  const small = speed('40 jobs × 15 providers', 40, 15, quick ? 3 : 7);
  const large = speed('400 jobs × 200 providers', 400, 200, quick ? 1 : 3);
  const q = process.argv.includes('--speed') ? [] : await quality(quick ? 4 : 12);
  const broken = small.broken + large.broken + q.reduce((s, r) => s + r.broken, 0);
  if (broken > 0) {
    console.error(`FAILED: ${broken} hard-rule breaks`);
    process.exitCode = 1;
  }
}

await main();
