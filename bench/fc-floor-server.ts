/**
 * The FullCalendar floor's Node side (bench/fc-floor.ts): the week's data from the board bench's own store,
 * the page bundled by esbuild (minified, as the app's build is), and a tiny node:http server on 127.0.0.1
 * (random port).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { boardRange } from '../electron/backend/api/board-view';
import { dayBoundsMs, fromMs } from '../core/index';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dragPlanned, NOW, openProbed, settledCards, START, ZONE, type DropPlan } from './board-page';
import type { FloorConfig, FloorData } from './fc-floor-page';
import { buildStore } from './fixtures';

// ---------------------------------------------------------------------------------------------------
// Data: the board bench's store (bench/fixtures.ts `buildStore`, same generator, same sizes, two weeks from
// START) and what the app reads of it before it builds the calendar: the roster and the first week as
// `board:getRange` answers it (`boardRange`).

export interface FloorSize {
  label: string;
  providers: number;
  /** Over two weeks, as the board bench's stores. */
  bookings: number;
}

export function weekData(size: FloorSize): FloorData {
  const dir = mkdtempSync(join(tmpdir(), 'crewline-fc-floor-'));
  const { store } = buildStore(join(dir, 'workspace.sqlite'), { providers: size.providers, bookings: size.bookings, startDate: START, days: 14 });
  try {
    return weekDataOf(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor's data from a store already built (the board bench's own, so both measure the same week). */
export function weekDataOf(store: ReturnType<typeof buildStore>['store']): FloorData {
  const [from] = dayBoundsMs(START, ZONE);
  const to = from + 7 * 86_400_000;
  return {
    settings: store.queries.settings(),
    providers: store.queries.providers(),
    customers: store.queries.customers(),
    services: store.queries.services(),
    week: { from: fromMs(from), to: fromMs(to), view: boardRange(store, from, to) },
  };
}

/** (a) as the board bench: one fresh load of the floor page → the settled set of visible cards painted. */
export async function floorPaint(browser: Browser, url: string, keep = false): Promise<{ ms: number; cards: number; page?: Page; context?: BrowserContext }> {
  const { context, page } = await openProbed(browser, url);
  const final = await settledCards(page, 0, 'the floor page');
  if (!keep) await context.close();
  return { ms: final.t, cards: final.n, ...(keep ? { page, context } : {}) };
}

/** (b) as the board bench: a planned drag on the floor page → the first frame with the card in its new row. */
export async function floorDrop(page: Page, plan: DropPlan): Promise<{ placedMs: number | null; ok: boolean }> {
  const eventNow = () =>
    page.evaluate((id) => {
      const ev = window.__floor.calendar!.getEventById(id);
      return ev ? { lane: ev.getResources()[0]?.id ?? '?', start: ev.start!.getTime() } : null;
    }, plan.id);
  const before = await eventNow();
  if (!before || !(await dragPlanned(page, plan, 1000))) return { placedMs: null, ok: false };
  const { t0, log } = await page.evaluate(() => window.__cl.armed);
  if (t0 === null) throw new Error('no pointerup seen');
  const after = await eventNow();
  const ok = after !== null && after.lane === plan.toLane && after.start - before.start === plan.shiftHours * 3_600_000;
  const placed = log.find((e) => e.t >= t0 && e.id === plan.id && e.state.startsWith(`${plan.toLane}|`))?.t ?? null;
  return { placedMs: placed === null ? null : placed - t0, ok };
}

// ---------------------------------------------------------------------------------------------------
// The page.

const PAGE_CSS = `
/* Where the board's timeline sits in the app at the bench's 1600 × 1000: right of the navigation (132 px)
   and the queue (250 px), under the toolbar (~40 px). The app's stylesheets do the rest. */
#root { position: fixed; left: 382px; top: 40px; right: 0; bottom: 0; height: auto; background: var(--cl-surface); }
`;

/** JSON inside a <script> element: `<` escaped so no `</script>` can end it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function pageHtml(config: FloorConfig, inlineData: string | null): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>FullCalendar floor</title>' +
    `<link rel="stylesheet" href="/floor.css"><style>${PAGE_CSS}</style><script type="module" src="/floor.js"></script></head>` +
    `<body><div id="root"><div class="cl-timeline"></div></div><script type="application/json" id="floor-config">${scriptJson(config)}</script>` +
    (inlineData === null ? '' : `<script type="application/json" id="floor-data">${inlineData}</script>`) +
    '</body></html>'
  );
}

export interface FloorServer {
  /** The page for one size (`key` of `sizes`), events inline or fetched. */
  url(key: string, mode: FloorConfig['mode']): string;
  bundleBytes: { js: number; css: number };
  close(): Promise<void>;
}

/** Bundles the page, then serves it with each size's data (`sizes`: key → the data's JSON). */
export async function startFloorServer(sizes: ReadonlyMap<string, string>): Promise<FloorServer> {
  const root = resolve(import.meta.dirname, '..');
  const bundle = await build({
    absWorkingDir: root,
    entryPoints: ['bench/fc-floor-page.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    define: { 'process.env.NODE_ENV': '"production"' },
    outdir: 'floor-out', // not written (write: false): only names the outputs
    entryNames: 'floor',
    write: false,
    logLevel: 'warning',
  });
  const file = (ext: string) => bundle.outputFiles.find((f) => f.path.endsWith(ext))!.text;
  const assets = new Map([
    ['/floor.js', { type: 'text/javascript', body: file('.js') }],
    ['/floor.css', { type: 'text/css', body: file('.css') }],
  ]);
  for (const [key, json] of sizes) assets.set(`/data/${key}.json`, { type: 'application/json', body: json });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const asset = assets.get(url.pathname);
    const key = url.searchParams.get('size') ?? '';
    const mode = url.searchParams.get('mode') === 'fetch' ? 'fetch' : 'inline';
    if (!asset && !(url.pathname === '/' && sizes.has(key))) {
      res.writeHead(404).end();
      return;
    }
    const config: FloorConfig = { now: NOW, mode, dataUrl: `/data/${key}.json` };
    const { type, body } = asset ?? { type: 'text/html; charset=utf-8', body: pageHtml(config, mode === 'inline' ? sizes.get(key)!.replace(/</g, '\\u003c') : null) };
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (key, mode) => `${base}/?size=${key}&mode=${mode}`,
    bundleBytes: { js: assets.get('/floor.js')!.body.length, css: assets.get('/floor.css')!.body.length },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
