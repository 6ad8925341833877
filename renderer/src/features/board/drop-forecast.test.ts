import { describe, expect, it, vi } from 'vitest';
import type { BoardDelta, BoardView, CardBooking } from '../../../../core/api/contract';
import { findConflicts, type ConflictWorld } from '../../../../core/conflicts';
import type { Provider, Slot, WeeklyHours } from '../../../../core/model';
import type { Result } from '../../../../core/result';
import { BoardStore, type VisibleRange } from './board-store';
import { FakeClient } from './board-test-client';
import { forecastStage } from './drop-forecast';
import type { Roster } from './use-roster';

const DAY_HOURS = [{ start: '08:00', end: '17:00' }];
const HOURS: WeeklyHours = { mon: DAY_HOURS, tue: DAY_HOURS, wed: DAY_HOURS, thu: DAY_HOURS, fri: DAY_HOURS, sat: [], sun: [] };
const provider = (id: string, name: string): Provider =>
  ({ id, name, active: true, sortOrder: 1, color: '#333', skills: [], weeklyHours: HOURS, timeOff: [] }) as unknown as Provider;
const providers = [provider('p1', 'Ana'), provider('p2', 'Ben'), provider('p3', 'Cy')];
const settings = { timeZone: 'UTC', autoResize: false, timeFormat: '24h' } as const;
const world: ConflictWorld = { settings, providers: new Map(providers.map((p) => [p.id, p])), services: new Map() };

/** Monday 2026-11-23, UTC. */
const slot = (assignees: string[], hour: number, hours = 1): Slot => ({
  start: `2026-11-23T${String(hour).padStart(2, '0')}:00:00Z`,
  end: `2026-11-23T${String(hour + hours).padStart(2, '0')}:00:00Z`,
  assignees,
});
const booking = (id: string, s: Slot | null, staged = false): CardBooking =>
  ({ id, title: id, customerId: null, serviceId: null, priority: 'normal', teamSize: s?.assignees.length || 1, laborHours: 1, arrivalWindow: null, slot: s, status: 'scheduled', staged }) as CardBooking;
