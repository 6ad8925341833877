import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { MAX_FRAME_BYTES } from '../electron/backend/transport/ws-server';
import { FRAME_RESERVE_BYTES, WEB_HOST_MAX_FRAME_BYTES } from '../renderer/src/features/import/import-flow';
import { expect, test, type Host } from './fixtures';

/** UTF-8 with a BOM, `;`-separated, a quoted address holding a line break and a comma, and a bad email on line 5. */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'customers-import.csv');
const ZOE_ADDRESS = '88 Elm Street, Apt 3\nEvanston, IL 60201';
/** An address is one line: its lines are joined as it is imported. */
const ZOE_ADDRESS_SAVED = '88 Elm Street, Apt 3, Evanston, IL 60201';

const customerCount = (host: Host) => host.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0]!.n;
const customerNamed = (host: Host, name: string) =>
  host.query<{ id: string; data: string }>('SELECT id, data FROM customers WHERE name = ?', name).map((r) => ({ id: r.id, ...JSON.parse(r.data) }));

const fileInput = (page: Page) => page.getByLabel('CSV file');
const importScreen = (page: Page) => page.locator('[data-screen="import"]');
const step = (page: Page) => importScreen(page).locator('[data-import-step]');
const previewRow = (page: Page, line: number) => importScreen(page).locator(`tr[data-line="${line}"]`);
const counts = (page: Page) => importScreen(page).locator('[data-import-counts]');

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, text: readFileSync((await download.path())!, 'utf8') };
}

test('imports a customers CSV through mapping and preview, as one undoable action, and exports it back', async ({ page, host }) => {
  const before = customerCount(host);
  await page.goto(`${host.url}#/customers`);
  await page.getByRole('button', { name: 'Import…' }).click();
  await expect(importScreen(page)).toBeVisible();
  await expect(page.getByLabel('What to import')).toHaveValue('customers');

  await fileInput(page).setInputFiles(FIXTURE);
  await expect(step(page)).toHaveAttribute('data-import-step', 'preview');
  // The mapping is guessed from the header row, and each column says what it fills.
  await expect(importScreen(page).locator('[data-mapping-source]')).toHaveAttribute('data-mapping-source', 'guessed');
  await expect(importScreen(page).locator('[data-mapping-source]')).toContainText('guessed from the header row');
  for (const [column, field] of [['Name', 'name'], ['Email', 'email'], ['Phone', 'phone'], ['Address', 'address'], ['Notes', 'notes']]) {
    await expect(page.getByLabel(`Import column “${column}” as`)).toHaveValue(field!);
  }
  // Every row with its status; the bad one with its line (quoted line breaks counted) and column.
  await expect(counts(page)).toHaveText('3 rows: 2 new, 0 updates, 0 unchanged, 1 invalid.');
  await expect(previewRow(page, 2)).toHaveAttribute('data-outcome', 'create');
  await expect(previewRow(page, 2).locator('td.imp-cell').nth(3)).toHaveText(ZOE_ADDRESS, { useInnerText: true });
  await expect(previewRow(page, 4)).toHaveAttribute('data-outcome', 'create');
  await expect(previewRow(page, 5)).toHaveAttribute('data-outcome', 'error');
  await expect(previewRow(page, 5).locator('[data-error-column="Email"]')).toContainText(/^Line 5, Email: .*email/i);
  expect(customerCount(host)).toBe(before); // a preview writes nothing

  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(importScreen(page).locator('[data-import-result]')).toHaveText('Imported: 2 customers added. 1 row was not imported.');
  expect(customerCount(host)).toBe(before + 2);
  expect(customerNamed(host, 'Zoë Lindqvist')).toMatchObject([{ email: 'zoe.lindqvist@import.example', address: ZOE_ADDRESS_SAVED, notes: 'Gate code 4411' }]);
  expect(customerNamed(host, 'Rafael Okonkwo')).toMatchObject([{ notes: 'Call ahead; dog in yard, friendly' }]);
  expect(customerNamed(host, 'Broken Row')).toEqual([]);

  // The invalid row, as it was in the file, with the reason.
  const rejected = await downloaded(page, () => page.getByRole('button', { name: 'Download the invalid row (CSV)' }).click());
  expect(rejected.download.suggestedFilename()).toBe('customers-import-invalid-rows.csv');
  const rejectedLines = rejected.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(rejectedLines[0]).toBe('Name;Email;Phone;Address;Notes;Error');
  expect(rejectedLines.slice(1)).toHaveLength(1);
  expect(rejectedLines[1]).toMatch(/^Broken Row;not-an-email;;5 Pine Ct;;Line 5: Email: /);

  await page.getByRole('link', { name: 'Open Customers' }).click();
  const list = page.locator('.cust-table');
  await expect(list.locator('tr', { hasText: 'Zoë Lindqvist' })).toBeVisible();
  await expect(list.locator('tr', { hasText: 'Rafael Okonkwo' })).toBeVisible();

  // One action: the board's Ctrl+Z takes both customers back at once.
  await page.goto(`${host.url}#/board`);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Undone', { exact: true })).toBeVisible();
  await expect.poll(() => customerCount(host)).toBe(before);
  expect(customerNamed(host, 'Zoë Lindqvist')).toEqual([]);

  // Imported again: the mapping is remembered from the commit.
  await page.goto(`${host.url}#/import?kind=customers`);
  await fileInput(page).setInputFiles(FIXTURE);
  await expect(importScreen(page).locator('[data-mapping-source]')).toHaveText('Columns remembered from your last import of customers.');
  await expect(counts(page)).toHaveText('3 rows: 2 new, 0 updates, 0 unchanged, 1 invalid.');
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(importScreen(page).locator('[data-import-result]')).toContainText('2 customers added');
  expect(customerCount(host)).toBe(before + 2);

  // The same file once more matches the customers instead of duplicating them: nothing to write.
  await page.getByRole('button', { name: 'Import another file' }).click();
  await fileInput(page).setInputFiles(FIXTURE);
  await expect(counts(page)).toHaveText('3 rows: 0 new, 0 updates, 2 unchanged, 1 invalid.');
  await expect(previewRow(page, 4)).toContainText('Same as Rafael Okonkwo');
  await expect(importScreen(page).locator('[data-action="import-commit"]')).toBeDisabled();
  await expect(importScreen(page).locator('[data-import-blocker]')).toHaveText('Nothing to import: every valid row is already as the file says.');

  // A changed phone updates that customer.
  const edited = readFileSync(FIXTURE, 'utf8').replace('+1 312 555 0142', '+1 312 555 0199');
  await fileInput(page).setInputFiles({ name: 'customers-edited.csv', mimeType: 'text/csv', buffer: Buffer.from(edited, 'utf8') });
  await expect(counts(page)).toHaveText('3 rows: 0 new, 1 update, 1 unchanged, 1 invalid.');
  await expect(previewRow(page, 4)).toHaveAttribute('data-outcome', 'update');
  await expect(previewRow(page, 4)).toContainText('Changes Rafael Okonkwo: Phone');
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(importScreen(page).locator('[data-import-result]')).toContainText('1 updated');
  expect(customerCount(host)).toBe(before + 2);
  const [rafael] = customerNamed(host, 'Rafael Okonkwo');
  expect(rafael.phone).toMatch(/555.?0199$/);

  // Export from the Customers screen: the header is the form's labels, a row holds what was imported.
  await page.getByRole('link', { name: 'Open Customers' }).click();
  const exported = await downloaded(page, () => page.locator('.cust-screen [data-export="customers"]').click());
  expect(exported.download.suggestedFilename()).toBe('crewline-customers-2026-11-24.csv');
  expect(exported.text.charCodeAt(0)).toBe(0xfeff);
  const [zoe] = customerNamed(host, 'Zoë Lindqvist');
  expect(exported.text.slice(1).split('\r\n')[0]).toBe('Name,Email,Phone,Address,Notes,Crewline ID');
  expect(exported.text).toContain(`Zoë Lindqvist,zoe.lindqvist@import.example,${zoe.phone},"${ZOE_ADDRESS_SAVED}",Gate code 4411,${zoe.id}\r\n`);
  expect(exported.text).toContain(`Rafael Okonkwo,rafael@import.example,${rafael.phone},17 Lake View Rd,"Call ahead; dog in yard, friendly",${rafael.id}\r\n`);
});

