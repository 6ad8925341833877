import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BoardDelta, BoardView, CardBooking } from '../../../../core/api/contract';
import type { Slot } from '../../../../core/model';
import type { Result } from '../../../../core/result';
import { BoardStore, type DeltaSink, type VisibleRange } from './board-store';
import { FakeClient } from './board-test-client';
import type { Roster } from './use-roster';

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const refused = (message: string): Result<never> => ({ ok: false, error: { code: 'invalid', message } as never });

const roster = {
  settings: { timeZone: 'UTC' },
  providers: [
    { id: 'p1', name: 'Ana', active: true, sortOrder: 1 },
    { id: 'p2', name: 'Ben', active: true, sortOrder: 2 },
  ],
  providersById: new Map(),
  services: new Map(),
  customers: new Map(),
} as unknown as Roster;

const slot = (assignee: string, hour: number): Slot => ({
  start: `2026-11-23T${String(hour).padStart(2, '0')}:00:00Z`,
  end: `2026-11-23T${String(hour + 1).padStart(2, '0')}:00:00Z`,
  assignees: assignee ? [assignee] : [],
});

const booking = (id: string, s: Slot | null, staged = false): CardBooking =>
  ({ id, title: id, customerId: null, serviceId: null, priority: 'normal', teamSize: 1, laborHours: 1, arrivalWindow: null, slot: s, status: 'scheduled', staged }) as CardBooking;

const view = (bookings: CardBooking[], stagedCount = 0, conflicts: BoardView['conflicts'] = {}): BoardView => ({ bookings, conflicts, stagedCount });

