import { expect, test } from './fixtures';
import { activeProviders, anyCard, assigneesOf, bookingsOn, cardIn, drafts, drag, laneCenterY, openBoard, PLAN_DATE } from './board';

/**
 * The board opened again from another screen shows what it showed when it was left (it stays mounted,
 * hidden, behind the other screens: App.tsx), and what changed meanwhile: a job moved on another console
 * window (`draft:changed`) and a technician renamed on the Providers screen (`roster:changed`) while the
 * board was hidden both show when it opens again, with no reload. More in board-kept.spec.ts.
 */

test('changes made while the board was closed show when it is opened again', async ({ page, host, browser }) => {
  await openBoard(page, host, PLAN_DATE);
  const board = page.locator('[data-screen="board"]');
  const goTo = async (screen: string) => {
    await page.locator(`[data-nav="${screen}"]`).click();
    if (screen !== 'board') await expect(board).toBeHidden();
  };

  // Unchanged: the cards are there at once, as they were.
  const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [from] = assigneesOf(host, job.id);
  await expect(cardIn(page, from!, job.id)).toBeVisible();
  await goTo('customers');
  await goTo('board');
  await expect(cardIn(page, from!, job.id)).toBeVisible();
  await expect(cardIn(page, from!, job.id)).not.toHaveAttribute('data-staged', 'true');

  // A job moved to another row on a second window of the same console while this one shows Customers.
  await goTo('customers');
  const to = activeProviders(host).find((p) => p.id !== from)!;
  const other = await browser.newContext({ viewport: page.viewportSize()! });
  const second = await other.newPage();
  await openBoard(second, host, PLAN_DATE);
  const source = cardIn(second, from!, job.id);
  const box = (await source.boundingBox())!;
  await drag(second, source, { x: box.x + 6, y: await laneCenterY(second, to.id) });
  await expect.poll(() => drafts(host).map((d) => d.slot?.assignees)).toEqual([[to.id]]);
  await other.close();
  await goTo('board');
  await expect(cardIn(page, to.id, job.id)).toHaveAttribute('data-staged', 'true');
  await expect(cardIn(page, from!, job.id)).toHaveCount(0);

  // A technician renamed on the Providers screen: the row label says the new name.
  await goTo('providers');
  await page.locator(`[data-provider-id="${to.id}"]`).first().click();
  const form = page.locator('form').filter({ has: page.locator('[name="email"]') });
  await form.locator('[name="name"]').fill('Renamed While Away');
  await form.locator('[name="name"]').press('Enter');
  await expect.poll(() => host.query<{ name: string }>('SELECT name FROM providers WHERE id = ?', to.id)[0]?.name).toBe('Renamed While Away');
  await goTo('board');
  await expect(page.locator(`.cl-timeline .cl-provider[data-provider-id="${to.id}"]`)).toContainText('Renamed While Away');
  await expect(anyCard(page, job.id)).toHaveAttribute('data-staged', 'true');
});
