import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from './testing/fixture';
import type { CommandName } from './commands/index';
import { getBooking, listBookings, readHistory, scheduleMaps } from './doc/schedule';
import { listCustomers, listProviders, listServices, readSettings } from './doc/roster';
import type { Actor, Slot } from './model';
import { fromMs, MINUTE_MS, toMs } from './time';

/**
 * Two offline replicas run random concurrent commands and exchange updates at random points (DESIGN §4).
 * After a full sync they must hold the same content; no booking's slot may be a chimera of two writes;
 * and no history entry anyone wrote may be lost.
 */

// eslint-disable-next-line no-restricted-globals -- tests run under Node; core itself never reads the environment
const env = process.env;
const NUM_RUNS = Number(env.CONVERGENCE_RUNS ?? 500);
const SEED = env.FC_SEED !== undefined ? Number(env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

const BASE = toMs('2026-11-24T14:00:00Z'); // Tue 08:00 America/Chicago
const at = (halfHours: number) => fromMs(BASE + halfHours * 30 * MINUTE_MS);
const ACTORS: [Actor, Actor] = [
  { id: 'user-a', name: 'Alex Admin', role: 'admin' },
  { id: 'user-b', name: 'Dana Dispatcher', role: 'dispatcher' },
];
const DOCS = ['roster', 'schedule'] as const;

// ---------------------------------------------------------------------------------------------------
// Replicas

interface Replica {
  ws: Workspace;
  actor: Actor;
  clock: number;
}

/** Fixed client ids keep Yjs' tie-breaking, and so a failing run, reproducible from the fast-check seed. */
function replica(idPrefix: number, clientBase: number, actor: Actor): Replica {
  const ws = createWorkspace({ idPrefix, actor });
  ws.roster.clientID = clientBase + 1;
  ws.schedule.clientID = clientBase + 2;
  return { ws, actor, clock: 0 };
}

function push(from: Workspace, to: Workspace, docs: readonly ('roster' | 'schedule')[] = DOCS) {
  for (const key of docs) {
    Y.applyUpdate(to[key], Y.encodeStateAsUpdate(from[key], Y.encodeStateVector(to[key])), 'remote');
  }
}

/** Organization, three providers, customers, a service and bookings in several statuses, built on A. */
function seededPair(clientIds: [number, number] = [100, 200]) {
  const a = replica(1, clientIds[0], ACTORS[0]);
  const b = replica(2, clientIds[1], ACTORS[1]);
  const { ws } = a;
  ws.must('initializeOrganization', { name: 'Acme HVAC', timeZone: 'America/Chicago' });
  const providers = ['Ana Silva', 'Bo Chen', 'Carol Diaz'].map((name) => ws.must('createProvider', { name, skills: ['hvac'] }).id);
  const customer = ws.must('createCustomer', { name: 'Jo Smith', address: '1 Main St' }).id;
  ws.must('createCustomer', { name: 'Lee Park' });
  const service = ws.must('createService', { name: 'AC repair', durationMinutes: 90, requiredSkills: ['hvac'] }).id;
  const queued = ws.must('createBooking', { title: 'Queued job', customerId: customer, serviceId: service }).id;
  const scheduled = ws.must('createBooking', { title: 'Scheduled job', slot: { start: at(2), end: at(4), assignees: [providers[0]!] } }).id;
  const team = ws.must('createBooking', {
    title: 'Team job', teamSize: 2, laborHours: 4, slot: { start: at(6), end: at(10), assignees: [providers[0]!, providers[1]!] },
  }).id;
  const dispatched = ws.must('createBooking', { title: 'Dispatched job', slot: { start: at(1), end: at(3), assignees: [providers[2]!] } }).id;
  ws.must('sendToTech', { id: dispatched });
  const open = ws.must('createBooking', { title: 'Open slot', slot: { start: at(8), end: at(9), assignees: [] } }).id;
  push(ws, b.ws);
  return { a, b, providers, bookings: { queued, scheduled, team, dispatched, open } };
}

// ---------------------------------------------------------------------------------------------------
// Random operations. Indices resolve at run time against what the acting replica can see.

type Side = 0 | 1;
type Op =
  | { t: 'assign'; r: Side; b: number; p: number; at: number }
  | { t: 'reassign'; r: Side; b: number; from: number; to: number }
  | { t: 'unassign'; r: Side; b: number; p: number | null }
  | { t: 'move'; r: Side; b: number; at: number }
  | { t: 'resize'; r: Side; b: number; dur: number }
  | { t: 'setTeam'; r: Side; b: number; team: number }
  | { t: 'setSlot'; r: Side; b: number; at: number; dur: number; team: number; clear: boolean }
  | { t: 'edit'; r: Side; b: number; field: 'notes' | 'title' | 'priority'; v: number }
  | { t: 'send'; r: Side; b: number }
  | { t: 'status'; r: Side; b: number; s: number }
  | { t: 'cancel'; r: Side; b: number }
  | { t: 'late'; r: Side; b: number; v: number }
  | { t: 'create'; r: Side; at: number; dur: number; team: number; dated: boolean }
  | { t: 'timeOff'; r: Side; p: number; at: number; dur: number }
  | { t: 'provider'; r: Side; p: number; field: 'name' | 'active' | 'skills' | 'sortOrder'; v: number }
  | { t: 'hire'; r: Side; v: number }
  | { t: 'save'; r: Side; b: number; b2: number; at: number; team: number; notify: boolean }
  | { t: 'sync'; dir: 'ab' | 'ba' | 'both'; docs: 'roster' | 'schedule' | 'both' };

const side = fc.constantFrom<Side>(0, 1);
const idx = fc.nat({ max: 30 });
const when = fc.integer({ min: 0, max: 16 });
const dur = fc.integer({ min: 1, max: 6 });
const team = fc.nat({ max: 7 }); // bitmask over the first three providers

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('assign' as const), r: side, b: idx, p: idx, at: when }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('reassign' as const), r: side, b: idx, from: idx, to: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('unassign' as const), r: side, b: idx, p: fc.option(idx) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('move' as const), r: side, b: idx, at: when }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('resize' as const), r: side, b: idx, dur }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('setTeam' as const), r: side, b: idx, team }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('setSlot' as const), r: side, b: idx, at: when, dur, team, clear: fc.nat({ max: 5 }).map((n) => n === 0) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('edit' as const), r: side, b: idx, field: fc.constantFrom('notes' as const, 'title' as const, 'priority' as const), v: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('send' as const), r: side, b: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('status' as const), r: side, b: idx, s: fc.nat({ max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), r: side, b: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('late' as const), r: side, b: idx, v: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('create' as const), r: side, at: when, dur, team, dated: fc.boolean() }) },
  // Few distinct starts, so concurrent time off with equal starts (an ordering tie) is common.
  { weight: 2, arbitrary: fc.record({ t: fc.constant('timeOff' as const), r: side, p: idx, at: fc.nat({ max: 2 }), dur }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('provider' as const), r: side, p: idx, field: fc.constantFrom('name' as const, 'active' as const, 'skills' as const, 'sortOrder' as const), v: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('hire' as const), r: side, v: fc.nat({ max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('save' as const), r: side, b: idx, b2: idx, at: when, team, notify: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('sync' as const), dir: fc.constantFrom('ab' as const, 'ba' as const, 'both' as const), docs: fc.constantFrom('roster' as const, 'schedule' as const, 'both' as const) }) },
);

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
const teamOf = (providers: readonly string[], mask: number) => providers.filter((_, i) => mask & (1 << i));
const NOTES = ['Gate code 1234', 'Dog in yard', 'Call on arrival', 'Bring ladder', ''];
const TITLES = ['Furnace tune-up', 'AC repair', 'Water heater', 'Duct cleaning'];
const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const;

