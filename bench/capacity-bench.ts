/**
 * Capacity at a glance (issue 19, part 4): what the board computes for the row labels' capacity and the
 * week overview's cells, on the board benchmark's store (200 providers × 10,000 bookings over two weeks,
 * built through the command path), from the same `board:getRange` answer the board reads.
 *
 *   npx tsx bench/capacity-bench.ts [--reps 30]
 *
 * "before" is what the row label computed until this change (`loadsOn`: jobs and hours starting that day);
 * "after" is `loadsOnDay` (core/assistant/capacity.ts `dayLoad` per row: available minutes, booked share,
 * jobs, conflicts). The week overview is `loadsOnDays` for 200 × 7 plus each cell's HTML and sentence.
 * The delta path (one edit) recomputes only the touched rows: two of them here. Pure computation in Node,
 * no browser: the calendar's own render is measured by bench/board-bench.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, dayBoundsMs, toMs } from '../core/index';
import { boardRange } from '../electron/backend/api/board-view';
import { daysOf, loadsOnDay, loadsOnDays, loadSentence } from '../renderer/src/features/board/board-load';
import { loadsOn } from '../renderer/src/features/board/board-model';
import { loadCellHtml } from '../renderer/src/features/board/load-html';
import { buildStore } from './fixtures';
import { ms, percentile, table } from './stats';

const { values: args } = parseArgs({ options: { reps: { type: 'string', default: '30' } } });
const REPS = Number(args.reps);
const START = '2026-11-23'; // a Monday, as in the board benchmark
const TUESDAY = addDays(START, 1);

const dir = mkdtempSync(join(tmpdir(), 'crewline-capacity-bench-'));
try {
  const { store, seconds } = buildStore(join(dir, 'workspace.sqlite'), { providers: 200, bookings: 10_000, startDate: START, days: 14 });
  console.log(`built 200 × 10k in ${seconds.toFixed(1)} s`);
  const settings = store.queries.settings();
  const zone = settings.timeZone;
  const providers = store.queries.providers({ includeInactive: true }).filter((p) => p.active);
  const world = {
    settings: { timeZone: zone, autoResize: settings.autoResize },
    providers: new Map(providers.map((p) => [p.id, p])),
    services: new Map(store.queries.services().map((s) => [s.id, s])),
  };
  const read = (first: string, last: string) => boardRange(store, dayBoundsMs(first, zone)[0], dayBoundsMs(last, zone)[1]);
  const day = read(TUESDAY, TUESDAY);
  const week = read(START, addDays(START, 6));
  const ctx = { zone, autoResize: settings.autoResize };
  const two = providers.slice(0, 2);
  const twoIds = new Set(two.map((p) => p.id));
  const onTwo = week.bookings.filter((b) => b.slot?.assignees.some((a) => twoIds.has(a)));
  const days = daysOf(START, addDays(START, 6));

  const rows: Array<Record<string, string | number>> = [];
  const measure = (what: string, variant: string, fn: () => unknown) => {
    for (let i = 0; i < 3; i++) fn(); // warm-up (caches, JIT)
    const samples: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t = performance.now();
      fn();
      samples.push(performance.now() - t);
    }
    rows.push({ measure: what, variant, n: REPS, p50: ms(percentile(samples, 50)), p95: ms(percentile(samples, 95)) });
  };

  measure(`row labels, day view (${day.bookings.length} jobs, 200 rows)`, 'before', () => loadsOn(TUESDAY, day.bookings, ctx));
  measure(`row labels, day view (${day.bookings.length} jobs, 200 rows)`, 'after', () => loadsOnDay(world, providers, TUESDAY, day.bookings, day.conflicts));
  measure(`row labels, week view (${week.bookings.length} jobs, 200 rows)`, 'before', () => loadsOn(TUESDAY, week.bookings, ctx));
  measure(`row labels, week view (${week.bookings.length} jobs, 200 rows)`, 'after', () => loadsOnDay(world, providers, TUESDAY, week.bookings, week.conflicts));
  measure(`row labels after one edit (2 rows, ${onTwo.length} jobs)`, 'before', () => loadsOn(TUESDAY, onTwo, ctx));
  measure(`row labels after one edit (2 rows, ${onTwo.length} jobs)`, 'after', () => loadsOnDay(world, two, TUESDAY, onTwo, week.conflicts));
  measure('week overview figures (200 × 7)', 'new', () => loadsOnDays(world, providers, days, week.bookings, week.conflicts));
  measure('week overview figures + cell HTML (200 × 7)', 'new', () => {
    for (const [id, list] of loadsOnDays(world, providers, days, week.bookings, week.conflicts)) {
      const name = world.providers.get(id)!.name;
      for (const f of list) loadCellHtml(f, loadSentence(name, f.date, f));
    }
  });
  console.log(`\nnode ${process.version}, ${new Date(toMs(new Date().toISOString())).toISOString()}\n`);
  console.log(table(rows));
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
