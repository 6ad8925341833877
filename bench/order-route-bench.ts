/**
 * `npm run bench:route`: order a route (core/assistant/order-route.ts, issue #19).
 *
 * 1. Time: 20-stop days (local search) and 12-stop days (exact search), seeded (core/assistant/route-fixture.ts).
 * 2. Quality against the exact optimum, per instance:
 *    a. 8 stops with arrival windows and fixed stops: every one of the 40,320 orders tried (brute force,
 *       under the same rules) against the exact search and the local search;
 *    b. 14 stops with windows and fixed stops: the local search against the exact search (labels over
 *       subsets, checked against brute force in a. and in core/assistant/order-route.test.ts);
 *    c. 10 stops without windows (every order keeps the rules): the exact search and the local search
 *       against HiGHS (MILP, the open path from home over the same road-km matrix), an optimum found by a
 *       solver that shares no code with ours.
 */
import highsLoader from 'highs';
import { orderRoute, type RouteOptions } from '../core/assistant/order-route';
import { randomRouteDay } from '../core/assistant/route-fixture';
import type { RouteInput } from '../core/assistant/order-route';
import { roadKm } from '../core/travel';
import { ms, percentile, table } from './stats';

const pct = (found: number, best: number) => (best === 0 ? 0 : ((found - best) / best) * 100);
const fmtPct = (p: number) => `${p.toFixed(2)}%`;

function timed(input: RouteInput, options: RouteOptions = {}) {
  const t = performance.now();
  const p = orderRoute(input, options);
  return { p, ms: performance.now() - t };
}

/**
 * Best of three runs, wall clock and CPU time (user + system): on the shared 2-core machine (load average
 * often 8–12 while others' suites run) the wall clock mostly measures the queue for a core.
 */
function timedBest(input: RouteInput, options: RouteOptions = {}) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  let p = orderRoute(input, options);
  for (let i = 0; i < 3; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    p = orderRoute(input, options);
    wall = Math.min(wall, performance.now() - t);
    const used = process.cpuUsage(c);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { p, wall, cpu };
}

