import * as Y from 'yjs';
import type { Booking, HistoryEntry } from '../model';
import { readGroups, recordEntries, recordOf, type GroupSpec } from './records';

/** Schedule document `org/<orgId>/schedule`: open and recently closed bookings (DESIGN §4). */
export const BOOKING_GROUPS = {
  details: ['title', 'customerId', 'serviceId', 'priority', 'teamSize', 'laborHours'],
  location: ['location'],
  arrival: ['arrivalWindow'],
  notes: ['notes'],
  /** start, end and assignees: one value, so two offline moves never merge into a chimera. */
  slot: ['slot', 'slotMove'],
  status: ['status', 'statusChanged'],
  /** Its own group: a technician's "running late" note must not re-write (and so undo) a concurrent cancel. */
  statusNote: ['statusNote'],
  dispatch: ['dispatched'],
  created: ['created'],
} as const satisfies GroupSpec;

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
  const raw = readGroups(record, BOOKING_GROUPS) as Partial<Booking>;
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

export function getBooking(doc: Y.Doc, id: string): Booking | undefined {
  const record = recordOf(scheduleMaps(doc).bookings, id);
  return record ? readBooking(id, record) : undefined;
}

export const listBookings = (doc: Y.Doc): Booking[] =>
  recordEntries(scheduleMaps(doc).bookings).map(([id, r]) => readBooking(id, r));

export function readHistory(doc: Y.Doc, bookingId: string): HistoryEntry[] {
  return historyOf(scheduleMaps(doc).history.get(bookingId));
}

/** A booking's history log, if the value under its key is one (see `recordOf`). */
export function historyOf(log: unknown): HistoryEntry[] {
  return log instanceof Y.Array ? (log.toArray() as HistoryEntry[]) : [];
}
