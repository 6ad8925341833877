import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { changedPlaces } from '../../../core/doc/changes';
import { recordsStampedWith, stampsClampedIn } from '../../../core/doc/clamps';
import { archiveMarkerProblem, recordProblem, type RecordCollection } from '../../../core/doc/record-checks';
import {
  effectiveStatus,
  historyOf,
  readBooking,
  readCustomer,
  readProvider,
  readService,
  rosterMaps,
  scheduleMaps,
  toMs,
  type ArchiveMarker,
  type Booking,
  type HistoryEntry,
} from '../../../core/index';
import { PROJECTION_TABLES } from './schema';
import type { DocName } from './doc-log';
import { storeWarning } from './store-warnings';

export type Collection = 'providers' | 'customers' | 'services' | 'bookings' | 'settings';
export type DirtySet = Record<Collection, Set<string>>;

export const emptyDirty = (): DirtySet => ({
  providers: new Set(),
  customers: new Set(),
  services: new Set(),
  bookings: new Set(),
  settings: new Set(),
});

/** Which top-level map of which doc a collection lives in; `history` changes dirty their booking. */
const TOP_LEVEL: Record<DocName, Record<string, Collection>> = {
  roster: { providers: 'providers', customers: 'customers', services: 'services', settings: 'settings' },
  schedule: { bookings: 'bookings', history: 'bookings', archived: 'bookings' },
};

/** The maps of each doc whose records hold stamped group entries. */
const STAMPED: Record<DocName, Collection[]> = {
  roster: ['providers', 'customers', 'services'],
  schedule: ['bookings'],
};

/**
 * Finds the records a transaction touched: a change deep inside a record (a group value, a time-off entry,
 * a history push) is traced up to the record's key in its top-level map (`changedPlaces`). A clamp the
 * server recorded touches no record but can change the winner of any record holding its stamp.
 */
export function collectDirty(docName: DocName, tr: Y.Transaction, into: DirtySet): void {
  const names = TOP_LEVEL[docName];
  for (const place of changedPlaces(tr)) {
    const collection = names[place.top];
    if (!collection) continue;
    if (place.path.length === 0) {
      for (const key of place.keys) if (key !== null) into[collection].add(key);
    } else if (place.path[0] !== null && place.path[0] !== undefined) into[collection].add(place.path[0]);
  }
  const clamped = stampsClampedIn(tr);
  if (clamped.size === 0) return;
  for (const collection of STAMPED[docName]) {
    for (const id of recordsStampedWith(tr.doc.getMap<unknown>(collection), clamped)) into[collection].add(id);
  }
}

export interface BookingRow {
  data: string;
  history: string;
}

