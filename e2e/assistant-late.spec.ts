import { anyCard, assigneesOf, bookingsOn, type BookingRow } from './board';
import { DEMO_DATE } from './fixtures';
import { expectSyncState, type SyncHost } from './sync-hosts';
import { adminToken, serverRequest } from './sync-server-process';
import { dispatchedSoloJob, expect, openSyncedBoard, test } from './synced-desktop';

/**
 * Running late, where the dispatcher looks (issue #19 §5). A real sync server (child process, the demo's
 * clock) and a desktop (web host, demo company uploaded) on the demo day; a technician linked to a provider
 * reports running late through the field API. Without a reload the desktop's board shows the note on the
 * job's card and a "Late" marker on the technician's row label (the note in its accessible name); the
 * marker opens the technician's next jobs of that day, each with "Suggest a technician". Once the
 * technician is en route, the report no longer stands: card line and marker go.
 * The claim side (a claim that breaks a hard rule is refused with its reason) is covered by
 * sync-server/src/field/field-routes.int.test.ts.
 */

const TECH = { email: 'late@northwind.example', password: 'late-password-1' };
const NOTE = '20 min, traffic on I-90';
const UNDER_WAY_OR_CLOSED = ['en_route', 'in_progress', 'completed', 'cancelled'];

/** The demo day's jobs of one provider, as the board orders them. */
const jobsOf = (host: SyncHost, providerId: string): BookingRow[] =>
  bookingsOn(host)
    .filter((b) => assigneesOf(host, b.id).includes(providerId))
    .sort((a, b) => a.start_ms! - b.start_ms! || a.id.localeCompare(b.id));

