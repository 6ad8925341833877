import type { Page } from '@playwright/test';
import { formatterFor, type TimeFormat } from '../core/format';
import { DEMO_TIME_ZONE } from '../core/demo/demo-company';
import { historySummaryText } from '../core/history-text';
import type { HistoryEntry } from '../core/model';
import { anyCard, openBoard, PLAN_DATE } from './board';
import { expect, test, type Host } from './fixtures';

/**
 * Issue #22 (a): history keeps a slot's times as facts and the job panel writes them in the organization's
 * clock. The expected lines are computed from the workspace file's entries, not read from the page.
 */

/** A job of the planning day whose history has an entry with times. */
function jobWithTimes(host: Host): { id: string; entry: HistoryEntry } {
  const from = Date.parse(`${PLAN_DATE}T06:00:00Z`); // CST, UTC-6
  const rows = host.query<{ id: string; history: string }>(
    `SELECT id, history FROM bookings WHERE status != 'cancelled' AND start_ms >= ? AND start_ms < ? ORDER BY start_ms, id`,
    from,
    from + 86_400_000,
  );
  for (const row of rows) {
    const entry = (JSON.parse(row.history) as HistoryEntry[]).findLast((e) => e.times);
    if (entry) return { id: row.id, entry };
  }
  throw new Error('no job of the planning day has a history entry with times');
}

const line = (entry: HistoryEntry, format: TimeFormat) => historySummaryText(entry, formatterFor({ timeZone: DEMO_TIME_ZONE, timeFormat: format }));

async function historyLine(page: Page, host: Host, job: { id: string; entry: HistoryEntry }) {
  await openBoard(page, host, PLAN_DATE);
  await anyCard(page, job.id).first().click();
  const panel = page.locator(`[data-panel="job"][data-booking-id="${job.id}"]`);
  return panel.locator('.cl-history li').filter({ hasText: job.entry.by.name }).locator('.cl-history__what');
}

test('a history line names its slot in 12 h, and in 24 h after Settings say so', async ({ page, host }) => {
  const job = jobWithTimes(host);
  const twelve = line(job.entry, '12h');
  const twentyFour = line(job.entry, '24h');
  expect(twelve).toMatch(/\d:\d\d [AP]M–\d{1,2}:\d\d [AP]M/);
  expect(twentyFour).not.toMatch(/[AP]M/);
  expect(twelve).not.toBe(job.entry.summary);

  await expect(await historyLine(page, host, job)).toContainText([twelve]);

  await page.locator('[data-nav="settings"]').click();
  await page.locator('select[name="timeFormat"]').selectOption('24h');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();

  const after = await historyLine(page, host, job);
  await expect(after).toContainText([twentyFour]);
  await expect(after.filter({ hasText: ' AM' })).toHaveCount(0);
});
