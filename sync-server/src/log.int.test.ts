/**
 * The server's structured log from outside (issue 22): a failed sign-in and a failed delivery each give one
 * line that says what happened, with no password, token, address contents or message body in any line.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSyncServer, type SyncServer } from './server';
import { captureLog } from './testing/capture-log';
import { startOrgRig, type OrgRig } from './sync/testing/org-rig';
import { tempDir } from './sync/testing/harness';

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };


const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('structured server log', () => {
  it('a failed sign-in: one login_failed line with the email and address, never the password; every request logged', async () => {
    const { log, lines, entries } = captureLog('info');
    const dataDir = tempDir('crewline-log-');
    const server: SyncServer = await createSyncServer({ dataDir, port: 0, accountOptions: { scrypt: FAST_SCRYPT }, archiveEveryMs: 0, notifications: false, log });
    cleanups.push(async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await server.accounts!.createOrganization({ name: 'A', admin: { email: 'admin@a.test', name: 'Ann', password: 'the right one 42' } });
    const password = 'wrong guess 7319';
    const reply = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@a.test', password }),
    });
    expect(reply.status).toBe(401);
    // A sync connection with a token nobody issued: refused and logged, the token left out.
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/org/x/schedule?token=not-a-token-9931`);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
    expect(entries().find((e) => e.event === 'upgrade_refused')).toMatchObject({ level: 'warn', status: 401, path: '/sync/org/x/schedule' });

    const failed = entries().filter((e) => e.event === 'login_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'warn', code: 'invalid_credentials', email: 'admin@a.test' });
    expect(typeof failed[0]!.ip).toBe('string');
    expect(entries().find((e) => e.event === 'http')).toMatchObject({ method: 'POST', path: '/api/auth/login', status: 401 });
    for (const line of lines) {
      expect(line).not.toContain(password);
      expect(line).not.toContain('not-a-token-9931');
    }
  });

  it('a failed delivery: one notification_attempt line per message with its outcome, never the text or address', async () => {
    const { log, lines, entries } = captureLog('info');
    const failing = {
      describe: 'failing-test-channel',
      async send() {
        return { ok: false as const, retryable: false, error: '550 mailbox unavailable' };
      },
    };
    let rig: OrgRig | null = null;
    rig = await startOrgRig({
      log,
      notifications: { tickMs: 0, batchWindowMs: 0, senders: { email: failing, sms: failing, chat: failing } },
    });
    cleanups.push(async () => {
      rig?.admin.disconnect();
      await rig?.t.stop();
    });
    for (let pass = 0; pass < 5; pass++) await rig.t.server.notifications!.worker.runOnce();
    const dead = entries().filter((e) => e.event === 'notification_attempt' && e.outcome === 'dead');
    expect(dead.length).toBeGreaterThan(0);
    // One line per failed message: each id once.
    expect(new Set(dead.map((e) => e.id)).size).toBe(dead.length);
    for (const e of dead) expect(e).toMatchObject({ level: 'error', via: 'failing-test-channel', error: '550 mailbox unavailable', attempt: 1 });
    for (const line of lines) {
      expect(line).not.toContain('Furnace at Dawson'); // the job's title is in every message body
      expect(line).not.toMatch(/@northwind|@example\.com/i);
    }
  });
});
