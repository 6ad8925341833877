/**
 * The sync server's composition (docs/design.md §7): one HTTP server carrying
 * - `GET /healthz` — `{ok, database, redis, uptimeS}`: 200 when the database (and Redis) answer, else 503;
 * - `GET /metrics` — Prometheus text, for callers on the loopback interface or with an admin's token;
 * - the accounts API (`/api/auth/...`, `/api/...` user administration) from `createAccountRoutes`;
 * - WebSocket upgrades at `/sync/<room>?token=...` (y-websocket protocol), authorized before the socket
 *   opens (`sync/upgrade.ts`), served by the room registry;
 * - the technician field API (`/api/field/...`), the technician page (`/tech/`) and the calendar feeds
 *   (`/api/calendar/<token>.ics`, `/api/admin/providers/<id>/calendar-feed`);
 * - 404 for everything else.
 * - the notification log (`/api/admin/notifications...`, `/api/admin/daily-schedule/resend`).
 * Plus the archiver, the daily series extension (`sync/series-horizon.ts`), the notification worker
 * (`notifications/`), and a graceful `close()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AccountStore, type AccountStoreOptions } from './accounts/account-store';
import type { Authenticator } from './auth/principal';
import { createCalendarRoutes } from './calendar/calendar-routes';
import { CalendarFeedStore } from './calendar/feed-store';
import { createFieldRoutes } from './field/field-routes';
import { createAccountRoutes } from './http/account-routes';
import { bearerToken, requestPath, sendJson, sendUnexpected, unexpectedErrorOf } from './http/http-util';
import { errorFields, safePath, silentLog, type Log } from './log';
import { startNotifications, type NotificationOptions, type Notifications } from './notifications/notifications';
import { pgNotifications } from './storage/pg/pg-notification-store';
import { Archiver, organizationsWithSchedules, type ArchiveRun } from './sync/archiver';
import { withAdvisoryLock } from './storage/pg/advisory-lock';
import { roomName } from '../../core/sync/rooms';
import { SeriesHorizon, type HorizonRun } from './sync/series-horizon';
import { CLOSE_POLICY } from './sync/connection';
import { DEFAULT_LIMITS, type SyncLimits } from './sync/limits';
import { SyncMetrics } from './sync/metrics';
import { RoomRegistry } from './sync/room-registry';
import { RedisFanout } from './sync/fanout';
import type { RoomLogStore } from './sync/room-log';
import { ROOMS_FILE, RoomStore, type Synchronous } from './sync/room-store';
import { PgRoomStore } from './storage/pg/pg-room-store';
import { authorizeUpgrade, refuseUpgrade } from './sync/upgrade';
import { createTechPageRoutes } from './tech-page/tech-page-routes';
import { createUpdateRoutes } from './updates/update-files';
import { systemClock, type Clock } from '../../core/clock';
import { watchUnreadableRecords } from '../../core/doc/unreadable';

/** A token that stopped being valid while its connection was open: y-websocket does not reconnect on 44xx. */
export const CLOSE_TOKEN_REVOKED = 4401;
/** How often accounts.sqlite is polled for other processes' commits: a revocation closes sockets within this. */
export const ACCOUNT_WATCH_MS = 200;

