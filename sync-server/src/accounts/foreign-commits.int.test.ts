/**
 * Revocations made by other processes reach open sockets: a real server, sync sockets of real accounts,
 * and the change made by `npm run server:admin` in a child process or by a second AccountStore on the same
 * accounts.sqlite. Each socket must close within a second of the commit, measured from the moment a
 * reader polling the file every 10 ms first sees the change (so no later than 10 ms after the commit).
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_POLICY } from '../sync/connection';
import { RawClient, syncStep1, tempDir } from '../sync/testing/harness';
import { login } from '../sync/testing/server-process';
import { CLOSE_TOKEN_REVOKED, createSyncServer, type SyncServer } from '../server';
import { ACCOUNTS_FILE, AccountStore } from './account-store';

const ROOT = resolve(import.meta.dirname, '../../..');
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';

/** `npm run server:admin -- <args>` as an operator runs it, next to the live server. */
function adminCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npm', ['run', '--silent', 'server:admin', '--', ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Polls accounts.sqlite read-only until `seen` holds; resolves with the time it was first seen. */
async function firstSeen(dataDir: string, seen: (db: Database.Database) => boolean): Promise<number> {
  const db = new Database(join(dataDir, ACCOUNTS_FILE), { readonly: true });
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (seen(db)) return Date.now();
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the change never reached accounts.sqlite');
  } finally {
    db.close();
  }
}

describe('revocations committed by other processes', () => {
  let server: SyncServer;
  let dataDir: string;
  let orgId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = tempDir('crewline-foreign-');
    server = await createSyncServer({ dataDir, port: 0, accountOptions: { scrypt: FAST_SCRYPT }, archiveEveryMs: 0, notifications: false });
    const accounts = server.accounts!;
    orgId = (await accounts.createOrganization({ name: 'A', admin: { email: 'admin@a.test', name: 'Ann', password: PASSWORD } })).org.id;
    for (const [key, role] of [['reset', 'dispatcher'], ['disabled', 'dispatcher'], ['demoted', 'dispatcher'], ['bystander', 'viewer']] as const) {
      ids[key] = (await accounts.inviteUser(orgId, { email: `${key}@a.test`, name: key, role, password: PASSWORD })).user.id;
    }
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async (email: string): Promise<RawClient> => {
    const { token } = await login(server.url, email, PASSWORD);
    const client = await RawClient.open(`ws://127.0.0.1:${server.port}/sync`, `org/${orgId}/schedule`, token);
    client.send(syncStep1(new Y.Doc()));
    await client.waitFor(() => client.messages.length > 0, 5000, 'the server’s handshake');
    return client;
  };

  it('a password reset by the admin CLI closes the user’s socket with 4401 within a second; others stay', async () => {
    const victim = await open('reset@a.test');
    const bystander = await open('bystander@a.test');
    // An unrelated commit by the CLI makes the server recheck, and closes nothing.
    const added = await adminCli(['add-user', '--org', orgId, '--email', 'new@a.test', '--name', 'New', '--role', 'viewer', '--password', 'another pass 1', '--data-dir', dataDir]);
    expect(added.code, added.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(victim.closeCode).toBeNull();

    const run = adminCli(['reset-password', '--email', 'reset@a.test', '--password', 'brand new pass 9', '--data-dir', dataDir]);
    const committedBy = await firstSeen(dataDir, (db) =>
      db.prepare('SELECT count(*) FROM tokens WHERE user_id = ? AND revoked_at IS NULL').pluck().get(ids.reset) === 0,
    );
    const closed = await victim.closed;
    const closedAt = Date.now();
    expect(closed).toEqual({ code: CLOSE_TOKEN_REVOKED, reason: 'Token revoked' });
    expect(closedAt - committedBy).toBeLessThan(1000);
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(bystander.closeCode).toBeNull();
    bystander.close();
  });

  it('disabling (4401) and a role change (1008, reconnect into the new rights) through a second AccountStore', async () => {
    const disabled = await open('disabled@a.test');
    const demoted = await open('demoted@a.test');
    const other = AccountStore.open(dataDir, { scrypt: FAST_SCRYPT });
    try {
      await other.updateUser(orgId, ids.disabled!, { disabled: true });
      const disabledSeen = await firstSeen(dataDir, (db) => db.prepare('SELECT disabled FROM users WHERE id = ?').pluck().get(ids.disabled) === 1);
      expect(await disabled.closed).toEqual({ code: CLOSE_TOKEN_REVOKED, reason: 'Token revoked' });
      expect(Date.now() - disabledSeen).toBeLessThan(1000);
      expect(demoted.closeCode).toBeNull();

      await other.updateUser(orgId, ids.demoted!, { role: 'viewer' });
      const demotedSeen = await firstSeen(dataDir, (db) => db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(ids.demoted) === 'viewer');
      expect(await demoted.closed).toEqual({ code: CLOSE_POLICY, reason: 'Access changed' });
      expect(Date.now() - demotedSeen).toBeLessThan(1000);
    } finally {
      await other.close();
    }
  });
});
