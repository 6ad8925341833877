import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '../../../core/index';
import { BackendApi } from '../api/backend-api';
import { tempDir } from '../store/testing/temp-dir';
import { openWorkspace } from '../workspace';
import { createSessionToken, MAX_FRAME_BYTES, startApiServer, TOKEN_PROTOCOL_PREFIX } from './ws-server';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(unavailable?: () => string | null) {
  const tmp = tempDir();
  const { store } = openWorkspace({ dataDir: tmp.dir });
  const api = new BackendApi(store, { version: 'test', transport: 'websocket' });
  const token = createSessionToken();
  const server = await startApiServer({ api, token, ...(unavailable ? { unavailable } : {}) });
  cleanups.push(async () => {
    await server.close();
    store.close();
    tmp.cleanup();
  });
  return { server, token, api: `ws://127.0.0.1:${server.port}/api`, origin: server.origin };
}

type Message = { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };

interface Conn {
  ws: WebSocket;
  events: Message[];
  request(name: string, input?: unknown): Promise<Result<unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]): Promise<Conn> {
  const ws = new WebSocket(url, protocols, options);
  const waiting = new Map<number, (r: Result<unknown>) => void>();
  const events: Message[] = [];
  let nextId = 1;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Message;
    if (message.event) events.push(message);
    else if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        events,
        closed,
        request: (name, input) =>
          new Promise((done) => {
            const id = nextId++;
            waiting.set(id, done);
            ws.send(JSON.stringify({ id, name, input }));
          }),
      }),
    );
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Resolves with the HTTP status of a refused upgrade; fails the test if the socket opened. */
function refusal(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

const must = async <T>(p: Promise<Result<unknown>>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};

async function seed(conn: Conn) {
  const run = (name: string, input: unknown) => must<{ id: string }>(conn.request('commands:run', { name, input }));
  await run('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
  const ana = (await run('createProvider', { name: 'Ana Silva' })).id;
  const slot = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] };
  const job = (await run('createBooking', { title: 'AC repair', slot })).id;
  return { ana, job, slot };
}

