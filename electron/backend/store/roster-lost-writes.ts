import type Database from 'better-sqlite3';
import {
  parseRosterLostWriteText,
  ROSTER_CONFLICT_LOST_ACTION,
  type RosterLostWrite,
  type RosterRecordKind,
} from '../../../core/doc/roster-lost-writes';

interface Row {
  entry_id: string;
  booking_id: string;
  at: string;
  summary: string;
}

/** What a mark is filed under: `roster/<kind>/<id>` never matches a booking id (ids have no slash). */
export const rosterMarkKey = (kind: RosterRecordKind, id: string): string => `roster/${kind}/${id}`;

/**
 * Marks for this desktop's roster-record writes that lost a conflict, kept until the user says "Got it".
 * They share `offline_changes` with the jobs' marks (one mechanism: written inside the store write that
 * applied the winner, emptied with the workspace by a replace), filed under a roster key and their own
 * action so the jobs' readers never see them.
 */
export class RosterLostWrites {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO offline_changes (entry_id, booking_id, by_id, by_name, at, action, summary)
         VALUES (?, ?, '', '', ?, ?, ?)`,
      ),
      all: db.prepare('SELECT * FROM offline_changes WHERE action = ? AND booking_id LIKE ? ORDER BY booking_id, at, entry_id'),
      dismiss: db.prepare('DELETE FROM offline_changes WHERE action = ? AND booking_id = ?'),
      withdraw: db.prepare('DELETE FROM offline_changes WHERE action = ? AND booking_id = ? AND entry_id IN (SELECT value FROM json_each(?))'),
    };
  }

  add(kind: RosterRecordKind, id: string, marks: ReadonlyArray<{ entryId: string; at: string; summary: string }>): void {
    for (const m of marks) this.stmts.insert.run(m.entryId, rosterMarkKey(kind, id), m.at, ROSTER_CONFLICT_LOST_ACTION, m.summary);
  }

  /** Every mark, or those of one kind of record. */
  list(kind?: RosterRecordKind): RosterLostWrite[] {
    const rows = this.stmts.all.all(ROSTER_CONFLICT_LOST_ACTION, kind ? `roster/${kind}/%` : 'roster/%') as Row[];
    return rows.flatMap((r) => {
      const [, k, recordId] = r.booking_id.split('/') as [string, RosterRecordKind, string];
      const sides = parseRosterLostWriteText(r.summary) ?? { kept: 'the other change', lost: r.summary };
      return [{ kind: k, recordId, entryId: r.entry_id, at: r.at, ...sides }];
    });
  }

  /** Removes these marks of the record (a lost write that wins again); returns how many there were. */
  withdraw(kind: RosterRecordKind, id: string, entryIds: readonly string[]): number {
    if (entryIds.length === 0) return 0;
    return this.stmts.withdraw.run(ROSTER_CONFLICT_LOST_ACTION, rosterMarkKey(kind, id), JSON.stringify(entryIds)).changes;
  }

  /** Returns how many marks the record had. */
  dismiss(kind: RosterRecordKind, id: string): number {
    return this.stmts.dismiss.run(ROSTER_CONFLICT_LOST_ACTION, rosterMarkKey(kind, id)).changes;
  }
}
