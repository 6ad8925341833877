/**
 * The board benchmark's page side (bench/board-bench.ts): the web host in a child process, the probes
 * installed in the page before any of its scripts, and one measured page load.
 */
import { spawnWebHost } from '../e2e/web-host-process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWebSocketClient, type SocketConstructor } from '../renderer/src/api/ws-client';
import type { ConsoleClient } from '../renderer/src/api/types';

export interface Variant {
  name: string;
  root: string;
}

export const ZONE = 'America/Chicago';
/** A Monday: the week view (Monday first) shows the first of the fixture's two weeks. */
export const START = '2026-11-23';
export const NOW = '2026-11-23T12:00:00Z'; // 06:00 in Chicago: nothing is running late yet
export const VIEWPORT = { width: 1600, height: 1000 };
export { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';

// ---------------------------------------------------------------------------------------------------
// The web host, as `npm run web` runs it, in a child process per variant.

export interface Host {
  variant: Variant;
  url: string;
  port: number;
  token: string;
  dataDir: string;
  client: ConsoleClient;
  db: Database.Database;
  stop(): Promise<void>;
}

/**
 * The board's "now" is the web host's clock (`--now`); a baseline checkout older than that flag read it
 * from the page's `?now=` instead, so both are given as each side understands.
 */
const clockedByFlag = (root: string) => readFileSync(join(root, 'electron/backend/web-host.ts'), 'utf8').includes("now: { type: 'string' }");

export async function startHost(variant: Variant, dataDir: string): Promise<Host> {
  const byFlag = clockedByFlag(variant.root);
  const { url: started, stop: stopHost } = await spawnWebHost({
    root: variant.root,
    args: ['--data-dir', dataDir],
    ...(byFlag ? { now: NOW } : {}),
    timeoutMs: 180_000,
  });
  const url = byFlag ? started : `${started}&now=${encodeURIComponent(NOW)}`;
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token')!;
  const port = Number(parsed.port);
  const client = createWebSocketClient({
    url: `ws://127.0.0.1:${port}/api?token=${token}`,
    WebSocket: globalThis.WebSocket as unknown as SocketConstructor,
  });
  // The host decodes the schedule document right after it starts listening; once this answers, that is done.
  const info = await client.request('app:getInfo', {});
  if (!info.ok) throw new Error(info.error.message);
  const db = new Database(join(dataDir, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  return {
    variant,
    url,
    port,
    token,
    dataDir,
    client,
    db,
    stop: async () => {
      client.close();
      db.close();
      await stopHost();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// In-page probes (installed before any page script runs).

type Rect = { left: number; top: number; right: number; bottom: number };
type Armed = {
  kind: 'drop' | 'save';
  /** `performance.now()` of the gesture: the drop's pointerup, the Save confirm's click. */
  t0: number | null;
  /** Painted state changes per card in view after t0 (sampled once per animation frame). */
  log: Array<{ t: number; id: string; state: string }>;
  /** The last frame after t0 in which any mounted card changed, in view or not (null: none). */
  lastMounted: number | null;
  /** Save: the first frame from which on the staged badge reads 0 and no staged card is left. */
  doneAt: number | null;
  /** The last frame in which anything under the observed tree changed. */
  last: number;
};

declare global {
  interface Window {
    __cl: {
      /** (a) One entry per animation frame in which the visible cards (id, conflict, staged) changed. */
      frames: Array<{ t: number; sig: string; n: number }>;
      lastChange: number;
      stateOf(id: string): string;
      snapshot(): Record<string, string>;
      visible(): Array<{ id: string; lane: string; status: string; x: number; y: number; w: number; h: number }>;
      lanes(): Array<{ id: string; y: number; h: number; x: number; w: number }>;
      clip(): Rect | null;
      /** The lanes' horizontal scroller: its content width and scroll offset. */
      scroller(): { scrollWidth: number; scrollLeft: number; scrollTop: number } | null;
      arm(kind: 'drop' | 'save'): void;
      armed: Armed;
    };
  }
}

/**
 * Runs in the page. Everything is sampled in `requestAnimationFrame`, i.e. what the next frame paints
 * (DOM states that come and go inside one task are never painted and never counted); a MutationObserver
 * only marks what needs looking at, so an idle page costs the probe nothing.
 */
export function probe() {
  const timeline = () => document.querySelector<HTMLElement>('.cl-timeline');
  /** Cards as a person sees them: not FullCalendar's hidden measuring copies, not the drag mirror. */
  const shown = (el: HTMLElement) => !el.closest('.cl-card--mirror') && el.checkVisibility({ visibilityProperty: true });
  const cards = () => [...(timeline()?.querySelectorAll<HTMLElement>('[data-booking-id]') ?? [])].filter(shown);
  /** The visible part of the lanes: intersection of the clipping ancestors above the lanes. */
  let clipChain: HTMLElement[] | null = null;
  const clip = (): Rect | null => {
    const tl = timeline();
    const lane = tl?.querySelector<HTMLElement>('[data-lane-provider-id]');
    if (!tl || !lane) return null;
    if (!clipChain || !clipChain[0]?.isConnected || !clipChain[0].contains(lane)) {
      clipChain = [];
      for (let el = lane.parentElement; el && el !== document.body; el = el.parentElement) {
        const st = getComputedStyle(el);
        if (st.overflowX !== 'visible' || st.overflowY !== 'visible') clipChain.push(el);
      }
    }
    const r = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    for (const el of clipChain) {
      const b = el.getBoundingClientRect();
      r.left = Math.max(r.left, b.left);
      r.top = Math.max(r.top, b.top);
      r.right = Math.min(r.right, b.right);
      r.bottom = Math.min(r.bottom, b.bottom);
    }
    return r;
  };
  const inView = (b: DOMRect, r: Rect) => b.width > 0 && b.height > 0 && b.right > r.left && b.left < r.right && b.bottom > r.top && b.top < r.bottom;
  const laneOf = (el: HTMLElement) => el.closest<HTMLElement>('[data-lane-provider-id]')?.dataset.laneProviderId ?? '?';
  const elState = (el: HTMLElement) =>
    `${laneOf(el)}|${el.dataset.staged ?? ''}|${el.dataset.conflict ?? ''}|${el.querySelector('.cl-card__time')?.textContent ?? ''}`;
  /**
   * States of the given ids (all ids when null) in one pass over the cards. `inView`: only cards that
   * intersect the lanes' viewport, i.e. what is painted (FullCalendar keeps some cards mounted off screen
   * and unmounts them when it re-renders: that is no change a person sees).
   */
  const statesOf = (ids: Set<string> | null, onlyInView = false): Map<string, string> => {
    const parts = new Map<string, string[]>();
    const r = onlyInView ? clip() : null;
    for (const el of timeline()?.querySelectorAll<HTMLElement>('[data-booking-id]') ?? []) {
      const id = el.dataset.bookingId!;
      if (ids && !ids.has(id)) continue;
      if (!shown(el)) continue;
      if (r && !inView(el.getBoundingClientRect(), r)) continue;
      const list = parts.get(id);
      if (list) list.push(elState(el));
      else parts.set(id, [elState(el)]);
    }
    const out = new Map<string, string>();
    for (const id of ids ?? parts.keys()) out.set(id, (parts.get(id) ?? []).sort().join(';'));
    return out;
  };

  const known = new Map<string, string>();
  let mounted = new Map<string, string>();
  const state: Window['__cl'] = {
    frames: [],
    lastChange: 0,
    stateOf: (id) => statesOf(new Set([id])).get(id) ?? '',
    snapshot: () => Object.fromEntries(statesOf(null)),
    visible: () => {
      const r = clip();
      if (!r) return [];
      return cards()
        .map((el) => ({ el, b: el.getBoundingClientRect() }))
        .filter(({ b }) => inView(b, r))
        .map(({ el, b }) => ({ id: el.dataset.bookingId!, lane: laneOf(el), status: el.dataset.status ?? '', x: b.x, y: b.y, w: b.width, h: b.height }));
    },
    lanes: () =>
      [...(timeline()?.querySelectorAll<HTMLElement>('[data-lane-provider-id]') ?? [])].map((el) => {
        const b = el.getBoundingClientRect();
        return { id: el.dataset.laneProviderId!, y: b.y, h: b.height, x: b.x, w: b.width };
      }),
    clip,
    scroller: () => {
      clip();
      const el = clipChain?.find((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
      return el ? { scrollWidth: el.scrollWidth, scrollLeft: el.scrollLeft, scrollTop: el.scrollTop } : null;
    },
    armed: { kind: 'drop', t0: null, log: [], lastMounted: null, doneAt: null, last: 0 },
    arm: (kind) => {
      known.clear();
      for (const [id, st] of statesOf(null, true)) known.set(id, st);
      mounted = statesOf(null);
      state.armed = { kind, t0: null, log: [], lastMounted: null, doneAt: null, last: performance.now() };
    },
  };
  window.__cl = state;

  // Anything changed since the last frame? (Sampling only then keeps an idle page free of probe work.)
  let dirty = true;
  const observer = new MutationObserver(() => {
    dirty = true;
  });
  const start = () => observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  start();
  addEventListener('scroll', () => (dirty = true), true);
  addEventListener('resize', () => (dirty = true));

  let lastSig = '';
  const saveDone = () =>
    document.querySelector('[data-staged-count="0"]') !== null && timeline()?.querySelector('[data-booking-id][data-staged="true"]') === null;
  const frame = () => {
    requestAnimationFrame(frame);
    if (!dirty) return;
    dirty = false;
    const t = performance.now();
    // (a) the visible cards with their conflict/staged attributes
    const r = clip();
    let sig = '';
    let n = 0;
    if (r) {
      const list: string[] = [];
      for (const el of cards()) if (inView(el.getBoundingClientRect(), r)) list.push(`${el.dataset.bookingId}:${el.dataset.conflict ?? ''}:${el.dataset.staged ?? ''}`);
      list.sort();
      n = list.length;
      sig = list.join(',');
    }
    if (sig !== lastSig) {
      lastSig = sig;
      state.frames.push({ t, sig, n });
      state.lastChange = t;
    }
    // (b), (c) after the gesture
    const a = state.armed;
    if (a.t0 === null) return;
    a.last = t;
    if (a.kind === 'save') {
      const done = saveDone();
      if (done && a.doneAt === null) a.doneAt = t;
      if (!done) a.doneAt = null;
      return;
    }
    const all = statesOf(null);
    if (all.size !== mounted.size || [...all].some(([id, st]) => mounted.get(id) !== st)) a.lastMounted = t;
    mounted = all;
    const states = statesOf(null, true);
    for (const id of known.keys()) if (!states.has(id)) states.set(id, '');
    for (const [id, st] of states) {
      if (known.get(id) === st || (!known.has(id) && st === '')) continue;
      known.set(id, st);
      a.log.push({ t, id, state: st });
    }
  };
  requestAnimationFrame(frame);

  // The moments of the gestures.
  addEventListener('pointerup', () => {
    if (state.armed.kind === 'drop' && state.armed.t0 === null) state.armed.t0 = performance.now();
  }, true);
  addEventListener('click', (e) => {
    const target = e.target as HTMLElement | null;
    if (state.armed.kind === 'save' && state.armed.t0 === null && target?.closest('[data-action="confirm-save"]')) state.armed.t0 = performance.now();
  }, true);
}

export const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/**
 * A fresh browser context on `url` with the probe installed before any page script (and `before`, ahead of
 * it, for a page's own diagnostics); throws if the page reported an error while loading.
 */
export async function openProbed(browser: Browser, url: string, before?: () => void): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  // tsx keeps function names with an `__name` helper that the page does not have.
  await context.addInitScript({ content: `var __name = (f) => f; ${before ? `(${before.toString()})();` : ''} (${probe.toString()})();` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  if (errors.length) throw new Error(errors.join('\n'));
  return { context, page };
}

/** `BENCH_VIEW=day` measures the day view of the same Monday instead of the week (issue 19's before/after). */
export const BENCH_VIEW = process.env.BENCH_VIEW === 'day' ? 'day' : 'week';

export const openBoard = (browser: Browser, host: Host) =>
  openProbed(browser, `${host.url}&date=${START}&view=${BENCH_VIEW}`);

/**
 * Waits until the visible cards have not changed for 1.5 s after `since` (page time) and returns the frame
 * that reached that set: its time and how many cards it shows (never none).
 */
export async function settledCards(page: Page, since: number, what: string): Promise<{ t: number; n: number }> {
  for (const started = Date.now(); ; ) {
    await sleep(250);
    const { lastChange, frames, now } = await page.evaluate(() => ({ lastChange: window.__cl.lastChange, frames: window.__cl.frames.length, now: performance.now() }));
    if (frames > 0 && lastChange > since && now - lastChange > 1500) break;
    if (Date.now() - started > 60_000) throw new Error(`${what}: the board never settled`);
  }
  const final = (await page.evaluate(() => window.__cl.frames)).at(-1)!;
  if (final.n === 0) throw new Error(`${what}: no card visible`);
  return final;
}

/** (a) One fresh page load: navigation start → the visible cards the page settles on are all painted. */
export async function firstPaint(browser: Browser, host: Host, keep = false): Promise<{ ms: number; cards: number; page?: Page; context?: BrowserContext }> {
  const { context, page } = await openBoard(browser, host);
  const final = await settledCards(page, 0, host.variant.name);
  if (!keep) await context.close();
  return { ms: final.t, cards: final.n, ...(keep ? { page, context } : {}) };
}

/**
 * (a') The board opened again inside the running console, as a dispatcher does from the navigation: from
 * another screen (the board unmounted) to the board, timed from the hash change to the first frame whose
 * visible cards equal the set the page settles on. The bundle is loaded and its code warm; the roster, the
 * week and the calendar are read and built again.
 */
export async function reopenPaint(page: Page): Promise<{ ms: number; cards: number }> {
  await page.evaluate(() => {
    window.location.hash = '#/customers';
  });
  await page.waitForSelector('.cl-timeline', { state: 'hidden' }); // unmounted, or kept mounted and hidden
  await sleep(500);
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    window.location.hash = '#/board';
    return t;
  });
  const final = await settledCards(page, t0, 'reopening the board');
  return { ms: final.t - t0, cards: final.n };
}

// ---------------------------------------------------------------------------------------------------
// Drops, shared by the board bench and the FullCalendar floor (fc-floor.ts): the same cards chosen the same
// way, the same gesture, the same settling.

/** The fixture's organization shows 06:00–20:00: the week view's scroll width spans 7 × 14 hours. */
export const HOURS_IN_WEEK = 7 * 14;

export interface DropPlan {
  id: string;
  toLane: string;
  shiftHours: number;
}

type VisibleCard = ReturnType<Window['__cl']['visible']>[number];

/** A random card in view (`eligible`, not yet moved) to another row in view, 1–3 h later or earlier, still in view. */
export async function planDrop(page: Page, rand: () => number, used: Set<string>, eligible: (card: VisibleCard) => boolean = () => true): Promise<DropPlan | null> {
  const { cards, lanes, clip, scroller } = await page.evaluate(() => ({ cards: window.__cl.visible(), lanes: window.__cl.lanes(), clip: window.__cl.clip(), scroller: window.__cl.scroller() }));
  if (!clip || !scroller) return null;
  const pxPerHour = scroller.scrollWidth / HOURS_IN_WEEK;
  const inside = (x: number, y: number) => x > clip.left + 4 && x < clip.right - 4 && y > clip.top + 4 && y < clip.bottom - 4;
  const visibleLanes = lanes.filter((l) => inside(clip.left + 10, l.y + l.h / 2));
  const candidates = cards.filter((c) => eligible(c) && !used.has(c.id) && c.w >= 24 && inside(c.x + 8, c.y + c.h / 2));
  for (let tries = 0; tries < 50 && candidates.length; tries++) {
    const card = candidates[Math.floor(rand() * candidates.length)]!;
    const lane = visibleLanes[Math.floor(rand() * visibleLanes.length)];
    if (!lane || lane.id === card.lane) continue;
    const shiftHours = [1, 2, 3, -1, -2, -3][Math.floor(rand() * 6)]!;
    if (!inside(card.x + 8 + shiftHours * pxPerHour, lane.y + lane.h / 2)) continue;
    used.add(card.id);
    return { id: card.id, toLane: lane.id, shiftHours };
  }
  return null;
}

/**
 * Drags the planned card with the real mouse (the probe armed, so `pointerup` is its t0) and waits until
 * `settleMs` after the release with 500 ms and no change. False if the card or row is no longer in view.
 */
export async function dragPlanned(page: Page, plan: DropPlan, settleMs: number): Promise<boolean> {
  const { cards, lanes, scroller } = await page.evaluate(() => ({ cards: window.__cl.visible(), lanes: window.__cl.lanes(), scroller: window.__cl.scroller() }));
  const card = cards.find((c) => c.id === plan.id);
  const lane = lanes.find((l) => l.id === plan.toLane);
  if (!card || !lane || !scroller) return false;
  const pxPerHour = scroller.scrollWidth / HOURS_IN_WEEK;
  const x0 = card.x + 8;
  const y0 = card.y + card.h / 2;
  const x1 = x0 + plan.shiftHours * pxPerHour;
  const y1 = lane.y + lane.h / 2;
  await page.evaluate(() => window.__cl.arm('drop'));
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x0 + 6, y0 + 2, { steps: 2 });
  await page.mouse.move(x1, y1, { steps: 10 });
  await page.mouse.move(x1, y1);
  await page.mouse.up();
  for (const started = Date.now(); ; ) {
    await sleep(200);
    const { t0, last, now } = await page.evaluate(() => ({ t0: window.__cl.armed.t0, last: window.__cl.armed.last, now: performance.now() }));
    if (t0 !== null && now - t0 > settleMs && now - last > 500) break;
    if (Date.now() - started > 30_000) break;
  }
  return true;
}
