import { fixedClock } from '../../../../core/clock';
import type { Actor, BackendClient } from '../../../../core/index';
import type { Result } from '../../../../core/result';
import { LocalStore } from '../../store/local-store';
import { tempDir } from '../../store/testing/temp-dir';
import { BackendApi, directClient } from '../backend-api';

/** The backend API's integration tests: a real SQLite workspace file and the API over the direct client. */

export const DISPATCHER: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'dispatcher' };
export const ADMIN: Actor = { id: 'a', name: 'Admin', role: 'admin' };
/** Monday 2026-11-23, 06:00 in Chicago: the tests' fixed "now". */
export const TEST_NOW = Date.parse('2026-11-23T12:00:00Z');

/** A wall-clock time in Chicago in November (UTC-6), written out by hand rather than computed by core. */
export const chicago = (hhmm: string, day = 24) =>
  `2026-11-${day}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;

/** The value of an answer, or the test fails with its message. */
export function unwrap<T>(result: Result<T> | { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
export const must = async <T>(answer: Promise<Result<T> | { ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => unwrap(await answer);

export interface ApiWorkspace {
  store: LocalStore;
  client: BackendClient;
  /** A command through the API, as the console runs it. */
  run<T = { id: string }>(name: string, input: unknown): Promise<T>;
}

/** Opens a workspace (closed and deleted by `cleanups`) with the dispatcher as its actor. */
export function openApiWorkspace(cleanups: Array<() => void>, nowMs = TEST_NOW): ApiWorkspace {
  const tmp = tempDir();
  const store = LocalStore.open(tmp.file('ws.sqlite'), { actor: DISPATCHER, clock: fixedClock(nowMs) });
  cleanups.push(() => {
    if (store.db.open) store.close();
    tmp.cleanup();
  });
  const client = directClient(new BackendApi(store, { version: 'test', transport: 'websocket' }));
  return { store, client, run: async <T>(name: string, input: unknown) => (await must(client.request('commands:run', { name, input }))) as T };
}
