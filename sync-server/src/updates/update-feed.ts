import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The update feed's `latest*.yml` files as electron-builder writes them, and the check electron-updater
 * makes on a download: the file's SHA-512, base64-encoded, must equal the `sha512` the feed names.
 *
 * The desktop app relies on electron-updater's own check (it refuses a download whose hash differs and
 * keeps the running version); nothing here runs in the app. This module is the sync server's
 * `--updates-dir` self-check at start: a feed that names a missing or altered installer is logged as a
 * warning, so an admin learns of a broken upload before every desktop fails to update.
 */

export interface UpdateFileInfo {
  url: string;
  sha512: string;
  size?: number;
}

export interface UpdateInfo {
  version: string;
  files: UpdateFileInfo[];
  releaseDate?: string;
}

/** What electron-builder writes for each artifact: SHA-512 of the bytes, base64 (not hex). */
export const sha512Base64 = (bytes: Uint8Array): string => createHash('sha512').update(bytes).digest('base64');

export function sha512Base64OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/** Whether downloaded bytes are the file the feed describes (what electron-updater checks before installing). */
export function matchesFeed(file: UpdateFileInfo, bytes: Uint8Array): boolean {
  if (file.size !== undefined && file.size !== bytes.byteLength) return false;
  return sha512Base64(bytes) === file.sha512;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A `latest.yml` in electron-builder's layout (files list, then the legacy top-level path/sha512). */
export function formatUpdateInfo(info: UpdateInfo): string {
  const lines = [`version: ${info.version}`, 'files:'];
  for (const file of info.files) {
    lines.push(`  - url: ${file.url}`, `    sha512: ${file.sha512}`);
    if (file.size !== undefined) lines.push(`    size: ${file.size}`);
  }
  const first = info.files[0];
  if (first) lines.push(`path: ${first.url}`, `sha512: ${first.sha512}`);
  if (info.releaseDate !== undefined) lines.push(`releaseDate: ${quote(info.releaseDate)}`);
  return `${lines.join('\n')}\n`;
}

function scalar(raw: string): string {
  const value = raw.trim();
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1).replace(/''/g, "'");
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) return JSON.parse(value) as string;
  return value;
}

/**
 * Reads the subset of YAML electron-builder writes into `latest*.yml`: top-level scalars and a `files:`
 * list of flat maps. Not a YAML parser: anything else is passed over. Null when no version or file is named.
 */
export function parseUpdateInfo(text: string): UpdateInfo | null {
  const top: Record<string, string> = {};
  const files: Record<string, string>[] = [];
  let inFiles = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s+([A-Za-z0-9]+):(.*)$/.exec(line);
    const field = /^\s+([A-Za-z0-9]+):(.*)$/.exec(line);
    const topField = /^([A-Za-z0-9]+):(.*)$/.exec(line);
    if (topField) {
      inFiles = topField[1] === 'files';
      if (!inFiles) top[topField[1]!] = scalar(topField[2]!);
    } else if (inFiles && item) {
      files.push({ [item[1]!]: scalar(item[2]!) });
    } else if (inFiles && field && files.length > 0) {
      files[files.length - 1]![field[1]!] = scalar(field[2]!);
    }
  }
  const listed: UpdateFileInfo[] = files
    .filter((f) => f.url && f.sha512)
    .map((f) => ({ url: f.url!, sha512: f.sha512!, ...(f.size && /^\d+$/.test(f.size) ? { size: Number(f.size) } : {}) }));
  // Feeds from old electron-builder versions name only the top-level path and sha512.
  if (listed.length === 0 && top.path && top.sha512) listed.push({ url: top.path, sha512: top.sha512 });
  if (!top.version || listed.length === 0) return null;
  return { version: top.version, files: listed, ...(top.releaseDate ? { releaseDate: top.releaseDate } : {}) };
}

/** `latest.yml`, `latest-mac.yml`, `latest-linux-arm64.yml`, and channels' (`beta-linux.yml`); not electron-builder's `builder-debug.yml`. */
export const isFeedFile = (name: string): boolean => /^[a-z0-9]+(-[a-z0-9]+)*\.yml$/.test(name) && !name.startsWith('builder-');

export interface FeedProblem {
  feed: string;
  file?: string;
  problem: 'unreadable feed' | 'missing file' | 'size mismatch' | 'sha512 mismatch' | 'outside the folder';
}

export type FeedCheck =
  | { ok: true; feeds: { feed: string; version: string; files: number }[]; problems: FeedProblem[] }
  | { ok: false; error: string };

/** The folder's file names, or why it cannot be read (quick: the server's start waits for it). */
export async function listUpdatesDir(dir: string): Promise<{ ok: true; names: string[] } | { ok: false; error: string }> {
  try {
    if (!(await stat(dir)).isDirectory()) return { ok: false, error: `${dir} is not a directory` };
    return { ok: true, names: await readdir(dir) };
  } catch (error) {
    return { ok: false, error: `cannot read ${dir}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Checks every `latest*.yml` in an update folder against the files it names. `ok: false` only when the
 * folder itself cannot be read; feeds with problems are listed, for the server to warn about.
 */
export async function checkUpdatesDir(dir: string): Promise<FeedCheck> {
  const listed = await listUpdatesDir(dir);
  if (!listed.ok) return listed;
  const names = listed.names;
  const feeds: { feed: string; version: string; files: number }[] = [];
  const problems: FeedProblem[] = [];
  for (const feed of names.filter(isFeedFile).sort()) {
    const info = parseUpdateInfo(await readFile(join(dir, feed), 'utf8').catch(() => ''));
    if (!info) {
      problems.push({ feed, problem: 'unreadable feed' });
      continue;
    }
    feeds.push({ feed, version: info.version, files: info.files.length });
    for (const file of info.files) {
      // The feed is served from the same flat folder (update-files.ts): a URL elsewhere is not ours to check.
      if (file.url.includes('/') || file.url.includes('\\') || file.url.startsWith('.')) {
        problems.push({ feed, file: file.url, problem: 'outside the folder' });
        continue;
      }
      let name = file.url;
      try {
        name = decodeURIComponent(file.url);
      } catch {
        // Not percent-encoded: the name as written.
      }
      const path = join(dir, name);
      const size = await stat(path).then((s) => (s.isFile() ? s.size : null), () => null);
      if (size === null) problems.push({ feed, file: file.url, problem: 'missing file' });
      else if (file.size !== undefined && size !== file.size) problems.push({ feed, file: file.url, problem: 'size mismatch' });
      else if ((await sha512Base64OfFile(path)) !== file.sha512) problems.push({ feed, file: file.url, problem: 'sha512 mismatch' });
    }
  }
  return { ok: true, feeds, problems };
}