/** Maintains the read tables from the documents, inside whatever transaction the caller holds. */
export class Projection {
  private readonly stmts;
  /** The longest booking seen; bounds how far back a range query must look for overlaps. */
  maxDurationMs = 0;
  /**
   * Parsed bookings by id, kept in step with the `bookings` table so hot queries skip JSON.parse
   * (a week at 200 × 10k went from ~22 ms to a few ms). Filled lazily from rows after a reopen.
   */
  readonly bookingCache = new Map<string, Booking>();
  /** Records left out of the read tables and logged, so each is logged once. */
  private readonly reported = new Set<string>();

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      upsertProvider: db.prepare(
        'INSERT OR REPLACE INTO providers (id, name, active, sort_order, data) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteProvider: db.prepare('DELETE FROM providers WHERE id = ?'),
      upsertCustomer: db.prepare('INSERT OR REPLACE INTO customers (id, name, data) VALUES (?, ?, ?)'),
      deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ?'),
      upsertService: db.prepare('INSERT OR REPLACE INTO services (id, name, data) VALUES (?, ?, ?)'),
      deleteService: db.prepare('DELETE FROM services WHERE id = ?'),
      upsertBooking: db.prepare(
        `INSERT OR REPLACE INTO bookings (id, title, customer_id, status, start_ms, end_ms, assignee_count, address, data, history)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteBooking: db.prepare('DELETE FROM bookings WHERE id = ?'),
      deleteAssignees: db.prepare('DELETE FROM booking_assignees WHERE booking_id = ?'),
      insertAssignee: db.prepare(
        'INSERT OR REPLACE INTO booking_assignees (provider_id, start_ms, booking_id, end_ms) VALUES (?, ?, ?, ?)',
      ),
      selectBookingRow: db.prepare('SELECT data, history FROM bookings WHERE id = ?'),
      archive: db.prepare(
        `INSERT OR REPLACE INTO archive_bookings (id, title, customer_id, status, start_ms, end_ms, archived_at, data, history)
         SELECT id, title, customer_id, status, start_ms, end_ms, ?, data, history FROM bookings WHERE id = ?`,
      ),
      maxDuration: db.prepare('SELECT coalesce(max(end_ms - start_ms), 0) FROM bookings').pluck(),
    };
    this.maxDurationMs = this.stmts.maxDuration.get() as number;
  }

  /**
   * A record that does not read as one (wrong types written by a peer, or in a restored backup) gets no
   * row, as if it were not there: the board and queries never answer it, and syncing goes on.
   */
  apply(docs: Record<DocName, Y.Doc>, dirty: DirtySet): void {
    const roster = rosterMaps(docs.roster);
    for (const id of dirty.providers) {
      const record = this.readable('providers', roster.providers, id);
      if (!record) this.stmts.deleteProvider.run(id);
      else {
        const p = readProvider(id, record);
        this.stmts.upsertProvider.run(id, p.name, p.active ? 1 : 0, p.sortOrder, JSON.stringify(p));
      }
    }
    for (const id of dirty.customers) {
      const record = this.readable('customers', roster.customers, id);
      if (!record) this.stmts.deleteCustomer.run(id);
      else {
        const c = readCustomer(id, record);
        this.stmts.upsertCustomer.run(id, c.name, JSON.stringify(c));
      }
    }
    for (const id of dirty.services) {
      const record = this.readable('services', roster.services, id);
      if (!record) this.stmts.deleteService.run(id);
      else {
        const s = readService(id, record);
        this.stmts.upsertService.run(id, s.name, JSON.stringify(s));
      }
    }
    if (dirty.bookings.size === 0) return;
    const schedule = scheduleMaps(docs.schedule);
    for (const id of dirty.bookings) {
      const record = this.readable('bookings', schedule.bookings, id);
      if (record) {
        this.writeBooking(readBooking(id, record), historyOf(schedule.history.get(id), id));
        continue;
      }
      const marker: unknown = schedule.archived.get(id);
      const markerProblem = marker === undefined ? null : archiveMarkerProblem(marker);
      if (markerProblem) this.skipped('archive marker', id, markerProblem);
      // Archived bookings stay as read-only rows; anything else that left the document is gone.
      else if (marker) this.stmts.archive.run((marker as ArchiveMarker).archivedAt, id);
      this.stmts.deleteBooking.run(id);
      this.bookingCache.delete(id);
      this.stmts.deleteAssignees.run(id);
    }
  }

  /** The record under `id` if it reads as one; one that does not is logged (once) and treated as absent. */
  private readable(collection: RecordCollection, map: Y.Map<Y.Map<unknown>>, id: string): Y.Map<unknown> | undefined {
    const value: unknown = map.get(id);
    if (value === undefined) return undefined;
    const problem = recordProblem(collection, value);
    if (problem === null) return value as Y.Map<unknown>;
    this.skipped(collection.slice(0, -1), id, problem);
    return undefined;
  }

  private skipped(kind: string, id: string, problem: string): void {
    const key = `${kind} ${id}: ${problem}`;
    if (this.reported.has(key)) return;
    if (this.reported.size >= 10_000) this.reported.clear();
    this.reported.add(key);
    storeWarning({ kind, id, problem });
  }

  private writeBooking(b: Booking, history: HistoryEntry[]): void {
    const start = b.slot ? toMs(b.slot.start) : null;
    const end = b.slot ? toMs(b.slot.end) : null;
    const status = effectiveStatus(b.status, b.slot);
    const stored = { ...b, status };
    this.stmts.upsertBooking.run(
      b.id,
      b.title,
      b.customerId,
      status,
      start,
      end,
      b.slot?.assignees.length ?? 0,
      b.location.address,
      JSON.stringify(stored),
      JSON.stringify(history),
    );
    this.bookingCache.set(b.id, stored);
    this.stmts.deleteAssignees.run(b.id);
    if (b.slot && start !== null && end !== null) {
      for (const providerId of b.slot.assignees) this.stmts.insertAssignee.run(providerId, start, b.id, end);
      this.maxDurationMs = Math.max(this.maxDurationMs, end - start);
    }
  }

  /** Drops and recomputes every projected row from the documents (the archive is left alone). */
  rebuild(docs: Record<DocName, Y.Doc>): void {
    for (const table of PROJECTION_TABLES) this.db.exec(`DELETE FROM ${table}`);
    const dirty = emptyDirty();
    const roster = rosterMaps(docs.roster);
    for (const id of roster.providers.keys()) dirty.providers.add(id);
    for (const id of roster.customers.keys()) dirty.customers.add(id);
    for (const id of roster.services.keys()) dirty.services.add(id);
    for (const id of scheduleMaps(docs.schedule).bookings.keys()) dirty.bookings.add(id);
    this.maxDurationMs = 0;
    this.bookingCache.clear();
    this.apply(docs, dirty);
  }
}
