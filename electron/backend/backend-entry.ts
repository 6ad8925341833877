/**
 * The backend's one entry (issue 22): opens the workspace with its sync client, backups and series horizon,
 * and serves the whole API contract over any MessagePort-like channel. The same code runs in a Node
 * `worker_threads` Worker (the web host, the tests: ./backend-entry-worker.ts) and in Electron's
 * `utilityProcess` (./backend-entry-utility.ts), so the UI process never decodes a document.
 *
 * Messages (structured clone, no JSON): client `{id, name, input}` -> backend `{id, result}`; backend
 * `{event, payload}` for every backend event. Every request is validated against the contract here, as
 * the WebSocket and IPC transports do; nothing a client sends can throw out of here.
 */
import { fail, validateRequest } from '../../core/index';
import type { Clock } from '../../core/clock';
import { BackendApi, type BackendInfo } from './api/backend-api';
import { SeriesHorizonKeeper } from './api/series-horizon';
import { SyncClient } from './sync/sync-client';
import { FileTokenVault, type TokenVault } from './sync/token-vault';
import { WorkspaceBackups } from './store/workspace-backup';
import { openWorkspace } from './workspace';
import type { LocalStore } from './store/local-store';
import type { BackendMessage, PortLike, RequestMessage } from './backend-entry-port';
import { silentLogger, type Logger } from './log';
import { withRequestLog } from './request-log';
import { logSyncStatus } from './sync-log';
import { setStoreWarningSink } from './store/store-warnings';
import { workerCompactor } from './store/compaction';

export { fromEventPort, type BackendMessage, type EventPortLike, type PortLike, type RequestMessage } from './backend-entry-port';

/** Only the API the transports need: the in-process `BackendApi` and a remote one (./backend-entry-remote.ts) both fit. */
export type ApiLike = Pick<BackendApi, 'handle' | 'subscribe'>;

function asRequest(message: unknown): RequestMessage | null {
  if (typeof message !== 'object' || message === null) return null;
  const { id, name, input } = message as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
  return { id, name: typeof name === 'string' ? name : String(name), input };
}

/** Serves `api` over `port` until the port closes; returns an undo (stops forwarding events). */
export function servePort(api: ApiLike, port: PortLike, onRequest?: () => void): () => void {
  const send = (message: BackendMessage) => {
    try {
      port.postMessage(message);
    } catch (error) {
      // A result that cannot be cloned still answers its request.
      if ('id' in message) port.postMessage({ id: message.id, result: fail('internal', `Unserialisable result: ${String(error)}`) });
    }
  };
  const unsubscribe = api.subscribe((event, payload) => send({ event, payload }));
  const onMessage = (message: unknown) => {
    const request = asRequest(message);
    if (!request) return; // not a request frame: ignored (the port carries nothing else from a client)
    onRequest?.();
    const checked = validateRequest(request.name, request.input);
    const answer = checked.ok ? api.handle(checked.value.name, checked.value.input) : Promise.resolve(checked);
    answer.then(
      (result) => send({ id: request.id, result }),
      (error: unknown) => send({ id: request.id, result: fail('internal', String(error)) }),
    );
  };
  port.on('message', onMessage);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    port.off?.('message', onMessage);
  };
  port.on('close', stop);
  port.start?.();
  return stop;
}

export interface BackendOptions {
  dataDir: string;
  info: BackendInfo;
  clock?: Clock;
  /** Seed the demo company into an empty workspace (the web host; the desktop asks instead). */
  seedDemo?: boolean;
  demoDate?: string;
  /** Where the sync token is kept: default a 0600 file in the data folder; the desktop's is main's keychain. */
  vault?: TokenVault;
  log?: (line: string) => void;
  /** The structured log (./log.ts): workspace, sync, backups, failed and slow requests. */
  logger?: Logger;
  /**
   * Tests and the bench only: block the thread this long just before the schedule document decodes, so a
   * slow (year-sized) load is deterministic.
   */
  loadDelayMs?: number;
  /** Called right before the schedule document decodes (the host then answers reads from the read tables). */
  beforeLoad?: () => void;
  /**
   * Compaction's merge in a Worker (./store/compaction-worker.ts, its URL under tsx or in the bundle); without
   * it the backend compacts on its own thread. `delayMs` and `every`: tests and the bench only.
   */
  compaction?: { entry: URL; delayMs?: number; every?: number };
  /**
   * Tests and the bench only: a reconnect's schedule handshake (sync step 2) blocks the thread this much
   * longer inside its store write, as applying thousands of updates does; logged first, so a test knows.
   */
  syncApplyDelayMs?: number;
  /** Called right before and after a reconnect's schedule handshake applies (the host answers from the read tables meanwhile). */
  onLongApply?: (applying: boolean) => void;
}

export interface Backend {
  readonly api: BackendApi;
  readonly store: LocalStore;
  /** Serves the contract over one more client port. */
  serve(port: PortLike): () => void;
  /** Called on every request any client port brings (the worker starts the decode once they pause). */
  onRequest(listener: () => void): () => void;
  /** Decodes the schedule document, then starts the horizon keeper, sync and automatic backups. */
  start(): void;
  close(): void;
}

