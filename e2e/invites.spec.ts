import type { Browser, Page } from '@playwright/test';
import { AccountStore } from '../sync-server/src/accounts/account-store';
import { assigneesOf, bookingsOn, openBoard } from './board';
import { DEMO_DATE, expect, test } from './fixtures';
import { expectSyncState, openSyncHost, signInThroughUi, syncDialog, syncIndicator, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest, startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * Invite codes redeemed where people are, against a real sync server (`npm run server` in a child process,
 * on the demo's clock) and web hosts: a technician redeems theirs on a phone-sized page at `/tech/`,
 * chooses a password and sees their jobs for the demo day; a dispatcher redeems theirs in the console's
 * Sync dialog, which signs them in and replaces the workspace with the organization's. A code works once:
 * the second time each place says so on the code field. A setup code (a new organization's first admin)
 * is told apart by the server: the dialog then asks for email and name too.
 */

const ANA = { email: 'ana@northwind.example', password: 'ana-password-1' };
const USED = 'This code was already used or replaced by a newer one: ask your admin for a new one';

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`tech page error: ${error.stack ?? error.message}`));
  return page;
}

/** The console of `host` signs in as Ana and uploads its demo company: the organization has a schedule. */
async function uploadDemoCompany(page: Page, host: SyncHost, server: SyncServerProcess): Promise<void> {
  await openBoard(page, host, DEMO_DATE);
  const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
  await dialog.locator('[data-action="upload-workspace"]').click();
  await dialog.locator('[data-action="close-sync"]').click();
  await expectSyncState(page, 'synced', 0);
}

