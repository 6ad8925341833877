/**
 * The page's memory with the board kept mounted behind another screen (issue 21, branch keep), against a
 * checkout that unmounts it: `npx tsx bench/board-keep-memory.ts --baseline DIR [--providers 200]
 * [--bookings 10000] [--rounds 2]`. One store, copied for each checkout; each opens the board on the
 * bench's week, then goes to Customers and back `--rounds` times. After each step: a full garbage
 * collection (CDP `HeapProfiler.collectGarbage`), then the JS heap in use (`Runtime.getHeapUsage`) and
 * the renderer's DOM nodes (`Memory.getDOMCounters`, detached ones not yet collected included) and the
 * elements in the document.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openBoard, settledCards, sleep, START, startHost, type Host, type Variant } from './board-page';
import { buildStore } from './fixtures';
import { table } from './stats';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    providers: { type: 'string', default: '200' },
    bookings: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '2' },
  },
});
if (!args.baseline) throw new Error('--baseline DIR: the checkout to compare with');
const variants: Variant[] = [
  { name: 'before', root: resolve(args.baseline) },
  { name: 'after', root: resolve(import.meta.dirname, '..') },
];
const ROUNDS = Number(args.rounds);

async function measure(page: Page): Promise<{ heapMb: string; nodes: number; inDocument: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  await cdp.detach();
  const inDocument = await page.evaluate(() => document.getElementsByTagName('*').length);
  return { heapMb: (heap.usedSize / 1_048_576).toFixed(1), nodes: dom.nodes, inDocument };
}

async function show(page: Page, screen: 'board' | 'customers'): Promise<void> {
  const t0 = await page.evaluate((s) => {
    const t = performance.now();
    window.location.hash = `#/${s}`;
    return t;
  }, screen);
  if (screen === 'board') await settledCards(page, t0, 'board shown');
  else {
    await page.waitForSelector('.cl-timeline', { state: 'hidden' });
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await sleep(1500);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'crewline-keep-memory-'));
const rows: Array<Record<string, string | number>> = [];
const hosts: Host[] = [];
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const src = join(dir, 'src');
  mkdirSync(src);
  const providers = Number(args.providers);
  const bookings = Number(args.bookings);
  buildStore(join(src, 'workspace.sqlite'), { providers, bookings, startDate: START, days: 14 }).store.close();
  for (const variant of variants) {
    const dataDir = join(dir, variant.name);
    mkdirSync(dataDir);
    for (const f of ['workspace.sqlite', 'workspace.sqlite-wal']) if (existsSync(join(src, f))) copyFileSync(join(src, f), join(dataDir, f));
    const host = await startHost(variant, dataDir);
    hosts.push(host);
    const { context, page } = await openBoard(browser, host);
    await settledCards(page, 0, `${variant.name} first paint`);
    rows.push({ variant: variant.name, step: 'board, first paint', ...(await measure(page)) });
    for (let i = 1; i <= ROUNDS; i++) {
      await show(page, 'customers');
      rows.push({ variant: variant.name, step: `customers ${i}`, ...(await measure(page)) });
      await show(page, 'board');
      rows.push({ variant: variant.name, step: `board again ${i}`, ...(await measure(page)) });
    }
    await context.close();
  }
  console.log(`${providers} providers × ${bookings} bookings, week view; JS heap after a full GC (MB), DOM nodes (renderer) and elements in the document`);
  console.log(table(rows));
} finally {
  await browser.close();
  for (const h of hosts) await h.stop();
  rmSync(dir, { recursive: true, force: true });
}