/** Opens the workspace and everything around it, as every host (web, desktop, tests) runs it. */
export function openBackend(options: BackendOptions): Backend {
  const human = options.log ?? (() => undefined);
  const logger = options.logger ?? silentLogger;
  // Backups and the horizon keeper report in sentences; the log files them under an event.
  const log = (line: string) => {
    human(line);
    if (line.startsWith('Automatic backup:')) logger.info('backup.automatic', line);
    else if (/backup/i.test(line)) logger.warn('backup.failed', line);
    else if (/recurring/i.test(line)) logger.warn('series.horizon_failed', line);
    else if (/sync/i.test(line)) logger.warn('sync.resume_failed', line);
    else logger.info('backend.note', line);
  };
  // Records the store leaves out (unreadable after a bad sync or an old version) are a support question.
  const unsinkStore = options.logger
    ? setStoreWarningSink(({ kind, id, problem }) => options.logger!.warn('store.record_skipped', `Left out ${kind} ${id}: ${problem}`, { kind, id, problem }))
    : () => undefined;
  let opened: ReturnType<typeof openWorkspace>;
  try {
    opened = openWorkspace({
      dataDir: options.dataDir,
      seedDemo: options.seedDemo ?? false,
      demoDate: options.demoDate,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.compaction
        ? {
            compaction: {
              compactor: workerCompactor({ entry: options.compaction.entry, ...(options.compaction.delayMs ? { delayMs: options.compaction.delayMs } : {}) }),
              ...(options.compaction.every ? { compactEvery: options.compaction.every } : {}),
              onCompaction: (doc, outcome) => {
                const fields = { doc, through: outcome.through };
                if (outcome.kind === 'failed') {
                  // The log is left as it was: the next write past the threshold tries again.
                  logger.warn('store.compaction_failed', `Could not compact the ${doc} document: ${String(outcome.error)}`, { ...fields, error: outcome.error });
                } else logger.info(`store.compaction_${outcome.kind}`, `Compaction of the ${doc} document ${outcome.kind}`, fields);
              },
            },
          }
        : {}),
    });
  } catch (error) {
    unsinkStore();
    throw error;
  }
  const { store, demo, setup } = opened;
  if (demo) human(`Created the demo company in ${store.path}`);
  logger.info('workspace.opened', demo ? `Created the demo company in ${store.path}` : `Opened ${store.path}`, { path: store.path, demoSeeded: demo !== null });
  const syncApplyDelayMs = options.syncApplyDelayMs;
  const sync = new SyncClient({
    store,
    vault: options.vault ?? new FileTokenVault(options.dataDir),
    ...(options.onLongApply ? { onLongApply: options.onLongApply } : {}),
    ...(syncApplyDelayMs
      ? {
          beforeApply: (doc: string, kind: string) => {
            if (doc !== 'schedule' || kind !== 'step2') return;
            human(`Holding the sync apply for ${syncApplyDelayMs} ms`);
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, syncApplyDelayMs);
          },
        }
      : {}),
  });
  const unlogSync = logSyncStatus(sync, logger);
  // Backups in <data-dir>/backups; the daily automatic one is checked a minute after start, then every 15.
  const backups = new WorkspaceBackups(store, { sync, log });
  const api = new BackendApi(store, options.info, sync, { setup, backups });
  const served = withRequestLog(api, logger);
  const horizon = new SeriesHorizonKeeper(store, { log });
  const stops = new Set<() => void>();
  const requestListeners = new Set<() => void>();
  const requested = () => {
    for (const listener of requestListeners) listener();
  };
  let closed = false;
  let started = false;
  return {
    api,
    store,
    serve(port) {
      const stop = servePort(served, port, requested);
      stops.add(stop);
      return () => {
        stops.delete(stop);
        stop();
      };
    },
    onRequest(listener) {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
    start() {
      if (started || closed) return;
      started = true;
      try {
        if (!store.scheduleLoaded) options.beforeLoad?.();
        if (options.loadDelayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, options.loadDelayMs);
        store.loadDocuments();
        // Recurring visits for the horizon ahead: now, and again each new day (by the store's clock).
        horizon.start();
      } catch (error) {
        human(`Could not load the schedule document: ${String(error)}`);
        logger.error('workspace.load_failed', 'Could not load the schedule document', { error });
      }
      sync.start().catch((error: unknown) => {
        human(`Could not resume syncing: ${String(error)}`);
        logger.error('sync.resume_failed', 'Could not resume syncing', { error });
      });
      backups.startAutomatic();
    },
    close() {
      if (closed) return;
      closed = true;
      for (const stop of stops) stop();
      stops.clear();
      backups.stopAutomatic();
      horizon.stop();
      unlogSync();
      sync.close();
      store.close();
      logger.info('workspace.closed', `Closed ${store.path}`, { path: store.path });
      unsinkStore();
    },
  };
}
