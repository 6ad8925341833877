/**
 * What the sync benchmark measures, against any server speaking the y-websocket protocol (bench/sync-bench.ts
 * runs them against Crewline's server and the reference side by side). Clients live in this process; the
 * server is a child process (bench/sync-servers.ts), so client work never shares the server's event loop.
 *
 * - Fan-out: one stock `WebsocketProvider` makes real edits (a booking moved through core's `moveBooking`
 *   on a seeded schedule) and N-1 receivers in the same room report when they have it, either stock
 *   providers (time = the update is applied to their document) or raw y-protocols sockets (time = the
 *   message arrived; no Yjs work in this process, see `FanOutMode`).
 * - Throughput: W raw writers (closed loop, a few updates in flight each, paced under Crewline's
 *   per-connection message limit) and R raw readers in one room; an update counts once every reader has it.
 * - Memory: K idle connections that did what a desktop does on connect (sync handshake, one awareness
 *   state), server memory after a full GC, before and after, divided by K.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { executeCommand, fromMs, getBooking, listBookings, toMs } from '../core/index';
import type { CommandContext } from '../core/commands/define';
import { createScaledSchedule } from '../core/demo/scale';
import { ADMIN_ACTOR, createWorkspace, sequentialIds } from '../core/testing/fixture';
import { lcg, percentile } from './stats';
import type { BenchServer } from './sync-servers';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export const roomOf = (server: BenchServer, doc: 'roster' | 'schedule'): string => `org/${server.orgId}/${doc}`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

// --- wire helpers -----------------------------------------------------------------------------------------

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** A sync update message (`[0, 2, …]`; both type numbers are single varUint bytes). */
const isUpdateMessage = (data: Uint8Array) => data[0] === MESSAGE_SYNC && data[1] === SYNC_UPDATE;

/** The Yjs client id of the first struct group of the update inside a sync update message. */
function clientOfUpdateMessage(data: Uint8Array): number {
  const d = decoding.createDecoder(data);
  decoding.readVarUint(d);
  decoding.readVarUint(d);
  const update = decoding.readVarUint8Array(d);
  const u = decoding.createDecoder(update);
  if (decoding.readVarUint(u) === 0) return -1; // delete set only
  decoding.readVarUint(u); // structs in the group
  return decoding.readVarUint(u);
}

const sameState = (a: Y.Doc, b: Y.Doc) => Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));

function syncUrl(server: BenchServer, room: string): string {
  return `${server.wsUrl}/${room}?token=${encodeURIComponent(server.token)}`;
}

/**
 * A y-protocols client on a raw `ws` socket: the handshake a provider makes (step 1, answering the
 * server's step 1), applying what it is sent into its own document until `onUpdate` is set; from then on
 * an update message is only reported (`onUpdate(bytes)`), never decoded or applied.
 */
class RawPeer {
  readonly ws: WebSocket;
  readonly doc = new Y.Doc();
  readonly opened: Promise<void>;
  /** Set once the server answered our sync step 1. */
  synced = false;
  onUpdate: ((data: Uint8Array) => void) | null = null;

