import type { Page } from '@playwright/test';
import { formatterFor, type TimeFormat } from '../core/format';
import { DEMO_TIME_ZONE } from '../core/demo/demo-company';
import { anyCard, openBoard, PLAN_DATE } from './board';
import { expect, test, type Host } from './fixtures';

/**
 * Issue #22 item 6: times read in the organization's clock. The demo company (Chicago, en-US) reads 12 h on
 * the board's axis, its cards and its route sheets; switching Settings → Clock to 24 h changes all of them.
 * Expected labels are computed from the workspace file's instants, not read from the page.
 */

/** The earliest job of the planning day and its own start/end, straight from the read tables. */
function firstJob(host: Host): { id: string; start: number; end: number } {
  const from = Date.parse(`${PLAN_DATE}T06:00:00Z`); // CST, UTC-6
  const row = host.query<{ id: string; start_ms: number; end_ms: number }>(
    `SELECT b.id, b.start_ms, b.end_ms FROM bookings b JOIN booking_assignees a ON a.booking_id = b.id
     WHERE b.status != 'cancelled' AND b.start_ms >= ? AND b.start_ms < ? ORDER BY b.start_ms, b.id LIMIT 1`,
    from,
    from + 86_400_000,
  )[0]!;
  return { id: row.id, start: row.start_ms, end: row.end_ms };
}

const label = (format: TimeFormat, job: { start: number; end: number }) =>
  formatterFor({ timeZone: DEMO_TIME_ZONE, timeFormat: format }).timeRange(job.start, job.end);

async function routeSheetStop(page: Page, host: Host, bookingId: string) {
  await page.goto(`${host.url}#/route-sheets?date=${PLAN_DATE}`);
  await expect(page.locator('[data-screen="route-sheets"]')).toHaveAttribute('data-state', 'ready');
  return page.locator(`[data-route-sheet] [data-booking-id="${bookingId}"] .rs-stop__time`).first();
}

test('the en-US demo organization reads 12 h on the board and route sheets; 24 h after Settings say so', async ({ page, host }) => {
  const job = firstJob(host);
  const twelve = label('12h', job);
  const twentyFour = label('24h', job);
  expect(twelve).toMatch(/^\d{1,2}:\d\d [AP]M–\d{1,2}:\d\d [AP]M$/);
  expect(twentyFour).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);

  await test.step('board: the time axis and the cards in 12 h', async () => {
    await openBoard(page, host, PLAN_DATE);
    await expect(anyCard(page, job.id).first()).toContainText(twelve);
    await expect(page.locator('.cl-timeline').getByText(/^9\s?AM$/i).first()).toBeVisible();
    await expect(page.locator('.cl-timeline').getByText('09:00', { exact: true })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/locale-board-12h.png' });
  });

  await test.step('route sheet: the stop in 12 h', async () => {
    await expect(await routeSheetStop(page, host, job.id)).toHaveText(new RegExp(`^${twelve.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  await test.step('Settings → Clock: 24-hour', async () => {
    await page.locator('[data-nav="settings"]').click();
    const clock = page.locator('select[name="timeFormat"]');
    await expect(clock).toHaveValue('12h');
    await expect(clock.locator('option:checked')).toHaveText('12-hour (1:30 PM)');
    await clock.selectOption('24h');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
  });

  await test.step('board and route sheet now in 24 h', async () => {
    await openBoard(page, host, PLAN_DATE);
    await expect(anyCard(page, job.id).first()).toContainText(twentyFour);
    await expect(anyCard(page, job.id).first()).not.toContainText(' AM');
    await expect(page.locator('.cl-timeline').getByText('09:00', { exact: true }).first()).toBeVisible();
    await expect(await routeSheetStop(page, host, job.id)).toHaveText(new RegExp(`^${twentyFour}`));
  });
});
