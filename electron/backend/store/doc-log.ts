import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { systemClock, type Clock } from '../../../core/clock';

export type DocName = 'roster' | 'schedule';
export const DOC_NAMES: readonly DocName[] = ['roster', 'schedule'];

/**
 * The durable form of a Y.Doc: the last compacted snapshot plus every update appended since
 * (AFFiNE's model). Appends happen inside the caller's transaction, next to the projection rows.
 */
export class DocLog {
  private readonly insert: Database.Statement;
  private readonly selectUpdates: Database.Statement;
  private readonly selectSnapshot: Database.Statement;
  private readonly upsertSnapshot: Database.Statement;
  private readonly deleteThrough: Database.Statement;
  private readonly maxId: Database.Statement;
  private readonly countSince: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.insert = db.prepare('INSERT INTO doc_updates (doc, data, origin, at) VALUES (?, ?, ?, ?)');
    this.selectUpdates = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY id').pluck();
    this.selectSnapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').pluck();
    this.upsertSnapshot = db.prepare(
      `INSERT INTO doc_snapshots (doc, data, through_id, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_id = excluded.through_id, at = excluded.at`,
    );
    this.deleteThrough = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?');
    this.maxId = db.prepare('SELECT max(id) FROM doc_updates WHERE doc = ?').pluck();
    this.countSince = db.prepare('SELECT count(*) FROM doc_updates WHERE doc = ?').pluck();
  }

  append(doc: DocName, update: Uint8Array, origin: string): void {
    this.insert.run(doc, Buffer.from(update.buffer, update.byteOffset, update.byteLength), origin, this.clock());
  }

  /** Snapshot and log merged into one update, applied once: far cheaper than replaying row by row. */
  load(doc: DocName): Uint8Array | null {
    const snapshot = this.selectSnapshot.get(doc) as Buffer | undefined;
    const updates = this.selectUpdates.all(doc) as Buffer[];
    const parts = snapshot ? [snapshot, ...updates] : updates;
    if (parts.length === 0) return null;
    return parts.length === 1 ? new Uint8Array(parts[0]!) : Y.mergeUpdates(parts.map((p) => new Uint8Array(p)));
  }

  /** The document becomes exactly `state`: its log rows go, `state` is the snapshot (caller's transaction). */
  replace(doc: DocName, state: Uint8Array): void {
    const through = (this.maxId.get(doc) as number | null) ?? 0;
    this.deleteThrough.run(doc, Number.MAX_SAFE_INTEGER);
    this.upsertSnapshot.run(doc, Buffer.from(state), through, this.clock());
  }

  pendingCount(doc: DocName): number {
    return this.countSince.get(doc) as number;
  }

  /**
   * One transaction: encode the live state, write it as the snapshot, delete the log rows it covers.
   * If any step fails, the log and the old snapshot stay exactly as they were.
   */
  compact(doc: DocName, state: Y.Doc): void {
    this.db.transaction(() => {
      const through = (this.maxId.get(doc) as number | null) ?? 0;
      const encoded = garbageCollected(state);
      this.upsertSnapshot.run(doc, Buffer.from(encoded), through, this.clock());
      this.deleteThrough.run(doc, through);
    })();
  }
}

/**
 * The live document keeps deleted content that its UndoManager may still restore, and
 * `encodeStateAsUpdate` writes that content out. Loading the state into a fresh document lets Yjs
 * garbage-collect it, so the snapshot holds only the live values (measured: 29 MB -> 7 MB, and a
 * 20x faster open, for a year of bookings edited with undo on).
 */
export function garbageCollected(doc: Y.Doc): Uint8Array {
  const fresh = new Y.Doc({ gc: true });
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
  const encoded = Y.encodeStateAsUpdate(fresh);
  fresh.destroy();
  return encoded;
}
