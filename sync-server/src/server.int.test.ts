/**
 * The composed server with its real accounts: sign in over HTTP, sync with the token, revocation closes
 * live connections; /healthz, /metrics, 404; and `npm run server`'s first start and flags.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MapAuthenticator, connectProvider, RawClient, syncStep1, tempDir, upgradeStatus, waitUntil, whenSynced } from './sync/testing/harness';
import { login, spawnServer } from './sync/testing/server-process';
import { createSyncServer, mayReadMetrics, type SyncServer } from './server';

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';

describe('sync server with real accounts', () => {
  let server: SyncServer;
  let dataDir: string;
  let orgA: string;
  let orgB: string;
  const providers: WebsocketProvider[] = [];
  const wsUrl = () => `ws://127.0.0.1:${server.port}/sync`;

  beforeAll(async () => {
    dataDir = tempDir();
    server = await createSyncServer({ dataDir, port: 0, accountOptions: { scrypt: FAST_SCRYPT }, archiveEveryMs: 0 });
    const accounts = server.accounts!;
    orgA = (await accounts.createOrganization({ name: 'A', admin: { email: 'admin@a.test', name: 'Ann', password: PASSWORD } })).org.id;
    orgB = (await accounts.createOrganization({ name: 'B', admin: { email: 'admin@b.test', name: 'Bob', password: PASSWORD } })).org.id;
    await accounts.inviteUser(orgA, { email: 'disp@a.test', name: 'Dee', role: 'dispatcher', password: PASSWORD });
    await accounts.inviteUser(orgA, { email: 'view@a.test', name: 'Vic', role: 'viewer', password: PASSWORD });
    await accounts.inviteUser(orgA, {
      email: 'tech@a.test',
      name: 'Tia',
      role: 'technician',
      providerId: '01900000-0000-7000-8000-0000000000f1',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in over HTTP and syncs with the token; roles and organizations are enforced at the upgrade', async () => {
    const admin = await login(server.url, 'admin@a.test', PASSWORD);
    expect(admin.user.orgId).toBe(orgA);
    const dispatcher = await login(server.url, 'disp@a.test', PASSWORD);
    const tech = await login(server.url, 'tech@a.test', PASSWORD);
    const viewer = await login(server.url, 'view@a.test', PASSWORD);
    const schedule = `org/${orgA}/schedule`;

    const a = connectProvider(wsUrl(), schedule, admin.token);
    const d = connectProvider(wsUrl(), schedule, dispatcher.token);
    providers.push(a, d);
    await Promise.all([whenSynced(a), whenSynced(d)]);
    a.doc.getMap('jobs').set('job-1', { title: 'through real accounts' });
    await waitUntil(() => d.doc.getMap('jobs').has('job-1'));

    const status = async (room: string, token: string) =>
      (await upgradeStatus(`${wsUrl()}/${room}?token=${encodeURIComponent(token)}`)).status;
    expect(await status(`org/${orgB}/schedule`, admin.token)).toBe(403);
    expect(await status(schedule, tech.token)).toBe(403);
    expect(await status(`org/${orgA}/roster`, tech.token)).toBe(403);
    expect(await status(schedule, `${admin.token}x`)).toBe(401);
    expect(await status(`org/${orgA}/roster`, viewer.token)).toBe(101);
    expect(server.rooms.loadCounts.has(`org/${orgB}/schedule`)).toBe(false);
  });

  it('closes live connections whose token is revoked (4401) and refuses the token afterwards (401)', async () => {
    const session = await login(server.url, 'disp@a.test', PASSWORD);
    const other = await login(server.url, 'disp@a.test', PASSWORD);
    const room = `org/${orgA}/roster`;
    const c = await RawClient.open(wsUrl(), room, session.token);
    const keep = await RawClient.open(wsUrl(), room, other.token);
    c.send(syncStep1(new Y.Doc()));
    keep.send(syncStep1(new Y.Doc()));

    const res = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${session.token}` } });
    expect(res.status).toBe(200);
    expect(await c.closed).toEqual({ code: 4401, reason: 'Token revoked' });
    // The same user's other session is still valid and stays open.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(keep.closeCode).toBeNull();
    expect((await upgradeStatus(`${wsUrl()}/${room}?token=${encodeURIComponent(session.token)}`)).status).toBe(401);
    keep.close();
  });

  it('keeps a viewer read-only with a real viewer token', async () => {
    const viewer = await login(server.url, 'view@a.test', PASSWORD);
    const admin = await login(server.url, 'admin@a.test', PASSWORD);
    const room = `org/${orgA}/roster`;
    const v = connectProvider(wsUrl(), room, viewer.token);
    const a = connectProvider(wsUrl(), room, admin.token);
    providers.push(v, a);
    await Promise.all([whenSynced(v), whenSynced(a)]);
    v.doc.getMap('settings').set('name', 'Hijacked');
    a.doc.getMap('settings').set('timeZone', 'Europe/Paris');
    await waitUntil(() => v.doc.getMap('settings').get('timeZone') === 'Europe/Paris');
    expect(server.rooms.get(room)!.doc.getMap('settings').has('name')).toBe(false);
    expect(a.doc.getMap('settings').has('name')).toBe(false);
  });

  it('answers /healthz, /metrics (loopback or admin token) and 404', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { ok: boolean; uptimeS: number };
    expect(body.ok).toBe(true);
    expect(Number.isInteger(body.uptimeS)).toBe(true);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);

    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('crewline_sync_connections')).toBe(server.metrics().connections);
    expect(value('crewline_sync_connections')).toBeGreaterThanOrEqual(2);
    expect(value('crewline_sync_rooms_loaded')).toBe(2);
    expect(value('crewline_sync_updates_applied_total')).toBeGreaterThanOrEqual(2);
    expect(value('crewline_sync_bytes_in_total')).toBeGreaterThan(0);
    expect(value('crewline_sync_bytes_out_total')).toBeGreaterThan(0);
    expect(text).toMatch(/^crewline_sync_updates_rejected_total\{reason="read_only"\} [1-9]/m);
    expect(text).toMatch(/^crewline_sync_upgrades_refused_total\{status="403"\} [1-9]/m);
    expect(text).toMatch(/^crewline_sync_update_rate \d/m);

    const missing = await fetch(`${server.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  });

  it('lets only loopback callers or admins read metrics', async () => {
    const admin = await login(server.url, 'admin@a.test', PASSWORD);
    const dispatcher = await login(server.url, 'disp@a.test', PASSWORD);
    const auth = server.accounts!;
    expect(await mayReadMetrics('127.0.0.1', null, auth)).toBe(true);
    expect(await mayReadMetrics('::1', null, auth)).toBe(true);
    expect(await mayReadMetrics('::ffff:127.0.0.1', null, auth)).toBe(true);
    expect(await mayReadMetrics('10.1.2.3', null, auth)).toBe(false);
    expect(await mayReadMetrics('10.1.2.3', dispatcher.token, auth)).toBe(false);
    expect(await mayReadMetrics('10.1.2.3', 'forged', auth)).toBe(false);
    expect(await mayReadMetrics('10.1.2.3', admin.token, auth)).toBe(true);
    expect(await mayReadMetrics(undefined, null, new MapAuthenticator())).toBe(false);
  });
});

describe('createSyncServer', () => {
  it('rejects when the port is taken, and the server on it carries on', async () => {
    const dataDir = tempDir();
    const auth = new MapAuthenticator();
    const first = await createSyncServer({ dataDir, port: 0, authenticator: auth, archiveEveryMs: 0 });
    try {
      await expect(createSyncServer({ dataDir, port: first.port, authenticator: auth })).rejects.toThrow(/EADDRINUSE/);
      // The first server is unaffected.
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run server (main.ts)', () => {
  it('first start creates an organization and prints a one-time setup code that signs in the first admin', async () => {
    const dataDir = tempDir();
    try {
      const first = await spawnServer(['--port', '0', '--data-dir', dataDir]);
      const output = first.output();
      const setup = /One-time admin setup code for organization ([0-9a-f-]{36}): (\S+)/.exec(output);
      expect(setup, output).not.toBeNull();
      expect(output).toMatch(/Created organization/);
      expect(output.trim().split('\n').at(-1)).toMatch(/^Crewline sync server listening on http:\/\/127\.0\.0\.1:\d+$/);
      const redeemed = await fetch(`${first.url}/api/auth/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: setup![2], email: 'first@example.com', name: 'First', password: PASSWORD }),
      });
      expect(redeemed.status).toBe(201);
      const { token } = (await redeemed.json()) as { token: string };
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);
      const p = connectProvider(`ws://127.0.0.1:${first.port}/sync`, `org/${setup![1]}/roster`, token);
      await whenSynced(p);
      p.destroy();
      expect(await first.stop()).toBe(0);

      // A later start has a user: no new organization, no code.
      const second = await spawnServer(['--port', '0', '--data-dir', dataDir]);
      expect(second.output()).not.toMatch(/setup code|Created organization/);
      expect(await second.stop()).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with a message naming the flag', async () => {
    await expect(spawnServer(['--port', 'eighty'], 20_000)).rejects.toThrow(/exited with 2[\s\S]*--port/);
    await expect(spawnServer(['--admin-email', 'a@b.c'], 20_000)).rejects.toThrow(/--admin-email and --admin-password go together/);
    await expect(spawnServer(['--bogus'], 20_000)).rejects.toThrow(/exited with 2[\s\S]*bogus/);
  });
});