/** A view as `board:getRange` gives it: conflicts judged by the one engine over every booking. */
const judged = (bookings: CardBooking[], stagedCount = 0): BoardView => ({ bookings, conflicts: Object.fromEntries(findConflicts(world, bookings)), stagedCount });
const RANGE = { from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' };

describe('forecastStage', () => {
  const board = () =>
    judged([
      booking('a', slot(['p1'], 9)),
      booking('b', slot(['p2'], 9)),
      booking('c', slot(['p1'], 9, 2)), // double-booked with a on p1
      booking('team', slot(['p2', 'p3'], 14)),
      booking('far', slot(['p3'], 10)),
    ]);

  it('stages the moved job and re-judges every job on the rows it left and joined, as a full read after the move would', () => {
    const view = board();
    expect(view.conflicts.a?.map((c) => c.kind)).toEqual(['double_booking']);
    const to = slot(['p2'], 9);
    const f = forecastStage(view, RANGE, world, 'a', to)!;
    expect(f.delta.bookings.map((b) => b.id).sort()).toEqual(['a', 'b', 'c', 'team']);
    const moved = f.delta.bookings.find((b) => b.id === 'a')!;
    expect(moved).toMatchObject({ slot: to, staged: true, status: 'scheduled' });
    expect(f.delta.stagedCount).toBe(1);
    // The whole board judged after the move, restricted to the delta's jobs: the same verdicts.
    const after = judged(view.bookings.map((b) => (b.id === 'a' ? moved : b)));
    for (const b of f.delta.bookings) expect(f.delta.conflicts[b.id] ?? []).toEqual(after.conflicts[b.id] ?? []);
    expect(f.delta.conflicts.c).toBeUndefined(); // c no longer double-booked
    expect(f.delta.conflicts.b?.map((c) => c.otherBookingId)).toEqual(['a']);
  });

  it('judges every rule the roster carries (working hours here)', () => {
    const f = forecastStage(board(), RANGE, world, 'far', slot(['p3'], 18))!;
    expect(f.delta.conflicts.far?.map((c) => c.kind)).toEqual(['outside_hours']);
  });

  it('undo holds the jobs and verdicts the forecast replaced', () => {
    const view = board();
    const f = forecastStage(view, RANGE, world, 'a', slot(['p2'], 9))!;
    for (const b of f.undo.bookings) expect(b).toBe(view.bookings.find((x) => x.id === b.id));
    expect(f.undo.bookings.map((b) => b.id).sort()).toEqual(f.delta.bookings.map((b) => b.id).sort());
    expect(f.undo.conflicts).toEqual({ a: view.conflicts.a, c: view.conflicts.c });
    expect(f.undo.stagedCount).toBe(0);
  });

  it('a job already staged does not count twice', () => {
    const f = forecastStage(judged([booking('a', slot(['p1'], 9), true)], 1), RANGE, world, 'a', slot(['p1'], 11))!;
    expect(f.delta.stagedCount).toBe(1);
  });

  it('leaves to the answer what the board cannot tell', () => {
    const view = board();
    expect(forecastStage(view, RANGE, world, 'unknown', slot(['p1'], 9))).toBeNull();
    expect(forecastStage(view, RANGE, world, 'a', slot([], 9))).toBeNull(); // to the queue
    expect(forecastStage(view, RANGE, world, 'a', { ...slot(['p1'], 9), start: '2026-11-25T09:00:00Z', end: '2026-11-25T10:00:00Z' })).toBeNull(); // out of range
    expect(forecastStage(view, RANGE, world, 'a', slot(['p1'], 9))).toBeNull(); // not moved
    expect(forecastStage(null, RANGE, world, 'a', slot(['p2'], 9))).toBeNull();
    expect(forecastStage(view, undefined, world, 'a', slot(['p2'], 9))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// Through the store: the forecast painted at once, the answer correcting it, a refusal taking it back.

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const roster = { settings, providers, providersById: world.providers, services: world.services, customers: new Map() } as unknown as Roster;
const DAY: VisibleRange = { kind: 'day', title: 'Mon', firstDay: '2026-11-23', lastDay: '2026-11-23' };

async function shown(initial: BoardView) {
  const client = new FakeClient();
  const notes: string[] = [];
  const store = new BoardStore(client, roster, { notify: (m) => notes.push(m) });
  store.connect();
  const sunk: BoardDelta[] = [];
  store.onDelta((_base, _next, d) => sunk.push(d));
  store.setRange(DAY);
  await client.pending('board:getRange').answer(ok(initial));
  return { client, store, notes, sunk };
}

describe('BoardStore forecast stage', () => {
  const initial = () => judged([booking('a', slot(['p1'], 9)), booking('b', slot(['p2'], 9))]);

  it('paints the forecast before the answer, sent after the request; an equal answer changes nothing', async () => {
    const { client, store, sunk } = await shown(initial());
    const painted = vi.fn(() => expect(client.named('draft:stage')).toHaveLength(1));
    const to = slot(['p2'], 9);
    const done = store.stage('a', to, undefined, painted);
    expect(painted).toHaveBeenCalledTimes(1);
    const now = store.getState().view!;
    expect(now.bookings.find((b) => b.id === 'a')).toMatchObject({ slot: to, staged: true });
    expect(now.conflicts.a?.map((c) => c.kind)).toEqual(['double_booking']);
    expect(now.stagedCount).toBe(1);
    expect(sunk).toHaveLength(1);
    const answer = forecastStage(initial(), RANGE, world, 'a', to)!.delta; // what the backend's boardDelta gives
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: answer }));
    expect(await done).toBe(true);
    const after = store.getState().view!;
    expect(after.bookings.find((b) => b.id === 'a')).toEqual(now.bookings.find((b) => b.id === 'a'));
    expect(after.conflicts).toEqual(now.conflicts);
    expect(client.named('board:getRange')).toHaveLength(1); // no re-read
  });

  it('an answer that differs wins (a job moved back onto its saved slot is no longer staged)', async () => {
    const { client, store } = await shown(judged([booking('a', slot(['p1'], 11), true)], 1));
    const back = slot(['p1'], 9);
    const done = store.stage('a', back, undefined, () => {});
    expect(store.getState().view!.bookings[0]!.staged).toBe(true); // the board cannot know the saved slot
    await client.pending('draft:stage').answer(ok({ stagedCount: 0, view: { ...RANGE, bookings: [booking('a', back)], conflicts: {}, gone: [], stagedCount: 0 } }));
    await done;
    expect(store.getState().view!.bookings[0]).toMatchObject({ slot: back, staged: false });
    expect(store.getState().view!.stagedCount).toBe(0);
  });

  it('a refusal puts the forecast back, reverts the calendar, says why and reads the board again', async () => {
    const first = initial();
    const { client, store, notes } = await shown(first);
    const revert = vi.fn();
    const done = store.stage('a', slot(['p2'], 9), revert, () => {});
    expect(store.getState().view!.bookings.find((b) => b.id === 'a')!.slot!.assignees).toEqual(['p2']);
    await client.pending('draft:stage').answer({ ok: false, error: { code: 'invalid', message: 'Ben is not allowed' } as never });
    expect(await done).toBe(false);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(notes).toEqual(['Ben is not allowed']);
    const now = store.getState().view!;
    expect(now.bookings.find((b) => b.id === 'a')).toBe(first.bookings[0]);
    expect(now.conflicts).toEqual(first.conflicts);
    expect(now.stagedCount).toBe(0);
    expect(client.named('board:getRange')).toHaveLength(2);
    expect(store.undoDepth).toBe(0);
  });

  it('without `painted` nothing is forecast: the board waits for the answer', async () => {
    const first = initial();
    const { client, store } = await shown(first);
    const done = store.stage('a', slot(['p2'], 9));
    expect(store.getState().view).toBe(first);
    await client.pending('draft:stage').answer(ok({ stagedCount: 1, view: forecastStage(first, RANGE, world, 'a', slot(['p2'], 9))!.delta }));
    await done;
    expect(store.getState().view!.bookings.find((b) => b.id === 'a')!.staged).toBe(true);
  });
});
