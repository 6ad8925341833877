// Electron main process entry: one window with the security baseline of DESIGN §11.
// The backend (electron/backend) is attached in the console issue; nothing is wired here yet.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, shell } from 'electron';

/**
 * Origins whose https links may be opened in the user's browser via shell.openExternal.
 * Empty for now: every window.open / target=_blank is denied and nothing is opened.
 */
const EXTERNAL_LINK_ALLOW_LIST: readonly string[] = [];

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererFile = path.join(import.meta.dirname, '../renderer/index.html');
const preloadFile = path.join(import.meta.dirname, '../preload/index.cjs');

/** True for URLs that belong to the app itself (the dev server or the built index.html). */
function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (devServerUrl !== undefined) return url.origin === new URL(devServerUrl).origin;
  return url.protocol === 'file:' && url.pathname === pathToFileURL(rendererFile).pathname;
}

function isAllowedExternalLink(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && EXTERNAL_LINK_ALLOW_LIST.includes(url.origin);
  } catch {
    return false;
  }
}

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
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
  win.once('ready-to-show', () => win.show());
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

void app.whenReady().then(() => {
  // No permission (camera, notifications, geolocation, ...) is granted to web content.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
