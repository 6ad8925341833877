/**
 * The loaded rooms. A room's document is loaded from the store on its first connection (or when the
 * server itself needs it), stays while anyone is connected, and is compacted and unloaded after
 * `roomIdleMs` without connections. At most `maxRooms` are in memory: a room with no connections is
 * evicted early to make space, and when every loaded room is in use a new one is refused (503 at the
 * upgrade, before any document is read).
 */
import { errorFields, silentLog, type Log } from '../log';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { parseRoomName } from '../../../core/sync/rooms';
import type { Principal } from '../auth/principal';
import { Connection, CLOSE_GOING_AWAY, CLOSE_INTERNAL, CLOSE_TRY_AGAIN, type ConnectionDeps } from './connection';
import { BytesInFlight, gateIncomingFrames } from './in-flight';
import type { SyncLimits } from './limits';
import type { SyncMetrics } from './metrics';
import { Room, type RoomHost } from './room';
import { systemClock, type Clock } from '../../../core/clock';
import { DOC_SCHEMA_VERSION } from '../../../core/doc/schema-version';
import type { Fanout } from './fanout';
import type { RoomLogStore } from './room-log';
import { compactionDue } from '../../../core/sync/compaction-rule';

export type Admission = { ok: true } | { ok: false; reason: string };

export class RoomRegistry implements RoomHost {
  private readonly rooms = new Map<string, Room>();
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closing = false;
  /** Rooms loaded per name, for tests that assert a refused upgrade loaded nothing. */
  readonly loadCounts = new Map<string, number>();
  private readonly publishListeners = new Set<(room: Room) => void>();
  /** Incoming frame bytes held in memory across all connections (`limits.maxBytesInFlight`). */
  readonly inFlight: BytesInFlight;

  /** The server's clock (`--now`), set by the server; stamps far ahead of it are clamped. */
  clock: Clock = systemClock;
  /** The document format this server knows, set by the server (`SyncServerOptions.knownDocFormat`). */
  knownDocFormat: number = DOC_SCHEMA_VERSION;
  /** Other nodes (`--redis-url`); set once the server has connected to Redis. */
  fanout: Fanout | null = null;
  /** Remote updates for rooms still being read ahead, applied when they load. */
  private readonly early = new Map<string, Uint8Array[]>();

