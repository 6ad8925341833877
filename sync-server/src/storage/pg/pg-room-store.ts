/**
 * Room update logs and snapshots in PostgreSQL, shared by every node (issue 23). The same model as the
 * SQLite `RoomStore`: appends are queued and written once per event-loop turn in one statement, and
 * `whenDurable` answers after the commit that covers them. Compaction runs under a per-room advisory lock
 * and folds in what the database holds (rows other nodes wrote included), deleting exactly the rows it
 * read, so a row committed meanwhile by another node is never lost.
 */
import pg from 'pg';
import type { RoomLogStore } from '../../sync/room-log';
import { OffThreadMerger } from '../merge-off-thread';
import { migrate } from './migrations';

const RETRY_MS = 1000;

interface Row {
  room: string;
  data: Uint8Array;
}

export interface PgRoomStoreOptions {
  onError?: (error: unknown) => void;
  /** Pool size (default 10). */
  maxConnections?: number;
}

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export class PgRoomStore implements RoomLogStore {
  commits = 0;
  rowsWritten = 0;
  commitFailures = 0;
  private queue: Row[] = [];
  private inFlight: Row[] = [];
  private flushing: Promise<boolean> | null = null;
  private appended = 0;
  private committed = 0;
  private waiting: { seq: number; callback: () => void }[] = [];
  private scheduled: { cancel(): void } | null = null;
  private readonly logRows = new Map<string, number>();
  private readonly logSizes = new Map<string, { bytes: number; snapshot: number }>();
  /** Per room, the fold in progress: a fold of the stored log is skipped while one runs, a compaction waits. */
  private readonly folding = new Map<string, Promise<boolean>>();
  private readonly merger = new OffThreadMerger();
  private readonly prefetched = new Map<string, Uint8Array[]>();
  private readonly onError: (error: unknown) => void;
  private closed = false;
  private readonly known = new Set<string>();

  private constructor(
    readonly pool: pg.Pool,
    options: PgRoomStoreOptions,
  ) {
    this.onError = options.onError ?? ((error) => console.error('postgres: room commit failed, will retry', error));
  }

  /** Connects and brings the schema up to date. */
  static async open(url: string, options: PgRoomStoreOptions = {}): Promise<PgRoomStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
    pool.on('error', (error) => (options.onError ?? console.error)(error));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const store = new PgRoomStore(pool, options);
    await store.storedRooms();
    return store;
  }

  append(room: string, update: Uint8Array): void {
    if (this.closed) throw new Error('Room store is closed');
    this.queue.push({ room, data: update });
    this.known.add(room);
    this.appended++;
    this.logRows.set(room, (this.logRows.get(room) ?? 0) + 1);
    this.sizes(room).bytes += update.byteLength;
    this.schedule(0);
  }

  whenDurable(callback: () => void): void {
    if (this.committed >= this.appended) callback();
    else this.waiting.push({ seq: this.appended, callback });
  }

  logLength(room: string): number {
    return this.logRows.get(room) ?? 0;
  }

  logBytes(room: string): number {
    return this.logSizes.get(room)?.bytes ?? 0;
  }

  snapshotBytes(room: string): number {
    return this.logSizes.get(room)?.snapshot ?? 0;
  }

  private sizes(room: string): { bytes: number; snapshot: number } {
    let known = this.logSizes.get(room);
    if (!known) this.logSizes.set(room, (known = { bytes: 0, snapshot: 0 }));
    return known;
  }

  private schedule(delayMs: number): void {
    if (this.scheduled || this.closed) return;
    const run = () => {
      this.scheduled = null;
      void this.flush();
    };
    if (delayMs === 0) {
      const immediate = setImmediate(run);
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(run, delayMs);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  /** Commits the queue (after any commit in flight). False, with the rows kept queued, if refused. */
  async flush(): Promise<boolean> {
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0) return true;
    const rows = this.queue;
    this.queue = [];
    this.inFlight = rows;
    this.flushing = this.write(rows);
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
      this.inFlight = [];
    }
  }

  private async write(rows: Row[]): Promise<boolean> {
    try {
      // One statement: all rows or none.
      await this.pool.query(
        // In array order, so ids follow the order the updates were appended.
        'INSERT INTO room_updates (room, data, at) SELECT t.room, t.data, t.at FROM unnest($1::text[], $2::bytea[], $3::bigint[]) WITH ORDINALITY AS t(room, data, at, n) ORDER BY t.n',
        [rows.map((r) => r.room), rows.map((r) => Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength)), rows.map(() => Date.now())],
      );
    } catch (error) {
      this.queue = [...rows, ...this.queue];
      this.commitFailures++;
      this.onError(error);
      if (!this.closed) this.schedule(RETRY_MS);
      return false;
    }
    this.commits++;
    this.rowsWritten += rows.length;
    this.committed += rows.length;
    const due = this.waiting.filter((w) => w.seq <= this.committed);
    this.waiting = this.waiting.filter((w) => w.seq > this.committed);
    for (const w of due) w.callback();
    return true;
  }

  async prefetch(room: string): Promise<void> {
    await this.flush();
    const [snap, rows] = await Promise.all([
      this.pool.query<{ data: Buffer }>('SELECT data FROM room_snapshots WHERE room = $1', [room]),
      this.pool.query<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY id', [room]),
    ]);
    this.prefetched.set(room, [...snap.rows, ...rows.rows].map((r) => bytes(r.data)));
    this.logRows.set(room, rows.rows.length);
    this.logSizes.set(room, {
      bytes: rows.rows.reduce((n, r) => n + r.data.byteLength, 0),
      snapshot: snap.rows[0]?.data.byteLength ?? 0,
    });
  }

  load(room: string): Uint8Array[] {
    const stored = this.prefetched.get(room);
    if (!stored) throw new Error(`room ${room} was not prefetched from PostgreSQL`);
    this.prefetched.delete(room);
    // Rows not yet committed belong to the room too.
    const pending = [...this.inFlight, ...this.queue].filter((r) => r.room === room).map((r) => r.data);
    this.logRows.set(room, (this.logRows.get(room) ?? 0) + pending.length);
    this.sizes(room).bytes += pending.reduce((n, u) => n + u.byteLength, 0);
    return [...stored, ...pending];
  }

  async compact(room: string, state: Uint8Array): Promise<boolean> {
    for (let running = this.folding.get(room); running; running = this.folding.get(room)) await running.catch(() => {});
    return this.fold(room, state);
  }

  async compactStored(room: string): Promise<boolean> {
    if (this.folding.has(room)) return false;
    return this.fold(room, null);
  }

  /**
   * Folds what the database holds for the room (and `state`, the live document, when given) into its
   * snapshot, under the room's advisory lock; the merge runs on a worker thread while the transaction waits.
   */
  private fold(room: string, state: Uint8Array | null): Promise<boolean> {
    const folding = (async () => {
      if (!(await this.flush())) return false;
      return this.foldLocked(room, state);
    })();
    this.folding.set(room, folding);
    const done = () => {
      if (this.folding.get(room) === folding) this.folding.delete(room);
    };
    folding.then(done, done);
    return folding;
  }

  private async foldLocked(room: string, state: Uint8Array | null): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('room:' || $1, 0))", [room]);
      const snap = await client.query<{ data: Buffer }>('SELECT data FROM room_snapshots WHERE room = $1', [room]);
      const rows = await client.query<{ id: string; data: Buffer }>('SELECT id, data FROM room_updates WHERE room = $1 ORDER BY id', [room]);
      if (rows.rows.length === 0 && state === null) {
        await client.query('COMMIT');
        return true;
      }
      const parts = [...snap.rows, ...rows.rows].map((r) => bytes(r.data));
      const merged = await this.merger.merge(state ? [...parts, state] : parts);
      const ids = rows.rows.map((r) => r.id);
      const through = ids.length > 0 ? ids[ids.length - 1] : 0;
      await client.query(
        `INSERT INTO room_snapshots (room, data, through_id, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (room) DO UPDATE SET data = excluded.data, through_id = GREATEST(room_snapshots.through_id, excluded.through_id), at = excluded.at`,
        [room, Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength), through, Date.now()],
      );
      // Exactly the rows folded in: one another node commits meanwhile stays in the log.
      if (ids.length > 0) await client.query('DELETE FROM room_updates WHERE id = ANY($1::bigint[])', [ids]);
      await client.query('COMMIT');
      this.logRows.set(room, Math.max(0, (this.logRows.get(room) ?? 0) - ids.length));
      const sizes = this.sizes(room);
      sizes.bytes = Math.max(0, sizes.bytes - rows.rows.reduce((n, r) => n + r.data.byteLength, 0));
      sizes.snapshot = merged.byteLength;
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      this.onError(error);
      return false;
    } finally {
      client.release();
    }
  }

  rooms(): string[] {
    return [...this.known].sort();
  }

  /** Every room stored, as the database says now. */
  async storedRooms(): Promise<string[]> {
    await this.flush();
    const { rows } = await this.pool.query<{ room: string }>(
      'SELECT room FROM room_snapshots UNION SELECT DISTINCT room FROM room_updates ORDER BY 1',
    );
    for (const r of rows) this.known.add(r.room);
    return rows.map((r) => r.room);
  }

  settled(): boolean {
    return this.queue.length === 0 && this.flushing === null;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.scheduled?.cancel();
    this.scheduled = null;
    await this.flush();
    this.closed = true;
    await this.merger.close();
    await this.pool.end();
  }
}
