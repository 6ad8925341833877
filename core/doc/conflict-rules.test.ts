import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ACTORS, push, seedPair, workspacePair, type WorkspaceReplica } from '../testing/convergence-scenario';
import type { Actor } from '../model';
import { CLAMPS_MAP, clampsFor } from './clamps';
import { CONFLICT_RULES } from './conflict-rules';
import { entriesByGroup, lostWrites, resolveGroup, type GroupEntry } from './group-entries';
import { BOOKING_GROUPS } from './groups';
import { decodeStamp } from './hlc';
import { getBooking, readHistory, scheduleMaps } from './schedule';

const TECH: Actor = { id: 'user-t', name: 'Tess Tech', role: 'admin' };
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 12, minutes)).toISOString().replace('.000Z', 'Z');

type Write = (r: WorkspaceReplica, job: string) => void;

/**
 * Two replicas write one booking offline, A at minute `aAt` and B at minute `bAt`, then sync in the given
 * order; every combination of delivery order and Yjs client-id order must end the same.
 */
function race(aWrite: Write, aAt: number, bWrite: Write, bAt: number) {
  const outcomes: Array<{ status: string; slot: unknown; lost: string[]; ids: [number, number]; order: string }> = [];
  for (const ids of [
    [100, 200],
    [200, 100],
  ] as Array<[number, number]>) {
    for (const order of ['ab', 'ba'] as const) {
      const [a, b] = workspacePair(ids);
      const seeded = seedPair(a, b);
      const job = seeded.bookings.dispatched;
      a.setNow(at(aAt));
      aWrite(a, job);
      b.setNow(at(bAt));
      bWrite(b, job);
      if (order === 'ab') {
        push(a, b);
        push(b, a);
      } else {
        push(b, a);
        push(a, b);
      }
      const fromA = getBooking(a.schedule, job)!;
      const fromB = getBooking(b.schedule, job)!;
      expect(fromB).toEqual(fromA);
      const record = scheduleMaps(a.schedule).bookings.get(job)!;
      const lost = lostWrites(record, Object.keys(BOOKING_GROUPS)).map((l) => `${l.group}:${l.rule?.id ?? 'later'}:${String(l.loser.value.status ?? l.loser.value._o ?? '')}`);
      expect(lostWrites(scheduleMaps(b.schedule).bookings.get(job)!, Object.keys(BOOKING_GROUPS)).length).toBe(lost.length);
      outcomes.push({ status: fromA.status, slot: fromA.slot, lost, ids, order });
      // History keeps both sides, whoever won.
      expect(readHistory(a.schedule, job).length).toBe(readHistory(b.schedule, job).length);
    }
  }
  const [first, ...rest] = outcomes;
  for (const o of rest) expect({ ...o, ids: undefined, order: undefined }).toEqual({ ...first, ids: undefined, order: undefined });
  return first!;
}

const cancel: Write = (r, job) => void r.ws.must('cancelBooking', { id: job, reason: 'Customer called' }, ACTORS[1]);
const status =
  (...statuses: Array<'en_route' | 'in_progress' | 'completed'>): Write =>
  (r, job) => {
    for (const s of statuses) r.ws.must('updateStatus', { id: job, status: s }, TECH);
  };
const note =
  (text: string): Write =>
  (r, job) =>
    void r.ws.must('updateBooking', { id: job, notes: text }, ACTORS[0]);