  constructor(
    readonly store: RoomLogStore,
    readonly metrics: SyncMetrics,
    readonly limits: SyncLimits,
    readonly log: Log = silentLog,
  ) {
    this.inFlight = new BytesInFlight(limits.maxBytesInFlight);
    this.timers.push(setInterval(() => this.pingRound(), limits.pingIntervalMs));
    this.timers.push(setInterval(() => this.compactQuietRooms(), Math.max(250, Math.floor(limits.compactIdleMs / 4))));
    for (const timer of this.timers) timer.unref();
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  loadedNames(): string[] {
    return [...this.rooms.keys()];
  }

  /** Whether a connection to `name` can be taken now; checked at the upgrade, loads nothing. */
  admit(name: string): Admission {
    if (this.closing) return { ok: false, reason: 'Server is shutting down' };
    if (this.connections.size >= this.limits.maxConnections) return { ok: false, reason: 'Connection limit reached' };
    const room = this.rooms.get(name);
    if (room) {
      return room.connectionCount < this.limits.maxConnectionsPerRoom
        ? { ok: true }
        : { ok: false, reason: 'Room connection limit reached' };
    }
    if (this.rooms.size < this.limits.maxRooms || this.evictIdleRoom()) return { ok: true };
    return { ok: false, reason: 'Room limit reached' };
  }

  /**
   * Reads ahead what loading the named rooms needs (a PostgreSQL store reads here; SQLite has nothing to
   * do). Call before `acquire`, `connect` or `withRooms` on a path that may wait.
   */
  async prepare(names: readonly string[]): Promise<void> {
    const cold = names.filter((name) => !this.rooms.has(name));
    if (cold.length === 0) return;
    for (const name of cold) this.loading.add(name);
    try {
      // Subscribed before reading: what another node publishes meanwhile is in the read or kept in `early`.
      const fanout = this.fanout;
      if (fanout) await Promise.all(cold.map((name) => fanout.join(name)));
      await Promise.all(cold.map((name) => this.store.prefetch(name)));
    } finally {
      for (const name of cold) {
        this.loading.delete(name);
        // Kept only until the room loads, which the caller does next.
        setImmediate(() => {
          if (this.loading.has(name)) return;
          this.early.delete(name);
          if (!this.rooms.has(name)) this.fanout?.leave(name);
        });
      }
    }
  }

  /** Rooms being read ahead: remote updates for them are kept until they load (see `sync/fanout.ts`). */
  private readonly loading = new Set<string>();

  /** Another node published an update: loaded rooms apply it, rooms being read ahead keep it for later. */
  remoteUpdate(name: string, update: Uint8Array): void {
    const room = this.rooms.get(name);
    if (room) room.applyRemoteUpdate(update);
    else if (this.loading.has(name)) {
      const list = this.early.get(name) ?? [];
      list.push(update);
      this.early.set(name, list);
    }
  }

  remoteAwareness(name: string, update: Uint8Array): void {
    this.rooms.get(name)?.applyRemoteAwareness(update);
  }

  /** The room, loaded if needed. Throws if the store cannot read it or the room limit is reached. */
  acquire(name: string): Room {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const id = parseRoomName(name);
    if (!id) throw new Error(`Not a room name: ${name}`);
    if (this.rooms.size >= this.limits.maxRooms && !this.evictIdleRoom()) throw new Error('Room limit reached');
    const room = new Room(name, id, this);
    this.rooms.set(name, room);
    // Already joined after `prepare`; a room loaded without it (SQLite) has no other node to hear.
    void this.fanout?.join(name);
    const early = this.early.get(name);
    if (early) {
      this.early.delete(name);
      for (const update of early) room.applyRemoteUpdate(update);
    }
    this.loadCounts.set(name, (this.loadCounts.get(name) ?? 0) + 1);
    this.metrics.roomsLoadedTotal++;
    return room;
  }

  /** Opens a connection on an upgraded socket. */
  connect(ws: WebSocket, socket: Duplex, principal: Principal, name: string, token: string): Connection | null {
    let room: Room;
    try {
      room = this.acquire(name);
    } catch (error) {
      this.log.error({ event: 'room_load_failed', room: name, ...errorFields(error) }, 'could not load room');
      ws.close(CLOSE_INTERNAL, 'Room could not be loaded');
      return null;
    }
    const deps: ConnectionDeps = {
      limits: this.limits,
      metrics: this.metrics,
      store: this.store,
      onClosed: (conn) => {
        if (this.connections.delete(conn)) this.metrics.connectionsClosed++;
      },
    };
    const conn = new Connection(ws, socket, principal, token, room, deps);
    gateIncomingFrames(socket, ws, {
      budget: this.inFlight,
      maxPayloadBytes: this.limits.maxPayloadBytes,
      isClosed: () => conn.isClosed,
      refuse: () => {
        this.metrics.updateRejected('server_busy');
        conn.close(CLOSE_TRY_AGAIN, 'Server busy receiving other data; try again later');
      },
    });
    this.connections.add(conn);
    this.metrics.connectionsOpened++;
    return conn;
  }

  /**
   * A user's access changed: each of their connections is checked against its token again. A token that
   * no longer authenticates closes with `revokedCode`; one whose role or organization changed closes with
   * `changedCode`, so the client reconnects and the upgrade decides afresh.
   */
  recheckUser(
    userId: string,
    authenticate: (token: string) => Principal | null | Promise<Principal | null>,
    revokedCode: number,
    changedCode: number,
  ): Promise<void> {
    const conns = [...this.connections].filter((conn) => conn.principal.userId === userId);
    return recheck(conns, authenticate, revokedCode, changedCode);
  }

  /**
   * Every connection checked against its token again (each token looked up once): another process changed
   * accounts and did not say whose.
   */
  recheckAll(
    authenticate: (token: string) => Principal | null | Promise<Principal | null>,
    revokedCode: number,
    changedCode: number,
  ): Promise<void> {
    return recheck([...this.connections], authenticate, revokedCode, changedCode);
  }

  /** Runs `fn` with the named rooms loaded (the server's own writes); they unload later when idle. */
  withRooms<T>(names: readonly string[], fn: (rooms: Room[]) => T): T {
    const rooms = names.map((name) => this.acquire(name));
    try {
      return fn(rooms);
    } finally {
      for (const room of rooms) if (room.connectionCount === 0) this.roomIdle(room);
    }
  }

  /**
   * Tells `listener` about every change any room publishes, client update or server command, on the
   * publishing path: it must be cheap (note the room, act later). Returns the unsubscribe function.
   */
  onPublish(listener: (room: Room) => void): () => void {
    this.publishListeners.add(listener);
    return () => this.publishListeners.delete(listener);
  }

  published(room: Room): void {
    for (const listener of this.publishListeners) {
      try {
        listener(room);
      } catch (error) {
        this.log.error({ event: 'publish_listener_failed', room: room.name, ...errorFields(error) }, 'a publish listener failed');
      }
    }
  }

  roomIdle(room: Room): void {
    if (room.idleTimer || this.closing || room.isDestroyed) return;
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (room.connectionCount === 0) this.unload(room);
    }, this.limits.roomIdleMs);
    room.idleTimer.unref();
  }

  compactionDue(room: Room): boolean {
    const { store, limits } = this;
    return compactionDue(
      { rows: store.logLength(room.name), bytes: store.logBytes(room.name), snapshotBytes: store.snapshotBytes(room.name) },
      { logRatio: limits.compactLogRatio, minLogBytes: limits.compactMinLogBytes, maxLogRows: limits.compactAfterUpdates },
    );
  }

  /**
   * Folds the room's stored log into its snapshot on a worker thread (`RoomLogStore.compactStored`): the
   * room keeps relaying meanwhile, and what it logs meanwhile stays in the log for the next fold.
   */
  compactSoon(room: Room): void {
    room.compactScheduled = true;
    this.store.compactStored(room.name).then(
      (folded) => {
        room.compactScheduled = false;
        // Rows logged while it ran may already be due again (a burst): fold them too, not at the next update.
        if (folded && !room.isDestroyed && !this.closing && this.compactionDue(room)) this.compactSoon(room);
      },
      (error: unknown) => {
        room.compactScheduled = false;
        if (!this.closing) this.log.error({ event: 'compaction_failed', room: room.name, ...errorFields(error) }, 'compaction failed (log kept)');
      },
    );
  }


  private compact(room: Room): void {
    if (this.store.logLength(room.name) === 0) return;
    const failed = (error: unknown) => this.log.error({ event: 'compaction_failed', room: room.name, ...errorFields(error) }, 'compaction failed (log kept)');
    try {
      const done = this.store.compact(room.name, room.encodeState());
      if (done instanceof Promise) done.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private compactQuietRooms(): void {
    const quietSince = Date.now() - this.limits.compactIdleMs;
    for (const room of this.rooms.values()) {
      if (room.lastUpdateAt > 0 && room.lastUpdateAt <= quietSince && !room.compactScheduled) {
        // Off the thread too: other rooms may be busy while this one is quiet.
        if (this.store.logLength(room.name) > 0) this.compactSoon(room);
      }
    }
  }

  discard(room: Room, why: unknown): void {
    this.log.error({ event: 'room_dropped', room: room.name, ...errorFields(why) }, 'room dropped after a refused update (its clients reconnect)');
    for (const conn of [...room.conns.keys()]) conn.close(CLOSE_TRY_AGAIN, 'Room is reloading; reconnect');
    room.destroy();
    this.rooms.delete(room.name);
    this.left(room.name);
    this.metrics.roomsUnloadedTotal++;
  }

  /** The room is no longer in memory: this node stops hearing its channel (unless it is loading again). */
  private left(name: string): void {
    if (!this.rooms.has(name) && !this.loading.has(name)) this.fanout?.leave(name);
  }

  private unload(room: Room): void {
    if (room.isDestroyed) return;
    this.compact(room);
    room.destroy();
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    this.left(room.name);
    this.metrics.roomsUnloadedTotal++;
  }

  private evictIdleRoom(): boolean {
    for (const room of this.rooms.values()) {
      if (room.connectionCount === 0) {
        this.unload(room);
        return true;
      }
    }
    return false;
  }

  private pingRound(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.terminate();
      }
    }
  }

  /**
   * Shutdown: close every socket (1001), commit and compact every room, free the documents. Resolves
   * when the sockets have closed (or were terminated after `graceMs`).
   */
  async close(graceMs = 2000): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    const sockets = [...this.connections].map((conn) => conn.ws);
    for (const conn of this.connections) conn.close(CLOSE_GOING_AWAY, 'Server shutting down');
    for (const room of [...this.rooms.values()]) this.unload(room);
    await Promise.all(sockets.map((ws) => closed(ws, graceMs)));
  }
}

async function recheck(
  conns: readonly Connection[],
  authenticate: (token: string) => Principal | null | Promise<Principal | null>,
  revokedCode: number,
  changedCode: number,
): Promise<void> {
  const current = new Map<string, Principal | null>();
  for (const conn of conns) {
    let now = current.get(conn.token);
    if (now === undefined) {
      try {
        now = await authenticate(conn.token);
      } catch {
        // The accounts database did not answer: keep the connection; the next revocation notice checks again.
        continue;
      }
      current.set(conn.token, now);
    }
    if (!now) conn.close(revokedCode, 'Token revoked');
    else if (now.role !== conn.principal.role || now.orgId !== conn.principal.orgId) conn.close(changedCode, 'Access changed');
  }
}

function closed(ws: WebSocket, graceMs: number): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, graceMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
