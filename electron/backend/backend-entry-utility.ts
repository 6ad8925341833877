/**
 * The backend in Electron's utilityProcess (issue 22), forked by electron/main/backend-process.ts. This
 * process's main thread is only a router: it serves every renderer port (MessagePortMain) and answers reads
 * from the read tables while the backend, in a worker thread (./backend-entry-worker.ts, built next to this
 * file as backend-worker.js), decodes the schedule document. The sync token stays in main's keychain,
 * reached over the vault port that comes with `start`.
 *
 * Type-checked only: Electron cannot start on the machines this is developed on. The same router and
 * worker are tested for real under Node (backend-entry.int.test.ts).
 *
 * From main: `{type: 'start', dataDir, version}` (+ the vault port), `{type: 'connect'}` (+ a client port),
 * `{type: 'close'}`. To main: `{type: 'ready'}`, `{type: 'failed', message}`, `{type: 'stopped', reason}`,
 * `{type: 'restarted'}`, `{type: 'closed'}`, `{type: 'log', line}`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromEventPort, type EventPortLike } from './backend-entry-port';
import { startBackendWorker, type BackendWorker } from './backend-entry-remote';
import { PortTokenVault } from './backend-entry-vault';
import { createLogger, type LogEntry, type LogLevel } from './log';

export type UtilityControl = { type: 'start'; dataDir: string; version: string; logLevel?: LogLevel } | { type: 'connect' } | { type: 'close' };
export type UtilityStatus =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'stopped'; reason: string }
  | { type: 'restarted' }
  | { type: 'closed' }
  | { type: 'log'; line: string }
  /** A structured log entry, this router's or the backend worker's: main writes the file (./log.ts). */
  | { type: 'entry'; entry: LogEntry };

const parent = process.parentPort;
const say = (status: UtilityStatus) => parent.postMessage(status);
let backend: BackendWorker | null = null;
let closing = false;
const restarts: number[] = [];

parent.on('message', (event: { data: UtilityControl; ports: EventPortLike[] }) => {
  const message = event.data;
  if (message.type === 'start' && !backend) {
    const vaultPort = event.ports[0];
    const logger = createLogger((entry) => say({ type: 'entry', entry }), { source: 'host', ...(message.logLevel ? { level: message.logLevel } : {}) });
    const started = startBackendWorker({
      dataDir: message.dataDir,
      version: message.version,
      transport: 'ipc',
      entry: pathToFileURL(join(import.meta.dirname, 'backend-worker.js')),
      ...(vaultPort ? { vault: new PortTokenVault(fromEventPort(vaultPort)) } : {}),
      ...(message.logLevel ? { logLevel: message.logLevel } : {}),
    });
    backend = started;
    started.onLog((line) => say({ type: 'log', line }));
    started.onEntry((entry) => say({ type: 'entry', entry }));
    started.ready.then(
      () => say({ type: 'ready' }),
      (error: unknown) => say({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    // A backend thread that died is started again on the same data folder (every commit is in SQLite);
    // the renderer shows "backend stopped" meanwhile. Three deaths in a minute: main decides.
    started.onStop((reason) => {
      if (closing) return;
      say({ type: 'stopped', reason });
      const now = Date.now();
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length >= 3) return logger.error('backend.stopped', `The backend stopped: ${reason}; 3 times in a minute, not restarting`, { reason, restarting: false });
      restarts.push(now);
      logger.error('backend.stopped', `The backend stopped: ${reason}; restarting it`, { reason, restarting: true });
      setTimeout(() => {
        if (closing) return;
        started.restart().then(
          () => {
            logger.info('backend.restarted', 'The backend was restarted on the same data folder', { after: reason });
            say({ type: 'restarted' });
          },
          (error: unknown) => {
            logger.error('backend.restart_failed', 'Could not restart the backend', { error });
            say({ type: 'failed', message: String(error) });
          },
        );
      }, 500);
    });
  } else if (message.type === 'connect' && backend && event.ports[0]) {
    backend.serve(fromEventPort(event.ports[0]));
  } else if (message.type === 'close') {
    closing = true;
    void (backend?.close() ?? Promise.resolve()).then(() => {
      say({ type: 'closed' });
      process.exit(0);
    });
  }
});
