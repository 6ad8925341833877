import type { Locator, Page } from '@playwright/test';
import { expect, DEMO_DATE, type Host } from './fixtures';

/** Board helpers shared by the specs: open on the demo day, find rows and cards, drag with a real mouse. */

/** The day after the demo "today": all Scheduled, what a dispatcher plans. */
export const PLAN_DATE = '2026-11-25';

export async function openBoard(page: Page, host: Host, date = DEMO_DATE): Promise<void> {
  await page.goto(`${host.url}&date=${date}`);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
}

export const lane = (page: Page, providerId: string) => page.locator(`.cl-timeline [data-lane-provider-id="${providerId}"]`);
export const cardIn = (page: Page, providerId: string, bookingId: string) =>
  lane(page, providerId).locator(`[data-booking-id="${bookingId}"]`);
export const anyCard = (page: Page, bookingId: string) => page.locator(`.cl-timeline [data-booking-id="${bookingId}"]`);
export const stagedBadge = (page: Page) => page.locator('[data-staged-count]');

/** The x of a wall-clock time on the visible day, from the hour labels of the timeline header. */
/** The time axis's label of an hour: "13:00" in a 24 h organization, "1 PM" in a 12 h one (the demo's). */
export function hourLabel(page: Page, hour: number) {
  const text = `${String(hour).padStart(2, '0')}:00`;
  const twelve = `${hour % 12 === 0 ? 12 : hour % 12}\\s?${hour < 12 ? 'AM' : 'PM'}`;
  return page.locator('.cl-timeline').getByText(new RegExp(`^(${text}|${twelve})$`, 'i'));
}

export async function timeX(page: Page, hhmm: string): Promise<number> {
  const label = async (hour: number) => {
    const box = await hourLabel(page, hour).first().boundingBox();
    if (!box) throw new Error(`no header label for hour ${hour}`);
    return box.x;
  };
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const at = await label(h);
  const next = await label(h + 1);
  // A little right of the slot line: the drop snaps to the 15-minute slot under the pointer.
  return at + ((next - at) * m) / 60 + 4;
}

export async function laneCenterY(page: Page, providerId: string): Promise<number> {
  const box = await lane(page, providerId).boundingBox();
  if (!box) throw new Error(`no lane for ${providerId}`);
  return box.y + box.height / 2;
}

/** A real pointer drag: press on the source, move in steps (so FullCalendar sees a drag), release. */
export async function drag(page: Page, source: Locator, to: { x: number; y: number }, grab: 'start' | 'center' | 'end' = 'start'): Promise<void> {
  const box = await source.boundingBox();
  if (!box) throw new Error('drag source is not visible');
  const from = {
    x: grab === 'start' ? box.x + 6 : grab === 'end' ? box.x + box.width - 2 : box.x + box.width / 2,
    y: box.y + Math.min(12, box.height / 2),
  };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 5, from.y + 5, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

export interface BookingRow {
  id: string;
  title: string;
  status: string;
  start_ms: number | null;
  end_ms: number | null;
  assignee_count: number;
  data: string;
}

export interface ProviderRow {
  id: string;
  name: string;
  active: number;
}

export const bookingsOn = (host: Host, date = DEMO_DATE) => {
  const from = Date.parse(`${date}T06:00:00Z`);
  return host.query<BookingRow>('SELECT * FROM bookings WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms', from, from + 86_400_000);
};
export const assigneesOf = (host: Host, bookingId: string) =>
  host.query<{ provider_id: string }>('SELECT provider_id FROM booking_assignees WHERE booking_id = ? ORDER BY provider_id', bookingId).map((r) => r.provider_id);
export const activeProviders = (host: Host) =>
  host.query<ProviderRow>('SELECT id, name, active FROM providers WHERE active = 1 ORDER BY sort_order, name');
export const drafts = (host: Pick<Host, 'query'>) =>
  host.query<{ booking_id: string; slot: string | null }>('SELECT booking_id, slot FROM draft_changes').map((r) => ({
    id: r.booking_id,
    slot: r.slot === null ? null : (JSON.parse(r.slot) as { start: string; end: string; assignees: string[] }),
  }));
