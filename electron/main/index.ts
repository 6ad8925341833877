// Electron main process entry: one window with the security baseline of docs/design.md §11, menus, dialogs,
// printing and the keychain. The backend (electron/backend) runs in a utilityProcess on the workspace in
// the user's data folder (./backend-process.ts); the page reaches it over a MessagePort (issue 22), so no
// document decode can block this process, its window or its menus.
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { BackendProcess } from './backend-process';
import { devServerUrl, isAppUrl, preloadFile, rendererFile } from './app-url';
import { registerIpc } from './ipc';
import { savePageAsPdf } from './save-pdf';
import { installMenu } from './menu';
import { rememberBounds, restoredBounds } from './window-state';
import { SafeStorageTokenVault } from './safe-storage-vault';
import { backUpWorkspaceDialog, restoreWorkspaceDialog } from './backup-dialogs';
import { logsDirOf, openMainLogger } from './main-log';
import { startUpdater } from './updater';
import { ok } from '../../core/result';
import { currentWindowBackground, followSystemTheme, trackThemeBackground } from './theme';

/**
 * Origins whose https links may be opened in the user's browser via shell.openExternal.
 * Empty for now: every window.open / target=_blank is denied and nothing is opened.
 */
const EXTERNAL_LINK_ALLOW_LIST: readonly string[] = [];

function isAllowedExternalLink(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && EXTERNAL_LINK_ALLOW_LIST.includes(url.origin);
  } catch {
    return false;
  }
}

let backend: BackendProcess | null = null;
let unregisterIpc: (() => void) | null = null;
let stopUpdater: () => void = () => {};

/** The app's pages (not devtools, not a page that navigated elsewhere): they get backend ports and state. */
function appContents(): Electron.WebContents[] {
  return BrowserWindow.getAllWindows()
    .map((win) => win.webContents)
    .filter((contents) => !contents.isDestroyed() && isAppUrl(contents.getURL()));
}

function createMainWindow(): BrowserWindow {
  const { bounds, maximized } = restoredBounds();
  followSystemTheme();
  const win = new BrowserWindow({
    ...bounds,
    backgroundColor: currentWindowBackground(),
    minWidth: 900,
    minHeight: 600,
    title: 'Crewline',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  rememberBounds(win);
  trackThemeBackground(win);
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  // The renderer's CSP is a <meta> tag in renderer/index.html (works for file:// and the dev server).
  if (devServerUrl !== undefined) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

// Applies to every webContents the app ever creates.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

/** One process per workspace: the store keeps the documents in memory and must be their only writer. */
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();
app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

void app.whenReady().then(() => {
  if (!primaryInstance) return;
  // No permission (camera, notifications, geolocation, ...) is granted to web content.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // The backend opens the workspace in its own process (the first start asks for the demo or the user's
  // company there); the decode of the schedule document and sync start after it opened, in its worker.
  const userData = app.getPath('userData');
  const logger = openMainLogger(userData, app.getVersion());
  app.once('will-quit', () => logger.info('app.quitting', 'Crewline quitting'));
  const started = (backend = new BackendProcess({
    dataDir: userData,
    version: app.getVersion(),
    vault: new SafeStorageTokenVault(userData),
    appContents,
    log: (line) => console.log(line),
    logger,
    onFailed: (message) => {
      dialog.showErrorBox('Crewline cannot open its workspace', message);
      app.quit();
    },
  }));
  started.start();
  const request = (name: Parameters<BackendProcess['request']>[0], input: unknown) => started.request(name, input);
  const mainWindow = () => BrowserWindow.getAllWindows()[0] ?? null;
  const updater = startUpdater({ userData, mainWindow, log: (level, message) => logger[level]('app.update', message) });
  stopUpdater = () => updater.stop();
  unregisterIpc = registerIpc(
    {
      'routeSheets:savePdf': ({ fileName }, sender) => savePageAsPdf(sender, fileName),
      'updates:getStatus': () => ok(updater.status()),
      'updates:setFeedUrl': ({ feedUrl }) => updater.setFeedUrl(feedUrl),
      'updates:check': () => updater.check(),
      'updates:restart': () => updater.restart(),
    },
    (contents) => started.connect(contents),
  );
  installMenu(mainWindow, {
    backUpWorkspace: () => void backUpWorkspaceDialog(request, mainWindow()),
    restoreWorkspace: () => void restoreWorkspaceDialog(request, mainWindow()),
    // openPath answers '' or why it could not open the folder.
    openLogsFolder: () =>
      void shell.openPath(logsDirOf(userData)).then((problem) => {
        if (problem) logger.warn('app.open_logs_failed', `Could not open the logs folder: ${problem}`);
      }),
    checkForUpdates: () => void updater.check(),
  });
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// The workspace closes cleanly (last commits, WAL checkpoint) before the app exits.
let backendStopped = false;
app.on('will-quit', (event) => {
  unregisterIpc?.();
  unregisterIpc = null;
  stopUpdater();
  if (backendStopped || !backend) return;
  event.preventDefault();
  const stopping = backend;
  backend = null;
  void stopping.stop().finally(() => {
    backendStopped = true;
    app.quit();
  });
});
