import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_NOW } from './demo-clock';

/**
 * `npm run server`'s entry (sync-server/src/main.ts) in a child process, as an admin runs it, for the
 * browser tests: a temp data dir, the first admin from flags, and the URL from its "listening" line. It can
 * be stopped and started again on the same port and files (desktops keep the address they signed in to).
 */
export interface SyncServerProcess {
  /** `http://127.0.0.1:<port>`: what a user types as the server address. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly admin: { email: string; password: string };
  /** Stops the server (SIGTERM: it flushes its rooms); the files stay. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir, with `extraArgs` (flags of `npm run server`) if given. */
  start(extraArgs?: string[]): Promise<void>;
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
}

export async function startSyncServerProcess(
  options: { admin?: { email: string; password: string }; root?: string; now?: string } = {},
): Promise<SyncServerProcess> {
  const root = options.root ?? process.cwd();
  const dataDir = mkdtempSync(join(tmpdir(), 'crewline-e2e-server-'));
  const admin = options.admin ?? { email: 'admin@northwind.example', password: 'admin-password-1' };
  let child: ChildProcess | null = null;
  let log = '';

  const launch = (port: number, extraArgs: string[] = []) =>
    new Promise<number>((resolve, reject) => {
      const proc = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'sync-server/src/main.ts'),
          '--port',
          String(port),
          '--host',
          '127.0.0.1',
          '--data-dir',
          dataDir,
          '--admin-email',
          admin.email,
          '--admin-password',
          admin.password,
          '--archive-every-minutes',
          '0',
          // The demo's clock, like every web host of the specs: the worker's "is this job over", the
          // field API's "today" and "available" read the same date the desktops do.
          '--now',
          options.now ?? DEMO_NOW,
          ...extraArgs,
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
      );
      child = proc;
      const from = log.length;
      let started = false;
      const timer = setTimeout(() => reject(new Error(`sync server did not start:\n${log}`)), 60_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log.slice(from));
        if (match && !started) {
          started = true;
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.on('exit', (code) => {
        if (child === proc) child = null;
        if (!started) {
          clearTimeout(timer);
          reject(new Error(`sync server exited with ${code}:\n${log}`));
        }
      });
    });

  const stop = () =>
    new Promise<void>((done) => {
      const proc = child as ChildProcess | null;
      if (!proc || proc.exitCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
    });

  const port = await launch(0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    admin,
    stop,
    start: async (extraArgs) => {
      if (child) return;
      await launch(port, extraArgs);
    },
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    output: () => log,
  };
}

/** The server's HTTP API (sync-server/README.md) as an admin script would use it. */
export async function serverRequest<T>(url: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function adminToken(server: SyncServerProcess): Promise<{ token: string; userId: string }> {
  const { token, user } = await serverRequest<{ token: string; user: { id: string } }>(server.url, 'POST', '/api/auth/login', server.admin);
  return { token, userId: user.id };
}
