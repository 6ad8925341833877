import { scheduleMaps } from '../core/doc/schedule';
import { expect, test } from './fixtures';
import { assigneesOf, bookingsOn, cardIn, drafts, drag, laneCenterY, openBoard, PLAN_DATE, activeProviders, stagedBadge } from './board';

/** Stage one reassignment by drag and return what moved where. */
async function stageReassign(page: import('@playwright/test').Page, host: import('./fixtures').Host) {
  const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [from] = assigneesOf(host, job.id);
  const to = activeProviders(host).find((p) => p.id !== from)!;
  const source = cardIn(page, from!, job.id);
  const box = (await source.boundingBox())!;
  await drag(page, source, { x: box.x + 6, y: await laneCenterY(page, to.id) });
  await expect.poll(() => drafts(host).length).toBe(1);
  return { job, from: from!, to: to.id };
}

test.describe('staged changes', () => {
  test('Save with the chosen notifications commits the batch and records one notification request', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const { job, from, to } = await stageReassign(page, host);
    await expect(stagedBadge(page)).toContainText('1 unsaved change');

    await page.keyboard.press('Control+s');
    const dialog = page.locator('[data-dialog="save"]');
    await expect(dialog).toBeVisible();
    await dialog.locator('input[name="notifyProviders"]').check();
    await dialog.locator('input[name="notifyCustomers"]').uncheck();
    await expect(dialog.locator('[data-save-changes] li')).toHaveCount(1);
    // Both the technician who loses the job and the one who gains it are told.
    await expect(dialog.locator(`[data-recipient-kind="provider"][data-recipient-id="${from}"]`)).toBeVisible();
    await expect(dialog.locator(`[data-recipient-kind="provider"][data-recipient-id="${to}"]`)).toBeVisible();
    await expect(dialog.locator('[data-recipient-kind="customer"]')).toHaveCount(0);
    await dialog.locator('[data-action="confirm-save"]').click();

    await expect(stagedBadge(page)).not.toContainText('unsaved');
    await expect(cardIn(page, to, job.id)).not.toHaveAttribute('data-staged', 'true');
    expect(drafts(host)).toEqual([]);
    expect(assigneesOf(host, job.id)).toEqual([to]);
    const requests = [...scheduleMaps(host.scheduleDoc()).notificationRequests.values()];
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ bookingIds: [job.id], notifyProviders: true, notifyCustomers: false, reason: 'save' });
  });

  test('Ctrl+Z after a Save stages the revert; saving it tells the technicians again', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const { job, from, to } = await stageReassign(page, host);
    await page.keyboard.press('Control+s');
    const dialog = page.locator('[data-dialog="save"]');
    await dialog.locator('input[name="notifyProviders"]').check();
    await dialog.locator('[data-action="confirm-save"]').click();
    await expect(stagedBadge(page)).toContainText('All saved');
    expect(assigneesOf(host, job.id)).toEqual([to]);

    // Undo does not quietly rewrite what the technicians were told: the job comes back as a staged edit.
    await page.keyboard.press('Control+z');
    await expect(page.getByText('The last Save is staged back (1 job)')).toBeVisible();
    await expect(stagedBadge(page)).toContainText('1 unsaved change');
    await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.assignees])).toEqual([[job.id, [from]]]);
    expect(assigneesOf(host, job.id)).toEqual([to]);
    await expect(cardIn(page, from, job.id)).toHaveAttribute('data-staged', 'true');

    await page.keyboard.press('Control+s');
    await dialog.locator('input[name="notifyProviders"]').check();
    await expect(dialog.locator(`[data-recipient-kind="provider"][data-recipient-id="${to}"]`)).toBeVisible();
    await dialog.locator('[data-action="confirm-save"]').click();
    await expect(stagedBadge(page)).toContainText('All saved');
    expect(assigneesOf(host, job.id)).toEqual([from]);
    const requests = [...scheduleMaps(host.scheduleDoc()).notificationRequests.values()];
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.notifyProviders && r.bookingIds.includes(job.id))).toBe(true);
  });

  test('a refused Save brings its dialog back with the reason and the same choices', async ({ page, host, context }) => {
    await openBoard(page, host, PLAN_DATE);
    const { job, from } = await stageReassign(page, host);
    await page.keyboard.press('Control+s');
    const dialog = page.locator('[data-dialog="save"]');
    await dialog.locator('input[name="notifyProviders"]').check();
    await dialog.locator('input[name="notifyCustomers"]').uncheck();
    await expect(dialog.locator('[data-save-changes] li')).toHaveCount(1);

    // Meanwhile a second window of the same workspace discards everything.
    const other = await context.newPage();
    await openBoard(other, host, PLAN_DATE);
    await other.locator('[data-action="discard"]').click();
    await other.locator('[data-action="confirm-discard"]').click();
    await expect.poll(() => drafts(host)).toEqual([]);

    // The dialog went at the click and is back with the reason and the choices made.
    await dialog.locator('[data-action="confirm-save"]').click();
    await expect(dialog.getByRole('alert')).toContainText('There are no staged changes to save');
    await expect(dialog.locator('input[name="notifyProviders"]')).toBeChecked();
    await expect(dialog.locator('input[name="notifyCustomers"]')).not.toBeChecked();
    await expect(dialog.locator('[data-action="confirm-save"]')).toBeDisabled();
    expect(assigneesOf(host, job.id)).toEqual([from]);
    expect([...scheduleMaps(host.scheduleDoc()).notificationRequests.values()]).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(stagedBadge(page)).toContainText('All saved');
  });

  test('Discard returns the board and the store to the saved schedule', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const { job, from, to } = await stageReassign(page, host);
    // Enter in the question keeps the changes: Cancel has the focus, not the destructive button.
    await page.locator('[data-action="discard"]').click();
    await expect(page.locator('[data-dialog="discard"]').getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-dialog="discard"]')).toHaveCount(0);
    expect(drafts(host)).toHaveLength(1);
    await expect(cardIn(page, to, job.id)).toHaveAttribute('data-staged', 'true');

    await page.locator('[data-action="discard"]').click();
    await page.locator('[data-action="confirm-discard"]').click();

    await expect(cardIn(page, from, job.id)).toBeVisible();
    await expect(cardIn(page, to, job.id)).toHaveCount(0);
    await expect(cardIn(page, from, job.id)).not.toHaveAttribute('data-staged', 'true');
    expect(drafts(host)).toEqual([]);
    expect(assigneesOf(host, job.id)).toEqual([from]);
    expect([...scheduleMaps(host.scheduleDoc()).notificationRequests.values()]).toEqual([]);
  });

  test('a reload keeps staged edits and committed actions', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const { job, to } = await stageReassign(page, host);
    const other = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1 && b.id !== job.id)!;
    const [otherProvider] = assigneesOf(host, other.id);
    await cardIn(page, otherProvider!, other.id).click();
    await page.locator('[data-action="send-to-tech"]').click();
    await expect(cardIn(page, otherProvider!, other.id)).toHaveAttribute('data-status', 'dispatched');

    await page.reload();
    await expect(cardIn(page, to, job.id)).toHaveAttribute('data-staged', 'true');
    await expect(stagedBadge(page)).toContainText('1 unsaved change');
    await expect(cardIn(page, otherProvider!, other.id)).toHaveAttribute('data-status', 'dispatched');
    expect(drafts(host).map((d) => d.id)).toEqual([job.id]);
    expect(host.query<{ status: string }>('SELECT status FROM bookings WHERE id = ?', other.id)[0]!.status).toBe('dispatched');
  });
});