  constructor(url: string, options: { awareness?: Uint8Array } = {}) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.on('error', reject);
    });
    this.ws.on('open', () => {
      this.ws.send(syncMessage(SYNC_STEP_1, Y.encodeStateVector(this.doc)));
      if (options.awareness) {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(e, options.awareness);
        this.ws.send(encoding.toUint8Array(e));
      }
    });
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
  }

  send(message: Uint8Array): void {
    this.ws.send(message);
  }

  private onMessage(data: Buffer): void {
    const onUpdate = this.onUpdate;
    if (onUpdate && isUpdateMessage(data)) return onUpdate(data);
    if (data[0] !== MESSAGE_SYNC) return;
    const d = decoding.createDecoder(data);
    decoding.readVarUint(d);
    const step = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (step === SYNC_STEP_1) this.ws.send(syncMessage(SYNC_STEP_2, Y.encodeStateAsUpdate(this.doc, payload)));
    else {
      if (!onUpdate) Y.applyUpdate(this.doc, payload, this);
      if (step === SYNC_STEP_2) this.synced = true;
    }
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/**
 * `count` raw peers, opened in batches of 50 (each batch synced before the next), as desktops arrive over
 * time: hundreds of upgrades in the same instant are a reconnect storm, which is not what this measures
 * (under one, Crewline answers upgrades whose headers waited in its queue over 5 s with 408).
 */
async function openPeers(count: number, make: (i: number) => RawPeer): Promise<RawPeer[]> {
  const peers: RawPeer[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, j) => make(start + j));
    peers.push(...batch);
    await Promise.all(batch.map((p) => p.opened));
    await waitFor(() => batch.every((p) => p.synced), 'a batch of connections synced');
  }
  return peers;
}

// --- the schedule the fan-out edits ---------------------------------------------------------------------

export interface SeedSchedule {
  roster: Y.Doc;
  /** The schedule's whole state, loaded into each sender's document. */
  scheduleState: Uint8Array;
  /** Bookings with a slot (moveBooking needs one). */
  movable: string[];
}

/** A schedule built by the demo generator (the same one the store bench uses), for the fan-out room. */
export function seedSchedule(providers: number, bookings: number): SeedSchedule {
  const ws = createWorkspace();
  createScaledSchedule(ws.run, { providers, bookings, startDate: '2026-11-23', days: 7, seed: 7, setNow: ws.setNow });
  return {
    roster: ws.roster,
    scheduleState: Y.encodeStateAsUpdate(ws.schedule),
    movable: listBookings(ws.schedule)
      .filter((b) => b.slot !== null)
      .map((b) => b.id),
  };
}

// --- fan-out ---------------------------------------------------------------------------------------------

/**
 * `providers`: every receiver is a stock WebsocketProvider and a sample is the moment its document has
 * applied the edit; 99 of them in one process apply one after another, so the last receiver also waits
 * for the other 98 applies (client-side queueing a real desktop, alone on its machine, never has).
 * `raw`: receivers are raw sockets and a sample is the moment the message reached this process's
 * JavaScript: the server's fan-out plus loopback plus reading 99 sockets in turn.
 */
export type FanOutMode = 'providers' | 'raw';

export interface FanOutSamples {
  /** Edit start (just before the command) → each receiver, ms; one sample per receiver per edit. */
  latencies: number[];
  /** Receivers that did not get an edit within the timeout. */
  missed: number;
  edits: number;
}

interface Receiver {
  at: number;
  close(): Promise<void> | void;
}

export class FanOutRig {
  /** Net shift per moved booking, ms. */
  private readonly shifted = new Map<string, number>();

  private constructor(
    private readonly sender: WebsocketProvider,
    private readonly ctx: CommandContext,
    private readonly receivers: Receiver[],
    private readonly seed: SeedSchedule,
    private readonly arm: (onArrival: (receiver: Receiver) => void) => void,
  ) {}

