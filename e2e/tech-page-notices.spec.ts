import type { Browser, Page } from '@playwright/test';
import { activeProviders, anyCard, assigneesOf, bookingsOn, cardIn, drag, laneCenterY, openBoard } from './board';
import { DEMO_DATE, DEMO_NOW, expect, test } from './fixtures';
import { expectSyncState, openSyncHost, signInThroughUi, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest, startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * Issue #20, "whoever lost is told": a technician signed in on the phone page has a job the office then
 * gives to someone else with a Save that notifies nobody. The page says so, above the day, until they tap
 * "Got it" (a real sync server in a child process with its notification worker, a web host signed in).
 */

const ANA = { email: 'ana@northwind.example', password: 'ana-password-1' };
const TECH = { email: 'tech@northwind.example', password: 'tech-password-1' };

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`tech page error: ${error.stack ?? error.message}`));
  return page;
}

test.describe('technician page notices', () => {
  test.setTimeout(180_000);
  let server: SyncServerProcess;
  let host: SyncHost;
  test.beforeEach(async () => {
    server = await startSyncServerProcess({ admin: ANA });
    host = await openSyncHost('notices');
  });
  test.afterEach(async () => {
    await host?.dispose();
    await server?.dispose();
  });

  test('a job taken off the technician by a Save that notifies nobody shows on their page until acknowledged', async ({ page, browser }) => {
    // A one-person job sent to its technician, still ahead by the demo's clock.
    const job = bookingsOn(host).find((b) => b.status === 'dispatched' && b.assignee_count === 1 && b.end_ms! > Date.parse(DEMO_NOW))!;
    expect(job, 'a dispatched one-person job ahead on the demo day').toBeDefined();
    const providerId = assigneesOf(host, job.id)[0]!;
    const providerName = host.query<{ name: string }>('SELECT name FROM providers WHERE id = ?', providerId)[0]!.name;
    const other = activeProviders(host).find((p) => p.id !== providerId)!;

    await test.step('desktop: sign in and upload; the technician gets an account linked to the provider', async () => {
      await openBoard(page, host, DEMO_DATE);
      const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
      await dialog.locator('[data-action="upload-workspace"]').click();
      await dialog.locator('[data-action="close-sync"]').click();
      await expectSyncState(page, 'synced', 0);
      const { token } = await adminToken(server);
      await serverRequest(server.url, 'POST', '/api/admin/users', { email: TECH.email, name: providerName, role: 'technician', providerId, password: TECH.password }, token);
    });

    const tech = await phone(browser);
    await test.step('technician: signed in, the job is on the day and there is no notice', async () => {
      await tech.goto(`${server.url}/tech/?date=${DEMO_DATE}`);
      const login = tech.locator('[data-form="login"]');
      await login.locator('input[name="email"]').fill(TECH.email);
      await login.locator('input[name="password"]').fill(TECH.password);
      await login.locator('[data-action="sign-in"]').click();
      await expect(tech.locator(`[data-field-job="${job.id}"]`)).toBeVisible();
      await expect(tech.locator('[data-field-notices]')).toBeHidden();
    });

    await test.step('desktop: the job goes to another technician, saved without notifying anyone', async () => {
      await openBoard(page, host, DEMO_DATE);
      const card = cardIn(page, providerId, job.id);
      const box = (await card.boundingBox())!;
      await drag(page, card, { x: box.x + 6, y: await laneCenterY(page, other.id) });
      await expect(cardIn(page, other.id, job.id)).toHaveAttribute('data-staged', 'true');
      await page.keyboard.press('Control+s');
      const dialog = page.locator('[data-dialog="save"]');
      await dialog.locator('input[name="notifyProviders"]').uncheck();
      await dialog.locator('input[name="notifyCustomers"]').uncheck();
      // The technician who had been sent the job is told anyway, and the dialog says so.
      await expect(dialog.locator('[data-recipient-kind="provider"]')).toHaveCount(1);
      await expect(dialog.locator(`[data-recipient-kind="provider"][data-recipient-id="${providerId}"]`)).toBeVisible();
      await expect(dialog.locator('[data-told-anyway]')).toBeVisible();
      await expect(dialog.locator('[data-recipient-kind="customer"]')).toHaveCount(0);
      await dialog.locator('[data-action="confirm-save"]').click();
      await expect(anyCard(page, job.id)).not.toHaveAttribute('data-staged', 'true');
      await expectSyncState(page, 'synced', 0);
    });

    await test.step('technician: the page says the job is no longer theirs, until "Got it"', async () => {
      const notice = tech.locator(`[data-field-notice="removed"][data-booking-id="${job.id}"]`);
      // The worker reads the change within a second or two; the page asks again on reload.
      await expect(async () => {
        await tech.reload();
        await expect(notice).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
      await expect(notice).toContainText(job.title);
      await expect(notice).toContainText('You are no longer on this job. Do not go.');
      await expect(tech.locator(`[data-field-job="${job.id}"]`)).toHaveCount(0);
      await tech.screenshot({ path: 'test-results/screenshots/tech-page-notice.png', fullPage: true });
      await notice.locator('[data-action="dismiss-notice"]').click();
      await expect(tech.locator('[data-field-notices]')).toBeHidden();
      await tech.reload();
      await expect(tech.locator('[data-day-label]')).toHaveText('Tuesday, November 24, 2026');
      await expect(notice).toHaveCount(0);
    });
  });
});
