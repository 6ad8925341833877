import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../../core/clock';
import { entriesByGroup, lostWrites, type GroupEntry } from '../../../core/doc/group-entries';
import { BOOKING_GROUPS, PROVIDER_GROUPS } from '../../../core/doc/groups';
import { compareStamps } from '../../../core/doc/hlc';
import { rosterMaps, scheduleMaps, type Actor } from '../../../core/index';
import { LocalStore } from './local-store';
import { tempDir } from './testing/temp-dir';

// Undo and redo are new writes with new stamps (issue 20, undo-restamp.ts): two desktops, each a real
// SQLite workspace with its own clock, synced by exchanging Yjs updates as the sync client would.

const actor: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'admin' };
const T0 = Date.parse('2026-11-23T12:00:00Z');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function desktop(name: string): { store: LocalStore; clock: ManualClock } {
  const tmp = tempDir();
  const clock = manualClock(T0);
  const store = LocalStore.open(tmp.file(`${name}.sqlite`), { actor, clock: clock.now });
  cleanups.push(() => {
    if (store.db.open) store.close();
    tmp.cleanup();
  });
  return { store, clock };
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** Both documents of `from` that `to` lacks, applied as a sync connection would. */
function deliver(from: LocalStore, to: LocalStore): void {
  for (const name of ['roster', 'schedule'] as const) {
    to.applyUpdate(name, Y.encodeStateAsUpdate(from.docs[name], Y.encodeStateVector(to.docs[name])));
  }
}

function seed(store: LocalStore) {
  must(store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }));
  const ana = must(store.execute('createProvider', { name: 'Ana Silva' })).id;
  const job = must(
    store.execute('createBooking', {
      title: 'AC repair',
      slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] },
    }),
  ).id;
  store.clearUndoHistory();
  return { ana, job };
}

const bookingRecord = (store: LocalStore, id: string) => scheduleMaps(store.docs.schedule).bookings.get(id)!;
const slotEntries = (store: LocalStore, id: string): GroupEntry[] =>
  entriesByGroup(bookingRecord(store, id), (g) => g === 'slot').get('slot') ?? [];
const startOf = (store: LocalStore, id: string) => store.queries.booking(id)?.slot?.start;
const ownSlotStamp = (store: LocalStore, id: string) => {
  const own = slotEntries(store, id).filter((e) => e.replica === store.replica.id);
  expect(own).toHaveLength(1);
  return own[0]!.stamp;
};

/** Two desktops holding the same seeded workspace, A's writes first. */
function twoDesktops() {
  const a = desktop('a');
  const b = desktop('b');
  const ids = seed(a.store);
  deliver(a.store, b.store);
  return { a, b, ...ids };
}

