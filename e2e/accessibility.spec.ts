import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { axeSchemes, expectAccessible } from './axe';
import { anyCard, assigneesOf, bookingsOn, cardIn, openBoard, PLAN_DATE, stagedBadge } from './board';
import { startEmptyHost } from './empty-host';
import { DEMO_DATE, expect, test } from './fixtures';
import { expectSyncState, signInThroughUi } from './sync-hosts';
import { adminToken, serverRequest } from './sync-server-process';
import { ANA, dispatchedSoloJob, test as syncedTest } from './synced-desktop';

const IMPORT_FIXTURE = join(import.meta.dirname, 'fixtures', 'customers-import.csv');

/**
 * Issue #22 item 8: axe-core (WCAG 2.1 A/AA) on every screen and dialog of the web host on the demo
 * company, on the first-run screen and on the technician page: no serious or critical violation. Every
 * audit runs in the light and in the dark colour scheme (`CREWLINE_AXE_SCHEME=light|dark` runs one).
 */

const dialog = (page: Page, name: string) => page.locator(`dialog[data-dialog="${name}"]`);

/** Opens a dialog, audits it (and the page under it), closes it with Escape. */
async function auditDialog(page: Page, name: string, open: () => Promise<void>): Promise<void> {
  await test.step(`dialog ${name}`, async () => {
    await open();
    await expect(dialog(page, name)).toBeVisible();
    await expectAccessible(page, `dialog ${name}`);
    await page.keyboard.press('Escape');
    await expect(dialog(page, name)).toHaveCount(0);
  });
}

