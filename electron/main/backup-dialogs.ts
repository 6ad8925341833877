// File → Back up workspace… and File → Restore… (issue 18): the native dialogs around the backend's
// backups. Every check and the restore itself are the backend's (tested under Node), asked over main's
// port to the backend's utilityProcess (issue 22: main holds no workspace); this only asks.
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { backupFileName, type BackupEntry, type BackupSummary, type RestoreResult } from '../../core/backup/backups';
import type { RequestName, Result } from '../../core/index';
import type { Settings } from '../../core/model';
import type { WorkspaceStatus } from '../../core/api/contract';

/** Main's way to the backend (BackendProcess.request). */
export type BackendRequest = (name: RequestName, input: unknown) => Promise<Result<unknown>>;

async function ask<T>(request: BackendRequest, name: RequestName, input: unknown = {}): Promise<T> {
  const result = await request(name, input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

const FILTERS = [{ name: 'Crewline backup', extensions: ['sqlite'] }];

async function message(win: BrowserWindow | null, options: MessageBoxOptions): Promise<number> {
  const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return answer.response;
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Save dialog, then a checked backup (the backend's `backup:create`, kept in its backups folder too) copied
 * to the chosen path.
 */
export async function backUpWorkspaceDialog(request: BackendRequest, win: BrowserWindow | null): Promise<void> {
  let now: number;
  try {
    now = (await ask<{ now: number }>(request, 'app:getInfo')).now;
  } catch (error) {
    await message(win, { type: 'error', title: 'Backup failed', message: 'The backend is not available.', detail: describeError(error) });
    return;
  }
  const options = {
    title: 'Back up workspace',
    defaultPath: join(app.getPath('documents'), backupFileName('manual', now).replace(/^backup-/, 'crewline-backup-')),
    filters: FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'>,
  };
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  try {
    const entry = await ask<BackupEntry>(request, 'backup:create');
    const { dir } = await ask<{ dir: string }>(request, 'backup:list');
    copyFileSync(join(dir, entry.name), choice.filePath);
    await message(win, { type: 'info', title: 'Backup written', message: `The workspace was backed up to ${choice.filePath}.` });
  } catch (error) {
    await message(win, { type: 'error', title: 'Backup failed', message: 'The workspace could not be backed up.', detail: describeError(error) });
  }
}

/**
 * Open dialog, the file checked (a refusal says why and changes nothing), a confirmation naming what is
 * replaced by what, then the restore. Check and restore go through the API's handlers, as the page's would,
 * so the page hears of it through the same events (the documents' changes, `draft:changed`).
 */
export async function restoreWorkspaceDialog(request: BackendRequest, win: BrowserWindow | null): Promise<void> {
  let backupsDir: string;
  try {
    backupsDir = (await ask<{ dir: string }>(request, 'backup:list')).dir;
  } catch (error) {
    await message(win, { type: 'error', title: 'Cannot restore', message: 'The backend is not available.', detail: describeError(error) });
    return;
  }
  const options = { title: 'Restore workspace from a backup', defaultPath: backupsDir, filters: FILTERS, properties: ['openFile'] as Array<'openFile'> };
  const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const path = choice.filePaths[0];
  if (choice.canceled || !path) return;
  const checked = (await request('backup:check', { path })) as Result<BackupSummary>;
  if (!checked.ok) {
    await message(win, { type: 'error', title: 'Cannot restore', message: `${basename(path)} cannot be restored.`, detail: checked.error.message });
    return;
  }
  const settings = (await request('settings:get', {})) as Result<Settings>;
  const status = (await request('workspace:getStatus', {})) as Result<WorkspaceStatus>;
  const current = (settings.ok && settings.value.name) || 'this workspace';
  const b = checked.value;
  const answer = await message(win, {
    type: 'warning',
    title: 'Restore workspace',
    message: `Replace “${current}” with the backup of “${b.organization}”?`,
    detail:
      `${basename(path)} holds ${b.providers} providers and ${b.bookings} jobs. Everything in the workspace now, staged board ` +
      `changes included, is replaced; it is first kept as a backup in ${backupsDir}.` +
      (status.ok && status.value.linked ? ' A backup of another organization or server unlinks this workspace from its sync server.' : ''),
    buttons: ['Cancel', 'Restore'],
    defaultId: 0,
    cancelId: 0,
  });
  if (answer !== 1) return;
  try {
    const restored = (await request('backup:restore', { path })) as Result<RestoreResult>;
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
        `The workspace as it was is kept as ${join(backupsDir, preRestoreBackup.name)}.` +
        (sync === 'unlinked' ? ' This workspace is no longer linked to a sync server: sign in again (File → Sync…) to choose upload or replace.' : ''),
    });
  } catch (error) {
    await message(win, { type: 'error', title: 'Restore failed', message: 'The workspace could not be restored.', detail: describeError(error) });
  }
}
