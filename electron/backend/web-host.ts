/**
 * `npm run web`: the backend in plain Node (docs/design.md §1) — opens the workspace (seeding the demo company on
 * an empty one, unless --empty: then the console asks, as the desktop does), serves the built renderer on 127.0.0.1 and the API over the local WebSocket at `/api`,
 * and prints the console's URL. The backend itself runs in a worker thread (./backend-entry-remote.ts): this
 * thread serves files and WebSocket frames only, and reads are answered from the read tables while the
 * worker decodes the schedule document; a backend that dies is restarted on the same data folder.
 *
 * Flags: --data-dir DIR (default .crewline-data), --port N (default 0: a free port), --demo-date
 * YYYY-MM-DD (the demo's "today" when seeding; default: the clock's date), --now ISO-INSTANT (this
 * backend's clock, and so its console's, starts at that instant and runs from there: tests and demos),
 * --log-level debug|info|warn|error (the log file's, in <data-dir>/logs/crewline.log; default
 * CREWLINE_LOG_LEVEL, else info), --empty (leave an empty workspace empty: the console's first-run screen asks for the demo or the user's
 * company), --no-open (do not open a browser), --out-dir DIR (where electron-vite builds; default out/, the renderer
 * is served from <out-dir>/renderer), --no-build (serve <out-dir>/renderer as it is).
 *
 * The renderer is (re)built with `electron-vite build` when <out-dir>/renderer/index.html is missing or
 * older than any file under renderer/ or core/ (electron-vite 6 has no renderer-only build; the full build
 * takes about a second).
 *
 * The session token travels in the printed URL (`/?token=...`), never inside a served file: the static
 * files are public code, and another local user who can reach 127.0.0.1 cannot read the token from them.
 * The page keeps the token in sessionStorage and drops it from the address bar (renderer/src/api/client.ts).
 */
import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBackendWorker, type BackendWorker } from './backend-entry-remote';
import { createSessionToken, isOwnHost, LOOPBACK, startApiServer, type ApiServer } from './transport/ws-server';
import { clockStartingAt, parseNowFlag } from '../../core/clock';
import { parseLogLevel } from '../../core/log/log-entry';
import { logLevelFromEnv, openFileLogger, type FileLogger, type LogLevel } from './log';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface WebHostOptions {
  dataDir: string;
  /** 0 (default): a free port. */
  port?: number;
  /** The demo's "today" when the workspace is empty and gets seeded. */
  demoDate?: string;
  /** This backend's clock (and so its console's) starts at this instant (ms) and runs from there (default: the system's). */
  nowMs?: number;
  /** Tests and the bench only: the schedule-document decode takes this much longer (BackendOptions.loadDelayMs). */
  loadDelayMs?: number;
  /** Seed the demo company into an empty workspace (default true). */
  seedDemo?: boolean;
  /** electron-vite's output directory (default <repo>/out); files are served from <outDir>/renderer. */
  outDir?: string;
  /** 'if-stale' (default): build when index.html is missing or older than the renderer/core sources. */
  build?: 'if-stale' | 'if-missing' | 'never';
  /** Open the console in the default browser (default false; the CLI defaults to true). */
  open?: boolean;
  log?: (line: string) => void;
  /** The log file's level (<dataDir>/logs/crewline.log, ./log.ts); default CREWLINE_LOG_LEVEL, else info. */
  logLevel?: LogLevel;
}

