/**
 * Throwaway PostgreSQL and Redis servers for tests, from Debian's `postgresql` and `redis-server`
 * packages (`.ci/run` installs them): a cluster in a temp dir on 127.0.0.1 and a free port, trust auth,
 * stopped and deleted afterwards. PostgreSQL refuses to run as root, so as root the cluster runs as the
 * `postgres` user the package creates.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)');
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin', name);
    if (existsSync(bin)) return bin;
  }
  throw new Error(`${name} not found under ${root}`);
}

const asRoot = process.getuid?.() === 0;

function pgIds(): { uid: number; gid: number } {
  const out = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error('running as root needs the postgres user (from the postgresql package)');
  return { uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs a PostgreSQL binary as the current user, or as `postgres` when we are root. */
function pgCommand(name: string, args: string[]): [string, string[]] {
  // setpriv execs in place (runuser would stay as a parent that does not pass our signals on).
  return asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', pgBin(name), ...args]] : [pgBin(name), args];
}

export interface TestPostgres {
  /** postgres://… of the cluster's `postgres` database. */
  readonly url: string;
  /** A new empty database on the cluster, for one test. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'crewline-pg-'));
  if (asRoot) {
    const { uid, gid } = pgIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const [initdb, initArgs] = pgCommand('initdb', ['-D', data, '-A', 'trust', '-U', 'crewline', '--no-sync', '-E', 'UTF8']);
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const [postgres, args] = pgCommand('postgres', [
    '-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  const child: ChildProcess = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `postgres://crewline@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`postgres did not start: ${String(error)}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let n = 0;
  return {
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++n}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `postgres://crewline@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // PostgreSQL's fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `npm test`'s shifted-clock runs preload libfaketime into every process; redis-server (its jemalloc reads
 * the clock while libfaketime initializes) then never starts. Redis keeps no time the tests look at (no
 * TTLs, pub/sub only), so it runs on the real clock.
 */
function withoutFaketime(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const key of Object.keys(out)) if (key === 'LD_PRELOAD' || key.startsWith('FAKETIME')) delete out[key];
  return out;
}

export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: withoutFaketime(process.env),
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
