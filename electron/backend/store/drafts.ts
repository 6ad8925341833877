import type Database from 'better-sqlite3';
import type { Slot } from '../../../core/index';
import { systemClock, type Clock } from '../../../core/clock';

/**
 * The board's staged edits (docs/design.md §5): a new slot per booking, held in the workspace file so a crash or
 * restart never loses them, and never put in the synced documents until Save.
 */
export class DraftStore {
  private readonly stmts;
  private readonly stageAll: (entries: ReadonlyArray<{ id: string; slot: Slot | null; discard: boolean }>) => void;

  constructor(
    db: Database.Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.stmts = {
      all: db.prepare('SELECT booking_id AS id, slot FROM draft_changes ORDER BY staged_at, rowid'),
      count: db.prepare('SELECT count(*) FROM draft_changes').pluck(),
      upsert: db.prepare('INSERT OR REPLACE INTO draft_changes (booking_id, slot, staged_at) VALUES (?, ?, ?)'),
      deleteOne: db.prepare('DELETE FROM draft_changes WHERE booking_id = ?'),
      deleteAll: db.prepare('DELETE FROM draft_changes'),
    };
    this.stageAll = db.transaction((entries) => {
      for (const e of entries) {
        if (e.discard) this.stmts.deleteOne.run(e.id);
        else this.stage(e.id, e.slot);
      }
    });
  }

  /** Staged slots by booking id, in the order they were staged. */
  list(): Map<string, Slot | null> {
    const rows = this.stmts.all.all() as Array<{ id: string; slot: string | null }>;
    return new Map(rows.map((r) => [r.id, r.slot === null ? null : (JSON.parse(r.slot) as Slot)]));
  }

  count(): number {
    return this.stmts.count.get() as number;
  }

  stage(bookingId: string, slot: Slot | null): void {
    this.stmts.upsert.run(bookingId, slot === null ? null : JSON.stringify(slot), this.clock());
  }

  /**
   * Several edits at once, all or none (the schedule assistant's filled day or reordered route); `discard`
   * entries go back to the saved slot.
   */
  stageMany(entries: ReadonlyArray<{ id: string; slot: Slot | null; discard: boolean }>): void {
    this.stageAll(entries);
  }

  discard(bookingId?: string): void {
    if (bookingId) this.stmts.deleteOne.run(bookingId);
    else this.stmts.deleteAll.run();
  }
}
