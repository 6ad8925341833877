import { DEMO_TIME_ZONE } from '../core/demo/demo-company';
import { localToMs } from '../core/time';
import { expect, test } from './fixtures';
import { activeProviders, assigneesOf, cardIn, lane, laneCenterY, openBoard, PLAN_DATE, stagedBadge, timeX } from './board';

test.describe('new booking from the board', () => {
  test('dragging across free time on a row books that technician for that time', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    // A technician with nothing between 13:00 and 15:00 on the planning day (in view at 1600 px).
    const from = localToMs(PLAN_DATE, '13:00', DEMO_TIME_ZONE);
    const to = localToMs(PLAN_DATE, '15:00', DEMO_TIME_ZONE);
    const busy = new Set(
      host
        .query<{ provider_id: string }>(
          `SELECT a.provider_id FROM booking_assignees a JOIN bookings b ON b.id = a.booking_id
           WHERE b.start_ms < ? AND b.end_ms > ? AND b.status != 'cancelled'`,
          to,
          from,
        )
        .map((r) => r.provider_id),
    );
    const tech = activeProviders(host).find((p) => !busy.has(p.id));
    expect(tech, 'someone is free in the early afternoon').toBeTruthy();
    const y = await laneCenterY(page, tech!.id);

    // From the 13:00 slot to the 14:15 slot: 13:00–14:30.
    await page.mouse.move(await timeX(page, '13:00'), y);
    await page.mouse.down();
    await page.mouse.move(await timeX(page, '13:45'), y, { steps: 4 });
    await page.mouse.move(await timeX(page, '14:15'), y, { steps: 4 });
    await page.mouse.up();

    const form = page.locator('form[aria-label="New booking"]');
    await expect(form).toBeVisible();
    await expect(form.locator('[name="slot.start"]')).toHaveValue(`${PLAN_DATE}T13:00`);
    await expect(form.locator('[name="durationMinutes"]')).toHaveValue('90');
    await expect(form.locator(`input[name="slot.assignees"][value="${tech!.id}"]`)).toBeChecked();
    await expect(form.locator('input[name="slot.assignees"]:checked')).toHaveCount(1);

    await form.locator('[name="title"]').fill('Gutter repair');
    await form.getByRole('button', { name: 'Create booking' }).click();
    await expect(form).toHaveCount(0);

    // Committed at once (a new job is not a staged board edit), on that row at that time.
    await expect.poll(() => host.query<{ id: string }>('SELECT id FROM bookings WHERE title = ?', 'Gutter repair').length).toBe(1);
    const row = host.query<{ id: string; status: string; start_ms: number; end_ms: number }>('SELECT * FROM bookings WHERE title = ?', 'Gutter repair')[0]!;
    expect(row).toMatchObject({ status: 'scheduled', start_ms: localToMs(PLAN_DATE, '13:00', DEMO_TIME_ZONE), end_ms: localToMs(PLAN_DATE, '14:30', DEMO_TIME_ZONE) });
    expect(assigneesOf(host, row.id)).toEqual([tech!.id]);
    const card = cardIn(page, tech!.id, row.id);
    await expect(card).toBeVisible();
    await expect(card).toContainText('1:00 PM–2:30 PM');
    await expect(stagedBadge(page)).toHaveAttribute('data-staged-count', '0');
  });

  test('a click on an empty row opens nothing; the button and N open an empty form', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const [first] = activeProviders(host);
    const box = (await lane(page, first!.id).boundingBox())!;
    await page.mouse.click(box.x + box.width - 20, box.y + box.height - 4);
    const form = page.locator('form[aria-label="New booking"]');
    await expect(page.locator('[data-screen="board"]')).toBeVisible();
    await expect(form).toHaveCount(0);

    await page.locator('[data-action="new-booking"]').click();
    await expect(form).toBeVisible();
    await expect(form.locator('[name="slot.start"]')).toHaveValue('');
    await expect(form.locator('input[name="slot.assignees"]:checked')).toHaveCount(0);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toHaveCount(0);

    await page.keyboard.press('n');
    await expect(form).toBeVisible();
    await expect(form.locator('[name="title"]')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(form).toHaveCount(0);
  });
});
