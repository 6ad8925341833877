import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { openWorkspace } from '../electron/backend/workspace';
import { anyCard, drafts, PLAN_DATE, stagedBadge } from './board';
import { DEMO_NOW } from './demo-clock';
import { DEMO_DATE, expect, test, type Host } from './fixtures';
import { spawnWebHost } from './web-host-process';

/**
 * Order a route (issue #19): the demo company plus one technician whose Wednesday zig-zags north of her
 * home base (stops 1, 4, 2, 5, 3 km out, one an hour from 08:00). The panel shows the distance before and
 * after; staging moves the cards in one step that Ctrl+Z takes back; the route sheets' button opens it too.
 */

/** `k` km north of the home base (0.009° of latitude is 1.0008 km). */
const north = (k: number) => ({ lat: 41.88 + 0.009 * k, lng: -87.63 });
const cst = (date: string, hour: number) => new Date(Date.parse(`${date}T06:00:00Z`) + hour * 3_600_000).toISOString();

interface ZigZag {
  host: Host;
  stop: () => Promise<void>;
  zoe: string;
  /** Job ids by km from home. */
  jobs: Record<number, string>;
}

async function zigZagHost(): Promise<ZigZag> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crewline-e2e-route-'));
  const { store } = openWorkspace({ dataDir, seedDemo: true, demoDate: DEMO_DATE });
  const must = <T>(r: { ok: boolean; value?: unknown; error?: { message: string } }) => {
    if (!r.ok) throw new Error(r.error!.message);
    return r.value as T;
  };
  // First row on the board, so her cards are in view without scrolling.
  const zoe = must<{ id: string }>(store.execute('createProvider', { name: 'Zoe Zigzag', coordinates: north(0), sortOrder: -1 })).id;
  const jobs: Record<number, string> = {};
  for (const [i, k] of [1, 4, 2, 5, 3].entries()) {
    const customer = must<{ id: string }>(store.execute('createCustomer', { name: `Route customer ${k}`, address: `${k} North Ave`, coordinates: north(k) })).id;
    jobs[k] = must<{ id: string }>(
      store.execute('createBooking', { title: `Stop ${k} km`, customerId: customer, slot: { start: cst(PLAN_DATE, 8 + i), end: cst(PLAN_DATE, 9 + i), assignees: [zoe] } }),
    ).id;
  }
  store.close();
  const web = await spawnWebHost({ args: ['--data-dir', dataDir], now: DEMO_NOW });
  const db = new Database(join(dataDir, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  const host = { url: web.url, dataDir, query: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[] } as Host;
  return {
    host,
    zoe,
    jobs,
    stop: async () => {
      db.close();
      await web.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A card's left edge; waits out a repaint in which the card is briefly not on the page. */
async function cardX(page: Page, id: string): Promise<number> {
  let box: { x: number } | null = null;
  await expect.poll(async () => (box = await anyCard(page, id).boundingBox()) !== null).toBe(true);
  return box!.x;
}

test.describe('order a route', () => {
  test('from the job panel: before/after distance, Stage moves the cards, Ctrl+Z undoes it in one step', async ({ page }) => {
    const { host, stop, zoe, jobs } = await zigZagHost();
    try {
      await page.goto(`${host.url}&date=${PLAN_DATE}`);
      await anyCard(page, jobs[4]!).click();
      const panel = page.locator(`[data-panel="job"][data-booking-id="${jobs[4]}"]`);
      await expect(panel).toBeVisible();
      // Measured with the panel open, as the board stays while the route is staged and undone.
      const before = await Promise.all([1, 2, 3, 4, 5].map((k) => cardX(page, jobs[k]!)));
      // Zig-zag: the 2 km stop is on the board after the 4 km one.
      expect(before[1]).toBeGreaterThan(before[3]!);
      await panel.locator(`[data-action="order-route"][data-provider-id="${zoe}"]`).click();

      const dialog = page.locator('[data-dialog="route-order"]');
      await expect(dialog).toContainText('Order Zoe Zigzag’s route');
      await expect(dialog.locator('[data-route-outcome="better"]')).toBeVisible();
      // 11 km of straight lines × 1.3 before (14.3 km); 5 × 1.3 after (6.5 km), at 30 km/h; the demo shows miles.
      await expect(dialog.locator('[data-route-total="before"]')).toContainText('8.9 mi · 29 min driving');
      await expect(dialog.locator('[data-route-total="after"]')).toContainText('4.0 mi · 13 min driving');
      await expect(dialog.locator('[data-route-headline]')).toContainText('4.8 mi shorter');
      await expect(dialog.locator('[data-route-stop]')).toHaveText([/Stop 1 km/, /Stop 2 km/, /Stop 3 km/, /Stop 4 km/, /Stop 5 km/]);
      // The first stop keeps its time; the rest follow with the drive between them.
      await expect(dialog.locator(`[data-route-stop="${jobs[1]}"]`)).toHaveAttribute('data-moved', 'false');
      await expect(dialog.locator(`[data-route-stop="${jobs[2]}"]`)).toContainText('9:05 AM–10:05 AM');
      await page.screenshot({ path: 'test-results/screenshots/assistant-route-panel.png' });
      // Keys in the panel stay in it: the board's "unassign the selected job" (u) does not reach the board behind.
      await dialog.locator('[data-action="stage-route"]').focus();
      await page.keyboard.press('u');
      await expect(dialog).toBeVisible();
      expect(drafts(host)).toEqual([]);

      await dialog.locator('[data-action="stage-route"]').click();
      await expect(dialog).toBeHidden();
      await expect(stagedBadge(page)).toContainText('4');
      expect(drafts(host).map((d) => d.id).sort()).toEqual([jobs[2], jobs[3], jobs[4], jobs[5]].sort());
      // The cards now run 1, 2, 3, 4, 5 km from left to right.
      await expect.poll(async () => (await cardX(page, jobs[2]!)) < (await cardX(page, jobs[4]!))).toBe(true);
      const after = await Promise.all([1, 2, 3, 4, 5].map((k) => cardX(page, jobs[k]!)));
      expect([...after].sort((a, b) => a - b)).toEqual(after);
      expect(after[0]).toBeCloseTo(before[0]!, 0);

      await page.keyboard.press('Control+z');
      await expect.poll(() => drafts(host).length).toBe(0);
      await expect.poll(async () => (await cardX(page, jobs[2]!)) > (await cardX(page, jobs[4]!))).toBe(true);
      const undone = await Promise.all([1, 2, 3, 4, 5].map((k) => cardX(page, jobs[k]!)));
      undone.forEach((x, i) => expect(x).toBeCloseTo(before[i]!, 0));
    } finally {
      await stop();
    }
  });

  test('from the route sheets: “Order route” opens the board on that day with the panel; a short day has nothing to gain', async ({ page }) => {
    const { host, stop, zoe } = await zigZagHost();
    try {
      await page.goto(`${host.url}#/route-sheets?date=${PLAN_DATE}&providers=${zoe}`);
      await expect(page.locator('[data-screen="route-sheets"]')).toHaveAttribute('data-state', 'ready');
      await page.screenshot({ path: 'test-results/screenshots/assistant-route-sheets.png' });
      // The sheet's travel estimate is the panel's "before".
      await expect(page.locator(`[data-route-sheet="${zoe}"]`)).toContainText('8.9 mi, 29 min');
      await page.locator(`[data-notice="order-route"] [data-action="order-route"][data-provider-id="${zoe}"]`).click();

      await expect(page.locator('[data-screen="board"]')).toHaveAttribute('data-first-day', PLAN_DATE);
      const dialog = page.locator('[data-dialog="route-order"]');
      await expect(dialog.locator('[data-route-outcome="better"]')).toBeVisible();
      await expect(dialog.locator('[data-route-total="before"]')).toContainText('8.9 mi · 29 min');
      await expect(dialog.locator('[data-route-total="after"]')).toContainText('4.0 mi');
      // The link is followed once: the address is the board's again.
      await expect(page).toHaveURL(/#\/board$/);
      await dialog.locator('[data-action="stage-route"]').click();
      await expect(stagedBadge(page)).toContainText('4');

      // Judged as the board shows it: with the new order staged there is nothing left to gain.
      await page.locator('[data-action="route-sheets"]').click();
      await page.locator(`[data-notice="order-route"] [data-action="order-route"][data-provider-id="${zoe}"]`).click();
      await expect(dialog.locator('[data-route-outcome="nothing_to_gain"]')).toContainText('Nothing to gain');
      await expect(dialog.locator('[data-action="stage-route"]')).toBeDisabled();
    } finally {
      await stop();
    }
  });
});
