import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestPath, sendJson } from '../http/http-util';

/**
 * The technician page (issue #5): a small mobile page at `/tech/` that signs in and then uses only the
 * field API. Three static files from `static/`, read once at start and served with a strict CSP: the
 * page loads nothing from elsewhere and runs no inline script, so data shown through textContent cannot
 * become code.
 */

interface Asset {
  type: string;
  body: Buffer;
}

const read = (name: string) => readFileSync(new URL(`./static/${name}`, import.meta.url));

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Small files: a revalidation each time keeps a phone from running an old page after an upgrade.
  'Cache-Control': 'no-cache',
};

export function createTechPageRoutes(): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const page: Asset = { type: 'text/html; charset=utf-8', body: read('index.html') };
  const assets = new Map<string, Asset>([
    ['/tech', page],
    ['/tech/', page],
    ['/tech/tech-page.js', { type: 'text/javascript; charset=utf-8', body: read('tech-page.js') }],
    ['/tech/tech-page.css', { type: 'text/css; charset=utf-8', body: read('tech-page.css') }],
  ]);

  return async (req, res) => {
    const path = requestPath(req);
    if (path === null || (path !== '/tech' && !path.startsWith('/tech/'))) return false;
    const asset = assets.get(path);
    if (!asset) {
      sendJson(res, 404, { error: { code: 'not_found', message: 'Not found' } });
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'Use GET' } }, { Allow: 'GET, HEAD' });
      return true;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
