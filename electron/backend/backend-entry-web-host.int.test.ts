// The web host with its backend in a worker thread (issue 22): while the backend decodes the schedule
// document (made to take 2 s here), the HTTP thread serves files and the board's reads answer from the read
// tables; a backend that dies is restarted on the same data folder with every commit kept.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSocketClient, type SocketConstructor } from '../../renderer/src/api/ws-client';
import type { ConsoleClient } from '../../renderer/src/api/types';
import { tempDir } from './store/testing/temp-dir';
import { startWebHost, type WebHost } from './web-host';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const WEEK = { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' };
const NOW = Date.parse('2026-11-24T15:00:00Z');

function setUp() {
  const tmp = tempDir('crewline-web-worker-');
  cleanups.push(() => tmp.cleanup());
  const outDir = join(tmp.dir, 'out');
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Crewline</title>');
  return { dataDir: join(tmp.dir, 'data'), outDir };
}

async function host(options: Parameters<typeof startWebHost>[0]): Promise<WebHost> {
  const started = await startWebHost({ build: 'never', demoDate: '2026-11-24', nowMs: NOW, ...options });
  cleanups.push(() => started.close());
  return started;
}

function connect(h: WebHost): ConsoleClient {
  const client = createWebSocketClient({
    url: `ws://127.0.0.1:${h.port}/api?token=${h.token}`,
    WebSocket: globalThis.WebSocket as unknown as SocketConstructor,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
  });
  cleanups.push(() => client.close());
  return client;
}

const until = async (check: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('web host with the backend in a worker thread', () => {
  it('serves files and answers the board from the read tables during a 2 s document load', async () => {
    const dirs = setUp();
    const seeding = await host(dirs);
    await seeding.backend.loaded;
    const expected = await connect(seeding).request('board:getRange', WEEK);
    expect(expected.ok && expected.value.bookings.length).toBeGreaterThan(0);
    await seeding.close();

    const h = await host({ ...dirs, loadDelayMs: 2000 });
    const api = connect(h);
    await until(() => h.backend.loading);
    const page = await fetch(`http://127.0.0.1:${h.port}/`);
    expect(page.status).toBe(200);
    const board = await api.request('board:getRange', WEEK);
    const settings = await api.request('settings:get', {});
    expect(h.backend.loading).toBe(true); // answered while the load still held the backend
    expect(board.ok && board.value).toEqual(expected.ok && expected.value);
    expect(settings.ok).toBe(true);
    await h.backend.loaded;
    expect(h.backend.loading).toBe(false);
  });

  it('restarts a backend that died; the page is disconnected meanwhile, then reconnects to everything committed', async () => {
    const dirs = setUp();
    const logs: string[] = [];
    const h = await host({ ...dirs, seedDemo: false, log: (line) => logs.push(line) });
    const api = connect(h);
    expect((await api.request('commands:run', { name: 'initializeOrganization', input: { name: 'Acme', timeZone: 'America/Chicago' } })).ok).toBe(true);
    expect((await api.request('commands:run', { name: 'createProvider', input: { name: 'Ana Silva' } })).ok).toBe(true);

    const connection: boolean[] = [];
    api.onConnectionChange((up) => connection.push(up));
    await h.backend.worker.terminate();
    await until(() => h.backend.state === 'stopped');
    // The page is told it is cut off (it shows itself disconnected), and cannot reconnect until the backend is back.
    await until(() => !api.connected);
    const during = await api.request('providers:list', {});
    expect(!during.ok && during.error.message).toMatch(/^Disconnected from the backend|^The backend stopped: /);

    await until(() => h.backend.state === 'running');
    await until(() => api.connected);
    expect(connection.slice(0, 2)).toEqual([false, true]);
    expect(logs.some((line) => line.startsWith('The backend stopped: ') && line.endsWith('Restarting it ...'))).toBe(true);
    const back = await api.request('providers:list', {});
    expect(back.ok && back.value.map((p) => p.name)).toEqual(['Ana Silva']);
  });
});
