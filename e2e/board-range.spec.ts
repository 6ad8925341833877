import type { Page } from '@playwright/test';
import { activeProviders, anyCard, lane } from './board';
import { expect, test, type Host } from './fixtures';

/**
 * The board's date-range picker (issue #3, 3) hangs under its title, so that the toolbar keeps to one row
 * on a 1280 px laptop screen. Picking two days must show exactly those days' jobs, read from the backend.
 */
test.use({ seed: { providers: 40, bookings: 800, startDate: '2026-11-23', days: 7 }, viewport: { width: 1280, height: 800 } });

/** The first row's jobs of a local day (Chicago, UTC−6 in November). */
const firstRowJobsOn = (host: Host, providerId: string, date: string) => {
  const from = Date.parse(`${date}T06:00:00Z`);
  return host
    .query<{ id: string }>(
      `SELECT b.id FROM bookings b JOIN booking_assignees a ON a.booking_id = b.id
        WHERE a.provider_id = ? AND b.start_ms >= ? AND b.start_ms < ? AND b.status != 'cancelled'`,
      providerId,
      from,
      from + 86_400_000,
    )
    .map((r) => r.id);
};

async function openOnTuesday(page: Page, host: Host) {
  await page.goto(`${host.url}&date=2026-11-24`);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
}

test('the toolbar keeps to one row at 1280 px, in the day and the week view', async ({ page, host }) => {
  await openOnTuesday(page, host);
  for (const view of ['day-view', 'week-view']) {
    await page.locator(`[data-action="${view}"]`).click();
    await expect(page.locator(`[data-action="${view}"]`)).toHaveAttribute('aria-pressed', 'true');
    const first = (await page.locator('[data-action="today"]').boundingBox())!;
    const last = (await page.locator('[data-action="discard"]').boundingBox())!;
    expect(Math.abs(last.y - first.y), `${view}: Today and Discard on the same row`).toBeLessThan(4);
    expect(last.x + last.width).toBeLessThanOrEqual(1280);
  }
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 23\s*–\s*29, 2026/);
  await page.screenshot({ path: test.info().outputPath('toolbar-1280-week.png') });
});

test('picking two days from the title shows those days, whichever way round they were typed', async ({ page, host }) => {
  const [top] = activeProviders(host);
  const [before, shown1, shown2, after] = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'].map((d) =>
    firstRowJobsOn(host, top!.id, d),
  );
  for (const jobs of [before, shown1, shown2, after]) expect(jobs!.length, 'the first row has jobs every weekday').toBeGreaterThan(0);

  await openOnTuesday(page, host);
  await expect(lane(page, top!.id).locator(`[data-booking-id="${before![0]}"]`)).toHaveCount(1);

  await page.locator('[data-action="pick-range"]').click();
  const picker = page.locator('[data-range-picker]');
  await expect(picker).toBeVisible();
  const from = picker.locator('[name="rangeFrom"]');
  await expect(from, 'opens on the dates shown, ready to type').toBeFocused();
  await expect(from).toHaveValue('2026-11-24');
  await from.fill('2026-11-26');
  await picker.locator('[name="rangeTo"]').fill('2026-11-25');
  await picker.locator('[data-action="apply-range"]').click();

  await expect(picker).toBeHidden();
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 25\s*–\s*26, 2026/);
  const row = lane(page, top!.id);
  for (const id of [...shown1!, ...shown2!]) await expect(row.locator(`[data-booking-id="${id}"]`), `job ${id} shown`).toHaveCount(1);
  for (const id of [...before!, ...after!]) await expect(anyCard(page, id), `job ${id} outside the range`).toHaveCount(0);

  // The next opening starts from what is shown now.
  await page.locator('[data-action="pick-range"]').click();
  await expect(from).toHaveValue('2026-11-25');
  await expect(picker.locator('[name="rangeTo"]')).toHaveValue('2026-11-26');
});

