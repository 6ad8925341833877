/**
 * The sync convergence scenario (sync issue #4), shared by electron/backend/sync/convergence.int.test.ts
 * (a few hundred runs in CI) and scripts/sync-convergence.ts (thousands on demand).
 *
 * One run: a fresh organization on a real sync server, three desktops (real LocalStore files, real
 * SyncClients) each reaching the server through its own TCP proxy, the organization seeded by the first
 * desktop exactly as the two-replica scenario seeds its pair (core/testing/convergence-scenario.ts), then a
 * random list of events: commands on any desktop (the same op mix and `commandFor` as the two-replica
 * scenario, run through the desktop's API), undo, a desktop going offline (its network cut by the proxy,
 * or its sync client stopped) and back, connections reset mid-flight, desktop restarts, server restarts
 * and outages. At the end everything heals, and then: all three synced with nothing pending, the same
 * documents as each other and as the server, identical read tables, every committed action in every
 * replica and on the server, every history entry everywhere, no chimera slot, and the same concurrent
 * moves (core/moves.ts) from the documents and from `bookings:get` on all three.
 *
 * Replays: the same seed gives the same event lists and the same state at every command. Commands run in
 * bursts with no I/O in between (each is one synchronous store write); every network event except a reset
 * waits for the online replicas to settle before and after it; Yjs client ids are fixed per desktop; store
 * ids are UUIDv7, monotonic within the process. What can differ between replays is the order in which the
 * server receives the messages that different desktops sent in one burst (separate sockets): the documents
 * end the same, but a bug that depends on that order may need a replay or two (the shrunk list is usually
 * enough: the ack bug below reproduced 6 times out of 6).
 *
 * Found with it: the server acknowledged only client updates that changed its document, so a local action
 * the server already had (an undo that only deletes, racing another desktop's overwrite) stayed pending for
 * as long as the connection lasted (fixed in sync-server/src/sync/connection.ts; convergence.int.test.ts
 * has the deterministic case).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { findConcurrentMoves, getBooking, listBookings, readHistory, scheduleMaps, type Slot } from '../../../../core/index';
import { roomName } from '../../../../core/sync/rooms';
import {
  contentOf,
  commandFor,
  DOCS,
  opArb,
  record,
  seedPair,
  setClientIds,
  slotKey,
  type CommandOp,
  type DocKey,
  type ReplicaPort,
  type Trace,
} from '../../../../core/testing/convergence-scenario';
import { dumpReadTables } from '../../store/testing/tables';
import type { SyncServer } from '../../../../sync-server/src/server';
import { openDesktop, startSyncServer, type TestDesktop, type TestSyncServer } from './sync-harness';
import type { TestSyncNodes } from './sync-nodes';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

// ---------------------------------------------------------------------------------------------------
// Events

export type DesktopIx = 0 | 1 | 2;
export type SyncEvent =
  /** A command on one desktop (the two-replica scenario's op; its `r` is not used). */
  | { t: 'cmd'; d: DesktopIx; op: CommandOp }
  | { t: 'undo'; d: DesktopIx }
  /** `network`: the proxy cuts the desktop off (the client keeps retrying); `app`: its sync client stops. */
  | { t: 'offline'; d: DesktopIx; how: 'network' | 'app' }
  | { t: 'online'; d: DesktopIx }
  /** The desktop's connections reset mid-flight, without waiting for anything to settle first. */
  | { t: 'drop'; d: DesktopIx }
  /** The desktop app quits and starts again on the same files (offline stays offline on the network). */
  | { t: 'reopen'; d: DesktopIx }
  /** Let the online replicas exchange what they have. */
  | { t: 'settle' }
  | { t: 'server'; action: 'restart' | 'down' | 'up' };

const desktopIx = fc.constantFrom<DesktopIx>(0, 1, 2);
const commandOpArb = opArb.filter((op): op is CommandOp => op.t !== 'sync');

