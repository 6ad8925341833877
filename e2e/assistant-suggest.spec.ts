import type { Locator, Page } from '@playwright/test';
import { expect, test, DEMO_DATE, type Host } from './fixtures';
import { assigneesOf, bookingsOn, cardIn, drafts, openBoard, PLAN_DATE, stagedBadge } from './board';

/**
 * "Suggest a technician" (issue #19) on the demo board: every technician ranked with reasons, picked with
 * the keyboard, staged on the board like a drop, and saved with the usual notify choice.
 */

const panel = (page: Page) => page.locator('[data-dialog="suggest"]');
const options = (page: Page) => panel(page).locator('[role="option"]');
const activeOption = (page: Page) => panel(page).locator('[role="option"][aria-selected="true"]');

/** Down until the active row is a technician who breaks no rule (and, if given, is not `except`); their id. */
async function moveToFine(page: Page, except?: string): Promise<string> {
  const count = await options(page).count();
  for (let i = 0; i < count; i++) {
    const row = activeOption(page);
    const fine = (await row.getAttribute('data-ok')) === 'true';
    const id = await row.getAttribute('data-provider-id');
    if (fine && id && id !== except) return id;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error('no technician free for this job');
}

async function saveAll(page: Page) {
  await page.keyboard.press('Control+s');
  const dialog = page.locator('[data-dialog="save"]');
  await expect(dialog).toBeVisible();
  await dialog.locator('input[name="notifyProviders"]').check();
  await dialog.locator('[data-action="confirm-save"]').click();
  await expect(stagedBadge(page)).toContainText('All saved');
}

async function expectRanked(page: Page, host: Host) {
  const active = host.query<{ n: number }>('SELECT count(*) AS n FROM providers WHERE active = 1')[0]!.n;
  await expect(options(page).filter({ has: page.locator('.cl-suggest__name') })).not.toHaveCount(0);
  // Every active technician, each with its reasons in words; ruled-out ones last.
  await expect(panel(page).locator('[data-suggest-option="provider"]')).toHaveCount(active);
  const oks = await panel(page).locator('[data-suggest-option="provider"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')));
  expect(oks.indexOf('false') === -1 || oks.slice(oks.indexOf('false')).every((o) => o === 'false')).toBe(true);
  const first = panel(page).locator('[data-suggest-option="provider"]').first();
  await expect(first).toContainText(/Travel|travel unknown/i);
  await expect(first).toContainText(/Day \d+% booked|No working time/);
  await expect(first).toContainText(/priority|Emergency/i);
}

const listbox = (page: Page): Locator => panel(page).getByRole('listbox', { name: 'Technicians, best first' });

test('suggest from a queue card: keyboard, Enter stages it on that row, Save commits it', async ({ page, host }) => {
  await openBoard(page, host, DEMO_DATE);
  const card = page.locator('.cl-queue-card').filter({ hasText: 'No date' }).first();
  const id = (await card.getAttribute('data-booking-id'))!;
  await card.locator('[data-action="suggest"]').click();

  await expect(panel(page)).toBeVisible();
  await expect(listbox(page)).toBeFocused();
  await expect(panel(page).locator('[data-suggest-time="chosen"]')).toContainText('no date: planned on');
  await expectRanked(page, host);
  // The listbox names its active row; Down and Up move it.
  const firstId = await options(page).first().getAttribute('id');
  await expect(listbox(page)).toHaveAttribute('aria-activedescendant', firstId!);
  await page.keyboard.press('ArrowDown');
  await expect(options(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(options(page).first()).toHaveAttribute('aria-selected', 'true');

  const tech = await moveToFine(page);
  await page.keyboard.press('Enter');
  await expect(panel(page)).toHaveCount(0);
  await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.assignees])).toEqual([[id, [tech]]]);
  await expect(cardIn(page, tech, id)).toHaveAttribute('data-staged', 'true');
  await expect(page.locator(`.cl-queue-card[data-booking-id="${id}"]`)).toHaveCount(0);

  await saveAll(page);
  expect(drafts(host)).toEqual([]);
  expect(assigneesOf(host, id)).toEqual([tech]);
  await expect(cardIn(page, tech, id)).not.toHaveAttribute('data-staged', 'true');
});

