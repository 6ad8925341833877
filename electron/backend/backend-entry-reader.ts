/**
 * The read tables, on a SQLite connection of its own to a workspace another thread has open: what the board
 * and lists need while that thread is busy (decoding the schedule document, compacting, applying a large
 * sync: seconds for a year of history), so no read waits behind it. SQLite's `data_version` tells when the
 * writer committed since the last read: the roster and caches are then built again, so an answer always
 * reflects every committed write (never one in progress).
 *
 * It answers only the read requests of `READ_TABLE_REQUESTS`, through the same board-view code as the
 * backend, and the board's staged edits (./api/draft-staging.ts: they never need the schedule document);
 * everything else waits for the backend. That is why the connection may write, though only `draft_changes`
 * rows, and never waits for the backend's write lock: a write the backend holds the lock for (a sync
 * apply's transaction) fails at once here, and the request goes to the backend instead.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { ok, toMs, type RequestName, type Result } from '../../core/index';
import type { Clock } from '../../core/clock';
import type { BackendInfo } from './api/backend-api';
import { boardRange, checkRange, queue, stagedBookings } from './api/board-view';
import { DocLog } from './store/doc-log';
import { DraftStore } from './store/drafts';
import type { LocalStore } from './store/local-store';
import { Projection } from './store/projection';
import { StoreQueries } from './store/queries';
import { actorOfLinkedUser, SyncLink } from './store/sync-link';
import { PendingActions } from './store/pending-actions';
import type { SyncStatus } from '../../core/sync/client-status';
import { LOCAL_ADMIN, WORKSPACE_FILE, WorkspaceSetup } from './workspace';
import { runDraftRequest, type DraftRequest, type StagingTables } from './api/draft-staging';

export const READ_TABLE_REQUESTS = [
  'app:getInfo',
  'workspace:getStatus',
  'settings:get',
  'providers:list',
  'customers:list',
  'services:list',
  'board:getRange',
  'queue:list',
  'bookings:list',
  'search:query',
  'sync:getStatus',
] as const satisfies readonly RequestName[];
export type ReadTableRequest = (typeof READ_TABLE_REQUESTS)[number];

const READS: ReadonlySet<string> = new Set(READ_TABLE_REQUESTS);
export const isReadTableRequest = (name: string): name is ReadTableRequest => READS.has(name);

export interface ReadTables {
  /** `input` must be validated against the contract already. */
  handle(name: ReadTableRequest, input: unknown): Result<unknown>;
  /**
   * A staged edit, written here; `input` validated already. Throws when the backend holds the write lock:
   * nothing was written then.
   */
  stage(name: DraftRequest, input: unknown): Result<unknown>;
  close(): void;
}

export interface ReadTablesOptions {
  info: BackendInfo;
  /** The backend's clock (`app:getInfo` answers it). */
  clock: Clock;
  /** The sync client's last `sync:statusChanged`, if the backend sent one (it knows the rooms; SQLite does not). */
  lastSyncStatus?: () => SyncStatus | null;
}

/** What the sync client answers before it has started (no rooms yet): the link and pending count are in SQLite. */
function syncStatusFromTables(link: SyncLink, pending: PendingActions): SyncStatus {
  const linked = link.get();
  return {
    state: 'signed-out',
    pending: linked ? pending.count() : 0,
    linked: linked !== null,
    serverUrl: linked?.serverUrl ?? null,
    orgId: linked?.orgId ?? null,
    user: linked?.user ?? null,
    error: null,
    lastSyncedAt: null,
  };
}