export const syncEventArb: fc.Arbitrary<SyncEvent> = fc.oneof(
  { weight: 24, arbitrary: fc.record({ t: fc.constant('cmd' as const), d: desktopIx, op: commandOpArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('undo' as const), d: desktopIx }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('offline' as const), d: desktopIx, how: fc.constantFrom('network' as const, 'network' as const, 'app' as const) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('online' as const), d: desktopIx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drop' as const), d: desktopIx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reopen' as const), d: desktopIx }) },
  { weight: 2, arbitrary: fc.constant({ t: 'settle' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('server' as const), action: fc.constantFrom('restart' as const, 'down' as const, 'up' as const) }) },
);

/** One run's events: 5 to 20. */
export const syncRunArb: fc.Arbitrary<SyncEvent[]> = fc.array(syncEventArb, { minLength: 5, maxLength: 20 });

// ---------------------------------------------------------------------------------------------------
// What runs report

export interface RunStats {
  ran: number;
  refused: number;
  /** Commands run on a desktop that was offline (its edits waited for a reconnect). */
  offlineCommands: number;
  undos: number;
  partitions: number;
  appStops: number;
  drops: number;
  reopens: number;
  serverRestarts: number;
  serverOutages: number;
  /** Bookings that ended with a concurrent move (a winner and at least one lost move). */
  concurrentMoves: number;
  /** The most actions one desktop had waiting when it came back. */
  maxPending: number;
  /** Where the time went: a fresh organization and three linked desktops; the events; the checks. */
  setUpMs: number;
  eventsMs: number;
  checkMs: number;
}

export const emptyStats = (): RunStats => ({
  ran: 0, refused: 0, offlineCommands: 0, undos: 0, partitions: 0, appStops: 0, drops: 0, reopens: 0,
  serverRestarts: 0, serverOutages: 0, concurrentMoves: 0, maxPending: 0, setUpMs: 0, eventsMs: 0, checkMs: 0,
});

export function addStats(into: RunStats, from: RunStats): void {
  for (const key of Object.keys(into) as Array<keyof RunStats>) {
    into[key] = key === 'maxPending' ? Math.max(into[key], from[key]) : into[key] + from[key];
  }
}

// ---------------------------------------------------------------------------------------------------
// The rig: one server and three proxies for many runs

const NAMES = ['a', 'b', 'c'] as const;
const PASSWORD = 'convergence-password';
/** Yjs client ids: desktop i writes as 100(i+1)+1 / +2, and after its k-th restart as +10k (setClientIds). */
const clientBase = (d: DesktopIx, reopens: number) => (d + 1) * 100 + reopens * 10;
/** Short reconnect backoff: every heal would otherwise wait up to the harness's 300 ms. */
const BACKOFF_MS = 40;
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 2;

export interface ConvergenceRigOptions {
  /** Where desktops keep their files (default: a temp dir, removed by `close`). */
  root?: string;
  /**
   * The server (default: one node, `startSyncServer`); the rig owns it. With many nodes
   * (`testing/sync-nodes.ts`) desktop i reaches node i mod N, and every node must converge.
   */
  server?: TestSyncServer | TestSyncNodes;
}

export class ConvergenceRig {
  private runs = 0;

  private constructor(
    readonly server: TestSyncServer,
    readonly proxies: readonly [TcpProxy, TcpProxy, TcpProxy],
    private readonly root: string,
  ) {}

  static async start(options: ConvergenceRigOptions = {}): Promise<ConvergenceRig> {
    const server = options.server ?? (await startSyncServer());
    const ports: readonly number[] = 'ports' in server ? (server as TestSyncNodes).ports : [server.port];
    const proxies = (await Promise.all(NAMES.map((_, i) => startTcpProxy(ports[i % ports.length]!)))) as [TcpProxy, TcpProxy, TcpProxy];
    const root = options.root ?? mkdtempSync(join(tmpdir(), 'crewline-sync-convergence-'));
    return new ConvergenceRig(server, proxies, root);
  }

