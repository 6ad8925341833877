/**
 * The sign-in throttle against a real server over real HTTP: parallel wrong passwords for one email are
 * counted before scrypt runs, so only the allowed number reach the password check and the rest are
 * refused at once with 429 and Retry-After.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../../core/clock';
import { createSyncServer, type SyncServer } from '../server';
import { tempDir } from '../sync/testing/harness';

// Every password check the server makes, counted where scrypt is called.
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('./passwords', async (importOriginal) => {
  const original = await importOriginal<typeof import('./passwords')>();
  return {
    ...original,
    verifyPassword: (password: string, stored: string) => {
      checks.count++;
      return original.verifyPassword(password, stored);
    },
  };
});

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';
const WINDOW_MS = 15 * 60_000;

describe('sign-in throttle on a real server', () => {
  let server: SyncServer;
  let dataDir: string;
  const clock = manualClock(Date.parse('2026-11-24T14:00:00Z'));

  beforeAll(async () => {
    dataDir = tempDir('crewline-throttle-');
    server = await createSyncServer({
      dataDir,
      port: 0,
      clock: clock.now,
      accountOptions: { scrypt: FAST_SCRYPT },
      archiveEveryMs: 0,
      notifications: false,
    });
    await server.accounts!.createOrganization({ name: 'A', admin: { email: 'admin@a.test', name: 'Ann', password: PASSWORD } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const login = (password: string, email = 'admin@a.test') =>
    fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('20 parallel wrong passwords: five reach scrypt, fifteen get 429 with Retry-After; the right one works after the window', async () => {
    checks.count = 0;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`guess number ${i}`)));
    const bodies = await Promise.all(replies.map((r) => r.json() as Promise<{ error: { code: string; message: string } }>));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(checks.count).toBe(5);
    replies.forEach((reply, i) => {
      if (reply.status !== 429) return;
      expect(bodies[i]!.error.code).toBe('too_many_attempts');
      expect(bodies[i]!.error.message).toBe('Too many failed sign-ins; try again in 15 min');
      const retryAfter = Number(reply.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    });

    // Locked even with the right password, without a password check.
    const locked = await login(PASSWORD);
    expect(locked.status).toBe(429);
    expect(checks.count).toBe(5);

    clock.advance(WINDOW_MS);
    const after = await login(PASSWORD);
    expect(after.status, await after.clone().text()).toBe(200);
    expect(((await after.json()) as { user: { email: string } }).user.email).toBe('admin@a.test');
    expect(checks.count).toBe(6);
    // The success cleared the count: a wrong password is an ordinary 401 again.
    expect((await login('one more guess')).status).toBe(401);
  });

  it('a restart keeps the count: a locked sign-in stays locked on the same data folder', async () => {
    const email = 'second@a.test';
    for (let i = 0; i < 5; i++) expect((await login(`guess ${i}`, email)).status).toBe(401);
    expect((await login('guess 5', email)).status).toBe(429);
    await server.close();
    server = await createSyncServer({ dataDir, port: 0, clock: clock.now, accountOptions: { scrypt: FAST_SCRYPT }, archiveEveryMs: 0, notifications: false });
    const after = await login('guess 6', email);
    expect(after.status).toBe(429);
    expect(Number(after.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(WINDOW_MS);
    expect((await login('guess 7', email)).status).toBe(401);
  });
});
