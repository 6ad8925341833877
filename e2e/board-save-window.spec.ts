import { getBooking, readHistory, scheduleMaps } from '../core/doc/schedule';
import { windowMovedWith } from '../core/notifications/arrival-window-move';
import { arrivalWindowFits } from '../core/notifications/save-audience';
import { localTimeOf } from '../core/time';
import { expect, test } from './fixtures';
import { assigneesOf, bookingsOn, cardIn, drafts, drag, openBoard, PLAN_DATE, timeX } from './board';

const ZONE = 'America/Chicago';

test.describe('Save: move the arrival window with the job', () => {
  test('a move that leaves the window is said, the window moves with it by default when customers are told, and the Save writes it', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    // A one-technician job that starts inside its customer's arrival window.
    const schedule = host.scheduleDoc();
    const job = bookingsOn(host, PLAN_DATE)
      .map((row) => getBooking(schedule, row.id)!)
      .find((b) => b.status === 'scheduled' && b.slot?.assignees.length === 1 && b.arrivalWindow && arrivalWindowFits(b.arrivalWindow, b.slot))!;
    expect(job).toBeTruthy();
    const window = job.arrivalWindow!;
    // Far from the window, on the same row: afternoon for a morning window, morning for an afternoon one.
    const target = Number(localTimeOf(Date.parse(window.start), ZONE).slice(0, 2)) < 12 ? '15:00' : '08:00';
    const [provider] = assigneesOf(host, job.id);
    const card = cardIn(page, provider!, job.id);
    const box = (await card.boundingBox())!;
    await drag(page, card, { x: await timeX(page, target), y: box.y + 12 });
    await expect.poll(() => drafts(host).length).toBe(1);
    const staged = drafts(host)[0]!.slot!;
    expect(arrivalWindowFits(window, staged)).toBe(false);

    await page.keyboard.press('Control+s');
    const dialog = page.locator('[data-dialog="save"]');
    const change = dialog.locator(`[data-save-changes] li[data-booking-id="${job.id}"]`);
    await expect(change.locator('[data-arrival-window-warning]')).toContainText('no longer fits');
    const moveWith = dialog.locator('input[name="moveArrivalWindows"]');
    // On while customers are notified, and following that choice until set by hand.
    await dialog.locator('input[name="notifyCustomers"]').check();
    await expect(moveWith).toBeChecked();
    await expect(change.locator('[data-arrival-window-moves]')).toContainText('moves with the job');
    await dialog.locator('input[name="notifyCustomers"]').uncheck();
    await expect(moveWith).not.toBeChecked();
    await expect(change.locator('[data-arrival-window-moves]')).toHaveCount(0);
    await expect(change.locator('[data-arrival-window-warning]')).toContainText('told the new time');
    await dialog.locator('input[name="notifyCustomers"]').check();
    await expect(moveWith).toBeChecked();
    await dialog.locator('[data-action="confirm-save"]').click();

    await expect.poll(() => drafts(host)).toEqual([]);
    const after = host.scheduleDoc();
    const saved = getBooking(after, job.id)!;
    expect(saved.slot).toEqual(staged);
    // Where the dialog said, and one the job now starts in: what the customer's message will carry.
    expect(saved.arrivalWindow).toEqual(windowMovedWith(window, job.slot, staged));
    expect(arrivalWindowFits(saved.arrivalWindow, saved.slot)).toBe(true);
    expect(readHistory(after, job.id).at(-1)!.summary).toMatch(/^Arrival window moved with the job: /);
    const requests = [...scheduleMaps(after).notificationRequests.values()];
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ bookingIds: [job.id], notifyCustomers: true });
  });
});
