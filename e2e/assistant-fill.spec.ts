import { expect, test } from './fixtures';
import { assigneesOf, cardIn, drafts, openBoard, PLAN_DATE, stagedBadge } from './board';

/** Fill a day (issue #19): a proposal with who and why, staged as one edit, undone in one step, saved as usual. */
test('fill a day on the demo board: summary, stage, one undo step, fill again and Save', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const queued = host.query<{ id: string }>('SELECT id FROM bookings WHERE assignee_count = 0 AND status NOT IN (\'completed\', \'cancelled\')');
  expect(queued.length).toBeGreaterThan(0);

  await page.locator('[data-action="fill-day"]').click();
  const dialog = page.locator('[data-dialog="fill-day"]');
  await expect(dialog.locator('[data-fill-summary]')).toBeVisible();
  const placed = dialog.locator('[data-fill-placed]');
  const count = await placed.count();
  expect(count).toBeGreaterThan(0);
  // Every job of the fill is accounted for: placed with who and why, or not placed with the reason.
  await expect(placed.first()).toContainText(/\d+% loaded|no hours/);
  const ids = await placed.evaluateAll((els) => els.map((el) => el.getAttribute('data-fill-placed')!));
  await expect(dialog.locator('[data-fill-totals]')).toContainText(`${count} of`);

  await dialog.locator('[data-action="fill-stage"]').click();
  await expect(dialog).toHaveCount(0);
  await expect(stagedBadge(page)).toContainText(`${count} unsaved change`);
  await expect.poll(() => drafts(host).map((d) => d.id).sort()).toEqual([...ids].sort());
  // The cards are on their technicians' rows, staged.
  for (const d of drafts(host)) {
    await expect(cardIn(page, d.slot!.assignees[0]!, d.id)).toHaveAttribute('data-staged', 'true');
  }

  // One undo step takes the whole fill back.
  await page.keyboard.press('Control+z');
  await expect(stagedBadge(page)).toContainText('All saved');
  await expect.poll(() => drafts(host).length).toBe(0);
  await expect(page.locator(`.cl-timeline [data-lane-provider-id] [data-booking-id="${ids[0]}"]`)).toHaveCount(0);

  // Fill again (the same day gives the same proposal) and Save.
  await page.locator('[data-action="fill-day"]').click();
  await expect(dialog.locator('[data-fill-placed]')).toHaveCount(count);
  expect(await dialog.locator('[data-fill-placed]').evaluateAll((els) => els.map((el) => el.getAttribute('data-fill-placed')!))).toEqual(ids);
  await dialog.locator('[data-action="fill-stage"]').click();
  await expect.poll(() => drafts(host).length).toBe(count);
  // The drafts are on disk before the answer reaches the board: Save once the board counts them.
  await expect(stagedBadge(page)).toContainText(`${count} unsaved change`);
  const staged = drafts(host);
  await page.keyboard.press('Control+s');
  const save = page.locator('[data-dialog="save"]');
  await expect(save.locator('[data-save-changes] li')).toHaveCount(count);
  await save.locator('[data-action="confirm-save"]').click();
  await expect(stagedBadge(page)).toContainText('All saved');
  expect(drafts(host)).toEqual([]);
  for (const d of staged) expect(assigneesOf(host, d.id)).toEqual(d.slot!.assignees);
});

test('a search in the queue is the selection: Fill day places only the jobs it shows', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const word = 'Drain';
  const search = page.locator('[data-queue] input[type="search"]');
  await search.fill(word);
  const shown = page.locator('[data-queue] .cl-queue-card');
  await expect.poll(async () => (await shown.allTextContents()).every((t) => t.includes(word))).toBe(true);
  const button = page.locator('[data-action="fill-day"]');
  await expect(button).toHaveText(/Fill day with \d+ shown/);
  const n = Number(/with (\d+) shown/.exec((await button.textContent()) ?? '')![1]);
  expect(n).toBeGreaterThan(0);
  await button.click();
  const dialog = page.locator('[data-dialog="fill-day"]');
  await expect(dialog.locator('[data-fill-summary]')).toBeVisible();
  // Every job the fill answers for is one the search showed, each once.
  const answered = await dialog.locator('[data-fill-placed], [data-fill-unplaced]').evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-fill-placed') ?? el.getAttribute('data-fill-unplaced')!),
  );
  expect(answered).toHaveLength(n);
  const titles = host.query<{ id: string; title: string }>(`SELECT id, title FROM bookings WHERE id IN (${answered.map(() => '?').join(',')})`, ...answered);
  expect(titles).toHaveLength(n);
  for (const t of titles) expect(t.title).toContain(word);
  await dialog.locator('[data-action="fill-stage"]').click();
  await expect(dialog).toHaveCount(0);
  for (const d of drafts(host)) expect(answered).toContain(d.id);
});

test('the fill weights are settings, with field errors', async ({ page, host }) => {
  await page.goto(`${host.url}#/settings`);
  const travel = page.locator('input[name="assistantTravelWeight"]');
  const balance = page.locator('input[name="assistantBalanceWeight"]');
  await expect(travel).toHaveValue('1');
  await expect(balance).toHaveValue('1');
  await travel.fill('many');
  await balance.fill('11');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('[data-error-for="assistantTravelWeight"]')).toHaveText('Must be a number from 0 to 10, like 1');
  await travel.fill('0.5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('[data-error-for="assistantBalanceWeight"]')).toHaveText('At most 10');
  await balance.fill('4');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.reload();
  await expect(travel).toHaveValue('0.5');
  await expect(balance).toHaveValue('4');
});
