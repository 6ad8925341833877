import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { getBooking } from '../core/doc/schedule';
import { listProviders } from '../core/doc/roster';
import { OrgClient } from '../sync-server/src/notifications/testing/org-client';
import { anyCard, openBoard, PLAN_DATE } from './board';
import { expect, test } from './fixtures';
import { openSyncHost, signInThroughUi, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest, startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * The console's view of the server's notifications: another desktop saves a job with "notify providers";
 * the job panel lists what went out (email and SMS as files, team chat refused by its webhook), the Team
 * screen shows the dead letter and retries it, and an admin resends a provider's daily schedule.
 */

const ANA = { email: 'ana@northwind.example', password: 'ana-password-1' };
const ENV = {
  CREWLINE_NOTIFY_BATCH_SECONDS: '0',
  CREWLINE_NOTIFY_MAX_ATTEMPTS: '2',
  CREWLINE_NOTIFY_RETRY_BASE_MS: '100',
  CREWLINE_NOTIFY_TICK_MS: '200',
};

let server: SyncServerProcess;
let host: SyncHost;
let chat: Server;
let chatRequests = 0;
let saved: Record<string, string | undefined> = {};

test.beforeEach(async () => {
  // A team chat webhook that refuses the first message for good (400), then accepts.
  chatRequests = 0;
  chat = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      chatRequests++;
      res.writeHead(chatRequests === 1 ? 400 : 200).end(chatRequests === 1 ? 'channel_not_found' : 'ok');
    });
  });
  await new Promise<void>((resolve) => chat.listen(0, '127.0.0.1', () => resolve()));
  const env = { ...ENV, CREWLINE_CHAT_WEBHOOK_URL: `http://127.0.0.1:${(chat.address() as { port: number }).port}/hook` };
  saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  server = await startSyncServerProcess({ admin: ANA });
  host = await openSyncHost('notifications');
});
test.afterEach(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await host?.dispose();
  await server?.dispose();
  await new Promise<void>((resolve) => chat.close(() => resolve()));
});

test('job panel notification log, dead letters with Retry, resend of a daily schedule', async ({ page }) => {
  test.setTimeout(120_000);
  await openBoard(page, host, PLAN_DATE);
  await page.locator('[data-nav="team"]').click();
  await page.locator('[data-action="open-sync"]').click();
  const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
  await dialog.locator('[data-action="upload-workspace"]').click();
  await dialog.locator('[data-action="close-sync"]').click();
  await expect(page.locator('[data-dead-letters="0"]')).toBeVisible();

  // Another desktop saves Marcus's first job of the day and notifies the providers.
  const { token } = await adminToken(server);
  const { user } = await serverRequest<{ user: { orgId: string } }>(server.url, 'GET', '/api/auth/me', undefined, token);
  const other = await new OrgClient(`ws://127.0.0.1:${server.port}/sync`, user.orgId, token).connect();
  try {
    const marcus = listProviders(other.roster).find((p) => p.name === 'Marcus Johnson')!;
    const job = host
      .query<{ id: string }>(
        "SELECT b.id FROM bookings b JOIN booking_assignees a ON a.booking_id = b.id WHERE a.provider_id = ? AND b.start_ms >= ? AND b.status = 'scheduled' ORDER BY b.start_ms LIMIT 1",
        marcus.id,
        Date.parse(`${PLAN_DATE}T06:00:00Z`),
      )[0]!;
    // Half an hour later, same technician: a real change (a Save that changes nothing tells nobody).
    const saved = getBooking(other.schedule, job.id)!.slot!;
    const later = (iso: string) => new Date(Date.parse(iso) + 30 * 60_000).toISOString().replace('.000Z', 'Z');
    const slot = { ...saved, start: later(saved.start), end: later(saved.end) };
    other.run('saveChanges', { changes: [{ id: job.id, slot }], notifyProviders: true, notifyCustomers: false });

    await page.locator('[data-nav="board"]').click();
    await anyCard(page, job.id).first().click();
    const log = page.locator(`[data-panel="job"][data-booking-id="${job.id}"] [data-notification-log]`);
    const chatEntry = log.locator('[data-channel="chat"]');
    await expect(async () => {
      await log.locator('[data-action="refresh-notifications"]').click();
      await expect(chatEntry).toHaveAttribute('data-notification-status', 'dead', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    for (const channel of ['email', 'sms']) {
      await expect(log.locator(`[data-channel="${channel}"]`)).toHaveAttribute('data-notification-status', 'sent');
    }
    await expect(chatEntry).toContainText('Failed');
    await expect(chatEntry).toContainText('Marcus Johnson');
    await expect(chatEntry).toContainText('HTTP 400: channel_not_found');
    await log.scrollIntoViewIfNeeded();
    await log.screenshot({ path: 'test-results/screenshots/job-notifications.png' });

    // The Team screen lists the dead letter; Retry sends the same message again, and this time it goes.
    await page.locator('[data-nav="team"]').click();
    const row = page.locator('[data-dead-letter]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('refused');
    await page.screenshot({ path: 'test-results/screenshots/team-dead-letters.png' });
    await row.locator('[data-action="retry-dead-letter"]').click();
    await expect(page.getByText('The message to Marcus Johnson is queued again.')).toBeVisible();
    await expect.poll(() => chatRequests, { timeout: 10_000 }).toBe(2);
    await expect(async () => {
      await page.locator('[data-action="refresh-dead-letters"]').click();
      await expect(page.locator('[data-dead-letters="0"]')).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 10_000 });

    // Resend Marcus's daily schedule for the planning day: it lands in the server's outbox folder.
    await page.locator('[data-nav="providers"]').click();
    await page.locator(`[data-provider-id="${marcus.id}"]`).first().click();
    const resend = page.locator(`[data-resend-daily="${marcus.id}"]`);
    await resend.locator('input[name="resendDate"]').fill(PLAN_DATE);
    await resend.locator('[data-action="resend-daily"]').click();
    await expect(resend.locator('[data-resend-notice="ok"]')).toContainText('Queued: Your schedule for Wednesday, November 25, 2026');
    await page.screenshot({ path: 'test-results/screenshots/provider-resend-daily.png' });
    const emailDir = join(server.dataDir, 'outbox', 'email');
    await expect
      .poll(() => readdirSync(emailDir).filter((f) => readFileSync(join(emailDir, f), 'utf8').includes('Subject: Your schedule for Wednesday, November 25, 2026')).length, {
        timeout: 10_000,
      })
      .toBe(1);
  } finally {
    other.disconnect();
  }
});