  /** Connects the sender (which brings the seed into the room, if new) and `clients - 1` receivers. */
  static async open(server: BenchServer, seed: SeedSchedule, options: { clients: number; mode: FanOutMode; idPrefix: number }): Promise<FanOutRig> {
    const room = roomOf(server, 'schedule');
    const senderDoc = new Y.Doc();
    Y.applyUpdate(senderDoc, seed.scheduleState);
    const sender = provider(server, room, senderDoc);
    await whenSynced(sender);
    const ctx: CommandContext = {
      roster: seed.roster,
      schedule: senderDoc,
      actor: ADMIN_ACTOR,
      now: () => fromMs(Date.now()),
      newId: sequentialIds(options.idPrefix),
    };
    let onArrival: (receiver: Receiver) => void = () => {};
    const receivers: Receiver[] = [];
    const count = options.clients - 1;
    if (options.mode === 'providers') {
      const docs: Y.Doc[] = [];
      for (let i = 0; i < count; i++) {
        const doc = new Y.Doc();
        const p = provider(server, room, doc);
        const receiver: Receiver = {
          at: 0,
          close: () => {
            p.destroy();
            p.awareness.destroy();
            doc.destroy();
          },
        };
        doc.on('update', () => onArrival(receiver));
        receivers.push(receiver);
        docs.push(doc);
      }
      await waitFor(() => docs.every((doc) => sameState(doc, senderDoc)), `${count} providers synced with the sender`);
    } else {
      const peers = await openPeers(count, () => new RawPeer(syncUrl(server, room)));
      for (const peer of peers) receivers.push({ at: 0, close: () => peer.close() });
      await waitFor(() => peers.every((p) => sameState(p.doc, senderDoc)), `${count} raw receivers synced with the sender`);
      peers.forEach((peer, i) => {
        const receiver = receivers[i]!;
        peer.onUpdate = () => onArrival(receiver);
      });
    }
    return new FanOutRig(sender, ctx, receivers, seed, (fn) => {
      onArrival = fn;
    });
  }

  /** `edits` moves, one at a time, each after every receiver had the previous one, with a short pause between. */
  async run(edits: number, seed: number, timeoutMs = 5000): Promise<FanOutSamples> {
    const random = lcg(seed);
    const latencies: number[] = [];
    let missed = 0;
    for (let e = 0; e < edits; e++) {
      const id = this.seed.movable[Math.floor(random() * this.seed.movable.length)]!;
      const slot = getBooking(this.ctx.schedule, id)?.slot;
      if (!slot) throw new Error(`booking ${id} has no slot`);
      // Back and forth by 15–60 minutes, so bookings stay on their day.
      const moved = this.shifted.get(id) ?? 0;
      const shift = (1 + Math.floor(random() * 4)) * 15 * 60_000 * (moved > 0 ? -1 : 1);
      this.shifted.set(id, moved + shift);
      const start = fromMs(toMs(slot.start) + shift);
      for (const r of this.receivers) r.at = 0;
      let arrived = 0;
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      this.arm((receiver) => {
        if (receiver.at !== 0) return;
        receiver.at = performance.now();
        if (++arrived === this.receivers.length) done();
      });
      const t0 = performance.now();
      const result = executeCommand(this.ctx, 'moveBooking', { id, start });
      if (!result.ok) throw new Error(`moveBooking failed: ${result.error.message}`);
      const timer = setTimeout(done, timeoutMs);
      await all;
      clearTimeout(timer);
      this.arm(() => {});
      for (const r of this.receivers) {
        if (r.at === 0) missed++;
        else latencies.push(r.at - t0);
      }
      // A pause between edits (idle periods, as between a dispatcher's drags), not a queue of them.
      await sleep(5 + Math.floor(random() * 10));
    }
    return { latencies, missed, edits };
  }

  async close(): Promise<void> {
    await Promise.all(this.receivers.map((r) => r.close()));
    this.sender.destroy();
    this.sender.awareness.destroy();
  }
}

function provider(server: BenchServer, room: string, doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider(server.wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: server.token },
    disableBc: true,
  });
}

function whenSynced(p: WebsocketProvider, timeoutMs = 30_000): Promise<void> {
  if (p.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      p.off('sync', onSync);
      resolve();
    };
    p.on('sync', onSync);
  });
}

// --- throughput ------------------------------------------------------------------------------------------

export interface ThroughputOptions {
  writers: number;
  readers: number;
  /** Updates a writer may have sent and not yet seen at every reader. */
  window: number;
  /**
   * Most updates a writer sends per second. Crewline closes a connection that sends more than 500
   * messages/s sustained (limits.ts), so writers stay under it and the load comes from their number.
   */
  maxPerWriter: number;
  /** Which of the organization's rooms the peers share (default the roster). */
  room?: 'roster' | 'schedule';
}

