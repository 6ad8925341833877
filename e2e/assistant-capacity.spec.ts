import type { Page } from '@playwright/test';
import { createWebSocketClient, type SocketConstructor } from '../renderer/src/api/ws-client';
import { expect, test, DEMO_DATE, type Host } from './fixtures';

/**
 * Capacity at a glance (issue 19, part 4): the row label's bar and percentage, and the week overview's
 * cells, for a technician with time off on the demo day; an overbooked day stands out; a cell opens its day.
 * The figures are worked out by hand below from the hours, time off and jobs this spec sets up.
 */
test.use({ viewport: { width: 1280, height: 800 } });

/** Chicago wall-clock time on a November 2026 day (CST = UTC−6), by hand. */
const chi = (hhmm: string, day: number) => `2026-11-${day}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;
const WEEKDAY = [{ start: '08:00', end: '16:00' }]; // 8 h a day, Monday to Friday

/**
 * Kim works 08:00–16:00. Tuesday 24 (the demo's today): time off 12:00–16:00 leaves 4 h; one 3 h job
 * → 3 / 4 = 75%. Wednesday 25: 8 h + 2 h of jobs (the first one starts before her 08:00) → 10 / 8 = 125%,
 * overbooked, one conflict. Thursday 26: nothing → 0%, idle. Labor hours equal the slots, so the figures
 * hold with auto-resize on or off.
 */
async function setUp(host: Host): Promise<string> {
  const url = new URL(host.url);
  const client = createWebSocketClient({
    url: `ws://${url.host}/api?token=${url.searchParams.get('token')}`,
    WebSocket: globalThis.WebSocket as unknown as SocketConstructor,
  });
  const run = async (name: string, input: Record<string, unknown>) => {
    const r = await client.request('commands:run', { name, input } as never);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return (r as { ok: true; value: { id: string } }).value;
  };
  try {
    const { id } = await run('createProvider', {
      name: 'Kim Capacity',
      sortOrder: 0, // the first row: no scrolling to find it
      weeklyHours: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY, sat: [], sun: [] },
    });
    await run('addTimeOff', { providerId: id, start: chi('12:00', 24), end: chi('16:00', 24), reason: 'Dentist' });
    const job = (title: string, from: string, to: string, day: number, hours: number) =>
      run('createBooking', { title, laborHours: hours, slot: { start: chi(from, day), end: chi(to, day), assignees: [id] } });
    await job('Morning furnace check', '09:00', '12:00', 24, 3);
    await job('Boiler swap', '06:00', '14:00', 25, 8);
    await job('Late leak', '14:00', '16:00', 25, 2);
    return id;
  } finally {
    client.close();
  }
}

const label = (page: Page, id: string) => page.locator(`.cl-provider[data-provider-id="${id}"]`);
const cell = (page: Page, id: string, day: string) => page.locator(`[data-load-cell="${id}:${day}"]`);

