/**
 * Board benchmark (console issue, "Performance"): the real renderer in Debian Chromium against the web host
 * over the real backend, on stores built through the command path (`buildStore`, same generator as
 * store-bench), 50 providers × 1,000 bookings and 200 × 10,000 over two weeks, the WEEK view.
 *
 *   npx tsx bench/board-bench.ts [--quick] [--baseline DIR] [--loads N] [--drops N] [--saves N]
 *   BENCH_VIEW=day npx tsx bench/board-bench.ts ...   (the day view of the same Monday instead)
 *
 * --quick       only 50 × 1k
 * --baseline    also measure another checkout (e.g. `git worktree add /tmp/base HEAD` with node_modules
 *               linked in) side by side with this one, interleaved, in the same run: "before" vs "after".
 * --floor       also measure FullCalendar alone (bench/fc-floor-page.ts over this run's own store), load by
 *               load and drop by drop between the board's, and print each variant's ratio board / floor.
 *
 * Measures (all times are `performance.now()` inside the page, so relative to its navigation start):
 * (a) first paint: from navigation start to the first animation frame at which the set of cards
 *     intersecting the timeline's scroll viewport, each with its `data-conflict`/`data-staged` attributes,
 *     equals the set the page settles on (no change for 1.5 s after it; never empty). 1 warm-up load, then
 *     N fresh page loads (each in a new browser context), p50.
 * (a') the same, inside the running console: from another screen back to the board (hash change → the
 *     settled cards painted), the board unmounted in between; N times per variant on one page.
 * (b) drop: a real card dragged with Playwright's mouse (real pointer events) to another row and 1–3 hours
 *     later or earlier. From `pointerup` to the last animation frame in which any card in view changed its
 *     painted state (rows, `data-staged`, `data-conflict`, time label): the dropped card at its new place
 *     with `data-staged="true"` and its conflicts, the neighbours in view whose conflicts changed, and any
 *     card in view the calendar hid and showed again meanwhile. Cards mounted off screen are left out (the
 *     calendar unmounts some of them as it re-renders, which nobody sees); their last change is reported
 *     on its own line. Sampled per frame after a MutationObserver saw a change;
 *     the board is left 3 s to settle after each drop. Its final state is then checked against the
 *     backend's own answer (`board:getRange` over the same week) card by card.
 * (c) Save of the 20 staged drops: from the click on the Save dialog's confirm button to the staged badge
 *     reading 0 with no staged card left on the board; then the 20 rows are checked in the SQLite file.
 * (c') the same Save, N more times per variant (--saves, interleaved), of 20 moves staged through the API
 *     (an hour later each, scheduled one-person jobs of the week), so that Save has a median too.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { dayBoundsMs, fromMs, severityOf, toMs, type BoardView, type Slot } from '../core/index';
import { BENCH_VIEW, CHROMIUM_ARGS, CHROMIUM_PATH, dragPlanned, firstPaint, planDrop, reopenPaint, sleep, START, startHost, ZONE, type DropPlan, type Host, type Variant } from './board-page';
import { floorDrop, floorPaint, startFloorServer, weekDataOf, type FloorServer } from './fc-floor-server';
import { buildStore } from './fixtures';
import { lcg, ms, percentile, table } from './stats';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    loads: { type: 'string', default: '5' },
    drops: { type: 'string', default: '20' },
    saves: { type: 'string', default: '5' },
    floor: { type: 'boolean', default: false },
  },
});
const LOADS = Number(args.loads);
const DROPS = Number(args.drops);
const SAVES = Number(args.saves);
const HERE = resolve(import.meta.dirname, '..');

const variants: Variant[] = [];
if (args.baseline) variants.push({ name: 'before', root: resolve(args.baseline) });
variants.push({ name: args.baseline ? 'after' : 'current', root: HERE });

const SIZES = [
  { label: '50 × 1k', providers: 50, bookings: 1_000, firstPaint: 250, drop: 30 },
  ...(args.quick ? [] : [{ label: '200 × 10k', providers: 200, bookings: 10_000, firstPaint: 400, drop: 50 }]),
];

// ---------------------------------------------------------------------------------------------------
// (b) drops

/** The week the board shows: what `board:getRange` and the edits' `view` name. */
const WEEK = (() => {
  const from = dayBoundsMs(START, ZONE)[0];
  return { from: fromMs(from), to: fromMs(from + 7 * 86_400_000) };
})();