export interface ThroughputSamples {
  /** Updates every reader received within the window, per second. */
  perSecond: number;
  delivered: number;
  seconds: number;
  /** Send → the last reader has it, ms, for updates delivered in the window. */
  latencyP50: number;
  latencyP99: number;
  /** CPU the server and this (client) process used in the window, in cores (1 = one core busy). */
  serverCores: number;
  clientCores: number;
  /** What the writers could offer at most (writers × maxPerWriter). */
  offeredCap: number;
}

interface Writer {
  peer: RawPeer;
  map: Y.Map<unknown>;
  sent: number;
  delivered: number;
  sentAt: number[];
  nextAt: number;
  timer: NodeJS.Timeout | null;
}

export class ThroughputRig {
  private running = false;
  private deliveredTotal = 0;
  private latencies: number[] | null = null;

  private constructor(
    private readonly server: BenchServer,
    private readonly writers: Writer[],
    private readonly readers: RawPeer[],
    private readonly options: ThroughputOptions,
  ) {
    const byClient = new Map(writers.map((w, i) => [w.map.doc!.clientID, i]));
    // arrivals[w][n]: readers that have writer w's n-th update (each reader gets a writer's updates in order).
    const arrivals = writers.map(() => [] as number[]);
    for (const reader of readers) {
      const received = writers.map(() => 0);
      reader.onUpdate = (data) => {
        const w = byClient.get(clientOfUpdateMessage(data));
        if (w === undefined) return;
        const n = received[w]!++;
        const seen = (arrivals[w]![n] ?? 0) + 1;
        if (seen < readers.length) {
          arrivals[w]![n] = seen;
          return;
        }
        arrivals[w]![n] = 0;
        const writer = writers[w]!;
        writer.delivered++;
        this.deliveredTotal++;
        this.latencies?.push(performance.now() - writer.sentAt[n]!);
        this.pump(writer);
      };
    }
  }

  /** `servers`: one, or the nodes of one cluster (peers spread round-robin; CPU summed over them). */
  static async open(servers: BenchServer | readonly BenchServer[], options: ThroughputOptions): Promise<ThroughputRig> {
    const nodes = Array.isArray(servers) ? servers : [servers as BenchServer];
    const server = nodes.length === 1 ? nodes[0]! : clusterOf(nodes);
    const urls = nodes.map((node) => syncUrl(node, roomOf(node, options.room ?? 'roster')));
    const readers = await openPeers(options.readers, (i) => new RawPeer(urls[i % urls.length]!));
    const peers = await openPeers(options.writers, (i) => {
      const peer = new RawPeer(urls[i % urls.length]!);
      // Writers read nothing: what the server sends them is dropped unparsed.
      peer.onUpdate = () => {};
      return peer;
    });
    const writers = peers.map((peer): Writer => {
      const doc = new Y.Doc();
      doc.on('update', (update: Uint8Array) => peer.send(syncMessage(SYNC_UPDATE, update)));
      return { peer, map: doc.getMap('bench-throughput'), sent: 0, delivered: 0, sentAt: [], nextAt: 0, timer: null };
    });
    await sleep(100);
    return new ThroughputRig(server, writers, readers, options);
  }