const CHOICE = { notifyProviders: true, notifyCustomers: false };
const DAY: VisibleRange = { kind: 'day', title: 'Mon', firstDay: '2026-11-23', lastDay: '2026-11-23' };
const DAY_READ = { from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' };

const delta = (bookings: CardBooking[], patch: Partial<BoardDelta> = {}): BoardDelta => ({ ...DAY_READ, bookings, conflicts: {}, gone: [], stagedCount: 1, ...patch });

/** A store showing DAY with `initial` read and answered. */
async function shown(initial: BoardView, sink?: DeltaSink) {
  const client = new FakeClient();
  const notes: string[] = [];
  const store = new BoardStore(client, roster, { notify: (m) => notes.push(m) });
  store.connect();
  if (sink) store.onDelta(sink);
  store.setRange(DAY);
  await client.pending('board:getRange').answer(ok(initial));
  return { client, store, notes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BoardStore reads', () => {
  it('a late answer never overwrites a newer one', async () => {
    const { client, store } = await shown(view([booking('a', slot('p1', 9))]));
    store.setRange({ ...DAY, kind: 'day', firstDay: '2026-11-24', lastDay: '2026-11-24' });
    store.setRange(DAY);
    const [older, newer] = client.named('board:getRange').slice(1);
    expect(older!.input).toEqual({ from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z' });
    expect(newer!.input).toEqual(DAY_READ);
    await newer!.answer(ok(view([booking('new', slot('p1', 10))])));
    await older!.answer(ok(view([booking('old', slot('p2', 10))])));
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['new']);
  });

  it('coalesces invalidations: one read in flight, exactly one more after it, whatever the number of events', async () => {
    const { client } = await shown(view([]));
    client.emit('schedule:changed', { ids: ['x'] });
    client.emit('schedule:changed', { ids: ['y'] });
    client.emit('draft:changed', { stagedCount: 0 });
    client.emit('schedule:changed', { ids: ['z'] });
    expect(client.named('board:getRange')).toHaveLength(2); // the first read, then one refresh
    await client.pending('board:getRange').answer(ok(view([])));
    await client.pending('queue:list').answer(ok([]));
    expect(client.named('board:getRange')).toHaveLength(3); // one more for the three events that came meanwhile
    await client.pending('board:getRange').answer(ok(view([])));
    await client.pending('queue:list').answer(ok([]));
    expect(client.named('board:getRange')).toHaveLength(3);
  });

  it('the first read is sent before the calendar exists and taken by the first refresh of that range', async () => {
    const client = new FakeClient();
    const store = new BoardStore(client, roster, { notify: () => {} });
    store.start({ view: 'resourceTimelineWeek', date: '2026-11-25' });
    expect(client.named('board:getRange')[0]!.input).toEqual({ from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    store.setRange({ kind: 'week', title: 'w', firstDay: '2026-11-23', lastDay: '2026-11-29' });
    expect(client.named('board:getRange')).toHaveLength(1);
    await client.pending('board:getRange').answer(ok(view([booking('a', slot('p1', 9))], 2)));
    expect(store.getState()).toMatchObject({ firstReadDone: true, stagedCount: 2 });
    expect(store.getState().view!.bookings).toHaveLength(1);
  });

  it('an event before the first answer makes the first read stale: the range is read again', async () => {
    const client = new FakeClient();
    const store = new BoardStore(client, roster, { notify: () => {} });
    store.connect();
    store.start({ view: 'resourceTimelineDay', date: '2026-11-23' });
    client.emit('draft:changed', { stagedCount: 1 });
    await client.pending('board:getRange').answer(ok(view([booking('stale', slot('p1', 9))])));
    expect(store.getState().view).toBeNull();
    store.setRange(DAY);
    await client.pending('board:getRange').answer(ok(view([booking('fresh', slot('p1', 9))])));
    expect(store.getState().view!.bookings.map((b) => b.id)).toEqual(['fresh']);
  });
});

describe('BoardStore deltas', () => {
  it('replaces the bookings a delta names, drops the gone ones, and reports the rows whose load changed', async () => {
    const seen: Array<{ base: BoardView; next: BoardView; rows: string[] }> = [];
    const a = booking('a', slot('p1', 9));
    const b = booking('b', slot('p1', 11));
    const c = booking('c', slot('p2', 9));
    const { client, store } = await shown(view([a, b, c], 0, { b: [{ message: 'overlap' } as never] }), (base, next, _d, rows) =>
      seen.push({ base, next, rows: [...rows].sort() }),
    );
    const first = store.getState().view!;
    const moved = booking('a', slot('p2', 12), true);
    const done = store.stage('a', moved.slot);
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([moved, { ...b }], { gone: ['c'], conflicts: {} }) }));
    await done;
    const now = store.getState().view!;
    expect(now.bookings.map((x) => x.id).sort()).toEqual(['a', 'b']);
    expect(now.bookings.find((x) => x.id === 'a')!.slot!.assignees).toEqual(['p2']);
    expect(now.conflicts).toEqual({}); // b's conflict went with the delta that re-judged it
    expect(now.stagedCount).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.base).toBe(first);
    expect(seen[0]!.next).toBe(now);
    expect(seen[0]!.rows).toEqual(['p1', 'p2']); // left p1, joined p2
    expect(client.named('draft:stage')[0]!.input).toEqual({ id: 'a', slot: moved.slot, view: DAY_READ });
  });

  it('a full read on its way when a delta arrives is dropped and read again', async () => {
    const { client, store } = await shown(view([booking('a', slot('p1', 9))]));
    client.emit('schedule:changed', { ids: ['other'] }); // a read starts
    const moved = booking('a', slot('p2', 9), true);
    const done = store.stage('a', moved.slot);
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([moved]) }));
    await done;
    await client.pending('board:getRange').answer(ok(view([booking('a', slot('p1', 9))]))); // the board before the edit
    expect(store.getState().view!.bookings[0]!.slot!.assignees).toEqual(['p2']);
    await client.pending('queue:list').answer(ok([]));
    // ... and the board is read once more after the edit.
    const again = client.pending('board:getRange');
    await again.answer(ok(view([moved], 1)));
    expect(store.getState().view!.bookings[0]!.staged).toBe(true);
  });

  it('a delta for a range the board no longer shows is not applied: the board is read instead', async () => {
    const sink = vi.fn();
    const { client, store } = await shown(view([booking('a', slot('p1', 9))]), sink);
    const before = store.getState().view;
    store.applyDelta(delta([booking('a', slot('p2', 9))], { from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z' }), ['a'], ['p1']);
    expect(sink).not.toHaveBeenCalled();
    expect(store.getState().view).toBe(before);
    expect(client.named('board:getRange')).toHaveLength(2);
  });
});

describe('BoardStore staging undo', () => {
  it('steps back through staged edits: to the slot staged before, then to the saved one (discard)', async () => {
    const saved = slot('p1', 9);
    const { client, store, notes } = await shown(view([booking('a', saved)]));
    const first = slot('p1', 10);
    const second = slot('p2', 11);
    let p = store.stage('a', first);
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([booking('a', first, true)]) }));
    await p;
    p = store.stage('a', second);
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([booking('a', second, true)]) }));
    await p;
    expect(store.undoDepth).toBe(2);

    let u = store.undo();
    const back = client.pending('draft:stage');
    expect(back.input).toEqual({ id: 'a', slot: first, view: DAY_READ });
    await back.answer(ok({ stagedCount: 1, view: delta([booking('a', first, true)]) }));
    await u;
    u = store.undo();
    const discard = client.pending('draft:discard');
    expect(discard.input).toEqual({ id: 'a', view: DAY_READ });
    await discard.answer(ok({ stagedCount: 0, view: delta([booking('a', saved)], { stagedCount: 0 }) }));
    await u;
    expect(store.getState().view!.bookings[0]!.slot).toEqual(saved);
    expect(store.getState().stagedCount).toBe(0);
    expect(store.undoDepth).toBe(0);
    expect(store.redoDepth).toBe(2);
    expect(notes.filter((n) => n === 'Undid a board edit')).toHaveLength(2);

    const r = store.redo();
    const forward = client.pending('draft:stage');
    expect(forward.input).toEqual({ id: 'a', slot: first, view: DAY_READ });
    await forward.answer(ok({ stagedCount: 1, view: delta([booking('a', first, true)]) }));
    await r;
    expect(store.undoDepth).toBe(1);
    expect(store.redoDepth).toBe(1);
  });

  it('several jobs staged at once are one undo step, taken back in one all-or-none request', async () => {
    const { client, store } = await shown(view([booking('a', slot('p1', 9)), booking('b', null)]));
    const p1 = store.stage('a', slot('p1', 10));
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([booking('a', slot('p1', 10), true)]) }));
    await p1;
    const many = store.stageMany([{ id: 'a', slot: slot('p2', 12) }, { id: 'b', slot: slot('p2', 14) }]);
    const sent = client.pending('draft:stageMany');
    expect(sent.input).toEqual({ slots: [{ id: 'a', slot: slot('p2', 12) }, { id: 'b', slot: slot('p2', 14) }], view: DAY_READ });
    await sent.answer(ok({ stagedCount: 2, view: delta([booking('a', slot('p2', 12), true), booking('b', slot('p2', 14), true)], { stagedCount: 2 }) }));
    await many;
    expect(store.undoDepth).toBe(2);

    const u = store.undo();
    const back = client.pending('draft:stageMany');
    // Each job back to what was staged before the step: a's earlier edit, b's saved slot.
    expect(back.input).toEqual({ slots: [{ id: 'a', slot: slot('p1', 10) }, { id: 'b', discard: true }], view: DAY_READ });
    await back.answer(ok({ stagedCount: 1, view: delta([booking('a', slot('p1', 10), true), booking('b', null)]) }));
    await u;
    expect(store.undoDepth).toBe(1);
    expect(store.getState().view!.bookings.find((b) => b.id === 'a')!.slot).toEqual(slot('p1', 10));
  });

  it('a refused step stays on its stack; with no staged edit left, undo is the committed history', async () => {
    const { client, store, notes } = await shown(view([booking('a', slot('p1', 9))]));
    const p = store.stage('a', slot('p1', 10));
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([booking('a', slot('p1', 10), true)]) }));
    await p;
    const u = store.undo();
    await client.pending('draft:discard').answer(refused('Booking is locked'));
    await u;
    expect(store.undoDepth).toBe(1);
    expect(notes).toContain('Booking is locked');
    // A fresh window has no staged edits of its own: its undo is the committed history.
    const other = new BoardStore(client, roster, { notify: (m) => notes.push(m) });
    const undone = other.undo();
    await client.pending('history:undo').answer(ok({ done: true, staged: 0 }));
    await undone;
    expect(client.named('history:undo')).toHaveLength(1);
    expect(notes).toContain('Undone');
  });

  it('a refused stage reverts the calendar and leaves no undo step', async () => {
    const { client, store } = await shown(view([booking('a', slot('p1', 9))]));
    const revert = vi.fn();
    const p = store.stage('a', slot('p2', 9), revert);
    await client.pending('draft:stage').answer(refused('Outside working hours'));
    expect(await p).toBe(false);
    expect(revert).toHaveBeenCalledOnce();
    expect(store.undoDepth).toBe(0);
  });
});