  /** Runs one event list on a fresh organization and three fresh desktops; throws on any broken property. */
  async run(events: readonly SyncEvent[]): Promise<RunStats> {
    const run = new ConvergenceRun(this, ++this.runs, this.root);
    try {
      let at = performance.now();
      const lap = () => Math.round(-at + (at = performance.now()));
      await run.setUp();
      const setUpMs = lap();
      for (const event of events) await run.apply(event);
      await run.healAll();
      const eventsMs = lap();
      const stats = await run.check();
      return { ...stats, setUpMs, eventsMs, checkMs: lap() };
    } finally {
      await run.tearDown();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.proxies.map((p) => p.close()));
    await this.server.dispose();
    rmSync(this.root, { recursive: true, force: true });
  }
}

interface Seat {
  readonly ix: DesktopIx;
  readonly name: string;
  readonly proxy: TcpProxy;
  desktop: TestDesktop;
  offline: 'network' | 'app' | null;
  reopens: number;
}

/** Where one committed action left one document: it is lost if some replica's state vector falls short. */
interface ActionMark {
  what: string;
  doc: DocKey;
  clientId: number;
  clock: number;
}

class ConvergenceRun {
  private seats: Seat[] = [];
  private orgId = '';
  private serverUp = true;
  private readonly trace: Trace = { written: new Map(), history: new Set(), ran: 0, refused: 0 };
  private readonly actions: ActionMark[] = [];
  private readonly stats = emptyStats();

  constructor(
    private readonly rig: ConvergenceRig,
    private readonly n: number,
    private readonly root: string,
  ) {}

  private get server() {
    return this.rig.server;
  }

  async setUp(): Promise<void> {
    const accounts = this.server.server.accounts!;
    const email = (name: string) => `${name}.run${this.n}@convergence.example`;
    const { org } = await accounts.createOrganization({
      name: `Convergence run ${this.n}`,
      admin: { email: email('a'), name: 'Ana', password: PASSWORD },
    });
    this.orgId = org.id;
    for (const [name, display] of [['b', 'Bo'], ['c', 'Cy']] as const) {
      await accounts.inviteUser(org.id, { email: email(name), name: display, role: 'dispatcher', password: PASSWORD });
    }
    const dataDir = (name: string) => join(this.root, `run${this.n}-${name}`);
    for (const ix of [0, 1, 2] as const) {
      const desktop = await openDesktop(NAMES[ix], { dataDir: dataDir(NAMES[ix]), maxBackoffMs: BACKOFF_MS });
      this.seats.push({ ix, name: NAMES[ix], proxy: this.rig.proxies[ix], desktop, offline: null, reopens: 0 });
    }
    // The first desktop seeds the organization as the two-replica scenario seeds its pair, and uploads it.
    const [first, ...others] = this.seats as [Seat, Seat, Seat];
    setClientIds(first.desktop.store.docs, clientBase(0, 0));
    const port = seedPort(first.desktop);
    seedPair(port, port);
    await signInAt(first.desktop, first.proxy.url, email(first.name), PASSWORD, 'upload');
    await this.settle('upload', [first]);
    // The others replace their (empty) workspaces with it, side by side.
    await Promise.all(
      others.map(async (seat) => {
        await signInAt(seat.desktop, seat.proxy.url, email(seat.name), PASSWORD, 'replace');
        // A replaced workspace has new documents: fix their client ids before this desktop writes.
        await fixClientIds(seat.desktop, clientBase(seat.ix, 0));
      }),
    );
    await this.settle('set-up');
    const docs = first.desktop.store.docs;
    this.record(docs, listBookings(docs.schedule).map((b) => b.id));
  }

