// Auto-update (issue 22), thin and type-checked only: Electron cannot run on our build machines, so nothing
// here is exercised by tests. What can run under Node is tested elsewhere: the feed settings
// (update-settings.test.ts) and the server side, the feed read back and a tampered file refused
// (sync-server/src/updates/*.int.test.ts).
//
// electron-updater checks on start and every few hours, downloads in the background (progress on the
// taskbar / dock icon), and when the update is ready we offer "Restart to update"; "Later" installs it at
// the next quit. Integrity is electron-updater's: it hashes the download and refuses one whose sha512
// differs from latest.yml (ERR_CHECKSUM_MISMATCH), and on Windows also checks the installer's signature
// against the app's publisher. We do not check again here. Any failed check or download is logged and
// the app keeps running; the next check tries again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
// electron-updater is CommonJS with its `autoUpdater` behind a getter: ESM takes the module object.
import electronUpdater, { type ProgressInfo, type UpdateDownloadedEvent, type UpdateInfo } from 'electron-updater';
import { CHECK_EVERY_MS, FIRST_CHECK_DELAY_MS, progressText, resolveUpdateFeed, UPDATE_SETTINGS_FILE } from './update-settings';

export interface UpdaterOptions {
  userData: string;
  mainWindow: () => BrowserWindow | null;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

function readSettings(userData: string): string | null {
  try {
    return readFileSync(join(userData, UPDATE_SETTINGS_FILE), 'utf8');
  } catch {
    return null;
  }
}

/** Starts the checks; returns a stop for quit. Does nothing in an unpackaged (dev) app, which has no feed. */
export function startUpdater({ userData, mainWindow, log }: UpdaterOptions): () => void {
  if (!app.isPackaged) return () => {};
  const feed = resolveUpdateFeed(readSettings(userData), process.env);
  for (const problem of feed.problems) log('warn', `update settings: ${problem}`);
  if (!feed.autoCheck) {
    log('info', `update checks are off (${UPDATE_SETTINGS_FILE})`);
    return () => {};
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = { info: (m: unknown) => log('info', String(m)), warn: (m: unknown) => log('warn', String(m)), error: (m: unknown) => log('error', String(m)), debug: () => {} };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  // One range per request: what the sync server's /updates/ answers (see electron-builder.yml).
  if (feed.url !== undefined) autoUpdater.setFeedURL({ provider: 'generic', url: feed.url, useMultipleRangeRequest: false });
  log('info', `update feed: ${feed.url ?? 'the build URL (app-update.yml)'} (${feed.source})`);

  let offered = false;
  let incoming = '';
  autoUpdater.on('update-available', (info: UpdateInfo) => {
    incoming = info.version;
    log('info', `update ${info.version} found, downloading in the background`);
  });
  const setProgress = (fraction: number) => {
    const win = mainWindow();
    if (win && !win.isDestroyed()) win.setProgressBar(fraction);
  };
  autoUpdater.on('download-progress', (progress: ProgressInfo) => {
    setProgress(progress.percent / 100);
    log('info', progressText(incoming, progress.percent, progress.bytesPerSecond));
  });
  autoUpdater.on('error', (error: Error) => {
    setProgress(-1);
    log('error', `update failed, this version keeps running: ${error.message}`);
  });
  autoUpdater.on('update-downloaded', (event: UpdateDownloadedEvent) => {
    setProgress(-1);
    if (offered) return;
    offered = true;
    const win = mainWindow();
    const options: Electron.MessageBoxOptions = {
      type: 'info',
      buttons: ['Restart to update', 'Later'],
      defaultId: 0,
      cancelId: 1,
      title: 'Update ready',
      message: `Crewline ${event.version} is ready to install.`,
      detail: 'Restart now to use it, or later: it installs when you quit Crewline. Your changes are saved either way.',
    };
    void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then(({ response }) => {
      // quitAndInstall closes the windows and quits; will-quit (index.ts) still closes the workspace first.
      if (response === 0) autoUpdater.quitAndInstall();
    });
  });

  const check = () => {
    autoUpdater.checkForUpdates().catch((error: unknown) => log('error', `update check failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  const first = setTimeout(check, FIRST_CHECK_DELAY_MS);
  const every = setInterval(check, CHECK_EVERY_MS);
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
