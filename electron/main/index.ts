// Electron main process entry: one window with the security baseline of DESIGN §11, and the backend
// (electron/backend) on the workspace in the user's data folder, reached over IPC (./ipc.ts).
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { BackendApi } from '../backend/api/backend-api';
import { SeriesHorizonKeeper } from '../backend/api/series-horizon';
import type { LocalStore } from '../backend/store/local-store';
import { openWorkspace, type OpenedWorkspace } from '../backend/workspace';
import { SyncClient } from '../backend/sync/sync-client';
import { devServerUrl, isAppUrl, preloadFile, rendererFile } from './app-url';
import { registerIpc } from './ipc';
import { savePageAsPdf } from './save-pdf';
import { installMenu } from './menu';
import { rememberBounds, restoredBounds } from './window-state';
import { SafeStorageTokenVault } from './safe-storage-vault';
import { WorkspaceBackups } from '../backend/store/workspace-backup';
import { backUpWorkspaceDialog, restoreWorkspaceDialog } from './backup-dialogs';

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

let store: LocalStore | null = null;
let opened: OpenedWorkspace;
let sync: SyncClient | null = null;
let backups: WorkspaceBackups | null = null;
let horizon: SeriesHorizonKeeper | null = null;
let unregisterIpc: (() => void) | null = null;

function createMainWindow(): BrowserWindow {
  const { bounds, maximized } = restoredBounds();
  const win = new BrowserWindow({
    ...bounds,
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
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
    // The board paints from the read tables; decode the schedule document once the window is up.
    setImmediate(() => {
      store?.loadDocuments();
      // Recurring visits for the horizon ahead: now, and again each new day (by the store's clock).
      if (store && !horizon) {
        horizon = new SeriesHorizonKeeper(store, { log: (message) => console.warn(message) });
        horizon.start();
      }
      // Resume syncing when this workspace is linked to a server and a token is kept.
      void sync?.start();
      // The daily automatic backup: checked a minute from now, then on a timer (backups/ in the user's data folder).
      backups?.startAutomatic();
    });
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
  try {
    // First start: the console asks whether to try the demo company or set up the user's own.
    opened = openWorkspace({ dataDir: app.getPath('userData') });
    store = opened.store;
  } catch (error) {
    dialog.showErrorBox('Crewline cannot open its workspace', error instanceof Error ? error.message : String(error));
    app.quit();
    return;
  }
  sync = new SyncClient({ store, vault: new SafeStorageTokenVault(app.getPath('userData')) });
  const workspaceBackups = (backups = new WorkspaceBackups(store, { sync, log: (line) => console.log(line) }));
  const openStore = store;
  const api = new BackendApi(store, { version: app.getVersion(), transport: 'ipc' }, sync, { setup: opened.setup, backups: workspaceBackups });
  unregisterIpc = registerIpc(api, {
    'routeSheets:savePdf': ({ fileName }, sender) => savePageAsPdf(sender, fileName),
  });
  const mainWindow = () => BrowserWindow.getAllWindows()[0] ?? null;
  installMenu(mainWindow, {
    backUpWorkspace: () => void backUpWorkspaceDialog(workspaceBackups, openStore, mainWindow()),
    restoreWorkspace: () => void restoreWorkspaceDialog(api, workspaceBackups, openStore, mainWindow()),
  });
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  unregisterIpc?.();
  unregisterIpc = null;
  backups?.stopAutomatic();
  backups = null;
  horizon?.stop();
  horizon = null;
  sync?.close();
  sync = null;
  store?.close();
  store = null;
});