test('a date typed straight after the title is clicked is kept when the picker has opened', async ({ page, host }) => {
  await openOnTuesday(page, host);
  // Click and type in one task, as a fast typist can: before the popover's `toggle` event, a task later.
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('[data-action="pick-range"]')!.click();
    const input = document.querySelector<HTMLInputElement>('[data-range-picker] [name="rangeFrom"]')!;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, '2026-11-25');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Let the queued `toggle` task run.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  const picker = page.locator('[data-range-picker]');
  await expect(picker).toBeVisible();
  await expect(picker.locator('[name="rangeFrom"]')).toHaveValue('2026-11-25');
  await picker.locator('[name="rangeTo"]').fill('2026-11-26');
  await picker.locator('[data-action="apply-range"]').click();
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 25\s*–\s*26, 2026/);
});

test('an empty date is refused on its field, and Escape leaves the board as it was', async ({ page, host }) => {
  await openOnTuesday(page, host);
  const title = await page.locator('[data-board-title]').textContent();

  await page.locator('[data-action="pick-range"]').click();
  const picker = page.locator('[data-range-picker]');
  const to = picker.locator('[name="rangeTo"]');
  await to.fill('');
  await picker.locator('[data-action="apply-range"]').click();
  await expect(picker.locator('[data-error-for="rangeTo"]')).toHaveText('Pick the last day');
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(picker.locator('[data-error-for="rangeFrom"]')).toHaveCount(0);
  await expect(picker, 'stays open to be corrected').toBeVisible();

  await to.fill('2026-11-27');
  await expect(picker.locator('[data-error-for="rangeTo"]'), 'cleared by the edit').toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(page.locator('[data-board-title]')).toHaveText(title!);
  await expect(page.locator('[data-action="day-view"]')).toHaveAttribute('aria-pressed', 'true');
});

test('a range longer than 62 days is cut to 62, with a message', async ({ page, host }) => {
  await openOnTuesday(page, host);
  await page.locator('[data-action="pick-range"]').click();
  const picker = page.locator('[data-range-picker]');
  await picker.locator('[name="rangeFrom"]').fill('2026-11-23');
  await picker.locator('[name="rangeTo"]').fill('2027-03-31');
  await picker.locator('[data-action="apply-range"]').click();
  await expect(page.locator('[data-toast="info"]')).toContainText('Showing 62 days at most');
  // 62 days from November 23 end on January 23.
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 23, 2026\s*–\s*Jan 23, 2027/);
  await page.locator('[data-action="pick-range"]').click();
  await expect(picker.locator('[name="rangeTo"]')).toHaveValue('2027-01-23');
});

test('the board keeps its week, day or range across a visit to another screen', async ({ page, host }) => {
  await openOnTuesday(page, host);
  const board = page.locator('[data-screen="board"]');
  const visitProviders = async () => {
    await page.locator('[data-nav="providers"]').click();
    await expect(board).toBeHidden();
    await page.locator('[data-nav="board"]').click();
    // The seeded week has jobs; the weeks around it may not: wait for the calendar, not a card.
    await expect(page.locator('.cl-timeline')).toBeVisible();
  };

  // The week after next, in the week view.
  await page.locator('[data-action="week-view"]').click();
  await page.locator('[data-action="next"]').click();
  await expect(board).toHaveAttribute('data-first-day', '2026-11-30');
  await visitProviders();
  await expect(board).toHaveAttribute('data-view-kind', 'week');
  await expect(board).toHaveAttribute('data-first-day', '2026-11-30');

  // A day two days on, in the day view.
  await page.locator('[data-action="day-view"]').click();
  await page.locator('[data-action="next"]').click();
  await page.locator('[data-action="next"]').click();
  const day = await board.getAttribute('data-first-day');
  await visitProviders();
  await expect(board).toHaveAttribute('data-view-kind', 'day');
  await expect(board).toHaveAttribute('data-first-day', day!);

  // A range from the title's picker.
  await page.locator('[data-action="pick-range"]').click();
  const picker = page.locator('[data-range-picker]');
  await picker.locator('[name="rangeFrom"]').fill('2026-11-24');
  await picker.locator('[name="rangeTo"]').fill('2026-11-26');
  await picker.locator('[data-action="apply-range"]').click();
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 24\s*–\s*26, 2026/);
  await visitProviders();
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 24\s*–\s*26, 2026/);
  await expect(board).toHaveAttribute('data-view-kind', 'range');
});
