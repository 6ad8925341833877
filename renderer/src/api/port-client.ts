/**
 * The API client over a MessagePort (issue 22): the desktop's renderer talks to the backend in Electron's
 * utilityProcess this way, and tests talk to the backend in a Node `worker_threads` Worker the same way.
 * No DOM globals: the port is a parameter (the browser's and Node's MessagePort both fit).
 *
 * Messages: `{id, name, input}` out, `{id, result}` and `{event, payload}` in (electron/backend/backend-entry.ts).
 * Requests made before a port is attached wait for it. When the backend stops (`stopped(reason)`, or the
 * port's 'close'), every waiting and later request answers "The backend stopped: …" and `connected`
 * turns false; `attach(newPort)` after a restart brings it back (the UI re-queries on the change).
 */
import type { RequestName, Result } from '../../../core/index';
import { ClientEvents } from './client-events';
import type { ConsoleClient } from './types';

/** What we use of a MessagePort. */
export interface ClientPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
  close(): void;
}

export function backendStoppedResult(reason: string): Result<never> {
  return { ok: false, error: { code: 'internal', message: `The backend stopped: ${reason}` } };
}

export interface PortClient extends ConsoleClient {
  /** Talks over `port` from now on (first start, or after a restart). */
  attach(port: ClientPort): void;
  /** The backend is gone: answer everything with `reason` until the next `attach`. */
  stopped(reason: string): void;
  /** Why the backend stopped, while it is stopped. */
  readonly stopReason: string | null;
}

export interface PortClientOptions {
  /** What the UI is told about the host (printing differs on the desktop): 'ipc' on the desktop. */
  transport: ConsoleClient['transport'];
  /** Requests answered elsewhere (the desktop shell prints the window itself). */
  local?: Partial<Record<RequestName, (input: unknown) => Promise<Result<unknown>>>>;
}

export function createPortClient(options: PortClientOptions): PortClient {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const queued: Array<{ id: number; name: RequestName; input: unknown }> = [];
  const events = new ClientEvents();
  let port: ClientPort | null = null;
  /** The last port attached, kept to close it when a new one replaces it (after a restart). */
  let lastPort: ClientPort | null = null;
  let stopReason: string | null = null;
  let closed = false;
  let nextId = 1;

  const setPort = (next: ClientPort | null) => {
    const wasConnected = port !== null;
    if (port) port.removeEventListener('message', onMessage);
    port = next;
    if (wasConnected !== (port !== null)) events.connectionChanged(port !== null);
  };

  const onMessage = (event: { data: unknown }) =>
    events.route(event.data, (id, result) => {
      const resolve = pending.get(id);
      pending.delete(id);
      resolve?.(result);
    });

  const send = (id: number, name: RequestName, input: unknown) => {
    try {
      port!.postMessage({ id, name, input });
    } catch (error) {
      pending.get(id)?.({ ok: false, error: { code: 'validation', message: `Request input cannot be sent: ${String(error)}` } });
      pending.delete(id);
    }
  };

  const client: PortClient = {
    transport: options.transport,
    get connected() {
      return port !== null;
    },
    get stopReason() {
      return stopReason;
    },
    request: ((name: RequestName, input: unknown) => {
      const local = options.local?.[name];
      if (local) return local(input);
      if (closed) return Promise.resolve(backendStoppedResult('the console closed its connection'));
      if (stopReason !== null) return Promise.resolve(backendStoppedResult(stopReason));
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        if (port) send(id, name, input);
        else queued.push({ id, name, input });
      });
    }) as ConsoleClient['request'],
    on: events.on,
    onConnectionChange: events.onConnectionChange,
    attach(next) {
      if (closed) return;
      if (lastPort && lastPort !== next) {
        lastPort.removeEventListener('message', onMessage);
        lastPort.close();
      }
      lastPort = next;
      stopReason = null;
      next.addEventListener('message', onMessage);
      // Node's MessagePort says when the other end is gone (a worker that died); Chromium's does in newer versions.
      next.addEventListener('close', () => {
        if (port === next) client.stopped('the connection to the backend closed');
      });
      next.start?.();
      setPort(next);
      for (const { id, name, input } of queued.splice(0)) send(id, name, input);
    },
    stopped(reason) {
      // Already stopped (the port's 'close' came first): keep the clearer reason the host gives.
      const already = stopReason !== null && port === null;
      stopReason = reason;
      if (already) return;
      setPort(null);
      const waiting = [...pending.values()];
      pending.clear();
      queued.length = 0;
      for (const resolve of waiting) resolve(backendStoppedResult(reason));
    },
    close() {
      const open = port;
      client.stopped('the console closed its connection');
      closed = true;
      open?.close();
    },
  };
  return client;
}