describe('concurrent writes of one group: the later stamp wins, everywhere', () => {
  it('the later edit wins in every delivery order and client-id order, and the earlier is marked lost', () => {
    const later = race(note('from A at 12:05'), 5, note('from B at 12:03'), 3);
    expect(later.lost).toEqual(['notes:later:']);
    const other = race(note('from A at 12:01'), 1, note('from B at 12:09'), 9);
    expect(other.lost).toEqual(['notes:later:']);
  });

  it('the later edit wins even when it was made long before it synced (an offline week)', () => {
    const [a, b] = workspacePair();
    const job = seedPair(a, b).bookings.queued;
    b.setNow(at(1));
    note('offline, old')(b, job);
    a.setNow(at(60 * 24 * 6));
    note('online, newer')(a, job);
    push(b, a);
    push(a, b);
    expect(getBooking(a.schedule, job)!.notes).toBe('online, newer');
    expect(getBooking(b.schedule, job)!.notes).toBe('online, newer');
  });

  it('a write made after seeing another replaces it: no conflict, nothing lost', () => {
    const [a, b] = workspacePair();
    const job = seedPair(a, b).bookings.queued;
    a.setNow(at(9));
    note('first')(a, job);
    push(a, b);
    // B's clock is behind A's: its write still comes after the one it saw.
    b.setNow(at(2));
    note('second')(b, job);
    push(b, a);
    expect(getBooking(a.schedule, job)!.notes).toBe('second');
    const record = scheduleMaps(a.schedule).bookings.get(job)!;
    expect(lostWrites(record, Object.keys(BOOKING_GROUPS))).toEqual([]);
    expect([...record.keys()].filter((k) => k.startsWith('notes'))).toHaveLength(1);
  });
});

describe('three or more concurrent writes', () => {
  const entry = (replica: string, wall: number, status: string): GroupEntry => {
    const stamp = { wall, n: 0, r: replica };
    return { key: `status@${replica}`, replica, stamp, effective: stamp, before: { wall: 0, n: 0, r: '' }, value: { status } };
  };
  const permutations = <T>(xs: T[]): T[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));
  const winners = (entries: GroupEntry[]) => new Set(permutations(entries).map((order) => resolveGroup('status', order)!.winner.value.status));

  it('a write a rule makes lose is out, then the later stamp: the same winner in every order', () => {
    // The cancel beats the en route, which beats the later unassign; the unassign's stamp alone would beat the cancel.
    const cancel = entry('a', 1000, 'cancelled');
    const enRoute = entry('t', 2000, 'en_route');
    const unassign = entry('b', 3000, 'unscheduled');
    expect(winners([cancel, enRoute, unassign])).toEqual(new Set(['cancelled']));
    const resolved = resolveGroup('status', [unassign, enRoute, cancel])!;
    expect(resolved.lost.map(({ entry, rule }) => [entry.value.status, rule?.id ?? 'later stamp'])).toEqual([
      ['en_route', 'cancel-beats-en-route'],
      ['unscheduled', 'check-in-beats-unassign'],
    ]);
    // Field work on site stands over a later cancel and a later unassign.
    expect(winners([entry('a', 3000, 'cancelled'), entry('t', 1000, 'in_progress'), entry('b', 2000, 'unscheduled')])).toEqual(new Set(['in_progress']));
    // No rule among them: the later stamp.
    expect(winners([entry('a', 1000, 'scheduled'), entry('b', 3000, 'unscheduled'), entry('c', 2000, 'dispatched')])).toEqual(new Set(['unscheduled']));
  });
});

