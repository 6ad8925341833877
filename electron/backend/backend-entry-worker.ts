/**
 * The backend in a Node `worker_threads` Worker (the web host, the tests). `workerData` carries the
 * options (plain data); the parent hands client ports over with `{type: 'connect', port}` (transferred) and
 * stops the backend with `{type: 'close'}`. The schedule document decodes when a client port says
 * `{control: 'start'}` (the host's router decides when: backend-entry-remote.ts) or on `{type: 'start'}`. The worker answers `{type: 'ready'}` once the workspace is open
 * (or `{type: 'failed', message}`), `{type: 'loading'}` right before the schedule document decodes,
 * `{type: 'loaded'}` once the schedule document is decoded, `{type: 'applying'}` / `{type: 'applied'}`
 * around a reconnect's schedule handshake, and `{type: 'closed'}`. Started by ./backend-entry-remote.ts.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { clockStartingAt } from '../../core/clock';
import { openBackend, type Backend } from './backend-entry';
import { PortTokenVault } from './backend-entry-vault';
import { createLogger, type LogEntry, type LogLevel } from './log';

/** What the parent passes as `workerData`. */
export interface WorkerBackendData {
  dataDir: string;
  version: string;
  transport: 'ipc' | 'websocket';
  /** This backend's clock starts at this instant (ms) and runs from there (tests, demos); default: the system's. */
  nowMs?: number;
  seedDemo?: boolean;
  demoDate?: string;
  /** The keychain's side of the token vault (./backend-entry-vault.ts); default: a file in the data folder. */
  vaultPort?: MessagePort;
  /** Tests and the bench only (see BackendOptions.loadDelayMs). */
  loadDelayMs?: number;
  /** Tests and the bench only: compaction's merge takes this much longer, and runs every this many updates. */
  compactionDelayMs?: number;
  compactEvery?: number;
  /** Tests and the bench only (see BackendOptions.syncApplyDelayMs). */
  syncApplyDelayMs?: number;
  /** Entries below this level are not even sent to the parent (default info). */
  logLevel?: LogLevel;
}

export type WorkerControl = { type: 'connect'; port: MessagePort } | { type: 'close' } | { type: 'start' };
export type WorkerStatus =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'loading' }
  | { type: 'loaded' }
  | { type: 'applying' }
  | { type: 'applied' }
  | { type: 'closed' }
  | { type: 'log'; line: string }
  | { type: 'entry'; entry: LogEntry };

if (!parentPort) throw new Error('backend-entry-worker runs in a worker_threads Worker');
const parent = parentPort;
const data = workerData as WorkerBackendData;
const say = (status: WorkerStatus) => parent.postMessage(status);
// This file is an entry of its own in the bundle (electron.vite.config.ts), next to compaction-worker.js.
const COMPACTION_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./store/compaction-worker.ts', import.meta.url)
  : new URL('./compaction-worker.js', import.meta.url);

// The parent writes the log file (one writer per data folder: ./log.ts); this thread hands it entries.
const logger = createLogger((entry) => say({ type: 'entry', entry }), {
  source: 'backend',
  ...(data.logLevel ? { level: data.logLevel } : {}),
  ...(data.nowMs !== undefined ? { clock: clockStartingAt(data.nowMs) } : {}),
});
let backend: Backend;
try {
  backend = openBackend({
    dataDir: data.dataDir,
    info: { version: data.version, transport: data.transport },
    ...(data.nowMs !== undefined ? { clock: clockStartingAt(data.nowMs) } : {}),
    seedDemo: data.seedDemo ?? false,
    ...(data.demoDate !== undefined ? { demoDate: data.demoDate } : {}),
    ...(data.vaultPort ? { vault: new PortTokenVault(data.vaultPort) } : {}),
    ...(data.loadDelayMs !== undefined ? { loadDelayMs: data.loadDelayMs } : {}),
    ...(data.syncApplyDelayMs !== undefined ? { syncApplyDelayMs: data.syncApplyDelayMs } : {}),
    compaction: {
      entry: COMPACTION_ENTRY,
      ...(data.compactionDelayMs !== undefined ? { delayMs: data.compactionDelayMs } : {}),
      ...(data.compactEvery !== undefined ? { every: data.compactEvery } : {}),
    },
    log: (line) => say({ type: 'log', line }),
    logger,
    // Delivered to the parent at once, while this thread decodes: it answers reads meanwhile.
    beforeLoad: () => say({ type: 'loading' }),
    onLongApply: (applying) => say({ type: applying ? 'applying' : 'applied' }),
  });
} catch (error) {
  logger.error('workspace.open_failed', 'Could not open the workspace', { dataDir: data.dataDir, error });
  say({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  // Nothing is open: let the thread end.
  parent.close();
  throw error;
}
let started = false;
const start = () => {
  if (started) return;
  started = true;
  backend.start();
  say({ type: 'loaded' });
};
parent.on('message', (message: WorkerControl) => {
  if (message.type === 'connect') {
    backend.serve(message.port);
    // In band with the requests, so every request sent before it is answered before the decode blocks.
    message.port.on('message', (frame: { control?: unknown } | null) => {
      if (frame?.control === 'start') start();
    });
  }
  else if (message.type === 'start') start();
  else if (message.type === 'close') {
    backend.close();
    say({ type: 'closed' });
    parent.close();
    data.vaultPort?.close();
    // The console's ports and the closed backend's timers and sockets would keep this thread alive until the
    // parent's grace period (10 s) ran out. The store is closed and flushed: end the thread now.
    process.exit(0);
  }
});
say({ type: 'ready' });
