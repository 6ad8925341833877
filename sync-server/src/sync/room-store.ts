/**
 * Durable rooms: per room an append-only update log plus the last compacted snapshot (the desktop's
 * `DocLog` model), in its own SQLite file `rooms.sqlite`.
 *
 * Appends never touch the disk on the caller's path: they are queued and written together, once per
 * event-loop turn (`setImmediate`), in one transaction. Whoever needs to know an update is on disk (the
 * ack extension) asks `whenDurable`, which runs after the commit that covers everything appended so far.
 * If a commit fails (disk full, I/O error) the rows stay queued and are retried; nothing is acknowledged
 * until they are written.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export const ROOMS_FILE = 'rooms.sqlite';
const SCHEMA_VERSION = 1;
const RETRY_MS = 1000;

export type Synchronous = 'normal' | 'full';

export interface RoomStoreOptions {
  /**
   * SQLite `synchronous` in WAL mode. `normal` (default): a commit survives a crash of the server
   * process, and the last commits before a power cut may be lost (clients still hold them and send them
   * again in the reconnect handshake). `full`: every commit is fsynced, which costs latency on every
   * batch.
   */
  synchronous?: Synchronous;
  /** Told about commit failures (they are retried); default: console.error. */
  onError?: (error: unknown) => void;
}

interface Pending {
  room: string;
  data: Uint8Array;
}

export class RoomStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly selectUpdates: Database.Statement;
  private readonly selectSnapshot: Database.Statement;
  private readonly upsertSnapshot: Database.Statement;
  private readonly deleteThrough: Database.Statement;
  private readonly maxId: Database.Statement;
  private readonly countRows: Database.Statement;
  private readonly writeBatch: (rows: Pending[], at: number) => void;
  private queue: Pending[] = [];
  private waiting: (() => void)[] = [];
  /** The pending flush: the next turn's, or a retry after a failed commit. */
  private scheduled: { cancel(): void } | null = null;
  private readonly logRows = new Map<string, number>();
  private readonly onError: (error: unknown) => void;
  private closed = false;
  /** Commits made and rows written, for metrics and tests. */
  commits = 0;
  rowsWritten = 0;
  commitFailures = 0;

  constructor(file: string, options: RoomStoreOptions = {}) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.migrate();
    this.onError = options.onError ?? ((error) => console.error('rooms.sqlite: commit failed, will retry', error));
    this.insert = this.db.prepare('INSERT INTO room_updates (room, data, at) VALUES (?, ?, ?)');
    this.selectUpdates = this.db.prepare('SELECT data FROM room_updates WHERE room = ? ORDER BY id').pluck();
    this.selectSnapshot = this.db.prepare('SELECT data FROM room_snapshots WHERE room = ?').pluck();
    this.upsertSnapshot = this.db.prepare(
      `INSERT INTO room_snapshots (room, data, through_id, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (room) DO UPDATE SET data = excluded.data, through_id = excluded.through_id, at = excluded.at`,
    );
    this.deleteThrough = this.db.prepare('DELETE FROM room_updates WHERE room = ? AND id <= ?');
    this.maxId = this.db.prepare('SELECT max(id) FROM room_updates WHERE room = ?').pluck();
    this.countRows = this.db.prepare('SELECT count(*) FROM room_updates WHERE room = ?').pluck();
    this.writeBatch = this.db.transaction((rows: Pending[], at: number) => {
      for (const row of rows) this.insert.run(row.room, row.data, at);
    });
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`rooms.sqlite was written by a newer server (schema ${version}); this one knows ${SCHEMA_VERSION}`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS room_updates (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        data BLOB NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, id);
      CREATE TABLE IF NOT EXISTS room_snapshots (
        room TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        through_id INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
    `);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  /** Queues one update; it is committed with everything else appended in this event-loop turn. */
  append(room: string, update: Uint8Array): void {
    if (this.closed) throw new Error('Room store is closed');
    this.queue.push({ room, data: update });
    this.logRows.set(room, (this.logRows.get(room) ?? this.count(room)) + 1);
    this.schedule(0);
  }

  /** Runs `callback` once everything appended so far is committed (right away when nothing is queued). */
  whenDurable(callback: () => void): void {
    if (this.queue.length === 0) callback();
    else this.waiting.push(callback);
  }

  /** Rows in a room's log since its last snapshot: what compaction would merge. */
  logLength(room: string): number {
    return this.logRows.get(room) ?? this.count(room);
  }

  private count(room: string): number {
    const n = this.countRows.get(room) as number;
    this.logRows.set(room, n);
    return n;
  }

  private schedule(delayMs: number): void {
    if (this.scheduled || this.closed) return;
    const run = () => {
      this.scheduled = null;
      this.flush();
    };
    if (delayMs === 0) {
      const immediate = setImmediate(run);
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(run, delayMs);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  /** Commits the queue now. Returns false (and keeps the rows queued) if SQLite refused. */
  flush(): boolean {
    if (this.queue.length === 0) return true;
    const rows = this.queue;
    try {
      this.writeBatch(rows, Date.now());
    } catch (error) {
      this.commitFailures++;
      this.onError(error);
      if (!this.closed) this.schedule(RETRY_MS);
      return false;
    }
    this.queue = [];
    this.commits++;
    this.rowsWritten += rows.length;
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
    return true;
  }

  /** The snapshot (if any) followed by every logged update since, oldest first. */
  load(room: string): Uint8Array[] {
    this.flush();
    const snapshot = this.selectSnapshot.get(room) as Buffer | undefined;
    const updates = this.selectUpdates.all(room) as Buffer[];
    const parts = snapshot ? [snapshot, ...updates] : updates;
    const stored = parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
    // Rows still queued after a failed commit belong to the room too.
    const queued = this.queue.filter((row) => row.room === room).map((row) => row.data);
    this.logRows.set(room, updates.length + queued.length);
    return [...stored, ...queued];
  }

  /**
   * One transaction: write `state` (the room's whole document) as the snapshot and delete the log rows
   * it covers. The queue is committed first, so the snapshot covers every row up to the current max id.
   * If any step fails, the log and the old snapshot stay exactly as they were.
   */
  compact(room: string, state: Uint8Array): boolean {
    if (!this.flush()) return false;
    this.db.transaction(() => {
      const through = (this.maxId.get(room) as number | null) ?? 0;
      this.upsertSnapshot.run(room, state, through, Date.now());
      this.deleteThrough.run(room, through);
    })();
    this.logRows.set(room, 0);
    return true;
  }

  /** Every room with stored data. */
  rooms(): string[] {
    this.flush();
    return this.db
      .prepare('SELECT room FROM room_snapshots UNION SELECT DISTINCT room FROM room_updates ORDER BY room')
      .pluck()
      .all() as string[];
  }

  /** Commits what is queued and closes the file. */
  close(): void {
    if (this.closed) return;
    this.scheduled?.cancel();
    this.scheduled = null;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}

