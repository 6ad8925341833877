/**
 * Local store baseline (foundation issue): cold open with a year of history, one command's latency
 * (validate + Yjs + SQLite commit) and a one-week range query at 200 providers × 10,000 bookings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { addDays, dayBoundsMs, executeCommand, fromMs, toMs } from '../core/index';
import { LocalStore } from '../electron/backend/store/local-store';
import { buildStore, BENCH_ACTOR } from './fixtures';
import { lcg, ms, percentile, table } from './stats';

const dir = mkdtempSync(join(tmpdir(), 'crewline-bench-'));
const child = fileURLToPath(new URL('./open-store-child.ts', import.meta.url));
const rows: Array<Record<string, string | number>> = [];
const report = (measure: string, samples: number[], target: string) =>
  rows.push({ measure, n: samples.length, p50: ms(percentile(samples, 50)), p95: ms(percentile(samples, 95)), max: ms(Math.max(...samples)), target });

/** `--quick` skips the year-of-history store (about a minute to build) while iterating on queries. */
const quick = process.argv.includes('--quick');

try {
  // --- 1 year of history, 100k bookings, closed ones older than 30 days archived ----------------------
  if (!quick) yearBench();
  function yearBench() {
  const yearStart = '2025-11-24';
  const yearPath = join(dir, 'year.sqlite');
  const year = buildStore(yearPath, { providers: 200, bookings: 100_000, startDate: yearStart, days: 364, closeFraction: 0.97, archiveAfterDays: 30 });
  const archived = year.store.queries.archivedCount();
  const active = year.store.db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
  year.store.close();
  console.log(`built 1 year: ${year.summary.bookings} bookings (${archived} archived, ${active} active) in ${year.seconds.toFixed(1)} s, file ${(statSync(yearPath).size / 1e6).toFixed(1)} MB`);
  const [weekFrom] = dayBoundsMs(addDays(yearStart, 357), 'America/Chicago');
  const opens: number[] = [];
  const firstQueries: number[] = [];
  const scheduleLoads: number[] = [];
  let weekRowsYear = 0;
  for (let i = 0; i < 5; i++) {
    const out = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', child, yearPath, String(weekFrom), String(weekFrom + 7 * 86_400_000)], { encoding: 'utf8' }),
    ) as { openMs: number; firstQueryMs: number; scheduleLoadMs: number; rows: number };
    opens.push(out.openMs);
    firstQueries.push(out.firstQueryMs);
    scheduleLoads.push(out.scheduleLoadMs);
    weekRowsYear = out.rows;
  }
  report('cold open, 1 year / 100k bookings (new process)', opens, '≤ 800 ms');
  report(`first week query after cold open (${weekRowsYear} rows)`, firstQueries, '');
  report('deferred schedule doc load (before first edit)', scheduleLoads, '');
  }

  // --- 200 providers × 10,000 bookings over two weeks -------------------------------------------------
  const start = '2026-11-23';
  const big = buildStore(join(dir, 'big.sqlite'), { providers: 200, bookings: 10_000, startDate: start, days: 14 });
  console.log(`built 200 × 10k in ${big.seconds.toFixed(1)} s`);
  const store = big.store;
  const [from] = dayBoundsMs(start, 'America/Chicago');
  const to = from + 7 * 86_400_000;
  const week: number[] = [];
  let weekRows = 0;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    weekRows = store.queries.bookingsInRange(from, to).length;
    week.push(performance.now() - t);
  }
  report(`week range query, 200 × 10k (${weekRows} rows)`, week, '≤ 5 ms');
  const dayQueries: number[] = [];
  const [dayFrom, dayTo] = dayBoundsMs(addDays(start, 2), 'America/Chicago');
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    store.queries.bookingsInRange(dayFrom, dayTo);
    dayQueries.push(performance.now() - t);
  }
  report('day range query, 200 × 10k', dayQueries, '');
  const conflicts: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    store.queries.conflictsInRange(from, to);
    conflicts.push(performance.now() - t);
  }
  report('week conflicts (query + engine), 200 × 10k', conflicts, '');

  // --- one command: validate + Yjs + SQLite commit -------------------------------------------------
  const ids = store.db.prepare('SELECT id FROM bookings WHERE assignee_count > 0 AND status = ? LIMIT 2000').pluck().all('scheduled') as string[];
  const moves = (target: LocalStore | null, label: string, target_: string) => {
    const rand = lcg(42);
    const samples: number[] = [];
    const ctxDocs = target ?? null;
    for (let i = 0; i < 2000; i++) {
      const id = ids[Math.floor(rand() * ids.length)]!;
      const b = (ctxDocs ?? store).queries.booking(id)!;
      const shift = (Math.floor(rand() * 9) - 4) * 15 * 60_000 || 15 * 60_000;
      const input = { id, start: fromMs(toMs(b.slot!.start) + shift) };
      const t = performance.now();
      const r = target
        ? target.execute('moveBooking', input)
        : executeCommand({ ...store.context(), actor: BENCH_ACTOR }, 'moveBooking', input);
      samples.push(performance.now() - t);
      if (!r.ok) throw new Error(r.error.message);
    }
    report(label, samples, target_);
  };
  moves(store, 'moveBooking via store, synchronous=FULL', '≤ 1 ms p50');
  store.db.pragma('synchronous = NORMAL');
  moves(store, 'moveBooking via store, synchronous=NORMAL', '');
  store.db.pragma('synchronous = FULL');
  // The same command on detached copies of the docs: validate + Yjs only, no SQLite.
  const detached = { roster: new Y.Doc(), schedule: new Y.Doc() };
  Y.applyUpdate(detached.roster, Y.encodeStateAsUpdate(store.docs.roster));
  Y.applyUpdate(detached.schedule, Y.encodeStateAsUpdate(store.docs.schedule));
  {
    const rand = lcg(42);
    const samples: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const id = ids[Math.floor(rand() * ids.length)]!;
      const b = store.queries.booking(id)!;
      const t = performance.now();
      executeCommand({ ...store.context(), ...detached }, 'moveBooking', { id, start: fromMs(toMs(b.slot!.start) + 15 * 60_000) });
      samples.push(performance.now() - t);
    }
    report('moveBooking on docs only (validate + Yjs)', samples, '');
  }
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nnode ${process.version}, ${new Date().toISOString()}\n`);
console.log(table(rows));