// 1. Time ---------------------------------------------------------------------------------------------
const speed: Array<Record<string, string | number>> = [];
for (const [stops, label] of [[20, 'local search'], [12, 'exact']] as const) {
  const walls: number[] = [];
  const cpus: number[] = [];
  let better = 0;
  for (let i = 0; i < 30; i++) {
    const input = randomRouteDay(10_000 + stops * 100 + i, { stops, windows: 0.3, fixed: 0.1 });
    const run = timedBest(input);
    walls.push(run.wall);
    cpus.push(run.cpu);
    if (run.p.outcome === 'better') better++;
  }
  const stat = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))} / ${ms(Math.max(...xs))} ms`;
  speed.push({ stops, search: label, days: walls.length, shorter: better, 'CPU p50 / p95 / max': stat(cpus), 'wall p50 / p95 / max': stat(walls), target: stops === 20 ? '≤ 100 ms' : '' });
}
console.log('\nOrder a route: time per day, best of 3 runs (30 seeded days each, 30% with an arrival window, 10% fixed)\n');
console.log(table(speed));

// 2a. 8 stops: brute force ------------------------------------------------------------------------------
const rowsA: Array<Record<string, string | number>> = [];
const gapsA: number[] = [];
for (let i = 0; i < 10; i++) {
  const seed = 20_000 + i;
  const input = randomRouteDay(seed, { stops: 8, windows: 0.4, fixed: 0.15 });
  const brute = timed(input, { search: 'brute' });
  const exact = timed(input, { search: 'exact' });
  const local = timed(input, { search: 'local' });
  gapsA.push(pct(local.p.after.km, brute.p.after.km));
  rowsA.push({
    seed,
    'now km': brute.p.before.km,
    'optimum (brute) km': brute.p.after.km,
    'exact km': exact.p.after.km,
    'exact gap': fmtPct(pct(exact.p.after.km, brute.p.after.km)),
    'local km': local.p.after.km,
    'local gap': fmtPct(pct(local.p.after.km, brute.p.after.km)),
    'brute / exact / local': `${ms(brute.ms)} / ${ms(exact.ms)} / ${ms(local.ms)} ms`,
  });
}
console.log('\n8 stops, 40% with a window, 15% fixed: against every order tried (brute force)\n');
console.log(table(rowsA));

// 2b. 14 stops: local search against exact ---------------------------------------------------------------
const rowsB: Array<Record<string, string | number>> = [];
const gapsB: number[] = [];
for (let i = 0; i < 10; i++) {
  const seed = 30_000 + i;
  const input = randomRouteDay(seed, { stops: 14, windows: 0.3, fixed: 0.1 });
  const exact = timed(input, { search: 'exact' });
  const local = timed(input, { search: 'local' });
  gapsB.push(pct(local.p.after.km, exact.p.after.km));
  rowsB.push({
    seed,
    'now km': exact.p.before.km,
    'optimum (exact) km': exact.p.after.km,
    'local km': local.p.after.km,
    'local gap': fmtPct(pct(local.p.after.km, exact.p.after.km)),
    'exact / local': `${ms(exact.ms)} / ${ms(local.ms)} ms`,
  });
}
console.log('\n14 stops, 30% with a window, 10% fixed: local search against the exact search\n');
console.log(table(rowsB));

// 2c. 10 stops, no windows: HiGHS ---------------------------------------------------------------------
/** The open path home → every stop once, as a MILP (MTZ subtour constraints), over the same road km. */
function openPathLp(input: RouteInput): string {
  const home = input.provider.coordinates!;
  const at = input.bookings.map((b) => b.location.coordinates!);
  const n = at.length;
  const stops = [...Array(n).keys()].map((i) => i + 1);
  const km = (i: number, j: number) => roadKm(i === 0 ? home : at[i - 1]!, at[j - 1]!, input.travel);
  const x = (i: number, j: number | 'e') => `x_${i}_${j}`;
  const obj: string[] = [];
  for (const j of stops) obj.push(`${km(0, j).toFixed(9)} ${x(0, j)}`);
  for (const i of stops) for (const j of stops) if (i !== j) obj.push(`${km(i, j).toFixed(9)} ${x(i, j)}`);
  const rows: string[] = [` home: ${stops.map((j) => x(0, j)).join(' + ')} = 1`];
  for (const j of stops) rows.push(` in_${j}: ${[x(0, j), ...stops.filter((i) => i !== j).map((i) => x(i, j))].join(' + ')} = 1`);
  for (const i of stops) rows.push(` out_${i}: ${[...stops.filter((j) => j !== i).map((j) => x(i, j)), x(i, 'e')].join(' + ')} = 1`);
  for (const i of stops) for (const j of stops) if (i !== j) rows.push(` mtz_${i}_${j}: u_${i} - u_${j} + ${n} ${x(i, j)} <= ${n - 1}`);
  const binaries = [...stops.map((j) => x(0, j)), ...stops.flatMap((i) => [...stops.filter((j) => j !== i).map((j) => x(i, j)), x(i, 'e')])];
  return [
    'Minimize',
    ` obj: ${obj.join(' + ')}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...stops.map((i) => ` 1 <= u_${i} <= ${n}`),
    'Binary',
    ` ${binaries.join(' ')}`,
    'End',
  ].join('\n');
}

const highs = await highsLoader();
const rowsC: Array<Record<string, string | number>> = [];
const gapsC: number[] = [];
for (let i = 0; i < 8; i++) {
  const seed = 40_000 + i;
  const input = randomRouteDay(seed, { stops: 10 });
  const t = performance.now();
  const solved = highs.solve(openPathLp(input));
  const milpMs = performance.now() - t;
  if (solved.Status !== 'Optimal') throw new Error(`HiGHS: ${solved.Status} on seed ${seed}`);
  const optimum = solved.ObjectiveValue;
  const exact = timed(input, { search: 'exact' });
  const local = timed(input, { search: 'local' });
  // Our figures are rounded to 0.1 km; the gaps below are taken against that rounding of the optimum.
  const best = Math.round(optimum * 10) / 10;
  gapsC.push(pct(local.p.after.km, best));
  rowsC.push({
    seed,
    'now km': exact.p.before.km,
    'HiGHS optimum km': optimum.toFixed(2),
    'exact km': exact.p.after.km,
    'exact gap': fmtPct(pct(exact.p.after.km, best)),
    'local km': local.p.after.km,
    'local gap': fmtPct(pct(local.p.after.km, best)),
    'HiGHS / exact / local': `${ms(milpMs)} / ${ms(exact.ms)} / ${ms(local.ms)} ms`,
  });
}
console.log('\n10 stops, no windows or fixed stops: against HiGHS (MILP)\n');
console.log(table(rowsC));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `\nLocal search gap to the optimum: 8 stops mean ${fmtPct(mean(gapsA))} (max ${fmtPct(Math.max(...gapsA))}); ` +
    `14 stops mean ${fmtPct(mean(gapsB))} (max ${fmtPct(Math.max(...gapsB))}); ` +
    `10 stops vs HiGHS mean ${fmtPct(mean(gapsC))} (max ${fmtPct(Math.max(...gapsC))}). Target ≤ 2%. ` +
    `Days of up to 12 stops use the exact search (0% by construction).`,
);
