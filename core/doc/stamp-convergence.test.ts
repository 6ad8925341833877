import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromMs, toMs } from '../time';
import { ACTORS, push, seedPair, START_NOW, workspaceReplica, type WorkspaceReplica } from '../testing/convergence-scenario';
import { CLAMPS_MAP, clampsFor, effectiveStamp, stampsWritten } from './clamps';
import { ruleBetween } from './conflict-rules';
import { entriesByGroup, lostWrites, type GroupEntry } from './group-entries';
import { compareStamps, encodeStamp } from './hlc';
import { getBooking, scheduleMaps } from './schedule';

/**
 * Three replicas with skewed clocks edit offline and sync through a server that clamps stamps set ahead
 * (the room's rule, sync-server/src/sync/room.ts). Independently of the reader, the test keeps every write
 * with the stamps its writer had seen: the writes nobody saw are the concurrent ones left in the document,
 * and the winner must be the one the rule table, else the later (clamped) stamp, picks. After a full sync
 * every replica holds the same state, reads that winner, and lists every other concurrent write as lost.
 */

// eslint-disable-next-line no-restricted-globals -- tests run under Node; core itself never reads the environment
const env = process.env;
const RUNS = Number(env.STAMP_RUNS ?? 60);
const SEED = env.FC_SEED !== undefined ? Number(env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const MINUTE = 60_000;
const T0 = toMs(START_NOW);

type Op =
  | { t: 'notes'; r: number; v: number }
  | { t: 'cancel'; r: number }
  | { t: 'status'; r: number; s: 'en_route' | 'in_progress' | 'completed' }
  | { t: 'move'; r: number; half: number }
  | { t: 'sync'; r: number }
  | { t: 'wait'; minutes: number };

const replicaArb = fc.integer({ min: 0, max: 2 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('notes' as const), r: replicaArb, v: fc.integer({ min: 0, max: 99 }) }),
  fc.record({ t: fc.constant('cancel' as const), r: replicaArb }),
  fc.record({ t: fc.constant('status' as const), r: replicaArb, s: fc.constantFrom('en_route' as const, 'in_progress' as const, 'completed' as const) }),
  fc.record({ t: fc.constant('move' as const), r: replicaArb, half: fc.integer({ min: 0, max: 16 }) }),
  fc.record({ t: fc.constant('sync' as const), r: replicaArb }),
  fc.record({ t: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 600 }) }),
);
/** Each replica's clock error: from three hours slow to a day fast. */
const skewArb = fc.tuple(...[0, 1, 2].map(() => fc.constantFrom(0, 0, -180 * MINUTE, 7 * MINUTE, 24 * 60 * MINUTE)));

interface Write {
  group: string;
  booking: string;
  stamp: string;
  replica: string;
  /** The stamps of the group's entries the writer held when it wrote. */
  seen: Set<string>;
  value: Readonly<Record<string, unknown>>;
}

const GROUPS = ['notes', 'status', 'slot'];

function entriesOf(doc: Y.Doc, booking: string): Map<string, GroupEntry[]> {
  const record = scheduleMaps(doc).bookings.get(booking)!;
  return entriesByGroup(record, (g) => GROUPS.includes(g));
}

/** A server's copy of the schedule: keeps every update and clamps stamps ahead of its clock, as a room does. */
function serverDoc(now: () => number) {
  const doc = new Y.Doc();
  doc.clientID = 1;
  const receive = (update: Uint8Array) => {
    const stamps: string[] = [];
    const collect = (tr: Y.Transaction) => stamps.push(...stampsWritten(tr));
    doc.on('afterTransaction', collect);
    Y.applyUpdate(doc, update, 'client');
    doc.off('afterTransaction', collect);
    const clamps = clampsFor(stamps, now());
    if (clamps.size > 0) doc.transact(() => clamps.forEach((wall, stamp) => doc.getMap(CLAMPS_MAP).set(stamp, wall)), 'server');
  };
  return { doc, receive };
}