test('a technician with time off shows the right utilization in the row label and the week overview', async ({ page, host }) => {
  const kim = await setUp(host);
  await page.goto(`${host.url}&date=${DEMO_DATE}`);
  const row = label(page, kim);

  // Day view of Tuesday: 3 h booked of 4 h available.
  const meter = row.locator('.cl-capacity');
  await expect(meter).toHaveAttribute('data-utilization', '75%');
  await expect(meter.locator('.cl-capacity__pct')).toHaveText('75%');
  await expect(meter).toHaveAttribute('aria-valuenow', '75');
  await expect(row.locator('.cl-capacity__words')).toHaveText('1 job · 3 of 4 h');
  await expect(meter).toHaveAttribute('title', /^Kim Capacity, Tue, Nov 24: 75% booked/);
  // The bar is drawn three quarters full.
  const bar = (await meter.locator('.cl-capacity__bar').boundingBox())!;
  const fill = (await meter.locator('.cl-capacity__fill').boundingBox())!;
  expect(fill.width / bar.width).toBeCloseTo(0.75, 1);
  await page.screenshot({ path: test.info().outputPath('day-labels-1280.png') });
  // A long name gives way to the figure: every row's percentage is inside the technicians' column.
  const lanes = (await page.locator(`.cl-timeline [data-lane-provider-id="${kim}"]`).boundingBox())!;
  const shown = await page.locator('.cl-capacity__pct').all();
  expect(shown.length).toBeGreaterThan(5);
  for (const pct of shown) {
    const box = await pct.boundingBox();
    if (box) expect(box.x + box.width, 'the percentage ends before the lanes start').toBeLessThanOrEqual(lanes.x);
  }

  // The week view's label shows today, and says so.
  await page.locator('[data-action="week-view"]').click();
  await expect(page.locator('.cl-board')).toHaveAttribute('data-view-kind', 'week');
  await expect(meter).toHaveAttribute('title', /^Kim Capacity, Today \(Tue, Nov 24\): 75% booked/);

  // The week overview: one readable column per day at 1280 px, Tuesday's cell at 75%.
  await page.locator('[data-action="week-load-view"]').click();
  await expect(page.locator('.cl-board')).toHaveAttribute('data-view-kind', 'load');
  await expect(page.locator('[data-action="week-load-view"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-board-title]')).toHaveText(/Nov 23\s*–\s*29, 2026/);
  const today = (await page.locator('[data-action="today"]').boundingBox())!;
  const discard = (await page.locator('[data-action="discard"]').boundingBox())!;
  expect(Math.abs(discard.y - today.y), 'the toolbar keeps to one row').toBeLessThan(4);
  await expect(page.getByRole('button', { name: 'Week load' })).toHaveAttribute('aria-pressed', 'true');
  const tuesday = cell(page, kim, '2026-11-24');
  await expect(tuesday).toHaveAttribute('data-utilization', '75%');
  await expect(tuesday).toHaveAttribute('data-band', 'normal');
  await expect(tuesday.locator('.cl-loadcell__pct')).toHaveText('75%');
  await expect(tuesday.locator('.cl-loadcell__meta')).toHaveText('1 job');
  await expect(tuesday.locator('.cl-loadcell__hours')).toHaveText('3 of 4 h');
  const monday = (await cell(page, kim, '2026-11-23').boundingBox())!;
  const sunday = (await cell(page, kim, '2026-11-29').boundingBox())!;
  expect(sunday.x + sunday.width, 'Sunday fits on screen without scrolling').toBeLessThanOrEqual(1280);
  expect(monday.width, 'a column wide enough to read').toBeGreaterThanOrEqual(80);
  // No job cards in the overview: the cells stand for them.
  await expect(page.locator('.cl-timeline [data-booking-id]')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('week-load-1280.png') });

  // The next week, a visit to another screen, and back: still the overview, of that week.
  await page.locator('[data-action="next"]').click();
  await expect(page.locator('.cl-board')).toHaveAttribute('data-first-day', '2026-11-30');
  await page.locator('[data-nav="providers"]').click();
  await expect(page.locator(`[data-screen="board"]`)).toBeHidden();
  await page.locator('[data-nav="board"]').click();
  await expect(page.locator('.cl-board')).toHaveAttribute('data-view-kind', 'load');
  await expect(page.locator('.cl-board')).toHaveAttribute('data-first-day', '2026-11-30');
  await expect(cell(page, kim, '2026-11-30')).toHaveAttribute('data-band', 'idle');
});

