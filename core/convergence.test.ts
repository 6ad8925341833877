import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBooking, readHistory } from './doc/schedule';
import { listProviders } from './doc/roster';
import {
  at,
  contentOf,
  expectProductive,
  opsArb,
  push,
  runScenario,
  seedPair,
  slotKey,
  workspacePair,
} from './testing/convergence-scenario';

/**
 * Two offline replicas run random concurrent commands and exchange updates at random points (docs/design.md §4).
 * After a full sync they must hold the same content; no booking's slot may be a chimera of two writes;
 * and no history entry anyone wrote may be lost. The scenario lives in testing/convergence-scenario.ts and
 * runs here on bare Y.Docs; electron/backend/store/convergence.int.test.ts runs it on two SQLite stores.
 */

// eslint-disable-next-line no-restricted-globals -- tests run under Node; core itself never reads the environment
const env = process.env;
const NUM_RUNS = Number(env.CONVERGENCE_RUNS ?? 500);
const SEED = env.FC_SEED !== undefined ? Number(env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

/** Two bare Y.Doc replicas with fixed client ids, seeded on A and synced to B. */
function seededPair(clientIds: [number, number] = [100, 200]) {
  const [a, b] = workspacePair(clientIds);
  return { a, b, ...seedPair(a, b) };
}

// ---------------------------------------------------------------------------------------------------

describe('two offline replicas converge', () => {
  it(`random concurrent command sequences (${NUM_RUNS} runs)`, () => {
    console.log(`convergence: seed ${SEED}, ${NUM_RUNS} runs (replay with FC_SEED=${SEED} CONVERGENCE_RUNS=${NUM_RUNS})`);
    const totals = { ran: 0, refused: 0 };
    const started = performance.now();
    fc.assert(
      fc.property(opsArb, (ops) => {
        const { trace } = runScenario(ops, () => workspacePair());
        totals.ran += trace.ran;
        totals.refused += trace.refused;
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    console.log(
      `convergence: ${totals.ran} commands applied, ${totals.refused} refused, ${Math.round(performance.now() - started)} ms`,
    );
    expectProductive(totals);
  }, 120_000);
});

describe('docs/design.md §4 examples', () => {
  it('A moves the job to 10:00 while B reassigns it to Carol: after sync the slot is A\'s or B\'s, never 10:00-with-Carol', () => {
    const outcomes = new Set<string>();
    for (const clientIds of [[100, 200], [200, 100], [7, 3], [3, 7]] as [number, number][]) {
      const { a, b, providers, bookings } = seededPair(clientIds);
      const [ana, , carol] = providers as [string, string, string];
      const id = bookings.scheduled; // 09:00–10:00 local with Ana
      const start = getBooking(a.ws.schedule, id)!.slot!;
      expect(start).toEqual({ start: at(2), end: at(4), assignees: [ana] });

      a.ws.must('moveBooking', { id, start: '2026-11-24T16:00:00Z' }); // 10:00 local
      // B's reassign is a minute later than A's move (core/doc/hlc.ts: the later stamp wins).
      b.ws.setNow('2026-11-23T12:01:00Z');
      b.ws.must('reassignProvider', { id, fromProviderId: ana, toProviderId: carol });
      const fromA = getBooking(a.ws.schedule, id)!.slot;
      const fromB = getBooking(b.ws.schedule, id)!.slot;
      expect(fromA).toEqual({ start: '2026-11-24T16:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] });
      expect(fromB).toEqual({ start: at(2), end: at(4), assignees: [carol] });

      push(a, b);
      push(b, a);
      const merged = getBooking(a.ws.schedule, id)!;
      expect(getBooking(b.ws.schedule, id)).toEqual(merged);
      expect([slotKey(fromA), slotKey(fromB)]).toContain(slotKey(merged.slot));
      expect(merged.slot).not.toEqual({ start: '2026-11-24T16:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [carol] });
      // Both actions are in the history whichever slot won.
      expect(readHistory(a.ws.schedule, id).map((h) => h.action)).toEqual(expect.arrayContaining(['move', 'reassign']));
      expect(slotKey(merged.slot)).toBe(slotKey(fromB));
      outcomes.add(slotKey(merged.slot));
    }
    // The later write (B's reassign) wins whatever the replicas' client ids: it used to be a coin flip on them.
    expect(outcomes.size).toBe(1);
  });

  it('A edits notes while B reassigns: both survive', () => {
    const { a, b, providers, bookings } = seededPair();
    const [ana, bo] = providers as [string, string];
    const id = bookings.scheduled;
    a.ws.must('updateBooking', { id, notes: 'Gate code 4321' });
    b.ws.must('reassignProvider', { id, fromProviderId: ana, toProviderId: bo });
    push(a, b);
    push(b, a);
    for (const ws of [a.ws, b.ws]) {
      const job = getBooking(ws.schedule, id)!;
      expect(job.notes).toBe('Gate code 4321');
      expect(job.slot?.assignees).toEqual([bo]);
      expect(readHistory(ws.schedule, id).map((h) => h.action)).toEqual(expect.arrayContaining(['edit', 'reassign']));
    }
    expect(contentOf(b.ws)).toEqual(contentOf(a.ws));
  });

  it('time off added on both sides at the same time is kept twice, in the same order', () => {
    const { a, b, providers } = seededPair();
    const ana = providers[0]!;
    a.ws.must('addTimeOff', { providerId: ana, start: at(2), end: at(4), reason: 'Dentist' });
    b.ws.must('addTimeOff', { providerId: ana, start: at(2), end: at(6), reason: 'Training' });
    push(a, b);
    push(b, a);
    const offA = listProviders(a.ws.roster).find((p) => p.id === ana)!.timeOff;
    const offB = listProviders(b.ws.roster).find((p) => p.id === ana)!.timeOff;
    expect(offA.map((t) => t.reason).sort()).toEqual(['Dentist', 'Training']);
    expect(offB).toEqual(offA);
  });
});

describe('replicas order lists the same way', () => {
  it('two desktops hiring a technician of the same name offline show the rows in the same order', () => {
    for (const clientIds of [[100, 200], [200, 100]] as [number, number][]) {
      const { a, b } = seededPair(clientIds);
      const fromA = a.ws.must('createProvider', { name: 'Sam Lee' }).id;
      const fromB = b.ws.must('createProvider', { name: 'Sam Lee' }).id;
      push(a, b);
      push(b, a);
      const rowsA = listProviders(a.ws.roster).map((p) => p.id);
      const rowsB = listProviders(b.ws.roster).map((p) => p.id);
      expect(rowsA).toEqual(expect.arrayContaining([fromA, fromB]));
      expect(rowsB).toEqual(rowsA);
    }
  });
});
