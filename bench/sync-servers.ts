/**
 * The two servers the sync benchmark compares, each in its own child process, run as an operator runs
 * them: Crewline's `sync-server/src/main.ts` (accounts, SQLite persistence in its normal mode) and the
 * stock `@y/websocket-server` 0.1.1 bin (in memory: its leveldb persistence is not installed). Both get
 * the same preload (`sync-server-probe.ts`) for memory, CPU and profile requests over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../sync-server/src/sync/testing/server-process';
import type { ProbeCpu, ProbeMemory, ProbeRequest } from './sync-server-probe';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./sync-server-probe.ts', import.meta.url));
const CREWLINE_MAIN = join(REPO_ROOT, 'sync-server/src/main.ts');
const REFERENCE_BIN = join(REPO_ROOT, 'node_modules/@y/websocket-server/src/server.js');

export type ServerKind = 'crewline' | 'reference';

/** `Omit` for each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };

export interface BenchServer {
  readonly kind: ServerKind;
  /** `ws://127.0.0.1:<port>/sync`: what a y-websocket provider is given as its server URL. */
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly pid: number;
  /** Crewline: the organization's id and an admin's bearer token; the reference ignores both. */
  readonly orgId: string;
  readonly token: string;
  memory(): Promise<ProbeMemory>;
  cpu(): Promise<ProbeCpu>;
  profileStart(): Promise<void>;
  profileStop(file: string): Promise<void>;
  stop(): Promise<void>;
}

/** The organization id the reference's room names use (any string would do: it has no accounts). */
const REFERENCE_ORG = '01900000-0000-7000-8000-0000000be9c4';

export interface StartOptions {
  /** Extra `node` flags for the server process (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
}

export async function startServer(kind: ServerKind, options: StartOptions = {}): Promise<BenchServer> {
  return kind === 'crewline' ? startCrewline(options) : startReference(options);
}

async function startCrewline(options: StartOptions): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crewline-sync-bench-'));
  const child = spawnNode(
    [
      ...(options.nodeFlags ?? []),
      CREWLINE_MAIN,
      ...['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
      ...['--admin-email', ADMIN.email, '--admin-password', ADMIN.password],
    ],
    {},
  );
  const match = await waitForLine(child, /Crewline sync server listening on (http:\/\/\S+)/);
  const httpUrl = match[1]!;
  const session = await login(httpUrl, ADMIN.email, ADMIN.password);
  return handle('crewline', child, httpUrl, session.user.orgId, session.token, () => rmSync(dataDir, { recursive: true, force: true }));
}

async function startReference(options: StartOptions): Promise<BenchServer> {
  const port = await freePort();
  const child = spawnNode([...(options.nodeFlags ?? []), REFERENCE_BIN], { HOST: '127.0.0.1', PORT: String(port) });
  await waitForLine(child, /running at '127\.0\.0\.1' on port (\d+)/);
  return handle('reference', child, `http://127.0.0.1:${port}`, REFERENCE_ORG, 'unused', () => {});
}

/** `node` with the probe preloaded (and tsx), in the repository root, with an IPC channel. */
export function spawnNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', PROBE, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env, NO_COLOR: '1' },
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function handle(
  kind: ServerKind,
  child: ChildProcess,
  httpUrl: string,
  orgId: string,
  token: string,
  cleanup: () => void,
): BenchServer {
  const ask = ipcClient(child, `${kind} probe`) as <T>(request: WithoutId<ProbeRequest>) => Promise<T>;
  // Whatever the server prints later (errors) is shown, not swallowed.
  child.stdout!.on('data', () => {});
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${kind} server] ${chunk.toString()}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kind,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/sync`,
    httpUrl,
    pid: child.pid!,
    orgId,
    token,
    memory: () => ask<ProbeMemory>({ type: 'memory' }),
    cpu: () => ask<ProbeCpu>({ type: 'cpu' }),
    profileStart: async () => {
      await ask({ type: 'profile-start' });
    },
    profileStop: async (file) => {
      await ask({ type: 'profile-stop', file });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      cleanup();
    },
  };
}

/**
 * Request/answer over a child's IPC channel: `ask({type, ...})` sends it with a fresh id and resolves
 * with the child's `{id, ok: true, value}` (rejects on `{id, ok: false, error}`).
 */
export function ipcClient(child: ChildProcess, label: string): <T>(request: { type: string; [key: string]: unknown }) => Promise<T> {
  let nextId = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(new Error(`${label}: ${message.error}`));
  });
  child.once('exit', (code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`${label}: process exited (${code})`));
    waiting.clear();
  });
  return <T>(request: { type: string }) =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) return reject(new Error(`${label}: the process has gone`));
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id }, (error) => {
        if (!error) return;
        waiting.delete(id);
        reject(error);
      });
    });
}

export async function login(httpUrl: string, email: string, password: string): Promise<{ token: string; user: { id: string; orgId: string } }> {
  const res = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string; orgId: string } };
}

/** Creates a user in the admin's organization (Crewline's admin API). */
export async function addUser(
  server: BenchServer,
  user: { email: string; name: string; role: 'admin' | 'dispatcher'; password: string },
): Promise<void> {
  const res = await fetch(`${server.httpUrl}/api/admin/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(user),
  });
  if (res.status !== 201) throw new Error(`adding ${user.email} failed: ${res.status} ${await res.text()}`);
}
