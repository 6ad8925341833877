/**
 * When the host's router (./backend-entry-remote.ts) may answer a read from the read tables instead of the
 * backend worker: the worker is busy (a decode, a compaction's commit, a large sync apply, garbage
 * collection): it has not answered the read, nor sent anything else, for `HEDGE_AFTER_MS`; and no request that may change
 * something was sent before it and is still waiting (the read would overtake that change: a board read
 * right after a drop must show the drop).
 */
import type { RequestName } from '../../core/index';
import { isReadTableRequest } from './backend-entry-reader';

/**
 * A read the worker has not answered by then is answered from the read tables. Its own answers take a few
 * ms, so this only ever fires while it is busy; low enough to keep the longest wait under 100 ms.
 */
export const HEDGE_AFTER_MS = 30;

/**
 * A worker that keeps answering other requests is only slow, and asking the read tables too would add work
 * on the host thread; but not past this: a read still unanswered by then is answered from the read tables
 * whatever else the worker answers (a large sync apply sends events between its slices, and reads waited
 * up to 186 ms behind it on a quiet machine, bench/README "No request waits").
 */
export const WAIT_AT_MOST_MS = 2 * HEDGE_AFTER_MS;

/** Requests that only read: they never hold a later read back. Anything not listed counts as a change. */
const ONLY_READS: ReadonlySet<string> = new Set<RequestName>([
  'bookings:get',
  'series:ofBooking',
  'series:rulesFor',
  'draft:preview',
  'routeSheets:get',
  'sync:getPresence',
  'sync:listOfflineChanges',
  'notifications:listForBooking',
  'notifications:listDeadLetters',
  'export:csv',
  'backup:list',
  'backup:getSettings',
  'team:listUsers',
  'import:preview',
]);

export const onlyReads = (name: string): boolean => isReadTableRequest(name) || ONLY_READS.has(name);

/** The ids of requests that may change something, sent to the worker and not answered yet. */
export class InFlightChanges {
  private readonly ids = new Set<number>();

  sent(id: number, name: string): void {
    if (!onlyReads(name)) this.ids.add(id);
  }

  answered(id: number): void {
    this.ids.delete(id);
  }

  /** True when a change sent before request `id` is still waiting for the worker. */
  before(id: number): boolean {
    for (const waiting of this.ids) if (waiting < id) return true;
    return false;
  }
}
