import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';

/**
 * Settings → Backups on the web host (issue 18): back up, change something, restore, and the change is
 * gone; the workspace as it was is kept as a pre-restore backup. A file that is not a workspace is refused
 * with the reason and changes nothing; the retention count is checked on its field.
 */

const DEMO_NAME = 'Northwind Home Services';
const filesIn = (dir: string) => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

test('back up, change, restore: the change is gone; a refused restore says why and changes nothing', async ({ page, host }) => {
  const backupsDir = join(host.dataDir, 'backups');
  await page.goto(`${host.url}#/settings?section=backups`);
  const section = page.locator('[data-section="backups"]');
  const nameField = page.locator('form[aria-label="Organization settings"] input[name="name"]');
  await expect(nameField).toHaveValue(DEMO_NAME);
  // The day's automatic backup waits a minute after the host opens the workspace: none yet.
  await expect(section.locator('.adm-empty')).toHaveText('No backups yet.');

  await test.step('back up now: a manual backup is listed', async () => {
    await section.locator('[data-action="backup-now"]').click();
    await expect(section.locator('[data-backup-notice="ok"]')).toContainText('Backed up to backup-');
    await expect(section.locator('tr[data-backup-kind="manual"]')).toHaveCount(1);
  });

  await test.step('change the organization name', async () => {
    await nameField.fill('Northwind Renamed');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.locator('.set-form [role="status"]')).toHaveText('Settings saved.');
  });

  await test.step('restore the manual backup: confirmed, then the change is gone and the old workspace is kept', async () => {
    await section.locator('tr[data-backup-kind="manual"] [data-action="restore-backup"]').click();
    const dialog = page.locator('dialog[data-dialog="restore-backup"]');
    await expect(dialog).toContainText('Replace “Northwind Renamed” with the backup of “Northwind Home Services”');
    await dialog.locator('[data-action="confirm-restore-backup"]').click();
    await expect(dialog).toHaveCount(0);
    await expect(section.locator('[data-backup-notice="ok"]')).toContainText(`Restored “${DEMO_NAME}” from backup-`);
    // The settings form follows the restored documents (roster:changed), with no reload.
    await expect(nameField).toHaveValue(DEMO_NAME);
    await expect(section.locator('tr[data-backup-kind="pre-restore"]')).toHaveCount(1);
    expect(filesIn(backupsDir).filter((n) => n.startsWith('pre-restore-'))).toHaveLength(1);
    // The board's data came back too: the demo's providers are all there.
    expect(host.query<{ n: number }>('SELECT count(*) AS n FROM providers')[0]!.n).toBe(12);
  });

  await test.step('a file that is not a workspace is refused with the reason; nothing changes', async () => {
    const notes = join(host.dataDir, 'notes.txt');
    writeFileSync(notes, 'not a Crewline backup\n'.repeat(100));
    const before = filesIn(backupsDir);
    const pathField = section.locator('input[name="path"]');
    await pathField.fill(notes);
    await section.locator('[data-action="restore-path"]').click();
    const refusal = section.locator('[data-backup-notice="error"]');
    await expect(refusal).toHaveAttribute('data-reason', 'not-sqlite');
    await expect(refusal).toContainText('notes.txt cannot be restored: This file is not a SQLite database');
    await expect(page.locator('dialog[data-dialog="restore-backup"]')).toHaveCount(0);
    expect(filesIn(backupsDir)).toEqual(before);
    await expect(nameField).toHaveValue(DEMO_NAME);

    // A path that is not a full one is an error on the field itself.
    await pathField.fill('notes.txt');
    await section.locator('[data-action="restore-path"]').click();
    await expect(pathField).toHaveAttribute('aria-invalid', 'true');
    await expect(section.locator('[data-error-for="path"]')).toContainText('Give the full path of the file');
  });

  await test.step('the retention count is checked on its field and saved', async () => {
    const keep = section.locator('input[name="keep"]');
    await expect(keep).toHaveValue('7');
    await keep.fill('0');
    await section.locator('[data-action="save-backup-settings"]').click();
    await expect(section.locator('[data-error-for="keep"]')).toHaveText('At least 1');
    await keep.fill('3');
    await section.locator('[data-action="save-backup-settings"]').click();
    await expect(section.locator('[data-backup-notice="ok"]')).toHaveText('Keeping the newest 3 automatic backups.');
    expect(host.query<{ value: string }>("SELECT value FROM meta WHERE key = 'backup_keep'")[0]!.value).toBe('3');
  });
});
