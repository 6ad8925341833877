/**
 * The web host's transport of the one API contract (docs/design.md §6): a WebSocket endpoint at `/api` on an HTTP
 * server that listens on 127.0.0.1 only.
 *
 * Who may connect: whoever holds the random session token (query `?token=` or a `Sec-WebSocket-Protocol`
 * entry `crewline-token.<token>`), checked in constant time at the HTTP upgrade. A browser page on another
 * origin is refused even if it got hold of the token, and so is a DNS-rebinding page (its Host header names
 * the attacker's domain, not 127.0.0.1/localhost). Refusals answer 401/403/404 and destroy the socket before
 * any WebSocket exists.
 *
 * Frames (JSON text): client `{id, name, input}` -> server `{id, result}`, where `result` is the contract's
 * Result (from `validateRequest` or `BackendApi.handle`); server `{event, payload}` for every backend event.
 * A frame that breaks this protocol (binary, not JSON, wrong shape) closes that connection only (1003/1008);
 * a frame over `maxPayload` is closed by ws itself with 1009. Nothing a client sends can throw out of here.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { fail, validateRequest, type Result } from '../../../core/index';
import type { ApiLike } from '../backend-entry';

export const API_PATH = '/api';
/** 1 MiB: far above any real request (the largest is a command input), far below a memory problem. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Offered by clients that carry the token in `Sec-WebSocket-Protocol` instead of the URL. */
export const TOKEN_PROTOCOL_PREFIX = 'crewline-token.';
/** The subprotocol the server selects when a client offers it (browsers require one to be echoed). */
export const API_PROTOCOL = 'crewline.v1';
export const LOOPBACK = '127.0.0.1';

/** 32 random bytes, base64url: valid in a URL query and as a Sec-WebSocket-Protocol token. */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal, so a wrong length leaks nothing either. */
export function tokenMatches(expected: string, candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(candidate));
}

/** Host header values this server answers to: its loopback address or `localhost`, with its own port. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

/** Page origins allowed to open the socket: the pages this same server serves. */
export function isOwnOrigin(origin: string, port: number): boolean {
  return origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`;
}

export interface WsApiOptions {
  /** The backend in process, or the web host's backend worker (../backend-entry-remote.ts). */
  api: ApiLike;
  token: string;
  maxPayload?: number;
  /**
   * Why the backend cannot answer right now (the web host's worker stopped and is restarting), or null:
   * upgrades are refused with it (503) so the page shows itself disconnected and retries.
   */
  unavailable?: () => string | null;
}

export interface WsApi {
  /** Open connections right now. */
  readonly clientCount: number;
  /** Closes every connection (1001) and stops accepting upgrades. */
  close(): Promise<void>;
  /**
   * Closes every open connection with 1013 "try again later" and `reason`: the backend behind them stopped.
   * Clients reconnect (and re-query) once upgrades are accepted again.
   */
  disconnectAll(reason: string): void;
}

type RequestFrame = { id: number; name: string; input: unknown };

function parseFrame(data: RawData): RequestFrame | string {
  let frame: unknown;
  try {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    frame = JSON.parse(text);
  } catch {
    return 'Frame is not JSON';
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return 'Frame must be an object {id, name, input}';
  const { id, name, input } = frame as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return 'Frame id must be a non-negative integer';
  if (typeof name !== 'string') return 'Frame name must be a string';
  return { id, name, input };
}

function refuse(socket: Duplex, status: 400 | 401 | 403 | 404 | 503, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status];
  const body = `${reason}\n`;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' ? header.split(',').map((p) => p.trim()).filter(Boolean) : [];
}

/** The token from `?token=` or from a `crewline-token.<token>` subprotocol. */
function presentedToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const fromProtocol = offeredProtocols(req).find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return fromProtocol ? fromProtocol.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}

/**
 * Attaches the API endpoint to `server` (which must listen on 127.0.0.1: use `startApiServer`, or check
 * yourself). Upgrades on any other path are refused with 404.
 */
export function attachWsApi(server: Server, options: WsApiOptions): WsApi {
  const { api, token } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // A browser that offered subprotocols fails the handshake unless one is echoed back.
    handleProtocols: (protocols) => (protocols.has(API_PROTOCOL) ? API_PROTOCOL : ([...protocols][0] ?? false)),
  });
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A socket error before or during the handshake (client reset) must not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    try {
      const port = (server.address() as AddressInfo | null)?.port ?? -1;
      const url = new URL(req.url ?? '/', 'http://upgrade.invalid');
      if (closing) return refuse(socket, 404, 'Server is shutting down');
      if (url.pathname !== API_PATH) return refuse(socket, 404, 'Not found');
      if (!isOwnHost(req.headers.host, port)) return refuse(socket, 403, 'Wrong Host');
      if (!tokenMatches(token, presentedToken(req, url))) return refuse(socket, 401, 'Missing or wrong session token');
      // Browsers always send Origin; a client without one is not a web page (and it holds the token).
      const origin = req.headers.origin;
      if (origin !== undefined && !isOwnOrigin(origin, port)) return refuse(socket, 403, 'Wrong Origin');
      const unavailable = options.unavailable?.() ?? null;
      if (unavailable !== null) return refuse(socket, 503, unavailable);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch {
      refuse(socket, 400, 'Bad upgrade request');
    }
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      let text: string;
      try {
        text = JSON.stringify(message);
      } catch (error) {
        const id = (message as { id?: unknown }).id;
        if (typeof id !== 'number') return;
        text = JSON.stringify({ id, result: fail('internal', `Unserialisable result: ${String(error)}`) });
      }
      ws.send(text, () => undefined);
    };
    const unsubscribe = api.subscribe((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    // ws reports protocol errors (oversized frame, bad UTF-8) here after closing the connection itself.
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== ws.OPEN) return;
      if (isBinary) return ws.close(1003, 'Binary frames are not supported');
      const frame = parseFrame(data);
      if (typeof frame === 'string') return ws.close(1008, frame);
      const checked = validateRequest(frame.name, frame.input);
      const answer: Promise<Result<unknown>> = checked.ok ? api.handle(checked.value.name, checked.value.input) : Promise.resolve(checked);
      answer.then(
        (result) => send({ id: frame.id, result }),
        (error: unknown) => send({ id: frame.id, result: fail('internal', String(error)) }),
      );
    });
  });

  return {
    get clientCount() {
      return wss.clients.size;
    },
    disconnectAll(reason) {
      // A close reason is at most 123 bytes.
      const short = Buffer.from(reason).subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '');
      for (const ws of wss.clients) ws.close(1013, short);
    },
    close: () => {
      closing = true;
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        force.unref();
        wss.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

export interface ApiServerOptions extends WsApiOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Plain HTTP requests (the web host's static files); default: 404 for everything. */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface ApiServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  ws: WsApi;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (never another interface) with the API endpoint attached. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const server = createServer(
    options.onRequest ??
      ((_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      }),
  );
  const ws = attachWsApi(server, options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: LOOPBACK }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    server,
    port,
    origin: `http://${LOOPBACK}:${port}`,
    ws,
    close: () =>
      (closed ??= (async () => {
        await ws.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
