import type Database from 'better-sqlite3';
import type { HistoryEntry } from '../../../core/index';
import type { OfflineChange } from '../../../core/sync/client-status';

export interface OfflineChangeFilter {
  bookingId?: string;
  /** Epoch ms: bookings whose slot overlaps [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
}

interface Row {
  entry_id: string;
  booking_id: string;
  by_id: string;
  by_name: string;
  at: string;
  action: string;
  summary: string;
}

/**
 * "Changed by X while you were offline" markers (`offline_changes`): history entries of bookings that
 * arrived in a reconnect's handshake, kept until the user opens or dismisses the job. Written inside the
 * store write that applied them, so a marker exists exactly when its change does.
 */
export class OfflineChanges {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO offline_changes (entry_id, booking_id, by_id, by_name, at, action, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Roster records' marks share the table (roster-lost-writes.ts); they are not a job's.
      all: db.prepare("SELECT * FROM offline_changes WHERE booking_id NOT LIKE 'roster/%' ORDER BY booking_id, at, entry_id"),
      ofBooking: db.prepare('SELECT * FROM offline_changes WHERE booking_id = ? ORDER BY at, entry_id'),
      inRange: db.prepare(
        `SELECT o.* FROM offline_changes o JOIN bookings b ON b.id = o.booking_id
         WHERE b.start_ms < ? AND b.end_ms > ? ORDER BY o.booking_id, o.at, o.entry_id`,
      ),
      dismiss: db.prepare('DELETE FROM offline_changes WHERE booking_id = ?'),
      withdraw: db.prepare('DELETE FROM offline_changes WHERE booking_id = ? AND entry_id IN (SELECT value FROM json_each(?))'),
      deleteAll: db.prepare('DELETE FROM offline_changes'),
    };
  }

  add(bookingId: string, entries: readonly HistoryEntry[]): void {
    for (const e of entries) {
      this.stmts.insert.run(e.id, bookingId, e.by.id, e.by.name, e.at, e.action, e.summary);
    }
  }

  list(filter: OfflineChangeFilter = {}): OfflineChange[] {
    let rows: Row[];
    if (filter.bookingId !== undefined) rows = this.stmts.ofBooking.all(filter.bookingId) as Row[];
    else if (filter.fromMs !== undefined && filter.toMs !== undefined) rows = this.stmts.inRange.all(filter.toMs, filter.fromMs) as Row[];
    else rows = this.stmts.all.all() as Row[];
    return rows.map((r) => ({
      bookingId: r.booking_id,
      entryId: r.entry_id,
      by: { id: r.by_id, name: r.by_name },
      at: r.at,
      action: r.action,
      summary: r.summary,
    }));
  }

  /** Returns how many markers the booking had. */
  dismiss(bookingId: string): number {
    return this.stmts.dismiss.run(bookingId).changes;
  }

  /** Removes these markers of the booking (a lost write that wins again); returns how many there were. */
  withdraw(bookingId: string, entryIds: readonly string[]): number {
    // One statement per booking: a sync message names every winning entry of ours it touched, nearly all unmarked.
    return entryIds.length === 0 ? 0 : this.stmts.withdraw.run(bookingId, JSON.stringify(entryIds)).changes;
  }

  clear(): void {
    this.stmts.deleteAll.run();
  }
}