for (const scheme of axeSchemes()) {
test.describe(`accessibility (${scheme})`, () => {
  test.use({ colorScheme: scheme });
  // Each audit takes a few seconds on two shared cores; a test walks many screens.
  test.setTimeout(240_000);
  test('the board: day, week and load views, the queue, the job panel and every board dialog', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    await test.step('day view with the queue', async () => {
      await expect(page.locator('[data-queue]')).toBeVisible();
      await expectAccessible(page, 'board, day view');
    });
    await test.step('week view', async () => {
      await page.locator('[data-action="week-view"]').click();
      await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
      await expectAccessible(page, 'board, week view');
    });
    await test.step('week load view', async () => {
      await page.locator('[data-action="week-load-view"]').click();
      await expectAccessible(page, 'board, week load view');
      await page.locator('[data-action="day-view"]').click();
      await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
    });

    // A job with a technician on the planning day: its panel, then Suggest and the route order from it.
    const job = bookingsOn(host, PLAN_DATE).find((b) => b.status !== 'cancelled' && b.assignee_count === 1)!;
    expect(job, 'an assigned job on the planning day').toBeDefined();
    const providerId = assigneesOf(host, job.id)[0]!;
    const panel = page.locator(`[data-panel="job"][data-booking-id="${job.id}"]`);
    await test.step('job panel', async () => {
      await anyCard(page, job.id).click();
      await expect(panel).toBeVisible();
      await expectAccessible(page, 'job panel');
    });
    await auditDialog(page, 'route-order', () => panel.locator(`[data-action="order-route"][data-provider-id="${providerId}"]`).click());
    await test.step('suggest (S on the selected job)', async () => {
      await anyCard(page, job.id).click();
      await page.keyboard.press('Escape'); // the job panel closes; the card stays selected
      await page.keyboard.press('s');
      await expect(dialog(page, 'suggest')).toBeVisible();
      await expectAccessible(page, 'dialog suggest');
      await page.keyboard.press('Escape');
      await expect(dialog(page, 'suggest')).toHaveCount(0);
    });
    await test.step('range picker', async () => {
      await page.locator('[data-action="pick-range"]').click();
      await expect(page.locator('[data-action="apply-range"]')).toBeVisible();
      await expectAccessible(page, 'range picker');
      await page.keyboard.press('Escape');
      await expect(page.locator('[data-action="apply-range"]')).toBeHidden();
    });
    await auditDialog(page, 'new-booking', () => page.locator('[data-action="new-booking"]').click());
    await auditDialog(page, 'quick-search', () => page.keyboard.press('Control+k'));
    await auditDialog(page, 'send-day', () => page.locator('[data-action="send-day"]').click());

    // Fill day stages an edit, which is what Save and Discard need.
    await test.step('fill day', async () => {
      await page.locator('[data-action="fill-day"]').click();
      await expect(dialog(page, 'fill-day').locator('[data-fill-summary]')).toBeVisible();
      await expectAccessible(page, 'dialog fill-day');
      await dialog(page, 'fill-day').locator('[data-action="fill-stage"]').click();
      await expect(stagedBadge(page)).not.toHaveAttribute('data-staged-count', '0');
      await expectAccessible(page, 'board with staged edits');
    });
    await auditDialog(page, 'save', () => page.keyboard.press('Control+s'));
    await auditDialog(page, 'discard', () => page.locator('[data-action="discard"]').click());
  });

  test('every screen in the navigation, and the sync dialog', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    for (const screen of ['bookings', 'route-sheets', 'providers', 'customers', 'services', 'import', 'settings', 'team']) {
      await test.step(screen, async () => {
        await page.locator(`[data-nav="${screen}"]`).click();
        await expect(page.locator(`[data-nav="${screen}"]`)).toHaveAttribute('aria-current', 'page');
        await expect(page.locator('.cl-main').getByRole('heading').first()).toBeVisible();
        await expectAccessible(page, `screen ${screen}`);
      });
    }
    await test.step('bookings: the cancelled ones (a status badge of their own)', async () => {
      await page.locator('[data-nav="bookings"]').click();
      await page.getByLabel('Status').selectOption('cancelled');
      await expect(page.locator('.bk-status--cancelled').first()).toBeVisible();
      await expectAccessible(page, 'bookings, cancelled');
    });
    // A record open in each record screen: the side panel's form.
    for (const [screen, row] of [['providers', 'data-provider-id'], ['customers', 'data-customer-id'], ['services', 'data-service-id']] as const) {
      await test.step(`${screen}: a record open`, async () => {
        await page.locator(`[data-nav="${screen}"]`).click();
        await page.locator(`[${row}]`).first().click();
        await expect(page.locator('.cl-main form').first()).toBeVisible();
        await expectAccessible(page, `${screen}, a record open`);
      });
    }
    // The sync indicator lives in the board header.
    await page.locator('[data-nav="board"]').click();
    await auditDialog(page, 'sync', () => page.locator('[data-sync-indicator]').click());
  });

  test('the first-run screen, then the demo badge and its start-my-company question', async ({ page }) => {
    const empty = await startEmptyHost('axe-first-run');
    try {
      await page.goto(empty.url);
      await expect(page.locator('[data-screen="first-run"]')).toBeVisible();
      await expectAccessible(page, 'first run');
      // The demo from the first-run screen: the nav's demo badge and its "start my company" question.
      await page.locator('[data-action="start-demo"]').click();
      const badge = page.locator('[data-demo-badge]');
      await expect(badge).toBeVisible();
      await auditDialog(page, 'start-my-company', () => badge.locator('[data-action="start-my-company"]').click());
    } finally {
      await empty.dispose();
    }
  });

  syncedTest('signed in to a sync server: the sync dialog, the team screen, the technician page and the late-jobs dialog', async ({ page, browser, server, host }) => {
    const TECH = { email: 'tech@northwind.example', password: 'tech-password-1' };
    const { job, providerId, providerName } = dispatchedSoloJob(host);

    await test.step('sync dialog, signed in', async () => {
      await openBoard(page, host, DEMO_DATE);
      const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
      await expect(dialog.locator('[data-action="upload-workspace"]')).toBeVisible();
      await expectAccessible(page, 'sync dialog, signed in');
      await dialog.locator('[data-action="upload-workspace"]').click();
      await dialog.locator('[data-action="close-sync"]').click();
      await expectSyncState(page, 'synced', 0);
    });

    const { token } = await adminToken(server);
    await serverRequest(server.url, 'POST', '/api/admin/users', { email: TECH.email, name: providerName, role: 'technician', providerId, password: TECH.password }, token);

    await test.step('team screen, signed in', async () => {
      await page.locator('[data-nav="team"]').click();
      await expect(page.getByText(TECH.email)).toBeVisible();
      await expectAccessible(page, 'team screen, signed in');
      await page.locator('[data-nav="board"]').click();
      await expect(anyCard(page, job.id)).toBeVisible();
    });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: scheme });
    const tech = await context.newPage();
    const card = tech.locator(`[data-field-job="${job.id}"]`);
    await test.step('technician page: sign-in form, a wrong password, the day, the running-late form', async () => {
      await tech.goto(`${server.url}/tech/?date=${DEMO_DATE}`);
      const login = tech.locator('[data-form="login"]');
      await expect(login).toBeVisible();
      await expectAccessible(tech, 'tech page, sign in');
      await login.locator('input[name="email"]').fill(TECH.email);
      await login.locator('input[name="password"]').fill('wrong password');
      await login.locator('[data-action="sign-in"]').click();
      await expect(tech.locator('[data-error-for="login"]')).toBeVisible();
      await expectAccessible(tech, 'tech page, sign-in error');
      await login.locator('input[name="password"]').fill(TECH.password);
      await login.locator('[data-action="sign-in"]').click();
      await expect(card).toBeVisible();
      await expectAccessible(tech, 'tech page, the day');
      await card.locator('[data-action="running_late"]').click();
      await card.locator('textarea[name="note"]').fill('15 min, traffic');
      await expectAccessible(tech, 'tech page, running-late form');
      await card.locator('[data-action="send-late"]').click();
      await expect(card.locator('[data-status-note]')).toHaveText('Running late: 15 min, traffic');
      await expectAccessible(tech, 'tech page, a job running late');
    });

    await test.step('board: the late marker and the late-jobs dialog', async () => {
      const marker = page.locator(`.cl-timeline .cl-provider[data-provider-id="${providerId}"] [data-late-marker]`);
      await expect(marker).toBeVisible({ timeout: 15_000 });
      await expectAccessible(page, 'board with a late job');
      await auditDialog(page, 'late-jobs', () => marker.click());
    });
    await context.close();
  });
  test('the import wizard with a file chosen, the restore confirmation, the series confirmations, and Suggest from the queue', async ({ page, host }) => {
    await test.step('import wizard: a file chosen, its mapping and preview', async () => {
      await page.goto(`${host.url}#/customers`);
      await page.getByRole('button', { name: 'Import…' }).click();
      await page.getByLabel('CSV file').setInputFiles(IMPORT_FIXTURE);
      const screen = page.locator('[data-screen="import"]');
      await expect(screen.locator('[data-import-step]')).toHaveAttribute('data-import-step', 'preview');
      await expect(screen.locator('tr[data-line="5"]')).toHaveAttribute('data-outcome', 'error');
      await expectAccessible(page, 'import wizard, preview');
    });

    await test.step('restore confirmation (Settings → Backups)', async () => {
      await page.goto(`${host.url}#/settings?section=backups`);
      const section = page.locator('[data-section="backups"]');
      await section.locator('[data-action="backup-now"]').click();
      await expect(section.locator('tr[data-backup-kind="manual"]')).toHaveCount(1);
      await expectAccessible(page, 'settings, backups listed');
      await auditDialog(page, 'restore-backup', () => section.locator('tr[data-backup-kind="manual"] [data-action="restore-backup"]').click());
    });

    await test.step('series confirmations: a weekly job, its panel, skip a visit, end the series', async () => {
      await openBoard(page, host, PLAN_DATE);
      const tech = host.query<{ id: string }>('SELECT id FROM providers WHERE active = 1 ORDER BY sort_order LIMIT 1')[0]!;
      await page.locator('[data-action="new-booking"]').click();
      const form = page.locator('form[aria-label="New booking"]');
      await form.locator('[name="title"]').fill('Window cleaning (weekly)');
      await form.locator('[name="slot.start"]').fill(`${PLAN_DATE}T17:00`);
      await form.locator('[name="durationMinutes"]').fill('60');
      await form.locator(`input[name="slot.assignees"][value="${tech.id}"]`).check();
      await form.locator('select[name="repeat.freq"]').selectOption('weekly');
      await expect(form.locator('[data-repeat-words]')).toHaveText('Weekly on Wednesday');
      await expectAccessible(page, 'new booking, repeating');
      await form.getByRole('button', { name: 'Create repeating job' }).click();
      await expect(form).toHaveCount(0);
      const visit = page.locator('[data-panel="job"]').filter({ has: page.locator('[data-series-rule]') });
      await expect(visit.locator('[data-series-rule]')).toHaveText('Repeats: Weekly on Wednesday');
      const visitId = (await visit.getAttribute('data-booking-id'))!;
      await expectAccessible(page, 'job panel of a recurring visit');
      // Escape closes the confirmation and then the panel: open it again from its card for the next one.
      const reopen = async () => {
        if ((await visit.count()) === 0) await cardIn(page, tech.id, visitId).click();
        await expect(visit).toBeVisible();
      };
      await auditDialog(page, 'skip-visit', () => visit.locator('[data-action="skip-visit"]').click());
      await reopen();
      await auditDialog(page, 'end-series', () => visit.locator('[data-action="end-series"]').click());
    });

    await test.step('suggest from a queue card', async () => {
      await openBoard(page, host, DEMO_DATE);
      const card = page.locator('.cl-queue-card').filter({ hasText: 'No date' }).first();
      await expect(card).toBeVisible();
      await card.locator('[data-action="suggest"]').click();
      await expect(dialog(page, 'suggest')).toBeVisible();
      await expect(dialog(page, 'suggest').locator('[data-suggest-option="provider"]').first()).toBeVisible();
      await expectAccessible(page, 'dialog suggest, from the queue');
      await page.keyboard.press('Escape');
      await expect(dialog(page, 'suggest')).toHaveCount(0);
    });
  });
});
}