  async apply(event: SyncEvent): Promise<void> {
    switch (event.t) {
      case 'cmd':
        return this.command(this.seats[event.d]!, event.op);
      case 'undo':
        return this.undo(this.seats[event.d]!);
      case 'settle':
        return this.settle('settle');
      case 'offline': {
        const seat = this.seats[event.d]!;
        if (seat.offline) return;
        await this.settle(`before ${seat.name} goes offline`);
        if (event.how === 'network') {
          seat.proxy.partition();
          this.stats.partitions++;
        } else {
          seat.desktop.sync.stop();
          this.stats.appStops++;
        }
        seat.offline = event.how;
        return this.settle(`after ${seat.name} went offline`);
      }
      case 'online': {
        const seat = this.seats[event.d]!;
        if (!seat.offline) return;
        await this.settle(`before ${seat.name} comes back`);
        this.stats.maxPending = Math.max(this.stats.maxPending, seat.desktop.sync.status().pending);
        await this.reconnect(seat);
        return this.settle(`after ${seat.name} came back`);
      }
      case 'drop': {
        const seat = this.seats[event.d]!;
        if (seat.offline || !this.serverUp) return;
        const relayed = seat.proxy.relayed;
        seat.proxy.drop();
        this.stats.drops++;
        // Both rooms must really reconnect (new connections through the proxy) before the run goes on.
        await until(() => seat.proxy.relayed >= relayed + 2, `${seat.name} reconnecting after a reset`);
        return this.settle(`after ${seat.name}'s connections were reset`);
      }
      case 'reopen':
        return this.reopen(this.seats[event.d]!);
      case 'server':
        return this.serverEvent(event.action);
    }
  }

  private async command(seat: Seat, op: CommandOp): Promise<void> {
    const { desktop } = seat;
    const docs = desktop.store.docs;
    const cmd = commandFor(op, docs);
    if (!cmd) return;
    const before = snapshots(docs);
    const pendingBefore = desktop.store.pendingActions.count();
    const result = await desktop.client.request('commands:run', { name: cmd.name, input: cmd.input });
    const changed = changedDocs(before, docs);
    if (!result.ok) {
      this.trace.refused++;
      this.stats.refused++;
      expect(changed, `${seat.name}: ${cmd.name} refused (${result.error.message}) but wrote`).toEqual([]);
      expect(result.error.code, `${seat.name}: ${cmd.name}: ${result.error.message}`).not.toBe('internal');
      expect(desktop.store.pendingActions.count()).toBe(pendingBefore);
      return;
    }
    this.trace.ran++;
    this.stats.ran++;
    if (seat.offline || !this.serverUp) this.stats.offlineCommands++;
    const created = cmd.name === 'createBooking' ? [(result.value as { id: string }).id] : [];
    this.record(docs, [...cmd.touches, ...created]);
    this.noteAction(seat, `${cmd.name} ${JSON.stringify(cmd.input)}`, changed, pendingBefore);
  }

  private async undo(seat: Seat): Promise<void> {
    const { desktop } = seat;
    const docs = desktop.store.docs;
    const before = snapshots(docs);
    const slotsBefore = new Map(listBookings(docs.schedule).map((b) => [b.id, slotKey(b.slot)]));
    const pendingBefore = desktop.store.pendingActions.count();
    const result = await desktop.client.request('history:undo', {});
    if (!result.ok) throw new Error(`${seat.name}: undo failed: ${result.error.message}`);
    if (!result.value.done) return;
    this.stats.undos++;
    // An undo writes back an earlier slot whole: it is one of the slots that booking has had.
    const changedSlots = listBookings(docs.schedule).filter((b) => slotsBefore.get(b.id) !== slotKey(b.slot));
    this.record(docs, changedSlots.map((b) => b.id));
    this.noteAction(seat, 'undo', changedDocs(before, docs), pendingBefore);
  }

  /** The scenario's trace (slots written, history seen), with history kept by removed bookings too. */
  private record(docs: Record<DocKey, Y.Doc>, bookingIds: string[]): void {
    record(this.trace, docs, bookingIds);
    for (const id of everyHistoryId(docs)) this.trace.history.add(id);
  }

  /**
   * A committed local action: it is counted as pending (exactly one more: no I/O ran since the write, so
   * no ack can have come in), and where it left each document is kept, to be found everywhere at the end.
   */
  private noteAction(seat: Seat, what: string, changed: DocKey[], pendingBefore: number): void {
    const { desktop } = seat;
    expect(desktop.store.pendingActions.count(), `${seat.name}: pending count after ${what}`).toBe(pendingBefore + (changed.length > 0 ? 1 : 0));
    for (const doc of changed) {
      const ydoc = desktop.store.docs[doc];
      this.actions.push({ what: `${seat.name}: ${what}`, doc, clientId: ydoc.clientID, clock: Y.getState(ydoc.store, ydoc.clientID) });
    }
  }

