// Sync in the desktop's log (issue 22), against a real sync server: a wrong password is one structured
// line naming who and why, with neither the password nor a token; a sign-in that works logs the sign-in
// and the connection, and the token it got never reaches the file.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Result } from '../../../core/index';
import { openBackend } from '../backend-entry';
import { openFileLogger, type LogEntry } from '../log';
import { tempDir } from '../store/testing/temp-dir';
import { startSyncServer, type TestSyncServer } from './testing/sync-harness';
import { FileTokenVault } from './token-vault';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A client of the backend over a real MessagePort, as the web host's and the desktop's are. */
function client(port: MessagePort) {
  let nextId = 1;
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  port.on('message', (message: { id?: number; result?: Result<unknown> }) => {
    if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
  });
  return (name: string, input: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      port.postMessage({ id, name, input });
    });
}

const entries = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);

const until = async (check: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('sync in the log file', () => {
  let server: TestSyncServer;

  it('a wrong password: one line with who and why, no password, no token; a right one: signed in and connected, no token', async () => {
    server = await startSyncServer();
    cleanups.push(() => server.dispose());
    const tmp = tempDir('crewline-sync-log-');
    cleanups.push(tmp.cleanup);
    const logger = openFileLogger(tmp.dir, { source: 'backend' });
    const backend = openBackend({ dataDir: tmp.dir, info: { version: 'test', transport: 'ipc' }, logger });
    cleanups.push(() => backend.close());
    backend.start();
    const { port1, port2 } = new MessageChannel();
    backend.serve(port1);
    cleanups.push(() => port2.close());
    const request = client(port2);

    const wrongPassword = 'not-anas-password-7731';
    const refused = await request('sync:signIn', { serverUrl: server.url, email: server.users.ana!.email, password: wrongPassword });
    expect(refused.ok).toBe(false);
    const failures = entries(logger.file.path).filter((entry) => entry.event === 'sync.sign_in_failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      level: 'warn',
      source: 'backend',
      fields: { request: 'sync:signIn', serverUrl: server.url, email: server.users.ana!.email, errorType: !refused.ok && refused.error.code, error: !refused.ok && refused.error.message },
    });
    expect(Date.parse(failures[0]!.time)).not.toBeNaN();
    expect(readFileSync(logger.file.path, 'utf8')).not.toContain(wrongPassword);

    expect((await request('commands:run', { name: 'initializeOrganization', input: { name: 'Northwind', timeZone: 'America/Chicago' } })).ok).toBe(true);
    const signedIn = await request('sync:signIn', { serverUrl: server.url, email: server.users.ana!.email, password: server.users.ana!.password });
    expect(signedIn.ok).toBe(true);
    expect((await request('sync:link', { mode: 'upload' })).ok).toBe(true);
    await until(() => entries(logger.file.path).some((entry) => entry.event === 'sync.connected'));
    const token = await new FileTokenVault(tmp.dir).load();
    expect(token?.length).toBeGreaterThan(10);

    const text = readFileSync(logger.file.path, 'utf8');
    expect(text).not.toContain(token!);
    expect(text).not.toContain(server.users.ana!.password);
    const events = entries(logger.file.path).map((entry) => entry.event);
    expect(events.filter((event) => event === 'sync.sign_in_failed')).toHaveLength(1);
    expect(events).toContain('sync.signed_in');
    expect(events).toContain('sync.linked');
    expect(events.indexOf('workspace.opened')).toBe(0);
  });
});
