import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { systemClock, type Clock } from '../../../core/clock';
import { SqliteUpdateLog, type UpdateLogTables } from '../../../node-shared/update-log/sqlite-update-log';

export type DocName = 'roster' | 'schedule';
export const DOC_NAMES: readonly DocName[] = ['roster', 'schedule'];

/** The desktop's tables in the workspace file (schema.ts): rows record the origin of each change. */
export const DOC_LOG_TABLES: UpdateLogTables = { updates: 'doc_updates', snapshots: 'doc_snapshots', key: 'doc', origin: true };

/**
 * The durable form of a Y.Doc: the last compacted snapshot plus every update appended since, kept by the
 * update log shared with the sync server (node-shared/update-log). Appends happen inside the caller's
 * transaction, next to the projection rows.
 */
export class DocLog {
  private readonly log: SqliteUpdateLog;

  constructor(
    db: Database.Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.log = new SqliteUpdateLog(db, DOC_LOG_TABLES);
  }

  append(doc: DocName, update: Uint8Array, origin: string): void {
    this.log.append(doc, update, this.clock(), origin);
  }

  /** Snapshot and log merged into one update, applied once: far cheaper than replaying row by row. */
  load(doc: DocName): Uint8Array | null {
    return this.log.load(doc);
  }

  /** The document becomes exactly `state`: its log rows go, `state` is the snapshot (caller's transaction). */
  replace(doc: DocName, state: Uint8Array): void {
    this.log.replace(doc, state, this.clock());
  }

  pendingCount(doc: DocName): number {
    return this.log.logLength(doc);
  }

  /**
   * One transaction: the live state, garbage-collected, becomes the snapshot and the log rows it covers go.
   * If any step fails, the log and the old snapshot stay exactly as they were.
   */
  compact(doc: DocName, state: Y.Doc): void {
    this.log.compact(doc, garbageCollected(state), this.clock());
  }

  /** The newest log row of `doc` (0 if none): a compaction started now folds in the rows up to it. */
  lastId(doc: DocName): number {
    return this.log.lastId(doc);
  }

  /** Commits a state merged off this thread (./compaction.ts) from the snapshot and rows up to `through`. */
  compactThrough(doc: DocName, state: Uint8Array, through: number, basedOn: number): boolean {
    return this.log.fold(doc, state, basedOn, through, this.clock());
  }

  /** The last row the snapshot covers (0 without one): `compactThrough` checks it did not change. */
  snapshotThrough(doc: DocName): number {
    return this.log.snapshotThrough(doc);
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