test.describe('invite codes', () => {
  test.setTimeout(180_000);
  let server: SyncServerProcess;
  const hosts: SyncHost[] = [];
  test.beforeEach(async () => {
    server = await startSyncServerProcess({ admin: ANA });
  });
  test.afterEach(async () => {
    for (const host of hosts.splice(0)) await host.dispose();
    await server?.dispose();
  });

  test('technician page: a technician redeems the invite code, chooses a password and sees the demo day; the code then is used', async ({ page, browser }) => {
    const host = await openSyncHost('invite-tech');
    hosts.push(host);
    const job = bookingsOn(host).find((b) => b.status === 'dispatched' && b.assignee_count === 1)!;
    expect(job, 'a dispatched one-person job on the demo day').toBeDefined();
    const providerId = assigneesOf(host, job.id)[0]!;
    const providerName = host.query<{ name: string }>('SELECT name FROM providers WHERE id = ?', providerId)[0]!.name;
    const own = bookingsOn(host).filter((b) => b.status !== 'cancelled' && assigneesOf(host, b.id).includes(providerId));

    await test.step('the office uploads its schedule; an admin invites the technician, linked to the provider, without a password', async () => {
      await uploadDemoCompany(page, host, server);
    });
    const { token } = await adminToken(server);
    const email = 'tech@northwind.example';
    const { inviteCode } = await serverRequest<{ inviteCode: string }>(
      server.url,
      'POST',
      '/api/admin/users',
      { email, name: providerName, role: 'technician', providerId },
      token,
    );

    const tech = await phone(browser);
    const redeemForm = tech.locator('[data-form="redeem"]');
    await test.step('first time: the invite code and a new password twice; a mismatch is caught on the repeat field', async () => {
      await tech.goto(`${server.url}/tech/?date=${DEMO_DATE}`);
      await expect(tech.locator('[data-form="login"]')).toBeVisible();
      await tech.locator('[data-action="use-invite"]').click();
      await expect(redeemForm).toBeVisible();
      await expect(tech.locator('[data-form="login"]')).toBeHidden();
      // Typed from a message by hand: lower case.
      await redeemForm.locator('input[name="code"]').fill(inviteCode.toLowerCase());
      await redeemForm.locator('input[name="password"]').fill('tech-password-1');
      await redeemForm.locator('input[name="passwordAgain"]').fill('tech-password-2');
      await redeemForm.locator('[data-action="redeem"]').click();
      await expect(redeemForm.locator('[data-error-for="passwordAgain"]')).toHaveText('The two passwords are not the same. Type your new password again.');
      await expect(redeemForm.locator('input[name="passwordAgain"]')).toHaveAttribute('aria-invalid', 'true');
      await tech.screenshot({ path: 'test-results/screenshots/tech-page-invite.png', fullPage: true });
      await redeemForm.locator('input[name="passwordAgain"]').fill('tech-password-1');
      await redeemForm.locator('[data-action="redeem"]').click();
    });

    await test.step('signed in: the technician’s jobs for the demo day', async () => {
      await expect(tech.locator('[data-who]')).toHaveText(providerName);
      await expect(tech.locator('[data-notice]')).toHaveText(`Your password is set. Next time, sign in with ${email} and this password.`);
      await expect(tech.locator('[data-day-label]')).toHaveText('Tuesday, November 24, 2026');
      await expect(tech.locator('[data-field-job]')).toHaveCount(own.length);
      await expect(tech.locator(`[data-field-job="${job.id}"]`)).toContainText(job.title);
      expect(await tech.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await tech.screenshot({ path: 'test-results/screenshots/tech-page-invite-day.png', fullPage: true });
    });

    await test.step('the same code again is refused on the code field; the chosen password signs in', async () => {
      await tech.locator('[data-action="sign-out"]').click();
      await tech.locator('[data-action="use-invite"]').click();
      await redeemForm.locator('input[name="code"]').fill(inviteCode);
      await redeemForm.locator('input[name="password"]').fill('someone-else-1');
      await redeemForm.locator('input[name="passwordAgain"]').fill('someone-else-1');
      await redeemForm.locator('[data-action="redeem"]').click();
      await expect(redeemForm.locator('[data-error-for="code"]')).toHaveText(USED);
      await expect(redeemForm.locator('input[name="code"]')).toHaveAttribute('aria-invalid', 'true');
      await expect(tech.locator('[data-view="day"]')).toBeHidden();
      await tech.screenshot({ path: 'test-results/screenshots/tech-page-invite-used.png', fullPage: true });

      await tech.locator('[data-action="back-to-sign-in"]').click();
      const login = tech.locator('[data-form="login"]');
      await login.locator('input[name="email"]').fill(email);
      await login.locator('input[name="password"]').fill('tech-password-1');
      await login.locator('[data-action="sign-in"]').click();
      await expect(tech.locator('[data-who]')).toHaveText(providerName);
    });
  });

  test('console: a dispatcher redeems the invite in the Sync dialog, is signed in, replaces the workspace with the organization’s and syncs', async ({ page, context }) => {
    const office = await openSyncHost('invite-office');
    hosts.push(office);
    const desk = await openSyncHost('invite-desk');
    hosts.push(desk);

    let inviteCode = '';
    await test.step('the admin uploads the schedule and invites a dispatcher on the Team screen', async () => {
      await uploadDemoCompany(page, office, server);
      await page.locator('[data-nav="team"]').click();
      await page.locator('[data-action="invite-user"]').click();
      const form = page.locator('[data-form="team-invite"]');
      await form.locator('input[name="email"]').fill('cy@northwind.example');
      await form.locator('input[name="name"]').fill('Cy Park');
      await form.locator('select[name="role"]').selectOption('dispatcher');
      await form.locator('button[type="submit"]').click();
      const code = page.locator('[data-invite-code]');
      await expect(code).toHaveAttribute('data-invite-email', 'cy@northwind.example');
      inviteCode = (await code.getAttribute('data-invite-code'))!;
    });

    // The dispatcher's own desktop: a console with its own workspace, never signed in.
    const cy = await context.newPage();
    const dialog = syncDialog(cy);
    const form = dialog.locator('[data-form="sync-redeem-code"]');
    const fill = async (fields: { code: string; password: string; again: string }) => {
      await form.locator('input[name="serverUrl"]').fill(server.url);
      await form.locator('input[name="code"]').fill(fields.code);
      await form.locator('input[name="password"]').fill(fields.password);
      await form.locator('input[name="passwordAgain"]').fill(fields.again);
      await form.locator('[data-action="redeem-code"]').click();
    };

    await test.step('Sync dialog: "I have an invite or setup code"; errors land on their fields', async () => {
      await openBoard(cy, desk, DEMO_DATE);
      await syncIndicator(cy).click();
      await dialog.locator('[data-action="use-code"]').click();
      await expect(form).toBeVisible();
      await expect(form).toHaveAttribute('data-code-kind', 'invite');
      await expect(form.locator('input[name="email"]')).toHaveCount(0);

      await fill({ code: inviteCode, password: 'cy-password-1', again: 'cy-password-2' });
      await expect(form.locator('[data-error-for="passwordAgain"]')).toHaveText('The two passwords are not the same: type the new password again');
      await expect(form.locator('input[name="passwordAgain"]')).toHaveAttribute('aria-invalid', 'true');

      await fill({ code: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012', password: 'cy-password-1', again: 'cy-password-1' });
      await expect(form.locator('[data-error-for="code"]')).toHaveText('This server does not know this code: check it for typing mistakes');
      await cy.screenshot({ path: 'test-results/screenshots/sync-redeem-code.png' });
    });

    await test.step('the right code: signed in as the dispatcher; replace the workspace with the organization’s', async () => {
      await fill({ code: inviteCode, password: 'cy-password-1', again: 'cy-password-1' });
      const choice = dialog.locator('[data-sync-choice="replace"]');
      await expect(choice).toContainText('Signed in as Cy Park (Dispatcher)');
      await choice.locator('[data-action="replace-workspace"]').click();
      await dialog.locator('[data-action="confirm-replace"]').click();
      await expect(dialog.locator('[data-sync-linked="replace"]')).toBeVisible({ timeout: 20_000 });
      await dialog.locator('[data-action="close-sync"]').click();
      await expectSyncState(cy, 'synced', 0);
      // The workspace is the organization's: the office's bookings of the day, and the link names Cy.
      const officeIds = bookingsOn(office).map((b) => b.id).sort();
      await expect.poll(() => bookingsOn(desk).map((b) => b.id).sort(), { timeout: 15_000 }).toEqual(officeIds);
      const link = JSON.parse(desk.query<{ value: string }>("SELECT value FROM meta WHERE key = 'sync_link'")[0]!.value) as { user: { email: string; role: string } };
      expect(link.user).toMatchObject({ email: 'cy@northwind.example', role: 'dispatcher' });
    });

    await test.step('signed out, the same code again is refused on the code field', async () => {
      await syncIndicator(cy).click();
      await dialog.locator('[data-action="sign-out"]').click();
      await dialog.locator('[data-action="use-code"]').click();
      await fill({ code: inviteCode, password: 'cy-password-9', again: 'cy-password-9' });
      await expect(form.locator('[data-error-for="code"]')).toHaveText(USED);
      await expect(form.locator('input[name="code"]')).toHaveAttribute('aria-invalid', 'true');
      await expectSyncState(cy, 'signed-out');
      await cy.screenshot({ path: 'test-results/screenshots/sync-redeem-code-used.png' });
    });
  });

  test('console: a setup code makes the first admin of a new organization; the dialog asks for email and name once the server says what the code is', async ({ page }) => {
    const host = await openSyncHost('invite-setup');
    hosts.push(host);
    // A second organization on the same server, waiting for its first admin (as a first start prints it).
    const accounts = AccountStore.open(server.dataDir);
    let setupCode = '';
    let orgId = '';
    try {
      const { org } = await accounts.createOrganization({ name: 'Sparkle Cleaning' });
      orgId = org.id;
      setupCode = (await accounts.issueSetupCode(org.id)).code;
    } finally {
      await accounts.close();
    }

    const dialog = syncDialog(page);
    const form = dialog.locator('[data-form="sync-redeem-code"]');
    await openBoard(page, host, DEMO_DATE);
    await syncIndicator(page).click();
    await dialog.locator('[data-action="use-code"]').click();
    await form.locator('input[name="serverUrl"]').fill(server.url);
    await form.locator('input[name="code"]').fill(setupCode);
    await form.locator('input[name="password"]').fill('olga-password-1');
    await form.locator('input[name="passwordAgain"]').fill('olga-password-1');
    await form.locator('[data-action="redeem-code"]').click();

    await expect(form).toHaveAttribute('data-code-kind', 'setup');
    await expect(form.locator('[data-setup-code-note]')).toContainText('This is a setup code: it makes you the first admin of the organization on this server');
    await expect(form.locator('[data-error-for="email"]')).toHaveText('Needed for a setup code');
    await expect(form.locator('[data-error-for="name"]')).toHaveText('Needed for a setup code');
    await page.screenshot({ path: 'test-results/screenshots/sync-setup-code.png' });
    await form.locator('input[name="email"]').fill('olga@sparkle.example');
    await form.locator('input[name="name"]').fill('Olga Owner');
    await form.locator('[data-action="redeem-code"]').click();

    // The new organization is empty: this workspace is offered to it, as after a first admin's sign-in.
    const choice = dialog.locator('[data-sync-choice="upload"]');
    await expect(choice).toContainText('Signed in as Olga Owner (Admin)');
    await choice.locator('[data-action="upload-workspace"]').click();
    await dialog.locator('[data-action="close-sync"]').click();
    await expectSyncState(page, 'synced', 0);
    const link = JSON.parse(host.query<{ value: string }>("SELECT value FROM meta WHERE key = 'sync_link'")[0]!.value) as { orgId: string; user: { role: string } };
    expect(link).toMatchObject({ orgId, user: { role: 'admin' } });
  });
});