test.describe('job panel', () => {
  test('Send to Tech moves a Scheduled job to Dispatched and records when and by whom', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
    const [provider] = assigneesOf(host, job.id);
    await cardIn(page, provider!, job.id).click();
    const panel = page.locator(`[data-panel="job"][data-booking-id="${job.id}"]`);
    await expect(panel).toHaveAttribute('data-status', 'scheduled');
    await panel.locator('[data-action="send-to-tech"]').click();

    await expect(panel).toHaveAttribute('data-status', 'dispatched');
    await expect(panel.locator('[data-dispatch-stamp="true"]')).toContainText('Local dispatcher');
    await expect(cardIn(page, provider!, job.id)).toHaveAttribute('data-status', 'dispatched');
    const row = host.query<{ status: string; data: string }>('SELECT status, data FROM bookings WHERE id = ?', job.id)[0]!;
    expect(row.status).toBe('dispatched');
    expect(JSON.parse(row.data).dispatched).toMatchObject({ by: { name: 'Local dispatcher' } });
    await expect(panel.locator('[data-history-action="send_to_tech"]')).toBeVisible();
  });

  test('Send to Tech is refused with a message while the job has unsaved board changes', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const { job, to } = await stageReassign(page, host);
    await cardIn(page, to, job.id).click();
    const panel = page.locator(`[data-panel="job"][data-booking-id="${job.id}"]`);
    await panel.locator('[data-action="send-to-tech"]').click();
    await expect(panel.locator('[data-action-error]')).toContainText('unsaved board changes');
    expect(host.query<{ status: string }>('SELECT status FROM bookings WHERE id = ?', job.id)[0]!.status).toBe('scheduled');
  });

  test('Send day to techs dispatches every Scheduled job of the day, after a question', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const scheduled = bookingsOn(host, PLAN_DATE).filter((b) => b.status === 'scheduled' && b.assignee_count > 0);
    expect(scheduled.length).toBeGreaterThan(1);
    const otherDay = host.query<{ n: number }>("SELECT count(*) AS n FROM bookings WHERE status = 'scheduled'")[0]!.n - scheduled.length;

    await page.locator('[data-action="send-day"]').click();
    const question = page.locator('[data-dialog="send-day"]');
    await expect(question).toContainText(`Send ${scheduled.length} Scheduled jobs on Wed, Nov 25`);
    await expect(question.locator('[data-action="confirm-send-day"]')).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(page.locator('.cl-toast')).toContainText(`Sent ${scheduled.length} jobs to techs`);
    for (const job of scheduled) {
      const [provider] = assigneesOf(host, job.id);
      await expect(cardIn(page, provider!, job.id)).toHaveAttribute('data-status', 'dispatched');
    }
    const rows = scheduled.map((b) => host.query<{ status: string; data: string }>('SELECT status, data FROM bookings WHERE id = ?', b.id)[0]!);
    expect(rows.map((r) => r.status)).toEqual(scheduled.map(() => 'dispatched'));
    for (const r of rows) expect(JSON.parse(r.data).dispatched).toMatchObject({ by: { name: 'Local dispatcher' } });
    // Other days are left alone; in the week view there is no single day to send.
    expect(host.query<{ n: number }>("SELECT count(*) AS n FROM bookings WHERE status = 'scheduled'")[0]!.n).toBe(otherDay);
    await page.locator('[data-action="week-view"]').click();
    await expect(page.locator('[data-action="send-day"]')).toBeDisabled();
  });

  test('Send to Tech is not offered for a job without a technician', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const queued = page.locator('.cl-queue-card[data-booking-id]').first();
    const id = (await queued.getAttribute('data-booking-id'))!;
    await queued.click();
    const panel = page.locator(`[data-panel="job"][data-booking-id="${id}"]`);
    const send = panel.locator('[data-action="send-to-tech"]');
    await expect(send).toBeDisabled();
    await expect(send).toHaveAttribute('title', /Only a Scheduled job \(with a date and a technician\)/);
    expect(host.query<{ status: string }>('SELECT status FROM bookings WHERE id = ?', id)[0]!.status).toBe('unscheduled');
  });
});

