import { describe, expect, it } from 'vitest';
import type { RequestName } from '../../../../core/api/contract';
import type { Result } from '../../../../core/result';
import { BoardStore, type BoardClient, type CalendarPort } from './board-store';
import { openingPlace, rememberBoardPlace } from './board-place';
import type { Roster } from './use-roster';

/** The week overview (issue 19, part 4) as the store and the opening place know it. */

const roster = { settings: { timeZone: 'UTC' }, providers: [], providersById: new Map(), services: new Map(), customers: new Map() } as unknown as Roster;
const slot = { start: '2026-11-26T15:00:00Z', end: '2026-11-26T16:00:00Z', assignees: ['p1'] };

function storeWith(answers: Partial<Record<RequestName, unknown>>) {
  const calls: Array<{ name: RequestName; input: unknown }> = [];
  const client = {
    request: (name: RequestName, input: unknown) => {
      calls.push({ name, input });
      return Promise.resolve({ ok: true, value: answers[name] ?? { bookings: [], conflicts: {}, stagedCount: 0 } } as Result<unknown>);
    },
    on: () => () => {},
  } as unknown as BoardClient;
  const store = new BoardStore(client, roster, { notify: () => {} });
  const asked: string[] = [];
  const port: CalendarPort = {
    day: (d) => asked.push(`day ${d}`),
    week: () => asked.push('week'),
    weekLoad: () => asked.push('weekLoad'),
    gotoDate: (d) => asked.push(`goto ${d}`),
    prev: () => {},
    next: () => {},
    range: () => {},
    reveal: () => {},
  };
  store.calendar = port;
  return { store, calls, asked };
}

describe('week overview navigation', () => {
  it('opens on the week overview from ?view=load, and reads its whole Monday–Sunday week first', () => {
    rememberBoardPlace(null);
    const opening = openingPlace('?view=load&date=2026-11-26', '2026-11-24');
    expect(opening).toEqual({ view: 'resourceTimelineWeekLoad', date: '2026-11-26', range: null });
    const { store, calls } = storeWith({});
    store.start(opening);
    expect(calls[0]).toEqual({ name: 'board:getRange', input: { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' } });
  });

  it('reopens on the week overview it was left on', () => {
    rememberBoardPlace({ view: 'resourceTimelineWeekLoad', firstDay: '2026-11-30', lastDay: '2026-12-06' });
    expect(openingPlace('', '2026-11-24')).toEqual({ view: 'resourceTimelineWeekLoad', date: '2026-11-30', range: null });
    rememberBoardPlace(null);
  });

  it('a job chosen elsewhere opens in its day view, not the overview (which has no cards to show)', async () => {
    const { store, asked } = storeWith({ 'bookings:get': { booking: { id: 'b1', slot } } });
    store.setRange({ kind: 'load', title: 'Nov 23 – 29, 2026', firstDay: '2026-11-23', lastDay: '2026-11-29' });
    await store.jumpTo('b1');
    expect(asked).toEqual(['day 2026-11-26']);
    expect(store.getState().panelId).toBe('b1');
  });

  it('the row labels of the overview show today when in view, else its first day', () => {
    const { store } = storeWith({});
    store.setRange({ kind: 'load', title: '', firstDay: '2026-11-23', lastDay: '2026-11-29' });
    expect(store.loadDay('2026-11-24')).toBe('2026-11-24');
    expect(store.loadDay('2026-12-24')).toBe('2026-11-23');
  });
});