test('suggest from the job panel of a scheduled job keeps its time and reassigns it', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [from] = assigneesOf(host, job.id);
  await cardIn(page, from!, job.id).click();
  const jobPanel = page.locator(`[data-panel="job"][data-booking-id="${job.id}"]`);
  await expect(jobPanel).toBeVisible();
  await jobPanel.locator('[data-action="suggest"]').click();

  await expect(panel(page).locator('[data-suggest-time="kept"]')).toContainText('keeps its time');
  await expectRanked(page, host);
  await expect(panel(page).locator(`[data-provider-id="${from}"]`)).toContainText('on the job');
  const tech = await moveToFine(page, from);
  await page.keyboard.press('Enter');
  await expect(panel(page)).toHaveCount(0);
  await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.assignees, d.slot && Date.parse(d.slot.start)])).toEqual([[job.id, [tech], job.start_ms]]);
  await expect(cardIn(page, tech, job.id)).toHaveAttribute('data-staged', 'true');

  await saveAll(page);
  expect(assigneesOf(host, job.id)).toEqual([tech]);
});

test('S on the selected job opens the list, Esc closes it; a ruled-out technician takes a second Enter', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [from] = assigneesOf(host, job.id);
  await cardIn(page, from!, job.id).click();
  await page.keyboard.press('Escape'); // the job panel closes; the card stays selected
  await page.keyboard.press('s');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page)).toContainText('S on a selected job opens this list');
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);

  await page.keyboard.press('s');
  await expect(listbox(page)).toBeFocused();
  // At a busy hour of a planned day someone is double-booked, off or lacks a skill: listed with the reason.
  const ruled = panel(page).locator('[data-suggest-option="provider"][data-ok="false"]');
  await expect(ruled.first()).toBeVisible();
  await expect(ruled.first().locator('.cl-suggest__hard')).toContainText(/double-booked|outside|is off|lacks/);
  const index = await options(page).evaluateAll((els) => els.findIndex((e) => e.getAttribute('data-ok') === 'false'));
  const ruledId = await options(page).nth(index).getAttribute('data-provider-id');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(panel(page).locator('[data-suggest-confirm]')).toContainText('Press Enter again');
  expect(drafts(host)).toEqual([]);
  await page.keyboard.press('ArrowUp'); // moving away forgets the question
  await expect(panel(page).locator('[data-suggest-confirm]')).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(panel(page)).toHaveCount(0);
  await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.assignees])).toEqual([[job.id, [ruledId]]]);
});

test('a team job in the queue with nobody free says so; a planned team job gets a crew first, staged in one slot', async ({ page, host }) => {
  const queued = host
    .query<{ id: string; data: string; start_ms: number | null }>("SELECT id, data, start_ms FROM bookings WHERE assignee_count = 0 AND status NOT IN ('completed', 'cancelled') ORDER BY start_ms, id")
    .map((r) => ({ id: r.id, teamSize: (JSON.parse(r.data) as { teamSize: number }).teamSize }))
    .filter((b) => b.teamSize > 1);
  await openBoard(page, host, PLAN_DATE);
  // The demo's queued crew jobs wait because no crew is free for them: the panel says why, and offers none.
  for (const job of queued) {
    await page.locator(`.cl-queue-card[data-booking-id="${job.id}"] [data-action="suggest"]`).click();
    await expect(panel(page).locator('[data-crew-reason]')).toContainText(`No crew of ${job.teamSize}`);
    await expect(panel(page).locator('[data-suggest-option="crew"]')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(panel(page)).toHaveCount(0);
  }

  const team = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count > 1)!;
  const members = assigneesOf(host, team.id);
  await cardIn(page, members[0]!, team.id).click();
  const jobPanel = page.locator(`[data-panel="job"][data-booking-id="${team.id}"]`);
  // One member taken off first (staged): the job is short of people.
  await jobPanel.locator(`[data-assignee-id="${members[1]}"] [data-action="remove-assignee"]`).click();
  await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.assignees.length])).toEqual([[team.id, members.length - 1]]);
  await jobPanel.locator('[data-action="suggest"]').click();
  const crew = panel(page).locator('[data-suggest-option="crew"]');
  await expect(crew).toHaveAttribute('aria-selected', 'true');
  await expect(crew).toContainText('(chosen greedily)');
  await expect(crew.locator('.cl-suggest__name')).toHaveText(/^Crew: .+ \+ .+/);
  const ids = (await crew.getAttribute('data-assignees'))!.split(' ');
  expect(ids).toHaveLength(members.length);
  await page.keyboard.press('Enter');
  await expect(panel(page)).toHaveCount(0);
  // The whole crew in one slot, at the job's time; the planned crew again means nothing left to save.
  const same = [...ids].sort().join() === [...members].sort().join();
  await expect
    .poll(() => drafts(host).map((d) => [d.id, [...d.slot!.assignees].sort(), Date.parse(d.slot!.start)]))
    .toEqual(same ? [] : [[team.id, [...ids].sort(), team.start_ms]]);
  for (const member of ids) await expect(cardIn(page, member, team.id)).toBeVisible();
});