test('jobs export for the current week, with a separator for European spreadsheets', async ({ page, host }) => {
  await page.goto(`${host.url}#/import`);
  // DEMO_DATE is Tuesday 2026-11-24: the week runs Monday 23 to Sunday 29.
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('2026-11-23');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('2026-11-29');
  await page.getByLabel('Separator').selectOption(';');
  const jobs = await downloaded(page, () => page.getByRole('button', { name: 'Export jobs' }).click());
  expect(jobs.download.suggestedFilename()).toBe('crewline-jobs-2026-11-23-to-2026-11-29.csv');
  const lines = jobs.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toMatch(/^Date;Start;End;Duration \(minutes\);Title;Status;Customer;/);
  const dates = lines.slice(1).map((l) => l.slice(0, 10));
  expect(dates.length).toBeGreaterThan(0);
  expect(dates.every((d) => d >= '2026-11-23' && d <= '2026-11-29')).toBe(true);

  // A range that ends before it starts is said at the field, and nothing is asked.
  await page.getByLabel('To', { exact: true }).fill('2026-11-20');
  await expect(page.locator('[data-error-for="to"]')).toHaveText('Must be on or after the first day');
  await expect(page.getByRole('button', { name: 'Export jobs' })).toBeDisabled();
});

test('a file too large for the web host is refused with the reason before it is sent; one just under goes through', async ({ page, host }) => {
  expect(WEB_HOST_MAX_FRAME_BYTES).toBe(MAX_FRAME_BYTES);
  await page.goto(`${host.url}#/import?kind=customers`);
  const limit = WEB_HOST_MAX_FRAME_BYTES - FRAME_RESERVE_BYTES;

  const big = `Name;Notes\n${Array.from({ length: 2200 }, (_, i) => `Customer ${i};${'x'.repeat(500)}`).join('\n')}\n`;
  expect(Buffer.byteLength(big)).toBeGreaterThan(limit);
  await fileInput(page).setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
  await expect(page.locator('[data-error-for="file"]')).toHaveText(/^This file is too large to import in the browser \(1\.1 MB; the limit is 992 KB\)\./);
  await expect(step(page)).toHaveAttribute('data-import-step', 'choose');

  // Under the limit (with the line breaks escaped in the frame), the same socket answers the preview.
  const rows = Math.floor((limit - 2000) / 515);
  const fits = `Name;Notes\n${Array.from({ length: rows }, (_, i) => `Customer ${i};${'x'.repeat(500)}`).join('\n')}\n`;
  expect(JSON.stringify(fits).length).toBeLessThan(limit);
  await fileInput(page).setInputFiles({ name: 'fits.csv', mimeType: 'text/csv', buffer: Buffer.from(fits) });
  await expect(step(page)).toHaveAttribute('data-import-step', 'preview');
  await expect(counts(page)).toHaveText(`${rows.toLocaleString('en-US')} rows: ${rows.toLocaleString('en-US')} new, 0 updates, 0 unchanged, 0 invalid.`);
  await expect(page.locator('[data-error-for="file"]')).toHaveCount(0);
  expect(customerCount(host)).toBeGreaterThan(0);
});
