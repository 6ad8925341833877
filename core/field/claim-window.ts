import { addDays, dayBoundsMs, localDateOf, type LocalDate } from '../time';
import { dateLabel } from '../format';

/**
 * Self-dispatch's window (docs/design.md §7): a technician is offered, and may claim, the open jobs that start from
 * the beginning of today to the end of the 13th day after it, days counted in the organization's zone by
 * the server's clock. One rule for the "available" list and for `claimJob`, so a job the list no longer
 * shows (its day is over) or does not show yet cannot be taken by calling the claim directly.
 */

/** How many days, today included, self-dispatch offers jobs for. */
export const AVAILABLE_DAYS = 14;

/** The window as epoch ms: [start of `today`, start of the day `days` later). */
export function availableWindowMs(today: LocalDate, zone: string, days = AVAILABLE_DAYS): [number, number] {
  return [dayBoundsMs(today, zone)[0], dayBoundsMs(addDays(today, days), zone)[0]];
}

/** "Monday, November 23": a local date as a technician reads it (core/format.ts, Intl). */
const dayLabel = (date: LocalDate): string => dateLabel(date, 'weekdayLong');

/**
 * Why a job starting at `startMs` cannot be claimed on `today`, as a sentence for the technician; null when
 * it is inside the window.
 */
export function outsideAvailableWindow(startMs: number, today: LocalDate, zone: string, days = AVAILABLE_DAYS): string | null {
  const [from, to] = availableWindowMs(today, zone, days);
  if (startMs >= from && startMs < to) return null;
  const date = localDateOf(startMs, zone);
  if (startMs < from) return `This job was on ${dayLabel(date)}; that day is over, so it can no longer be claimed`;
  return `This job on ${dayLabel(date)} is not open for claiming yet: it can be claimed from ${dayLabel(addDays(date, -(days - 1)))}`;
}
