// The renderer's WebSocket client (renderer/src/api/ws-client.ts) under Node, against the real server and
// against a misbehaving one. Node 24's global WebSocket stands in for the browser's.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createWebSocketClient, DISCONNECTED, type SocketConstructor } from '../../../renderer/src/api/ws-client';
import type { ConsoleClient } from '../../../renderer/src/api/types';
import { BackendApi } from '../api/backend-api';
import { tempDir } from '../store/testing/temp-dir';
import { openWorkspace } from '../workspace';
import { createSessionToken, startApiServer } from './ws-server';

const NodeWebSocket = globalThis.WebSocket as unknown as SocketConstructor;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function realServer() {
  const tmp = tempDir();
  const { store } = openWorkspace({ dataDir: tmp.dir });
  const token = createSessionToken();
  const server = await startApiServer({ api: new BackendApi(store, { version: 'test', transport: 'websocket' }), token });
  cleanups.push(async () => {
    await server.close();
    store.close();
    tmp.cleanup();
  });
  return { server, url: `ws://127.0.0.1:${server.port}/api?token=${token}` };
}

function client(url: string): ConsoleClient {
  const c = createWebSocketClient({ url, WebSocket: NodeWebSocket, initialBackoffMs: 20, maxBackoffMs: 100 });
  cleanups.push(() => c.close());
  return c;
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('renderer WebSocket client', () => {
  it('sends requests made before the socket opens, types results and delivers events', async () => {
    const { url } = await realServer();
    const api = client(url);
    expect(api.transport).toBe('websocket');
    // Issued at once, while still connecting.
    const init = await api.request('commands:run', { name: 'initializeOrganization', input: { name: 'Acme', timeZone: 'America/Chicago' } });
    expect(init.ok).toBe(true);
    expect(api.connected).toBe(true);

    const roster: string[][] = [];
    const off = api.on('roster:changed', (payload) => roster.push(payload.ids));
    const created = await api.request('commands:run', { name: 'createProvider', input: { name: 'Ana Silva' } });
    expect(created.ok).toBe(true);
    const providers = await api.request('providers:list', {});
    if (!providers.ok) throw new Error(providers.error.message);
    expect(providers.value.map((p) => p.name)).toEqual(['Ana Silva']);
    await until(() => roster.length === 1);
    expect(roster[0]).toContain(providers.value[0]!.id);

    off();
    await api.request('commands:run', { name: 'createProvider', input: { name: 'Bo Chen' } });
    await api.request('settings:get', {}); // events precede later answers on the same socket
    expect(roster).toHaveLength(1);

    const invalid = await api.request('bookings:get', { id: '' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { id: expect.any(String) } } });
  });

  it('answers "Disconnected" to requests in flight when the socket drops, then reconnects', async () => {
    // A server that drops the first connection on its first frame and answers on the next ones.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    let connections = 0;
    wss.on('connection', (ws) => {
      const n = ++connections;
      ws.on('message', (data) => {
        const { id } = JSON.parse(String(data)) as { id: number };
        if (n === 1) ws.terminate();
        else ws.send(JSON.stringify({ id, result: { ok: true, value: `answer from connection ${n}` } }));
      });
    });
    const api = client(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`);
    const states: boolean[] = [];
    api.onConnectionChange((up) => states.push(up));

    const [first, second] = await Promise.all([api.request('settings:get', {}), api.request('customers:list', {})]);
    expect(first).toEqual(DISCONNECTED);
    expect(second).toEqual({ ok: false, error: { code: 'internal', message: 'Disconnected from the backend' } });
    expect(await api.request('settings:get', {})).toEqual({ ok: true, value: 'answer from connection 2' });
    expect(connections).toBe(2);
    expect(states).toEqual([true, false, true]);
  });

  it('fails requests while the token is refused, and stops for good on close()', async () => {
    const { server } = await realServer();
    const api = client(`ws://127.0.0.1:${server.port}/api?token=wrong`);
    expect(await api.request('settings:get', {})).toEqual(DISCONNECTED);
    expect(api.connected).toBe(false);
    api.close();
    expect(await api.request('settings:get', {})).toEqual(DISCONNECTED);
    await new Promise((r) => setTimeout(r, 150)); // longer than the backoff: no reconnect after close
    expect(server.ws.clientCount).toBe(0);
  });
});
