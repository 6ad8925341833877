// The backend's utilityProcess (issue 22), seen from main: forks it, hands each app window a MessagePort
// to it, keeps the token vault (safeStorage) here behind a small named port, tells the page when the
// backend stopped, and forks it again if the whole process died. Main itself never opens the workspace.
// Type-checked only: Electron cannot start where this is developed (see docs/architecture.md).
import { join } from 'node:path';
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import type { Result } from '../../core/index';
import type { RequestName } from '../../core/index';
import { fromEventPort } from '../backend/backend-entry-port';
import { serveTokenVault } from '../backend/backend-entry-vault';
import type { UtilityControl, UtilityStatus } from '../backend/backend-entry-utility';
import type { TokenVault } from '../backend/sync/token-vault';
import type { FileLogger } from '../backend/log';
import { createPortClient, type ClientPort, type PortClient } from '../../renderer/src/api/port-client';
import { BACKEND_PORT_CHANNEL, BACKEND_STATE_CHANNEL } from '../../renderer/src/api/backend-port-channels';

/** Built by electron-vite next to main's index.js (electron.vite.config.ts). */
export const backendFile = join(import.meta.dirname, 'backend.js');

export interface BackendProcessOptions {
  dataDir: string;
  version: string;
  vault: TokenVault;
  /** The app's windows showing the app's page (they get the ports and the state). */
  appContents: () => WebContents[];
  log?: (line: string) => void;
  /** Main's file logger (electron/backend/log.ts): the backend's entries and this process's own go there. */
  logger?: FileLogger;
  /** The workspace could not be opened: main shows why and quits. */
  onFailed: (message: string) => void;
}

/** A MessagePortMain as the port client (renderer/src/api/port-client.ts) wants it. */
function clientPort(port: Electron.MessagePortMain): ClientPort {
  return {
    postMessage: (message) => port.postMessage(message),
    addEventListener: ((type: 'message' | 'close', listener: (event?: { data: unknown }) => void) => {
      if (type === 'message') port.on('message', listener as (event: Electron.MessageEvent) => void);
      else port.on('close', () => listener());
    }) as ClientPort['addEventListener'],
    removeEventListener: (_type, listener) => port.off('message', listener as (event: Electron.MessageEvent) => void),
    start: () => port.start(),
    close: () => port.close(),
  };
}

export class BackendProcess {
  private child: UtilityProcess | null = null;
  private quitting = false;
  private forks: number[] = [];
  /** Main's own client (File → Back up / Restore dialogs), over a port like the page's. */
  readonly client: PortClient = createPortClient({ transport: 'ipc' });

  constructor(private readonly options: BackendProcessOptions) {}

  start(): void {
    const child = utilityProcess.fork(backendFile, [], { serviceName: 'Crewline backend', stdio: 'inherit' });
    this.child = child;
    this.forks.push(Date.now());
    const vault = new MessageChannelMain();
    serveTokenVault(fromEventPort(vault.port1), this.options.vault);
    const logLevel = this.options.logger?.level;
    child.postMessage({ type: 'start', dataDir: this.options.dataDir, version: this.options.version, ...(logLevel ? { logLevel } : {}) } satisfies UtilityControl, [vault.port2]);
    this.options.logger?.info('backend.process_started', 'Backend process started', { pid: child.pid ?? null });
    this.client.attach(clientPort(this.newPort()));
    child.on('message', (status: UtilityStatus) => {
      if (status.type === 'failed') {
        this.options.logger?.error('backend.failed', 'The backend could not open the workspace', { error: status.message });
        this.options.onFailed(status.message);
      }
      else if (status.type === 'stopped') this.tellStopped(status.reason);
      else if (status.type === 'restarted') this.reconnectAll();
      else if (status.type === 'log') this.options.log?.(status.line);
      else if (status.type === 'entry') this.options.logger?.write(status.entry);
    });
    child.on('exit', (code) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.quitting) return this.options.logger?.info('backend.process_exited', 'Backend process ended', { exitCode: code });
      this.tellStopped(`the backend process exited (code ${code})`);
      const now = Date.now();
      this.forks = this.forks.filter((at) => at > now - 60_000);
      if (this.forks.length >= 3) {
        this.options.logger?.error('backend.process_exited', 'The backend process died 3 times in a minute: not restarting it', { exitCode: code, restarting: false });
        return this.options.log?.('The backend stopped 3 times in a minute: not restarting it.');
      }
      this.options.logger?.error('backend.process_exited', 'The backend process died: starting it again', { exitCode: code, restarting: true });
      this.start();
      this.reconnectAll();
    });
  }

  /** A fresh port to the backend for `contents` (the page asked, or the backend came back). */
  connect(contents: WebContents): void {
    if (!this.child) return;
    contents.postMessage(BACKEND_PORT_CHANNEL, null, [this.newPort()]);
  }

  /** Main's own requests (dialogs), over its port. */
  request(name: RequestName, input: unknown): Promise<Result<unknown>> {
    return (this.client.request as (name: RequestName, input: unknown) => Promise<Result<unknown>>)(name, input);
  }

  /** Closes the workspace cleanly (waits up to 5 s), then the process. */
  async stop(): Promise<void> {
    this.quitting = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        child.kill();
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.postMessage({ type: 'close' } satisfies UtilityControl);
    });
  }

  private newPort(): Electron.MessagePortMain {
    const { port1, port2 } = new MessageChannelMain();
    this.child!.postMessage({ type: 'connect' } satisfies UtilityControl, [port1]);
    return port2;
  }

  private tellStopped(reason: string): void {
    this.client.stopped(reason);
    for (const contents of this.options.appContents()) contents.send(BACKEND_STATE_CHANNEL, { state: 'stopped', reason });
  }

  private reconnectAll(): void {
    if (!this.child) return;
    this.client.attach(clientPort(this.newPort()));
    for (const contents of this.options.appContents()) this.connect(contents);
  }
}
