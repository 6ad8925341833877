// Where this desktop looks for updates (issue 22). Plain Node, no Electron: tested in update-settings.test.ts.
//
// The feed URL is a per-machine preference, not an organization setting: the update check runs before any
// workspace is open or linked (and in main, which does not read the backend's documents); one organization's
// desktops may reach its server by different addresses (office LAN, VPN, public name); and an address that
// decides which program a machine installs should be set by whoever administers that machine, not synced
// to every desktop by any admin of the organization. In order:
//   1. CREWLINE_UPDATE_FEED_URL in the environment (IT deploying with a policy or a launcher script);
//   2. `feedUrl` in <user data>/update-settings.json;
//   3. the URL baked in at build time (electron-builder.yml `publish`, written to app-update.yml).
// `"autoCheck": false` in the same file stops the checks (a machine updated by IT's own tooling).
import { z } from 'zod';

export const UPDATE_SETTINGS_FILE = 'update-settings.json';
export const FEED_URL_ENV = 'CREWLINE_UPDATE_FEED_URL';
/** First check shortly after start (not during the workspace's first load), then every four hours. */
export const FIRST_CHECK_DELAY_MS = 30_000;
export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The base URL of an update folder, ending in `/` (electron-updater resolves `latest.yml` against it, and
 * without the slash the folder's last segment would be replaced). https, or http on this machine only
 * (a test server): the feed names the installer and its checksum, so whoever can rewrite it in transit
 * chooses what gets installed.
 */
export function normalizeFeedUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
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

const SettingsFile = z.object({ feedUrl: z.string().optional(), autoCheck: z.boolean().optional() }).loose();

export interface UpdateFeed {
  /** Undefined: the build's own URL (app-update.yml). */
  url?: string;
  source: 'environment' | 'settings' | 'build';
  autoCheck: boolean;
  /** Why a configured value was passed over (the app logs it and falls back). */
  problems: string[];
}

/** `settingsText`: the file's contents, or null when there is none. */
export function resolveUpdateFeed(settingsText: string | null, env: NodeJS.ProcessEnv): UpdateFeed {
  const problems: string[] = [];
  let settings: z.infer<typeof SettingsFile> = {};
  if (settingsText !== null) {
    let json: unknown;
    try {
      json = JSON.parse(settingsText);
    } catch {
      json = undefined;
    }
    const parsed = SettingsFile.safeParse(json);
    if (parsed.success) settings = parsed.data;
    else problems.push(`${UPDATE_SETTINGS_FILE} is not {"feedUrl": "https://…", "autoCheck": true}: ignored`);
  }
  const autoCheck = settings.autoCheck ?? true;
  const candidates: [UpdateFeed['source'], string | undefined][] = [
    ['environment', env[FEED_URL_ENV] || undefined],
    ['settings', settings.feedUrl || undefined],
  ];
  for (const [source, raw] of candidates) {
    if (raw === undefined) continue;
    const normalized = normalizeFeedUrl(raw);
    if (normalized.ok) return { url: normalized.url, source, autoCheck, problems };
    problems.push(`${source === 'environment' ? FEED_URL_ENV : UPDATE_SETTINGS_FILE}: ${normalized.error}`);
  }
  return { source: 'build', autoCheck, problems };
}

/** "Downloading update 1.4.0: 42 % (3.1 MB/s)", for the log. */
export function progressText(version: string, percent: number, bytesPerSecond: number): string {
  const rate = bytesPerSecond >= 1e6 ? `${(bytesPerSecond / 1e6).toFixed(1)} MB/s` : `${Math.round(bytesPerSecond / 1e3)} kB/s`;
  return `Downloading update ${version}: ${Math.floor(Math.min(100, Math.max(0, percent)))} % (${rate})`;
}
