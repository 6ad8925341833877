/**
 * What a room needs of its durable log, whichever engine keeps it: the embedded SQLite `RoomStore`
 * (the default) or `PgRoomStore` on a PostgreSQL shared by many nodes. Appends are queued and committed in
 * batches on both; reads that need the database are made in `prefetch` so that loading a room stays a
 * synchronous step of the room's lifecycle.
 */
export interface RoomLogStore {
  /** Commits made, rows written and failed commits, for metrics and tests. */
  readonly commits: number;
  readonly rowsWritten: number;
  readonly commitFailures: number;
  /** Queues one update; it is committed with everything else appended in this event-loop turn. */
  append(room: string, update: Uint8Array): void;
  /** Runs `callback` once everything appended so far is committed (right away when nothing is queued). */
  whenDurable(callback: () => void): void;
  /** Rows in a room's log since its last snapshot, as far as this node knows: what compaction would fold. */
  logLength(room: string): number;
  /** Bytes of those rows, and of the room's snapshot (0: none), as far as this node knows. */
  logBytes(room: string): number;
  snapshotBytes(room: string): number;
  /**
   * Folds the stored log into the snapshot without the live document: the merge runs on a worker thread
   * (storage/merge-off-thread.ts), so a big room's compaction never holds up relays. Rows logged while it
   * runs stay in the log. False if it did not fold (one already running for the room, refused, or another
   * compaction got there first).
   */
  compactStored(room: string): Promise<boolean>;
  /** Reads what `load(room)` will return (SQLite reads on demand: nothing to do). */
  prefetch(room: string): Promise<void>;
  /** The snapshot (if any) followed by every logged update since, oldest first. */
  load(room: string): Uint8Array[];
  /** Folds the room's log into a snapshot that also covers `state`; false if the engine refused. */
  compact(room: string, state: Uint8Array): boolean | Promise<boolean>;
  /**
   * Every room with stored data (PostgreSQL: those stored when this node started, plus those it has
   * written or read since).
   */
  rooms(): string[];
  /** Whether everything appended so far is committed, committing now where the engine can (SQLite). */
  settled(): boolean;
  /** Resolves when the database answers (for /healthz). */
  ping(): Promise<void>;
  /** Commits what is queued and closes the database. */
  close(): void | Promise<void>;
}