/** The command (name and input) an op means on a replica, or null when it cannot be formed there. */
function commandFor(op: Exclude<Op, { t: 'sync' }>, ws: Workspace): { name: CommandName; input: Record<string, unknown>; touches: string[] } | null {
  const bookingIds = listBookings(ws.schedule).map((b) => b.id).sort();
  const providerIds = listProviders(ws.roster).map((p) => p.id).sort();
  const bookingAt = (i: number) => {
    const id = pick(bookingIds, i);
    return id ? getBooking(ws.schedule, id)! : undefined;
  };
  switch (op.t) {
    case 'create': {
      const slot = op.dated ? { start: at(op.at), end: at(op.at + op.dur), assignees: teamOf(providerIds, op.team) } : null;
      return { name: 'createBooking', input: { title: `New ${op.at}`, slot }, touches: [] };
    }
    case 'timeOff': {
      const providerId = pick(providerIds, op.p);
      return providerId
        ? { name: 'addTimeOff', input: { providerId, start: at(op.at), end: at(op.at + op.dur), reason: `Off ${op.at}` }, touches: [] }
        : null;
    }
    case 'provider': {
      const id = pick(providerIds, op.p);
      if (!id) return null;
      const patch = {
        name: { name: `Tech ${op.v % 4}` },
        active: { active: op.v % 2 === 0 },
        skills: { skills: op.v % 2 ? ['hvac'] : ['gas', 'hvac'] },
        sortOrder: { sortOrder: op.v % 3 },
      }[op.field];
      return { name: 'updateProvider', input: { id, ...patch }, touches: [] };
    }
    case 'hire':
      return { name: 'createProvider', input: { name: ['Sam Lee', 'Kim Ito'][op.v] }, touches: [] };
    default:
      break;
  }
  const booking = bookingAt(op.b);
  if (!booking) return null;
  const id = booking.id;
  const assignees = booking.slot?.assignees ?? [];
  const touches = [id];
  switch (op.t) {
    case 'assign': {
      const providerId = pick(providerIds, op.p)!;
      return { name: 'assignProvider', input: booking.slot ? { id, providerId } : { id, providerId, start: at(op.at) }, touches };
    }
    case 'reassign':
      return {
        name: 'reassignProvider',
        input: { id, fromProviderId: pick(assignees, op.from) ?? pick(providerIds, op.from), toProviderId: pick(providerIds, op.to) },
        touches,
      };
    case 'unassign':
      return { name: 'unassignProvider', input: op.p === null ? { id } : { id, providerId: pick(assignees, op.p) ?? pick(providerIds, op.p) }, touches };
    case 'move':
      return { name: 'moveBooking', input: { id, start: at(op.at) }, touches };
    case 'resize':
      return { name: 'resizeBooking', input: { id, end: booking.slot ? fromMs(toMs(booking.slot.start) + op.dur * 30 * MINUTE_MS) : at(op.dur) }, touches };
    case 'setTeam':
      return { name: 'setTeam', input: { id, assignees: teamOf(providerIds, op.team) }, touches };
    case 'setSlot':
      return {
        name: 'setSlot',
        input: { id, slot: op.clear ? null : { start: at(op.at), end: at(op.at + op.dur), assignees: teamOf(providerIds, op.team) } },
        touches,
      };
    case 'edit': {
      const value = op.field === 'notes' ? pick(NOTES, op.v) : op.field === 'title' ? pick(TITLES, op.v) : pick(PRIORITIES, op.v);
      return { name: 'updateBooking', input: { id, [op.field]: value }, touches };
    }
    case 'send':
      return { name: 'sendToTech', input: { id }, touches };
    case 'status':
      return { name: 'updateStatus', input: { id, status: (['en_route', 'in_progress', 'completed'] as const)[op.s] }, touches };
    case 'cancel':
      return { name: 'cancelBooking', input: { id, reason: 'Customer called' }, touches };
    case 'late':
      return { name: 'reportRunningLate', input: { id, note: `${op.v} min` }, touches };
    case 'save': {
      const other = bookingAt(op.b2)!.id;
      const changes = [{ id, slot: { start: at(op.at), end: at(op.at + 2), assignees: teamOf(providerIds, op.team) } }];
      if (other !== id) changes.push({ id: other, slot: { start: at(op.at + 1), end: at(op.at + 3), assignees: teamOf(providerIds, op.team >> 1) } });
      return { name: 'saveChanges', input: { changes, notifyProviders: op.notify, notifyCustomers: false }, touches: changes.map((c) => c.id) };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// What must hold

const slotKey = (slot: Slot | null) => (slot ? JSON.stringify([slot.start, slot.end, slot.assignees]) : 'null');

/** Key-sorted JSON: equal content gives equal strings whatever order keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));

function contentOf(ws: Workspace) {
  const bookings = byId(listBookings(ws.schedule));
  const maps = scheduleMaps(ws.schedule);
  return {
    settings: canonical(readSettings(ws.roster)),
    // Board row order, not re-sorted here: every desktop must show the same rows in the same order.
    providers: canonical(listProviders(ws.roster)),
    customers: canonical(byId(listCustomers(ws.roster))),
    services: canonical(byId(listServices(ws.roster))),
    bookings: canonical(bookings),
    histories: canonical(bookings.map((b) => [b.id, readHistory(ws.schedule, b.id)])),
    notificationRequests: canonical(Object.entries(maps.notificationRequests.toJSON()).sort(([x], [y]) => x.localeCompare(y))),
  };
}

const allHistoryIds = (ws: Workspace) =>
  listBookings(ws.schedule).flatMap((b) => readHistory(ws.schedule, b.id).map((h) => h.id));

interface Trace {
  written: Map<string, Set<string>>;
  history: Set<string>;
  ran: number;
  refused: number;
}

function record(trace: Trace, ws: Workspace, bookingIds: readonly string[]) {
  for (const id of bookingIds) {
    const booking = getBooking(ws.schedule, id);
    if (!booking) continue;
    let set = trace.written.get(id);
    if (!set) trace.written.set(id, (set = new Set()));
    set.add(slotKey(booking.slot));
  }
  for (const h of allHistoryIds(ws)) trace.history.add(h);
}

function runScenario(ops: readonly Op[]) {
  const trace: Trace = { written: new Map(), history: new Set(), ran: 0, refused: 0 };
  const { a, b } = seededPair();
  const replicas: [Replica, Replica] = [a, b];
  record(trace, a.ws, listBookings(a.ws.schedule).map((x) => x.id));

  for (const op of ops) {
    if (op.t === 'sync') {
      const docs = op.docs === 'both' ? DOCS : [op.docs];
      if (op.dir !== 'ba') push(a.ws, b.ws, docs);
      if (op.dir !== 'ab') push(b.ws, a.ws, docs);
      continue;
    }
    const rep = replicas[op.r];
    rep.clock += 1;
    rep.ws.setNow(fromMs(toMs('2026-11-23T12:00:00Z') + rep.clock * MINUTE_MS));
    const cmd = commandFor(op, rep.ws);
    if (!cmd) continue;
    const before = DOCS.map((k) => Y.encodeStateVector(rep.ws[k]));
    const result = rep.ws.run(cmd.name, cmd.input as never, rep.actor);
    if (!result.ok) {
      trace.refused += 1;
      // A refused command writes nothing.
      expect(DOCS.map((k) => Y.encodeStateVector(rep.ws[k])), `${cmd.name} refused but wrote`).toEqual(before);
      expect(result.error.code).not.toBe('internal');
      continue;
    }
    trace.ran += 1;
    const created = cmd.name === 'createBooking' ? [(result.value as { id: string }).id] : [];
    record(trace, rep.ws, [...cmd.touches, ...created]);
  }

  // Full sync, in an order that leaves both sides with everything.
  push(a.ws, b.ws);
  push(b.ws, a.ws);

  const ca = contentOf(a.ws);
  const cb = contentOf(b.ws);
  expect(cb).toEqual(ca);

  for (const booking of listBookings(a.ws.schedule)) {
    const options = trace.written.get(booking.id);
    expect(options, `no slot recorded for ${booking.title}`).toBeDefined();
    expect([...options!], `chimera slot on "${booking.title}"`).toContain(slotKey(booking.slot));
  }
  const finalHistory = new Set(allHistoryIds(a.ws));
  for (const h of trace.history) expect(finalHistory.has(h), `history entry ${h} lost`).toBe(true);
  expect(finalHistory.size).toBe(trace.history.size);
  return { a, b, trace };
}

// ---------------------------------------------------------------------------------------------------

describe('two offline replicas converge', () => {
  it(`random concurrent command sequences (${NUM_RUNS} runs)`, () => {
    console.log(`convergence: seed ${SEED}, ${NUM_RUNS} runs (replay with FC_SEED=${SEED} CONVERGENCE_RUNS=${NUM_RUNS})`);
    const totals = { ran: 0, refused: 0 };
    const started = performance.now();
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60, size: 'max' }), (ops) => {
        const { trace } = runScenario(ops);
        totals.ran += trace.ran;
        totals.refused += trace.refused;
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    console.log(
      `convergence: ${totals.ran} commands applied, ${totals.refused} refused, ${Math.round(performance.now() - started)} ms`,
    );
    // The generator must mostly produce commands that do something, or the property says little.
    expect(totals.ran).toBeGreaterThan(totals.refused / 2);
  }, 120_000);
});

describe('DESIGN §4 examples', () => {
  it('A moves the job to 10:00 while B reassigns it to Carol: after sync the slot is A\'s or B\'s, never 10:00-with-Carol', () => {
    const outcomes = new Set<string>();
    for (const clientIds of [[100, 200], [200, 100], [7, 3], [3, 7]] as [number, number][]) {
      const { a, b, providers, bookings } = seededPair(clientIds);
      const [ana, , carol] = providers as [string, string, string];
      const id = bookings.scheduled; // 09:00–10:00 local with Ana
      const start = getBooking(a.ws.schedule, id)!.slot!;
      expect(start).toEqual({ start: at(2), end: at(4), assignees: [ana] });

      a.ws.must('moveBooking', { id, start: '2026-11-24T16:00:00Z' }); // 10:00 local
      b.ws.must('reassignProvider', { id, fromProviderId: ana, toProviderId: carol });
      const fromA = getBooking(a.ws.schedule, id)!.slot;
      const fromB = getBooking(b.ws.schedule, id)!.slot;
      expect(fromA).toEqual({ start: '2026-11-24T16:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] });
      expect(fromB).toEqual({ start: at(2), end: at(4), assignees: [carol] });

      push(a.ws, b.ws);
      push(b.ws, a.ws);
      const merged = getBooking(a.ws.schedule, id)!;
      expect(getBooking(b.ws.schedule, id)).toEqual(merged);
      expect([slotKey(fromA), slotKey(fromB)]).toContain(slotKey(merged.slot));
      expect(merged.slot).not.toEqual({ start: '2026-11-24T16:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [carol] });
      // Both actions are in the history whichever slot won.
      expect(readHistory(a.ws.schedule, id).map((h) => h.action)).toEqual(expect.arrayContaining(['move', 'reassign']));
      outcomes.add(slotKey(merged.slot));
    }
    // Either side can win depending on the replicas' client ids: both outcomes must have been seen.
    expect(outcomes.size).toBe(2);
  });

  it('A edits notes while B reassigns: both survive', () => {
    const { a, b, providers, bookings } = seededPair();
    const [ana, bo] = providers as [string, string];
    const id = bookings.scheduled;
    a.ws.must('updateBooking', { id, notes: 'Gate code 4321' });
    b.ws.must('reassignProvider', { id, fromProviderId: ana, toProviderId: bo });
    push(a.ws, b.ws);
    push(b.ws, a.ws);
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
    push(a.ws, b.ws);
    push(b.ws, a.ws);
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
      push(a.ws, b.ws);
      push(b.ws, a.ws);
      const rowsA = listProviders(a.ws.roster).map((p) => p.id);
      const rowsB = listProviders(b.ws.roster).map((p) => p.id);
      expect(rowsA).toEqual(expect.arrayContaining([fromA, fromB]));
      expect(rowsB).toEqual(rowsA);
    }
  });
});
