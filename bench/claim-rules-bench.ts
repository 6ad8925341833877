/**
 * Self-dispatch obeying the hard rules (issue #19 §6), at 200 providers × 10,000 bookings over two weeks
 * (the scale generator: Mon–Sat 07:00–19:00, 5% unassigned, 2% overlaps), on in-memory Y documents as the
 * sync server holds them. `npx tsx bench/claim-rules-bench.ts [--runs N]` (not in `npm run bench`).
 *
 * - `claimJob`, refused by the rules: the whole command (plan only, nothing written) for a technician and an
 *   open job they would double-book or lack the skill for.
 * - the check alone: `claimWorld` (roster + the provider's own bookings, peeking at every slot) and
 *   `claimRefusals`.
 * - `availableJobs` (200 offers) with and without the asking technician's verdicts, over an already read world.
 */
import { claimWorld } from '../core/commands/claim-world';
import { createScaledSchedule } from '../core/demo/scale';
import { listCustomers, listProviders, listServices, readSettings } from '../core/doc/roster';
import { listBookings } from '../core/doc/schedule';
import { claimRefusals } from '../core/field/claim-rules';
import { availableJobs, isClaimable, type FieldWorld } from '../core/field/field-jobs';
import type { Actor } from '../core/model';
import { createWorkspace } from '../core/testing/fixture';
import { ms, percentile, table } from './stats';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 50;
const START = '2026-11-23';

const ws = createWorkspace({ now: `${START}T12:00:00Z` });
const built = performance.now();
const summary = createScaledSchedule((name, input, actor) => ws.run(name, input, actor), {
  providers: 200,
  bookings: 10_000,
  startDate: START,
  days: 14,
  seed: 7,
  setNow: (instant) => ws.setNow(instant),
});
ws.setNow(`${START}T12:00:00Z`);
const updated = ws.run('updateSettings', { selfDispatch: true });
if (!updated.ok) throw new Error(updated.error.message);
console.log(`built ${summary.bookings} bookings × ${summary.providers} providers in ${((performance.now() - built) / 1000).toFixed(1)} s`);

const world = (): FieldWorld => ({
  settings: readSettings(ws.roster),
  providers: listProviders(ws.roster),
  customers: listCustomers(ws.roster),
  services: listServices(ws.roster),
  bookings: listBookings(ws.schedule),
});
const fw = world();
const open = fw.bookings.filter(isClaimable);
// Pairs the rules refuse (the command then writes nothing, so each can be timed again and again).
const pairs: Array<{ actor: Actor; id: string; reasons: string[] }> = [];
for (const job of open) {
  for (const p of fw.providers) {
    const { world: cw, load } = claimWorld(ws.ctx(), p.id);
    const reasons = claimRefusals(cw, load, job);
    if (reasons.length > 0) {
      pairs.push({ actor: { id: `u-${p.id}`, name: p.name, role: 'technician', providerId: p.id }, id: job.id, reasons });
      break;
    }
  }
  if (pairs.length >= 20) break;
}
if (pairs.length === 0) throw new Error('no refused pair found');

const time = (fn: () => void): number[] => {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return samples;
};

let k = 0;
const refused = time(() => {
  const pair = pairs[k++ % pairs.length]!;
  const r = ws.run('claimJob', { id: pair.id }, pair.actor);
  if (r.ok) throw new Error('expected a refusal');
});
k = 0;
const check = time(() => {
  const pair = pairs[k++ % pairs.length]!;
  const { world: cw, load } = claimWorld(ws.ctx(), pair.actor.providerId!);
  claimRefusals(cw, load, fw.bookings.find((b) => b.id === pair.id)!);
});
const someone = fw.providers[0]!.id;
const listPlain = time(() => availableJobs(fw, START, 14, 200));
const listJudged = time(() => availableJobs(fw, START, 14, 200, someone));
const readWorld = time(() => world());

const row = (measure: string, samples: number[]) => ({ measure, p50: `${ms(percentile(samples, 50))} ms`, p95: `${ms(percentile(samples, 95))} ms` });
console.log(`open jobs: ${open.length}; refused pairs: ${pairs.length} (e.g. "${pairs[0]!.reasons.join('; ')}"); ${RUNS} runs each`);
console.log(
  table([
    row('claimJob refused by the rules (whole command, plan only)', refused),
    row('the check alone: claimWorld + claimRefusals', check),
    row('availableJobs, 200 offers, no verdicts', listPlain),
    row("availableJobs, 200 offers, with one technician's verdicts", listJudged),
    row('(context) reading the field world from the documents', readWorld),
  ]),
);
