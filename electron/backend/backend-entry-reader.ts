/**
 * Read tables only, on a read-only SQLite connection of a workspace another thread has open: what the board
 * and lists need while that thread is busy decoding the schedule document (seconds for a year of history),
 * so no read waits behind it. Opened when the backend says it starts a load and closed when it is done: no
 * write can land meanwhile (the writer is the busy thread), so what it reads is current.
 *
 * It answers only the read requests of `READ_TABLE_REQUESTS`, through the same board-view code as the
 * backend; everything else waits for the backend.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { ok, toMs, type RequestName, type Result } from '../../core/index';
import type { Clock } from '../../core/clock';
import { checkRange, type BackendInfo } from './api/backend-api';
import { boardRange, queue, stagedBookings } from './api/board-view';
import { DocLog } from './store/doc-log';
import { DraftStore } from './store/drafts';
import type { LocalStore } from './store/local-store';
import { Projection } from './store/projection';
import { StoreQueries } from './store/queries';
import { SyncLink } from './store/sync-link';
import { WORKSPACE_FILE, WorkspaceSetup } from './workspace';

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
] as const satisfies readonly RequestName[];
export type ReadTableRequest = (typeof READ_TABLE_REQUESTS)[number];

const READS: ReadonlySet<string> = new Set(READ_TABLE_REQUESTS);
export const isReadTableRequest = (name: string): name is ReadTableRequest => READS.has(name);

export interface ReadTables {
  /** `input` must be validated against the contract already. */
  handle(name: ReadTableRequest, input: unknown): Result<unknown>;
  close(): void;
}

export interface ReadTablesOptions {
  info: BackendInfo;
  /** The backend's clock (`app:getInfo` answers it). */
  clock: Clock;
}

export function openReadTables(dataDir: string, options: ReadTablesOptions): ReadTables {
  const path = join(dataDir, WORKSPACE_FILE);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // The roster is small (people, services, settings); the schedule document is never touched here.
    const rosterState = new DocLog(db).load('roster');
    const roster = new Y.Doc({ gc: true });
    if (rosterState) Y.applyUpdate(roster, rosterState, 'load');
    const projection = new Projection(db);
    const queries = new StoreQueries(db, roster, () => projection.maxDurationMs, projection.bookingCache);
    const drafts = new DraftStore(db);
    // board-view reads `queries` and `drafts` only; WorkspaceSetup.status() the roster, sync link and demo mark.
    const store = { queries, drafts, db, syncLink: new SyncLink(db), rosterDoc: roster } as unknown as LocalStore;
    const setup = new WorkspaceSetup(store, () => {
      throw new Error('read tables only');
    });
    type Input = Record<string, unknown>;
    const handlers: Record<ReadTableRequest, (input: Input) => Result<unknown>> = {
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
    };
    return {
      handle: (name, input) => handlers[name]((input ?? {}) as Input),
      close: () => {
        roster.destroy();
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
