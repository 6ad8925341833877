import { DEMO_TIME_ZONE } from '../core/demo/demo-company';
import { localToMs } from '../core/time';
import { expect, test, type Host } from './fixtures';
import { activeProviders, cardIn, drafts, openBoard, PLAN_DATE, stagedBadge } from './board';

/** Three Wednesdays in a row from the planning day (the demo's "today" is Tuesday 24 Nov 2026). */
const WEEKS = [PLAN_DATE, '2026-12-02', '2026-12-09'] as const;
const TITLE = 'Window cleaning (weekly)';
const at = (date: string, time: string) => localToMs(date, time, DEMO_TIME_ZONE);

const visits = (host: Host) =>
  host.query<{ id: string; start_ms: number; end_ms: number }>('SELECT id, start_ms, end_ms FROM bookings WHERE title = ? ORDER BY start_ms', TITLE);
const visitOn = (host: Host, date: string) => {
  const [from, to] = [at(date, '00:00'), at(date, '23:59')];
  return visits(host).find((v) => v.start_ms >= from && v.start_ms <= to);
};

test('a weekly job: created from the form, on the board each week, one visit moved, the series retimed around it', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const [tech] = activeProviders(host);

  // New booking, repeating every Wednesday at 17:00 for one technician.
  await page.locator('[data-action="new-booking"]').click();
  const form = page.locator('form[aria-label="New booking"]');
  await form.locator('[name="title"]').fill(TITLE);
  await form.locator('[name="slot.start"]').fill(`${PLAN_DATE}T17:00`);
  await form.locator('[name="durationMinutes"]').fill('60');
  await form.locator(`input[name="slot.assignees"][value="${tech!.id}"]`).check();
  await form.locator('select[name="repeat.freq"]').selectOption('weekly');
  // The start's weekday is picked for it, and the rule is said in words as it is built.
  await expect(form.locator('input[name="repeat.weekdays"][value="wed"]')).toBeChecked();
  await expect(form.locator('[data-repeat-words]')).toHaveText('Weekly on Wednesday');
  await form.locator('input[name="repeat.end.type"][value="count"]').check();
  await form.locator('input[name="repeat.end.count"]').fill('6');
  await expect(form.locator('[data-repeat-words]')).toHaveText('Weekly on Wednesday, 6 times');
  await form.locator('input[name="repeat.end.type"][value="never"]').check();
  await expect(form.locator('[data-repeat-words]')).toHaveText('Weekly on Wednesday');

  // The command's own validation lands on the control it is about.
  await form.locator('input[name="repeat.weekdays"][value="wed"]').uncheck();
  await form.getByRole('button', { name: 'Create repeating job' }).click();
  await expect(form.locator('[data-error-for="repeat.weekdays"]')).toHaveText('Choose at least one weekday');
  expect(visits(host)).toEqual([]);
  await form.locator('input[name="repeat.weekdays"][value="wed"]').check();
  await expect(form.locator('[data-error-for="repeat.weekdays"]')).toHaveCount(0);
  await form.getByRole('button', { name: 'Create repeating job' }).click();
  await expect(form).toHaveCount(0);

  // Visits for the organization's horizon (8 weeks from today): Wednesdays 25 Nov to 20 Jan.
  await expect.poll(() => visits(host).length).toBe(9);
  const ids = WEEKS.map((date) => visitOn(host, date)!.id);
  for (const date of WEEKS) expect(visitOn(host, date)).toMatchObject({ start_ms: at(date, '17:00'), end_ms: at(date, '18:00') });
  expect(new Set(ids).size).toBe(3);

  // The board opens the first visit's panel, which says how the job repeats.
  const firstPanel = page.locator(`[data-panel="job"][data-booking-id="${ids[0]}"]`);
  await expect(firstPanel.locator('[data-series-rule]')).toHaveText('Repeats: Weekly on Wednesday');

  // A visit on the board in three consecutive weeks.
  for (const [i, date] of WEEKS.entries()) {
    await page.goto(`${host.url}&date=${date}`);
    await expect(cardIn(page, tech!.id, ids[i]!)).toBeVisible();
    await expect(cardIn(page, tech!.id, ids[i]!)).toContainText('5:00 PM–6:00 PM');
  }

  // Move the second week's visit to 14:00 from its panel (the keyboard's way to move), and Save.
  await page.goto(`${host.url}&date=${WEEKS[1]}`);
  await cardIn(page, tech!.id, ids[1]!).click();
  const moved = page.locator(`[data-panel="job"][data-booking-id="${ids[1]}"]`);
  await expect(moved.locator('[data-series-rule]')).toHaveText('Repeats: Weekly on Wednesday');
  const when = moved.locator('[data-form="when"]');
  await when.locator('input[name="when.start"]').fill(`${WEEKS[1]}T14:00`);
  await when.locator('input[name="when.end"]').fill(`${WEEKS[1]}T15:00`);
  await when.locator('input[name="when.end"]').press('Enter');
  await expect.poll(() => drafts(host).map((d) => d.id)).toEqual([ids[1]]);
  await page.locator('[data-action="save"]').click();
  await page.locator('[data-dialog="save"] [data-action="confirm-save"]').click();
  await expect(stagedBadge(page)).toContainText('All saved');
  await expect.poll(() => visitOn(host, WEEKS[1])?.start_ms).toBe(at(WEEKS[1], '14:00'));
  await expect(moved.locator('[data-series-own-changes]')).toBeVisible();

  // From the third week's visit: every visit at 10:00 from now on.
  await page.goto(`${host.url}&date=${WEEKS[2]}`);
  await cardIn(page, tech!.id, ids[2]!).click();
  const third = page.locator(`[data-panel="job"][data-booking-id="${ids[2]}"]`);
  const series = third.locator('[data-form="series-time"]');
  await expect(series.locator('input[name="series.startTime"]')).toHaveValue('17:00');
  await series.locator('input[name="series.startTime"]').fill('10:00');
  await series.locator('input[name="series-time.scope"][value="all"]').check();
  await series.locator('[data-action="apply-series-time"]').click();
  await expect(page.getByText('All visits changed')).toBeVisible();

  await expect.poll(() => visitOn(host, WEEKS[2])?.start_ms).toBe(at(WEEKS[2], '10:00'));
  expect(visitOn(host, WEEKS[0])).toMatchObject({ start_ms: at(WEEKS[0], '10:00'), end_ms: at(WEEKS[0], '11:00') });
  // The visit moved by hand kept its moved time.
  expect(visitOn(host, WEEKS[1])).toMatchObject({ id: ids[1], start_ms: at(WEEKS[1], '14:00'), end_ms: at(WEEKS[1], '15:00') });
  expect(visits(host).map((v) => v.id)).toEqual(expect.arrayContaining(ids));
  await expect(cardIn(page, tech!.id, ids[2]!)).toContainText('10:00 AM–11:00 AM');
  await page.goto(`${host.url}&date=${WEEKS[1]}`);
  await expect(cardIn(page, tech!.id, ids[1]!)).toContainText('2:00 PM–3:00 PM');

  // The bookings list says which jobs repeat, and how.
  await page.goto(`${host.url}#/bookings`);
  const row = page.locator(`tr[data-booking-id="${ids[2]}"]`);
  await expect(row.locator('[data-booking-rule]')).toHaveText('Repeats: Weekly on Wednesday');

  // A longer horizon in the settings: the desktop creates the further visits at once, at the series' time.
  await page.goto(`${host.url}#/settings`);
  const weeks = page.locator('input[name="recurrenceHorizonWeeks"]');
  await expect(weeks).toHaveValue('8');
  await weeks.fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('[data-error-for="recurrenceHorizonWeeks"]')).toHaveText('At least 1 week');
  await weeks.fill('12');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await expect.poll(() => visits(host).length).toBe(12);
  expect(visitOn(host, '2027-02-10')).toMatchObject({ start_ms: at('2027-02-10', '10:00') });
});

