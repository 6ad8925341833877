import { QUEUE_PITCH, QUEUE_ROW } from '../renderer/src/features/board/queue-window';
import { expect, test } from './fixtures';
import { activeProviders, drafts, drag, laneCenterY, timeX } from './board';

/**
 * The unassigned queue renders only the cards in view (`queueWindow`): a long queue must still show its
 * true length, scroll to every job, and hand any of them to the board by drag.
 */
test.use({ seed: { providers: 40, bookings: 2_000, startDate: '2026-11-23', days: 7 } });

test('a long queue renders the cards in view, scrolls to its last job, and that job drags onto a row', async ({ page, host }) => {
  const [unassigned] = host.query<{ n: number }>(
    "SELECT count(*) AS n FROM bookings WHERE assignee_count = 0 AND status NOT IN ('completed', 'cancelled')",
  );
  const total = unassigned!.n;
  expect(total, 'the seed leaves many jobs unassigned').toBeGreaterThan(60);

  await page.goto(`${host.url}&date=2026-11-24`);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
  await expect(page.locator('[data-queue-count]')).toHaveText(String(total));

  const cards = page.locator('.cl-queue-card');
  const rendered = await cards.count();
  expect(rendered, 'only the cards in view and a few more').toBeLessThan(total);
  const list = page.locator('.cl-queue__scroller');
  const listBox = (await list.boundingBox())!;
  expect(rendered).toBeGreaterThanOrEqual(Math.floor(listBox.height / QUEUE_PITCH));
  // The stylesheet and the window agree on a card's height and pitch.
  const [a, b] = [(await cards.nth(0).boundingBox())!, (await cards.nth(1).boundingBox())!];
  expect(a.height).toBeCloseTo(QUEUE_ROW, 0);
  expect(b.y - a.y).toBeCloseTo(QUEUE_PITCH, 0);

  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = page.locator(`.cl-queue-card[aria-posinset="${total}"]`);
  await expect(last).toBeInViewport();
  await expect(page.locator('.cl-queue-card[aria-posinset="1"]')).toHaveCount(0);
  await expect(last).toHaveAttribute('aria-setsize', String(total));

  const id = (await last.getAttribute('data-booking-id'))!;
  const [target] = activeProviders(host);
  await drag(page, last, { x: await timeX(page, '10:00'), y: await laneCenterY(page, target!.id) });
  await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.assignees])).toEqual([[id, [target!.id]]]);
  await expect(page.locator('[data-queue-count]')).toHaveText(String(total - 1));
  await expect(page.locator(`.cl-queue-card[data-booking-id="${id}"]`)).toHaveCount(0);
});
