import type { Booking, Coordinates } from '../model';
import { effectiveStatus, STATUS_LABELS } from '../status';
import { formatterFor } from '../format';
import { DAY_MS, toMs } from '../time';
import { isAssignedTo, type FieldWorld } from './field-jobs';

/**
 * A provider's calendar feed (docs/design.md §7) as plain entries; the sync server writes them as RFC 5545.
 *
 * - UID: `<booking id>@crewline`, stable for the booking's life, so a calendar updates the event in place.
 * - SEQUENCE: how many entries the booking's history holds. The history is append-only and every change of
 *   time, place, team or status appends to it (core/commands), so the number only grows, the same on every
 *   replica and on every request, with nothing stored. It also grows for changes a calendar does not show
 *   (a note): RFC 5545 asks for an increase on significant changes and allows more.
 * - Cancelled jobs stay CANCELLED for `CANCELLED_KEPT_DAYS` after the cancellation, so subscribed calendars
 *   see the cancellation before the event leaves the feed.
 * - Times are instants (UTC); the organization's zone only shapes the text (arrival window).
 */

export const CANCELLED_KEPT_DAYS = 14;
/** Jobs that ended longer ago than this are left out, so the feed stays small. */
export const PAST_DAYS = 60;

export type CalendarEntryStatus = 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED';

export interface CalendarEntry {
  uid: string;
  sequence: number;
  start: string;
  end: string;
  summary: string;
  location: string;
  coordinates: Coordinates | null;
  description: string;
  status: CalendarEntryStatus;
  /** The last change to the booking (its newest history entry). */
  lastModified: string;
  created: string;
}

/** What the feed needs of a booking's history: how long it is and when it last grew. */
export interface HistoryDigest {
  count: number;
  lastAt: string | null;
}

export const calendarUid = (bookingId: string): string => `${bookingId}@crewline`;

export function calendarEntries(
  world: FieldWorld,
  providerId: string,
  nowMs: number,
  history: (bookingId: string) => HistoryDigest,
): CalendarEntry[] {
  const fmt = formatterFor(world.settings);
  const customers = new Map(world.customers.map((c) => [c.id, c]));
  const services = new Map(world.services.map((s) => [s.id, s]));
  const names = new Map(world.providers.map((p) => [p.id, p.name]));
  const pastCutoff = nowMs - PAST_DAYS * DAY_MS;
  const cancelledCutoff = nowMs - CANCELLED_KEPT_DAYS * DAY_MS;

  const included = (b: Booking): boolean => {
    if (!isAssignedTo(b, providerId) || toMs(b.slot!.end) < pastCutoff) return false;
    const status = effectiveStatus(b.status, b.slot);
    if (status === 'unscheduled') return false;
    if (status === 'cancelled') return toMs(b.statusChanged?.at ?? b.created.at) >= cancelledCutoff;
    return true;
  };

  return world.bookings
    .filter(included)
    .sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start) || a.id.localeCompare(b.id))
    .map((b): CalendarEntry => {
      const status = effectiveStatus(b.status, b.slot);
      const customer = b.customerId ? customers.get(b.customerId) : undefined;
      const service = b.serviceId ? services.get(b.serviceId) : undefined;
      const team = b.slot!.assignees.filter((id) => id !== providerId).map((id) => names.get(id) ?? 'Unknown provider');
      const digest = history(b.id);
      const lines = [
        `Status: ${STATUS_LABELS[status]}${b.statusNote ? ` (${b.statusNote})` : ''}`,
        customer ? `Customer: ${customer.name}${customer.phone ? `, ${customer.phone}` : ''}` : null,
        b.arrivalWindow ? `Arrival window: ${fmt.timeRange(toMs(b.arrivalWindow.start), toMs(b.arrivalWindow.end))}` : null,
        service ? `Service: ${service.name}` : null,
        team.length > 0 ? `With: ${fmt.list(team)}` : null,
        customer?.notes ? `Access: ${customer.notes}` : null,
        b.notes ? `Notes: ${b.notes}` : null,
      ];
      const atCustomer = !b.location.address || b.location.address === customer?.address;
      return {
        uid: calendarUid(b.id),
        sequence: digest.count,
        start: b.slot!.start,
        end: b.slot!.end,
        summary: status === 'cancelled' ? `Cancelled: ${b.title}` : b.title,
        location: b.location.address || customer?.address || '',
        coordinates: b.location.coordinates ?? (atCustomer ? (customer?.coordinates ?? null) : null),
        description: lines.filter((line): line is string => line !== null).join('\n'),
        status: status === 'cancelled' ? 'CANCELLED' : status === 'scheduled' ? 'TENTATIVE' : 'CONFIRMED',
        lastModified: latest([digest.lastAt, b.statusChanged?.at ?? null, b.created.at]),
        created: b.created.at,
      };
    });
}

function latest(instants: ReadonlyArray<string | null>): string {
  let best: string | null = null;
  for (const at of instants) if (at && (best === null || toMs(at) > toMs(best))) best = at;
  return best ?? '1970-01-01T00:00:00Z';
}
