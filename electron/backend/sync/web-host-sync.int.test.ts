// The web host's sync wiring end to end: the console's own WebSocket client signs in and links through the
// API, the status arrives as events, and a restarted web host resumes syncing without a new sign-in.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { SyncStatus } from '../../../core/sync/client-status';
import { createWebSocketClient, type SocketConstructor } from '../../../renderer/src/api/ws-client';
import type { ConsoleClient } from '../../../renderer/src/api/types';
import { tempDir } from '../store/testing/temp-dir';
import { startWebHost, type WebHost } from '../web-host';
import { TOKEN_FILE } from './token-vault';
import { openDesktop, startSyncServer, waitFor } from './testing/sync-harness';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function connect(host: WebHost): ConsoleClient {
  const url = `ws://127.0.0.1:${host.port}/api?token=${host.token}`;
  const client = createWebSocketClient({ url, WebSocket: globalThis.WebSocket as unknown as SocketConstructor });
  cleanups.push(() => client.close());
  return client;
}

it('signs in and links over the web host’s API, and resumes syncing after the web host restarts', async () => {
  const server = await startSyncServer();
  cleanups.push(() => server.dispose());
  const desk = await openDesktop('a');
  cleanups.push(() => desk.dispose());
  desk.store.execute('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  await desk.signIn(server, 'ana', 'upload');

  const tmp = tempDir('crewline-web-sync-');
  cleanups.push(tmp.cleanup);
  const outDir = join(tmp.dir, 'out');
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Crewline</title>');
  const dataDir = join(tmp.dir, 'data');
  const start = () => startWebHost({ dataDir, outDir, build: 'never', demoDate: '2026-11-24' });

  let host = await start();
  let client = connect(host);
  const statuses: SyncStatus[] = [];
  client.on('sync:statusChanged', (s) => statuses.push(s));
  expect(await client.request('sync:getStatus', {})).toMatchObject({ ok: true, value: { state: 'signed-out', linked: false } });
  const signedIn = await client.request('sync:signIn', { serverUrl: server.url, email: 'bo@northwind.example', password: 'bo-password' });
  // The web host seeded the demo company: not empty, and the organization is not either.
  expect(signedIn).toMatchObject({ ok: true, value: { needsLink: true, orgEmpty: false, localEmpty: false } });
  const linked = await client.request('sync:link', { mode: 'replace' });
  expect(linked.ok && existsSync(linked.value.backupPath!)).toBe(true);
  await waitFor(() => statuses.at(-1)?.state === 'synced', 'synced event over the web host');
  expect(statuses.at(-1)).toMatchObject({ pending: 0, linked: true, user: { name: 'Bo', role: 'dispatcher' } });
  expect(existsSync(join(dataDir, TOKEN_FILE))).toBe(true);
  await host.close();

  // While the web host is down, another desktop adds a job.
  const created = desk.store.execute('createBooking', { title: 'Added while the web host was down' });
  if (!created.ok) throw new Error(created.error.message);

  host = await start();
  cleanups.push(() => host.close());
  client = connect(host);
  // No sign-in this time: the link and the kept token are enough.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = await client.request('sync:getStatus', {});
    if (status.ok && status.value.state === 'synced') break;
    if (Date.now() > deadline) throw new Error(`not resumed: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const jobs = await client.request('bookings:list', { text: 'web host was down' });
  expect(jobs.ok && jobs.value.map((b) => b.id)).toEqual([created.value.id]);
  const settings = await client.request('settings:get', {});
  expect(settings.ok && settings.value.name).toBe('Northwind');
});
