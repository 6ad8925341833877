import type { Page } from '@playwright/test';
import { DEMO_TIME_ZONE } from '../core/demo/demo-company';
import { localToMs } from '../core/time';
import { expectAccessible } from './axe';
import { activeProviders, anyCard, assigneesOf, bookingsOn, cardIn, drafts, drag, lane, laneCenterY, openBoard, PLAN_DATE } from './board';
import { expect, test, type Host } from './fixtures';

/**
 * The board stays mounted, hidden, while another screen shows (issue 21: a reopen is a show, not a
 * mount). Hidden, it must stand down (its keys and menu commands belong to the screen on show), stay out
 * of the accessibility tree and the tab order, keep reading what changes, and show again at the right size.
 */

const board = (page: Page) => page.locator('[data-screen="board"]');

async function goTo(page: Page, screen: string) {
  await page.locator(`[data-nav="${screen}"]`).click();
  await expect(page.locator(`[data-nav="${screen}"]`)).toHaveAttribute('aria-current', 'page');
  if (screen === 'board') await expect(board(page)).toBeVisible();
  else await expect(board(page)).toBeHidden();
}

/** A scheduled one-technician job on the planning day, moved to another row: one staged edit to undo. */
async function stagedMove(page: Page, host: Host) {
  const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [from] = assigneesOf(host, job.id);
  const to = activeProviders(host).find((p) => p.id !== from)!;
  const source = cardIn(page, from!, job.id);
  await drag(page, source, { x: (await source.boundingBox())!.x + 6, y: await laneCenterY(page, to.id) });
  await expect.poll(() => drafts(host).map((d) => d.slot?.assignees)).toEqual([[to.id]]);
  return { job, from: from!, to: to.id };
}

test('keys and menu commands on another screen do not reach the hidden board; back on it, they do', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const { job, to } = await stagedMove(page, host);
  // Selected, its panel closed: Delete would unassign it, Ctrl+Z would undo the move.
  await cardIn(page, to, job.id).click();
  await expect(page.locator(`[data-panel="job"][data-booking-id="${job.id}"]`)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-panel="job"]')).toHaveCount(0);
  await expect(cardIn(page, to, job.id)).toHaveAttribute('data-selected', 'true');

  await goTo(page, 'customers');
  for (const key of ['Delete', 'Backspace', 'u', 'Control+z', 'Control+Shift+z', 'Control+k', 'n', 'Control+s']) await page.keyboard.press(key);
  // Each of those would have made a request or opened a dialog at once; a second is a wide margin.
  await page.waitForTimeout(1000);
  expect(drafts(host).map((d) => d.slot?.assignees)).toEqual([[to]]);
  await expect(page.locator('[data-dialog]')).toHaveCount(0);
  await expect(page.locator('.cl-main').getByRole('heading', { level: 1 })).toHaveText('Customers');

  // Ctrl+P on another screen is the app's (today's route sheets), not the hidden board's (its own date).
  await page.keyboard.press('Control+p');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/route-sheets');

  // Back on the board: the same selection, and its keys act again.
  await goTo(page, 'board');
  await expect(cardIn(page, to, job.id)).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('Control+z');
  await expect.poll(() => drafts(host)).toEqual([]);
  await page.keyboard.press('Control+k');
  await expect(page.locator('[data-dialog="quick-search"]')).toBeVisible();
});

test('hidden, the board is out of the accessibility tree and the tab order; a booking made on the Bookings screen shows on return, at the right size', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const [first] = activeProviders(host);
  const laneBefore = (await lane(page, first!.id).boundingBox())!;
  const someCard = page.locator('.cl-timeline [data-lane-provider-id] [data-booking-id]').first();
  const cardId = (await someCard.getAttribute('data-booking-id'))!;
  const cardBefore = (await anyCard(page, cardId).first().boundingBox())!;
  expect(laneBefore.width).toBeGreaterThan(300);

  await goTo(page, 'bookings');
  await expect(page.locator('[data-board-header]')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expectAccessible(page, 'bookings screen, the board hidden behind it');
  // Tab through the page: the focus never lands in the hidden board.
  await page.locator('[data-nav="bookings"]').focus();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('.cl-board') != null), `tab ${i + 1}`).toBe(false);
  }

  // A new job for a technician free in the early afternoon, booked on the Bookings screen.
  const from = localToMs(PLAN_DATE, '13:00', DEMO_TIME_ZONE);
  const until = localToMs(PLAN_DATE, '15:00', DEMO_TIME_ZONE);
  const busy = new Set(
    host.query<{ provider_id: string }>(
      `SELECT a.provider_id FROM booking_assignees a JOIN bookings b ON b.id = a.booking_id WHERE b.start_ms < ? AND b.end_ms > ? AND b.status != 'cancelled'`,
      until,
      from,
    ).map((r) => r.provider_id),
  );
  const tech = activeProviders(host).find((p) => !busy.has(p.id))!;
  expect(tech, 'someone is free in the early afternoon').toBeTruthy();
  await page.locator('.cl-main').getByRole('button', { name: 'New booking' }).click();
  const form = page.locator('form[aria-label="New booking"]');
  await form.locator('[name="title"]').fill('Booked while the board hid');
  await form.locator('[name="slot.start"]').fill(`${PLAN_DATE}T13:00`);
  await form.locator(`input[name="slot.assignees"][value="${tech.id}"]`).check();
  await form.getByRole('button', { name: 'Create booking' }).click();
  await expect.poll(() => host.query<{ id: string }>('SELECT id FROM bookings WHERE title = ?', 'Booked while the board hid').length).toBe(1);
  const created = host.query<{ id: string }>('SELECT id FROM bookings WHERE title = ?', 'Booked while the board hid')[0]!;

  await goTo(page, 'board');
  const card = cardIn(page, tech.id, created.id);
  await expect(card).toBeVisible();
  expect((await card.boundingBox())!.width, 'the new card has its width').toBeGreaterThan(20);
  // Laid out as before it was hidden: the lanes fill the same width, a card keeps its size.
  const laneAfter = (await lane(page, first!.id).boundingBox())!;
  expect(Math.abs(laneAfter.width - laneBefore.width)).toBeLessThanOrEqual(1);
  const cardAfter = (await anyCard(page, cardId).first().boundingBox())!;
  expect(Math.abs(cardAfter.width - cardBefore.width)).toBeLessThanOrEqual(1);
  expect(cardAfter.height).toBeGreaterThan(10);
});

test('the window resized while the board was hidden: the board shows laid out for the new size', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const [first] = activeProviders(host);
  const width = async () => (await lane(page, first!.id).boundingBox())!.width;
  const wide = await width();

  await goTo(page, 'customers');
  await page.setViewportSize({ width: 1200, height: 900 });
  await goTo(page, 'board');
  await expect.poll(width, 'narrower lanes after the show').toBeLessThan(wide - 200);
  const shown = await width();
  // The same size as a board that lived through the resize on screen.
  await page.setViewportSize({ width: 1600, height: 1000 });
  await expect.poll(width).toBeGreaterThan(shown + 200);
  await page.setViewportSize({ width: 1200, height: 900 });
  await expect.poll(async () => Math.abs((await width()) - shown)).toBeLessThanOrEqual(1);
  await expect(page.locator('.cl-timeline [data-lane-provider-id] [data-booking-id]').first()).toBeVisible();
});