async function weekTruth(host: Host): Promise<BoardView> {
  const r = await host.client.request('board:getRange', WEEK);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

interface DropResult {
  ms: number | null;
  /** Only the dropped card: at its new place, staged, with its own conflicts. */
  movedMs: number | null;
  /** The dropped card first painted in its new row (FullCalendar's own drop, not yet staged). */
  calendarMs: number | null;
  /** The last change of any mounted card, on screen or not (FullCalendar unmounts off-screen cards as it re-renders). */
  mountedMs: number | null;
  changed: number;
  mismatches: number;
  staged: boolean;
}

async function drop(page: Page, host: Host, plan: DropPlan): Promise<DropResult | null> {
  // Settle: 3 s after the drop (past the board's own follow-up re-reads) and 500 ms without a change.
  if (!(await dragPlanned(page, plan, 3000))) return null;
  const { t0, log, lastMounted, after } = await page.evaluate(() => ({ t0: window.__cl.armed.t0, log: window.__cl.armed.log, lastMounted: window.__cl.armed.lastMounted, after: window.__cl.snapshot() }));
  if (t0 === null) throw new Error('no pointerup seen');
  // What the backend says the week looks like now, card by card (rows, staged, severity).
  const truth = await weekTruth(host);
  const byId = new Map(truth.bookings.map((b) => [b.id, b]));
  let mismatches = 0;
  for (const [id, s] of Object.entries(after)) {
    const b = byId.get(id);
    if (!b || !b.slot) {
      mismatches++;
      continue;
    }
    const shown = s.split(';').map((part) => part.split('|'));
    const lanesShown = shown.map((p) => p[0]).sort().join();
    const sev = severityOf(truth.conflicts[id]) ?? '';
    if (lanesShown !== [...b.slot.assignees].sort().join() || shown.some((p) => p[1] !== (b.staged ? 'true' : '') || p[2] !== sev)) mismatches++;
  }
  const moved = byId.get(plan.id);
  if (process.env.BENCH_DEBUG) console.log(JSON.stringify({ plan, moved: moved && { staged: moved.staged, slot: moved.slot }, log: log.slice(0, 6), t0 }));
  const staged = !!moved?.staged && moved.slot?.assignees.includes(plan.toLane) === true;
  // Repainted = the last frame in which any card's painted state changed (the dropped card at its new
  // place, staged, and every neighbour whose conflicts changed; cards FullCalendar re-lays out count too).
  const changes = log.filter((e) => e.t >= t0);
  const changed = new Set(changes.map((e) => e.id));
  const lastChange = changes.length ? changes.at(-1)!.t : null;
  const movedAt = changes.filter((e) => e.id === plan.id).at(-1)?.t ?? null;
  // FullCalendar's own part: the card painted in its new row by the calendar itself, before our answer.
  const calendarAt = changes.find((e) => e.id === plan.id && e.state.startsWith(`${plan.toLane}|`))?.t ?? null;
  return {
    ms: lastChange === null ? null : lastChange - t0,
    movedMs: movedAt === null ? null : movedAt - t0,
    calendarMs: calendarAt === null ? null : calendarAt - t0,
    mountedMs: lastMounted === null ? null : lastMounted - t0,
    changed: changed.size,
    mismatches,
    staged,
  };
}

// ---------------------------------------------------------------------------------------------------
// (c) Save

async function save(page: Page, host: Host): Promise<{ ms: number; staged: number; committed: number }> {
  const drafts = host.db.prepare('SELECT booking_id AS id, slot FROM draft_changes').all() as Array<{ id: string; slot: string | null }>;
  await page.click('[data-action="save"]');
  await page.waitForSelector('[data-action="confirm-save"]:not([disabled])');
  await page.evaluate(() => window.__cl.arm('save'));
  await page.click('[data-action="confirm-save"]');
  for (const started = Date.now(); ; ) {
    await sleep(200);
    const { t0, last, doneAt, now } = await page.evaluate(() => ({ ...window.__cl.armed, now: performance.now() }));
    if (t0 !== null && doneAt !== null && now - last > 1000) break;
    if (Date.now() - started > 30_000) throw new Error('Save never finished on the board');
  }
  const { t0, doneAt } = await page.evaluate(() => window.__cl.armed);
  let committed = 0;
  const row = host.db.prepare('SELECT data FROM bookings WHERE id = ?').pluck();
  for (const d of drafts) {
    const saved = JSON.parse(row.get(d.id) as string) as { slot: Slot | null };
    const want = d.slot === null ? null : (JSON.parse(d.slot) as Slot);
    const same =
      want === null
        ? saved.slot === null
        : saved.slot !== null && toMs(saved.slot.start) === toMs(want.start) && toMs(saved.slot.end) === toMs(want.end) && saved.slot.assignees.join() === want.assignees.join();
    if (same) committed++;
  }
  const left = host.db.prepare('SELECT count(*) FROM draft_changes').pluck().get() as number;
  if (left !== 0) throw new Error(`${left} drafts left after Save`);
  return { ms: doneAt! - t0!, staged: drafts.length, committed };
}

/** (c') 20 moves staged from outside the page, as another window of the same workspace would; the board re-reads. */
async function stageThroughApi(host: Host, round: number): Promise<void> {
  const week = await weekTruth(host);
  const movable = week.bookings.filter((b) => b.status === 'scheduled' && !b.staged && b.slot?.assignees.length === 1);
  let staged = 0;
  for (let i = round * 37; staged < 20 && i < movable.length; i++) {
    const b = movable[i]!;
    const slot = { ...b.slot!, start: fromMs(toMs(b.slot!.start) + 3_600_000), end: fromMs(toMs(b.slot!.end) + 3_600_000) };
    if ((await host.client.request('draft:stage', { id: b.id, slot, view: WEEK })).ok) staged++;
  }
  if (staged < 20) throw new Error(`only ${staged} moves staged for Save round ${round}`);
}

// ---------------------------------------------------------------------------------------------------

const rows: Array<Record<string, string | number>> = [];
const notes: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'crewline-board-bench-'));
let browser: Browser | null = null;
let chromiumVersion = '';
const hosts: Host[] = [];
const floors: FloorServer[] = [];
const ratios: Array<Record<string, string | number>> = [];
try {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  chromiumVersion = browser.version();
  for (const size of SIZES) {
    const srcDir = join(dir, `${size.providers}x${size.bookings}`);
    mkdirSync(srcDir);
    const built = buildStore(join(srcDir, 'workspace.sqlite'), { providers: size.providers, bookings: size.bookings, startDate: START, days: 14 });
    // FullCalendar alone is given the same week of the same store as the board (bench/fc-floor-server.ts).
    const floorServer: FloorServer | null = args.floor ? await startFloorServer(new Map([['week', JSON.stringify(weekDataOf(built.store))]])) : null;
    if (floorServer) floors.push(floorServer);
    const floor = { inline: [] as number[], fetch: [] as number[], drops: [] as number[], dropMisses: 0 };
    built.store.close();
    console.log(`built ${size.label} in ${built.seconds.toFixed(1)} s`);
    const sizeHosts: Host[] = [];
    for (const variant of variants) {
      const dataDir = join(srcDir, variant.name);
      mkdirSync(dataDir);
      for (const f of ['workspace.sqlite', 'workspace.sqlite-wal']) if (existsSync(join(srcDir, f))) copyFileSync(join(srcDir, f), join(dataDir, f));
      const host = await startHost(variant, dataDir);
      hosts.push(host);
      sizeHosts.push(host);
    }
    const results = new Map(sizeHosts.map((h) => [h, { paint: [] as number[], reopen: [] as number[], warm: 0, cards: 0, drops: [] as number[], moved: [] as number[], calendar: [] as number[], mounted: [] as number[], misses: 0, mismatches: 0, save: null as null | { ms: number; staged: number; committed: number }, saves: [] as number[] }]));

    // (a) first paint, interleaved: warm-up, then LOADS fresh loads per variant.
    for (let i = 0; i <= LOADS; i++) {
      for (const host of sizeHosts) {
        const r = await firstPaint(browser, host);
        const res = results.get(host)!;
        if (i === 0) res.warm = r.ms;
        else res.paint.push(r.ms);
        res.cards = r.cards;
      }
      // FullCalendar alone, both ways (events inline: the absolute floor; fetched: as the app reads them).
      if (floorServer) {
        for (const mode of ['inline', 'fetch'] as const) {
          const r = await floorPaint(browser, floorServer.url('week', mode));
          if (i > 0) floor[mode].push(r.ms);
        }
      }
    }

    // (b) drops: plan on the first variant, replay on each, interleaved.
    const pages = new Map<Host, Page>();
    const contexts: BrowserContext[] = [];
    const floorPage = floorServer ? await floorPaint(browser, floorServer.url('week', 'inline'), true) : null;
    if (floorPage) contexts.push(floorPage.context!);
    for (const host of sizeHosts) {
      const opened = await firstPaint(browser, host, true);
      pages.set(host, opened.page!);
      contexts.push(opened.context!);
    }
    // (a') the board opened again from another screen of the running console, interleaved.
    for (let i = 0; i < LOADS; i++) for (const host of sizeHosts) results.get(host)!.reopen.push((await reopenPaint(pages.get(host)!)).ms);

    const rand = lcg(11);
    const used = new Set<string>();
    let staged = 0;
    for (let attempt = 0; staged < DROPS && attempt < DROPS * 3; attempt++) {
      // Chosen from what variant A shows: a scheduled card fully in view, another visible row, a shift in view.
      const plan = await planDrop(pages.get(sizeHosts[0]!)!, rand, used, (c) => c.status === 'scheduled');
      if (!plan) break;
      const outcomes: Array<DropResult | null> = [];
      for (const host of sizeHosts) outcomes.push(await drop(pages.get(host)!, host, plan));
      if (floorPage && outcomes.every((o) => o?.staged)) {
        const f = await floorDrop(floorPage.page!, plan);
        if (f.ok && f.placedMs !== null) floor.drops.push(f.placedMs);
        else floor.dropMisses++;
      }
      if (outcomes.some((o) => !o || !o.staged)) {
        notes.push(`${size.label}: drop of ${plan.id} not staged on every variant (${outcomes.map((o) => (o ? o.staged : 'n/a')).join('/')}), skipped`);
        continue;
      }
      staged++;
      sizeHosts.forEach((host, k) => {
        const o = outcomes[k]!;
        const res = results.get(host)!;
        if (o.ms === null) res.misses++;
        else res.drops.push(o.ms);
        if (o.movedMs !== null) res.moved.push(o.movedMs);
        if (o.calendarMs !== null) res.calendar.push(o.calendarMs);
        if (o.mountedMs !== null) res.mounted.push(o.mountedMs);
        res.mismatches += o.mismatches;
      });
    }
    // (c) Save of what the drops staged.
    for (const host of sizeHosts) results.get(host)!.save = await save(pages.get(host)!, host);
    // (c') more Saves of 20, staged through the API, interleaved.
    for (let round = 0; round < SAVES; round++) {
      for (const host of sizeHosts) {
        await stageThroughApi(host, round);
        await sleep(2500); // the board re-reads after the other window's edits
        const again = await save(pages.get(host)!, host);
        if (again.committed !== again.staged) throw new Error(`Save round ${round}: ${again.committed} of ${again.staged} committed`);
        results.get(host)!.saves.push(again.ms);
      }
    }
    for (const context of contexts) await context.close();

    for (const host of sizeHosts) {
      const r = results.get(host)!;
      const v = host.variant.name;
      rows.push({ size: size.label, measure: `first paint ${BENCH_VIEW} (${r.cards} cards in view)`, variant: v, n: r.paint.length, p50: ms(percentile(r.paint, 50)), p95: ms(percentile(r.paint, 95)), target: `≤ ${size.firstPaint} ms` });
      rows.push({ size: size.label, measure: 'board opened again from another screen', variant: v, n: r.reopen.length, p50: ms(percentile(r.reopen, 50)), p95: ms(percentile(r.reopen, 95)), target: '' });
      rows.push({ size: size.label, measure: 'first load after host start (warm-up)', variant: v, n: 1, p50: ms(r.warm), p95: '', target: '' });
      rows.push({ size: size.label, measure: `drop → repainted, conflicts (${r.mismatches} cards wrong, ${r.misses} unseen)`, variant: v, n: r.drops.length, p50: ms(percentile(r.drops, 50)), p95: ms(percentile(r.drops, 95)), target: `≤ ${size.drop} ms` });
      rows.push({ size: size.label, measure: '  of which: the dropped card alone staged at its place', variant: v, n: r.moved.length, p50: ms(percentile(r.moved, 50)), p95: ms(percentile(r.moved, 95)), target: '' });
      rows.push({ size: size.label, measure: '  of which: FullCalendar alone, card in its new row', variant: v, n: r.calendar.length, p50: ms(percentile(r.calendar, 50)), p95: ms(percentile(r.calendar, 95)), target: '' });
      rows.push({ size: size.label, measure: '  (any mounted card, on screen or not, last changed)', variant: v, n: r.mounted.length, p50: ms(percentile(r.mounted, 50)), p95: ms(percentile(r.mounted, 95)), target: '' });
      rows.push({ size: size.label, measure: `Save of ${r.save!.staged} → committed (${r.save!.committed} rows checked) + repainted`, variant: v, n: 1, p50: ms(r.save!.ms), p95: '', target: '≤ 100 ms' });
      if (r.saves.length) rows.push({ size: size.label, measure: '  again, 20 staged through the API each time', variant: v, n: r.saves.length, p50: ms(percentile(r.saves, 50)), p95: ms(percentile(r.saves, 95)), target: '≤ 100 ms' });
    }
    if (floorServer) {
      const fp = percentile(floor.fetch, 50);
      const fi = percentile(floor.inline, 50);
      const fd = percentile(floor.drops, 50);
      rows.push({ size: size.label, measure: 'first paint week, events inline', variant: 'FullCalendar alone', n: floor.inline.length, p50: ms(fi), p95: ms(percentile(floor.inline, 95)), target: '' });
      rows.push({ size: size.label, measure: 'first paint week, events fetched (the floor)', variant: 'FullCalendar alone', n: floor.fetch.length, p50: ms(fp), p95: ms(percentile(floor.fetch, 95)), target: '' });
      rows.push({ size: size.label, measure: `drop → card painted in its new row (${floor.dropMisses} missed)`, variant: 'FullCalendar alone', n: floor.drops.length, p50: ms(fd), p95: ms(percentile(floor.drops, 95)), target: '' });
      for (const host of sizeHosts) {
        const r = results.get(host)!;
        const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');
        ratios.push({
          size: size.label,
          variant: host.variant.name,
          'first paint / floor (fetched)': ratio(percentile(r.paint, 50), fp),
          'first paint / inline': ratio(percentile(r.paint, 50), fi),
          'drop / floor': ratio(percentile(r.drops, 50), fd),
          target: '≤ 1.10×',
        });
      }
      await floorServer.close();
      floors.length = 0;
    }
    for (const host of sizeHosts) await host.stop();
    hosts.length = 0;
  }
} finally {
  await browser?.close();
  for (const host of hosts) await host.stop();
  for (const f of floors) await f.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nnode ${process.version}, Chromium ${chromiumVersion}, ${new Date().toISOString()}\n`);
console.log(table(rows));
if (ratios.length) console.log(`\nboard / FullCalendar alone, p50 over p50, same run:\n\n${table(ratios)}`);
for (const n of notes) console.log(`note: ${n}`);
