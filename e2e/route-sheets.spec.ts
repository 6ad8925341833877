import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { formatterFor } from '../core/format';
import { openWorkspace } from '../electron/backend/workspace';
import { openBoard } from './board';
import { DEMO_NOW } from './demo-clock';
import { DEMO_DATE, expect, test, type Host } from './fixtures';
import { spawnWebHost } from './web-host-process';

/**
 * Route sheets printed to PDF by real Chromium from the web host, read back with poppler (pdftotext,
 * pdfinfo, pdftoppm). Expectations come from the workspace file, not from the route-sheet model. The
 * pages are kept as PNGs in test-results/route-sheets/ for a person to look at.
 */

const ARTIFACTS = resolve('test-results/route-sheets');
mkdirSync(ARTIFACTS, { recursive: true });

const ZONE = 'America/Chicago';
/** The demo company reads its clock in 12 h ("9:00 AM"): core/format.ts is what the sheets are written with. */
const clock = formatterFor({ timeZone: ZONE, timeFormat: '12h' });
const hhmm = (iso: string) => clock.time(Date.parse(iso));
/** [start, end) of a Chicago day in November/December 2026 (CST, UTC-6; no clock change in these weeks). */
const cstDay = (date: string): [number, number] => {
  const start = Date.parse(`${date}T06:00:00Z`);
  return [start, start + 86_400_000];
};

interface ExpectedStop {
  customer: string;
  address: string;
  window: string;
}
interface ExpectedSheet {
  providerId: string;
  provider: string;
  stops: ExpectedStop[];
}

/** Who works that day and their stops in time order, read straight from the read tables. */
function expectedSheets(query: Host['query'], date: string): ExpectedSheet[] {
  const [from, to] = cstDay(date);
  const rows = query<{ providerId: string; provider: string; booking: string; customer: string | null }>(
    `SELECT p.id AS providerId, p.name AS provider, b.data AS booking, c.data AS customer
     FROM booking_assignees a JOIN bookings b ON b.id = a.booking_id JOIN providers p ON p.id = a.provider_id
     LEFT JOIN customers c ON c.id = b.customer_id
     WHERE b.status != 'cancelled' AND a.start_ms >= ? AND a.start_ms < ?
     ORDER BY p.sort_order, p.name, a.start_ms`,
    from,
    to,
  );
  const sheets: ExpectedSheet[] = [];
  for (const row of rows) {
    const booking = JSON.parse(row.booking) as { location: { address: string }; arrivalWindow: { start: string; end: string } | null };
    const customer = row.customer ? (JSON.parse(row.customer) as { name: string }) : null;
    let sheet = sheets.at(-1);
    if (sheet?.providerId !== row.providerId) sheets.push((sheet = { providerId: row.providerId, provider: row.provider, stops: [] }));
    sheet.stops.push({
      customer: customer?.name ?? 'No customer',
      address: booking.location.address,
      window: booking.arrivalWindow ? `${hhmm(booking.arrivalWindow.start)}–${hhmm(booking.arrivalWindow.end)}` : 'Any time',
    });
  }
  return sheets;
}

const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const pdfPageSize = (file: string) => /Page size:\s+(.*)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]!;
const pageText = (file: string, page: number) =>
  execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });

/** Renders every page to PNG next to the PDF (kept as test artifacts); returns the PNG paths. */
function renderPages(file: string, prefix: string): string[] {
  for (const old of readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'))) rmSync(join(ARTIFACTS, old));
  execFileSync('pdftoppm', ['-png', '-r', '100', file, join(ARTIFACTS, prefix)]);
  return readdirSync(ARTIFACTS)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => join(ARTIFACTS, f));
}

/** Each stop's customer, address and window are on the page, and stop i comes wholly before stop i+1. */
function expectStopsInOrder(text: string, stops: ExpectedStop[], where: string) {
  let cursor = 0;
  stops.forEach((stop, i) => {
    const found = [stop.customer, stop.address, stop.window].map((needle) => {
      const at = text.indexOf(needle, cursor);
      expect(at, `${where}: stop ${i + 1} "${needle}" after offset ${cursor}`).toBeGreaterThanOrEqual(0);
      return at + needle.length;
    });
    cursor = Math.max(...found);
  });
}

async function openRouteSheets(page: Page, url: string, query: string) {
  await page.goto(`${url}#/route-sheets?${query}`);
  await expect(page.locator('[data-screen="route-sheets"]')).toHaveAttribute('data-state', 'ready');
  await page.evaluate(() => document.fonts.ready);
}