export interface WebHost {
  /** The console's address, token included: `http://127.0.0.1:<port>/?token=...` */
  url: string;
  token: string;
  port: number;
  /** The backend's worker thread (its state, and a crash for tests). */
  backend: BackendWorker;
  /** The structured log of this data folder (its file: `logger.file.path`). */
  logger: FileLogger;
  /** Stops the servers and closes the store; safe to call twice. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.wasm': 'application/wasm',
};

export const contentTypeOf = (file: string): string => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(`${text}\n`);
}

/**
 * Maps a request path to a file under `root`, or says why not. Every segment is decoded on its own, so an
 * encoded `..`, `/` or `\` can never climb out; the real path (symlinks resolved) must still be under root.
 */
export function resolveStaticPath(root: string, rawPath: string): { file: string } | { status: 400 | 404 } {
  const pathname = rawPath.split('?')[0]!.split('#')[0]!;
  if (!pathname.startsWith('/')) return { status: 400 };
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { status: 400 };
    }
    if (segment === '..' || segment === '.' || /[/\\\0:]/.test(segment)) return { status: 400 };
    segments.push(segment);
  }
  const last = segments.at(-1);
  if (segments.length === 1 && last === '') segments[0] = 'index.html';
  else if (last === '' || segments.some((s) => s === '')) return { status: 404 }; // directories: no listing
  const candidate = resolve(root, ...segments);
  if (!candidate.startsWith(root + sep)) return { status: 400 };
  let stats: Stats;
  let real: string;
  try {
    real = realpathSync(candidate);
    stats = statSync(real);
  } catch {
    return { status: 404 };
  }
  if (!real.startsWith(realpathSync(root) + sep)) return { status: 404 };
  if (!stats.isFile()) return { status: 404 };
  return { file: real };
}

