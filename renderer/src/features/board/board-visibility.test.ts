import { describe, expect, it, vi } from 'vitest';
import type { BoardView, CardBooking } from '../../../../core/api/contract';
import type { Result } from '../../../../core/result';
import { BoardStore, type VisibleRange } from './board-store';
import { FakeClient } from './board-test-client';
import type { Roster } from './use-roster';

/**
 * The board kept mounted behind other screens (App.tsx): one flag in the store says whether it shows, and
 * `whileVisible` is the one rule its window, document and menu listeners go through. Its reads go on while
 * hidden, so the board is current when it shows again.
 */

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const roster = { settings: { timeZone: 'UTC' }, providers: [{ id: 'p1', name: 'Ana', active: true, sortOrder: 1 }], providersById: new Map(), services: new Map(), customers: new Map() } as unknown as Roster;
const DAY: VisibleRange = { kind: 'day', title: 'Mon', firstDay: '2026-11-23', lastDay: '2026-11-23' };
const card = (id: string, hour: number): CardBooking =>
  ({ id, title: id, customerId: null, serviceId: null, priority: 'normal', teamSize: 1, laborHours: 1, arrivalWindow: null, status: 'scheduled', staged: false, slot: { start: `2026-11-23T${String(hour).padStart(2, '0')}:00:00Z`, end: `2026-11-23T${String(hour + 1).padStart(2, '0')}:00:00Z`, assignees: ['p1'] } }) as CardBooking;
const view = (bookings: CardBooking[]): BoardView => ({ bookings, conflicts: {}, stagedCount: 0 });

async function shown() {
  const client = new FakeClient();
  const store = new BoardStore(client, roster, { notify: () => {} });
  store.connect();
  store.setRange(DAY);
  await client.pending('board:getRange').answer(ok(view([card('a', 9)])));
  return { client, store };
}

describe('BoardStore visibility', () => {
  it('starts visible; hiding and showing tell the subscribers once each', async () => {
    const { store } = await shown();
    expect(store.getState().visible).toBe(true);
    const listener = vi.fn();
    store.subscribe(listener);
    store.setVisible(false);
    store.setVisible(false);
    expect(store.getState().visible).toBe(false);
    expect(listener).toHaveBeenCalledTimes(1);
    store.setVisible(true);
    expect(store.getState().visible).toBe(true);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('hiding closes the modal dialog and the assistant panel; the selection and the job panel stay', async () => {
    const { store } = await shown();
    store.openFromQueue('a');
    store.openDialog('search');
    store.openAssistant({ kind: 'suggest', bookingId: 'a' });
    store.setVisible(false);
    expect(store.getState()).toMatchObject({ dialog: null, assistant: null, selectedId: 'a', panelId: 'a' });
    store.setVisible(true);
    expect(store.getState()).toMatchObject({ dialog: null, assistant: null, selectedId: 'a', panelId: 'a', visible: true });
  });

  it('a listener wrapped by whileVisible acts only while the board shows, and again after it shows', async () => {
    const { store } = await shown();
    const handler = vi.fn();
    const listener = store.whileVisible(handler);
    listener('first', 1);
    store.setVisible(false);
    listener('hidden', 2);
    store.setVisible(true);
    listener('again', 3);
    expect(handler.mock.calls).toEqual([
      ['first', 1],
      ['again', 3],
    ]);
  });

  it('the flag is read when the event comes, not when the listener was made', async () => {
    const { store } = await shown();
    store.setVisible(false);
    const handler = vi.fn();
    const listener = store.whileVisible(handler); // made while hidden (a re-render behind another screen)
    listener();
    store.setVisible(true);
    listener();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('a change made elsewhere while hidden is read and committed before the board shows again', async () => {
    const { client, store } = await shown();
    store.setVisible(false);
    client.emit('schedule:changed', { ids: ['a'] } as never);
    await client.pending('board:getRange').answer(ok(view([card('a', 14)])));
    await client.pending('queue:list').answer(ok([]));
    expect(store.getState().view?.bookings[0]?.slot?.start).toBe('2026-11-23T14:00:00Z');
    store.setVisible(true);
    // Showing reads nothing more: the view is already the backend's.
    expect(client.named('board:getRange')).toHaveLength(2);
  });

  it('an edit delta while hidden goes to the calendar at once, without a full read', async () => {
    const { client, store } = await shown();
    const sink = vi.fn();
    store.onDelta(sink);
    store.setVisible(false);
    store.applyDelta({ from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z', bookings: [card('a', 11)], conflicts: {}, gone: [], stagedCount: 1 }, ['a'], ['p1']);
    expect(sink).toHaveBeenCalledTimes(1);
    expect(store.getState().view?.bookings.map((b) => b.slot?.start)).toEqual(['2026-11-23T11:00:00Z']);
    expect(client.named('board:getRange')).toHaveLength(1);
  });
});
