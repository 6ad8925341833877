import type { Locator, Page } from '@playwright/test';
import { expect, test, type Host } from './fixtures';
import { activeProviders, anyCard, assigneesOf, bookingsOn, cardIn, drafts, drag, laneCenterY, openBoard, PLAN_DATE, stagedBadge } from './board';

/**
 * A card whose look changes but not its place (saved, selected, a conflict come or gone) is repainted in
 * the page, and the calendar is not told (board-model `CalendarSync`). These check the look on every row a
 * card shows on, and that it stays right when the calendar later renders the card for its own reasons.
 */

/** FullCalendar's event element around a card's content: our class names (`cl-card--…`) are on it. */
const elementOf = (card: Locator) => card.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " cl-card ")][1]');

async function expectStaged(card: Locator, staged: boolean) {
  if (staged) {
    await expect(card).toHaveAttribute('data-staged', 'true');
    await expect(elementOf(card)).toHaveClass(/(^|\s)cl-card--staged(\s|$)/);
    await expect(card.locator('.cl-staged-dot')).toHaveCount(1);
  } else {
    await expect(card).not.toHaveAttribute('data-staged', 'true');
    await expect(elementOf(card)).not.toHaveClass(/(^|\s)cl-card--staged(\s|$)/);
    await expect(card.locator('.cl-staged-dot')).toHaveCount(0);
  }
}

/** Two scheduled one-person jobs on different rows, and a third row free to take them. */
function pickJobs(host: Host) {
  const day = bookingsOn(host, PLAN_DATE).filter((b) => b.status === 'scheduled' && b.assignee_count === 1);
  const a = day[0]!;
  const [rowA] = assigneesOf(host, a.id);
  const b = day.find((x) => assigneesOf(host, x.id)[0] !== rowA)!;
  const [rowB] = assigneesOf(host, b.id);
  const to = activeProviders(host).find((p) => p.id !== rowA && p.id !== rowB)!;
  return { a, rowA: rowA!, b, rowB: rowB!, to: to.id };
}

async function moveToRow(page: Page, card: Locator, row: string) {
  const box = (await card.boundingBox())!;
  await drag(page, card, { x: box.x + 6, y: await laneCenterY(page, row) });
}

test('Save clears the unsaved marks in place, and the calendar rendering the card again does not bring them back', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const { a, rowA, b, rowB, to } = pickJobs(host);

  await moveToRow(page, cardIn(page, rowA, a.id), to);
  await expect.poll(() => drafts(host).length).toBe(1);
  await expectStaged(cardIn(page, to, a.id), true);

  await page.keyboard.press('Control+s');
  await page.locator('[data-action="confirm-save"]').click();
  await expect(stagedBadge(page)).not.toContainText('unsaved');
  expect(drafts(host)).toEqual([]);
  expect(assigneesOf(host, a.id)).toEqual([to]);
  await expectStaged(cardIn(page, to, a.id), false);

  // Another drop onto the same row: the calendar renders that row and its cards again.
  await moveToRow(page, cardIn(page, rowB, b.id), to);
  await expect.poll(() => drafts(host).map((d) => d.id)).toEqual([b.id]);
  await expectStaged(cardIn(page, to, b.id), true);
  await expectStaged(cardIn(page, to, a.id), false);

  // Undo of that staged edit: b goes back and is clean again; a is untouched.
  await page.keyboard.press('Control+z');
  await expect.poll(() => drafts(host)).toEqual([]);
  await expectStaged(cardIn(page, rowB, b.id), false);
  await expect(cardIn(page, to, b.id)).toHaveCount(0);
  await expectStaged(cardIn(page, to, a.id), false);

  // The week view: every card is built anew, from the same looks.
  await page.locator('[data-action="week-view"]').click();
  await expect(page.locator('[data-action="week-view"]')).toHaveAttribute('aria-pressed', 'true');
  await expectStaged(cardIn(page, to, a.id), false);
  await expectStaged(cardIn(page, rowB, b.id), false);
});

test('the selection moves from card to card, on every row of a team job', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const team = bookingsOn(host, PLAN_DATE).find((x) => x.assignee_count >= 2 && x.status !== 'cancelled')!;
  const members = assigneesOf(host, team.id);
  const { a, rowA } = pickJobs(host);
  const selected = (id: string) => page.locator(`.cl-timeline .cl-card--selected [data-booking-id="${id}"][data-selected="true"]`);

  await cardIn(page, members[0]!, team.id).click();
  await expect(selected(team.id)).toHaveCount(members.length);
  await expect(page.locator('.cl-timeline .cl-card--selected')).toHaveCount(members.length);
  await page.keyboard.press('Escape');

  await cardIn(page, rowA, a.id).click();
  await expect(selected(a.id)).toHaveCount(1);
  await expect(selected(team.id)).toHaveCount(0);
  await expect(anyCard(page, team.id)).toHaveCount(members.length);
  for (const card of await anyCard(page, team.id).all()) await expect(card).not.toHaveAttribute('data-selected', 'true');
});
