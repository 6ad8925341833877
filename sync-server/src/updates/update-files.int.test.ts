/**
 * `--updates-dir` over real HTTP: the composed sync server serves an update folder as static files
 * (content types, caching, ranges), refuses anything outside it, and logs each download.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../testing/capture-log';
import { startTestServer, tempDir, type TestServer } from '../sync/testing/harness';
import { parseRange } from './update-files';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request: fetch would normalize `..` and encoded slashes before they reach the server. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /updates/<file>', () => {
  const captured = captureLog('info');
  let t: TestServer;
  let root: string;
  const installer = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31 + 7) % 256));
  const feed = 'version: 1.2.3\nfiles:\n  - url: Crewline-Setup-1.2.3.exe\n    sha512: x\n    size: 100000\n';

  beforeAll(async () => {
    root = tempDir('crewline-updates-');
    const updates = join(root, 'updates');
    mkdirSync(updates);
    writeFileSync(join(updates, 'latest.yml'), feed);
    writeFileSync(join(updates, 'Crewline-Setup-1.2.3.exe'), installer);
    writeFileSync(join(updates, 'Crewline-1.2.3-arm64-mac.zip'), 'zip');
    writeFileSync(join(updates, 'Crewline-1.2.3.dmg'), 'dmg');
    writeFileSync(join(updates, 'Crewline-1.2.3.AppImage'), 'appimage');
    writeFileSync(join(updates, 'Crewline-Setup-1.2.3.exe.blockmap'), 'blockmap');
    writeFileSync(join(updates, '.env'), 'SECRET=1');
    writeFileSync(join(updates, 'builder-debug.yml'), 'x64: {}');
    writeFileSync(join(updates, 'builder-effective-config.yaml'), 'publish: {}');
    writeFileSync(join(updates, 'notes.txt'), 'not an artifact');
    mkdirSync(join(updates, 'sub'));
    writeFileSync(join(updates, 'sub', 'inner.yml'), 'inner');
    writeFileSync(join(root, 'secret.txt'), 'outside the folder');
    symlinkSync(join(root, 'secret.txt'), join(updates, 'escape.yml'));
    t = await startTestServer({ updatesDir: updates, log: captured.log });
  });
  afterAll(async () => {
    await t.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the feed and the installers with their content types, length and caching', async () => {
    const port = t.server.port;
    const yml = await get(port, '/updates/latest.yml');
    expect(yml.status).toBe(200);
    expect(yml.body.toString()).toBe(feed);
    expect(yml.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(yml.headers['content-length']).toBe(String(Buffer.byteLength(feed)));
    expect(yml.headers['cache-control']).toBe('no-cache');
    expect(yml.headers['accept-ranges']).toBe('bytes');

    const exe = await get(port, '/updates/Crewline-Setup-1.2.3.exe');
    expect(exe.status).toBe(200);
    expect(exe.body.equals(installer)).toBe(true);
    expect(exe.headers['content-length']).toBe('100000');
    expect(exe.headers['content-type']).toBe('application/vnd.microsoft.portable-executable');
    expect(exe.headers['cache-control']).toBe('public, max-age=3600');
    expect(exe.headers['x-content-type-options']).toBe('nosniff');

    const types = await Promise.all(
      ['Crewline-1.2.3-arm64-mac.zip', 'Crewline-1.2.3.dmg', 'Crewline-1.2.3.AppImage', 'Crewline-Setup-1.2.3.exe.blockmap'].map(
        async (name) => (await get(port, `/updates/${name}`)).headers['content-type'],
      ),
    );
    expect(types).toEqual(['application/zip', 'application/x-apple-diskimage', 'application/vnd.appimage', 'application/octet-stream']);

    // Revalidation: the same version answers 304 without a body.
    const again = await get(port, '/updates/latest.yml', { 'If-None-Match': String(yml.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const head = await get(port, '/updates/Crewline-Setup-1.2.3.exe', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('100000');
    expect((await get(port, '/updates/latest.yml', {}, 'POST')).status).toBe(405);
  });

  it('refuses traversal, dotfiles, sub-folders, symlinks out, listings and files that are no update artifact; a missing file is 404', async () => {
    const port = t.server.port;
    const refused = [
      '/updates/../secret.txt',
      '/updates/..%2Fsecret.txt',
      '/updates/%2e%2e%2fsecret.txt',
      '/updates/..%5Csecret.txt',
      '/updates/sub/inner.yml',
      '/updates/sub%2Finner.yml',
      '/updates/.env',
      '/updates/%2Eenv',
      '/updates/escape.yml',
      '/updates/',
      '/updates',
      '/updates/sub',
      '/updates/latest-mac.yml',
      '/updates/latest.yml%00.exe',
      '/updates/builder-debug.yml',
      '/updates/builder-effective-config.yaml',
      '/updates/notes.txt',
    ];
    const answers = await Promise.all(refused.map(async (path) => [path, (await get(port, path)).status] as const));
    expect(answers).toEqual(refused.map((path) => [path, 404]));
    const secret = await get(port, '/updates/escape.yml');
    expect(secret.body.toString()).not.toContain('outside the folder');
    expect(JSON.parse(secret.body.toString())).toEqual({ error: { code: 'not_found', message: 'No such update file' } });
    expect((await get(port, '/updates/%E0%A4%A')).status).toBe(400);
  });

  it('answers single byte ranges (differential downloads) and refuses ranges past the end', async () => {
    const port = t.server.port;
    const path = '/updates/Crewline-Setup-1.2.3.exe';
    const middle = await get(port, path, { Range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe('bytes 1000-1999/100000');
    expect(middle.headers['content-length']).toBe('1000');
    expect(middle.body.equals(installer.subarray(1000, 2000))).toBe(true);

    const tail = await get(port, path, { Range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(installer.subarray(99_990))).toBe(true);
    const open = await get(port, path, { Range: 'bytes=99000-' });
    expect(open.headers['content-range']).toBe('bytes 99000-99999/100000');
    expect(open.body.equals(installer.subarray(99_000))).toBe(true);

    const past = await get(port, path, { Range: 'bytes=100000-100010' });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */100000');

    // Several ranges: the whole file, as HTTP allows (the app asks one range at a time).
    const several = await get(port, path, { Range: 'bytes=0-9,20-29' });
    expect(several.status).toBe(200);
    expect(several.body.length).toBe(100_000);
    // A range of an older version (If-Range with another ETag): the whole current file.
    const stale = await get(port, path, { Range: 'bytes=0-9', 'If-Range': '"old"' });
    expect(stale.status).toBe(200);
  });

  it('logs each download with the file and the range, never the query', async () => {
    const port = t.server.port;
    await get(port, '/updates/Crewline-Setup-1.2.3.exe?token=abc', { Range: 'bytes=0-99' });
    const lines = captured.events('update_download').filter((e) => e.range === '0-99');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', file: 'Crewline-Setup-1.2.3.exe', bytes: 100, path: '/updates/Crewline-Setup-1.2.3.exe' });
    expect(captured.lines.join('\n')).not.toContain('token=abc');
  });
});

describe('parseRange', () => {
  it('reads one bytes= range and ignores what it does not answer', () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(parseRange('bytes=2-400', 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=-30', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 10)).toBeNull();
    expect(parseRange('bytes=0-1,3-4', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
  });
});