test('from a visit’s panel: details for this and following, Skip this visit, End series, each confirmed', async ({ page, host }) => {
  await openBoard(page, host, PLAN_DATE);
  const [tech] = activeProviders(host);
  await page.locator('[data-action="new-booking"]').click();
  const form = page.locator('form[aria-label="New booking"]');
  await form.locator('[name="title"]').fill(TITLE);
  await form.locator('[name="slot.start"]').fill(`${PLAN_DATE}T17:00`);
  await form.locator(`input[name="slot.assignees"][value="${tech!.id}"]`).check();
  await form.locator('select[name="repeat.freq"]').selectOption('weekly');
  await form.getByRole('button', { name: 'Create repeating job' }).click();
  await expect(form).toHaveCount(0);
  await expect.poll(() => visits(host).length).toBe(9);
  const [w0, w1] = [PLAN_DATE, '2026-12-02'].map((date) => visitOn(host, date)!.id);

  // New notes for the second week on: the series continues as a new one from that date (its visits are new
  // bookings, and the panel follows to the new visit); the first visit keeps its notes.
  await page.goto(`${host.url}&date=2026-12-02`);
  await cardIn(page, tech!.id, w1!).click();
  const panel = page.locator(`[data-panel="job"][data-booking-id="${w1}"]`);
  const details = panel.locator('[data-form="booking"]');
  await details.locator('textarea[name="notes"]').fill('Bring the long ladder');
  await details.locator('input[name="details.scope"][value="following"]').check();
  await details.locator('[data-action="save-details"]').click();
  await expect(page.getByText('This and following visits updated')).toBeVisible();
  await expect.poll(() => visitOn(host, '2026-12-02')?.id).not.toBe(w1);
  const [n1, w2, w3] = ['2026-12-02', '2026-12-09', '2026-12-16'].map((date) => visitOn(host, date)!.id);
  await expect(page.locator('[data-panel="job"]')).toHaveAttribute('data-booking-id', n1!);
  await expect(page.locator('[data-panel="job"] [data-series-rule]')).toHaveText('Repeats: Weekly on Wednesday');
  const notesOf = (id: string) => {
    const [row] = host.query<{ data: string }>('SELECT data FROM bookings WHERE id = ?', id);
    return row ? (JSON.parse(row.data) as { notes: string }).notes : undefined;
  };
  expect([n1, w2, w3].map((id) => notesOf(id!))).toEqual(['Bring the long ladder', 'Bring the long ladder', 'Bring the long ladder']);
  expect(notesOf(w0!)).toBe('');

  // Skip the third week: asked first, then gone from the board and the schedule.
  await page.goto(`${host.url}&date=2026-12-09`);
  await cardIn(page, tech!.id, w2!).click();
  const third = page.locator(`[data-panel="job"][data-booking-id="${w2}"]`);
  await third.locator('[data-action="skip-visit"]').click();
  await page.locator('[data-action="confirm-skip-visit"]').click();
  await expect(page.getByText('Visit skipped')).toBeVisible();
  await expect(third).toHaveCount(0);
  await expect.poll(() => visitOn(host, '2026-12-09')).toBeUndefined();
  await expect(cardIn(page, tech!.id, w2!)).toHaveCount(0);

  // End the series with the fourth week's visit: later visits go, the fourth stays.
  await page.goto(`${host.url}&date=2026-12-16`);
  await cardIn(page, tech!.id, w3!).click();
  const fourth = page.locator(`[data-panel="job"][data-booking-id="${w3}"]`);
  await fourth.locator('[data-action="end-series"]').click();
  await expect(page.locator('[data-dialog="end-series"]')).toContainText('becomes the last one');
  await page.locator('[data-action="confirm-end-series"]').click();
  await expect(fourth.locator('[data-series-rule]')).toContainText('until Dec 16');
  await expect.poll(() => visits(host).map((v) => v.id)).toEqual([w0, n1, w3]);
});
