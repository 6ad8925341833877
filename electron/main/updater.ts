// Auto-update (issue 22), thin and type-checked only: Electron cannot run on our build machines, so nothing
// here is exercised by tests. What can run under Node is tested elsewhere: the feed settings
// (update-settings.test.ts), the state the console shows (core/updates/update-state.test.ts), the renderer's
// use of it (renderer/src/features/updates/*.test.ts) and the server side, the feed read back and a
// tampered file refused (sync-server/src/updates/*.int.test.ts).
//
// electron-updater checks on start and every few hours, downloads in the background, and each step becomes
// an `updates:stateChanged` event to the console (through the preload), which shows the progress and, once
// downloaded, "Restart to update"; otherwise it installs at the next quit. Help → Check for updates and the
// Settings button check at once. Integrity is electron-updater's: it hashes the download and refuses one
// whose sha512 differs from latest.yml (ERR_CHECKSUM_MISMATCH), and on Windows also checks the installer's
// signature against the app's publisher. We do not check again here. Any failed check or download is
// logged and shown, and the app keeps running; the next check tries again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, type BrowserWindow } from 'electron';
// electron-updater is CommonJS with its `autoUpdater` behind a getter: ESM takes the module object.
import electronUpdater, { type ProgressInfo, type UpdateDownloadedEvent, type UpdateInfo } from 'electron-updater';
import { fail, ok, type Result } from '../../core/index';
import type { UpdateStatus } from '../../core/api/updates-contract';
import { IPC_EVENT_CHANNEL } from '../../core/api/names';
import { INITIAL_UPDATE_STATE, nextUpdateState, progressText, type UpdateEvent, type UpdateState } from '../../core/updates/update-state';
import { CHECK_EVERY_MS, FEED_URL_ENV, FIRST_CHECK_DELAY_MS, normalizeFeedUrl, resolveUpdateFeed, storedFeedUrl, UPDATE_SETTINGS_FILE, withFeedUrl } from './update-settings';

export interface UpdaterOptions {
  userData: string;
  mainWindow: () => BrowserWindow | null;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Updater {
  status(): UpdateStatus;
  setFeedUrl(feedUrl: string): Result<UpdateStatus>;
  check(): Result<UpdateStatus>;
  restart(): Result<{ restarting: boolean }>;
  stop(): void;
}

/** Starts the checks. An unpackaged (dev) app has no feed: it answers `supported: false`, like the web host. */
export function startUpdater({ userData, mainWindow, log }: UpdaterOptions): Updater {
  const settingsPath = join(userData, UPDATE_SETTINGS_FILE);
  const readSettings = (): string | null => {
    try {
      return readFileSync(settingsPath, 'utf8');
    } catch {
      return null;
    }
  };
  let state: UpdateState = INITIAL_UPDATE_STATE;
  const supported = app.isPackaged;
  const status = (): UpdateStatus => {
    const env = process.env[FEED_URL_ENV];
    const fromEnv = env ? normalizeFeedUrl(env) : null;
    return { supported, feedUrl: storedFeedUrl(readSettings()), environmentFeedUrl: fromEnv?.ok ? fromEnv.url : null, state };
  };
  const unsupported = () => fail('forbidden', 'This build has no update feed (it is not an installed release)');
  if (!supported) {
    return { status, setFeedUrl: unsupported, check: unsupported, restart: unsupported, stop: () => {} };
  }

  const { autoUpdater } = electronUpdater;
  const applyFeed = (): boolean => {
    const feed = resolveUpdateFeed(readSettings(), process.env);
    for (const problem of feed.problems) log('warn', `update settings: ${problem}`);
    // One range per request: what the sync server's /updates/ answers (see electron-builder.yml).
    if (feed.url !== undefined) autoUpdater.setFeedURL({ provider: 'generic', url: feed.url, useMultipleRangeRequest: false });
    log('info', `update feed: ${feed.url ?? 'the build URL (app-update.yml)'} (${feed.source})`);
    return feed.autoCheck;
  };
  const emit = (event: UpdateEvent) => {
    state = nextUpdateState(state, event);
    const win = mainWindow();
    if (!win || win.isDestroyed()) return;
    // The taskbar / dock icon shows the download too; -1 removes the bar.
    win.setProgressBar(state.phase === 'downloading' ? state.percent / 100 : -1);
    win.webContents.send(IPC_EVENT_CHANNEL, 'updates:stateChanged', state);
  };

  autoUpdater.logger = { info: (m: unknown) => log('info', String(m)), warn: (m: unknown) => log('warn', String(m)), error: (m: unknown) => log('error', String(m)), debug: () => {} };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  const autoCheck = applyFeed();
  autoUpdater.on('checking-for-update', () => emit({ type: 'checking' }));
  autoUpdater.on('update-not-available', () => emit({ type: 'not-available' }));
  autoUpdater.on('update-available', (info: UpdateInfo) => {
    log('info', `update ${info.version} found, downloading in the background`);
    emit({ type: 'available', version: info.version });
  });
  autoUpdater.on('download-progress', (progress: ProgressInfo) => {
    emit({ type: 'progress', percent: progress.percent, bytesPerSecond: progress.bytesPerSecond });
    log('info', progressText(state.version ?? '', progress.percent, progress.bytesPerSecond));
  });
  autoUpdater.on('error', (error: Error) => {
    log('error', `update failed, this version keeps running: ${error.message}`);
    emit({ type: 'error', message: error.message });
  });
  autoUpdater.on('update-downloaded', (event: UpdateDownloadedEvent) => emit({ type: 'downloaded', version: event.version }));

  const checkNow = () => {
    autoUpdater.checkForUpdates().catch((error: unknown) => log('error', `update check failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  let first: ReturnType<typeof setTimeout> | undefined;
  let every: ReturnType<typeof setInterval> | undefined;
  if (autoCheck) {
    first = setTimeout(checkNow, FIRST_CHECK_DELAY_MS);
    every = setInterval(checkNow, CHECK_EVERY_MS);
  } else {
    log('info', `update checks are off (${UPDATE_SETTINGS_FILE}); Help → Check for updates still checks`);
  }
  return {
    status,
    setFeedUrl(feedUrl) {
      const trimmed = feedUrl.trim();
      const normalized = trimmed === '' ? null : normalizeFeedUrl(trimmed);
      if (normalized && !normalized.ok) return fail('validation', normalized.error, { fieldErrors: { feedUrl: normalized.error } });
      try {
        writeFileSync(settingsPath, withFeedUrl(readSettings(), normalized ? normalized.url : null), { mode: 0o600 });
      } catch (error) {
        return fail('internal', `Could not save ${UPDATE_SETTINGS_FILE}: ${error instanceof Error ? error.message : String(error)}`);
      }
      applyFeed();
      return ok(status());
    },
    check() {
      if (state.phase === 'downloading' || state.phase === 'ready') return ok(status());
      checkNow();
      return ok(status());
    },
    restart() {
      if (state.phase !== 'ready') return fail('conflict', 'No update is ready to install yet');
      // quitAndInstall closes the windows and quits; will-quit (index.ts) still closes the workspace first.
      setImmediate(() => autoUpdater.quitAndInstall());
      return ok({ restarting: true });
    },
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
