import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { localToMs } from '../core/time';
import { cardIn, drafts, stagedBadge } from './board';
import { startEmptyHost, type EmptyHost } from './empty-host';
import { expect, test } from './fixtures';
import { signInThroughUi, syncDialog } from './sync-hosts';
import { startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * A company moves in, end to end, as issue 18 walks it: a desktop's first start (an empty workspace) →
 * set up the company → import its technicians and customers from CSV files → a weekly job → its visits on
 * three weeks of the board → one visit moved → the series retimed, the moved visit keeping its time → the
 * office syncs with its server, invites a technician from the Team screen, and the technician redeems the
 * invite on the phone page and sees the visit. Everything runs at the demo's clock (Tuesday 24 Nov 2026).
 */

const ZONE = 'America/Chicago';
const COMPANY = 'Lakeside Home Services';
const ADMIN = { email: 'owner@lakeside.example', password: 'owner-password-1' };
const TITLE = 'Gutter check (weekly)';
/** Three Wednesdays in a row, from the day after the demo's "today". */
const WEEKS = ['2026-11-25', '2026-12-02', '2026-12-09'] as const;
const at = (date: string, time: string) => localToMs(date, time, ZONE);

const PROVIDERS_CSV = [
  'Name,Email,Phone,Skills',
  'Maya Chen,maya@lakeside.example,+1 312 555 0101,gutters; roofing',
  'Omar Haddad,omar@lakeside.example,+1 312 555 0102,plumbing',
  '',
].join('\r\n');

const CUSTOMERS_FIXTURE = join(import.meta.dirname, 'fixtures', 'customers-import.csv');

async function importFile(page: Page, kind: string, file: string, rows: number, added: string): Promise<void> {
  await page.goto(`${page.url().split('#')[0]}#/import?kind=${kind}`);
  const screen = page.locator('[data-screen="import"]');
  await expect(page.getByLabel('What to import')).toHaveValue(kind);
  await page.getByLabel('CSV file').setInputFiles(file);
  await expect(screen.locator('[data-import-step]')).toHaveAttribute('data-import-step', 'preview');
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  await expect(screen.locator('[data-import-result]')).toContainText(`Imported: ${added} added.`);
}

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  return context.newPage();
}

