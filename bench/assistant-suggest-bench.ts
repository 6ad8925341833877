/**
 * "Suggest a technician" (issue #19): ranking every provider for one job at 200 providers × 10,000 bookings
 * over two weeks (the demo generator's company). Two ways, on the same jobs:
 * - the pure ranking (core/assistant/suggest.ts) over a per-provider-per-day index built once;
 * - the `assistant:suggest` request as the console sends it, on the real SQLite store (reads each
 *   provider's day, staged edits, customers, earlier visits, then ranks).
 * Jobs are sampled with a fixed seed: queued-like copies of real jobs without technicians, half keeping their
 * time and half with no date (planned on their day in 15-minute steps), plus two-person crew jobs.
 *
 * `npm run bench:suggest` (`npx tsx bench/assistant-suggest-bench.ts [--quick]`)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDateOf, toMs, type Booking } from '../core/index';
import { suggest, SuggestIndex } from '../core/assistant/suggest';
import { BackendApi } from '../electron/backend/api/backend-api';
import { buildStore } from './fixtures';
import { lcg, ms, percentile, table } from './stats';

const quick = process.argv.includes('--quick');
const SAMPLES = quick ? 40 : 300;
const START = '2026-11-23';
const dir = mkdtempSync(join(tmpdir(), 'crewline-suggest-bench-'));

try {
  const built = buildStore(join(dir, 'suggest.sqlite'), { providers: 200, bookings: 10_000, startDate: START, days: 14 });
  const { store } = built;
  console.log(`\nsuggest a technician: built 200 × 10k in ${built.seconds.toFixed(1)} s`);
  const settings = store.queries.settings();
  const zone = settings.timeZone;
  const all = store.queries.bookingsInRange(Date.parse('2026-11-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
  const providers = store.queries.providers();
  const world = {
    settings,
    providers: new Map(providers.map((p) => [p.id, p])),
    services: new Map(store.queries.services().map((s) => [s.id, s])),
  };
  const customers = new Map(store.queries.customers().map((c) => [c.id, c]));

  let t = performance.now();
  const index = new SuggestIndex(all, zone);
  const indexMs = performance.now() - t;

  // Sample real jobs; turn each into a job to place: no technician, with its time or without a date.
  const rnd = lcg(19);
  const dated = all.filter((b) => b.slot && b.status === 'scheduled');
  const pick = () => dated[Math.floor(rnd() * dated.length)]!;
  type Kind = 'kept time' | 'no date' | 'crew of 2';
  const jobs: Array<{ kind: Kind; booking: Booking; day: string }> = [];
  for (let i = 0; i < SAMPLES; i++) {
    const b = pick();
    const day = localDateOf(toMs(b.slot!.start), zone);
    const kind: Kind = i % 3 === 0 ? 'kept time' : i % 3 === 1 ? 'no date' : 'crew of 2';
    const slot = kind === 'kept time' ? { ...b.slot!, assignees: [] } : null;
    jobs.push({ kind, day, booking: { ...b, slot, status: slot ? 'scheduled' : 'unscheduled', teamSize: kind === 'crew of 2' ? 2 : 1 } });
  }

  const core = new Map<Kind, number[]>();
  const ok = new Map<Kind, number[]>();
  for (const round of [0, 1]) {
    for (const { kind, booking, day } of jobs) {
      t = performance.now();
      const result = suggest({
        world,
        booking,
        day,
        providers: providers.filter((p) => p.active),
        bookingsOf: (p) => index.bookingsOf(p, day),
        customers,
        served: index.served(booking.customerId, toMs(`${day}T00:00:00Z`), booking.id),
      });
      const took = performance.now() - t;
      if (round === 0) continue; // the first round warms the JIT and the engine's zone caches
      (core.get(kind) ?? core.set(kind, []).get(kind)!).push(took);
      (ok.get(kind) ?? ok.set(kind, []).get(kind)!).push(result.ranked.filter((s) => s.ok).length);
    }
  }

  // The request as the console sends it, for the same (saved, assigned) jobs: their time kept.
  const api = new BackendApi(store, { version: 'bench', transport: 'websocket' });
  const handler = api.handlers['assistant:suggest'];
  const viaApi: number[] = [];
  const requestJobs = jobs.filter((j) => j.kind !== 'crew of 2').slice(0, quick ? 20 : 100);
  for (const round of [0, 1]) {
    for (const { booking, day } of requestJobs) {
      t = performance.now();
      const r = handler({ id: booking.id, day });
      const took = performance.now() - t;
      if (r instanceof Promise) throw new Error('assistant:suggest answers at once');
      if (!r.ok) throw new Error(r.error.message);
      if (round === 1) viaApi.push(took);
    }
  }

  const row = (measure: string, samples: number[], target: string, extra = '') => ({
    measure,
    p50: `${ms(percentile(samples, 50))} ms`,
    p95: `${ms(percentile(samples, 95))} ms`,
    max: `${ms(Math.max(...samples))} ms`,
    target,
    note: extra,
  });
  const avg = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(0);
  console.log(`index of ${all.length} bookings by provider and day: ${ms(indexMs)} ms (once per board)`);
  console.log(
    table([
      row('rank 200 providers, job keeps its time (core)', core.get('kept time')!, '≤ 50 ms p50', `${avg(ok.get('kept time')!)} fine on average`),
      row('rank 200 providers, job without a date (core)', core.get('no date')!, '≤ 50 ms p50', `${avg(ok.get('no date')!)} fine on average`),
      row('rank 200 + crew of 2, no date (core)', core.get('crew of 2')!, '', `${avg(ok.get('crew of 2')!)} fine on average`),
      row('`assistant:suggest` on the SQLite store', viaApi, '', 'saved jobs, their time kept'),
    ]),
  );
  console.log(`${Math.round(SAMPLES / 3)} jobs of each kind, second of two rounds (Node ${process.version})`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
