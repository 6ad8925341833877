// The application menu. Items that act on the schedule forward an `app:menuInvoked` event to the page,
// which runs the same action as the keyboard shortcut, so the web host and the desktop behave alike.
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { IPC_EVENT_CHANNEL, type MenuAction } from '../../core/api/names';

/** Menu items the main process answers itself with native dialogs (./backup-dialogs.ts). */
export interface ShellMenuActions {
  backUpWorkspace(): void;
  restoreWorkspace(): void;
  /** Help → Open logs folder: <userData>/logs in the system's file manager (electron/backend/log.ts). */
  openLogsFolder(): void;
  /** Help → Check for updates (./updater.ts); its progress shows in the console. */
  checkForUpdates(): void;
}

export function installMenu(getWindow: () => BrowserWindow | null, shell?: ShellMenuActions): void {
  const send = (action: MenuAction) => () => getWindow()?.webContents.send(IPC_EVENT_CHANNEL, 'app:menuInvoked', { action });
  // Shown in the menu but not registered with the OS: the page handles the keys itself (and knows when
  // a text field has focus, where Ctrl+Z must undo typing, not the schedule).
  const item = (label: string, accelerator: string, action: MenuAction): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: send(action),
  });
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New booking…', 'CmdOrCtrl+N', 'newBooking'),
        item('Save changes…', 'CmdOrCtrl+S', 'save'),
        item('Print route sheets…', 'CmdOrCtrl+P', 'printRouteSheets'),
        { type: 'separator' },
        // Sign in to a sync server, link this workspace, see the link (features/sync/SyncDialog.tsx).
        { label: 'Sync…', click: send('openSync') },
        { type: 'separator' },
        ...(shell
          ? [
              { label: 'Back up workspace…', click: () => shell.backUpWorkspace() },
              { label: 'Restore…', click: () => shell.restoreWorkspace() },
              { type: 'separator' as const },
            ]
          : []),
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'CmdOrCtrl+Z', 'undo'),
        item('Redo', 'Shift+CmdOrCtrl+Z', 'redo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        item('Find…', 'CmdOrCtrl+K', 'search'),
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Day', 'D', 'viewDay'),
        item('Week', 'W', 'viewWeek'),
        item('Today', 'T', 'today'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    ...(shell
      ? [
          {
            role: 'help' as const,
            submenu: [
              { label: 'Check for updates…', click: () => shell.checkForUpdates() },
              { label: 'Open logs folder', click: () => shell.openLogsFolder() },
            ],
          },
        ] : []),
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