test.describe('running late on the board', () => {
  test.setTimeout(180_000);
  test.use({ deskName: 'late' });

  test("a technician's late report shows on the card and the row label; the marker offers their next jobs", async ({ page, server, host }) => {
    // A job sent to one technician, later today (the demo's clock is mid-day).
    const { job, providerId, providerName } = dispatchedSoloJob(host);
    const followUp = 'Follow-up visit – late test';

    await test.step('desktop: sign in to the sync server and upload the demo company', async () => {
      await openSyncedBoard(page, host, server);
      await expect(anyCard(page, job.id)).toHaveAttribute('data-status', 'dispatched');
      await expect(page.locator(`.cl-provider[data-provider-id="${providerId}"] [data-late-marker]`)).toHaveCount(0);
    });

    let next: BookingRow[] = [];
    await test.step("the office books one more job on the technician's row, after the one that will run late", async () => {
      await page.locator('[data-action="new-booking"]').click();
      const form = page.locator('form[aria-label="New booking"]');
      await form.locator('[name="title"]').fill(followUp);
      await form.locator('[name="slot.start"]').fill(`${DEMO_DATE}T16:00`);
      await form.locator('[name="durationMinutes"]').fill('60');
      await form.locator(`label[data-provider-id="${providerId}"] input[name="slot.assignees"]`).check();
      await form.getByRole('button', { name: 'Create booking' }).click();
      await expect(form).toHaveCount(0);
      await expect.poll(() => host.query('SELECT id FROM bookings WHERE title = ?', followUp).length).toBe(1);
      await expectSyncState(page, 'synced', 0);
      // What the list must name: this technician's open jobs after the late one, that day, soonest first.
      next = jobsOf(host, providerId).filter((b) => b.start_ms! > job.start_ms! && !UNDER_WAY_OR_CLOSED.includes(b.status));
      expect(next.map((b) => b.title)).toContain(followUp);
      await expect(anyCard(page, next.at(-1)!.id)).toBeVisible();
    });

    let techToken = '';
    await test.step('the technician, linked to the provider, signs in to the field API', async () => {
      const { token } = await adminToken(server);
      await serverRequest(server.url, 'POST', '/api/admin/users', { email: TECH.email, name: providerName, role: 'technician', providerId, password: TECH.password }, token);
      techToken = (await serverRequest<{ token: string }>(server.url, 'POST', '/api/auth/login', TECH)).token;
    });

    const marker = page.locator(`.cl-timeline .cl-provider[data-provider-id="${providerId}"] [data-late-marker]`);
    await test.step('running late through the field API: the card and the row label show it, no reload', async () => {
      const answer = await serverRequest<{ job: { statusNote: string } }>(server.url, 'POST', `/api/field/jobs/${job.id}/status`, { status: 'running_late', note: NOTE }, techToken);
      expect(answer.job.statusNote).toBe(`Running late: ${NOTE}`);
      const card = anyCard(page, job.id);
      await expect(card).toHaveAttribute('data-late-note', `Running late: ${NOTE}`, { timeout: 15_000 });
      await expect(card.locator('.cl-card__late-note')).toHaveText(`Running late: ${NOTE}`);
      await expect(marker).toHaveAttribute('data-late-marker', job.id);
      await expect(marker).toHaveAccessibleName(`Running late: ${NOTE}. Show the next jobs to reassign`);
      await expect(page.getByRole('button', { name: new RegExp(`^Running late: ${NOTE}`) })).toHaveCount(1);
      // Only this technician's row is marked.
      await expect(page.locator('.cl-timeline [data-late-marker]')).toHaveCount(1);
      await page.locator(`.cl-provider[data-provider-id="${providerId}"]`).screenshot({ path: 'test-results/screenshots/late-row-label.png' });
    });

    await test.step("the marker opens the technician's next jobs of the day, each offered to the assistant", async () => {
      await marker.click();
      const dialog = page.locator('[data-dialog="late-jobs"]');
      await expect(dialog).toBeVisible();
      await expect(dialog.locator('h2')).toHaveText(`${providerName} is running late`);
      await expect(dialog.locator(`[data-late-job="${job.id}"]`)).toContainText(`Running late: ${NOTE}`);
      const items = dialog.locator('[data-late-next-job]');
      await expect(items).toHaveCount(next.length);
      expect(await items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-late-next-job')))).toEqual(next.map((b) => b.id));
      for (const [i, b] of next.entries()) {
        await expect(items.nth(i)).toContainText(b.title);
        await expect(items.nth(i).getByRole('button', { name: 'Suggest a technician' })).toBeEnabled();
      }
      await page.screenshot({ path: 'test-results/screenshots/late-next-jobs.png' });
      // The button hands the job to the assistant's suggest panel and this list steps aside.
      await items.first().getByRole('button', { name: 'Suggest a technician' }).click();
      await expect(dialog).toHaveCount(0);
    });

    await test.step('the suggest panel ranks technicians for the next job; Enter stages it on another row, Ctrl+Z takes it back', async () => {
      const suggest = page.locator('[data-dialog="suggest"]');
      await expect(suggest).toBeVisible();
      await expect(suggest.locator('[data-suggest-time="kept"]')).toContainText('keeps its time');
      await expect(suggest.locator(`[data-provider-id="${providerId}"]`)).toContainText('on the job');
      // Down to the first technician other than the late one who breaks no rule.
      const options = suggest.locator('[role="option"]');
      const active = suggest.locator('[role="option"][aria-selected="true"]');
      let chosen: string | null = null;
      for (let i = 0, n = await options.count(); i < n && chosen === null; i++) {
        const id = await active.getAttribute('data-provider-id');
        if ((await active.getAttribute('data-ok')) === 'true' && id && id !== providerId) chosen = id;
        else await page.keyboard.press('ArrowDown');
      }
      expect(chosen, 'a free technician for the next job').not.toBeNull();
      await page.keyboard.press('Enter');
      await expect(suggest).toHaveCount(0);
      const moved = next[0]!;
      await expect(page.locator(`.cl-timeline [data-booking-id="${moved.id}"][data-staged="true"]`)).toHaveCount(1);
      await expect.poll(() => host.query<{ slot: string }>('SELECT slot FROM draft_changes WHERE booking_id = ?', moved.id).map((r) => JSON.parse(r.slot).assignees)).toEqual([[chosen]]);
      await page.keyboard.press('Control+z');
      await expect.poll(() => host.query('SELECT booking_id FROM draft_changes').length).toBe(0);
    });

    await test.step('en route: the report no longer stands, the card line and the marker go', async () => {
      await serverRequest(server.url, 'POST', `/api/field/jobs/${job.id}/status`, { status: 'en_route' }, techToken);
      await expect(anyCard(page, job.id)).toHaveAttribute('data-status', 'en_route', { timeout: 15_000 });
      await expect(anyCard(page, job.id)).not.toHaveAttribute('data-late-note');
      await expect(marker).toHaveCount(0);
    });
  });
});
