import Database from 'better-sqlite3';
import * as Y from 'yjs';
import {
  executeCommand,
  fail,
  newId,
  rosterMaps,
  scheduleMaps,
  type Actor,
  type CommandContext,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type Origin,
  type Result,
} from '../../../core/index';
import { isSeriesLogEntry } from '../../../core/recurrence/series-doc';
import { DocLog, DOC_NAMES, garbageCollected, type DocName } from './doc-log';
import { collectDirty, emptyDirty, Projection, type Collection, type DirtySet } from './projection';
import { migrate, PROJECTION_VERSION } from './schema';
import { StoreQueries } from './queries';
import { DraftStore } from './drafts';
import { PendingActions } from './pending-actions';
import { RosterLostWrites } from './roster-lost-writes';
import { OfflineChanges } from './offline-changes';
import { WorkspaceReplica } from './workspace-replica';
import { replayAsNewWrite } from './undo-restamp';
import { SyncLink } from './sync-link';
import { WorkspaceLock } from './workspace-lock';
import { instantOf, systemClock, type Clock } from '../../../core/clock';
import { seriesMaps } from '../../../core/recurrence/series-doc';
import { DOC_SCHEMA_VERSION } from '../../../core/doc/schema-version';
import type { Compactor } from './compaction';

export interface ChangeEvent {
  /** Ids per collection that changed in one committed write. */
  changed: Record<Collection, string[]>;
  origin: Origin | 'undo' | 'redo';
}

export interface LocalStoreOptions {
  actor: Actor;
  /** What time it is (default: the system's); instants in history and drafts come from it. */
  clock?: Clock;
  /**
   * The time conflict stamps are taken from (default: `clock`). The demo seed moves `clock` through its
   * story, up to the demo's noon; stamps taken from it would put this desktop's clock ahead of the real one,
   * and every write it made until then would be stamped ahead (and clamped by the server).
   */
  stampClock?: Clock;
  /** Compact a document once its log holds this many updates. */
  compactEvery?: number;
  /** Merges off this thread (./compaction.ts); without one, compaction runs here, synchronously. */
  compactor?: Compactor;
  /** Told how each compaction off this thread goes (a failed or dropped one leaves the log as it was). */
  onCompaction?: (doc: DocName, outcome: CompactionOutcome) => void;
  /** The document format this app knows (default `DOC_SCHEMA_VERSION`): tests play an older desktop. */
  knownDocFormat?: number;
}

export type CompactionOutcome =
  | { kind: 'started'; through: number }
  | { kind: 'committed'; through: number }
  /** The snapshot changed, or the documents were replaced, while the merge ran. */
  | { kind: 'dropped'; through: number }
  | { kind: 'failed'; through: number; error: unknown };

type Docs = Record<DocName, Y.Doc>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
type AnyType = Y.AbstractType<any>;

/**
 * The desktop's local store (docs/design.md §5): the two Yjs documents, their durable log in SQLite, and read
 * tables kept in step in the same SQLite transaction as every update. Change events fire only after commit.
 */
