/**
 * Test helpers for the sync server: a real server on 127.0.0.1 port 0 in a temp data dir, stock
 * y-websocket providers as clients, raw `ws` clients for protocol-level tests, and an in-memory
 * authenticator (a Map token -> Principal) for tests that are not about accounts.
 *
 * Tests of the protocol itself write into top-level types the documents do not use (`jobs`, `memo`, `m`):
 * the server checks what lands in the organization's own maps (`bookings`, `settings`, ...) against their
 * schemas and refuses anything else (`core/doc/update-rules.ts`), which those tests are not about.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Authenticator, Principal, Role } from '../../auth/principal';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '../../server';

export const ORG_A = '01900000-0000-7000-8000-00000000000a';
export const ORG_B = '01900000-0000-7000-8000-00000000000b';

export class MapAuthenticator implements Authenticator {
  readonly tokens = new Map<string, Principal>();

  add(token: string, orgId: string, role: Role, userId = `user-${token}`): Principal {
    const principal: Principal = { userId, orgId, role, name: token, email: `${token}@example.com`, tokenId: `tid-${token}` };
    this.tokens.set(token, principal);
    return principal;
  }

  authenticate(token: string): Principal | null {
    return this.tokens.get(token) ?? null;
  }
}

/** Tokens every test server knows: one per role in org A, an admin in org B. */
export function standardAuthenticator(): MapAuthenticator {
  const auth = new MapAuthenticator();
  auth.add('admin-a', ORG_A, 'admin');
  auth.add('dispatcher-a', ORG_A, 'dispatcher');
  auth.add('viewer-a', ORG_A, 'viewer');
  auth.add('tech-a', ORG_A, 'technician');
  auth.add('admin-b', ORG_B, 'admin');
  return auth;
}

export function tempDir(prefix = 'crewline-sync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer {
  server: SyncServer;
  dataDir: string;
  auth: MapAuthenticator;
  wsUrl: string;
  /** Closes the server (and removes the data dir unless `keepDir`). */
  stop(keepDir?: boolean): Promise<void>;
}

export async function startTestServer(
  options: Partial<SyncServerOptions> & { auth?: MapAuthenticator } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const auth = options.auth ?? standardAuthenticator();
  const server = await createSyncServer({ archiveEveryMs: 0, ...options, dataDir, port: options.port ?? 0, authenticator: auth });
  return {
    server,
    dataDir,
    auth,
    wsUrl: `ws://127.0.0.1:${server.port}/sync`,
    async stop(keepDir = false) {
      await server.close();
      if (!keepDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function roomOf(orgId: string, doc: 'roster' | 'schedule'): string {
  return `org/${orgId}/${doc}`;
}

/** A stock y-websocket provider in Node (ws as the WebSocket), no BroadcastChannel. */
export function connectProvider(
  wsUrl: string,
  room: string,
  token: string,
  doc = new Y.Doc(),
  WebSocketClass: typeof WebSocket = WebSocket,
): WebsocketProvider {
  return new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocketClass as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    maxBackoffTime: 200,
  });
}

export function whenSynced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

export async function waitUntil(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The HTTP status an upgrade request gets (101 when the socket opened). */
export function upgradeStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      resolve({ status: 101, body: '' });
      ws.terminate();
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/**
 * Sends a hand-written upgrade request with `target` exactly as given (no URL normalization, which a
 * WebSocket client would apply: `..` resolved, non-ASCII percent-encoded) and returns the status code
 * (0 when the server closed without a status line).
 */
export function rawUpgrade(port: number, target: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('error', reject);
    const head = (text: string) => Buffer.from(text, 'latin1');
    socket.write(
      Buffer.concat([
        head('GET '),
        typeof target === 'string' ? Buffer.from(target, 'utf8') : target,
        head(
          ' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        ),
      ]),
    );
  });
}

/** A raw protocol-level client: records every message, exposes how it was closed. */
export class RawClient {
  readonly messages: Uint8Array[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.messages.push(new Uint8Array(data)));
    ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString('utf8');
        resolve({ code, reason: this.closeReason });
      });
    });
  }

  static async open(wsUrl: string, room: string, token: string): Promise<RawClient> {
    const client = new RawClient(new WebSocket(`${wsUrl}/${room}?token=${encodeURIComponent(token)}`));
    await client.opened;
    return client;
  }

  send(bytes: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(bytes);
  }

  /** Messages whose first varUint is `type`, as decoders positioned after it. */
  ofType(type: number): decoding.Decoder[] {
    return this.messages
      .map((m) => decoding.createDecoder(m))
      .filter((d) => decoding.readVarUint(d) === type);
  }

  async waitFor(check: () => boolean, timeoutMs = 5000, what = 'message'): Promise<void> {
    await waitUntil(check, timeoutMs, what);
  }

  close(): void {
    this.ws.close();
  }
}

export function syncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  return encoding.toUint8Array(e);
}

export function syncUpdate(update: Uint8Array, step: 1 | 2 = 2): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}