test('undo and redo a committed action from the keyboard', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [provider] = assigneesOf(host, job.id);
  const card = cardIn(page, provider!, job.id);
  await card.click();
  await page.locator('[data-action="send-to-tech"]').click();
  await expect(card).toHaveAttribute('data-status', 'dispatched');
  await page.keyboard.press('Escape');
  await page.locator('.cl-timeline').click({ position: { x: 5, y: 5 } });

  const status = () => host.query<{ status: string }>('SELECT status FROM bookings WHERE id = ?', job.id)[0]!.status;
  await page.keyboard.press('Control+z');
  await expect(card).toHaveAttribute('data-status', 'scheduled');
  expect(status()).toBe('scheduled');
  await page.keyboard.press('Control+Shift+z');
  await expect(card).toHaveAttribute('data-status', 'dispatched');
  expect(status()).toBe('dispatched');
});

test('day and week views show the schedule (screenshots kept as artifacts)', async ({ page, host }) => {
  await openBoard(page, host);
  await page.screenshot({ path: 'test-results/screenshots/board-day.png' });
  await page.keyboard.press('w');
  await expect(page.locator('[data-screen="board"]')).toHaveAttribute('data-view-kind', 'week');
  // The week holds the demo's Monday to Sunday: jobs from several days are on the board.
  const weekIds = await page.locator('.cl-timeline [data-booking-id]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('data-booking-id'))).size);
  const dayIds = bookingsOn(host).length;
  expect(weekIds).toBeGreaterThan(dayIds);
  await page.screenshot({ path: 'test-results/screenshots/board-week.png' });
  await page.keyboard.press('d');
  await expect(page.locator('[data-screen="board"]')).toHaveAttribute('data-view-kind', 'day');
});

test('a queued job is scheduled from the keyboard: Enter opens it, When gives it a start, Add member a technician', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const queueCard = page.locator('.cl-queue-card[data-booking-id]').first();
  const id = (await queueCard.getAttribute('data-booking-id'))!;
  const [tech] = activeProviders(host);
  await queueCard.focus();
  await page.keyboard.press('Enter');
  const panel = page.locator(`[data-panel="job"][data-booking-id="${id}"]`);
  await expect(panel).toBeVisible();

  // An end before the start is refused on its field; nothing is staged.
  const when = panel.locator('[data-form="when"]');
  await when.locator('input[name="when.start"]').fill(`${PLAN_DATE}T10:00`);
  await when.locator('input[name="when.end"]').fill(`${PLAN_DATE}T09:00`);
  await when.locator('input[name="when.end"]').press('Enter');
  await expect(when.locator('[data-error-for="when.end"]')).toHaveText('Must be after the start');
  expect(drafts(host)).toEqual([]);

  await when.locator('input[name="when.end"]').fill(`${PLAN_DATE}T11:30`);
  await when.locator('input[name="when.end"]').press('Enter');
  await expect.poll(() => drafts(host).map((d) => [d.id, d.slot?.start, d.slot?.end])).toEqual([
    [id, `${PLAN_DATE}T16:00:00Z`, `${PLAN_DATE}T17:30:00Z`],
  ]);

  const member = panel.getByLabel('Add team member');
  await member.focus();
  await member.selectOption(tech!.id);
  await panel.locator('[data-action="add-assignee"]').press('Enter');
  await expect.poll(() => drafts(host)[0]?.slot?.assignees).toEqual([tech!.id]);
  await expect(cardIn(page, tech!.id, id)).toBeVisible();
  await expect(cardIn(page, tech!.id, id)).toHaveAttribute('data-staged', 'true');
  await expect(page.locator(`.cl-queue-card[data-booking-id="${id}"]`)).toHaveCount(0);
});