describe('undo and redo as new writes', () => {
  it('an undo made after a concurrent move wins it on both desktops, being the later intent', () => {
    const { a, b, job } = twoDesktops();
    a.clock.set(T0 + 60_000);
    must(a.store.execute('moveBooking', { id: job, start: '2026-11-24T16:00:00Z' }));
    // B moves the job a minute later, without having seen A's move.
    b.clock.set(T0 + 120_000);
    must(b.store.execute('moveBooking', { id: job, start: '2026-11-24T18:00:00Z' }));
    // A undoes later still, before anything from B arrives.
    a.clock.set(T0 + 180_000);
    expect(a.store.undo()).toBe(true);
    expect(startOf(a.store, job)).toBe('2026-11-24T15:00:00Z');
    const undoStamp = ownSlotStamp(a.store, job);
    expect(undoStamp.wall).toBe(T0 + 180_000);

    deliver(a.store, b.store);
    deliver(b.store, a.store);
    for (const { store } of [a, b]) {
      expect(startOf(store, job)).toBe('2026-11-24T15:00:00Z');
      // B's move and A's undo did not see each other: both entries stay, B's is the one that lost and is told.
      const lost = lostWrites(bookingRecord(store, job), ['slot']);
      expect(lost.map((l) => [l.loser.replica, l.winner.replica])).toEqual([[b.store.replica.id, a.store.replica.id]]);
      expect(lost[0]!.winner.stamp).toEqual(undoStamp);
    }
    // Both desktops project the same rows from the same document.
    expect(a.store.queries.booking(job)).toEqual(b.store.queries.booking(job));
  });

  it('redo after undo re-applies the move with a stamp later than the undo’s, and the cycle repeats', () => {
    const { store, clock } = desktop('a');
    const { job } = seed(store);
    clock.set(T0 + 60_000);
    must(store.execute('moveBooking', { id: job, start: '2026-11-24T16:00:00Z' }));
    const moveStamp = ownSlotStamp(store, job);
    clock.set(T0 + 120_000);
    expect(store.undo()).toBe(true);
    const undoStamp = ownSlotStamp(store, job);
    expect(compareStamps(undoStamp, moveStamp)).toBe(1);
    expect(store.canRedo()).toBe(true);

    clock.set(T0 + 180_000);
    expect(store.redo()).toBe(true);
    expect(startOf(store, job)).toBe('2026-11-24T16:00:00Z');
    const redoStamp = ownSlotStamp(store, job);
    expect(compareStamps(redoStamp, undoStamp)).toBe(1);
    expect(redoStamp.wall).toBe(T0 + 180_000);
    expect(store.canRedo()).toBe(false);

    // The redo is itself an undo step, re-stamped again when undone and redone.
    clock.set(T0 + 240_000);
    expect(store.undo()).toBe(true);
    expect(startOf(store, job)).toBe('2026-11-24T15:00:00Z');
    const secondUndo = ownSlotStamp(store, job);
    expect(compareStamps(secondUndo, redoStamp)).toBe(1);
    expect(store.redo()).toBe(true);
    expect(startOf(store, job)).toBe('2026-11-24T16:00:00Z');
    expect(compareStamps(ownSlotStamp(store, job), secondUndo)).toBe(1);
    expect(store.redo()).toBe(false);
    // Only the seed is left to undo past the move: nothing, as the seed's steps were cleared.
    expect(store.undo()).toBe(true);
    expect(store.undo()).toBe(false);
  });

  it('an undo leaves one entry per group it touched, this desktop’s, not the entries its action had replaced', () => {
    const { a, b, job } = twoDesktops();
    // A conflict: both move concurrently, and A sees both entries after syncing.
    a.clock.set(T0 + 60_000);
    must(a.store.execute('moveBooking', { id: job, start: '2026-11-24T16:00:00Z' }));
    b.clock.set(T0 + 120_000);
    must(b.store.execute('moveBooking', { id: job, start: '2026-11-24T18:00:00Z' }));
    deliver(b.store, a.store);
    deliver(a.store, b.store);
    expect(slotEntries(a.store, job)).toHaveLength(2);
    expect(startOf(a.store, job)).toBe('2026-11-24T18:00:00Z');
    a.store.clearUndoHistory();

    // A settles it with a move of its own (replacing both entries), then undoes that move.
    a.clock.set(T0 + 180_000);
    must(a.store.execute('moveBooking', { id: job, start: '2026-11-24T19:00:00Z' }));
    expect(slotEntries(a.store, job)).toHaveLength(1);
    a.clock.set(T0 + 240_000);
    expect(a.store.undo()).toBe(true);
    // The value before the move comes back (B's, which had won), as one entry of A's stamped now: neither
    // old entry is back, so nobody is told again of a conflict A had already settled.
    expect(startOf(a.store, job)).toBe('2026-11-24T18:00:00Z');
    const entries = slotEntries(a.store, job);
    expect(entries.map((e) => [e.replica, e.stamp.wall])).toEqual([[a.store.replica.id, T0 + 240_000]]);
    deliver(a.store, b.store);
    for (const { store } of [a, b]) {
      expect(slotEntries(store, job).map((e) => e.key)).toEqual([`slot@${a.store.replica.id}`]);
      expect(lostWrites(bookingRecord(store, job), Object.keys(BOOKING_GROUPS))).toEqual([]);
      expect(startOf(store, job)).toBe('2026-11-24T18:00:00Z');
    }
    // Every group of the record holds one entry (the seed's and this undo's, all A's).
    for (const [group, list] of entriesByGroup(bookingRecord(a.store, job), () => true)) {
      expect({ group, replicas: list.map((e) => e.replica) }).toEqual({ group, replicas: [a.store.replica.id] });
    }
  });

  it('re-stamps roster records too, and a record put back whole by undoing its removal', () => {
    const { store, clock } = desktop('a');
    const { ana } = seed(store);
    const provider = () => rosterMaps(store.docs.roster).providers.get(ana)!;
    const profile = () => entriesByGroup(provider(), (g) => g === 'profile').get('profile') ?? [];
    clock.set(T0 + 60_000);
    must(store.execute('updateProvider', { id: ana, name: 'Ana S.' }));
    clock.set(T0 + 120_000);
    expect(store.undo()).toBe(true);
    expect(store.queries.provider(ana)?.name).toBe('Ana Silva');
    expect(profile().map((e) => [e.replica, e.stamp.wall])).toEqual([[store.replica.id, T0 + 120_000]]);
    // Groups the action did not touch keep their entries and stamps.
    const active = entriesByGroup(provider(), (g) => g === 'active').get('active') ?? [];
    expect(active.map((e) => e.stamp.wall)).toEqual([T0]);
    expect(Object.keys(PROVIDER_GROUPS)).toContain('active');

    // Skipping a repeating job's visit removes its booking record; undoing puts the record back whole, and
    // every group in it is this desktop's write of now, not the entries it held before.
    const series = must(
      store.execute('createSeries', { title: 'Window cleaning', startDate: '2026-11-24', startTime: '09:00', repeat: { freq: 'weekly', weekdays: ['tue', 'thu'] }, horizonWeeks: 2 }),
    );
    const visit = series.occurrences[0]!;
    store.clearUndoHistory();
    clock.set(T0 + 180_000);
    must(store.execute('skipOccurrence', { id: visit }));
    expect(store.queries.booking(visit)).toBeUndefined();
    clock.set(T0 + 240_000);
    expect(store.undo()).toBe(true);
    expect(store.queries.booking(visit)?.title).toBe('Window cleaning');
    const groups = entriesByGroup(bookingRecord(store, visit), () => true);
    expect([...groups.keys()]).toEqual(expect.arrayContaining(['details', 'slot', 'status']));
    for (const [group, list] of groups) {
      expect({ group, entries: list.map((e) => [e.replica, e.stamp.wall]) }).toEqual({ group, entries: [[store.replica.id, T0 + 240_000]] });
    }
  });
});
