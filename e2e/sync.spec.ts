import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Browser, Page } from '@playwright/test';
import { activeProviders, assigneesOf, bookingsOn, cardIn, drafts, drag, laneCenterY, openBoard, PLAN_DATE, anyCard } from './board';
import { expect, test } from './fixtures';
import { expectSyncState, openSyncHost, pendingInStore, signInThroughUi, syncDialog, syncIndicator, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest, startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * Two desktops (web hosts, each its own workspace) and a real sync server (`npm run server` in a child
 * process), driven through the console: sign-in and the first link (upload, then replace with a backup),
 * live updates between boards, the header's status with the exact pending count through a server outage,
 * presence, and "changed by X while you were offline" after a reconnect.
 */

const ANA = { email: 'ana@northwind.example', password: 'ana-password-1', name: 'Ana Lopez' };
const BO = { email: 'bo@northwind.example', password: 'bo-password-1', name: 'Bo Diaz' };

const shot = (page: Page, name: string) => page.locator('nav.cl-nav').screenshot({ path: `test-results/screenshots/sync-header-${name}.png` });

/** The server's first admin becomes Ana; Bo is a dispatcher, made through the admin API. */
async function prepareAccounts(server: SyncServerProcess): Promise<void> {
  const { token, userId } = await adminToken(server);
  await serverRequest(server.url, 'PATCH', `/api/admin/users/${userId}`, { name: ANA.name }, token);
  await serverRequest(server.url, 'POST', '/api/admin/users', { email: BO.email, name: BO.name, role: 'dispatcher', password: BO.password }, token);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  // A render error blanks the console: say what it was.
  page.on('pageerror', (error) => console.error(`page error: ${error.stack ?? error.message}`));
  return page;
}

/** Records in the page when `selector` first matches (a MutationObserver: not throttled, not polled from here). */
async function watchFor(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __seenAt: number | null };
    w.__seenAt = null;
    const seen = () => {
      if (w.__seenAt === null && document.querySelector(sel)) {
        w.__seenAt = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(seen);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    seen();
  }, selector);
}
const seenAt = (page: Page) => page.evaluate(() => (window as unknown as { __seenAt: number | null }).__seenAt);

async function saveBoard(page: Page): Promise<void> {
  // The page must know of the staged edit (not only the store), or Ctrl+S says there is nothing to save.
  await expect(page.locator('[data-staged-count]')).toHaveAttribute('data-staged-count', '1');
  await page.keyboard.press('Control+s');
  await page.locator('[data-dialog="save"] [data-action="confirm-save"]').click();
  await expect(page.locator('[data-staged-count]')).toHaveAttribute('data-staged-count', '0');
}