  /** Runs the load for `warmupMs`, then counts for `measureMs`, then drains. */
  async run(warmupMs: number, measureMs: number): Promise<ThroughputSamples> {
    this.running = true;
    const now = performance.now();
    for (const w of this.writers) {
      w.nextAt = now;
      this.pump(w);
    }
    await sleep(warmupMs);
    const serverStart = await this.server.cpu();
    const clientStart = process.cpuUsage();
    const deliveredStart = this.deliveredTotal;
    const t0 = performance.now();
    this.latencies = [];
    await sleep(measureMs);
    const delivered = this.deliveredTotal - deliveredStart;
    const seconds = (performance.now() - t0) / 1000;
    const latencies = this.latencies;
    this.latencies = null;
    const serverEnd = await this.server.cpu();
    const client = process.cpuUsage(clientStart);
    this.running = false;
    for (const w of this.writers) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
    }
    await waitFor(() => this.writers.every((w) => w.delivered === w.sent), 'throughput drained', 30_000);
    return {
      perSecond: delivered / seconds,
      delivered,
      seconds,
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      serverCores: (serverEnd.cpuMs - serverStart.cpuMs) / (serverEnd.atMs - serverStart.atMs),
      clientCores: (client.user + client.system) / 1000 / (seconds * 1000),
      offeredCap: this.options.writers * this.options.maxPerWriter,
    };
  }

  private pump(w: Writer): void {
    if (!this.running || w.timer) return;
    const { window, maxPerWriter } = this.options;
    const interval = 1000 / maxPerWriter;
    while (w.sent - w.delivered < window) {
      const now = performance.now();
      if (now < w.nextAt) {
        w.timer = setTimeout(() => {
          w.timer = null;
          this.pump(w);
        }, w.nextAt - now);
        return;
      }
      // Never bank more than one interval of idle time: the rate stays under the cap.
      w.nextAt = Math.max(w.nextAt + interval, now);
      const n = w.sent++;
      w.sentAt[n] = now;
      // A small object like a booking's slot, overwriting one of 50 keys (the server's document stays small).
      const start = 1_795_000_000_000 + n * 60_000;
      w.map.set(`k${n % 50}`, { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), assignees: [`p${n % 7}`] });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.readers, ...this.writers.map((w) => w.peer)].map((p) => p.close()));
  }
}

/** Nodes measured as one server: their CPU summed (for the throughput of many nodes). */
function clusterOf(nodes: readonly BenchServer[]): BenchServer {
  return {
    ...nodes[0]!,
    async cpu() {
      const all = await Promise.all(nodes.map((node) => node.cpu()));
      return { ...all[0]!, cpuMs: all.reduce((n, c) => n + c.cpuMs, 0), loopActiveMs: all.reduce((n, c) => n + c.loopActiveMs, 0) };
    },
  };
}

// --- memory ----------------------------------------------------------------------------------------------

export interface MemorySamples {
  connections: number;
  rssPerConnection: number;
  /** JS heap + external (buffers) per connection, after a full GC. */
  heapPerConnection: number;
}

/**
 * K idle connections in one room (kept loaded by an anchor connection, so the room's own cost is not
 * counted): server memory after a full GC before and after they connected, divided by K.
 */
export async function measureMemory(server: BenchServer, connections: number, settleMs = 500): Promise<MemorySamples> {
  const url = syncUrl(server, roomOf(server, 'roster'));
  const anchor = new RawPeer(url);
  await anchor.opened;
  await waitFor(() => anchor.synced, 'anchor synced');
  await sleep(settleMs);
  const before = await server.memory();
  const peers = await openPeers(connections, (i) => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState({ user: { id: `bench-user-${i}`, name: `Dispatcher ${i}`, role: 'dispatcher' }, openJobId: null, color: '#2563eb' });
    const state = encodeAwarenessUpdate(awareness, [doc.clientID]);
    awareness.destroy();
    doc.destroy();
    const peer = new RawPeer(url, { awareness: state });
    // Idle: everything the server sends them afterwards (the others' awareness) is dropped unparsed.
    peer.onUpdate = () => {};
    return peer;
  });
  await sleep(settleMs);
  const after = await server.memory();
  await Promise.all([...peers, anchor].map((p) => p.close()));
  await sleep(settleMs);
  return {
    connections,
    rssPerConnection: (after.rss - before.rss) / connections,
    heapPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / connections,
  };
}
