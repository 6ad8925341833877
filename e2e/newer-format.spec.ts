import { activeProviders, assigneesOf, bookingsOn, cardIn, drafts, drag, laneCenterY } from './board';
import { expect, openSyncedBoard, test } from './synced-desktop';

/**
 * An older desktop meets a newer document (issue 20): the organization's server is moved to a newer document
 * format (`--known-doc-format 3`, which raises every room to it when it loads); a desktop of this build,
 * which knows format 2, syncs, keeps showing the schedule, says "update Crewline", and changes nothing.
 * The backend side (every write refused, nothing sent to the server) is electron/backend/sync/newer-format.int.test.ts.
 */
test('a desktop older than its organization’s documents shows the schedule read-only and says to update', async ({ page, host, server }) => {
  test.setTimeout(120_000);
  await openSyncedBoard(page, host, server);
  await expect(page.locator('[data-update-required]')).toHaveCount(0);
  await expect(page.locator('[data-board-header] [data-action="save"]')).toBeVisible();

  // The server is restarted as a newer version: the organization's documents are raised to format 3.
  await server.stop();
  await server.start(['--known-doc-format', '3']);

  const banner = page.locator('[data-update-required]');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('saved by a newer version of Crewline (format 3; this app knows format 2)');
  await expect(banner).toContainText('Update Crewline');
  for (const action of ['new-booking', 'save', 'discard']) {
    await expect(page.locator(`[data-board-header] [data-action="${action}"]`), action).toHaveCount(0);
  }

  // The schedule is still there to read, and a drag changes nothing.
  const job = bookingsOn(host).find((b) => (b.status === 'scheduled' || b.status === 'dispatched') && b.assignee_count === 1)!;
  const [from] = assigneesOf(host, job.id);
  const to = activeProviders(host).find((p) => p.id !== from)!;
  const card = cardIn(page, from!, job.id);
  await expect(card).toBeVisible();
  await drag(page, card, { x: (await card.boundingBox())!.x + 40, y: await laneCenterY(page, to.id) });
  await expect(cardIn(page, from!, job.id)).toBeVisible();
  await expect(cardIn(page, to.id, job.id)).toHaveCount(0);
  expect(drafts(host)).toEqual([]);
  expect(assigneesOf(host, job.id)).toEqual([from]);
  await page.screenshot({ path: 'test-results/screenshots/newer-format.png' });
});