test.describe('sync between two desktops', () => {
  test.setTimeout(240_000);
  let server: SyncServerProcess;
  let a: SyncHost;
  let b: SyncHost;

  test.beforeEach(async () => {
    server = await startSyncServerProcess({ admin: { email: ANA.email, password: ANA.password } });
    await prepareAccounts(server);
    [a, b] = await Promise.all([openSyncHost('a'), openSyncHost('b')]);
  });
  test.afterEach(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await server?.dispose();
  });

  test('sign-in, upload and replace, live updates, presence, outage with exact pending count, offline-change marks', async ({ browser }) => {
    const pageA = await newPage(browser);
    const pageB = await newPage(browser);

    await test.step('A: not syncing, sign-in errors field by field, then upload into the empty organization', async () => {
      await openBoard(pageA, a, PLAN_DATE);
      await expectSyncState(pageA, 'signed-out', 0);
      await expect(syncIndicator(pageA)).toHaveText('Not syncing');
      await shot(pageA, 'signed-out');

      let dialog = await signInThroughUi(pageA, { url: 'not an address' }, ANA.email, ANA.password);
      await expect(dialog.locator('[data-error-for="serverUrl"]')).toContainText('Must be the server address');
      dialog = await signInThroughUi(pageA, server, ANA.email, 'wrong-password');
      await expect(dialog.locator('[data-error-for="password"]')).toHaveText('Wrong email or password');
      await expect(dialog.locator('input[name="password"]')).toHaveAttribute('aria-invalid', 'true');

      dialog = await signInThroughUi(pageA, server, ANA.email, ANA.password);
      await expect(dialog.locator('[data-sync-choice="upload"]')).toBeVisible();
      await dialog.screenshot({ path: 'test-results/screenshots/sync-dialog-upload.png' });
      await dialog.locator('[data-action="upload-workspace"]').click();
      await expect(dialog.locator('[data-sync-linked="upload"]')).toBeVisible();
      await dialog.locator('[data-action="close-sync"]').click();
      await expectSyncState(pageA, 'synced', 0);
      await expect(syncIndicator(pageA)).toHaveText('All synced');
      await shot(pageA, 'synced');

      const link = JSON.parse(a.query<{ value: string }>("SELECT value FROM meta WHERE key = 'sync_link'")[0]!.value);
      expect(link).toMatchObject({ serverUrl: server.url, user: { email: ANA.email, name: ANA.name, role: 'admin' } });
      expect(pendingInStore(a)).toBe(0);
    });

    const aJobs = bookingsOn(a, PLAN_DATE);
    const staged = await test.step('B: stage a board edit, then replace its workspace with the organization’s', async () => {
      await openBoard(pageB, b, PLAN_DATE);
      // A staged edit that the replace must discard (and keep in the backup).
      const job = bookingsOn(b, PLAN_DATE).find((x) => x.status === 'scheduled' && x.assignee_count === 1)!;
      const [from] = assigneesOf(b, job.id);
      const to = activeProviders(b).find((p) => p.id !== from)!;
      const card = cardIn(pageB, from!, job.id);
      await drag(pageB, card, { x: (await card.boundingBox())!.x + 6, y: await laneCenterY(pageB, to.id) });
      await expect.poll(() => drafts(b).length).toBe(1);

      const dialog = await signInThroughUi(pageB, server, BO.email, BO.password);
      await expect(dialog.locator('[data-sync-choice="replace"]')).toBeVisible();
      await dialog.locator('[data-action="replace-workspace"]').click();
      const confirm = dialog.locator('[data-sync-confirm="replace"]');
      await expect(confirm.locator('[data-backup-note]')).toContainText('workspace-backup-');
      await expect(confirm.locator('[data-backup-note]')).toContainText(b.dataDir);
      await expect(confirm.locator('[data-discard-note="1"]')).toContainText('1 unsaved board change is discarded');
      await dialog.screenshot({ path: 'test-results/screenshots/sync-dialog-replace.png' });
      await confirm.locator('[data-action="confirm-replace"]').click();
      await expect(dialog.locator('[data-sync-linked="replace"]')).toBeVisible({ timeout: 20_000 });
      await expect(dialog.locator('[data-discarded="1"]')).toBeVisible();
      const backupPath = (await dialog.locator('[data-backup-path]').textContent())!;
      await dialog.locator('[data-action="close-sync"]').click();
      return { job, backupPath };
    });

    await test.step('B now holds A’s schedule; the backup holds B’s old one', async () => {
      await expectSyncState(pageB, 'synced', 0);
      expect(bookingsOn(b, PLAN_DATE).map((x) => x.id).sort()).toEqual(aJobs.map((x) => x.id).sort());
      expect(drafts(b)).toEqual([]);
      const shown = aJobs.find((x) => x.status === 'scheduled' && x.assignee_count === 1)!;
      await expect(cardIn(pageB, assigneesOf(a, shown.id)[0]!, shown.id)).toBeVisible();
      await expect(anyCard(pageB, staged.job.id)).toHaveCount(0);

      expect(staged.backupPath.startsWith(b.dataDir)).toBe(true);
      expect(existsSync(staged.backupPath)).toBe(true);
      const backup = new Database(staged.backupPath, { readonly: true, fileMustExist: true });
      try {
        expect(backup.prepare('SELECT count(*) FROM bookings WHERE id = ?').pluck().get(staged.job.id)).toBe(1);
        expect(backup.prepare('SELECT count(*) FROM draft_changes').pluck().get()).toBe(1);
      } finally {
        backup.close();
      }
      const link = JSON.parse(b.query<{ value: string }>("SELECT value FROM meta WHERE key = 'sync_link'")[0]!.value);
      expect(link.user).toMatchObject({ email: BO.email, role: 'dispatcher' });
      // A dispatcher is told the Team screen is for admins.
      await pageB.locator('[data-nav="team"]').click();
      await expect(pageB.locator('[data-team-gate="not-admin"]')).toContainText('Only admins manage the team');
      await pageB.locator('[data-nav="board"]').click();
      await expect(pageB.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
    });

    await test.step('a drag and Save on A appears on B’s board within a second, without reload', async () => {
      const job = aJobs.find((x) => x.status === 'scheduled' && x.assignee_count === 1)!;
      const [from] = assigneesOf(a, job.id);
      const to = activeProviders(a).find((p) => p.id !== from)!;
      await watchFor(pageB, `.cl-timeline [data-lane-provider-id="${to.id}"] [data-booking-id="${job.id}"]`);
      const card = cardIn(pageA, from!, job.id);
      await drag(pageA, card, { x: (await card.boundingBox())!.x + 6, y: await laneCenterY(pageA, to.id) });
      await expect.poll(() => drafts(a).length).toBe(1);
      await expect(pageA.locator('[data-staged-count]')).toHaveAttribute('data-staged-count', '1');
      await pageA.keyboard.press('Control+s');
      const confirm = pageA.locator('[data-dialog="save"] [data-action="confirm-save"]');
      await expect(confirm).toBeVisible();
      const savedAt = Date.now();
      await confirm.click();
      await expect.poll(() => seenAt(pageB), { timeout: 5_000 }).not.toBeNull();
      const latency = (await seenAt(pageB))! - savedAt;
      console.log(`A's Save reached B's board in ${latency} ms`);
      expect(latency).toBeLessThan(1_000);
      expect(assigneesOf(b, job.id)).toEqual([to.id]);
      await expectSyncState(pageA, 'synced', 0);
      await expectSyncState(pageB, 'synced', 0);
      expect(pendingInStore(a)).toBe(0);
    });

    await test.step('presence: B sees who is online and which job A has open', async () => {
      await expect(pageB.locator(`[data-presence-name="${ANA.name}"]`)).toBeVisible();
      await expect(pageA.locator(`[data-presence-name="${BO.name}"]`)).toBeVisible();
      const job = aJobs.filter((x) => x.status === 'scheduled' && x.assignee_count === 1)[1]!;
      const [provider] = assigneesOf(a, job.id);
      await cardIn(pageA, provider!, job.id).click();
      await expect(pageA.locator(`[data-panel="job"][data-booking-id="${job.id}"]`)).toBeVisible();
      await expect(cardIn(pageB, provider!, job.id)).toHaveAttribute('data-viewed-by', ANA.name);
      await cardIn(pageB, provider!, job.id).screenshot({ path: 'test-results/screenshots/sync-card-viewed.png' });
      await expect(pageB.locator(`[data-presence-name="${ANA.name}"]`)).toHaveAttribute('data-presence-job', job.id);
      await cardIn(pageB, provider!, job.id).click();
      await expect(pageB.locator(`[data-panel="job"] [data-job-viewers="${ANA.name}"]`)).toContainText(`${ANA.name} has this job open`);
      await pageB.screenshot({ path: 'test-results/screenshots/sync-presence.png' });
      await pageB.keyboard.press('Escape');
      await pageA.keyboard.press('Escape');
      await expect(pageA.locator('[data-panel="job"]')).toHaveCount(0);
      await expect(cardIn(pageB, provider!, job.id)).not.toHaveAttribute('data-viewed-by');
    });

    const edited = aJobs.filter((x) => x.status === 'scheduled' && x.assignee_count === 1)[2]!;
    await test.step('server down: A says offline and counts each unconfirmed action exactly', async () => {
      await server.stop();
      await expectSyncState(pageA, 'offline', 0);
      await expectSyncState(pageB, 'offline', 0);
      await expect(pageA.locator(`[data-presence-name="${BO.name}"]`)).toHaveCount(0);

      const [from] = assigneesOf(a, edited.id);
      await cardIn(pageA, from!, edited.id).click();
      const panel = pageA.locator(`[data-panel="job"][data-booking-id="${edited.id}"]`);
      await panel.locator('input[name="title"]').fill('Offline title change');
      await panel.locator('[data-action="save-details"]').click();
      await expectSyncState(pageA, 'offline', 1);
      expect(pendingInStore(a)).toBe(1);
      await pageA.keyboard.press('Escape');

      const to = activeProviders(a).find((p) => p.id !== from)!;
      const card = cardIn(pageA, from!, edited.id);
      // The card is rebuilt with the new title first (its tooltip starts with the title).
      await expect(card).toHaveAttribute('title', /^Offline title change/);
      await drag(pageA, card, { x: (await card.boundingBox())!.x + 6, y: await laneCenterY(pageA, to.id) });
      await expect.poll(() => drafts(a).length).toBe(1);
      await saveBoard(pageA);
      await expectSyncState(pageA, 'offline', 2);
      await expect(syncIndicator(pageA)).toHaveText('Offline · 2 changes waiting');
      expect(pendingInStore(a)).toBe(2);
      await shot(pageA, 'offline');
    });

    await test.step('B closes; the server returns; A is all synced again', async () => {
      await pageB.close();
      await b.stop();
      await server.start();
      await expectSyncState(pageA, 'synced', 0, 30_000);
      expect(pendingInStore(a)).toBe(0);
      await shot(pageA, 'back-synced');
    });

    await test.step('B opens again: the job A changed says "changed by Ana while you were offline" until dismissed', async () => {
      await b.start();
      const pageB2 = await newPage(browser);
      await openBoard(pageB2, b, PLAN_DATE);
      await expectSyncState(pageB2, 'synced', 0, 30_000);
      const [now] = assigneesOf(a, edited.id);
      await expect.poll(() => assigneesOf(b, edited.id)).toEqual([now]);
      const card = cardIn(pageB2, now!, edited.id);
      await expect(card).toHaveAttribute('data-offline-by', ANA.name);
      await expect(card.locator('.cl-offline-badge')).toHaveAttribute('title', `Changed by ${ANA.name} while you were offline`);
      const marks = b.query<{ by_name: string; action: string }>('SELECT by_name, action FROM offline_changes WHERE booking_id = ?', edited.id);
      expect(marks.length).toBe(2);
      expect(new Set(marks.map((m) => m.by_name))).toEqual(new Set([ANA.name]));
      // No other job of the day carries a mark: only what changed while B was away.
      await expect(pageB2.locator('.cl-timeline [data-offline-by]')).toHaveCount(1);
      await pageB2.screenshot({ path: 'test-results/screenshots/sync-offline-change.png' });
      await card.screenshot({ path: 'test-results/screenshots/sync-card-offline-change.png' });

      await card.click();
      const note = pageB2.locator(`[data-panel="job"][data-booking-id="${edited.id}"] [data-offline-note]`);
      await expect(note).toContainText(`Changed by ${ANA.name} while you were offline`);
      await expect(note.locator('[data-offline-change]')).toHaveCount(2);
      await note.locator('[data-action="dismiss-offline-change"]').click();
      await expect(note).toHaveCount(0);
      await expect(cardIn(pageB2, now!, edited.id)).not.toHaveAttribute('data-offline-by');
      expect(b.query('SELECT * FROM offline_changes WHERE booking_id = ?', edited.id)).toEqual([]);
      expect(b.query<{ title: string }>('SELECT title FROM bookings WHERE id = ?', edited.id)[0]!.title).toBe('Offline title change');
    });

    await test.step('signing out keeps the link and says so', async () => {
      await syncIndicator(pageA).click();
      const dialog = syncDialog(pageA);
      await expect(dialog.locator('[data-sync-server]')).toHaveText(server.url);
      await expect(dialog.locator('[data-sync-user]')).toContainText(ANA.name);
      await expect(dialog.locator('[data-sync-role="admin"]')).toHaveText('Admin');
      await dialog.locator('[data-action="sign-out"]').click();
      await expect(dialog.locator('[data-form="sync-sign-in"] input[name="serverUrl"]')).toHaveValue(server.url);
      await expectSyncState(pageA, 'signed-out', 0);
      await expect(syncIndicator(pageA)).toHaveText('Signed out');
      expect(a.query("SELECT 1 FROM meta WHERE key = 'sync_link'")).toHaveLength(1);
    });
  });
});
