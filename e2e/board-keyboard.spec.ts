import { activeProviders, anyCard, lane } from './board';
import { expect, test } from './fixtures';

/**
 * Keyboard-first (issue #3, 7) on a board taller than the window: 200 technicians, so most rows are
 * below the fold and FullCalendar has not even mounted them. Ctrl+K must bring the chosen job on screen,
 * and the arrow keys must keep the selected card in view as they move through the rows.
 */
test.use({ seed: { providers: 200, bookings: 2_000, startDate: '2026-11-23', days: 7 } });

const JOB_DAY = '2026-11-26';

test('Ctrl+K jumps to a job on a row far below the fold: its day, its card on screen and selected, its panel', async ({ page, host }) => {
  const last = activeProviders(host).at(-1)!;
  const from = Date.parse(`${JOB_DAY}T06:00:00Z`);
  const job = host.query<{ id: string; title: string; customer: string }>(
    `SELECT b.id, b.title, c.name AS customer FROM bookings b
       JOIN booking_assignees a ON a.booking_id = b.id JOIN customers c ON c.id = b.customer_id
      WHERE a.provider_id = ? AND b.start_ms >= ? AND b.start_ms < ? ORDER BY b.start_ms LIMIT 1`,
    last.id,
    from,
    from + 86_400_000,
  )[0]!;
  expect(job, `a job for ${last.name} on ${JOB_DAY}`).toBeTruthy();

  await page.goto(`${host.url}&date=2026-11-24`);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
  await expect(lane(page, last.id), 'the last row is not mounted at first').toHaveCount(0);

  await page.keyboard.press('Control+k');
  const search = page.locator('[data-dialog="quick-search"]');
  // Typing right away lands in the search field (it used to land on the dialog's Close button).
  await expect(search.getByLabel('Quick search')).toBeFocused();
  await page.keyboard.type(job.customer);
  await expect(search.getByLabel('Quick search')).toHaveValue(job.customer);
  await search.locator(`[data-hit-kind="customer"]`).filter({ hasText: job.customer }).first().click();
  await search.locator(`[data-hit-id="${job.id}"]`).click();

  await expect(search).toHaveCount(0);
  await expect(page.locator('[data-panel="job"]')).toHaveAttribute('data-booking-id', job.id);
  const card = lane(page, last.id).locator(`[data-booking-id="${job.id}"]`);
  await expect(card).toBeInViewport();
  await expect(page.locator(`.cl-timeline .cl-card--selected [data-booking-id="${job.id}"]`)).toHaveCount(1);
  await expect(page.locator('[data-board-title]')).toContainText('26');
});

test('arrow keys move the selection down the rows and keep it on screen; Enter opens it', async ({ page, host }) => {
  await page.goto(`${host.url}&date=2026-11-24`);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();

  const selected = page.locator('.cl-timeline .cl-card--selected [data-booking-id]');
  const selectedId = async () => {
    await expect(selected.first()).toBeVisible();
    return (await selected.first().getAttribute('data-booking-id'))!;
  };
  await page.keyboard.press('ArrowDown'); // nothing selected yet: the first card of the first row
  const first = await selectedId();

  // Far enough down that the board must scroll: every step's card is on screen when it is selected.
  const seen = [first];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).not.toBe(seen.at(-1));
    const id = await selectedId();
    seen.push(id);
    await expect(anyCard(page, id).first(), `step ${i + 1}`).toBeInViewport();
  }
  expect(new Set(seen).size).toBe(seen.length);

  await page.keyboard.press('Enter');
  await expect(page.locator('[data-panel="job"]')).toHaveAttribute('data-booking-id', seen.at(-1)!);
});