export interface SyncServerOptions {
  dataDir: string;
  /** Default 4455; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Accounts: an open store (the server mounts its routes, authenticates with it, and closes it on
   * close; if the server fails to start, the store stays the caller's), or none to open
   * `<dataDir>/accounts.sqlite` (on `databaseUrl` when given) with `accountOptions`.
   */
  accounts?: AccountStore;
  accountOptions?: AccountStoreOptions;
  /** Instead of accounts (tests): who a token is. No account routes are served then. */
  authenticator?: Authenticator;
  limits?: Partial<SyncLimits>;
  sqliteSynchronous?: Synchronous;
  /** How often the archiver runs; 0 turns the timer off (`archiver.runOnce()` still works). Default 1 h. */
  archiveEveryMs?: number;
  /**
   * How often to check whether an organization's day has begun, so its series' visits are extended through
   * its horizon (once a day each); 0 turns the timer off (`seriesHorizon.runDue()` still works). Default 15 min.
   */
  seriesHorizonCheckEveryMs?: number;
  /** The notification worker's channels and timing (sync-server/README.md); false: no worker. */
  notifications?: NotificationOptions | false;
  /**
   * `postgres://…`: room update logs and snapshots in this shared PostgreSQL instead of rooms.sqlite
   * (issue 23), with accounts, calendar feed tokens, the notification outbox and daily runs: nodes share
   * no data dir. Every node runs the notification worker, leasing outbox rows.
   */
  databaseUrl?: string;
  /** `redis://…`: updates, awareness and revocations cross to every other node through Redis pub/sub. */
  redisUrl?: string;
  /** What time it is for every part of the server (field API, feeds, worker, archiver, accounts opened
   * here); default the system's. An `accounts` store passed in brings its own. */
  clock?: Clock;
  /** The document format this server knows (`core/doc/schema-version.ts`): tests play a newer server. */
  knownDocFormat?: number;
  /**
   * The structured log (issue 22): each HTTP request, upgrade refusal, sign-in failure, notification
   * attempt and outcome, archiver and series pass, and every problem. Default silent (tests, library use);
   * `npm run server` logs at `--log-level` / CREWLINE_LOG_LEVEL.
   */
  log?: Log;
  /** Serve this folder's files at `/updates/<file>` for the desktop's auto-update (updates/update-files.ts). */
  updatesDir?: string;
}