test('an overbooked day stands out, an idle one too, and a cell opens its day (mouse and keyboard)', async ({ page, host }) => {
  const kim = await setUp(host);
  await page.goto(`${host.url}&date=${DEMO_DATE}&view=load`);
  const wednesday = cell(page, kim, '2026-11-25');
  await expect(wednesday).toHaveAttribute('data-band', 'over');
  await expect(wednesday.locator('.cl-loadcell__pct')).toHaveText('125%');
  // In words, not by colour alone; and by its frame.
  await expect(wednesday.locator('.cl-loadcell__flag')).toHaveText('Overbooked');
  await expect(wednesday.locator('.cl-loadcell__meta')).toHaveText('2 jobs · 1 conflict');
  await expect(wednesday).toHaveAttribute('title', 'Kim Capacity, Wed, Nov 25: 125% booked, 10 of 8 h, 2 jobs · 1 conflict. Overbooked.');
  const frame = await wednesday.evaluate((el) => getComputedStyle(el).borderTopWidth);
  const tuesdayFrame = await cell(page, kim, '2026-11-24').evaluate((el) => getComputedStyle(el).borderTopWidth);
  expect(frame).not.toBe(tuesdayFrame);

  const thursday = cell(page, kim, '2026-11-26');
  await expect(thursday).toHaveAttribute('data-band', 'idle');
  await expect(thursday.locator('.cl-loadcell__flag')).toHaveText('Idle');
  await expect(cell(page, kim, '2026-11-28').locator('.cl-loadcell__flag')).toHaveText('Off');

  // A click on Wednesday's cell opens Wednesday's day view, where the row label is overbooked too.
  await wednesday.click();
  await expect(page.locator('.cl-board')).toHaveAttribute('data-view-kind', 'day');
  await expect(page.locator('.cl-board')).toHaveAttribute('data-first-day', '2026-11-25');
  const meter = label(page, kim).locator('.cl-capacity');
  await expect(meter).toHaveAttribute('data-capacity-band', 'over');
  await expect(meter.locator('.cl-capacity__pct')).toHaveText('125%');
  await expect(label(page, kim).locator('.cl-capacity__flag')).toHaveText('Overbooked');

  // Back to the overview with its key (L); a cell reached with Tab opens with Enter.
  await page.locator('.cl-timeline').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('l');
  await expect(page.locator('.cl-board')).toHaveAttribute('data-view-kind', 'load');
  const thursdayEvent = page.locator('.cl-loadcell-event').filter({ has: thursday });
  await thursdayEvent.focus();
  await expect(thursdayEvent).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.cl-board')).toHaveAttribute('data-view-kind', 'day');
  await expect(page.locator('.cl-board')).toHaveAttribute('data-first-day', '2026-11-26');
  await expect(label(page, kim).locator('.cl-capacity__flag')).toHaveText('Idle');
});

test('a staged edit updates the row label and the overview cell, and undo brings them back', async ({ page, host }) => {
  const kim = await setUp(host);
  const job = host.query<{ id: string }>("SELECT id FROM bookings WHERE title = 'Morning furnace check'")[0]!.id;
  await page.goto(`${host.url}&date=${DEMO_DATE}`);
  const meter = label(page, kim).locator('.cl-capacity');
  await expect(meter).toHaveAttribute('data-utilization', '75%');

  // Unassign Kim's only Tuesday job (staged, not saved): 0 of 4 h, idle.
  await page.locator(`.cl-timeline [data-lane-provider-id="${kim}"] [data-booking-id="${job}"]`).click();
  await page.keyboard.press('Escape'); // closes the job panel; the card stays selected
  await page.keyboard.press('u');
  await expect(page.locator('[data-staged-count]')).toHaveAttribute('data-staged-count', '1');
  await expect(meter).toHaveAttribute('data-utilization', '0%');
  await expect(label(page, kim).locator('.cl-capacity__flag')).toHaveText('Idle');
  await expect(label(page, kim).locator('.cl-capacity__words')).toHaveText('Idle 0 jobs · 0 of 4 h');

  // The overview judges the board as the dispatcher sees it, staged edits applied; undo there repaints it.
  await page.keyboard.press('l');
  const tuesday = cell(page, kim, '2026-11-24');
  await expect(tuesday).toHaveAttribute('data-utilization', '0%');
  await page.keyboard.press('Control+z');
  await expect(page.locator('[data-staged-count]')).toHaveAttribute('data-staged-count', '0');
  await expect(tuesday).toHaveAttribute('data-utilization', '75%');
  await expect(meter).toHaveAttribute('data-utilization', '75%');
});
