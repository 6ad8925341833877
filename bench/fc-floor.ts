/**
 * The FullCalendar floor: what FullCalendar v7 itself costs on the board's week, with none of our app.
 * A bare static page (bench/fc-floor-page.ts, bundled minified by esbuild, served by a node:http server on
 * 127.0.0.1, bench/fc-floor-server.ts) mounts a resource timeline WEEK with the board's calendar options,
 * given the board bench's own week (same store, same sizes) mapped by the board's own model.
 *
 *   npx tsx bench/fc-floor.ts [--quick] [--loads N] [--drops N]
 *
 * --quick   only 50 × 1k
 *
 * Measures, defined as bench/board-bench.ts's (its page probe, bench/board-page.ts `probe`, is installed
 * in this page as it is in the app's, so the figures compare):
 * (a) first paint: navigation start → the first animation frame whose visible cards equal the set the page
 *     settles on (no change for 1.5 s; never empty). Events inline in the page (the absolute floor) and
 *     fetched as JSON from the same server as soon as the bundle runs (as the app reads them). 1 warm-up
 *     load per way, then N loads each (interleaved), each in a new browser context; p50/p95.
 * (b) drop: a real card dragged with Playwright's mouse to another visible row, 1–3 h later or earlier
 *     (FullCalendar's own drag; the handler only accepts). pointerup → the first frame in which the card is
 *     painted in its new row (the board bench's "FullCalendar alone"); and the last frame in which any card
 *     in view changed.
 */
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, dragPlanned, openProbed, planDrop, settledCards, type DropPlan } from './board-page';
import { startFloorServer, weekData, type FloorServer, type FloorSize } from './fc-floor-server';
import { lcg, ms, percentile, table } from './stats';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    loads: { type: 'string', default: '5' },
    drops: { type: 'string', default: '20' },
  },
});
const LOADS = Number(args.loads);
const DROPS = Number(args.drops);
const SIZES: Array<FloorSize & { key: string }> = [
  { key: '50x1000', label: '50 × 1k', providers: 50, bookings: 1_000 },
  ...(args.quick ? [] : [{ key: '200x10000', label: '200 × 10k', providers: 200, bookings: 10_000 }]),
];
const MODES = ['inline', 'fetch'] as const;

// ---------------------------------------------------------------------------------------------------
// Mount diagnostics (installed before any page script): ResizeObserver callbacks, animation frames, long
// tasks. They say how FullCalendar gets to its first paint, not part of the measure.

interface Diag {
  /** performance.now() of each ResizeObserver callback (FullCalendar measures through them). */
  ro: number[];
  observers: number;
  raf: number[];
  longTasks: Array<[start: number, duration: number]>;
}
declare global {
  interface Window {
    __diag: Diag;
  }
}