export class LocalStore {
  readonly db: Database.Database;
  private readonly lock: WorkspaceLock;
  /** Replaced (with the documents) by `replaceDocuments`: read it through the store, do not keep it. */
  queries: StoreQueries;
  readonly drafts: DraftStore;
  /** Sync bookkeeping (electron/backend/sync): the server link, unconfirmed actions, offline markers. */
  readonly syncLink: SyncLink;
  readonly pendingActions: PendingActions;
  readonly offlineChanges: OfflineChanges;
  readonly rosterLostWrites: RosterLostWrites;
  /** The workspace's replica id and clock: stamps every group this workspace writes (core/doc/hlc.ts). */
  readonly replica: WorkspaceReplica;
  private readonly log: DocLog;
  private readonly projection: Projection;
  private roster: Y.Doc;
  /** Loaded on first need (a write, sync, undo, `loadDocuments`): queries never need it. */
  private scheduleDoc: Y.Doc | null = null;
  private readonly undoManagers: Partial<Record<DocName, Y.UndoManager>> = {};
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private pending: DirtySet = emptyDirty();
  /** Documents the current write changed with a local origin (command, undo, redo). */
  private locallyChanged = new Set<DocName>();
  /** > 0 while `receive` applies what a sync connection delivered: those updates are logged as 'remote'. */
  private receiving = 0;
  private writeDepth = 0;
  /** > 0 while `executeAutomatic` runs: its transactions are left out of undo. */
  private automatic = 0;
  private stackSeq = 0;
  private actor: Actor;
  /** The backend's one clock: the API answers it to the renderer, the sync client stamps with it. */
  readonly clock: Clock;
  /** The document format this app knows: newer documents are read, never written (`core/doc/schema-version.ts`). */
  readonly knownDocFormat: number;
  private readonly now: () => string;
  private readonly compactEvery: number;
  private readonly compactor: Compactor | null;
  private readonly onCompaction: (doc: DocName, outcome: CompactionOutcome) => void;
  /** Documents whose merge runs off this thread now. */
  private readonly compacting = new Set<DocName>();
  /** Bumped when the documents are replaced or the store closes: a merge of the old log is then dropped. */
  private generation = 0;

  static open(path: string, options: LocalStoreOptions): LocalStore {
    return new LocalStore(path, options);
  }

  /**
   * Opening reads the small roster document and the read tables only. The schedule document (a year of
   * bookings can take seconds to decode) loads on first use, so the board can paint from SQLite first.
   */
  private constructor(readonly path: string, options: LocalStoreOptions) {
    this.actor = options.actor;
    this.clock = options.clock ?? systemClock;
    this.knownDocFormat = options.knownDocFormat ?? DOC_SCHEMA_VERSION;
    this.now = () => instantOf(this.clock());
    this.compactEvery = options.compactEvery ?? 2000;
    this.compactor = options.compactor ?? null;
    this.onCompaction = options.onCompaction ?? (() => undefined);
    this.lock = WorkspaceLock.acquire(path);
    let db: Database.Database | null = null;
    try {
      this.db = db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      // FULL: a committed action survives a power cut, not only a process crash.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
      this.log = new DocLog(this.db, this.clock);
      this.syncLink = new SyncLink(this.db);
      this.pendingActions = new PendingActions(this.db, this.clock);
      this.offlineChanges = new OfflineChanges(this.db);
      this.rosterLostWrites = new RosterLostWrites(this.db);
      this.replica = new WorkspaceReplica(this.db, options.stampClock ?? this.clock, path);
      this.roster = this.loadDoc('roster');
      this.projection = new Projection(this.db);
      const version = this.db.prepare("SELECT value FROM meta WHERE key = 'projection_version'").pluck().get();
      if (version !== PROJECTION_VERSION) this.rebuildProjection();
      this.queries = new StoreQueries(this.db, this.roster, () => this.projection.maxDurationMs, this.projection.bookingCache);
      this.drafts = new DraftStore(this.db, this.clock);
    } catch (error) {
      // A workspace that failed to open is not held: the next attempt must not find it "in use".
      if (db?.open) db.close();
      this.lock.release();
      throw error;
    }
  }

  /** Both documents; touching this loads the schedule document if it is not in memory yet. */
  get docs(): Docs {
    return { roster: this.roster, schedule: this.schedule() };
  }

  /** The roster document alone: reading it never decodes the schedule document (unlike `docs`). */
  get rosterDoc(): Y.Doc {
    return this.roster;
  }

  get scheduleLoaded(): boolean {
    return this.scheduleDoc !== null;
  }

  /** Load everything now (e.g. right after the first paint), rather than on the first edit. */
  loadDocuments(): void {
    this.schedule();
  }

  private schedule(): Y.Doc {
    this.scheduleDoc ??= this.loadDoc('schedule');
    return this.scheduleDoc;
  }

  private loadDoc(name: DocName): Y.Doc {
    return this.adopt(name, docFromState(this.log.load(name)));
  }