export function openReadTables(dataDir: string, options: ReadTablesOptions): ReadTables {
  const path = join(dataDir, WORKSPACE_FILE);
  // timeout 0: a held write lock is an answer (ask the backend), never a wait on the host's thread.
  const db = new Database(path, { fileMustExist: true, timeout: 0 });
  try {
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    type Input = Record<string, unknown>;
    type Handlers = Record<ReadTableRequest, (input: Input) => Result<unknown>>;
    // Everything read from committed state at one `data_version`: rebuilt when the writer commits again.
    // The roster is small (people, services, settings); the schedule document is never touched here.
    const loadRoster = () => {
      const rosterState = new DocLog(db).load('roster');
      const doc = new Y.Doc({ gc: true });
      if (rosterState) Y.applyUpdate(doc, rosterState, 'load');
      return doc;
    };
    // Cheap: statements and small objects; caches (parsed bookings, the sync link) start empty.
    const build = (roster: Y.Doc): { handlers: Handlers; staging: StagingTables; roster: Y.Doc } => {
      const projection = new Projection(db);
      const queries = new StoreQueries(db, roster, () => projection.maxDurationMs, projection.bookingCache);
      const drafts = new DraftStore(db, options.clock);
      const syncLink = new SyncLink(db);
      const pending = new PendingActions(db);
      // board-view reads `queries` and `drafts` only; WorkspaceSetup.status() the roster, sync link and demo mark.
      const store = { queries, drafts, db, syncLink, rosterDoc: roster } as unknown as LocalStore;
      const setup = new WorkspaceSetup(store, () => {
        throw new Error('read tables only');
      });
      const handlers: Handlers = {
        'app:getInfo': () => ok({ version: options.info.version, workspace: path, transport: options.info.transport, now: options.clock() }),
        'workspace:getStatus': () => ok(setup.status()),
        'settings:get': () => ok(queries.settings()),
        'providers:list': ({ includeInactive }) => ok(queries.providers({ includeInactive: (includeInactive as boolean | undefined) ?? true })),
        'customers:list': () => ok(queries.customers()),
        'services:list': () => ok(queries.services()),
        'board:getRange': ({ from, to }) => {
          const checked = checkRange({ from: from as string, to: to as string });
          return checked.ok ? ok(boardRange(store, checked.value.from, checked.value.to)) : checked;
        },
        'queue:list': ({ text }) => ok(queue(store, text as string | undefined)),
        'bookings:list': ({ text, status, providerId, from, to }) => {
          const staged = stagedBookings(store);
          const filter = { text, status, providerId, fromMs: from ? toMs(from as string) : undefined, toMs: to ? toMs(to as string) : undefined };
          return ok(queries.list(filter as Parameters<StoreQueries['list']>[0]).map((b) => staged.get(b.id) ?? { ...b, staged: false }));
        },
        'search:query': ({ text }) => ok(queries.search(text as string)),
        'sync:getStatus': () => ok(options.lastSyncStatus?.() ?? syncStatusFromTables(syncLink, pending)),
      };
      const staging: StagingTables = {
        queries,
        drafts,
        admitContext: () => {
          const link = syncLink.get();
          // The backend's actor: the linked user, or the workspace's local admin (./workspace.ts).
          return { roster, actor: link ? actorOfLinkedUser(link.user) : LOCAL_ADMIN };
        },
      };
      return { handlers, staging, roster };
    };
    // The roster's log position: its document is decoded again only when it changed.
    const rosterMark = db.prepare(
      // (A replaced roster keeps no rows: its snapshot's stamp and size tell it apart.)
      `SELECT (SELECT coalesce(max(id), 0) FROM doc_updates WHERE doc = 'roster') || ':' ||
              coalesce((SELECT through_id || ':' || at || ':' || length(data) FROM doc_snapshots WHERE doc = 'roster'), '-')`,
    ).pluck();
    let version = dataVersion.get();
    let roster = rosterMark.get();
    let current = build(loadRoster());
    const fresh = () => {
      const now = dataVersion.get();
      if (now !== version) {
        version = now;
        const mark = rosterMark.get();
        // Another commit: nothing cached may be kept, and the roster is decoded again only if it changed.
        let doc = current.roster;
        if (mark !== roster) {
          roster = mark;
          doc.destroy();
          doc = loadRoster();
        }
        current = build(doc);
      }
      return current;
    };
    return {
      handle: (name, input) => fresh().handlers[name]((input ?? {}) as Input),
      // One immediate transaction: the checks read the state the write lands on (no commit of the backend's in between).
      stage: (name, input) => db.transaction(() => runDraftRequest(fresh().staging, name, input as never)).immediate(),
      close: () => {
        current.roster.destroy();
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
