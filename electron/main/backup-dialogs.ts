// File → Back up workspace… and File → Restore… (issue 18): the native dialogs around the backend's
// WorkspaceBackups. Every check and the restore itself are the backend's (tested under Node); this only asks.
import { basename, join } from 'node:path';
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { backupFileName } from '../../core/backup/backups';
import type { BackendApi } from '../backend/api/backend-api';
import type { LocalStore } from '../backend/store/local-store';
import type { WorkspaceBackups } from '../backend/store/workspace-backup';

const FILTERS = [{ name: 'Crewline backup', extensions: ['sqlite'] }];

async function message(win: BrowserWindow | null, options: MessageBoxOptions): Promise<number> {
  const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return answer.response;
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Save dialog, then a checked copy of the workspace at the chosen path. */
export async function backUpWorkspaceDialog(backups: WorkspaceBackups, store: LocalStore, win: BrowserWindow | null): Promise<void> {
  const options = {
    title: 'Back up workspace',
    defaultPath: join(app.getPath('documents'), backupFileName('manual', store.clock()).replace(/^backup-/, 'crewline-backup-')),
    filters: FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'>,
  };
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  try {
    const written = backups.backUpTo(choice.filePath);
    await message(win, { type: 'info', title: 'Backup written', message: `The workspace was backed up to ${written.path}.` });
  } catch (error) {
    await message(win, { type: 'error', title: 'Backup failed', message: 'The workspace could not be backed up.', detail: describeError(error) });
  }
}

/**
 * Open dialog, the file checked (a refusal says why and changes nothing), a confirmation naming what is
 * replaced by what, then the restore. Check and restore go through the API's handlers, as the page's would,
 * so the page hears of it through the same events (the documents' changes, `draft:changed`).
 */
export async function restoreWorkspaceDialog(api: BackendApi, backups: WorkspaceBackups, store: LocalStore, win: BrowserWindow | null): Promise<void> {
  const options = { title: 'Restore workspace from a backup', defaultPath: backups.dir, filters: FILTERS, properties: ['openFile'] as Array<'openFile'> };
  const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const path = choice.filePaths[0];
  if (choice.canceled || !path) return;
  const checked = await api.handlers['backup:check']({ path });
  if (!checked.ok) {
    await message(win, { type: 'error', title: 'Cannot restore', message: `${basename(path)} cannot be restored.`, detail: checked.error.message });
    return;
  }
  const current = store.queries.settings().name || 'this workspace';
  const b = checked.value;
  const answer = await message(win, {
    type: 'warning',
    title: 'Restore workspace',
    message: `Replace “${current}” with the backup of “${b.organization}”?`,
    detail:
      `${basename(path)} holds ${b.providers} providers and ${b.bookings} jobs. Everything in the workspace now, staged board ` +
      `changes included, is replaced; it is first kept as a backup in ${backups.dir}.` +
      (store.syncLink.linked ? ' A backup of another organization or server unlinks this workspace from its sync server.' : ''),
    buttons: ['Cancel', 'Restore'],
    defaultId: 0,
    cancelId: 0,
  });
  if (answer !== 1) return;
  try {
    const restored = await api.handlers['backup:restore']({ path });
    if (!restored.ok) {
      await message(win, { type: 'error', title: 'Cannot restore', message: `${basename(path)} cannot be restored.`, detail: restored.error.message });
      return;
    }
    const { preRestoreBackup, sync } = restored.value;
    await message(win, {
      type: 'info',
      title: 'Workspace restored',
      message: `Restored “${b.organization}” from ${basename(path)}.`,
      detail:
        `The workspace as it was is kept as ${join(backups.dir, preRestoreBackup.name)}.` +
        (sync === 'unlinked' ? ' This workspace is no longer linked to a sync server: sign in again (File → Sync…) to choose upload or replace.' : ''),
    });
  } catch (error) {
    await message(win, { type: 'error', title: 'Restore failed', message: 'The workspace could not be restored.', detail: describeError(error) });
  }
}
