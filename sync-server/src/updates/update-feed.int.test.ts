/**
 * The update feed end to end, as far as it runs under Node: a latest.yml written the way electron-builder
 * writes it, served by `--updates-dir`, read back over HTTP and parsed by electron-updater's own feed
 * parser; the installer it names downloaded and checked against its sha512, and a copy with one byte
 * changed refused — by our verifier and by builder-util-runtime's DigestTransform, the stream check
 * electron-updater puts on its downloads. electron-updater's AppUpdater itself needs Electron and is not
 * run here. Also the server's start-up self-check of the folder.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestTransform } from 'builder-util-runtime';
import { parseUpdateInfo as updaterParse, resolveFiles } from 'electron-updater/out/providers/Provider';
import type { UpdateInfo as UpdaterInfo } from 'electron-updater';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../testing/capture-log';
import { startTestServer, tempDir, waitUntil, type TestServer } from '../sync/testing/harness';
import { spawnServer } from '../sync/testing/server-process';
import { checkUpdatesDirAtStart } from './self-check';
import { formatUpdateInfo, isFeedFile, matchesFeed, parseUpdateInfo, sha512Base64, type UpdateInfo } from './update-feed';

/** What electron-updater's download does to the bytes: hash them on the way and fail at the end on a mismatch. */
async function digestCheck(bytes: Uint8Array, sha512: string): Promise<'ok' | string> {
  try {
    await pipeline(Readable.from([bytes]), new DigestTransform(sha512), new Writable({ write: (_c, _e, done) => done() }));
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('the update feed, served and checked', () => {
  let root: string;
  let updates: string;
  let t: TestServer;
  const installer = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
  const name = 'Crewline-Setup-1.4.0.exe';
  const info: UpdateInfo = {
    version: '1.4.0',
    files: [{ url: name, sha512: sha512Base64(installer), size: installer.length }],
    releaseDate: '2026-11-24T14:00:00.000Z',
  };

  beforeAll(async () => {
    root = tempDir('crewline-feed-');
    updates = join(root, 'updates');
    mkdirSync(updates);
    writeFileSync(join(updates, name), installer);
    writeFileSync(join(updates, 'latest.yml'), formatUpdateInfo(info));
    t = await startTestServer({ updatesDir: updates });
  });
  afterAll(async () => {
    await t.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes sha512 as electron-builder does: base64 of the SHA-512, 88 characters', () => {
    expect(sha512Base64(Buffer.from('abc'))).toBe(
      '3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==',
    );
    expect(info.files[0]!.sha512).toHaveLength(88);
  });

  it('serves latest.yml, which electron-updater parses to the same file, URL and checksum', async () => {
    const feedUrl = `${t.server.url}/updates/`;
    const text = await (await fetch(`${feedUrl}latest.yml`)).text();
    expect(parseUpdateInfo(text)).toEqual(info);
    const parsed = updaterParse(text, 'latest.yml', new URL('latest.yml', feedUrl)) as UpdaterInfo;
    expect(parsed.version).toBe('1.4.0');
    const [file] = resolveFiles(parsed, new URL(feedUrl));
    expect(file!.url.href).toBe(`${feedUrl}${name}`);
    expect(file!.info).toEqual({ url: name, sha512: info.files[0]!.sha512, size: installer.length });
  });

  it('the downloaded installer matches the feed; one byte changed does not, and the stream check refuses it', async () => {
    const url = `${t.server.url}/updates/${name}`;
    const downloaded = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const entry = info.files[0]!;
    expect(matchesFeed(entry, downloaded)).toBe(true);
    expect(await digestCheck(downloaded, entry.sha512)).toBe('ok');

    // The folder's copy is tampered with after the feed was written: same size, one byte different.
    const tampered = Buffer.from(installer);
    tampered[123_456] = tampered[123_456]! ^ 0x01;
    writeFileSync(join(updates, name), tampered);
    const served = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(served.length).toBe(installer.length);
    expect(matchesFeed(entry, served)).toBe(false);
    expect(await digestCheck(served, entry.sha512)).toBe('ERR_CHECKSUM_MISMATCH');
    // And a truncated one.
    expect(matchesFeed(entry, downloaded.subarray(1))).toBe(false);
    writeFileSync(join(updates, name), installer);
  });

  it('the start-up self-check warns about a feed naming a tampered or missing file, and stops on a missing folder', async () => {
    const good = captureLog('info');
    expect(await checkUpdatesDirAtStart(updates, good.log)).toEqual({ ok: true });
    expect(good.events('update_feed_problem')).toEqual([]);
    expect(good.events('update_feed')).toMatchObject([{ feed: 'latest.yml', version: '1.4.0', files: 1 }]);

    const tampered = Buffer.from(installer);
    tampered[0] = tampered[0]! ^ 0xff;
    writeFileSync(join(updates, name), tampered);
    writeFileSync(
      join(updates, 'latest-mac.yml'),
      formatUpdateInfo({ version: '1.4.0', files: [{ url: 'Crewline-1.4.0-mac.zip', sha512: info.files[0]!.sha512, size: 5 }] }),
    );
    writeFileSync(join(updates, 'latest-linux.yml'), 'not a feed\n');
    const bad = captureLog('info');
    expect(await checkUpdatesDirAtStart(updates, bad.log)).toEqual({ ok: true });
    const problems = bad.events('update_feed_problem').map(({ feed, file, problem, level }) => ({ feed, file, problem, level }));
    expect(problems).toEqual([
      { feed: 'latest-linux.yml', file: undefined, problem: 'unreadable feed', level: 'warn' },
      { feed: 'latest-mac.yml', file: 'Crewline-1.4.0-mac.zip', problem: 'missing file', level: 'warn' },
      { feed: 'latest.yml', file: name, problem: 'sha512 mismatch', level: 'warn' },
    ]);
    writeFileSync(join(updates, name), installer);

    expect(await checkUpdatesDirAtStart(join(root, 'nope'), bad.log)).toEqual({
      ok: false,
      error: expect.stringMatching(/^--updates-dir: cannot read .*nope/),
    });
  });
});

describe('npm run server -- --updates-dir', () => {
  it('serves the folder and warns at start about a feed whose file was altered; stops on a missing folder', async () => {
    const root = tempDir('crewline-feed-cli-');
    const updates = join(root, 'updates');
    mkdirSync(updates);
    const bytes = Buffer.from('an installer, as far as this test knows');
    writeFileSync(join(updates, 'Crewline Setup 1.4.0.exe'), bytes);
    writeFileSync(
      join(updates, 'latest.yml'),
      formatUpdateInfo({ version: '1.4.0', files: [{ url: 'Crewline Setup 1.4.0.exe', sha512: sha512Base64(Buffer.from('something else')) }] }),
    );
    const server = await spawnServer(['--port', '0', '--data-dir', join(root, 'data'), '--updates-dir', updates]);
    try {
      const served = await fetch(`${server.url}/updates/Crewline%20Setup%201.4.0.exe`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
      // The check runs once the server listens.
      await waitUntil(() => server.output().includes('"update_feed_problem"'));
      const warning = server
        .output()
        .split('\n')
        .filter((line) => line.includes('"update_feed_problem"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(warning).toMatchObject([{ level: 'warn', feed: 'latest.yml', file: 'Crewline Setup 1.4.0.exe', problem: 'sha512 mismatch' }]);
    } finally {
      await server.stop();
    }
    await expect(spawnServer(['--port', '0', '--data-dir', join(root, 'data'), '--updates-dir', join(root, 'nope')], 20_000)).rejects.toThrow(
      /exited with 2[\s\S]*--updates-dir: cannot read/,
    );
    rmSync(root, { recursive: true, force: true });
  }, 60_000);
});

describe('parseUpdateInfo', () => {
  it('reads what electron-builder writes (quoted dates, blockmap sizes, legacy path-only feeds)', () => {
    const written = [
      'version: 2.0.1',
      'files:',
      '  - url: Crewline-2.0.1-arm64-mac.zip',
      '    sha512: AAA=',
      '    size: 10',
      '    blockMapSize: 3',
      '  - url: Crewline-2.0.1-arm64.dmg',
      '    sha512: BBB=',
      '    size: 20',
      'path: Crewline-2.0.1-arm64-mac.zip',
      'sha512: AAA=',
      "releaseDate: '2026-11-24T14:00:00.000Z'",
      '',
    ].join('\n');
    expect(parseUpdateInfo(written)).toEqual({
      version: '2.0.1',
      files: [
        { url: 'Crewline-2.0.1-arm64-mac.zip', sha512: 'AAA=', size: 10 },
        { url: 'Crewline-2.0.1-arm64.dmg', sha512: 'BBB=', size: 20 },
      ],
      releaseDate: '2026-11-24T14:00:00.000Z',
    });
    expect(parseUpdateInfo('version: 1.0.0\npath: old.exe\nsha512: CCC=\n')).toEqual({ version: '1.0.0', files: [{ url: 'old.exe', sha512: 'CCC=' }] });
    expect(parseUpdateInfo('files: []\n')).toBeNull();
    expect(['latest.yml', 'latest-mac.yml', 'latest-linux-arm64.yml', 'beta-linux.yml', 'builder-debug.yml', 'Crewline-1.0.0.yml', 'latest.yml.bak'].filter(isFeedFile)).toEqual([
      'latest.yml',
      'latest-mac.yml',
      'latest-linux-arm64.yml',
      'beta-linux.yml',
    ]);
    expect(parseUpdateInfo('version: 1.0.0\n')).toBeNull();
  });
});