describe('the rule table', () => {
  it('cancel beats a concurrent en route, whichever is later and however it is delivered', () => {
    expect(race(cancel, 5, status('en_route'), 3)).toMatchObject({ status: 'cancelled', lost: ['status:cancel-beats-en-route:en_route'] });
    expect(race(cancel, 3, status('en_route'), 5)).toMatchObject({ status: 'cancelled', lost: ['status:cancel-beats-en-route:en_route'] });
  });

  it('in progress and completed, reported from the field, beat a concurrent cancel', () => {
    expect(race(cancel, 9, status('en_route', 'in_progress'), 3)).toMatchObject({
      status: 'in_progress',
      lost: ['status:field-work-beats-cancel:cancelled'],
    });
    expect(race(cancel, 2, status('en_route', 'in_progress', 'completed'), 4)).toMatchObject({
      status: 'completed',
      lost: ['status:field-work-beats-cancel:cancelled'],
    });
  });

  it('a check-in beats a concurrent unassign: the unassign keeps the slot, the status stays in progress', () => {
    const unassign: Write = (r, job) => {
      const booking = getBooking(r.schedule, job)!;
      r.ws.must('unassignProvider', { id: job, providerId: booking.slot!.assignees[0]! }, ACTORS[1]);
    };
    const outcome = race(unassign, 9, status('en_route', 'in_progress'), 3);
    expect(outcome.status).toBe('in_progress');
    expect(outcome.lost).toEqual(['status:check-in-beats-unassign:unscheduled']);
    expect((outcome.slot as { assignees: string[] }).assignees).toEqual([]);
  });

  it('a reassign beats a concurrent claim', () => {
    const [a, b] = workspacePair();
    const seeded = seedPair(a, b);
    const job = seeded.bookings.open;
    const [ana, bo] = seeded.providers;
    // The claim is a slot write marked `claim` (core/commands/schedule-commands.ts writeSlot).
    a.setNow(at(9));
    const record = scheduleMaps(a.schedule).bookings.get(job)!;
    a.ws.must('assignProvider', { id: job, providerId: ana! }, ACTORS[0]);
    b.setNow(at(3));
    b.schedule.transact(() => {
      const r = scheduleMaps(b.schedule).bookings.get(job)!;
      const key = [...r.keys()].find((k) => k.startsWith('slot@'))!;
      const stamp = decodeStamp((r.get(key) as { _s: string })._s)!;
      r.set('slot@zclaim', { slot: { start: at(0), end: at(30), assignees: [bo!] }, slotMove: null, _o: 'claim', _s: `${String(stamp.wall + 120 * 60_000).padStart(15, '0')}.000000.zclaim`, _b: (r.get(key) as { _s: string })._s });
    });
    push(a, b);
    push(b, a);
    expect(getBooking(a.schedule, job)!.slot!.assignees).toEqual([ana]);
    expect(getBooking(b.schedule, job)!.slot!.assignees).toEqual([ana]);
    expect(lostWrites(record, ['slot']).map((l) => [l.rule?.id, l.loser.replica])).toEqual([['reassign-beats-claim', 'zclaim']]);
  });

  it('every rule names why and who is told', () => {
    for (const rule of CONFLICT_RULES) {
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.told.length).toBeGreaterThan(10);
    }
  });
});

describe('clock skew guard', () => {
  it('a stamp clamped by the server compares as written when the server saw it', () => {
    const [a, b] = workspacePair();
    const job = seedPair(a, b).bookings.queued;
    // B's clock is a day ahead.
    b.setNow(at(60 * 24));
    note('from the clock set ahead')(b, job);
    // The server receives B's update at 12:30 by its own clock and clamps the stamp it holds.
    const record = scheduleMaps(b.schedule).bookings.get(job)!;
    const stamps = entriesByGroup(record, (g) => g === 'notes').get('notes')!.map((e) => (e.value as { _s: string })._s);
    const clamps = clampsFor(stamps, Date.parse(at(30)));
    expect([...clamps.values()]).toEqual([Date.parse(at(30))]);
    expect(clampsFor(stamps, Date.parse(at(60 * 24)))).toEqual(new Map());
    // A, unaware of B's write, edits at 13:00: later than 12:30, though a day earlier than B's stamp.
    a.setNow(at(60));
    note('half an hour later')(a, job);
    push(b, a);
    push(a, b);
    expect(getBooking(a.schedule, job)!.notes).toBe('from the clock set ahead');
    b.schedule.transact(() => {
      for (const [stamp, wall] of clamps) b.schedule.getMap(CLAMPS_MAP).set(stamp, wall);
    }, 'server');
    push(b, a);
    expect(getBooking(a.schedule, job)!.notes).toBe('half an hour later');
    expect(getBooking(b.schedule, job)!.notes).toBe('half an hour later');
  });

  it('a plain value stored before stamps reads until the first stamped write replaces it', () => {
    const [a] = workspacePair();
    const doc = a.schedule;
    const bookings = scheduleMaps(doc).bookings;
    const id = '0190ffff-0000-7000-8000-000000000001';
    doc.transact(() => {
      const record = new Y.Map<unknown>();
      bookings.set(id, record);
      record.set('details', { title: 'Old job' });
      record.set('notes', { notes: 'old note' });
    });
    expect(getBooking(doc, id)).toMatchObject({ title: 'Old job', notes: 'old note' });
    a.setNow(at(1));
    a.ws.must('updateBooking', { id, notes: 'new note' });
    expect(getBooking(doc, id)).toMatchObject({ title: 'Old job', notes: 'new note' });
    expect([...bookings.get(id)!.keys()].sort()).toEqual(['details', `notes@c${doc.clientID}`]);
  });
});