describe('BoardStore Save', () => {
  it('Save applies the answer, clears the staged-edit stacks, and needs no re-read for its own events', async () => {
    const { client, store, notes } = await shown(view([booking('a', slot('p1', 9))]));
    const p = store.stage('a', slot('p1', 10));
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: delta([booking('a', slot('p1', 10), true)]) }));
    await p;
    store.openSave();
    expect(store.getState().dialog).toBe('save');
    const reads = client.named('board:getRange').length;
    const saving = store.confirmSave(CHOICE);
    expect(store.getState()).toMatchObject({ dialog: null, saving: true });
    client.emit('schedule:changed', { ids: ['a'] }); // our own Save, heard before its answer
    const save = client.pending('draft:save');
    expect(save.input).toMatchObject({ ...CHOICE, view: DAY_READ });
    await save.answer(ok({ saved: 1, notificationRequestId: null, view: delta([booking('a', slot('p1', 10))], { stagedCount: 0 }) }));
    expect(await saving).toBe(true);
    expect(store.getState()).toMatchObject({ saving: false, stagedCount: 0 });
    expect(store.getState().view!.bookings[0]!.staged).toBe(false);
    expect(client.named('board:getRange')).toHaveLength(reads);
    expect(store.undoDepth).toBe(0);
    expect(notes).toContain('Saved 1 change');
  });

  it('a change by someone else named during the Save is read again', async () => {
    const { client, store } = await shown(view([booking('a', slot('p1', 9), true)], 1));
    const reads = client.named('board:getRange').length;
    const saving = store.confirmSave(CHOICE);
    client.emit('schedule:changed', { ids: ['a', 'someone-else'] });
    await client.pending('draft:save').answer(ok({ saved: 1, notificationRequestId: null, view: delta([booking('a', slot('p1', 9))], { stagedCount: 0 }) }));
    await saving;
    expect(client.named('board:getRange')).toHaveLength(reads + 1);
  });

  it('a refused Save brings the dialog back with the reason and the same choice', async () => {
    const { client, store } = await shown(view([booking('a', slot('p1', 9), true)], 1));
    const choice = { ...CHOICE };
    const saving = store.confirmSave(choice);
    await client.pending('draft:save').answer(refused('Another Save is under way'));
    expect(await saving).toBe(false);
    expect(store.getState()).toMatchObject({ dialog: 'save', saving: false, saveRetry: { error: 'Another Save is under way', choice } });
  });

  it('Save with nothing staged, or read-only, opens nothing', async () => {
    const { store, notes } = await shown(view([]));
    store.openSave();
    expect(store.getState().dialog).toBeNull();
    expect(notes).toContain('No unsaved changes');
    store.setReadOnly(true);
    store.openNewBooking();
    expect(store.getState().dialog).toBeNull();
  });
});

describe('BoardStore selection', () => {
  it('arrow keys walk a row by start and jump to the nearest card in time on the next row', async () => {
    const { store } = await shown(view([booking('a', slot('p1', 9)), booking('b', slot('p1', 13)), booking('c', slot('p2', 12)), booking('d', slot('p2', 8))]));
    store.moveSelection('right');
    expect([store.getState().selectedId, store.selectedRow]).toEqual(['a', 'p1']); // nothing selected: the first card
    store.moveSelection('right');
    expect(store.getState().selectedId).toBe('b');
    store.moveSelection('down');
    expect([store.getState().selectedId, store.selectedRow]).toEqual(['c', 'p2']);
    store.moveSelection('down');
    expect(store.getState().selectedId).toBe('c'); // no row below
    store.escape();
    expect(store.getState().selectedId).toBeNull();
  });
});
