import type { Page } from '@playwright/test';
import { startEmptyHost } from './empty-host';
import { expect, test } from './fixtures';
import { openSyncHost, signInThroughUi, type SyncHost } from './sync-hosts';
import { startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * First run, as a new office meets it: `npm run web -- --empty` (the desktop's behaviour) asks for the demo
 * or the user's company; the demo is badged and removed in one step; a demo workspace is uploaded to a
 * server only after a warning that names it as demo data.
 */

const firstRun = (page: Page) => page.locator('[data-screen="first-run"]');
const badge = (page: Page) => page.locator('[data-demo-badge]');

test.describe('first run', () => {
  const disposers: Array<() => Promise<void>> = [];
  test.afterEach(async () => {
    for (const dispose of disposers.splice(0).reverse()) await dispose();
  });

  test('set up my company: field errors in place, then an empty board under the company’s settings', async ({ page }) => {
    const host = await startEmptyHost('first-run');
    disposers.push(host.dispose);
    await page.goto(host.url);
    await expect(firstRun(page)).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/first-run.png', fullPage: true });
    const form = page.getByRole('form', { name: 'Set up my company' });
    // The computer's zone is offered; distance unit and the usual week have defaults.
    await expect(form.locator('input[name="timeZone"]')).not.toHaveValue('');
    await form.locator('input[name="timeZone"]').fill('Mars/Olympus');
    await form.locator('input[name="defaultWeeklyHours.fri.0.end"]').fill('07:00');
    await form.locator('[data-action="set-up-company"]').click();
    await expect(form.locator('[data-error-for="name"]')).toHaveText('Required');
    await expect(form.locator('[data-error-for="timeZone"]')).toContainText('Unknown time zone');
    await expect(form.locator('[data-error-for="defaultWeeklyHours.fri.0.end"]')).toContainText('after start');
    await expect(firstRun(page)).toBeVisible();

    await form.locator('input[name="name"]').fill('Lakeside Plumbing');
    await form.locator('input[name="timeZone"]').fill('America/Denver');
    await form.locator('select[name="distanceUnit"]').selectOption('mi');
    await form.locator('input[name="defaultWeeklyHours.fri.0.end"]').fill('13:00');
    await form.locator('[data-action="set-up-company"]').click();
    await expect(firstRun(page)).toBeHidden();
    await expect(page.locator('.cl-timeline')).toBeVisible();
    await expect(badge(page)).toHaveCount(0);

    // The answers are the organization's settings, and still there after a reload.
    await page.reload();
    await page.locator('[data-nav="settings"]').click();
    await expect(page.locator('input[name="name"]')).toHaveValue('Lakeside Plumbing');
    await expect(page.locator('input[name="timeZone"]')).toHaveValue('America/Denver');
    await expect(page.locator('input[name="defaultWeeklyHours.fri.0.end"]')).toHaveValue('13:00');
    // A new provider starts from the usual week.
    await page.locator('[data-nav="providers"]').click();
    await page.getByRole('button', { name: 'New provider' }).click();
    await expect(page.locator('input[name="weeklyHours.fri.0.end"]')).toHaveValue('13:00');
  });

  test('try the demo: badged on every screen; Start my company removes it and asks again, also after a reload', async ({ page }) => {
    const host = await startEmptyHost('first-run');
    disposers.push(host.dispose);
    await page.goto(host.url);
    await page.locator('[data-action="start-demo"]').click();
    await expect(page.locator('.cl-timeline')).toBeVisible();
    await expect(badge(page)).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/first-run-demo-badge.png' });
    await page.locator('[data-nav="customers"]').click();
    await expect(badge(page)).toBeVisible();
    await expect(page.locator('[data-customer-id]').first()).toBeVisible();

    await badge(page).locator('[data-action="start-my-company"]').click();
    const dialog = page.locator('[data-dialog="start-my-company"]');
    await expect(dialog).toContainText('Northwind Home Services');
    // Cancel keeps everything.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(badge(page)).toBeVisible();
    await badge(page).locator('[data-action="start-my-company"]').click();
    await page.locator('[data-action="confirm-start-my-company"]').click();
    await expect(firstRun(page)).toBeVisible();
    await expect(page.getByText(/The demo company is removed\. A copy was kept at .*backups.*\.sqlite/)).toBeVisible();
    await page.reload();
    await expect(firstRun(page)).toBeVisible();
  });

  test('a demo workspace is uploaded only after a warning that names it as demo data', async ({ page }) => {
    test.setTimeout(120_000);
    const server: SyncServerProcess = await startSyncServerProcess({ admin: { email: 'ana@northwind.example', password: 'ana-password-1' } });
    disposers.push(() => server.dispose());
    const host: SyncHost = await openSyncHost('first-run-demo-upload');
    disposers.push(() => host.dispose());
    await page.goto(host.url);
    await expect(badge(page)).toBeVisible();
    const dialog = await signInThroughUi(page, server, 'ana@northwind.example', 'ana-password-1');
    await expect(dialog.locator('[data-demo-warning]')).toContainText('demo company Northwind Home Services');
    await expect(dialog.locator('[data-action="upload-workspace"]')).toHaveText(/Upload the demo data to the organization on/);
  });
});
