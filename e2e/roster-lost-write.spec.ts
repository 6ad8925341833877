import type { Browser, Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { openBoard } from './board';
import { DEMO_DATE, expect, test } from './fixtures';
import { expectSyncState, openSyncHost, pendingInStore, signInThroughUi, type SyncHost } from './sync-hosts';
import { startSyncServerProcess, type SyncServerProcess } from './sync-server-process';
import { ANA, uploadDemoCompany } from './synced-desktop';

/**
 * Two desktops (web hosts) on one real sync server change the same provider's phone while the server is
 * down. When it returns, the stamps settle it; the desktop whose change lost says so on the provider's
 * panel ("A change of yours was not kept", what was kept and what was lost) and marks the provider's row,
 * until "Got it". The desktop whose change was kept shows nothing.
 */

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.stack ?? error.message}`));
  return page;
}

const lostMarks = (host: SyncHost) =>
  host.query<{ booking_id: string; summary: string }>("SELECT booking_id, summary FROM offline_changes WHERE action = 'roster_conflict_lost'");

async function editPhone(page: Page, host: SyncHost, providerId: string, phone: string): Promise<void> {
  await page.goto(`${host.url}#/providers`);
  await page.locator(`tr[data-provider-id="${providerId}"]`).click();
  const form = page.locator('.prov-panel form').filter({ has: page.locator('[name="phone"]') });
  await form.locator('[name="phone"]').fill(phone);
  await form.locator('[name="phone"]').press('Enter');
  await expect.poll(() => pendingInStore(host)).toBe(1);
}

test.describe('a lost write on a roster record', () => {
  test.setTimeout(180_000);
  let server: SyncServerProcess;
  let a: SyncHost;
  let b: SyncHost;

  test.beforeEach(async () => {
    server = await startSyncServerProcess({ admin: ANA });
    [a, b] = await Promise.all([openSyncHost('a'), openSyncHost('b')]);
  });
  test.afterEach(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await server?.dispose();
  });

  test('the losing desktop shows it on the provider’s panel and row until Got it', async ({ browser }) => {
    const pageA = await newPage(browser);
    const pageB = await newPage(browser);
    await openBoard(pageA, a, DEMO_DATE);
    await uploadDemoCompany(pageA, server);
    await openBoard(pageB, b, DEMO_DATE);
    const dialog = await signInThroughUi(pageB, server, ANA.email, ANA.password);
    await dialog.locator('[data-action="replace-workspace"]').click();
    await dialog.locator('[data-sync-confirm="replace"] [data-action="confirm-replace"]').click();
    await expect(dialog.locator('[data-sync-linked="replace"]')).toBeVisible({ timeout: 20_000 });
    await dialog.locator('[data-action="close-sync"]').click();
    await expectSyncState(pageB, 'synced', 0);

    const provider = a.query<{ id: string; name: string }>('SELECT id, name FROM providers ORDER BY name LIMIT 1')[0]!;
    const typed = new Map([
      [a, '+1 312 555 0111'],
      [b, '+1 312 555 0222'],
    ]);

    await server.stop();
    await expectSyncState(pageA, 'offline', 0);
    await expectSyncState(pageB, 'offline', 0);
    await editPhone(pageA, a, provider.id, typed.get(a)!);
    // The hosts' clocks started together but not at the same instant, so which write is later is the
    // stamps' to say: the spec reads the outcome, then holds each side to it.
    await editPhone(pageB, b, provider.id, typed.get(b)!);

    await server.start();
    await expect.poll(() => pendingInStore(a), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => pendingInStore(b), { timeout: 30_000 }).toBe(0);
    const phoneAt = (h: SyncHost) => JSON.parse(h.query<{ data: string }>('SELECT data FROM providers WHERE id = ?', provider.id)[0]!.data).phone as string;
    // Both sides read each time: a side can show a value for a moment before the rest of the server's
    // messages (a clamp of a stamp set ahead) settle it, so the expected value is not read once up front.
    await expect
      .poll(() => ({ same: phoneAt(a) === phoneAt(b), marked: lostMarks(a).length + lostMarks(b).length }), { timeout: 15_000 })
      .toEqual({ same: true, marked: 1 });
    // Exactly one side lost: the one whose phone is not the one both now show.
    const kept = phoneAt(a);
    const [loser, winner] = kept === typed.get(b) ? [a, b] : [b, a];
    expect(kept).toBe(typed.get(winner));
    await expect.poll(() => lostMarks(loser).length, { timeout: 15_000 }).toBe(1);
    expect(lostMarks(winner)).toEqual([]);
    expect(lostMarks(loser)[0]!.booking_id).toBe(`roster/providers/${provider.id}`);

    const loserPage = loser === a ? pageA : pageB;
    const winnerPage = loser === a ? pageB : pageA;
    const row = loserPage.locator(`tr[data-provider-id="${provider.id}"]`);
    await expect(row.locator('[data-lost-write-mark]')).toBeVisible();
    await expect(row.locator('[data-lost-write-mark]')).toHaveText(/A change of yours was not kept/);
    await row.click();
    const notice = loserPage.locator('.prov-panel [data-lost-write-notice]');
    await expect(notice).toContainText('A change of yours was not kept');
    await expect(notice.locator('[data-lost-write-kept]')).toHaveText(`Kept: Phone "${typed.get(winner)}".`);
    await expect(notice.locator('[data-lost-write-lost]')).toHaveText(`Yours, not kept: Phone "${typed.get(loser)}".`);
    await expect(loserPage.locator('.prov-panel [name="phone"]')).toHaveValue(typed.get(winner)!);
    await loserPage.locator('.prov-panel').screenshot({ path: 'test-results/screenshots/roster-lost-write.png' });
    await expectAccessible(loserPage, 'providers, a lost write marked and told');

    await expect(winnerPage.locator(`tr[data-provider-id="${provider.id}"] [data-lost-write-mark]`)).toHaveCount(0);
    await expect(winnerPage.locator('[data-lost-write-notice]')).toHaveCount(0);

    await notice.getByRole('button', { name: 'Got it' }).click();
    await expect(notice).toHaveCount(0);
    await expect(row.locator('[data-lost-write-mark]')).toHaveCount(0);
    expect(lostMarks(loser)).toEqual([]);
  });
});