function diagnostics() {
  const d: Diag = { ro: [], observers: 0, raf: [], longTasks: [] };
  window.__diag = d;
  const Native = window.ResizeObserver;
  window.ResizeObserver = class extends Native {
    constructor(callback: ResizeObserverCallback) {
      d.observers++;
      super((entries, observer) => {
        d.ro.push(performance.now());
        callback(entries, observer);
      });
    }
  };
  const tick = () => {
    d.raf.push(performance.now());
    if (d.raf.length < 1200) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) d.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

interface Load {
  ms: number;
  cards: number;
  /** Mount steps (page times, ms) and what happened up to the settled frame (counts). */
  steps: Record<string, number>;
  counts: Record<string, number>;
}

/** (a) One fresh load. */
async function load(browser: Browser, url: string, keep = false): Promise<Load & { page?: Page; context?: BrowserContext }> {
  const { context, page } = await openProbed(browser, url, diagnostics);
  const final = await settledCards(page, 0, 'the floor page');
  const { marks, frames, diag } = await page.evaluate(() => ({ marks: window.__floor.marks, frames: window.__cl.frames, diag: window.__diag }));
  const rendered = marks.rendered ?? Number.NaN;
  const before = (list: number[]) => list.filter((t) => t <= final.t).length;
  const steps = {
    'bundle runs': marks.script,
    'data in': marks.data ?? Number.NaN,
    'Calendar built': marks.built ?? Number.NaN,
    'render() returned': rendered,
    'first cards painted': frames.find((f) => f.n > 0)?.t ?? Number.NaN,
    'settled set painted': final.t,
    'long tasks before': diag.longTasks.filter(([s]) => s <= final.t).reduce((a, [, d]) => a + d, 0),
  };
  const counts = {
    'RO callbacks before': before(diag.ro),
    'RO observers': diag.observers,
    'frames after render()': diag.raf.filter((t) => t > rendered && t <= final.t).length,
    'visible-set changes': frames.filter((f) => f.t <= final.t).length,
  };
  if (!keep) await context.close();
  return { ms: final.t, cards: final.n, steps, counts, ...(keep ? { page, context } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// (b) drops: planned and dragged by board-page.ts, as in the board bench.

/** Where the calendar itself has an event: its row and start. */
async function eventNow(page: Page, id: string): Promise<{ lane: string; start: number }> {
  return page.evaluate((id) => {
    const ev = window.__floor.calendar!.getEventById(id)!;
    return { lane: ev.getResources()[0]?.id ?? '?', start: ev.start!.getTime() };
  }, id);
}

async function drop(page: Page, plan: DropPlan): Promise<{ placedMs: number | null; lastMs: number | null; ok: boolean }> {
  const before = await eventNow(page, plan.id);
  // Nothing follows a drop here (no backend): 1 s after it and 500 ms without a change is settled.
  if (!(await dragPlanned(page, plan, 1000))) return { placedMs: null, lastMs: null, ok: false };
  const { t0, log } = await page.evaluate(() => window.__cl.armed);
  if (t0 === null) throw new Error('no pointerup seen');
  const after = await eventNow(page, plan.id);
  // Moved where the gesture meant: the new row, exactly the shift later or earlier.
  const ok = after.lane === plan.toLane && after.start - before.start === plan.shiftHours * 3_600_000;
  const changes = log.filter((e) => e.t >= t0);
  // As the board bench's "FullCalendar alone": the first frame with the card painted in its new row.
  const placed = changes.find((e) => e.id === plan.id && e.state.startsWith(`${plan.toLane}|`))?.t ?? null;
  return { placedMs: placed === null ? null : placed - t0, lastMs: changes.length ? changes.at(-1)!.t - t0 : null, ok };
}

// ---------------------------------------------------------------------------------------------------

const rows: Array<Record<string, string | number>> = [];
const diagRows: Array<Record<string, string | number>> = [];
let browser: Browser | null = null;
let server: FloorServer | null = null;
let chromiumVersion = '';
try {
  const data = new Map<string, string>();
  for (const size of SIZES) {
    const d = weekData(size);
    data.set(size.key, JSON.stringify(d));
    console.log(`${size.label}: ${d.providers.length} providers, ${d.week.view.bookings.length} bookings in the week, ${(data.get(size.key)!.length / 1e6).toFixed(2)} MB JSON`);
  }
  server = await startFloorServer(data);
  console.log(`bundle: ${(server.bundleBytes.js / 1e3).toFixed(0)} kB js, ${(server.bundleBytes.css / 1e3).toFixed(0)} kB css (minified)`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  chromiumVersion = browser.version();

  for (const size of SIZES) {
    // (a) first paint, the two ways interleaved: a warm-up each, then LOADS loads each.
    const paint = new Map(MODES.map((m) => [m, { ms: [] as number[], warm: 0, cards: 0, loads: [] as Load[] }]));
    for (let i = 0; i <= LOADS; i++) {
      for (const mode of MODES) {
        const r = await load(browser, server.url(size.key, mode));
        const res = paint.get(mode)!;
        if (i === 0) res.warm = r.ms;
        else {
          res.ms.push(r.ms);
          res.loads.push(r);
        }
        res.cards = r.cards;
      }
    }
    for (const mode of MODES) {
      const r = paint.get(mode)!;
      const what = mode === 'inline' ? 'events inline' : 'events fetched';
      rows.push({ size: size.label, measure: `first paint week, ${what} (${r.cards} cards in view)`, n: r.ms.length, p50: ms(percentile(r.ms, 50)), p95: ms(percentile(r.ms, 95)) });
      rows.push({ size: size.label, measure: `  first load (warm-up), ${what}`, n: 1, p50: ms(r.warm), p95: '' });
      const row: Record<string, string | number> = { size: size.label, mode };
      for (const name of Object.keys(r.loads[0]?.steps ?? {})) row[name] = ms(percentile(r.loads.map((s) => s.steps[name]!), 50));
      for (const name of Object.keys(r.loads[0]?.counts ?? {})) row[name] = percentile(r.loads.map((s) => s.counts[name]!), 50);
      diagRows.push(row);
    }

    // (b) drops on one page (events inline).
    const opened = await load(browser, server.url(size.key, 'inline'), true);
    const page = opened.page!;
    const rand = lcg(11);
    const used = new Set<string>();
    const placed: number[] = [];
    const last: number[] = [];
    let wrong = 0;
    let unseen = 0;
    for (let attempt = 0; placed.length + unseen < DROPS && attempt < DROPS * 3; attempt++) {
      const plan = await planDrop(page, rand, used, (c) => c.status === 'scheduled');
      if (!plan) break;
      const r = await drop(page, plan);
      if (!r.ok) {
        // Landed elsewhere than planned (e.g. a shift across the night between two days of the week view).
        wrong++;
        continue;
      }
      if (r.placedMs === null) unseen++;
      else placed.push(r.placedMs);
      if (r.lastMs !== null) last.push(r.lastMs);
    }
    await opened.context!.close();
    rows.push({ size: size.label, measure: `drop → card painted in its new row, accepted (${unseen} unseen, ${wrong} missed)`, n: placed.length, p50: ms(percentile(placed, 50)), p95: ms(percentile(placed, 95)) });
    rows.push({ size: size.label, measure: '  last change of any card in view', n: last.length, p50: ms(percentile(last, 50)), p95: ms(percentile(last, 95)) });
  }
} finally {
  await browser?.close();
  await server?.close();
}

console.log(`\nnode ${process.version}, Chromium ${chromiumVersion}, ${new Date().toISOString()}\n`);
console.log(table(rows));
console.log('\nMount, p50 per way (ms from navigation start; long tasks: their total ms; counts: up to the settled frame):\n');
console.log(table(diagRows));
