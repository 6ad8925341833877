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
import { normalizeFeedUrl } from '../../core/updates/feed-url';

export const UPDATE_SETTINGS_FILE = 'update-settings.json';
export const FEED_URL_ENV = 'CREWLINE_UPDATE_FEED_URL';
/** First check shortly after start (not during the workspace's first load), then every four hours. */
export const FIRST_CHECK_DELAY_MS = 30_000;
export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export { normalizeFeedUrl };

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

export { progressText } from '../../core/updates/update-state';

/** The settings file's text with `feedUrl` set (null: removed, back to the build's URL), other keys kept. */
export function withFeedUrl(settingsText: string | null, feedUrl: string | null): string {
  let settings: Record<string, unknown> = {};
  try {
    const json: unknown = settingsText === null ? {} : JSON.parse(settingsText);
    if (json && typeof json === 'object' && !Array.isArray(json)) settings = json as Record<string, unknown>;
  } catch {
    // A file we cannot read is replaced: the person just said what they want in the form.
  }
  const { feedUrl: _old, ...rest } = settings;
  return `${JSON.stringify(feedUrl === null ? rest : { ...rest, feedUrl }, null, 2)}\n`;
}

/** The stored `feedUrl` as typed (for the form), whatever the environment says. */
export function storedFeedUrl(settingsText: string | null): string | null {
  try {
    const parsed = SettingsFile.safeParse(settingsText === null ? {} : JSON.parse(settingsText));
    return parsed.success ? (parsed.data.feedUrl ?? null) : null;
  } catch {
    return null;
  }
}