  private async reconnect(seat: Seat): Promise<void> {
    if (seat.offline === 'network') seat.proxy.heal();
    else if (seat.offline === 'app') await seat.desktop.sync.start();
    seat.offline = null;
  }

  /** Quits the app and starts it again on the same files: no waiting, whatever is in flight. */
  private async reopen(seat: Seat): Promise<void> {
    const pending = seat.desktop.store.pendingActions.count();
    seat.desktop = await seat.desktop.reopen();
    seat.reopens++;
    this.stats.reopens++;
    // Starting the app starts its sync client: an app-level stop ends here (a cut network does not).
    if (seat.offline === 'app') seat.offline = null;
    // The reopened documents write under new client ids.
    await fixClientIds(seat.desktop, clientBase(seat.ix, seat.reopens));
    expect(seat.desktop.store.pendingActions.count(), `${seat.name}: pending actions survive a restart`).toBe(pending);
    await this.settle(`after ${seat.name} restarted`);
  }

  private async serverEvent(action: 'restart' | 'down' | 'up'): Promise<void> {
    if (action === 'up') {
      if (this.serverUp) return;
      await this.server.start();
      this.serverUp = true;
      return this.settle('after the server came back');
    }
    if (!this.serverUp) return;
    await this.settle(`before a server ${action}`);
    await this.server.halt();
    if (action === 'down') {
      this.serverUp = false;
      this.stats.serverOutages++;
      return;
    }
    await this.server.start();
    this.stats.serverRestarts++;
    await this.settle('after a server restart');
  }

  async healAll(): Promise<void> {
    if (!this.serverUp) await this.serverEvent('up');
    for (const seat of this.seats) {
      this.stats.maxPending = Math.max(this.stats.maxPending, seat.desktop.sync.status().pending);
      await this.reconnect(seat);
    }
    await this.settle('after healing everything');
  }

  private serverDoc(doc: DocKey): Y.Doc | undefined {
    return serverDoc(this.server, this.orgId, doc);
  }

  /** Waits until the online desktops are settled with the server (`settledWith`); no-op while it is down. */
  private async settle(label: string, seats: readonly Seat[] = this.seats): Promise<void> {
    if (!this.serverUp) return;
    const online = seats.filter((s) => !s.offline).map((s) => s.desktop);
    await until(() => settledWith(this.server, this.orgId, online), label).catch((error: Error) => {
      throw new Error(`Run ${this.n}: ${error.message}; ${this.describe()}`);
    });
  }

