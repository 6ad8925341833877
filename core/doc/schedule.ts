import * as Y from 'yjs';
import type { Booking, HistoryEntry } from '../model';
import type { SlotState } from '../notifications/save-audience';
import { BOOKING_GROUPS, BOOKING_LEGACY_FIELDS } from './groups';
import { historyEntryProblem } from './record-checks';
import { readableEntries, readableRecord, readGroups } from './records';
import { passOver } from './unreadable';

/** Schedule document `org/<orgId>/schedule`: open and recently closed bookings (docs/design.md §4). */
export { BOOKING_GROUPS } from './groups';

export interface ArchiveMarker {
  archivedAt: string;
}

export interface NotificationRequest {
  id: string;
  createdAt: string;
  by: { id: string; name: string };
  /** What was saved; the worker turns each into messages for the chosen audiences. */
  bookingIds: string[];
  notifyProviders: boolean;
  notifyCustomers: boolean;
  reason: 'save' | 'send_to_tech';
  /**
   * Each saved job's slot just before and after the Save (the worker tells technicians what changed from
   * this, not from what it last saw). Absent in requests written before it existed.
   */
  changes?: Array<{ id: string; before: SlotState | null; after: SlotState | null }>;
  /**
   * Made in a workspace not yet linked to any server (the desktop says so when it saves): nobody was told
   * then, and the worker logs it as skipped when an upload brings it, rather than send old news. Absent in
   * requests written before it existed, which the worker judges by whether its first look at the
   * organization found them.
   */
  beforeLink?: boolean;
}

export const scheduleMaps = (doc: Y.Doc) => ({
  bookings: doc.getMap<Y.Map<unknown>>('bookings'),
  /** bookingId -> append-only Y.Array of entries; outside the undo scope, so undo never erases history. */
  history: doc.getMap<Y.Array<HistoryEntry>>('history'),
  /** bookingId -> marker: replicas keep the booking as a read-only archive row instead of deleting it. */
  archived: doc.getMap<ArchiveMarker>('archived'),
  notificationRequests: doc.getMap<NotificationRequest>('notificationRequests'),
});

export function readBooking(id: string, record: Y.Map<unknown>): Booking {
  const raw = readGroups(record, BOOKING_GROUPS, BOOKING_LEGACY_FIELDS) as Partial<Booking>;
  return {
    id,
    title: raw.title ?? '',
    customerId: raw.customerId ?? null,
    serviceId: raw.serviceId ?? null,
    priority: raw.priority ?? 'normal',
    teamSize: raw.teamSize ?? 1,
    laborHours: raw.laborHours ?? 1,
    location: raw.location ?? { address: '', coordinates: null },
    arrivalWindow: raw.arrivalWindow ?? null,
    notes: raw.notes ?? '',
    slot: raw.slot ?? null,
    status: raw.status ?? 'unscheduled',
    statusChanged: raw.statusChanged ?? null,
    statusNote: raw.statusNote ?? '',
    dispatched: raw.dispatched ?? null,
    created: raw.created ?? { at: '1970-01-01T00:00:00Z', by: { id: '', name: '' } },
    slotMove: raw.slotMove ?? null,
  };
}

/** The booking, if it is there and readable (`readableRecord`: one that is not is passed over). */
export function getBooking(doc: Y.Doc, id: string): Booking | undefined {
  const record = readableRecord('bookings', scheduleMaps(doc).bookings, id);
  return record ? readBooking(id, record) : undefined;
}

export const listBookings = (doc: Y.Doc): Booking[] =>
  readableEntries('bookings', scheduleMaps(doc).bookings).map(([id, r]) => readBooking(id, r));

export function readHistory(doc: Y.Doc, bookingId: string): HistoryEntry[] {
  return historyOf(scheduleMaps(doc).history.get(bookingId), bookingId);
}

/**
 * A booking's history log, if the value under its key is one (see `recordOf`), without entries that are
 * not history entries (passed over and reported, like unreadable records).
 */
export function historyOf(log: unknown, bookingId = ''): HistoryEntry[] {
  if (!(log instanceof Y.Array)) return [];
  const entries: HistoryEntry[] = [];
  for (const entry of log.toArray() as unknown[]) {
    const problem = historyEntryProblem(entry);
    if (problem) passOver('history of booking', bookingId, problem);
    else entries.push(entry as HistoryEntry);
  }
  return entries;
}
