/**
 * The WebSocket side of the API client (the web host's transport, electron/backend/transport/ws-server.ts).
 * No DOM globals here: the socket constructor is a parameter, so this runs under Node against the real
 * server in tests (Node 24 has a global WebSocket).
 *
 * Frames: `{id, name, input}` out, `{id, result}` and `{event, payload}` in. Requests wait while the socket
 * connects; every request still waiting when the socket drops answers DISCONNECTED (it may or may not have
 * run: the caller re-queries). The socket reconnects with exponential backoff; a request made while
 * waiting to retry reconnects at once.
 */
import type { RequestName, Result } from '../../../core/index';
import { ClientEvents } from './client-events';
import type { ConsoleClient } from './types';

/** What we use of a WebSocket: the browser's and Node's global one both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

const OPEN = 1;

export const DISCONNECTED: Result<never> = { ok: false, error: { code: 'internal', message: 'Disconnected from the backend' } };

export interface WebSocketClientOptions {
  /** `ws://127.0.0.1:<port>/api?token=...` */
  url: string;
  WebSocket: SocketConstructor;
  /** First retry delay; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

interface Pending {
  frame: string;
  sent: boolean;
  resolve: (result: Result<unknown>) => void;
}

export function createWebSocketClient(options: WebSocketClientOptions): ConsoleClient {
  const initialBackoff = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const pending = new Map<number, Pending>();
  const events = new ClientEvents();
  let socket: SocketLike | null = null;
  let connected = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let nextId = 1;
  let closed = false;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    events.connectionChanged(value);
  };

  const flush = () => {
    if (!socket || socket.readyState !== OPEN) return;
    for (const entry of pending.values()) {
      if (entry.sent) continue;
      entry.sent = true;
      socket.send(entry.frame);
    }
  };

  const dropAll = () => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const entry of waiting) entry.resolve(DISCONNECTED);
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    events.route(frame, (id, result) => {
      const entry = pending.get(id);
      if (!entry) return;
      pending.delete(id);
      entry.resolve(result);
    });
  };

  const connect = () => {
    if (closed || socket) return;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    let ws: SocketLike;
    try {
      ws = new options.WebSocket(options.url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      setConnected(true);
      flush();
    };
    ws.onmessage = (event) => onMessage(event.data);
    ws.onerror = () => undefined; // always followed by close
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setConnected(false);
      dropAll();
      scheduleRetry();
    };
  };

  const scheduleRetry = () => {
    if (closed || retryTimer !== null) return;
    const delay = Math.min(maxBackoff, initialBackoff * 2 ** failures);
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay * (0.8 + Math.random() * 0.4));
  };

  connect();

  const request = (name: RequestName, input: unknown): Promise<Result<unknown>> => {
    if (closed) return Promise.resolve(DISCONNECTED);
    let frame: string;
    const id = nextId++;
    try {
      frame = JSON.stringify({ id, name, input });
    } catch (error) {
      return Promise.resolve({ ok: false, error: { code: 'validation', message: `Request input cannot be sent: ${String(error)}` } });
    }
    return new Promise<Result<unknown>>((resolve) => {
      pending.set(id, { frame, sent: false, resolve });
      if (socket) flush();
      else connect(); // waiting to retry: a user action is a good moment to try again
    });
  };

  return {
    transport: 'websocket',
    request: request as ConsoleClient['request'],
    on: events.on,
    get connected() {
      return connected;
    },
    onConnectionChange: events.onConnectionChange,
    close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      ws?.close(1000, 'Client closed');
      setConnected(false);
      dropAll();
    },
  };
}
