import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from './store/testing/temp-dir';
import { startWebHost, type WebHost } from './web-host';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const INDEX = '<!doctype html><html><head><script type="module" src="./assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>';

/** A stand-in for out/: what electron-vite would build, plus files the server must never hand out. */
function fixtureOutDir(dir: string): string {
  const out = join(dir, 'out');
  mkdirSync(join(out, 'renderer', 'assets', 'nested'), { recursive: true });
  writeFileSync(join(out, 'renderer', 'index.html'), INDEX);
  writeFileSync(join(out, 'renderer', 'assets', 'app-1a2b.js'), 'console.log("app")');
  writeFileSync(join(out, 'renderer', 'assets', 'app.css'), 'body{}');
  writeFileSync(join(out, 'renderer', 'assets', 'icons.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(out, 'renderer', 'assets', 'icons.woff'), Buffer.from([0x77, 0x4f, 0x46, 0x46]));
  writeFileSync(join(out, 'renderer', 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(out, 'renderer', 'assets', 'nested', 'deep.txt'), 'deep');
  writeFileSync(join(out, 'secret.txt'), 'SECRET-OUTSIDE-ROOT');
  symlinkSync(join(out, 'secret.txt'), join(out, 'renderer', 'assets', 'link.txt'));
  return out;
}

async function startHost(options: { outDir?: string; build?: 'never' | 'if-missing' } = {}): Promise<WebHost & { dir: string }> {
  const tmp = tempDir('crewline-web-');
  const outDir = options.outDir ?? fixtureOutDir(tmp.dir);
  const host = await startWebHost({ dataDir: join(tmp.dir, 'data'), outDir, build: options.build ?? 'never', demoDate: '2026-11-24' });
  cleanups.push(async () => {
    await host.close();
    tmp.cleanup();
  });
  return { ...host, dir: tmp.dir };
}

/** A raw GET: the path goes on the wire exactly as written (fetch would normalise `..` away). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; type: string | undefined; body: string; headers: Record<string, unknown> }>((done, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host', () => {
  it('prints a URL carrying the token, serves index.html, and never puts the token in a file', async () => {
    const host = await startHost();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const path of [new URL(host.url).pathname + new URL(host.url).search, '/', '/index.html']) {
      const page = await get(host.port, path);
      expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: INDEX });
      expect(page.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
      expect(page.body).not.toContain(host.token);
    }
    expect((await get(host.port, '/', {}, 'HEAD')).status).toBe(200);
  });

  it('serves assets with their content types', async () => {
    const host = await startHost();
    const cases: Array<[string, string]> = [
      ['/assets/app-1a2b.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/icons.woff2', 'font/woff2'],
      ['/assets/icons.woff', 'font/woff'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/assets/nested/deep.txt', 'text/plain; charset=utf-8'],
    ];
    for (const [path, type] of cases) expect(await get(host.port, path), path).toMatchObject({ status: 200, type });
  });

  it('refuses path traversal, encoded or not, and symlinks out of the root', async () => {
    const host = await startHost();
    const attempts = [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/%2E%2E/package.json',
      '/assets/../../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%00.js',
      '/assets/link.txt',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const res = await get(host.port, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body, path).not.toMatch(/SECRET|"name": "crewline"/);
    }
  });

  it('answers 404 for unknown paths and directories (no listing), 405 for other methods, 403 for other Host names', async () => {
    const host = await startHost();
    expect((await get(host.port, '/nope.js')).status).toBe(404);
    expect((await get(host.port, '/assets/')).status).toBe(404);
    expect((await get(host.port, '/assets')).status).toBe(404);
    expect((await get(host.port, '/assets/nested/')).status).toBe(404);
    expect((await get(host.port, '//assets/app.css')).status).toBe(404);
    expect((await get(host.port, '/index.html', {}, 'POST')).status).toBe(405);
    // A DNS-rebinding page reaches 127.0.0.1 under its own name.
    expect((await get(host.port, '/', { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get(host.port, '/', { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('serves the API on the same port over the seeded demo workspace', async () => {
    const host = await startHost();
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    const reply = await new Promise<unknown>((done, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 7, name: 'providers:list', input: { includeInactive: false } })));
      ws.once('message', (data) => done(JSON.parse(String(data))));
      ws.once('error', reject);
    });
    ws.close();
    expect(reply).toMatchObject({ id: 7, result: { ok: true } });
    expect((reply as { result: { value: unknown[] } }).result.value.length).toBeGreaterThan(5);
  });

  it('builds the renderer with electron-vite when it is missing, and serves the built assets', async () => {
    const tmp = tempDir('crewline-build-');
    cleanups.push(() => tmp.cleanup());
    const host = await startHost({ outDir: join(tmp.dir, 'out'), build: 'if-missing' });
    const page = await get(host.port, '/');
    expect(page.status).toBe(200);
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script, page.body).toBeDefined();
    expect(await get(host.port, script!)).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    // The built page keeps the strict CSP; `connect-src 'self'` covers ws:// to this same host and port.
    expect(page.body).toContain("connect-src 'self'");
  }, 120_000);

  it('runs as `npm run web` and closes the workspace on SIGTERM', async () => {
    const tmp = tempDir('crewline-cli-');
    cleanups.push(() => tmp.cleanup());
    const outDir = fixtureOutDir(tmp.dir);
    const repo = resolve(import.meta.dirname, '../..');
    const cli = (...extra: string[]) =>
      spawn(
        process.execPath,
        ['--import', 'tsx', 'electron/backend/web-host.ts', '--data-dir', join(tmp.dir, 'data'), '--port', '0', '--no-open', '--no-build', '--out-dir', outDir, ...extra],
        { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const child = cli('--demo-date', '2026-11-24');
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((done, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
        if (match) done(match[1]!);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const { port } = new URL(url);
    expect((await get(Number(port), '/')).status).toBe(200);
    // A second host on the same workspace would lose edits (each compacts the log from its own copy):
    // it stops at once with the reason, and the first one goes on serving.
    const second = cli();
    let secondOutput = '';
    second.stdout.on('data', (d: Buffer) => (secondOutput += d.toString()));
    second.stderr.on('data', (d: Buffer) => (secondOutput += d.toString()));
    expect(await new Promise<number | null>((done) => second.once('exit', (code) => done(code)))).toBe(1);
    expect(secondOutput).toMatch(/already open in another Crewline/);
    expect(secondOutput).not.toMatch(/http:\/\/127/);
    expect((await get(Number(port), '/')).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/SIGTERM: closing the workspace/);
    // Closed cleanly: SQLite folded the WAL back into the file and removed it.
    expect(() => readFileSync(join(tmp.dir, 'data', 'workspace.sqlite-wal'))).toThrow();
  }, 60_000);
});
