// The update feed's address (issue 22), checked the same way in the Settings form's request (the contract)
// and in main when it reads update-settings.json. Pure: no I/O.

/** WHATWG URL, global in Node and browsers; core is type-checked without either library (tsconfig.core.json). */
interface WhatwgUrl {
  protocol: string;
  hostname: string;
  origin: string;
  username: string;
  password: string;
  search: string;
  hash: string;
  pathname: string;
  readonly href: string;
}
declare const URL: new (input: string) => WhatwgUrl;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The base URL of an update folder, ending in `/` (electron-updater resolves `latest.yml` against it, and
 * without the slash the folder's last segment would be replaced). https, or http on this machine only
 * (a test server): the feed names the installer and its checksum, so whoever can rewrite it in transit
 * chooses what gets installed.
 */
export function normalizeFeedUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: WhatwgUrl;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, error: `"${raw}" is not a URL (like https://sync.example.com/updates/)` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return { ok: false, error: `${url.origin}: updates must come over https (http only from this machine)` };
  }
  if (url.username || url.password || url.search || url.hash) {
    return { ok: false, error: 'The update URL takes no credentials, query or fragment' };
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { ok: true, url: url.href };
}
