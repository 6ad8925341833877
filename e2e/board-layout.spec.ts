import { anyCard, bookingsOn, hourLabel, openBoard } from './board';
import { DEMO_DATE, expect, test } from './fixtures';

/**
 * A 1280 × 800 laptop: with the navigation and the queue folded away the day view shows a working day
 * (07:00 to 18:00) without scrolling sideways, and the job panel lies over the timeline instead of
 * squeezing it. The folds are kept across a reload.
 */
test.use({ viewport: { width: 1280, height: 800 } });

test('nav and queue fold away, the panel overlays, and a working day fits at 1280 × 800', async ({ page, host }) => {
  await openBoard(page, host, DEMO_DATE);
  const timeline = page.locator('.cl-board__timeline');
  /** Whether the hour's header label is inside the timeline's box (FullCalendar leaves far-off hours out). */
  const visible = async (hhmm: string) => {
    const found = hourLabel(page, Number(hhmm.slice(0, 2)));
    if ((await found.count()) === 0) return false;
    const label = await found.first().boundingBox();
    const box = (await timeline.boundingBox())!;
    if (!label) return false;
    return label.x >= box.x && label.x + label.width <= box.x + box.width;
  };
  expect(await visible('18:00'), 'before folding, the day is cut short').toBe(false);

  await page.locator('[data-action="toggle-nav"]').click();
  await page.locator('[data-action="toggle-queue"]').click();
  await expect(page.locator('[data-queue]')).toHaveAttribute('data-collapsed', 'true');
  // Folded, each keeps its way back and the queue its count.
  await expect(page.locator('[data-action="toggle-nav"]')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('[data-queue-count]')).toBeVisible();
  await expect(page.locator('[data-nav="providers"]')).toHaveAccessibleName('Providers');
  await expect.poll(() => visible('07:00')).toBe(true);
  await expect.poll(() => visible('18:00')).toBe(true);

  // The panel lies over the timeline: the day keeps its width.
  const before = (await timeline.boundingBox())!.width;
  const job = bookingsOn(host, DEMO_DATE)[0]!;
  await anyCard(page, job.id).first().click();
  await expect(page.locator('[data-panel="job"]')).toBeVisible();
  expect((await timeline.boundingBox())!.width).toBeCloseTo(before, 0);
  await page.screenshot({ path: 'test-results/screenshots/board-1280-folded-with-panel.png' });

  await page.reload();
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
  await expect(page.locator('[data-queue]')).toHaveAttribute('data-collapsed', 'true');
  await expect(page.locator('.cl-app')).toHaveClass(/is-nav-collapsed/);
  await page.locator('[data-action="toggle-queue"]').click();
  await expect(page.locator('[data-queue]')).not.toHaveAttribute('data-collapsed', 'true');
  await expect(page.locator('.cl-queue-card').first()).toBeVisible();
});