const waitFor = async (check: () => boolean, ms = 2000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('WebSocket transport', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { server } = await setup();
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
  });

  it('refuses a missing or wrong token with 401 before the upgrade', async () => {
    const { api, token } = await setup();
    expect(await refusal(api)).toBe(401);
    expect(await refusal(`${api}?token=`)).toBe(401);
    expect(await refusal(`${api}?token=${createSessionToken()}`)).toBe(401);
    expect(await refusal(`${api}?token=${token.slice(0, -1)}`)).toBe(401);
    expect(await refusal(api, {}, [`${TOKEN_PROTOCOL_PREFIX}${createSessionToken()}`])).toBe(401);
    // The same token in the Sec-WebSocket-Protocol header is accepted.
    const conn = await connect(api, {}, ['crewline.v1', `${TOKEN_PROTOCOL_PREFIX}${token}`]);
    expect(conn.ws.protocol).toBe('crewline.v1');
    conn.ws.close();
  });

  it('refuses other origins, other Host names (DNS rebinding) and other paths', async () => {
    const { api, token, origin, server } = await setup();
    expect(await refusal(`${api}?token=${token}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await refusal(`${api}?token=${token}`, { origin: 'null' })).toBe(403);
    expect(await refusal(`${api}?token=${token}`, { origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await refusal(`${api}?token=${token}`, { headers: { Host: `evil.example:${server.port}` } })).toBe(403);
    expect(await refusal(`ws://127.0.0.1:${server.port}/other?token=${token}`)).toBe(404);
    for (const own of [origin, `http://localhost:${server.port}`]) {
      const conn = await connect(`${api}?token=${token}`, { origin: own });
      conn.ws.close();
    }
    expect(server.ws.clientCount).toBeLessThanOrEqual(2);
  });

  it('while the backend is unavailable: open connections close with 1013 and the reason, upgrades get 503', async () => {
    let down: string | null = null;
    const { server, token, api } = await setup(() => down);
    const conn = await connect(`${api}?token=${token}`);
    down = 'The backend stopped: out of memory';
    server.ws.disconnectAll(down);
    expect(await conn.closed).toEqual({ code: 1013, reason: 'The backend stopped: out of memory' });
    expect(await refusal(`${api}?token=${token}`)).toBe(503);
    down = null;
    const again = await connect(`${api}?token=${token}`);
    expect((await again.request('settings:get', {})).ok).toBe(true);
  });

  it('round-trips requests, reports field-level validation errors and unknown requests', async () => {
    const { api, token } = await setup();
    const conn = await connect(`${api}?token=${token}`);
    const { ana } = await seed(conn);
    const providers = await must<Array<{ id: string; name: string }>>(conn.request('providers:list', {}));
    expect(providers.map((p) => [p.id, p.name])).toEqual([[ana, 'Ana Silva']]);

    const invalid = await conn.request('board:getRange', { from: 'yesterday', to: '2026-11-25T06:00:00Z' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { from: expect.any(String) } } });
    const badCommand = await conn.request('commands:run', { name: 'createProvider', input: { name: '' } });
    expect(badCommand).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { name: expect.any(String) } } });
    expect(await conn.request('fs:readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    // Missing input is an empty object, as with IPC.
    expect(await conn.request('settings:get')).toMatchObject({ ok: true, value: { name: 'Acme' } });
    expect(conn.ws.readyState).toBe(WebSocket.OPEN);
    conn.ws.close();
  });

  it('pushes backend events to every connection', async () => {
    const { api, token } = await setup();
    const a = await connect(`${api}?token=${token}`);
    const b = await connect(`${api}?token=${token}`);
    const { job, slot } = await seed(a);
    await waitFor(() => b.events.some((e) => e.event === 'schedule:changed'));
    expect(b.events.find((e) => e.event === 'roster:changed')).toBeDefined();

    const staged = await a.request('draft:stage', { id: job, slot: { ...slot, start: '2026-11-24T16:00:00Z', end: '2026-11-24T18:00:00Z' } });
    expect(staged).toEqual({ ok: true, value: { stagedCount: 1 } });
    for (const conn of [a, b]) {
      await waitFor(() => conn.events.some((e) => e.event === 'draft:changed'));
      expect(conn.events.filter((e) => e.event === 'draft:changed').map((e) => e.payload)).toEqual([{ stagedCount: 1 }]);
    }
    a.ws.close();
    b.ws.close();
  });

  it.each([
    ['garbage text', 'not json {', 1008, /not JSON/],
    ['an empty object', '{}', 1008, /id/],
    ['an array', '[1, "providers:list", {}]', 1008, /object/],
    ['a string id', '{"id":"1","name":"providers:list","input":{}}', 1008, /id/],
    ['a missing name', '{"id":1,"input":{}}', 1008, /name/],
    ['a binary frame', Buffer.from('{"id":1,"name":"providers:list","input":{}}'), 1003, /Binary/],
    ['a frame over 1 MiB', JSON.stringify({ id: 1, name: 'search:query', input: { text: 'x'.repeat(MAX_FRAME_BYTES) } }), 1009, /./],
  ])('closes only the connection that sent %s', async (_what, frame, code, reason) => {
    const { api, token, server } = await setup();
    const bad = await connect(`${api}?token=${token}`);
    const good = await connect(`${api}?token=${token}`);
    await seed(good);
    bad.ws.send(frame);
    const closed = await bad.closed;
    expect(closed.code).toBe(code);
    if (code !== 1009) expect(closed.reason).toMatch(reason);
    // The other client is untouched and the server still accepts new ones.
    expect(await good.request('providers:list', {})).toMatchObject({ ok: true, value: [{ name: 'Ana Silva' }] });
    const again = await connect(`${api}?token=${token}`);
    expect(await again.request('customers:list', {})).toEqual({ ok: true, value: [] });
    expect(server.ws.clientCount).toBe(2);
    good.ws.close();
    again.ws.close();
  });

  it('survives a client that resets its socket mid-handshake', async () => {
    const { server } = await setup();
    const { connect: tcp } = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = tcp(server.port, '127.0.0.1', () => {
        socket.write(`GET /api HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`);
        socket.resetAndDestroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.server.listening).toBe(true);
  });
});
