import { describe, expect, it } from 'vitest';
import type { BoardBooking, BoardView, CardBooking } from '../../../../core/api/contract';
import type { Result } from '../../../../core/result';
import { BoardReopenCache } from './board-reopen-cache';
import { BoardStore } from './board-store';
import { FakeClient } from './board-test-client';
import type { Roster } from './use-roster';

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const roster = { settings: { timeZone: 'UTC' }, providers: [], providersById: new Map(), services: new Map(), customers: new Map() } as unknown as Roster;
const card = (id: string) => ({ id, title: id, slot: { start: '2026-11-23T09:00:00Z', end: '2026-11-23T10:00:00Z', assignees: ['p1'] }, status: 'scheduled', staged: false }) as unknown as CardBooking;
const view = (...ids: string[]): BoardView => ({ bookings: ids.map(card), conflicts: {}, stagedCount: 0 });
const queued = [{ id: 'q1', title: 'q1', slot: null, status: 'unscheduled', staged: false }] as unknown as BoardBooking[];

const WEEK = { view: 'resourceTimelineWeek', date: '2026-11-25' } as const;
const WEEK_RANGE = { kind: 'week', title: 'w', firstDay: '2026-11-23', lastDay: '2026-11-29' } as const;

/** One board "screen": a store on the shared client and cache, opened on the week and connected, as Board.tsx does. */
function open(client: FakeClient, cache: BoardReopenCache) {
  const store = new BoardStore(client, roster, { notify: () => {}, reopen: cache });
  store.start(WEEK);
  const disconnect = store.connect();
  return { store, leave: disconnect };
}

/** Opens the week, answers its reads with `ids` and an unassigned job, and leaves: the board is kept. */
async function leftWith(client: FakeClient, cache: BoardReopenCache, ...ids: string[]) {
  const { store, leave } = open(client, cache);
  store.setRange(WEEK_RANGE);
  await client.pending('board:getRange').answer(ok(view(...ids)));
  void store.refreshQueue();
  await client.pending('queue:list').answer(ok(queued));
  leave();
}

describe('the board opened again (board-reopen-cache.ts)', () => {
  it('shows the board as it was left before any request, and the calendar\'s first read of that range sends nothing', async () => {
    const client = new FakeClient();
    const cache = new BoardReopenCache(client);
    await leftWith(client, cache, 'a', 'b');
    const reads = client.named('board:getRange').length;

    const { store } = open(client, cache);
    expect(store.getState()).toMatchObject({ firstReadDone: true });
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a', 'b']);
    expect(store.getState().queue.map((b) => b.id)).toEqual(['q1']);
    store.setRange(WEEK_RANGE);
    await Promise.resolve();
    expect(client.named('board:getRange')).toHaveLength(reads);
  });

  it('any invalidation while the board is closed drops what was kept: the board reads again', async () => {
    for (const fire of [
      (c: FakeClient) => c.emit('schedule:changed', { ids: ['a'] }),
      (c: FakeClient) => c.emit('draft:changed', { stagedCount: 1 }),
      (c: FakeClient) => c.emit('roster:changed', { ids: ['p1'] }),
    ]) {
      const client = new FakeClient();
      const cache = new BoardReopenCache(client);
      await leftWith(client, cache, 'a');
      fire(client);
      const { store } = open(client, cache);
      expect(store.getState().view).toBeNull();
      store.setRange(WEEK_RANGE);
      await client.pending('board:getRange').answer(ok(view('a2')));
      expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a2']);
    }
  });

  it('another range is not served from what was kept', async () => {
    const client = new FakeClient();
    const cache = new BoardReopenCache(client);
    await leftWith(client, cache, 'a');
    const store = new BoardStore(client, roster, { notify: () => {}, reopen: cache });
    store.start({ view: 'resourceTimelineDay', date: '2026-11-24' });
    expect(store.getState().view).toBeNull();
    expect(client.named('board:getRange').at(-1)!.input).toEqual({ from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z' });
  });

  it('a board left with a read still on its way is not kept', async () => {
    const client = new FakeClient();
    const cache = new BoardReopenCache(client);
    const { store, leave } = open(client, cache);
    store.setRange(WEEK_RANGE);
    await client.pending('board:getRange').answer(ok(view('a')));
    void store.refreshQueue();
    await client.pending('queue:list').answer(ok(queued));
    store.refresh(); // an edit elsewhere: its read has not answered when the board is left
    leave();
    expect(cache.takeBoard('2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z')).toBeNull();
  });

  it('an invalidation between opening on the kept board and listening to events reads again', async () => {
    const client = new FakeClient();
    const cache = new BoardReopenCache(client);
    await leftWith(client, cache, 'a');
    const store = new BoardStore(client, roster, { notify: () => {}, reopen: cache });
    store.start(WEEK);
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a']);
    client.emit('schedule:changed', { ids: ['a'] }); // before the store's own listeners exist
    const reads = client.named('board:getRange').length;
    store.connect();
    store.setRange(WEEK_RANGE);
    expect(client.named('board:getRange').length).toBeGreaterThan(reads);
    await client.pending('board:getRange').answer(ok(view('a', 'new')));
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a', 'new']);
  });

  it('a roster read is kept only when no roster event came while it was on its way; a lost connection drops all', () => {
    const listeners: Array<(up: boolean) => void> = [];
    const client = Object.assign(new FakeClient(), { onConnectionChange: (l: (up: boolean) => void) => (listeners.push(l), () => {}) });
    const cache = new BoardReopenCache(client);
    const before = cache.rosterMark();
    client.emit('roster:changed', { ids: [] });
    cache.keepRoster(roster, before);
    expect(cache.keptRoster()).toBeNull();
    cache.keepRoster(roster, cache.rosterMark());
    expect(cache.keptRoster()).toBe(roster);
    client.emit('schedule:changed', { ids: [] }); // the schedule, not the roster
    expect(cache.keptRoster()).toBe(roster);
    cache.keepBoard({ from: 'f', to: 't', view: view('a'), queue: [] });
    listeners.forEach((l) => l(false));
    expect(cache.keptRoster()).toBeNull();
    expect(cache.takeBoard('f', 't')).toBeNull();
  });
});
