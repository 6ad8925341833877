/**
 * Accounts across nodes (issue 23, 1 and 2): two `npm run server` processes on one PostgreSQL and one Redis,
 * each with its OWN data directory, so nothing reaches the other node through local files. An invite made
 * on node A is redeemed on node B, its user signs in on B, and a password reset through node A closes
 * that user's socket on B; the admin CLI works on the shared database and its reset reaches B too.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACCOUNTS_FILE } from '../accounts/account-store';
import { CLOSE_TOKEN_REVOKED } from '../server';
import { RawClient, syncStep1, tempDir } from '../sync/testing/harness';
import { login, spawnServer, type ServerProcess } from '../sync/testing/server-process';
import { postgresAndRedisForFile } from './testing/engines-for-file';

const ROOT = resolve(import.meta.dirname, '../../..');
const PASSWORD = 'correct horse battery staple';

const engines = postgresAndRedisForFile();

async function call(url: string, path: string, token: string | null, json?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function socket(node: ServerProcess, room: string, token: string): Promise<RawClient> {
  const client = await RawClient.open(`ws://127.0.0.1:${node.port}/sync`, room, token);
  client.send(syncStep1(new Y.Doc()));
  await client.waitFor(() => client.messages.length > 0, 10_000, 'the server’s handshake');
  return client;
}

function adminCli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'sync-server/src/admin-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, CREWLINE_DATA_DIR: '' }, timeout: 60_000 }, (error, _out, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
    );
  });
}

it('invite on A, redeem and sign in on B, a reset through A (or the admin CLI) closes the socket on B', async () => {
  const [dirA, dirB, dirCli] = [tempDir(), tempDir(), tempDir()];
  const databaseUrl = await engines.postgres.createDatabase();
  const shared = ['--port', '0', '--database-url', databaseUrl, '--redis-url', engines.redis.url];
  const nodes: ServerProcess[] = [];
  const clients: RawClient[] = [];
  try {
    nodes.push(await spawnServer([...shared, '--data-dir', dirA, '--admin-email', 'admin@nodes.test', '--admin-password', PASSWORD]));
    nodes.push(await spawnServer([...shared, '--data-dir', dirB]));
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    // Neither node keeps accounts in its data directory.
    expect(existsSync(join(dirA, ACCOUNTS_FILE)) || existsSync(join(dirB, ACCOUNTS_FILE))).toBe(false);

    const admin = await login(a.url, 'admin@nodes.test', PASSWORD);
    const invited = await call(a.url, '/api/admin/users', admin.token, { email: 'dora@nodes.test', name: 'Dora', role: 'dispatcher' });
    expect(invited.status).toBe(201);
    const userId = (invited.body.user as { id: string }).id;
    const redeemed = await call(b.url, '/api/auth/redeem-invite', null, { code: invited.body.inviteCode, password: 'dora on node b' });
    expect(redeemed.status).toBe(200);
    // The same code is used up for node A too.
    expect((await call(a.url, '/api/auth/redeem-invite', null, { code: invited.body.inviteCode, password: 'someone else' })).body).toMatchObject({
      error: { code: 'code_used', field: 'code' },
    });
    const dora = await login(b.url, 'dora@nodes.test', 'dora on node b');
    expect(dora.user).toMatchObject({ id: userId, role: 'dispatcher' });
    expect((await call(a.url, '/api/auth/me', dora.token)).body).toMatchObject({ user: { id: userId } });

    const room = `org/${admin.user.orgId}/schedule`;
    const onB = await socket(b, room, dora.token);
    const adminOnB = await socket(b, room, admin.token);
    clients.push(onB, adminOnB);

    // A password reset through node A: the admin hands over a fresh code, Dora redeems it on A.
    const reset = await call(a.url, `/api/admin/users/${userId}/invite-code`, admin.token, {});
    expect(reset.status).toBe(200);
    const started = Date.now();
    expect((await call(a.url, '/api/auth/redeem-invite', null, { code: reset.body.inviteCode, password: 'dora reset on a' })).status).toBe(200);
    expect(await onB.closed).toEqual({ code: CLOSE_TOKEN_REVOKED, reason: 'Token revoked' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await call(b.url, '/api/auth/me', dora.token)).status).toBe(401);

    // The admin CLI on the shared database (its own empty data dir): the reset reaches node B's socket too.
    const again = await login(b.url, 'dora@nodes.test', 'dora reset on a');
    const second = await socket(b, room, again.token);
    clients.push(second);
    const run = await adminCli(['reset-password', '--email', 'dora@nodes.test', '--password', 'reset by the cli', '--data-dir', dirCli, '--database-url', databaseUrl]);
    expect(run.code, run.stderr).toBe(0);
    expect(await second.closed).toEqual({ code: CLOSE_TOKEN_REVOKED, reason: 'Token revoked' });
    await login(a.url, 'dora@nodes.test', 'reset by the cli');
    expect(existsSync(join(dirCli, ACCOUNTS_FILE))).toBe(false);
    // Nobody else was signed out.
    expect(adminOnB.closeCode).toBeNull();
  } finally {
    for (const c of clients) c.close();
    for (const node of nodes) await node.stop();
    for (const dir of [dirA, dirB, dirCli]) rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