  private describe(): string {
    const serverSvs = DOCS.map((doc) => {
      const d = this.serverDoc(doc);
      return d ? JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(d))]) : 'not loaded';
    });
    const seats = this.seats.map((s) => {
      const status = s.desktop.sync.status();
      const svs = DOCS.map((doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(s.desktop.store.docs[doc]))]));
      const rows = s.desktop.store.db.prepare('SELECT action, doc, client_id AS clientId, clock FROM sync_pending ORDER BY action').all();
      return `${s.name} (${s.offline ?? 'online'}, proxy ${s.proxy.partitioned ? 'cut' : 'open'}, ${s.proxy.openConnections} open): ${status.state}, pending ${status.pending} ${JSON.stringify(rows)}, error ${JSON.stringify(status.error)}, sv ${svs.join(' ')}`;
    });
    return `server ${this.serverUp ? 'up' : 'down'} sv ${serverSvs.join(' ')}; ${seats.join('; ')}`;
  }

  /** Every convergence property, on three healed, settled desktops. */
  async check(): Promise<RunStats> {
    const desktops = this.seats.map((s) => s.desktop);
    const [first] = desktops;
    const serverDocs = { roster: this.serverDoc('roster')!, schedule: this.serverDoc('schedule')! };

    // Nothing pending anywhere: every committed action was confirmed by the server.
    for (const d of desktops) expect(d.sync.status(), `${d.name} status`).toMatchObject({ state: 'synced', pending: 0, error: null });

    // The same documents everywhere, the server's included (every node's that holds them).
    const content = contentOf(first!.store.docs);
    expect(contentOf(serverDocs), 'server documents').toEqual(content);
    for (const [i, node] of serversOf(this.server).entries()) {
      const roster = node.rooms.get(roomName(this.orgId, 'roster'))?.doc;
      const schedule = node.rooms.get(roomName(this.orgId, 'schedule'))?.doc;
      if (roster && schedule) expect(contentOf({ roster, schedule }), `node ${i} documents`).toEqual(content);
    }
    for (const d of desktops.slice(1)) expect(contentOf(d.store.docs), `${d.name} documents`).toEqual(content);

    // Identical read tables.
    const tables = dumpReadTables(first!.store.db);
    expect(tables.bookings.length).toBeGreaterThan(0);
    for (const d of desktops.slice(1)) expect(dumpReadTables(d.store.db), `${d.name} read tables`).toEqual(tables);

    // Zero lost committed actions: each is in every replica's and the server's state.
    for (const docs of [serverDocs, ...desktops.map((d) => d.store.docs)]) {
      for (const doc of DOCS) {
        const sv = Y.decodeStateVector(Y.encodeStateVector(docs[doc]));
        const lost = this.actions.filter((a) => a.doc === doc && (sv.get(a.clientId) ?? 0) < a.clock);
        expect(lost.map((a) => a.what), `committed actions missing from ${doc}`).toEqual([]);
      }
    }

    // Every history entry anyone wrote, everywhere, and nothing else.
    for (const d of desktops) {
      const ids = new Set(everyHistoryId(d.store.docs));
      expect([...this.trace.history].filter((h) => !ids.has(h)), `history entries lost on ${d.name}`).toEqual([]);
      expect(ids.size, `history entries on ${d.name}`).toBe(this.trace.history.size);
    }

    // One coherent slot per booking, the same concurrent moves from the documents and through the API.
    const schedule = first!.store.docs.schedule;
    for (const booking of listBookings(schedule)) {
      const written = this.trace.written.get(booking.id);
      expect(written, `no slot recorded for ${booking.title}`).toBeDefined();
      expect([...written!], `chimera slot on "${booking.title}"`).toContain(slotKey(booking.slot));
      const history = readHistory(schedule, booking.id);
      if (booking.slotMove) expect(history.find((h) => h.id === booking.slotMove!.id)?.move, `slot of "${booking.title}" names no move`).toBeDefined();
      const moves = findConcurrentMoves(booking, history);
      if (moves) this.stats.concurrentMoves++;
      for (const d of desktops) {
        const theirs = d.store.docs.schedule;
        expect(findConcurrentMoves(getBooking(theirs, booking.id)!, readHistory(theirs, booking.id)), `${d.name}: concurrent moves`).toEqual(moves);
        const details = await d.client.request('bookings:get', { id: booking.id });
        if (!details.ok) throw new Error(`${d.name}: bookings:get ${booking.id}: ${details.error.message}`);
        expect(details.value.concurrentMoves, `${d.name}: bookings:get concurrentMoves`).toEqual(moves);
        expect(details.value.savedSlot, `${d.name}: bookings:get slot`).toEqual(booking.slot as Slot | null);
      }
    }
    return this.stats;
  }

  async tearDown(): Promise<void> {
    if (!this.serverUp) await this.server.start();
    for (const seat of this.seats) {
      seat.proxy.heal();
      seat.desktop.dispose();
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers, also for the other end-to-end sync tests

/** An organization's document as the running server holds it (undefined while no one has it open). */
export function serverDoc(server: TestSyncServer, orgId: string, doc: DocKey): Y.Doc | undefined {
  return server.server.rooms.get(roomName(orgId, doc))?.doc;
}

/**
 * Every desktop says synced with nothing pending and holds exactly the server's documents: the same
 * state vectors and delete sets (so nothing is on its way in either direction).
 */
export function settledWith(server: TestSyncServer, orgId: string, desktops: readonly TestDesktop[]): boolean {
  if (desktops.length === 0) return true;
  // A node loads an organization's rooms only while some desktop is connected to it: with the desktops of
  // one node offline, the other node's rooms are the reference. Every node that holds them must agree
  // (they hear each other through Redis).
  const held = serversOf(server).map((node) => DOCS.map((doc) => node.rooms.get(roomName(orgId, doc))?.doc));
  const reference = held.find((docs) => docs.every((d) => d !== undefined));
  if (!reference) return false;
  const snapshots = reference.map((d) => Y.snapshot(d!));
  for (const docs of held) {
    if (docs.some((d, i) => d && !Y.equalSnapshots(Y.snapshot(d), snapshots[i]!))) return false;
  }
  return desktops.every((desktop) => {
    const status = desktop.sync.status();
    if (status.state !== 'synced' || status.pending !== 0) return false;
    return DOCS.every((doc, i) => Y.equalSnapshots(Y.snapshot(desktop.store.docs[doc]), snapshots[i]!));
  });
}

/** Every running node of the server (one, unless it is `TestSyncNodes`). */
function serversOf(server: TestSyncServer): readonly SyncServer[] {
  return 'servers' in server ? (server as TestSyncNodes).servers : [server.server];
}

/**
 * Every history entry in the document, those of bookings no longer there included: undoing a creation
 * removes the booking, never its history (which is outside the undo scope).
 */
export function everyHistoryId(docs: { schedule: Y.Doc }): string[] {
  return [...scheduleMaps(docs.schedule).history.values()].flatMap((entries) => entries.toArray().map((h) => h.id));
}

/** Signs a fresh desktop in at `serverUrl` and links it (`upload` into an empty organization, or `replace`). */
export async function signInAt(desktop: TestDesktop, serverUrl: string, email: string, password: string, mode: 'upload' | 'replace'): Promise<void> {
  const signedIn = await desktop.client.request('sync:signIn', { serverUrl, email, password });
  if (!signedIn.ok) throw new Error(`${desktop.name}: sign-in failed: ${signedIn.error.message}`);
  if (!signedIn.value.needsLink) throw new Error(`${desktop.name}: a fresh desktop should need a link`);
  const linked = await desktop.client.request('sync:link', { mode });
  if (!linked.ok) throw new Error(`${desktop.name}: link (${mode}) failed: ${linked.error.message}`);
}

/**
 * Gives a desktop's documents fixed Yjs client ids (they decide which of two concurrent writes wins, so a
 * replay needs them). Only between two connections: y-websocket announces presence under the document's
 * client id when its socket opens, so the rooms are left, the ids set, and the rooms joined again. Called
 * right after the rooms were made, before any local write and before any I/O could bring anything in.
 */
export async function fixClientIds(desktop: TestDesktop, base: number): Promise<void> {
  desktop.sync.stop();
  setClientIds(desktop.store.docs, base);
  await desktop.sync.start();
}

/** The seeding desktop as a scenario replica: commands straight into its store, as the seed's actor. */
function seedPort(desktop: TestDesktop): ReplicaPort {
  const { store } = desktop;
  return {
    roster: store.docs.roster,
    schedule: store.docs.schedule,
    run: (name, input, actor) => store.execute(name, input, actor),
    setNow: () => undefined,
    // seedPair ends by sending the seed to its second replica: here that is the same desktop, so nothing.
    receive: () => undefined,
  };
}

/** The harness's `waitFor`, polling every 2 ms: settling is awaited twice per network event. */
export async function until(condition: () => boolean, label: string, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** State vector and delete set of both documents: a delete-only write (an undone create) changes only the latter. */
const snapshots = (docs: Record<DocKey, Y.Doc>) => DOCS.map((doc) => Y.snapshot(docs[doc]));

function changedDocs(before: Y.Snapshot[], docs: Record<DocKey, Y.Doc>): DocKey[] {
  return DOCS.filter((doc, i) => !Y.equalSnapshots(Y.snapshot(docs[doc]), before[i]!));
}
