/**
 * The host's side of a backend in a `worker_threads` Worker (./backend-entry-worker.ts): starts it, hands
 * it client ports, and gives the host an `ApiLike` (the web host's WebSocket serves that, so its HTTP/WS
 * thread never decodes a document). When the worker exits or throws, every waiting and later request
 * answers a clear "backend stopped" error and `onStop` listeners hear why; `restart()` opens the same data
 * folder again (SQLite commits are durable: nothing committed is lost).
 *
 * While the worker decodes the schedule document (it says `loading` first) or applies a reconnect's
 * schedule handshake (`applying`), the read requests the read tables can answer
 * (./backend-entry-reader.ts), and the board's staged edits (they never need the document), are answered
 * here instead of waiting seconds behind that work; other writes and the rest wait for the worker. Any other time the worker
 * is busy (a compaction's commit, a large sync apply, its garbage collector, backups), such a read it has
 * not answered within `HEDGE_AFTER_MS` is answered here too (./backend-entry-busy.ts): no read waits
 * behind the worker's work, and none overtakes a change the same host asked for earlier.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { clockStartingAt, systemClock } from '../../core/clock';
import { fail, type EventName, type Result } from '../../core/index';
import { servePort, type ApiLike, type BackendMessage, type PortLike } from './backend-entry';
import { isReadTableRequest, openReadTables, type ReadTables } from './backend-entry-reader';
import { isDraftRequest } from './api/draft-staging';
import { HEDGE_AFTER_MS, InFlightChanges, WAIT_AT_MOST_MS } from './backend-entry-busy';
import type { SyncStatus } from '../../core/sync/client-status';
import { serveTokenVault } from './backend-entry-vault';
import type { TokenVault } from './sync/token-vault';
import type { WorkerBackendData, WorkerControl, WorkerStatus } from './backend-entry-worker';
import type { LogEntry } from './log';

// The ESM build of tsx's API (require.resolve names the CommonJS one).
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
/** The decode starts after this long without a request ... */
const START_AFTER_IDLE_MS = 150;
/** ... or this long after the workspace opened, whichever comes first. */
const START_AT_THE_LATEST_MS = 1500;
const ENTRY = new URL(`./backend-entry-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export function backendStopped(reason: string): Result<never> {
  return fail('internal', `The backend stopped: ${reason}`);
}

export type BackendState = 'starting' | 'running' | 'stopped';

export interface BackendWorker {
  readonly api: ApiLike;
  readonly state: BackendState;
  /** Why it stopped, while stopped. */
  readonly stopReason: string | null;
  /** Resolves once the workspace is open (rejects if it could not be). */
  readonly ready: Promise<void>;
  /** Resolves once the schedule document is decoded. */
  readonly loaded: Promise<void>;
  /** A new client port served by this host's router (give it to a client; transfer it). */
  connect(): MessagePort;
  /** Serves the contract over a port of the caller's (Electron's MessagePortMain via fromEventPort). */
  serve(port: PortLike): () => void;
  /** True while the worker decodes the schedule document (reads are answered from the read tables). */
  readonly loading: boolean;
  /** How many requests the read tables answered so far (the bench tells which side answered). */
  readonly readTableAnswers: number;
  /** Time this thread spent opening and querying the read tables so far, in ms (the bench). */
  readonly readTableBusyMs: number;
  onStop(listener: (reason: string) => void): () => void;
  onLog(listener: (line: string) => void): () => void;
  /** The worker's structured log entries (the host writes them: ./log.ts). */
  onEntry(listener: (entry: LogEntry) => void): () => void;
  /** Stops the worker if running and starts a new one on the same options. */
  restart(): Promise<void>;
  /** Closes the workspace cleanly and ends the worker; safe to call twice. */
  close(): Promise<void>;
  /** The running Worker (tests: to terminate it as a crash would). */
  readonly worker: Worker;
}

export type BackendWorkerOptions = Omit<WorkerBackendData, 'vaultPort'> & {
  /** Another worker entry (tests: one that can be made to throw). */
  entry?: URL;
  /** Where the sync token is kept, if not in a file in the data folder (the desktop: main's keychain). */
  vault?: TokenVault;
};

export function startBackendWorker(options: BackendWorkerOptions): BackendWorker {
  const stopListeners = new Set<(reason: string) => void>();
  const logListeners = new Set<(line: string) => void>();
  const entryListeners = new Set<(entry: LogEntry) => void>();
  const eventListeners = new Set<(event: EventName, payload: never) => void>();
  let pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let state: BackendState = 'starting';
  let stopReason: string | null = null;
  let closing: Promise<void> | null = null;
  let loading = false;
  /** The worker applies a reconnect's schedule handshake (between its `applying` and `applied`). */
  let applying = false;
  /** Requests from this id on were sent after `loading` arrived. */
  let firstIdWhileLoading = Number.MAX_SAFE_INTEGER;
  // The worker's clock, as near as this thread can tell (app:getInfo during a load).
  const readerClock = options.nowMs !== undefined ? clockStartingAt(options.nowMs) : systemClock;
  let reader: ReadTables | null = null;
  /** Requests that may change something, sent and not answered yet: no read from the tables overtakes them. */
  let changes = new InFlightChanges();
  /** The worker's last `sync:statusChanged` (the read tables answer `sync:getStatus` with it). */
  let lastSyncStatus: SyncStatus | null = null;
  let readTableAnswers = 0;
  /** When the worker last answered or sent an event (it is not blocked then). */
  let workerHeardAt = 0;
  let readTableBusyMs = 0;
  const doneLoading = () => {
    loading = false;
  };
  const closeReader = () => {
    reader?.close();
    reader = null;
  };
  /** The read tables (kept open: they follow the worker's commits); false when they cannot be opened (the request then waits). */
  const openReader = (): boolean => {
    if (closing) return false;
    try {
      reader ??= openReadTables(options.dataDir, {
        info: { version: options.version, transport: options.transport },
        clock: readerClock,
        lastSyncStatus: () => lastSyncStatus,
      });
      return true;
    } catch {
      return false;
    }
  };
  /** From now on reads go to the read tables: the worker is (about to be) busy decoding. */
  const beginLoading = () => {
    if (loading) return;
    loading = true;
    firstIdWhileLoading = nextId;
    // Opened now, not on the first read: the board's next request then finds it ready.
    openReader();
  };
  // The board paints from the read tables first: the document decodes once the console's first requests
  // (board, queue, lists) had their turn, i.e. after a pause in requests, and at the latest shortly after
  // open. This thread decides, switches reads to the read tables, then tells the worker in band with the
  // requests: none sent before it waits behind the decode.
  let decodeTimers: Array<ReturnType<typeof setTimeout>> = [];
  let decodeAsked = false;
  const askDecode = () => {
    for (const timer of decodeTimers) clearTimeout(timer);
    decodeTimers = [];
    if (decodeAsked || state !== 'running') return;
    decodeAsked = true;
    beginLoading();
    current.port.postMessage({ control: 'start' });
  };
  const scheduleDecode = () => {
    decodeAsked = false;
    decodeTimers = [setTimeout(askDecode, START_AFTER_IDLE_MS), setTimeout(askDecode, START_AT_THE_LATEST_MS)];
  };
  const requestMade = () => {
    if (decodeAsked || decodeTimers.length === 0) return;
    clearTimeout(decodeTimers[0]);
    decodeTimers[0] = setTimeout(askDecode, START_AFTER_IDLE_MS);
  };
  let current: { worker: Worker; port: MessagePort; ready: Promise<void>; loaded: Promise<void>; exited: Promise<void> };

  const stop = (reason: string) => {
    if (state === 'stopped') return;
    state = 'stopped';
    stopReason = reason;
    const waiting = pending;
    pending = new Map();
    for (const resolve of waiting.values()) resolve(backendStopped(reason));
    for (const listener of stopListeners) listener(reason);
  };

  const launch = () => {
    const { entry, vault, ...rest } = options;
    const file = entry ?? ENTRY;
    let data: WorkerBackendData = rest;
    const transfer: MessagePort[] = [];
    if (vault) {
      const vaultChannel = new MessageChannel();
      serveTokenVault(vaultChannel.port1, vault);
      vaultChannel.port1.unref();
      data = { ...rest, vaultPort: vaultChannel.port2 };
      transfer.push(vaultChannel.port2);
    }
    const worker = file.pathname.endsWith('.ts')
      ? // The sources run as TypeScript (npm run web, the tests): tsx's hooks must be registered inside the
        // thread (`--import tsx` in execArgv does not reach a worker's loader on Node 24).
        new Worker(`import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`, {
          eval: true,
          workerData: data,
          transferList: transfer,
        })
      : new Worker(file, { workerData: data, transferList: transfer });
    const channel = new MessageChannel();
    const port = channel.port1;
    port.on('message', (message: BackendMessage) => {
      workerHeardAt = performance.now();
      if ('id' in message) {
        // A request sent after the worker said `loading` was answered: the decode is over, whatever the
        // order in which its `loaded` and this answer arrive. Reads must see that answer's writes from now on.
        if (loading && message.id >= firstIdWhileLoading) doneLoading();
        changes.answered(message.id);
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.result);
      } else {
        if (message.event === 'sync:statusChanged') lastSyncStatus = message.payload as SyncStatus;
        for (const listener of eventListeners) listener(message.event, message.payload as never);
      }
    });
    worker.postMessage({ type: 'connect', port: channel.port2 } satisfies WorkerControl, [channel.port2]);
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    let markLoaded!: () => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    ready.catch(() => undefined);
    let failure: string | null = null;
    worker.on('message', (status: WorkerStatus) => {
      if (status.type === 'ready') {
        if (state === 'starting') state = 'running';
        markReady();
        scheduleDecode();
        // Warm now, while the worker answers the console's first requests: a hedged read then finds it ready.
        setImmediate(() => state === 'running' && openReader());
      } else if (status.type === 'loading') beginLoading();
      else if (status.type === 'applying') {
        applying = true;
        openReader();
      } else if (status.type === 'applied') applying = false;
      else if (status.type === 'loaded') {
        doneLoading();
        markLoaded();
      }
      else if (status.type === 'failed') failure = status.message;
      else if (status.type === 'log') for (const listener of logListeners) listener(status.line);
      else if (status.type === 'entry') for (const listener of entryListeners) listener(status.entry);
    });
    worker.on('error', (error) => {
      failure ??= error instanceof Error ? error.message : String(error);
    });
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        port.close();
        doneLoading();
        applying = false;
        closeReader();
        changes = new InFlightChanges();
        lastSyncStatus = null;
        for (const timer of decodeTimers) clearTimeout(timer);
        decodeTimers = [];
        const reason = failure ?? (closing ? 'closed' : `the backend process exited (code ${code})`);
        markFailed(new Error(reason));
        stop(reason);
        resolve();
      }),
    );
    current = { worker, port, ready, loaded, exited };
    state = 'starting';
    stopReason = null;
  };
  launch();

  /** A staged edit the read tables made: announced as the backend announces its own (`draft:changed` first). */
  const staged = (result: Result<unknown>): Result<unknown> => {
    if (result.ok) {
      const { stagedCount } = result.value as { stagedCount: number };
      for (const listener of eventListeners) listener('draft:changed', { stagedCount } as never);
    }
    return result;
  };

  const api: ApiLike = {
    handle(name, input) {
      if (state === 'stopped') return Promise.resolve(backendStopped(stopReason ?? 'unknown'));
      /** The read tables' answer, unless a change sent before request `id` may still be waiting. */
      const fromTables = (id: number): Result<unknown> | null => {
        if (!(isReadTableRequest(name) || isDraftRequest(name)) || changes.before(id)) return null;
        const began = performance.now();
        try {
          if (!openReader()) return null;
          const answer = isDraftRequest(name) ? staged(reader!.stage(name, input)) : reader!.handle(name, input);
          readTableAnswers++;
          return answer;
        } catch {
          return null; // not answerable from here: wait for the backend as usual
        } finally {
          readTableBusyMs += performance.now() - began;
        }
      };
      if (loading || applying) {
        const answer = fromTables(nextId);
        if (answer) return Promise.resolve(answer);
      }
      requestMade();
      const id = nextId++;
      changes.sent(id, name);
      return new Promise((resolve) => {
        pending.set(id, resolve);
        try {
          current.port.postMessage({ id, name, input });
        } catch (error) {
          pending.delete(id);
          changes.answered(id);
          resolve(fail('validation', `Request input cannot be sent: ${String(error)}`));
          return;
        }
        if (!isReadTableRequest(name)) return;
        // The worker is busy if it has not answered this, nor anything else, for a while: the read tables answer
        // instead (its late answer is dropped). A worker that keeps answering is only slow (a loaded CPU): asking
        // the read tables too would only add work on this thread, so this waits and looks again, up to
        // WAIT_AT_MOST_MS in all.
        const sent = performance.now();
        const look = () => {
          if (!pending.has(id)) return;
          const now = performance.now();
          if (workerHeardAt > sent && now - workerHeardAt < HEDGE_AFTER_MS && now - sent < WAIT_AT_MOST_MS) {
            setTimeout(look, Math.min(HEDGE_AFTER_MS, WAIT_AT_MOST_MS - (now - sent))).unref?.();
            return;
          }
          const answer = fromTables(id);
          if (!answer) return;
          pending.delete(id);
          resolve(answer);
        };
        setTimeout(look, HEDGE_AFTER_MS).unref?.();
      });
    },
    subscribe(listener) {
      const entry = listener as (event: EventName, payload: never) => void;
      eventListeners.add(entry);
      return () => eventListeners.delete(entry);
    },
  };

  const shutDown = async () => {
    const { worker, exited } = current;
    // The worker's connection must be the last one: SQLite then folds the WAL back into the file on close.
    closeReader();
    if (state !== 'stopped') {
      worker.postMessage({ type: 'close' } satisfies WorkerControl);
      // A backend stuck in a load still ends: terminate after a grace period.
      const force = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(force);
    }
  };

  return {
    api,
    get state() {
      return state;
    },
    get stopReason() {
      return stopReason;
    },
    get ready() {
      return current.ready;
    },
    get loaded() {
      return current.loaded;
    },
    get worker() {
      return current.worker;
    },
    get loading() {
      return loading;
    },
    get readTableAnswers() {
      return readTableAnswers;
    },
    get readTableBusyMs() {
      return readTableBusyMs;
    },
    connect() {
      const channel = new MessageChannel();
      servePort(api, channel.port1);
      return channel.port2;
    },
    serve: (port) => servePort(api, port),
    onStop(listener) {
      stopListeners.add(listener);
      return () => stopListeners.delete(listener);
    },
    onLog(listener) {
      logListeners.add(listener);
      return () => logListeners.delete(listener);
    },
    onEntry(listener) {
      entryListeners.add(listener);
      return () => entryListeners.delete(listener);
    },
    async restart() {
      closing = Promise.resolve();
      await shutDown();
      closing = null;
      launch();
      await current.ready;
    },
    close: () => (closing ??= shutDown()),
  };
}
