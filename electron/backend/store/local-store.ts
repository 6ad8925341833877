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
import { DocLog, DOC_NAMES, type DocName } from './doc-log';
import { collectDirty, emptyDirty, Projection, type Collection, type DirtySet } from './projection';
import { migrate, PROJECTION_VERSION } from './schema';
import { StoreQueries } from './queries';
import { DraftStore } from './drafts';

export interface ChangeEvent {
  /** Ids per collection that changed in one committed write. */
  changed: Record<Collection, string[]>;
  origin: Origin | 'undo' | 'redo';
}

export interface LocalStoreOptions {
  actor: Actor;
  now?: () => string;
  /** Compact a document once its log holds this many updates. */
  compactEvery?: number;
}

type Docs = Record<DocName, Y.Doc>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
type AnyType = Y.AbstractType<any>;

/**
 * The desktop's local store (DESIGN §5): the two Yjs documents, their durable log in SQLite, and read
 * tables kept in step in the same SQLite transaction as every update. Change events fire only after commit.
 */
export class LocalStore {
  readonly db: Database.Database;
  readonly queries: StoreQueries;
  readonly drafts: DraftStore;
  private readonly log: DocLog;
  private readonly projection: Projection;
  private readonly roster: Y.Doc;
  /** Loaded on first need (a write, sync, undo, `loadDocuments`): queries never need it. */
  private scheduleDoc: Y.Doc | null = null;
  private readonly undoManagers: Partial<Record<DocName, Y.UndoManager>> = {};
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private pending: DirtySet = emptyDirty();
  private writeDepth = 0;
  private stackSeq = 0;
  private actor: Actor;
  private readonly now: () => string;
  private readonly compactEvery: number;

  static open(path: string, options: LocalStoreOptions): LocalStore {
    return new LocalStore(path, options);
  }

  /**
   * Opening reads the small roster document and the read tables only. The schedule document (a year of
   * bookings can take seconds to decode) loads on first use, so the board can paint from SQLite first.
   */
  private constructor(readonly path: string, options: LocalStoreOptions) {
    this.actor = options.actor;
    this.now = options.now ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    this.compactEvery = options.compactEvery ?? 2000;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed action survives a power cut, not only a process crash.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.log = new DocLog(this.db);
    this.roster = this.loadDoc('roster');
    this.projection = new Projection(this.db);
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'projection_version'").pluck().get();
    if (version !== PROJECTION_VERSION) this.rebuildProjection();
    this.queries = new StoreQueries(this.db, this.roster, () => this.projection.maxDurationMs, this.projection.bookingCache);
    this.drafts = new DraftStore(this.db);
  }

  /** Both documents; touching this loads the schedule document if it is not in memory yet. */
  get docs(): Docs {
    return { roster: this.roster, schedule: this.schedule() };
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
    const doc = new Y.Doc({ gc: true });
    const state = this.log.load(name);
    if (state) Y.applyUpdate(doc, state, 'load');
    this.attach(name, doc);
    // History, archive markers and notification requests are outside the undo scope: undo never
    // erases the record of what happened, nor a notification that may already have gone out.
    const scope = name === 'roster' ? Object.values(rosterMaps(doc)) : [scheduleMaps(doc).bookings];
    this.undoManagers[name] = this.undoManager(doc, scope as AnyType[]);
    return doc;
  }

  private attach(name: DocName, doc: Y.Doc): void {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'load') return;
      this.assertInWrite();
      this.log.append(name, update, originLabel(origin));
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
    const um = new Y.UndoManager(scope, { trackedOrigins: new Set(['local']), captureTimeout: 0 });
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
      result = this.db.transaction(fn)();
    } catch (error) {
      // SQLite rolled back, but Yjs has no rollback: the in-memory documents may now hold a change the
      // file does not. Refuse further writes until the workspace is reopened from disk.
      this.pending = emptyDirty();
      this.projection.bookingCache.clear();
      this.broken = true;
      throw error;
    } finally {
      this.writeDepth--;
    }
    const dirty = this.pending;
    this.pending = emptyDirty();
    this.emit({ changed: mapValues(dirty, (s) => [...s]), origin });
    this.maybeCompact();
    return result;
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

  canUndo(): boolean {
    return Object.values(this.undoManagers).some((um) => um.undoStack.length > 0);
  }
  canRedo(): boolean {
    return Object.values(this.undoManagers).some((um) => um.redoStack.length > 0);
  }

  undo(): boolean {
    return this.replay('undo');
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
    return this.write(kind, () => (kind === 'undo' ? target.undo() : target.redo()) !== null);
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
      if (this.log.pendingCount(name) >= this.compactEvery) this.compact(name);
    }
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
    for (const um of Object.values(this.undoManagers)) um.destroy();
    this.roster.destroy();
    this.scheduleDoc?.destroy();
    this.db.close();
  }
}

function originLabel(origin: unknown): string {
  if (typeof origin === 'string') return origin;
  if (origin instanceof Y.UndoManager) return 'local';
  return 'unknown';
}

function mapValues<K extends string, A, B>(obj: Record<K, A>, fn: (a: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v as A)])) as Record<K, B>;
}
