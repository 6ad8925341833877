import * as Y from 'yjs';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CommandName } from '../commands/index';
import { getBooking, listBookings, readHistory, scheduleMaps } from '../doc/schedule';
import { listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import type { Actor, Slot } from '../model';
import { findConcurrentMoves } from '../moves';
import type { Result } from '../result';
import { fromMs, MINUTE_MS, toMs } from '../time';
import { createWorkspace, type Workspace } from './fixture';

/**
 * The two-replica convergence scenario of docs/design.md §4, shared by the pure-core test (bare Y.Docs) and the
 * store test (real LocalStores on SQLite). Two offline replicas run random concurrent commands and exchange
 * updates at random points. After a full sync they must hold the same content; no booking's slot may be a
 * chimera of two writes; no history entry anyone wrote may be lost; a refused command writes nothing.
 */

export type DocKey = 'roster' | 'schedule';
export const DOCS: readonly DocKey[] = ['roster', 'schedule'];

/** What the scenario needs of a replica: its two documents, the command path, a clock and a sync inlet. */
export interface ReplicaPort {
  readonly roster: Y.Doc;
  readonly schedule: Y.Doc;
  run(name: CommandName, input: unknown, actor: Actor): Result<unknown>;
  setNow(instant: string): void;
  /** An update from the other replica, applied with a remote origin. */
  receive(doc: DocKey, update: Uint8Array): void;
}

export const BASE = toMs('2026-11-24T14:00:00Z'); // Tue 08:00 America/Chicago
export const at = (halfHours: number) => fromMs(BASE + halfHours * 30 * MINUTE_MS);
export const ACTORS: [Actor, Actor] = [
  { id: 'user-a', name: 'Alex Admin', role: 'admin' },
  { id: 'user-b', name: 'Dana Dispatcher', role: 'dispatcher' },
];
/** The clock every replica starts from; each command a replica runs advances its own clock by a minute. */
export const START_NOW = '2026-11-23T12:00:00Z';

// ---------------------------------------------------------------------------------------------------
// Replicas

/**
 * Fixed client ids keep Yjs' tie-breaking, and so a failing run, reproducible from the fast-check seed.
 * Set them before the first write: roster gets `clientBase + 1`, schedule `clientBase + 2`.
 */
export function setClientIds(replica: { roster: Y.Doc; schedule: Y.Doc }, clientBase: number): void {
  replica.roster.clientID = clientBase + 1;
  replica.schedule.clientID = clientBase + 2;
}

export interface WorkspaceReplica extends ReplicaPort {
  ws: Workspace;
}

/** A bare Y.Doc replica (no store), with sequential ids under `idPrefix`. */
export function workspaceReplica(idPrefix: number, clientBase: number, actor: Actor): WorkspaceReplica {
  const ws = createWorkspace({ idPrefix, actor, now: START_NOW });
  setClientIds(ws, clientBase);
  return {
    ws,
    roster: ws.roster,
    schedule: ws.schedule,
    run: (name, input, runAs) => ws.run(name, input as never, runAs),
    setNow: (instant) => ws.setNow(instant),
    receive: (doc, update) => Y.applyUpdate(ws[doc], update, 'remote'),
  };
}

export function workspacePair(clientIds: [number, number] = [100, 200]): [WorkspaceReplica, WorkspaceReplica] {
  return [workspaceReplica(1, clientIds[0], ACTORS[0]), workspaceReplica(2, clientIds[1], ACTORS[1])];
}

/** Sends `to` whatever of `from`'s documents it has not seen yet. */
export function push(from: ReplicaPort, to: ReplicaPort, docs: readonly DocKey[] = DOCS): void {
  for (const key of docs) to.receive(key, Y.encodeStateAsUpdate(from[key], Y.encodeStateVector(to[key])));
}

function must(replica: ReplicaPort, name: CommandName, input: unknown, actor: Actor = ACTORS[0]): { id: string } {
  const result = replica.run(name, input, actor);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
  return result.value as { id: string };
}

export interface Seeded {
  providers: string[];
  bookings: { queued: string; scheduled: string; team: string; dispatched: string; open: string };
}

/** Organization, three providers, customers, a service and bookings in several statuses, built on A, sent to B. */
export function seedPair(a: ReplicaPort, b: ReplicaPort): Seeded {
  must(a, 'initializeOrganization', { name: 'Acme HVAC', timeZone: 'America/Chicago' });
  const providers = ['Ana Silva', 'Bo Chen', 'Carol Diaz'].map((name) => must(a, 'createProvider', { name, skills: ['hvac'] }).id);
  const customer = must(a, 'createCustomer', { name: 'Jo Smith', address: '1 Main St' }).id;
  must(a, 'createCustomer', { name: 'Lee Park' });
  const service = must(a, 'createService', { name: 'AC repair', durationMinutes: 90, requiredSkills: ['hvac'] }).id;
  const queued = must(a, 'createBooking', { title: 'Queued job', customerId: customer, serviceId: service }).id;
  const scheduled = must(a, 'createBooking', { title: 'Scheduled job', slot: { start: at(2), end: at(4), assignees: [providers[0]!] } }).id;
  const team = must(a, 'createBooking', {
    title: 'Team job', teamSize: 2, laborHours: 4, slot: { start: at(6), end: at(10), assignees: [providers[0]!, providers[1]!] },
  }).id;
  const dispatched = must(a, 'createBooking', { title: 'Dispatched job', slot: { start: at(1), end: at(3), assignees: [providers[2]!] } }).id;
  must(a, 'sendToTech', { id: dispatched });
  const open = must(a, 'createBooking', { title: 'Open slot', slot: { start: at(8), end: at(9), assignees: [] } }).id;
  push(a, b);
  return { providers, bookings: { queued, scheduled, team, dispatched, open } };
}

// ---------------------------------------------------------------------------------------------------
// Random operations. Indices resolve at run time against what the acting replica can see.

export type Side = 0 | 1;
export type Op =
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
export type CommandOp = Exclude<Op, { t: 'sync' }>;

const side = fc.constantFrom<Side>(0, 1);
const idx = fc.nat({ max: 30 });
const when = fc.integer({ min: 0, max: 16 });
const dur = fc.integer({ min: 1, max: 6 });
const team = fc.nat({ max: 7 }); // bitmask over the first three providers

export const opArb: fc.Arbitrary<Op> = fc.oneof(
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

/** A scenario: up to 60 ops, always drawn at full size. */
export const opsArb: fc.Arbitrary<Op[]> = fc.array(opArb, { minLength: 1, maxLength: 60, size: 'max' });

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
const teamOf = (providers: readonly string[], mask: number) => providers.filter((_, i) => mask & (1 << i));
const NOTES = ['Gate code 1234', 'Dog in yard', 'Call on arrival', 'Bring ladder', ''];
const TITLES = ['Furnace tune-up', 'AC repair', 'Water heater', 'Duct cleaning'];
const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const;

export interface PlannedCommand {
  name: CommandName;
  input: Record<string, unknown>;
  /** Bookings whose slot the command may write. */
  touches: string[];
}

/** The command (name and input) an op means on a replica, or null when it cannot be formed there. */
export function commandFor(op: CommandOp, docs: { roster: Y.Doc; schedule: Y.Doc }): PlannedCommand | null {
  const bookingIds = listBookings(docs.schedule).map((b) => b.id).sort();
  const providerIds = listProviders(docs.roster).map((p) => p.id).sort();
  const bookingAt = (i: number) => {
    const id = pick(bookingIds, i);
    return id ? getBooking(docs.schedule, id)! : undefined;
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

export const slotKey = (slot: Slot | null) => (slot ? JSON.stringify([slot.start, slot.end, slot.assignees]) : 'null');

/** Key-sorted JSON: equal content gives equal strings whatever order keys were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));

/** Everything a user can see in the documents, canonicalised so two replicas can be compared with toEqual. */
export function contentOf(docs: { roster: Y.Doc; schedule: Y.Doc }) {
  const bookings = byId(listBookings(docs.schedule));
  const maps = scheduleMaps(docs.schedule);
  return {
    settings: canonical(readSettings(docs.roster)),
    // Board row order, not re-sorted here: every desktop must show the same rows in the same order.
    providers: canonical(listProviders(docs.roster)),
    customers: canonical(byId(listCustomers(docs.roster))),
    services: canonical(byId(listServices(docs.roster))),
    bookings: canonical(bookings),
    histories: canonical(bookings.map((b) => [b.id, readHistory(docs.schedule, b.id)])),
    notificationRequests: canonical(Object.entries(maps.notificationRequests.toJSON()).sort(([x], [y]) => x.localeCompare(y))),
  };
}

export const allHistoryIds = (docs: { schedule: Y.Doc }) =>
  listBookings(docs.schedule).flatMap((b) => readHistory(docs.schedule, b.id).map((h) => h.id));

export interface Trace {
  /** Every slot any replica ever wrote, per booking: the merged slot must be one of them. */
  written: Map<string, Set<string>>;
  history: Set<string>;
  ran: number;
  refused: number;
}

export function record(trace: Trace, docs: { schedule: Y.Doc }, bookingIds: readonly string[]): void {
  for (const id of bookingIds) {
    const booking = getBooking(docs.schedule, id);
    if (!booking) continue;
    let set = trace.written.get(id);
    if (!set) trace.written.set(id, (set = new Set()));
    set.add(slotKey(booking.slot));
  }
  for (const h of allHistoryIds(docs)) trace.history.add(h);
}

// ---------------------------------------------------------------------------------------------------
// Running a scenario

export interface Scenario<R extends ReplicaPort = ReplicaPort> {
  a: R;
  b: R;
  replicas: [R, R];
  /** Per-replica clock, in minutes since START_NOW. */
  clocks: [number, number];
  trace: Trace;
}

/** Seeds a fresh pair from `makePair` and starts the trace from the seed's bookings. */
export function startScenario<R extends ReplicaPort>(makePair: () => [R, R]): Scenario<R> {
  const [a, b] = makePair();
  seedPair(a, b);
  const trace: Trace = { written: new Map(), history: new Set(), ran: 0, refused: 0 };
  record(trace, a, listBookings(a.schedule).map((x) => x.id));
  return { a, b, replicas: [a, b], clocks: [0, 0], trace };
}

/** Runs one command op on its replica, checking that a refused command writes nothing. */
export function runCommandOp(scenario: Scenario, op: CommandOp): void {
  const { trace } = scenario;
  const rep = scenario.replicas[op.r];
  scenario.clocks[op.r] += 1;
  rep.setNow(fromMs(toMs(START_NOW) + scenario.clocks[op.r] * MINUTE_MS));
  const cmd = commandFor(op, rep);
  if (!cmd) return;
  const before = DOCS.map((k) => Y.encodeStateVector(rep[k]));
  const result = rep.run(cmd.name, cmd.input, ACTORS[op.r]);
  if (!result.ok) {
    trace.refused += 1;
    // A refused command writes nothing.
    expect(DOCS.map((k) => Y.encodeStateVector(rep[k])), `${cmd.name} refused but wrote`).toEqual(before);
    expect(result.error.code).not.toBe('internal');
    return;
  }
  trace.ran += 1;
  const created = cmd.name === 'createBooking' ? [(result.value as { id: string }).id] : [];
  record(trace, rep, [...cmd.touches, ...created]);
}

export function runOp(scenario: Scenario, op: Op): void {
  if (op.t !== 'sync') return runCommandOp(scenario, op);
  const docs = op.docs === 'both' ? DOCS : [op.docs];
  if (op.dir !== 'ba') push(scenario.a, scenario.b, docs);
  if (op.dir !== 'ab') push(scenario.b, scenario.a, docs);
}

/** Full sync, then every convergence assertion, then the caller's own `check` on the synced pair. */
export function finishScenario<R extends ReplicaPort>(scenario: Scenario<R>, check?: (a: R, b: R) => void): void {
  const { a, b, trace } = scenario;
  // Full sync, in an order that leaves both sides with everything.
  push(a, b);
  push(b, a);

  const ca = contentOf(a);
  const cb = contentOf(b);
  expect(cb).toEqual(ca);

  for (const booking of listBookings(a.schedule)) {
    const options = trace.written.get(booking.id);
    expect(options, `no slot recorded for ${booking.title}`).toBeDefined();
    expect([...options!], `chimera slot on "${booking.title}"`).toContain(slotKey(booking.slot));
    // The move that wrote the slot travels with it, so both sides name the same winner (core/moves.ts).
    const history = readHistory(a.schedule, booking.id);
    const winner = history.find((h) => h.id === booking.slotMove?.id);
    if (booking.slotMove) expect(winner?.move, `slot of "${booking.title}" names no move`).toBeDefined();
    expect(findConcurrentMoves(getBooking(b.schedule, booking.id)!, readHistory(b.schedule, booking.id))).toEqual(
      findConcurrentMoves(booking, history),
    );
  }
  const finalHistory = new Set(allHistoryIds(a));
  for (const h of trace.history) expect(finalHistory.has(h), `history entry ${h} lost`).toBe(true);
  expect(finalHistory.size).toBe(trace.history.size);
  check?.(a, b);
}

/** A whole scenario on a fresh seeded pair: the ops, a full sync, and every assertion. */
export function runScenario<R extends ReplicaPort>(ops: readonly Op[], makePair: () => [R, R], check?: (a: R, b: R) => void): Scenario<R> {
  const scenario = startScenario(makePair);
  for (const op of ops) runOp(scenario, op);
  finishScenario(scenario, check);
  return scenario;
}

/** Sums what the scenarios did; the generator must mostly produce commands that do something. */
export interface Totals {
  ran: number;
  refused: number;
}

export function expectProductive(totals: Totals): void {
  // The generator must mostly produce commands that do something, or the property says little.
  expect(totals.ran).toBeGreaterThan(totals.refused / 2);
}
