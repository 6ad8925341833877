/**
 * The durable form of a Yjs document, in SQLite: the last compacted snapshot plus every update appended
 * since (AFFiNE's model). The desktop's `DocLog` and the sync server's `RoomStore` both keep their
 * documents this way; they differ only in table names, in whether a row records its origin, and in when
 * they commit (the desktop inside its own transaction next to the projection rows, the server in batches).
 */
import type Database from 'better-sqlite3';
import * as Y from 'yjs';

export interface UpdateLogTables {
  /** Append-only log: `id INTEGER PRIMARY KEY, <key> TEXT, data BLOB, [origin TEXT,] at INTEGER`. */
  updates: string;
  /** One row per key: `<key> TEXT PRIMARY KEY, data BLOB, through_id INTEGER, at INTEGER`. */
  snapshots: string;
  /** The column naming the document (`doc` on the desktop, `room` on the server). */
  key: string;
  /** Whether log rows carry an `origin` column (the desktop's undo/audit label). */
  origin: boolean;
}

export interface LogRow {
  key: string;
  data: Uint8Array;
  origin?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The tables of one update log, for a store that creates its own (the desktop's schema has them inline). */
export function updateLogSchema(tables: UpdateLogTables): string {
  checkTables(tables);
  const { updates, snapshots, key } = tables;
  return `
    CREATE TABLE IF NOT EXISTS ${updates} (
      id INTEGER PRIMARY KEY,
      ${key} TEXT NOT NULL,
      data BLOB NOT NULL,${tables.origin ? '\n      origin TEXT NOT NULL,' : ''}
      at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${updates}_by_${key} ON ${updates} (${key}, id);
    CREATE TABLE IF NOT EXISTS ${snapshots} (
      ${key} TEXT PRIMARY KEY,
      data BLOB NOT NULL,
      through_id INTEGER NOT NULL,
      at INTEGER NOT NULL
    );`;
}

function checkTables(tables: UpdateLogTables): void {
  for (const name of [tables.updates, tables.snapshots, tables.key]) {
    if (!IDENTIFIER.test(name)) throw new Error(`update log: ${JSON.stringify(name)} is not a plain SQL identifier`);
  }
}

function blob(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function bytes(row: Buffer): Uint8Array {
  return new Uint8Array(row.buffer, row.byteOffset, row.byteLength);
}

export class SqliteUpdateLog {
  private readonly insert: Database.Statement;
  private readonly selectUpdates: Database.Statement;
  private readonly selectSnapshot: Database.Statement;
  private readonly upsertSnapshot: Database.Statement;
  private readonly deleteThrough: Database.Statement;
  private readonly maxId: Database.Statement;
  private readonly countRows: Database.Statement;
  private readonly sumRows: Database.Statement;
  private readonly snapshotSize: Database.Statement;
  private readonly selectThrough: Database.Statement;
  private readonly selectUpdatesThrough: Database.Statement;
  private readonly selectKeys: Database.Statement;
  private readonly insertMany: (rows: readonly LogRow[], at: number) => void;
  private readonly compactTx: (key: string, state: Uint8Array, at: number) => void;
  private readonly foldTx: (key: string, state: Uint8Array, from: number, through: number, at: number) => boolean;

  constructor(
    readonly db: Database.Database,
    readonly tables: UpdateLogTables,
  ) {
    checkTables(tables);
    const { updates, snapshots, key } = tables;
    this.insert = tables.origin
      ? db.prepare(`INSERT INTO ${updates} (${key}, data, origin, at) VALUES (?, ?, ?, ?)`)
      : db.prepare(`INSERT INTO ${updates} (${key}, data, at) VALUES (?, ?, ?)`);
    this.selectUpdates = db.prepare(`SELECT data FROM ${updates} WHERE ${key} = ? ORDER BY id`).pluck();
    this.selectSnapshot = db.prepare(`SELECT data FROM ${snapshots} WHERE ${key} = ?`).pluck();
    this.upsertSnapshot = db.prepare(
      `INSERT INTO ${snapshots} (${key}, data, through_id, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (${key}) DO UPDATE SET data = excluded.data, through_id = excluded.through_id, at = excluded.at`,
    );
    this.deleteThrough = db.prepare(`DELETE FROM ${updates} WHERE ${key} = ? AND id <= ?`);
    this.maxId = db.prepare(`SELECT max(id) FROM ${updates} WHERE ${key} = ?`).pluck();
    this.countRows = db.prepare(`SELECT count(*) FROM ${updates} WHERE ${key} = ?`).pluck();
    this.sumRows = db.prepare(`SELECT coalesce(sum(length(data)), 0) FROM ${updates} WHERE ${key} = ?`).pluck();
    this.snapshotSize = db.prepare(`SELECT length(data) FROM ${snapshots} WHERE ${key} = ?`).pluck();
    this.selectThrough = db.prepare(`SELECT through_id FROM ${snapshots} WHERE ${key} = ?`).pluck();
    this.selectUpdatesThrough = db.prepare(`SELECT id, data FROM ${updates} WHERE ${key} = ? ORDER BY id`);
    this.selectKeys = db
      .prepare(`SELECT ${key} FROM ${snapshots} UNION SELECT DISTINCT ${key} FROM ${updates} ORDER BY 1`)
      .pluck();
    this.insertMany = db.transaction((rows: readonly LogRow[], at: number) => {
      for (const row of rows) this.append(row.key, row.data, at, row.origin);
    });
    this.compactTx = db.transaction((docKey: string, state: Uint8Array, at: number) => {
      const through = (this.maxId.get(docKey) as number | null) ?? 0;
      this.upsertSnapshot.run(docKey, blob(state), through, at);
      this.deleteThrough.run(docKey, through);
    });
    this.foldTx = db.transaction((docKey: string, state: Uint8Array, from: number, through: number, at: number) => {
      // Another compaction replaced the snapshot meanwhile: this state may be older than it. Drop it.
      if (this.snapshotThrough(docKey) !== from) return false;
      this.upsertSnapshot.run(docKey, blob(state), through, at);
      this.deleteThrough.run(docKey, through);
      return true;
    });
  }

  /** One row, in the caller's transaction (or its own, if none is open). */
  append(key: string, data: Uint8Array, at: number, origin?: string): void {
    if (this.tables.origin) this.insert.run(key, blob(data), origin ?? '', at);
    else this.insert.run(key, blob(data), at);
  }

  /** Many rows, all or none (a savepoint when the caller's transaction is open). */
  appendAll(rows: readonly LogRow[], at: number): void {
    this.insertMany(rows, at);
  }

  /** The snapshot (if any) followed by every update logged since, oldest first. */
  parts(key: string): Uint8Array[] {
    const snapshot = this.selectSnapshot.get(key) as Buffer | undefined;
    const updates = (this.selectUpdates.all(key) as Buffer[]).map(bytes);
    return snapshot ? [bytes(snapshot), ...updates] : updates;
  }

  /** Snapshot and log merged into one update, to apply once: far cheaper than replaying row by row. */
  load(key: string): Uint8Array | null {
    return mergeParts(this.parts(key));
  }

  /** Rows logged since the last snapshot: what compaction would fold in. */
  logLength(key: string): number {
    return this.countRows.get(key) as number;
  }

  /** Bytes of the rows logged since the last snapshot, and of the snapshot (0: none). */
  logBytes(key: string): number {
    return this.sumRows.get(key) as number;
  }

  snapshotBytes(key: string): number {
    return (this.snapshotSize.get(key) as number | undefined) ?? 0;
  }

  /**
   * What a compaction off the caller's thread folds: the parts (snapshot first) with the snapshot's
   * `through_id` (`from`, 0 if none) and the last logged row's id (`through`); hand the merged state to
   * `fold`.
   */
  foldable(key: string): { parts: Uint8Array[]; from: number; through: number; rows: number; bytes: number } {
    const snapshot = this.selectSnapshot.get(key) as Buffer | undefined;
    const from = (this.selectThrough.get(key) as number | undefined) ?? 0;
    const rows = this.selectUpdatesThrough.all(key) as { id: number; data: Buffer }[];
    const updates = rows.map((r) => bytes(r.data));
    return {
      parts: snapshot ? [bytes(snapshot), ...updates] : updates,
      from,
      through: rows.length > 0 ? rows[rows.length - 1]!.id : from,
      rows: rows.length,
      bytes: updates.reduce((n, u) => n + u.byteLength, 0),
    };
  }

  /**
   * One transaction: `state`, merged from what `foldable` returned, becomes the snapshot and the rows up
   * to `through` go; rows logged since stay. False (nothing written) if the snapshot is no longer the one
   * `foldable` read (`from`): another compaction got there first.
   */
  fold(key: string, state: Uint8Array, from: number, through: number, at: number): boolean {
    return this.foldTx(key, state, from, through, at);
  }

  /**
   * One transaction: `state` (the whole document, covering every logged row) becomes the snapshot and the
   * rows it covers are deleted. If any step fails, the log and the old snapshot stay exactly as they were.
   */
  compact(key: string, state: Uint8Array, at: number): void {
    this.compactTx(key, state, at);
  }

  /** The last row the snapshot covers (0 without one): what `fold` checks did not change meanwhile. */
  snapshotThrough(key: string): number {
    return (this.selectThrough.get(key) as number | undefined) ?? 0;
  }

  /** The id of the newest log row of `key` (0 if none): what a compaction started now would fold in. */
  lastId(key: string): number {
    return (this.maxId.get(key) as number | null) ?? 0;
  }

  /** The document becomes exactly `state`: its log rows go, `state` is the snapshot (caller's transaction). */
  replace(key: string, state: Uint8Array, at: number): void {
    const through = (this.maxId.get(key) as number | null) ?? 0;
    this.deleteThrough.run(key, Number.MAX_SAFE_INTEGER);
    this.upsertSnapshot.run(key, blob(state), through, at);
  }

  /** Every key with a snapshot or a logged row. */
  keys(): string[] {
    return this.selectKeys.all() as string[];
  }
}

export function mergeParts(parts: readonly Uint8Array[]): Uint8Array | null {
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates([...parts]);
}
