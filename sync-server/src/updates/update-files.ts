import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { requestPath, sendJson } from '../http/http-util';
import { safePath, type Log } from '../log';
import { isFeedFile } from './update-feed';

/**
 * `GET /updates/<file>` (`--updates-dir`, issue 22): the folder electron-builder's `dist/` output is copied
 * into (latest*.yml, installers, blockmaps), served as static files for the desktop app's electron-updater
 * (generic provider). The folder is flat: one file name, no sub-folders, no dotfiles, no listing; a name
 * that resolves (through a symlink) outside the folder is not found. Anyone may download: installers are
 * public, the checksums are in the feed and electron-updater checks them.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.dmg': 'application/x-apple-diskimage',
  '.zip': 'application/zip',
  '.appimage': 'application/vnd.appimage',
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm',
  '.7z': 'application/x-7z-compressed',
  '.blockmap': 'application/octet-stream',
  '.pkg': 'application/octet-stream',
};

export const contentTypeOf = (name: string): string => CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';

/**
 * A plain file name (no separators, no leading dot, so no dotfiles or `..`, no control characters) of an
 * update artifact: a feed, an installer or a blockmap. Anything else copied in with `dist/` stays private,
 * in particular electron-builder's builder-debug.yml and builder-effective-config.yaml.
 */
export const isServableName = (name: string): boolean =>
  name.length > 0 &&
  name.length <= 255 &&
  /^[A-Za-z0-9_][A-Za-z0-9_.+ -]*$/.test(name) &&
  !name.includes('..') &&
  !name.startsWith('builder-') &&
  extname(name).toLowerCase() in CONTENT_TYPES;

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * One `bytes=` range of a file of `size` bytes (inclusive end). Null: no range, or one we answer with the
 * whole file (several ranges, another unit) as HTTP allows; the app asks for one range at a time
 * (`useMultipleRangeRequest: false` in its feed options).
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  // A last byte before the first is not a valid range: ignored, the whole file is sent.
  if (match[2] !== '' && Number(match[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return { start, end };
}

const notFound = (res: ServerResponse) => sendJson(res, 404, { error: { code: 'not_found', message: 'No such update file' } });

/** The request handler: resolves true for paths under `/updates`, false for any other path. */
export function createUpdateRoutes(dir: string, log: Log): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const root = realpath(dir).catch(() => null);
  return async (req, res) => {
    const path = requestPath(req);
    if (path === null || (path !== '/updates' && !path.startsWith('/updates/'))) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'Use GET' } }, { Allow: 'GET, HEAD' });
      return true;
    }
    let name: string;
    try {
      name = decodeURIComponent(path.slice('/updates/'.length));
    } catch {
      sendJson(res, 400, { error: { code: 'bad_request', message: 'The file name is not valid percent-encoding' } });
      return true;
    }
    if (!isServableName(name)) {
      // Covers `/updates/` itself (no listing), `..`, encoded slashes and dotfiles.
      notFound(res);
      return true;
    }
    const base = await root;
    const file = base === null ? null : await realpath(join(base, name)).catch(() => null);
    const info = file !== null && file.startsWith(base + sep) ? await stat(file).catch(() => null) : null;
    if (!info?.isFile()) {
      notFound(res);
      return true;
    }
    const size = info.size;
    const etag = `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers: Record<string, string | number> = {
      'Content-Type': contentTypeOf(name),
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': info.mtime.toUTCString(),
      // The feed changes in place with each release: always revalidated. Installers are named by version.
      'Cache-Control': isFeedFile(name) ? 'no-cache' : 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    // A range asked for with If-Range of another version gets the whole (new) file.
    const ifRange = req.headers['if-range'];
    const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, size) : null;
    if (range === 'unsatisfiable') {
      sendJson(res, 416, { error: { code: 'range_not_satisfiable', message: `The file has ${size} bytes` } }, { 'Content-Range': `bytes */${size}` });
      return true;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Length': length,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'GET') {
      res.once('finish', () =>
        log.info({ event: 'update_download', file: name, bytes: length, ...(range ? { range: `${start}-${end}` } : {}), path: safePath(req.url) }, 'update file served'),
      );
    }
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return true;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file!, { start, end });
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
    return true;
  };
}
