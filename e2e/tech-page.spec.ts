import type { Browser, Page } from '@playwright/test';
import { DEMO_TIME_ZONE } from '../core/demo/demo-company';
import { calendarUid } from '../core/field/calendar-entries';
import { claimRefusals, providerLoad } from '../core/field/claim-rules';
import type { Booking, Provider, Service } from '../core/model';
import { addDays, localToMs } from '../core/time';
import { parseIcs } from '../sync-server/src/calendar/testing/parse-ics';
import { anyCard, assigneesOf, bookingsOn, openBoard } from './board';
import { DEMO_DATE } from './fixtures';
import { expectSyncState, signInThroughUi, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest } from './sync-server-process';
import { ANA, dispatchedSoloJob, expect, openSyncedBoard, test } from './synced-desktop';

/**
 * The technician page served by a real sync server (`npm run server` in a child process), on a phone-sized
 * Chromium page, next to a desktop (a web host signed in, its demo company uploaded): a technician linked
 * to a provider with a dispatched job today signs in, reports running late, taps En route, Check in and
 * Check out, and the desktop's board card and workspace file follow each change live. Then the provider
 * screen of the console shows that provider's calendar feed address, which serves the job, and replaces it.
 * Self-dispatch: the office turns it on in Settings and books a dated job with nobody assigned (two days
 * after the demo's today: the server, on the demo's clock, offers the next 14 days); a technician claims it on the page
 * and the desktop board shows it on their row, dispatched.
 */

const TECH = { email: 'tech@northwind.example', password: 'tech-password-1' };

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`tech page error: ${error.stack ?? error.message}`));
  return page;
}

/** The first active provider (board order) who may claim the job by the claim's own rules, read from the workspace file. */
function firstFreeFor(host: SyncHost, jobId: string): { id: string; name: string } {
  const providers = host.query<{ data: string }>('SELECT data FROM providers WHERE active = 1 ORDER BY sort_order, name').map((r) => JSON.parse(r.data) as Provider);
  const services = host.query<{ data: string }>('SELECT data FROM services').map((r) => JSON.parse(r.data) as Service);
  const bookings = host.query<{ data: string }>('SELECT data FROM bookings').map((r) => JSON.parse(r.data) as Booking);
  const settings = { timeZone: DEMO_TIME_ZONE, autoResize: false };
  const world = { settings, providers: new Map(providers.map((p) => [p.id, p])), services: new Map(services.map((s) => [s.id, s])) };
  const job = bookings.find((b) => b.id === jobId)!;
  const free = providers.find((p) => claimRefusals(world, providerLoad(world, p.id, bookings), job).length === 0);
  expect(free, 'a provider free to claim the job').toBeDefined();
  return { id: free!.id, name: free!.name };
}

const statusInFile = (host: SyncHost, id: string) => host.query<{ status: string }>('SELECT status FROM bookings WHERE id = ?', id)[0]?.status;
const noteInFile = (host: SyncHost, id: string) =>
  (JSON.parse(host.query<{ data: string }>('SELECT data FROM bookings WHERE id = ?', id)[0]!.data) as { statusNote: string }).statusNote;