/** The static half of the web host: GET/HEAD of files under `root`, nothing else. */
export function staticHandler(root: string, port: () => number) {
  const absoluteRoot = resolve(root);
  return (req: IncomingMessage, res: ServerResponse): void => {
    try {
      // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends `Host: evil.example:<port>`.
      if (!isOwnHost(req.headers.host, port())) return plain(res, 403, 'Wrong Host');
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      const target = resolveStaticPath(absoluteRoot, req.url ?? '/');
      if ('status' in target) return plain(res, target.status, target.status === 404 ? 'Not found' : 'Bad request');
      const stats = statSync(target.file);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': contentTypeOf(target.file),
        'Content-Length': String(stats.size),
        // Built assets carry a content hash in their name; index.html must always be fresh.
        'Cache-Control': target.file.endsWith('.html') ? 'no-store' : 'no-cache',
      });
      if (req.method === 'HEAD') return void res.end();
      const stream = createReadStream(target.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    }
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function needsBuild(outDir: string, mode: 'if-stale' | 'if-missing'): boolean {
  let built: number;
  try {
    built = statSync(join(outDir, 'renderer', 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  if (mode === 'if-missing') return false;
  const sources = Math.max(
    newestMtime(join(REPO_ROOT, 'renderer')),
    newestMtime(join(REPO_ROOT, 'core')),
    statSync(join(REPO_ROOT, 'electron.vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

/** Runs `electron-vite build --outDir <outDir>` with this Node (no npx: works the same on every OS). */
export async function buildRenderer(outDir: string, log: (line: string) => void = () => undefined): Promise<void> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  log(`Building the renderer into ${join(outDir, 'renderer')} ...`);
  await new Promise<void>((resolveBuild, reject) => {
    const child = spawn(process.execPath, [cli, 'build', '--outDir', outDir, '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveBuild() : reject(new Error(`electron-vite build failed (${code}):\n${output}`))));
  });
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser opener: the printed URL is enough
    child.unref();
  } catch {
    // same
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const log = options.log ?? (() => undefined);
  const outDir = resolve(options.outDir ?? join(REPO_ROOT, 'out'));
  const mode = options.build ?? 'if-stale';
  if (mode !== 'never' && needsBuild(outDir, mode)) await buildRenderer(outDir, log);

  // This thread writes the data folder's log file; the backend's worker hands its entries over.
  const logger = openFileLogger(options.dataDir, {
    source: 'host',
    level: options.logLevel ?? logLevelFromEnv(),
    ...(options.nowMs !== undefined ? { clock: clockStartingAt(options.nowMs) } : {}),
  });
  const version = packageVersion();
  logger.info('host.starting', 'Web host starting', { version, dataDir: options.dataDir, pid: process.pid, node: process.version, level: logger.level });
  // The backend (workspace, sync client, backups, horizon) runs in a worker thread: this thread only
  // serves files and WebSocket frames, so no request waits behind a document decode (issue 22).
  const backend = startBackendWorker({
    dataDir: options.dataDir,
    version,
    transport: 'websocket',
    logLevel: logger.level,
    seedDemo: options.seedDemo ?? true,
    ...(options.demoDate !== undefined ? { demoDate: options.demoDate } : {}),
    ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}),
    ...(options.loadDelayMs !== undefined ? { loadDelayMs: options.loadDelayMs } : {}),
  });
  backend.onLog(log);
  backend.onEntry((entry) => logger.write(entry));
  try {
    await backend.ready; // the workspace could not be opened (in use, unreadable): say why, start nothing
  } catch (error) {
    logger.error('backend.failed', 'The backend could not open the workspace', { error });
    throw error;
  }
  let closing: Promise<void> | null = null;
  // A backend that died (a bug, out of memory) is started again on the same data folder: every commit is in
  // SQLite. Requests meanwhile answer "The backend stopped: ..."; the page re-queries once it is back.
  const restarts: number[] = [];
  let apiServer: ApiServer | null = null;
  backend.onStop((reason) => {
    if (closing) return;
    // The page shows itself disconnected (not a board of errors) and reconnects once the backend is back.
    apiServer?.ws.disconnectAll(`The backend stopped: ${reason}`);
    const now = Date.now();
    while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length >= 3) {
      logger.error('backend.stopped', `The backend stopped: ${reason}; 3 times in a minute, not restarting`, { reason, restarting: false });
      return log(`The backend stopped: ${reason}. It stopped 3 times in a minute: not restarting; restart npm run web.`);
    }
    restarts.push(now);
    logger.error('backend.stopped', `The backend stopped: ${reason}; restarting it`, { reason, restarting: true });
    log(`The backend stopped: ${reason}. Restarting it ...`);
    setTimeout(() => {
      if (closing) return;
      backend.restart().then(
        () => logger.info('backend.restarted', 'The backend was restarted on the same data folder', { after: reason }),
        (error: unknown) => {
          logger.error('backend.restart_failed', 'Could not restart the backend', { error });
          log(`Could not restart the backend: ${String(error)}`);
        },
      );
    }, 500);
  });
  const token = createSessionToken();
  let port = 0;
  try {
    apiServer = await startApiServer({
      api: backend.api,
      token,
      port: options.port ?? 0,
      onRequest: staticHandler(join(outDir, 'renderer'), () => port),
      unavailable: () => (backend.state === 'stopped' ? `The backend stopped: ${backend.stopReason ?? 'unknown'}` : null),
    });
  } catch (error) {
    logger.error('host.failed', 'The web host could not start its server', { error });
    await backend.close();
    throw error;
  }
  const server = apiServer;
  port = server.port;
  const url = `http://${LOOPBACK}:${port}/?token=${token}`;
  if (options.open) openInBrowser(url);
  // The address without its token: the log is read by people the token is not for.
  logger.info('host.started', `Web host serving on http://${LOOPBACK}:${port}/`, { port });

  return {
    url,
    token,
    port,
    backend,
    logger,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await backend.close();
        logger.info('host.stopped', 'Web host stopped');
      })()),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.crewline-data' },
      port: { type: 'string', default: '0' },
      'demo-date': { type: 'string' },
      now: { type: 'string' },
      'out-dir': { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      empty: { type: 'boolean', default: false },
      'log-level': { type: 'string' },
    },
  });
  const logLevel = parseLogLevel(values['log-level'] ?? process.env.CREWLINE_LOG_LEVEL);
  if (!logLevel.ok) throw new Error(`--log-level: ${logLevel.error.message}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  if (values['demo-date'] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values['demo-date'])) {
    throw new Error(`--demo-date must be YYYY-MM-DD, got ${values['demo-date']}`);
  }
  let nowMs: number | undefined;
  if (values.now !== undefined) {
    const start = parseNowFlag(values.now);
    if (!start.ok) throw new Error(start.error);
    nowMs = start.ms;
  }
  const host = await startWebHost({
    dataDir: resolve(values['data-dir']),
    port,
    demoDate: values['demo-date'],
    seedDemo: !values.empty,
    ...(nowMs !== undefined ? { nowMs } : {}),
    outDir: values['out-dir'],
    build: values['no-build'] ? 'never' : 'if-stale',
    open: !values['no-open'],
    log: (line) => console.log(line),
    logLevel: logLevel.value,
  });
  console.log(`Crewline console: ${host.url}`);
  console.log(`Logs: ${host.logger.file.path} (level ${host.logger.level})`);
  console.log('Press Ctrl+C to stop.');
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: closing the workspace ...`);
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