  /** Makes `doc` one of the store's documents: logged, projected and undoable from now on. */
  private adopt(name: DocName, doc: Y.Doc): Y.Doc {
    this.attach(name, doc);
    this.replica.attach(doc);
    // History, archive markers and notification requests are outside the undo scope: undo never
    // erases the record of what happened, nor a notification that may already have gone out. Nor the
    // documents' format mark: it is only ever raised. Recurring series and their visit links are in it with
    // the bookings: undoing a repeating job removes the series with its visits (else the horizon keeper
    // would make them again), undoing a series edit reverts both.
    const { schema: _formatMark, ...undoable } = rosterMaps(doc);
    const scope = name === 'roster' ? Object.values(undoable) : [scheduleMaps(doc).bookings, ...Object.values(seriesMaps(doc))];
    this.undoManagers[name] = this.undoManager(doc, scope as AnyType[]);
    return doc;
  }

  private attach(name: DocName, doc: Y.Doc): void {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'load') return;
      this.assertInWrite();
      const label = this.receiving > 0 ? 'remote' : originLabel(origin);
      if (label === 'local') this.locallyChanged.add(name);
      this.log.append(name, update, label);
    });
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      // Bookkeeping transactions (UndoManager.clear, destroy) change nothing and need no write.
      if (tr.origin === 'load' || tr.changed.size === 0) return;
      this.assertInWrite();
      const dirty = emptyDirty();
      collectDirty(name, tr, dirty);
      // The context's schedule getter lets the projection load that doc only for booking changes.
      this.projection.apply(this.context(), dirty);
      for (const key of Object.keys(dirty) as Collection[]) for (const id of dirty[key]) this.pending[key].add(id);
    });
  }

  private undoManager(doc: Y.Doc, scope: AnyType[]): Y.UndoManager {
    // Automatic work (`executeAutomatic`) is never captured: no undo step, and the redo stack survives it.
    const um = new Y.UndoManager(scope, {
      trackedOrigins: new Set(['local']),
      captureTimeout: 0,
      captureTransaction: () => this.automatic === 0,
      // A series' log keeps what happened, even of an edit that was undone (the server refuses its removal).
      deleteFilter: (item) => !isSeriesLogEntry(item),
    });
    // Stamp each stack item so undo/redo across the two documents follows the order of the actions.
    um.on('stack-item-added', ({ stackItem }: { stackItem: { meta: Map<string, unknown> } }) => {
      stackItem.meta.set('seq', ++this.stackSeq);
    });
    return um;
  }

  /** Every mutation of the documents runs in here: one SQLite transaction, events only after commit. */
  private write<T>(origin: ChangeEvent['origin'], fn: () => T): T {
    if (this.writeDepth > 0) return fn();
    if (this.broken) throw new Error('The workspace could not save a change; reopen it to continue');
    let result: T;
    this.writeDepth++;
    try {
      result = this.db.transaction(() => {
        const value = fn();
        this.recordLocalAction();
        return value;
      })();
    } catch (error) {
      // SQLite rolled back, but Yjs has no rollback: the in-memory documents may now hold a change the
      // file does not. Refuse further writes until the workspace is reopened from disk.
      this.pending = emptyDirty();
      this.projection.bookingCache.clear();
      this.broken = true;
      throw error;
    } finally {
      this.writeDepth--;
      this.locallyChanged.clear();
    }
    const dirty = this.pending;
    this.pending = emptyDirty();
    this.emit({ changed: mapValues(dirty, (s) => [...s]), origin });
    this.maybeCompact();
    return result;
  }

  /**
   * While linked to a sync server, a write that changed a document locally is one action the server must
   * confirm: note each changed document's client id and clock, inside the write's transaction. Before the
   * first link nothing is recorded (there is no server to wait for; the link's handshake uploads it all).
   */
  private recordLocalAction(): void {
    if (this.locallyChanged.size === 0 || !this.syncLink.linked) return;
    const docs = { roster: this.roster, schedule: this.scheduleDoc };
    this.pendingActions.record(
      [...this.locallyChanged].map((name) => {
        const doc = docs[name]!;
        return { doc: name, clientId: doc.clientID, clock: Y.getState(doc.store, doc.clientID) };
      }),
    );
  }

  private assertInWrite(): void {
    if (this.writeDepth === 0) throw new Error('Documents changed outside a store write: use LocalStore.execute');
  }

  private broken = false;

  /** A command context whose schedule document loads only if the command touches it. */
  context(actor: Actor = this.actor): CommandContext {
    const loadSchedule = () => this.schedule();
    return {
      roster: this.roster,
      get schedule() {
        return loadSchedule();
      },
      actor,
      now: this.now,
      newId,
      knownDocFormat: this.knownDocFormat,
    };
  }

  setActor(actor: Actor): void {
    this.actor = actor;
  }

  /** `actor` overrides the workspace user for one command (a technician acting through a shared store). */
  execute<N extends CommandName>(name: N, input: CommandInput<N>, actor?: Actor): Result<CommandOutput<N>>;
  execute(name: string, input: unknown, actor?: Actor): Result<unknown>;
  execute(name: string, input: unknown, actor?: Actor): Result<unknown> {
    if (this.broken) return fail('internal', 'The workspace could not save a change; reopen it to continue');
    return this.write('local', () => executeCommand(this.context(actor), name as CommandName, input, 'local'));
  }

  /**
   * A command the desktop runs by itself, not the user (keeping recurring visits ahead: series-horizon.ts):
   * a local change like any other (logged, synced, confirmed by the server), but never an undo step, so
   * Ctrl+Z still undoes the user's last action and their redo stack is kept.
   */
  executeAutomatic<N extends CommandName>(name: N, input: CommandInput<N>): Result<CommandOutput<N>> {
    this.automatic++;
    try {
      return this.execute(name, input);
    } finally {
      this.automatic--;
    }
  }

  /**
   * Several commands as one SQLite transaction (seeding, imports): one fsync and one change event.
   * Each command is still its own Y transaction and undo step.
   */
  batch<T>(fn: () => T): T {
    return this.write('local', fn);
  }

  /** Forget undo/redo steps, e.g. after seeding demo data that the user did not do. */
  clearUndoHistory(): void {
    for (const um of Object.values(this.undoManagers)) um.clear();
  }

  /** An update from elsewhere (sync, the server): persisted and projected like a local one. */
  applyUpdate(doc: DocName, update: Uint8Array, origin: Exclude<Origin, 'local' | 'load'> = 'remote'): void {
    const target = doc === 'roster' ? this.roster : this.schedule();
    this.write(origin, () => Y.applyUpdate(target, update, origin));
  }

  /**
   * Runs `fn`, which applies what a sync connection delivered to `doc` (e.g. y-websocket's sync message
   * handler), as one store write: logged with origin 'remote', projected, change events after commit.
   * Whatever transaction origin `fn` uses (the provider object), it never counts as a local action.
   */
  receive<T>(doc: DocName, fn: (target: Y.Doc) => T): T {
    const target = doc === 'roster' ? this.roster : this.schedule();
    return this.write('remote', () => {
      this.receiving++;
      try {
        return fn(target);
      } finally {
        this.receiving--;
      }
    });
  }

  /**
   * Replaces both documents and everything derived from them with `states` (a sync server's documents),
   * in one SQLite transaction: the update logs, read tables, archive, staged edits and sync bookkeeping
   * are cleared, the states become the snapshots, the read tables are projected from them and `link`
   * (if given) is stored. Nothing is kept of the old documents: take a backup first (`backupTo`). Callers
   * must drop every reference to the old `docs` (sync providers) before calling; undo history is reset.
   * `alsoInTransaction` writes whatever else belongs to the new workspace (a restore's archive rows and
   * link) in the same transaction, so the file holds all of it or none.
   */
  replaceDocuments(states: Record<DocName, Uint8Array>, link?: Parameters<SyncLink['set']>[0], alsoInTransaction?: () => void): void {
    if (this.writeDepth > 0) throw new Error('replaceDocuments cannot run inside a write');
    if (this.broken) throw new Error('The workspace could not save a change; reopen it to continue');
    const before = this.allRecordIds();
    const next = { roster: docFromState(states.roster), schedule: docFromState(states.schedule) };
    try {
      this.db.transaction(() => {
        for (const table of REPLACED_TABLES) this.db.exec(`DELETE FROM ${table}`);
        for (const name of DOC_NAMES) this.log.replace(name, garbageCollected(next[name]));
        this.projection.rebuild(next);
        this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('projection_version', ?)").run(PROJECTION_VERSION);
        if (link) this.syncLink.set(link);
        alsoInTransaction?.();
      })();
    } catch (error) {
      // The file is untouched, but the projection cache was refilled from the new documents.
      this.projection.bookingCache.clear();
      this.broken = true;
      throw error;
    }
    this.generation++;
    this.compacting.clear();
    for (const um of Object.values(this.undoManagers)) um.destroy();
    this.roster.destroy();
    this.scheduleDoc?.destroy();
    this.roster = this.adopt('roster', next.roster);
    this.scheduleDoc = this.adopt('schedule', next.schedule);
    this.queries = new StoreQueries(this.db, this.roster, () => this.projection.maxDurationMs, this.projection.bookingCache);
    const after = this.allRecordIds();
    this.emit({ changed: mapValues(before, (ids, key) => [...new Set([...ids, ...after[key]])]), origin: 'remote' });
  }

  /**
   * A consistent copy of the workspace file at `path` (SQLite `VACUUM INTO`: compact, and safe while the
   * store is open). The copy is then opened and its documents compared with the live ones, so a backup
   * that could not restore them is an error here, not a surprise later.
   */
  backupTo(path: string): void {
    if (this.writeDepth > 0) throw new Error('backupTo cannot run inside a write');
    this.db.prepare('VACUUM INTO ?').run(path);
    const copy = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`The backup at ${path} failed its check: ${String(check)}`);
      const log = new DocLog(copy);
      for (const name of DOC_NAMES) {
        const saved = log.load(name);
        const savedState = saved ? Y.decodeStateVector(Y.encodeStateVectorFromUpdate(saved)) : new Map<number, number>();
        const live = Y.decodeStateVector(Y.encodeStateVector(name === 'roster' ? this.roster : this.schedule()));
        if (!sameStateVector(savedState, live)) throw new Error(`The backup at ${path} does not hold the whole ${name} document`);
      }
    } finally {
      copy.close();
    }
  }

  private allRecordIds(): Record<Collection, string[]> {
    const ids = (table: string) => this.db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[];
    return {
      providers: ids('providers'),
      customers: ids('customers'),
      services: ids('services'),
      bookings: ids('bookings'),
      settings: [...rosterMaps(this.roster).settings.keys()],
    };
  }

  canUndo(): boolean {
    return Object.values(this.undoManagers).some((um) => um.undoStack.length > 0);
  }
  canRedo(): boolean {
    return Object.values(this.undoManagers).some((um) => um.redoStack.length > 0);
  }

  undo(): boolean {
    return this.replay('undo');
  }

  /** The undo step `undo` would revert next: the newest across both documents. */
  private nextUndoStep(): { um: Y.UndoManager; meta: Map<string, unknown> } | null {
    let next: { um: Y.UndoManager; meta: Map<string, unknown> } | null = null;
    for (const um of Object.values(this.undoManagers)) {
      const top = um.undoStack.at(-1);
      if (top && (next === null || (top.meta.get('seq') as number) > (next.meta.get('seq') as number))) next = { um, meta: top.meta };
    }
    return next;
  }

  /**
   * Marks the step the last action left on the undo stack with what undoing it means to people (a Save's
   * slots before it): the API then decides how to undo it. Undo steps live in memory only.
   */
  markLastAction(key: string, value: unknown): void {
    this.nextUndoStep()?.meta.set(key, value);
  }

  /** The mark `key` on the step `undo` would revert next, if it has one. */
  nextUndoMark<T>(key: string): T | undefined {
    return this.nextUndoStep()?.meta.get(key) as T | undefined;
  }

  /** Forgets the step `undo` would revert next, without reverting it (it was undone another way). */
  dropNextUndo(): void {
    this.nextUndoStep()?.um.undoStack.pop();
  }
  redo(): boolean {
    return this.replay('redo');
  }

  private replay(kind: 'undo' | 'redo'): boolean {
    const stackOf = (um: Y.UndoManager) => (kind === 'undo' ? um.undoStack : um.redoStack);
    const seqOf = (um: Y.UndoManager) => (stackOf(um).at(-1)?.meta.get('seq') as number | undefined) ?? -1;
    const target = Object.values(this.undoManagers)
      .filter((um) => stackOf(um).length > 0)
      .sort((a, b) => seqOf(b) - seqOf(a))[0];
    if (!target) return false;
    // A new write with a new stamp, not the old entries back (undo-restamp.ts).
    return this.write(kind, () => replayAsNewWrite(target, kind));
  }

  rebuildProjection(): void {
    this.db.transaction(() => {
      this.projection.rebuild(this.docs);
      this.db
        .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('projection_version', ?)")
        .run(PROJECTION_VERSION);
    })();
  }

  compact(doc: DocName): void {
    this.log.compact(doc, doc === 'roster' ? this.roster : this.schedule());
  }

  private maybeCompact(): void {
    for (const name of DOC_NAMES) {
      if (name === 'schedule' && !this.scheduleDoc) continue;
      if (this.compacting.has(name) || this.log.pendingCount(name) < this.compactEvery) continue;
      if (this.compactor) this.compactElsewhere(name, this.compactor);
      else this.compact(name);
    }
  }

  /**
   * The merge runs on another thread from what is committed now; only its commit (one short transaction)
   * runs here. Writes go on meanwhile: their rows come after `through` and stay in the log.
   */
  private compactElsewhere(name: DocName, compactor: Compactor): void {
    const through = this.log.lastId(name);
    const basedOn = this.log.snapshotThrough(name);
    const generation = this.generation;
    this.compacting.add(name);
    this.onCompaction(name, { kind: 'started', through });
    compactor
      .merge({ path: this.path, doc: name, through })
      .then(
        (state) => {
          // Replaced or closed meanwhile: the merge is of a log that no longer exists.
          const current = generation === this.generation && this.db.open;
          const committed = current && this.log.compactThrough(name, state, through, basedOn);
          this.onCompaction(name, { kind: committed ? 'committed' : 'dropped', through });
        },
        (error: unknown) => {
          if (generation === this.generation) this.onCompaction(name, { kind: 'failed', through, error });
        },
      )
      .catch((error: unknown) => this.onCompaction(name, { kind: 'failed', through, error }))
      .finally(() => {
        if (generation === this.generation) this.compacting.delete(name);
      });
  }

  /** True while a document's merge runs off this thread (tests, the bench). */
  get compactionRunning(): boolean {
    return this.compacting.size > 0;
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ChangeEvent): void {
    if (Object.values(event.changed).every((ids) => ids.length === 0)) return;
    for (const listener of this.listeners) listener(event);
  }

  close(): void {
    this.generation++;
    this.compactor?.close();
    for (const um of Object.values(this.undoManagers)) um.destroy();
    this.roster.destroy();
    this.scheduleDoc?.destroy();
    this.db.close();
    this.lock.release();
  }
}

/** What `replaceDocuments` empties; `meta` (projection version, sync link) is kept. */
const REPLACED_TABLES = [
  'doc_updates',
  'doc_snapshots',
  'archive_bookings',
  'draft_changes',
  'sync_pending',
  'offline_changes',
] as const;

function docFromState(state: Uint8Array | null): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  if (state) Y.applyUpdate(doc, state, 'load');
  return doc;
}

function sameStateVector(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

function originLabel(origin: unknown): string {
  if (typeof origin === 'string') return origin;
  if (origin instanceof Y.UndoManager) return 'local';
  return 'unknown';
}

function mapValues<K extends string, A, B>(obj: Record<K, A>, fn: (a: A, key: K) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v as A, k as K)])) as Record<K, B>;
}