async function printPdf(page: Page, name: string): Promise<string> {
  const file = join(ARTIFACTS, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  return file;
}

test.describe('route sheets', () => {
  test('print the demo company’s day to PDF: one page per provider with jobs, every stop in order', async ({ page, host }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const expected = expectedSheets(host.query, DEMO_DATE);
    expect(expected.length).toBeGreaterThan(3);

    for (const paper of ['letter', 'a4'] as const) {
      await openRouteSheets(page, host.url, `date=${DEMO_DATE}&paper=${paper}`);
      await expect(page.locator('[data-route-sheet]')).toHaveCount(expected.length);
      const file = await printPdf(page, `demo-${DEMO_DATE}-${paper}`);
      expect(pdfPageSize(file)).toContain(paper === 'letter' ? '(letter)' : '(A4)');
      expect(pdfPages(file)).toBe(expected.length);
      expected.forEach((sheet, i) => {
        const text = pageText(file, i + 1);
        const where = `${paper} page ${i + 1}`;
        expect(text, where).toContain('Northwind Home Services');
        expect(text, where).toContain('Tuesday, November 24, 2026');
        expect(text, where).toContain(sheet.provider);
        expectStopsInOrder(text, sheet.stops, `${where} (${sheet.provider})`);
        expect(text, where).toContain('(estimate)');
        expect(text, where).toContain('TECHNICIAN SIGNATURE');
        // Nothing of the app around the sheets is printed.
        expect(text, where).not.toMatch(/Include providers with no jobs|Bookings\s+Route sheets/);
      });
      const pngs = renderPages(file, `demo-${DEMO_DATE}-${paper}`);
      expect(pngs).toHaveLength(expected.length);
    }
    expect(errors).toEqual([]);
  });

  test('distances in the organization’s unit: miles for the demo company, kilometres once Settings say so', async ({ page, host }) => {
    await openRouteSheets(page, host.url, `date=${DEMO_DATE}`);
    const sheet = page.locator('[data-route-sheet]').first();
    const leg = sheet.locator('[data-leg-from]:not(.rs-leg--unknown)').first();
    await expect(leg).toHaveText(/≈ \d+\.\d mi, about/);
    const miles = Number(/≈ (\d+\.\d) mi/.exec((await leg.textContent())!)![1]);
    await expect(sheet.locator('[data-summary="travel"]')).toHaveText(/≈ \d+\.\d mi,/);
    await expect(sheet.locator('.rs-note').first()).toContainText('at 18.6 mph, not from a road map');
    await expect(sheet.locator('.rs-sketch__scale text')).toHaveText(/^\d+(\.\d+)? mi$/);

    await page.locator('[data-nav="settings"]').click();
    const speed = page.locator('input[name="travelSpeedKmh"]');
    await expect(speed).toHaveValue('18.6');
    // Typed in mph, judged in mph, field by field.
    await speed.fill('100');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.locator('[data-error-for="travelSpeedKmh"]')).toHaveText('At most 80.7 mph');
    await speed.fill('18.6');
    await page.locator('select[name="distanceUnit"]').selectOption('km');
    await expect(speed).toHaveValue('30'); // the saved 30 km/h, not 18.6 mph converted back
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();

    await openRouteSheets(page, host.url, `date=${DEMO_DATE}`);
    const km = Number(/≈ (\d+\.\d) km/.exec((await leg.textContent())!)![1]);
    expect(Math.abs(km - miles * 1.609344)).toBeLessThanOrEqual(0.1);
    await expect(sheet.locator('.rs-note').first()).toContainText('at 30 km/h, not from a road map');
    await expect(sheet.locator('.rs-sketch__scale text')).toHaveText(/^\d+ (m|km)$/);
  });

  test('flags the engine’s conflicts on the sheet of the provider they concern', async ({ page, host }) => {
    // The demo's second Tuesday: Marcus is double-booked and Sofia has a job during her dentist appointment.
    const date = '2026-12-01';
    await openRouteSheets(page, host.url, `date=${date}`);
    const file = await printPdf(page, `conflicts-${date}`);
    const expected = expectedSheets(host.query, date);
    expect(pdfPages(file)).toBe(expected.length);
    const pageOf = (name: string) => pageText(file, expected.findIndex((s) => s.provider === name) + 1);
    expect(pageOf('Marcus Johnson')).toMatch(/Conflict: Marcus Johnson is double-booked with "[^"]+"/);
    expect(pageOf('Sofia Ramirez')).toContain('Check: Sofia Ramirez is off (Dentist appointment)');
    // Nobody else is double-booked that day, so no other page says so.
    expected.filter((s) => s.provider !== 'Marcus Johnson').forEach((s) => expect(pageOf(s.provider), s.provider).not.toContain('double-booked'));
    renderPages(file, `conflicts-${date}`);
  });

  test('an over-long unbroken note wraps and is cut on its own stop; the print keeps its scale', async ({ page }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crewline-e2e-note-'));
    const { store } = openWorkspace({ dataDir, seedDemo: true, demoDate: DEMO_DATE });
    const marcus = store.queries.providers().find((p) => p.name === 'Marcus Johnson')!;
    const first = store.queries.providerDay(marcus.id, DEMO_DATE)[0]!;
    store.close();
    /** Heights of the header's words ("Route sheet · Marcus Johnson") on page 1: they shrink if the print is scaled. */
    const headerHeights = (file: string) => {
      const xml = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
      const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Route<\/word>/.exec(xml);
      if (!word) throw new Error(`no "Route" on page 1 of ${file}`);
      return { height: Number(word[4]) - Number(word[2]), x: Number(word[1]) };
    };
    const query = `date=${DEMO_DATE}&providers=${marcus.id}&paper=letter`;
    let host = await spawnWebHost({ args: ['--data-dir', dataDir], now: DEMO_NOW });
    try {
      await openRouteSheets(page, host.url, query);
      const before = headerHeights(await printPdf(page, 'note-before'));
      await host.stop();
      // The customer's notes print as the stop's access notes: one word as long as a note may be.
      const reopened = openWorkspace({ dataDir });
      const updated = reopened.store.execute('updateCustomer', { id: first.customerId, notes: 'A'.repeat(4_000) });
      reopened.store.close();
      expect(updated.ok, JSON.stringify(updated)).toBe(true);
      host = await spawnWebHost({ args: ['--data-dir', dataDir], now: DEMO_NOW });
      await openRouteSheets(page, host.url, query);
      const access = page.locator(`[data-route-sheet] [data-field="access"]`).first();
      await expect(access).toContainText('(cut: the whole note is in the job)');
      // The note stays inside its sheet: nothing is wider than the page.
      const overflow = await page.locator('[data-route-sheet]').first().evaluate((sheet) => sheet.scrollWidth - sheet.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const file = await printPdf(page, 'note-long');
      const after = headerHeights(file);
      expect(after.height).toBeCloseTo(before.height, 1);
      expect(after.x).toBeCloseTo(before.x, 0);
      expect(pdfPageSize(file)).toMatch(/^612 x 792 pts/);
      renderPages(file, 'note-long');
    } finally {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a long day continues on a second page under the repeated header, no stop split or lost', async ({ page }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crewline-e2e-long-'));
    const date = '2026-11-26';
    const { store } = openWorkspace({ dataDir, seedDemo: true, demoDate: DEMO_DATE });
    const marcus = store.queries.providers().find((p) => p.name === 'Marcus Johnson')!;
    const customers = store.queries.customers();
    // Fourteen short visits on top of his day, each at a different customer, with notes that take room.
    for (let i = 0; i < 14; i++) {
      const start = Date.parse(`${date}T13:00:00Z`) + i * 40 * 60_000;
      const r = store.execute('createBooking', {
        title: `Filter swap ${i + 1}`,
        customerId: customers[i * 5]!.id,
        notes: 'Check the condensate line and the thermostat batteries; leave the old filter with the customer.',
        slot: { start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString(), assignees: [marcus.id] },
      });
      expect(r.ok).toBe(true);
    }
    store.close();
    const host = await spawnWebHost({ args: ['--data-dir', dataDir], now: DEMO_NOW });
    const db = new Database(join(dataDir, 'workspace.sqlite'), { readonly: true });
    try {
      const query: Host['query'] = (sql, ...params) => db.prepare(sql).all(...params) as never;
      const sheet = expectedSheets(query, date).find((s) => s.providerId === marcus.id)!;
      expect(sheet.stops.length).toBeGreaterThanOrEqual(14);
      await openRouteSheets(page, host.url, `date=${date}&providers=${marcus.id}&paper=letter`);
      const file = await printPdf(page, `long-day-${date}`);
      const pages = pdfPages(file);
      expect(pages).toBeGreaterThanOrEqual(2);
      const texts = Array.from({ length: pages }, (_, i) => pageText(file, i + 1));
      texts.forEach((text, i) => {
        // The running header on every page, continuation pages included.
        expect(text, `page ${i + 1}`).toContain('Route sheet · Marcus Johnson');
        expect(text, `page ${i + 1}`).toContain('Thursday, November 26, 2026');
      });
      // Every stop in order across the pages, and none cut in two: its customer and address share a page.
      expectStopsInOrder(texts.join('\n'), sheet.stops, 'long day');
      for (const stop of sheet.stops) {
        expect(texts.some((t) => t.includes(stop.customer) && t.includes(stop.address)), stop.address).toBe(true);
      }
      expect(texts.at(-1)).toContain('TECHNICIAN SIGNATURE');
      renderPages(file, `long-day-${date}`);
    } finally {
      db.close();
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('reached from the board’s toolbar and Ctrl+P for the board’s day; providers chosen; Print opens the print dialog', async ({ page, host }) => {
    await openBoard(page, host);
    await page.locator('[data-action="route-sheets"]').click();
    await expect(page).toHaveURL(new RegExp(`#/route-sheets\\?date=${DEMO_DATE}$`));
    await expect(page.locator('[data-screen="route-sheets"]')).toHaveAttribute('data-state', 'ready');
    const all = expectedSheets(host.query, DEMO_DATE);
    await expect(page.locator('[data-route-sheet]')).toHaveCount(all.length);

    // Back on the board, a day later: Ctrl+P opens that day's sheets.
    await page.goto(`${host.url.replace(/\?.*/, '')}?date=2026-11-25#/board`);
    await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
    await page.keyboard.press('Control+p');
    await expect(page).toHaveURL(/#\/route-sheets\?date=2026-11-25$/);
    await expect(page.locator('[data-screen="route-sheets"]')).toHaveAttribute('data-state', 'ready');
    const next = expectedSheets(host.query, '2026-11-25');
    await expect(page.locator('[data-route-sheet]')).toHaveCount(next.length);
    await page.screenshot({ path: join(ARTIFACTS, 'preview-screen.png') });

    // Only two providers: untick "All", tick two.
    await page.locator('[data-action="choose-providers"]').click();
    await page.getByRole('checkbox', { name: 'All active providers' }).uncheck();
    await expect(page.locator('[data-route-sheet]')).toHaveCount(0);
    const [a, b] = [next[1]!, next[0]!];
    await page.locator(`[data-provider-choice="${a.providerId}"] input`).check();
    await page.locator(`[data-provider-choice="${b.providerId}"] input`).check();
    await page.screenshot({ path: join(ARTIFACTS, 'preview-providers.png') });
    // Roster order, whatever order they were ticked in.
    await expect(page.locator('[data-route-sheet]')).toHaveCount(2);
    expect(await page.locator('[data-route-sheet]').evaluateAll((els) => els.map((e) => e.getAttribute('data-route-sheet')))).toEqual([
      b.providerId,
      a.providerId,
    ]);
    await expect(page).toHaveURL(new RegExp(`providers=${b.providerId},${a.providerId}`));

    // The web host has no Save as PDF button (the browser's print dialog saves PDFs); Print calls the
    // browser's print, as Ctrl+P does on this screen.
    await expect(page.locator('[data-action="save-pdf"]')).toHaveCount(0);
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
    await page.locator('[data-action="print"]').click();
    await page.locator('body').press('Control+p');
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(2);
  });

  test('`npm run route-sheets` writes the day’s PDF through the web host and Chromium', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crewline-e2e-export-'));
    try {
      const out = join(dir, 'sheets.pdf');
      const dataDir = join(dir, 'data');
      const { code, output } = await run(process.execPath, [
        '--import', 'tsx', 'scripts/route-sheets.ts',
        '--data-dir', dataDir, '--demo-date', DEMO_DATE, '--date', '2026-11-23', '--out', out,
      ]);
      expect(code, output).toBe(0);
      const db = new Database(join(dataDir, 'workspace.sqlite'), { readonly: true });
      const expected = expectedSheets((sql, ...params) => db.prepare(sql).all(...params) as never, '2026-11-23');
      db.close();
      expect(output).toContain(`${expected.length} route sheets for 2026-11-23`);
      expect(pdfPages(out)).toBe(expected.length);
      expect(pdfPageSize(out)).toContain('(letter)');
      expectStopsInOrder(pageText(out, 1), expected[0]!.stops, 'export page 1');

      // Sunday: nobody works, so nothing is written and the exit status says why.
      const sunday = await run(process.execPath, ['--import', 'tsx', 'scripts/route-sheets.ts', '--data-dir', dataDir, '--date', '2026-11-29', '--out', join(dir, 'sunday.pdf')]);
      expect(sunday.code, sunday.output).toBe(2);
      expect(sunday.output).toContain('nobody has jobs');
      const bad = await run(process.execPath, ['--import', 'tsx', 'scripts/route-sheets.ts', '--date', 'tomorrow', '--out', join(dir, 'x.pdf')]);
      expect(bad.code).toBe(1);
      expect(bad.output).toContain('--date YYYY-MM-DD');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}
