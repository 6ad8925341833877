/**
 * Durable rooms: per room an append-only update log plus the last compacted snapshot, kept by the update
 * log the desktop's `DocLog` uses too (node-shared/update-log), in its own SQLite file `rooms.sqlite`. This
 * class is the server's batching around it.
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
import type { RoomLogStore } from './room-log';
import { OffThreadMerger } from '../storage/merge-off-thread';
import { SqliteUpdateLog, updateLogSchema, type LogRow, type UpdateLogTables } from '../../../node-shared/update-log/sqlite-update-log';

export const ROOMS_FILE = 'rooms.sqlite';
const SCHEMA_VERSION = 1;
const RETRY_MS = 1000;
export const ROOM_LOG_TABLES: UpdateLogTables = { updates: 'room_updates', snapshots: 'room_snapshots', key: 'room', origin: false };

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

export class RoomStore implements RoomLogStore {
  private readonly db: Database.Database;
  private readonly log: SqliteUpdateLog;
  private queue: LogRow[] = [];
  private waiting: (() => void)[] = [];
  /** The pending flush: the next turn's, or a retry after a failed commit. */
  private scheduled: { cancel(): void } | null = null;
  private readonly logRows = new Map<string, number>();
  private readonly logSizes = new Map<string, { bytes: number; snapshot: number }>();
  private readonly folding = new Set<string>();
  private readonly merger = new OffThreadMerger();
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
    this.log = new SqliteUpdateLog(this.db, ROOM_LOG_TABLES);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`rooms.sqlite was written by a newer server (schema ${version}); this one knows ${SCHEMA_VERSION}`);
    }
    this.db.exec(updateLogSchema(ROOM_LOG_TABLES));
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  /** Queues one update; it is committed with everything else appended in this event-loop turn. */
  append(room: string, update: Uint8Array): void {
    if (this.closed) throw new Error('Room store is closed');
    // Sizes first: read from the file when not yet known, before this row is queued.
    this.sizes(room).bytes += update.byteLength;
    this.queue.push({ key: room, data: update });
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

  logBytes(room: string): number {
    return this.sizes(room).bytes;
  }

  snapshotBytes(room: string): number {
    return this.sizes(room).snapshot;
  }

  /** Read once per room, then kept up to date by appends and compactions (queued rows included). */
  private sizes(room: string): { bytes: number; snapshot: number } {
    let known = this.logSizes.get(room);
    if (!known) {
      const queued = this.queue.reduce((n, row) => (row.key === room ? n + row.data.byteLength : n), 0);
      known = { bytes: this.log.logBytes(room) + queued, snapshot: this.log.snapshotBytes(room) };
      this.logSizes.set(room, known);
    }
    return known;
  }

  async compactStored(room: string): Promise<boolean> {
    if (this.folding.has(room) || this.closed || !this.flush()) return false;
    this.folding.add(room);
    try {
      const { parts, from, through, rows, bytes } = this.log.foldable(room);
      if (rows === 0) return true;
      const state = await this.merger.merge(parts);
      if (this.closed || !this.log.fold(room, state, from, through, Date.now())) return false;
      this.logRows.set(room, Math.max(0, (this.logRows.get(room) ?? rows) - rows));
      const sizes = this.sizes(room);
      sizes.bytes = Math.max(0, sizes.bytes - bytes);
      sizes.snapshot = state.byteLength;
      return true;
    } finally {
      this.folding.delete(room);
    }
  }

  private count(room: string): number {
    const n = this.log.logLength(room);
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
      this.log.appendAll(rows, Date.now());
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
    const stored = this.log.parts(room);
    // Rows still queued after a failed commit belong to the room too.
    const queued = this.queue.filter((row) => row.key === room).map((row) => row.data);
    this.logRows.set(room, this.log.logLength(room) + queued.length);
    this.logSizes.delete(room);
    return [...stored, ...queued];
  }

  /**
   * One transaction: write `state` (the room's whole document) as the snapshot and delete the log rows
   * it covers. The queue is committed first, so the snapshot covers every row up to the current max id.
   * If any step fails, the log and the old snapshot stay exactly as they were.
   */
  compact(room: string, state: Uint8Array): boolean {
    if (!this.flush()) return false;
    this.log.compact(room, state, Date.now());
    this.logRows.set(room, 0);
    this.logSizes.set(room, { bytes: 0, snapshot: state.byteLength });
    return true;
  }

  /** SQLite reads on demand: nothing to fetch ahead. */
  prefetch(_room: string): Promise<void> {
    return Promise.resolve();
  }

  settled(): boolean {
    return this.flush();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Every room with stored data. */
  rooms(): string[] {
    this.flush();
    return this.log.keys();
  }

  /** Commits what is queued and closes the file. */
  close(): void {
    if (this.closed) return;
    this.scheduled?.cancel();
    this.scheduled = null;
    this.flush();
    this.closed = true;
    void this.merger.close();
    this.db.close();
  }
}

