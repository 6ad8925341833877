import { activeProviders, anyCard, assigneesOf, bookingsOn, cardIn, drafts, drag, laneCenterY, openBoard, PLAN_DATE } from './board';
import { expect, test } from './fixtures';
import { expectSyncState, openSyncHost, signInThroughUi, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest, startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * A viewer's console (a real sync server, an admin's desktop that uploads the demo company, a viewer's
 * desktop that takes the organization's schedule): visibly read-only, and nothing it does stages, saves or
 * changes a job.
 */

const ANA = { email: 'ana@northwind.example', password: 'ana-password-1' };
const VIC = { email: 'vic@northwind.example', password: 'vic-password-1', name: 'Vic Viewer' };

let server: SyncServerProcess;
let office: SyncHost;
let viewer: SyncHost;

test.beforeEach(async () => {
  server = await startSyncServerProcess({ admin: ANA });
  const { token } = await adminToken(server);
  await serverRequest(server.url, 'POST', '/api/admin/users', { email: VIC.email, name: VIC.name, role: 'viewer', password: VIC.password }, token);
  [office, viewer] = await Promise.all([openSyncHost('office'), openSyncHost('viewer')]);
});
test.afterEach(async () => {
  await Promise.all([office?.dispose(), viewer?.dispose()]);
  await server?.dispose();
});

test('a viewer sees the board read-only: a badge, no editing controls, drags and keys change nothing', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await openBoard(page, office, PLAN_DATE);
  let dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
  await dialog.locator('[data-action="upload-workspace"]').click();
  await dialog.locator('[data-action="close-sync"]').click();
  await expectSyncState(page, 'synced', 0);
  // The office's console is not read-only.
  await expect(page.locator('[data-view-only]')).toHaveCount(0);
  await expect(page.locator('[data-action="save"]')).toBeVisible();

  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const vpage = await context.newPage();
  await openBoard(vpage, viewer, PLAN_DATE);
  dialog = await signInThroughUi(vpage, server, VIC.email, VIC.password);
  await dialog.locator('[data-action="replace-workspace"]').click();
  await dialog.locator('[data-sync-confirm="replace"] [data-action="confirm-replace"]').click();
  await expect(dialog.locator('[data-sync-linked="replace"]')).toBeVisible({ timeout: 20_000 });
  await dialog.locator('[data-action="close-sync"]').click();

  await expect(vpage.locator('[data-view-only]')).toHaveText('View only');
  for (const action of ['new-booking', 'send-day', 'save', 'discard', 'undo', 'redo']) {
    await expect(vpage.locator(`[data-board-header] [data-action="${action}"]`), action).toHaveCount(0);
  }
  await vpage.locator('[data-board-header]').screenshot({ path: 'test-results/screenshots/viewer-header.png' });

  // A drag onto another row: the card stays where it is saved and nothing is staged.
  const job = bookingsOn(viewer, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
  const [from] = assigneesOf(viewer, job.id);
  const to = activeProviders(viewer).find((p) => p.id !== from)!;
  const card = cardIn(vpage, from!, job.id);
  await expect(card).toBeVisible();
  await drag(vpage, card, { x: (await card.boundingBox())!.x + 40, y: await laneCenterY(vpage, to.id) });
  await expect(cardIn(vpage, from!, job.id)).toBeVisible();
  await expect(cardIn(vpage, to.id, job.id)).toHaveCount(0);
  expect(drafts(viewer)).toEqual([]);
  expect(assigneesOf(viewer, job.id)).toEqual([from]);
  // Not refused after the fact: the card could not be dragged, so no request was made to refuse.
  await expect(vpage.getByText('You have view-only access')).toHaveCount(0);

  // The keys that would edit do nothing: N opens no form, Delete unassigns nobody.
  await vpage.keyboard.press('n');
  await expect(vpage.locator('[data-dialog="new-booking"]')).toHaveCount(0);
  await anyCard(vpage, job.id).first().click();
  const panel = vpage.locator(`[data-panel="job"][data-booking-id="${job.id}"]`);
  await expect(panel).toBeVisible();
  await expect(panel.locator('[data-action="send-to-tech"]')).toBeDisabled();
  await expect(panel.locator('[data-action="cancel-job"]')).toBeDisabled();
  await expect(panel.locator('textarea[name="notes"]')).toBeDisabled();
  await vpage.keyboard.press('Escape');
  await vpage.keyboard.press('Delete');
  await expect(vpage.getByText('You have view-only access')).toHaveCount(0);
  expect(drafts(viewer)).toEqual([]);
  expect(assigneesOf(viewer, job.id)).toEqual([from]);
  await context.close();
});
