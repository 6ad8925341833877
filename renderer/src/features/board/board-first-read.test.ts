import { describe, expect, it } from 'vitest';
import type { BoardView, CardBooking } from '../../../../core/api/contract';
import type { Result } from '../../../../core/result';
import { openingReadRange, sendFirstRead } from './board-first-read';
import { reopenCacheOf } from './board-reopen-cache';
import { BoardStore } from './board-store';
import { FakeClient } from './board-test-client';
import type { Roster } from './use-roster';

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const ZONE = 'America/Chicago';
const roster = { settings: { timeZone: ZONE }, providers: [], providersById: new Map(), services: new Map(), customers: new Map() } as unknown as Roster;
const card = (id: string) => ({ id, title: id, slot: { start: '2026-11-23T15:00:00Z', end: '2026-11-23T16:00:00Z', assignees: ['p1'] }, status: 'scheduled', staged: false }) as unknown as CardBooking;
const view = (...ids: string[]): BoardView => ({ bookings: ids.map(card), conflicts: {}, stagedCount: 0 });

const TODAY = '2026-11-25'; // a Wednesday
const WEEK = { view: 'resourceTimelineWeek', date: TODAY } as const;
const WEEK_RANGE = { kind: 'week', title: 'w', firstDay: '2026-11-23', lastDay: '2026-11-29' } as const;

/** The board screen on `client`: a store on the client's own reopen cache, started and connected as Board.tsx does. */
function openBoard(client: FakeClient, opening: { view: 'resourceTimelineDay' | 'resourceTimelineWeek'; date: string } = WEEK) {
  const store = new BoardStore(client, roster, { notify: () => {}, reopen: reopenCacheOf(client) });
  store.start(opening);
  store.connect();
  return store;
}

describe('the board\'s first read sent with the settings (board-first-read.ts)', () => {
  it('reads the week from its Monday in the organization\'s zone, full local days', () => {
    expect(openingReadRange(WEEK, ZONE)).toEqual({ from: '2026-11-23T06:00:00Z', to: '2026-11-30T06:00:00Z' });
    expect(openingReadRange({ view: 'resourceTimelineDay', date: TODAY }, ZONE)).toEqual({ from: '2026-11-25T06:00:00Z', to: '2026-11-26T06:00:00Z' });
  });

  it('is the board\'s first read: the store sends none of its own and shows the early answer', async () => {
    const client = new FakeClient();
    sendFirstRead(client, ZONE, TODAY, '?view=week');
    expect(client.named('board:getRange').map((c) => c.input)).toEqual([openingReadRange(WEEK, ZONE)]);

    const store = openBoard(client);
    store.setRange(WEEK_RANGE);
    expect(client.named('board:getRange')).toHaveLength(1);
    await client.pending('board:getRange').answer(ok(view('a', 'b')));
    expect(store.getState()).toMatchObject({ firstReadDone: true });
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a', 'b']);
  });

  it('is dropped when the schedule changed after it was sent, before the board started', async () => {
    const client = new FakeClient();
    sendFirstRead(client, ZONE, TODAY, '?view=week');
    client.emit('schedule:changed', { ids: ['a'] });

    const store = openBoard(client);
    store.setRange(WEEK_RANGE);
    const [early, own] = client.named('board:getRange');
    expect(own?.input).toEqual(early?.input);
    await own!.answer(ok(view('a2')));
    await early!.answer(ok(view('a')));
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a2']);
  });

  it('is read again when the schedule changed between the store\'s start and its connect', async () => {
    const client = new FakeClient();
    sendFirstRead(client, ZONE, TODAY, '?view=week');
    const store = new BoardStore(client, roster, { notify: () => {}, reopen: reopenCacheOf(client) });
    store.start(WEEK);
    client.emit('schedule:changed', { ids: ['a'] });
    store.connect();
    store.setRange(WEEK_RANGE);
    const reads = client.named('board:getRange');
    expect(reads.length).toBeGreaterThan(1);
    for (const read of reads.slice(1)) await read.answer(ok(view('a2')));
    await reads[0]!.answer(ok(view('a')));
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['a2']);
  });

  it('is not taken for another range (the board opens on another day): the store reads its own', async () => {
    const client = new FakeClient();
    sendFirstRead(client, ZONE, TODAY, '?view=week');
    const store = openBoard(client, { view: 'resourceTimelineDay', date: TODAY });
    const [, own] = client.named('board:getRange');
    expect(own?.input).toEqual(openingReadRange({ view: 'resourceTimelineDay', date: TODAY }, ZONE));
    await own!.answer(ok(view('d')));
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['d']);
  });

  it('is taken once: a second board on the same client reads again', () => {
    const client = new FakeClient();
    sendFirstRead(client, ZONE, TODAY, '?view=week');
    openBoard(client);
    expect(client.named('board:getRange')).toHaveLength(1);
    openBoard(client);
    expect(client.named('board:getRange')).toHaveLength(2);
  });
});