function run(ops: readonly Op[], skews: readonly number[]) {
  let elapsed = 0;
  const server = serverDoc(() => T0 + elapsed);
  const replicas: WorkspaceReplica[] = [0, 1, 2].map((i) => workspaceReplica(i + 1, (i + 1) * 100, ACTORS[i === 0 ? 0 : 1]));
  const [a, b, c] = replicas as [WorkspaceReplica, WorkspaceReplica, WorkspaceReplica];
  const seeded = seedPair(a, b);
  push(a, c);
  server.receive(Y.encodeStateAsUpdate(a.schedule));
  const job = seeded.bookings.dispatched;
  const notesJob = seeded.bookings.queued;
  const writes: Write[] = [];
  let conflicts = 0;
  const sync = (r: WorkspaceReplica) => {
    server.receive(Y.encodeStateAsUpdate(r.schedule, Y.encodeStateVector(server.doc)));
    Y.applyUpdate(r.schedule, Y.encodeStateAsUpdate(server.doc, Y.encodeStateVector(r.schedule)), 'remote');
  };
  const command = (r: number, booking: string, name: string, input: Record<string, unknown>) => {
    const replica = replicas[r]!;
    replica.setNow(fromMs(T0 + elapsed + skews[r]!).replace(/\.\d{3}Z$/, 'Z'));
    const before = entriesOf(replica.schedule, booking);
    const result = replica.run(name as never, { id: booking, ...input }, { id: `user-${r}`, name: `User ${r}`, role: 'admin' });
    if (!result.ok) return;
    for (const [group, entries] of entriesOf(replica.schedule, booking)) {
      const old = new Set((before.get(group) ?? []).map((e) => encodeStamp(e.stamp)));
      for (const e of entries) {
        const stamp = encodeStamp(e.stamp);
        if (!old.has(stamp)) writes.push({ group, booking, stamp, replica: e.replica, seen: old, value: e.value });
      }
    }
  };
  for (const op of ops) {
    switch (op.t) {
      case 'notes':
        command(op.r, notesJob, 'updateBooking', { notes: `note ${op.v}` });
        break;
      case 'cancel':
        command(op.r, job, 'cancelBooking', { reason: 'Customer called' });
        break;
      case 'status':
        command(op.r, job, 'updateStatus', { status: op.s });
        break;
      case 'move':
        command(op.r, job, 'moveBooking', { start: fromMs(toMs('2026-11-24T14:00:00Z') + op.half * 30 * MINUTE).replace(/\.\d{3}Z$/, 'Z') });
        break;
      case 'sync':
        sync(replicas[op.r]!);
        break;
      case 'wait':
        elapsed += op.minutes * MINUTE;
        break;
    }
  }
  for (const r of [...replicas, ...replicas]) sync(r);

  // Identical end states.
  const state = (r: WorkspaceReplica) => [getBooking(r.schedule, job), getBooking(r.schedule, notesJob)];
  for (const r of replicas) expect(state(r)).toEqual(state(a));
  expect(a.schedule.getMap(CLAMPS_MAP).toJSON()).toEqual(server.doc.getMap(CLAMPS_MAP).toJSON());

  // The winners by the rule, from the writes alone.
  for (const booking of [job, notesJob]) {
    for (const group of GROUPS) {
      const mine = writes.filter((w) => w.booking === booking && w.group === group);
      if (mine.length === 0) continue;
      const concurrent = mine.filter((w) => !mine.some((other) => other.seen.has(w.stamp)));
      if (concurrent.length > 1) conflicts += 1;
      const eff = (w: Write) => effectiveStamp(server.doc, entriesOf(a.schedule, booking).get(group)!.find((e) => encodeStamp(e.stamp) === w.stamp)!.stamp);
      const sorted = [...concurrent].sort((x, y) => compareStamps(eff(x), eff(y)));
      let winner = sorted[0]!;
      for (const next of sorted.slice(1)) if (ruleBetween(group, winner.value, next.value)?.winner !== 'a') winner = next;
      for (const r of replicas) {
        const left = entriesOf(r.schedule, booking).get(group)!.map((e) => encodeStamp(e.stamp)).sort();
        expect(left).toEqual(concurrent.map((w) => w.stamp).sort());
        const record = scheduleMaps(r.schedule).bookings.get(booking)!;
        const lost = lostWrites(record, [group]).map((l) => encodeStamp(l.loser.stamp)).sort();
        // Every concurrent write but the winner is listed as lost: its writer is marked from this.
        expect(lost).toEqual(concurrent.filter((w) => w !== winner).map((w) => w.stamp).sort());
      }
      const read = getBooking(a.schedule, booking)! as unknown as Record<string, unknown>;
      const field = group === 'notes' ? 'notes' : group;
      expect(read[field]).toEqual(winner.value[field]);
      const statuses = new Set(concurrent.map((w) => w.value.status));
      if (group === 'status' && statuses.size === 2 && statuses.has('cancelled') && statuses.has('en_route')) expect(read.status).toBe('cancelled');
    }
  }
  return { writes: writes.length, conflicts, clamps: server.doc.getMap(CLAMPS_MAP).size };
}

describe('stamps settle every conflict by the rule, on three replicas with skewed clocks', () => {
  it(`random offline edits, syncs and clock skews (${RUNS} runs)`, () => {
    console.log(`stamp convergence: seed ${SEED}, ${RUNS} runs (replay with FC_SEED=${SEED} STAMP_RUNS=${RUNS})`);
    const total = { writes: 0, conflicts: 0, clamps: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 40 }), skewArb, (ops, skews) => {
        const one = run(ops, skews);
        total.writes += one.writes;
        total.conflicts += one.conflicts;
        total.clamps += one.clamps;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`stamp convergence: ${total.writes} writes, ${total.conflicts} conflicts, ${total.clamps} clamps`);
    // The generator must produce writes, conflicts and clamps, or the property says little.
    expect(total.writes).toBeGreaterThan(RUNS * 2);
    expect(total.conflicts).toBeGreaterThan(RUNS / 10);
    expect(total.clamps).toBeGreaterThan(0);
  }, 300_000);
});