test('a company moves in: first run, CSV import, a weekly job moved and retimed, a technician invited to the phone page', async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  let host: EmptyHost | null = null;
  let server: SyncServerProcess | null = null;
  try {
    host = await startEmptyHost('move-in');
    const visits = () =>
      host!.query<{ id: string; start_ms: number; end_ms: number }>('SELECT id, start_ms, end_ms FROM bookings WHERE title = ? ORDER BY start_ms', TITLE);
    const visitOn = (date: string) => visits().find((v) => v.start_ms >= at(date, '00:00') && v.start_ms <= at(date, '23:59'));
    const providerNamed = (name: string) => host!.query<{ id: string }>('SELECT id FROM providers WHERE name = ?', name)[0]?.id;

    await test.step('first run: set up the company', async () => {
      await page.goto(host!.url);
      const form = page.getByRole('form', { name: 'Set up my company' });
      await form.locator('input[name="name"]').fill(COMPANY);
      await form.locator('input[name="timeZone"]').fill(ZONE);
      await form.locator('select[name="distanceUnit"]').selectOption('mi');
      await form.locator('[data-action="set-up-company"]').click();
      await expect(page.locator('[data-screen="first-run"]')).toBeHidden();
      await expect(page.locator('[data-demo-badge]')).toHaveCount(0);
    });

    await test.step('import the technicians and the customers from CSV files', async () => {
      const providersFile = info.outputPath('providers.csv');
      writeFileSync(providersFile, PROVIDERS_CSV);
      await importFile(page, 'providers', providersFile, 2, '2 service providers');
      await importFile(page, 'customers', CUSTOMERS_FIXTURE, 2, '2 customers');
      expect(host!.query<{ n: number }>('SELECT count(*) AS n FROM providers')[0]!.n).toBe(2);
      expect(host!.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0]!.n).toBe(2);
    });
    const maya = providerNamed('Maya Chen')!;
    expect(maya).toBeDefined();

    await test.step('a weekly job, with visits on three weeks of the board', async () => {
      await page.goto(`${host!.url}&date=${WEEKS[0]}#/board`);
      await page.locator('[data-action="new-booking"]').click();
      const form = page.locator('form[aria-label="New booking"]');
      await form.locator('[name="title"]').fill(TITLE);
      await form.locator('select[name="customerId"]').selectOption({ label: 'Zoë Lindqvist' });
      await form.locator('[name="slot.start"]').fill(`${WEEKS[0]}T09:00`);
      await form.locator('[name="durationMinutes"]').fill('60');
      await form.locator(`input[name="slot.assignees"][value="${maya}"]`).check();
      await form.locator('select[name="repeat.freq"]').selectOption('weekly');
      await expect(form.locator('[data-repeat-words]')).toHaveText('Weekly on Wednesday');
      await form.getByRole('button', { name: 'Create repeating job' }).click();
      await expect(form).toHaveCount(0);
      // The organization's horizon: 8 weeks from today.
      await expect.poll(() => visits().length).toBe(9);
      for (const date of WEEKS) {
        const visit = visitOn(date)!;
        expect(visit).toMatchObject({ start_ms: at(date, '09:00'), end_ms: at(date, '10:00') });
        await page.goto(`${host!.url}&date=${date}#/board`);
        await expect(cardIn(page, maya, visit.id)).toContainText('9:00 AM–10:00 AM');
      }
    });

    await test.step('move the second week’s visit, then retime the series: the moved one keeps its time', async () => {
      const [, second, third] = WEEKS.map((date) => visitOn(date)!.id);
      await page.goto(`${host!.url}&date=${WEEKS[1]}#/board`);
      await cardIn(page, maya, second!).click();
      const when = page.locator(`[data-panel="job"][data-booking-id="${second}"] [data-form="when"]`);
      await when.locator('input[name="when.start"]').fill(`${WEEKS[1]}T14:00`);
      await when.locator('input[name="when.end"]').fill(`${WEEKS[1]}T15:00`);
      await when.locator('input[name="when.end"]').press('Enter');
      await expect.poll(() => drafts(host!).map((d) => d.id)).toEqual([second]);
      await page.locator('[data-action="save"]').click();
      await page.locator('[data-dialog="save"] [data-action="confirm-save"]').click();
      await expect(stagedBadge(page)).toContainText('All saved');

      await page.goto(`${host!.url}&date=${WEEKS[2]}#/board`);
      await cardIn(page, maya, third!).click();
      const series = page.locator(`[data-panel="job"][data-booking-id="${third}"] [data-form="series-time"]`);
      await series.locator('input[name="series.startTime"]').fill('11:00');
      await series.locator('input[name="series-time.scope"][value="all"]').check();
      await series.locator('[data-action="apply-series-time"]').click();
      await expect(page.getByText('All visits changed')).toBeVisible();
      await expect.poll(() => visitOn(WEEKS[2])?.start_ms).toBe(at(WEEKS[2], '11:00'));
      expect(visitOn(WEEKS[0])).toMatchObject({ start_ms: at(WEEKS[0], '11:00') });
      expect(visitOn(WEEKS[1])).toMatchObject({ id: second, start_ms: at(WEEKS[1], '14:00'), end_ms: at(WEEKS[1], '15:00') });
    });

    await test.step('the office syncs with its server and invites Maya from the Team screen', async () => {
      server = await startSyncServerProcess({ admin: ADMIN });
      const dialog = await signInThroughUi(page, server, ADMIN.email, ADMIN.password);
      // Not the demo: the plain upload, with no demo warning.
      await expect(dialog.locator('[data-demo-warning]')).toHaveCount(0);
      await dialog.locator('[data-action="upload-workspace"]').click();
      await dialog.locator('[data-action="close-sync"]').click();
      await expect(syncDialog(page)).toBeHidden();
      await page.locator('[data-nav="team"]').click();
      const form = page.locator('[data-form="team-invite"]');
      if (!(await form.isVisible())) await page.locator('[data-action="invite-user"]').click();
      await form.locator('input[name="email"]').fill('maya@lakeside.example');
      await form.locator('select[name="role"]').selectOption('technician');
      await form.locator('select[name="providerId"]').selectOption(maya);
      await form.locator('button[type="submit"]').click();
      await expect(page.locator('[data-invite-code]')).toHaveAttribute('data-invite-email', 'maya@lakeside.example');
    });
    const code = (await page.locator('[data-invite-code]').getAttribute('data-invite-code'))!;

    await test.step('Maya redeems the invite on the phone page and sees the visit', async () => {
      const tech = await phone(browser);
      await tech.goto(`${server!.url}/tech/?date=${WEEKS[0]}`);
      await tech.locator('[data-action="use-invite"]').click();
      const redeem = tech.locator('[data-form="redeem"]');
      await redeem.locator('input[name="code"]').fill(code);
      await redeem.locator('input[name="password"]').fill('maya-password-1');
      await redeem.locator('input[name="passwordAgain"]').fill('maya-password-1');
      await redeem.locator('[data-action="redeem"]').click();
      await expect(tech.locator('[data-who]')).toHaveText('Maya Chen');
      const visit = visitOn(WEEKS[0])!;
      await expect(tech.locator(`[data-field-job="${visit.id}"]`)).toContainText(TITLE);
      await tech.context().close();
    });
  } finally {
    await host?.dispose();
    await (server as SyncServerProcess | null)?.dispose();
  }
});