export interface SyncServer {
  /** `http://host:port`; sync clients use `ws://host:port/sync`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly rooms: RoomRegistry;
  readonly store: RoomLogStore;
  readonly archiver: Archiver;
  readonly seriesHorizon: SeriesHorizon;
  /** Null when the server runs on an injected authenticator. */
  readonly accounts: AccountStore | null;
  /** The notification worker and its outbox; null when turned off. */
  readonly notifications: Notifications | null;
  /** Calendar feed tokens (`calendar-feeds.sqlite`, or PostgreSQL with `databaseUrl`). */
  readonly feeds: CalendarFeedStore;
  metrics(): ReturnType<SyncMetrics['snapshot']>;
  /**
   * The archiver's and the series horizon's passes, run now. On PostgreSQL each runs under an advisory lock
   * (null: another node holds it, this round is skipped), on every stored organization, read ahead first.
   */
  readonly jobs: { archive(): Promise<ArchiveRun[] | null>; extendSeries(): Promise<HorizonRun[] | null> };
  /** A user's access changed outside the account store (or was told by it): their tokens are checked again on every node. */
  accessRevoked(userId: string): void;
  /** Whether the database and Redis answer (what /healthz says). */
  health(): Promise<Health>;
  /** Stops accepting, closes sockets (1001), commits and compacts every room, closes the files. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * `/metrics` is for the machine's own monitoring (a Prometheus agent on the host) and for admins: callers
 * on the loopback interface, or anyone presenting an admin's bearer token. The counters are server-wide
 * and name no organization. A reverse proxy on the same host makes every caller look local: do not
 * proxy `/metrics`.
 */
export async function mayReadMetrics(remoteAddress: string | undefined, token: string | null, auth: Authenticator): Promise<boolean> {
  if (LOOPBACK.has(remoteAddress ?? '')) return true;
  return token !== null && (await auth.authenticate(token))?.role === 'admin';
}

export interface Health {
  ok: boolean;
  database: { engine: 'sqlite' | 'postgres'; ok: boolean; error?: string };
  redis: { ok: boolean; error?: string } | null;
}

const HEALTH_TIMEOUT_MS = 2000;

async function probe(check: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 2 s')), HEALTH_TIMEOUT_MS))),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the database and (with `--redis-url`) Redis answer now. */
export async function checkHealth(store: RoomLogStore, fanout: RedisFanout | null): Promise<Health> {
  const [database, redis] = await Promise.all([probe(() => store.ping()), fanout ? probe(() => fanout.ping()) : null]);
  const engine = store instanceof PgRoomStore ? 'postgres' : 'sqlite';
  return { ok: database.ok && (redis?.ok ?? true), database: { engine, ...database }, redis };
}

export async function createSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  const limits: SyncLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const accounts = options.authenticator
    ? null
    : (options.accounts ??
      (await AccountStore.openFor(options.dataDir, options.databaseUrl, { now: clock, ...options.accountOptions })));
  const authenticator: Authenticator = options.authenticator ?? accounts!;
  const accountRoutes = accounts ? createAccountRoutes(accounts, log) : null;

  const shared = options.databaseUrl !== undefined;
  const commitFailed = (error: unknown) => log.error({ event: 'room_commit_failed', ...errorFields(error) }, 'room commit failed, will retry');
  const store: RoomLogStore = shared
    ? await PgRoomStore.open(options.databaseUrl!, { onError: commitFailed })
    : new RoomStore(join(options.dataDir, ROOMS_FILE), { synchronous: options.sqliteSynchronous, onError: commitFailed });
  const metrics: SyncMetrics = new SyncMetrics(() => ({
    connections: registry.connectionCount,
    roomsLoaded: registry.loadedCount,
    bytesInFlight: registry.inFlight.current,
    persistCommits: store.commits,
    persistFailures: store.commitFailures,
  }));
  const registry: RoomRegistry = new RoomRegistry(store, metrics, limits, log);
  registry.clock = clock;
  if (options.knownDocFormat !== undefined) registry.knownDocFormat = options.knownDocFormat;
  let fanout: RedisFanout | null = null;
  if (options.redisUrl) {
    try {
      fanout = await RedisFanout.open(options.redisUrl, {
        update: (room, update) => registry.remoteUpdate(room, update),
        awareness: (room, update) => registry.remoteAwareness(room, update),
        revoked: (userId) =>
          void registry.recheckUser(userId, (token) => authenticator.authenticate(token), CLOSE_TOKEN_REVOKED, CLOSE_POLICY),
      }, log);
    } catch (error) {
      await registry.close();
      await store.close();
      throw error;
    }
    registry.fanout = fanout;
  }
  const archiver = new Archiver(registry, clock);
  const seriesHorizon = new SeriesHorizon(registry, clock);
  // Readers pass over records they cannot read (stored before updates were checked): say so, once each.
  const stopLoggingUnreadable = watchUnreadableRecords(({ kind, id, problem }) =>
    log.warn({ event: 'unreadable_record', kind, id, problem }, 'passed over a record that does not read as one'),
  );
  const feeds = shared ? await CalendarFeedStore.openPostgres(options.databaseUrl!, clock) : CalendarFeedStore.open(options.dataDir, clock);
  const now = clock;
  const techPageRoutes = createTechPageRoutes();
  // Notices come from the notification worker's log, which starts below (and is off on a shared database).
  const fieldRoutes = createFieldRoutes({ registry, auth: authenticator, now, told: (...args) => notifications?.store.toldProvider(...args) ?? [] });
  const calendarRoutes = createCalendarRoutes({ registry, auth: authenticator, feeds, now });
  // On the shared database, one node at a time runs each pass (issue 23, 3).
  const oneNode = async <T>(job: string, run: () => T): Promise<T | null> => {
    if (!(store instanceof PgRoomStore)) return run();
    return withAdvisoryLock(store.pool, job, async () => {
      await store.storedRooms();
      const orgs = organizationsWithSchedules(registry);
      await registry.prepare(orgs.flatMap((orgId) => [roomName(orgId, 'roster'), roomName(orgId, 'schedule')]));
      const result = run();
      // What this pass wrote is in the database before the next node may take the lock.
      await store.flush();
      return result;
    });
  };
  // Each pass says what it did, in one line (another node holding the lock: a debug line).
  const logged =
    <R extends { orgId: string; error?: string }>(job: string, count: (run: R) => number, run: () => Promise<R[] | null>) =>
    async (): Promise<R[] | null> => {
      const runs = await run();
      if (runs === null) log.debug({ event: `${job}_run`, skipped: 'another node holds the lock' }, `${job} pass skipped`);
      else {
        const failed = runs.filter((r) => r.error).map((r) => ({ orgId: r.orgId, error: r.error }));
        const done = runs.reduce((sum, r) => sum + count(r), 0);
        log[failed.length ? 'warn' : 'info']({ event: `${job}_run`, organizations: runs.length, changed: done, failed }, `${job} pass`);
      }
      return runs;
    };
  const jobs = {
    archive: logged('archiver', (r: ArchiveRun) => r.archived.length, () => oneNode('archiver', () => archiver.runOnce())),
    extendSeries: logged('series_horizon', (r: HorizonRun) => r.created.length + r.updated.length + r.removed.length, () =>
      oneNode('series-horizon', () => seriesHorizon.runDue()),
    ),
  };
  const sharedTimers: NodeJS.Timeout[] = [];
  const every = (ms: number, job: () => Promise<unknown>) => {
    const timer = setInterval(() => job().catch((error: unknown) => log.error({ event: 'background_pass_failed', ...errorFields(error) }, 'a background pass failed')), ms);
    timer.unref();
    sharedTimers.push(timer);
  };
  const archiveEveryMs = options.archiveEveryMs ?? 60 * 60 * 1000;
  const seriesHorizonCheckEveryMs = options.seriesHorizonCheckEveryMs ?? 15 * 60 * 1000;
  if (archiveEveryMs > 0) every(archiveEveryMs, jobs.archive);
  if (seriesHorizonCheckEveryMs > 0) every(seriesHorizonCheckEveryMs, jobs.extendSeries);
  // On PostgreSQL every node runs the worker: leases and database keys send each message once (issue 23, 3).
  const notifications =
    options.notifications === false
      ? null
      : await startNotifications(registry, options.dataDir, { now, log, ...options.notifications }, options.sqliteSynchronous,
          store instanceof PgRoomStore ? pgNotifications(store, registry) : undefined);
  const notificationRoutes = notifications?.routes(authenticator) ?? null;

  // Connections whose token stops being valid (logout, revoke, disable, role change) are closed.
  const accessRevoked = (userId: string) => {
    void registry.recheckUser(userId, (token) => authenticator.authenticate(token), CLOSE_TOKEN_REVOKED, CLOSE_POLICY);
    fanout?.publishRevocation(userId);
  };
  const stopWatchingRevocations = accounts?.onAccessRevoked(({ userId }) => accessRevoked(userId));
  // The same for changes other processes commit (the admin CLI): they cannot call our listeners.
  const stopWatchingOtherWriters =
    accounts &&
    accounts.watchOtherWriters(ACCOUNT_WATCH_MS, log, (userId) => {
      const lookup = (token: string) => accounts.lookup(token);
      void (userId === undefined
        ? registry.recheckAll(lookup, CLOSE_TOKEN_REVOKED, CLOSE_POLICY)
        : registry.recheckUser(userId, lookup, CLOSE_TOKEN_REVOKED, CLOSE_POLICY));
    });

  const updateRoutes = options.updatesDir === undefined ? null : createUpdateRoutes(options.updatesDir, log);
  const canSeeMetrics = (req: IncomingMessage) =>
    mayReadMetrics(req.socket.remoteAddress, bearerToken(req), authenticator);

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = requestPath(req);
    if (path === '/healthz' || path === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'Use GET' } }, { Allow: 'GET, HEAD' });
        return;
      }
      if (path === '/healthz') {
        const health = await checkHealth(store, fanout);
        sendJson(res, health.ok ? 200 : 503, { ...health, uptimeS: metrics.snapshot().uptimeS });
        return;
      }
      if (!(await canSeeMetrics(req))) {
        sendJson(res, 403, { error: { code: 'forbidden', message: 'Metrics are for loopback callers or admins' } });
        return;
      }
      const text = metrics.prometheus();
      res.writeHead(200, {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
      });
      res.end(text);
      return;
    }
    if (updateRoutes && (await updateRoutes(req, res))) return;
    if (await techPageRoutes(req, res)) return;
    if (await fieldRoutes(req, res)) return;
    if (await calendarRoutes(req, res)) return;
    if (notificationRoutes && (await notificationRoutes(req, res))) return;
    if (accountRoutes && (await accountRoutes(req, res))) return;
    sendJson(res, 404, { error: { code: 'not_found', message: 'Not found' } });
  };

  const server = createServer(
    {
      // Pre-auth deadline: a request (an upgrade included) whose headers do not all arrive in time is dropped.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      const started = performance.now();
      res.once('finish', () => {
        const error = unexpectedErrorOf(res);
        const fields = { event: 'http', method: req.method, path: safePath(req.url), status: res.statusCode, ms: Math.round(performance.now() - started), ...(error ? errorFields(error) : {}) };
        if (res.statusCode >= 500) log.error(fields, 'request failed');
        else log.info(fields, 'request');
      });
      onRequest(req, res).catch((error: unknown) => sendUnexpected(res, error));
    },
  );
  // Unparseable requests and the pre-auth deadline: a short answer when the socket still takes one, then gone.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && !socket.writableEnded) {
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  wss.on('error', (error) => log.error({ event: 'websocket_server_error', ...errorFields(error) }, 'websocket server error'));
  let closing = false;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client reset during the handshake must not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    void upgrade(req, socket, head);
  });
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    try {
      const refuse = (status: number, reason: string) => {
        metrics.upgradeRefused(status);
        log.warn({ event: 'upgrade_refused', status, reason, path: safePath(req.url), ip: req.socket.remoteAddress }, 'sync connection refused');
        refuseUpgrade(socket, status, reason);
      };
      if (closing) return refuse(503, 'Server is shutting down');
      const decision = await authorizeUpgrade(req.url ?? '', authenticator);
      if (!decision.ok) return refuse(decision.status, decision.reason);
      if (closing) return refuse(503, 'Server is shutting down');
      const admission = registry.admit(decision.name);
      if (!admission.ok) return refuse(503, admission.reason);
      const open = () =>
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          ws.on('error', () => ws.terminate());
          if (closing) return ws.close(1001, 'Server shutting down');
          registry.connect(ws, socket, decision.principal, decision.name, decision.token);
        });
      // SQLite reads the room when it loads; PostgreSQL is read ahead, before the socket opens.
      if (!shared) return open();
      registry.prepare([decision.name]).then(
        () => (closing ? refuse(503, 'Server is shutting down') : open()),
        (error: unknown) => {
          log.error({ event: 'room_load_failed', room: decision.name, ...errorFields(error) }, 'could not read room');
          refuse(503, 'Room could not be loaded');
        },
      );
    } catch (error) {
      log.warn({ event: 'upgrade_refused', status: 400, reason: 'Bad upgrade request', ...errorFields(error) }, 'sync connection refused');
      refuseUpgrade(socket, 400, 'Bad upgrade request');
    }
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4455, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Port taken, address not available: leave nothing open behind the error.
    for (const timer of sharedTimers) clearInterval(timer);
    archiver.stop();
    seriesHorizon.stop();
    stopLoggingUnreadable();
    stopWatchingRevocations?.();
    stopWatchingOtherWriters?.();
    await notifications?.close();
    await registry.close();
    await store.close();
    await fanout?.close();
    feeds.close();
    if (!options.accounts) accounts?.close();
    throw error;
  }
  server.on('error', (error) => log.error({ event: 'http_server_error', ...errorFields(error) }, 'http server error'));
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      for (const timer of sharedTimers) clearInterval(timer);
      archiver.stop();
      seriesHorizon.stop();
      stopLoggingUnreadable();
      await notifications?.close();
      stopWatchingRevocations?.();
      stopWatchingOtherWriters?.();
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await registry.close();
      await store.close();
      await fanout?.close();
      server.closeAllConnections();
      await httpClosed;
      await feeds.close();
      await accounts?.close();
    })();
    return closed;
  };

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host,
    rooms: registry,
    store,
    archiver,
    seriesHorizon,
    accounts,
    notifications,
    feeds,
    metrics: () => metrics.snapshot(),
    jobs,
    accessRevoked,
    health: () => checkHealth(store, fanout),
    close,
  };
}
