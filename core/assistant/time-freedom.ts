import type { Booking } from '../model';
import { dayBoundsMs, localDateOf, toMs, type LocalDate } from '../time';

/**
 * How far the schedule assistant may move a job in time, one rule for suggestions, filled days and
 * reordered routes (docs/design.md §3): within its day; inside the customer's arrival window when it has
 * one; not at all once it has been sent to its technician (they were told a time) or when it is a crew's
 * job and only one member's route is being reordered.
 */
export type TimeFreedom =
  | { kind: 'fixed'; start: number; reason: string }
  /** The job may start at any instant in [from, to] (its length then follows). */
  | { kind: 'free'; from: number; to: number };

const SENT = new Set(['dispatched', 'en_route', 'in_progress', 'completed']);

/**
 * `day`: the local date being planned (a job without a date goes there). `forRoute`: reordering one
 * provider's stops, where a crew's job stays where the crew has it.
 */
export function timeFreedom(booking: Booking, day: LocalDate, zone: string, forRoute = false): TimeFreedom {
  if (booking.slot && SENT.has(booking.status)) {
    return { kind: 'fixed', start: toMs(booking.slot.start), reason: 'Already sent to the technician' };
  }
  if (forRoute && booking.slot && booking.slot.assignees.length > 1) {
    return { kind: 'fixed', start: toMs(booking.slot.start), reason: 'A crew job: its time is the whole crew’s' };
  }
  const date = booking.slot ? localDateOf(toMs(booking.slot.start), zone) : day;
  const [dayStart, dayEnd] = dayBoundsMs(date, zone);
  if (booking.arrivalWindow) {
    const from = Math.max(dayStart, toMs(booking.arrivalWindow.start));
    const to = Math.min(dayEnd - 1, toMs(booking.arrivalWindow.end));
    if (to >= from) return { kind: 'free', from, to };
    // A window on another day than the job's: the dispatcher placed it on purpose; leave it.
    return { kind: 'fixed', start: toMs(booking.slot?.start ?? booking.arrivalWindow.start), reason: 'Its arrival window is on another day' };
  }
  return { kind: 'free', from: dayStart, to: dayEnd - 1 };
}