test.describe('technician page', () => {
  test.setTimeout(180_000);
  test.use({ deskName: 'tech' });

  test('sign in, running late, en route, check in, check out: the desktop board follows live; the provider screen serves the calendar feed', async ({ page, browser, server, host }) => {
    // A job sent to one technician today, from the demo company.
    const { job, providerId, providerName } = dispatchedSoloJob(host);

    await test.step('desktop: the provider screen asks for a sync server, then the console signs in and uploads', async () => {
      await openBoard(page, host, DEMO_DATE);
      await page.locator('[data-nav="providers"]').click();
      await page.locator(`tr[data-provider-id="${providerId}"]`).click();
      await expect(page.locator('[data-calendar-feed="signed-out"]')).toContainText('needs a Crewline sync server');
      await page.locator('[data-calendar-feed="signed-out"] [data-action="open-sync"]').click();
      const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
      await dialog.locator('[data-action="upload-workspace"]').click();
      await dialog.locator('[data-action="close-sync"]').click();
      await openBoard(page, host, DEMO_DATE);
      await expectSyncState(page, 'synced', 0);
      await expect(anyCard(page, job.id)).toHaveAttribute('data-status', 'dispatched');
    });

    await test.step('an admin invites the technician, linked to the provider', async () => {
      const { token } = await adminToken(server);
      await serverRequest(server.url, 'POST', '/api/admin/users', { email: TECH.email, name: providerName, role: 'technician', providerId, password: TECH.password }, token);
    });

    const tech = await phone(browser);
    await test.step('technician: sign in and see the day in route order', async () => {
      await tech.goto(`${server.url}/tech/?date=${DEMO_DATE}`);
      const login = tech.locator('[data-form="login"]');
      await login.locator('input[name="email"]').fill(TECH.email);
      await login.locator('input[name="password"]').fill('wrong password');
      await login.locator('[data-action="sign-in"]').click();
      await expect(tech.locator('[data-error-for="login"]')).toHaveText('Email or password is wrong');
      await login.locator('input[name="password"]').fill(TECH.password);
      await login.locator('[data-action="sign-in"]').click();
      await expect(tech.locator('[data-who]')).toHaveText(providerName);
      await expect(tech.locator('[data-day-label]')).toHaveText('Tuesday, November 24, 2026');
      const card = tech.locator(`[data-field-job="${job.id}"]`);
      await expect(card).toHaveAttribute('data-status', 'dispatched');
      await expect(card).toContainText(job.title);
      // Only this provider's jobs, in time order.
      const own = bookingsOn(host)
        .filter((b) => b.status !== 'cancelled' && assigneesOf(host, b.id).includes(providerId))
        .sort((x, y) => x.start_ms! - y.start_ms! || x.end_ms! - y.end_ms! || x.title.localeCompare(y.title) || x.id.localeCompare(y.id));
      await expect(tech.locator('[data-field-job]')).toHaveCount(own.length);
      const shown = await tech.locator('[data-field-job]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-field-job')));
      expect(shown).toEqual(own.map((b) => b.id));
      // A phone-sized page: nothing wider than the screen.
      expect(await tech.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await tech.screenshot({ path: 'test-results/screenshots/tech-page-day.png', fullPage: true });
    });

    const card = tech.locator(`[data-field-job="${job.id}"]`);
    await test.step('running late: the note reaches the desktop workspace', async () => {
      await card.locator('[data-action="running_late"]').click();
      await card.locator('textarea[name="note"]').fill('15 min, traffic on I-90');
      await card.locator('[data-action="send-late"]').click();
      await expect(card.locator('[data-status-note]')).toHaveText('Running late: 15 min, traffic on I-90');
      await expect.poll(() => noteInFile(host, job.id), { timeout: 15_000 }).toBe('Running late: 15 min, traffic on I-90');
    });

    const steps = [
      { tap: 'en_route', status: 'en_route' },
      { tap: 'in_progress', status: 'in_progress' },
      { tap: 'completed', status: 'completed' },
    ];
    for (const step of steps) {
      await test.step(`tap ${step.tap}: the board card shows ${step.status} live, the workspace file has it`, async () => {
        await card.locator(`[data-action="${step.tap}"]`).click();
        await expect(card).toHaveAttribute('data-status', step.status);
        // The desktop page is not reloaded: the change arrives through the sync server.
        await expect(anyCard(page, job.id)).toHaveAttribute('data-status', step.status, { timeout: 15_000 });
        await expect.poll(() => statusInFile(host, job.id), { timeout: 15_000 }).toBe(step.status);
      });
    }
    await expect(card.locator('[data-action]')).toHaveCount(0);
    await tech.screenshot({ path: 'test-results/screenshots/tech-page-done.png', fullPage: true });

    await test.step("the provider screen shows the provider's calendar feed; it serves the job; regenerate retires it", async () => {
      await page.locator('[data-nav="providers"]').click();
      await page.locator(`tr[data-provider-id="${providerId}"]`).click();
      const address = page.locator('[data-calendar-feed-url]');
      await expect(address).toBeVisible({ timeout: 15_000 });
      const url = (await address.getAttribute('data-calendar-feed-url'))!;
      expect(url.startsWith(`${server.url}/api/calendar/`)).toBe(true);
      const calendar = parseIcs(await (await fetch(url)).text());
      const event = calendar.events.find((e) => e.uid === calendarUid(job.id))!;
      expect(event.summary).toBe(job.title);
      expect(event.description).toContain('Status: Completed');
      expect([event.startMs, event.endMs]).toEqual([job.start_ms, job.end_ms]);
      await page.locator('.prov-feed').screenshot({ path: 'test-results/screenshots/provider-calendar-feed.png' });

      await page.locator('[data-action="regenerate-calendar-feed"]').click();
      await page.locator('[data-action="confirm-regenerate-calendar-feed"]').click();
      await expect(page.locator('[data-calendar-feed-notice]')).toContainText('old one no longer works');
      await expect(address).not.toHaveAttribute('data-calendar-feed-url', url);
      const fresh = (await address.getAttribute('data-calendar-feed-url'))!;
      expect((await fetch(url)).status).toBe(404);
      expect((await fetch(fresh)).status).toBe(200);
    });

    await test.step('technician: sign out ends the session', async () => {
      await tech.locator('[data-action="sign-out"]').click();
      await expect(tech.locator('[data-form="login"]')).toBeVisible();
      await expect(tech.locator('[data-notice]')).toHaveText('Signed out.');
    });
  });

  test('self-dispatch: the office turns it on and books an open job; a technician claims it; the desktop board shows it dispatched', async ({ page, browser, server, host }) => {
    // "Available" means the next 14 days from the server's today, which is the demo's (`--now`).
    const day = addDays(DEMO_DATE, 2);
    const title = 'Gutter repair – claim test';
    // The technician must be free to take it: claims obey the hard rules (hours, time off, skills, double-booking).
    let provider = { id: '', name: '' };

    await test.step('desktop: sign in to the sync server and upload the demo company', async () => {
      await openSyncedBoard(page, host, server);
    });

    await test.step('settings: self-dispatch on', async () => {
      await page.locator('[data-nav="settings"]').click();
      const box = page.locator('input[name="selfDispatch"]');
      await expect(box).not.toBeChecked();
      await box.check();
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect(box).toBeChecked();
      // Saved for good: the screen reads the organization's settings again when it opens.
      await page.locator('[data-nav="board"]').click();
      await page.locator('[data-nav="settings"]').click();
      await expect(box).toBeChecked();
    });

    let jobId = '';
    await test.step('bookings: a dated job with nobody assigned', async () => {
      await page.locator('[data-nav="bookings"]').click();
      await page.getByRole('button', { name: 'New booking' }).click();
      const form = page.locator('form[aria-label="New booking"]');
      await form.locator('[name="title"]').fill(title);
      await form.locator('[name="slot.start"]').fill(`${day}T10:00`);
      await form.locator('[name="durationMinutes"]').fill('90');
      await form.getByRole('button', { name: 'Create booking' }).click();
      await expect(form).toHaveCount(0);
      await expect.poll(() => host.query<{ id: string }>('SELECT id FROM bookings WHERE title = ?', title).length).toBe(1);
      const row = host.query<{ id: string; status: string; start_ms: number; assignee_count: number }>('SELECT * FROM bookings WHERE title = ?', title)[0]!;
      expect(row).toMatchObject({ status: 'unscheduled', start_ms: localToMs(day, '10:00', DEMO_TIME_ZONE), assignee_count: 0 });
      jobId = row.id;
      provider = firstFreeFor(host, jobId);
      await openBoard(page, host, day);
      await expectSyncState(page, 'synced', 0); // the settings and the job are on the server
      await expect(page.locator(`.cl-queue-card[data-booking-id="${jobId}"]`)).toBeVisible();
    });

    await test.step('an admin invites the technician, linked to a provider', async () => {
      const { token } = await adminToken(server);
      await serverRequest(server.url, 'POST', '/api/admin/users', { email: TECH.email, name: provider.name, role: 'technician', providerId: provider.id, password: TECH.password }, token);
    });

    const tech = await phone(browser);
    await test.step('technician: the job is listed as available; Claim makes it theirs', async () => {
      await tech.goto(`${server.url}/tech/`);
      const login = tech.locator('[data-form="login"]');
      await login.locator('input[name="email"]').fill(TECH.email);
      await login.locator('input[name="password"]').fill(TECH.password);
      await login.locator('[data-action="sign-in"]').click();
      const offer = tech.locator(`[data-available-job="${jobId}"]`);
      await expect(offer).toContainText(title);
      const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(Date.parse(`${day}T12:00:00Z`));
      await expect(offer.locator('.time')).toHaveText(`${weekday} · 10:00 AM–11:30 AM`);
      await tech.screenshot({ path: 'test-results/screenshots/tech-page-available.png', fullPage: true });
      // Jobs this technician cannot take say why instead of offering a Claim that would be refused.
      await expect(offer.locator('[data-cannot-claim]')).toHaveCount(0);
      await expect(tech.locator('[data-available-job]:has([data-cannot-claim]) [data-action="claim"]')).toHaveCount(0);
      await offer.locator('[data-action="claim"]').click();
      await expect(tech.locator('[data-notice]')).toHaveText(`"${title}" is yours.`);
      await expect(offer).toHaveCount(0);
      // The page shows the claimed job's day, with the job sent to this technician.
      await expect(tech.locator(`[data-field-job="${jobId}"]`)).toHaveAttribute('data-status', 'dispatched');
    });

    await test.step('desktop: the card is on the provider\'s row, dispatched, without a reload; the workspace file agrees', async () => {
      await expect(page.locator(`.cl-timeline [data-lane-provider-id="${provider.id}"] [data-booking-id="${jobId}"]`)).toHaveAttribute('data-status', 'dispatched', {
        timeout: 15_000,
      });
      await expect(page.locator(`.cl-queue-card[data-booking-id="${jobId}"]`)).toHaveCount(0);
      await expect.poll(() => statusInFile(host, jobId), { timeout: 15_000 }).toBe('dispatched');
      expect(assigneesOf(host, jobId)).toEqual([provider.id]);
    });
  });
});
