/**
 * `npm run route-sheets -- --date 2026-11-23 --out sheets.pdf`: the day's route sheets as one PDF, for
 * automation (a nightly job, a shared folder). It runs exactly what a dispatcher prints: the web host on the
 * workspace, the route sheets screen in Debian's Chromium (headless), and Chromium's own PDF printer with
 * the screen's print stylesheet — one provider per page.
 *
 * Flags: --date YYYY-MM-DD (required), --out FILE.pdf (required), --data-dir DIR (default .crewline-data,
 * the workspace `npm run web` uses; a new one is seeded with the demo company), --demo-date YYYY-MM-DD (the
 * demo's "today" when seeding), --providers ID,ID (default: everyone with jobs), --include-empty (a "No
 * jobs" sheet for providers without work), --paper letter|a4 (default letter).
 * Exit status: 0 written, 1 bad flags or failure, 2 nothing to print that day.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { spawnWebHost } from '../e2e/web-host-process';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface RouteSheetsExport {
  date: string;
  out: string;
  dataDir: string;
  demoDate?: string;
  providerIds?: string[];
  includeEmpty?: boolean;
  paper?: 'letter' | 'a4';
}

class NothingToPrint extends Error {}

function parseFlags(argv: string[]): RouteSheetsExport {
  const { values } = parseArgs({
    args: argv,
    options: {
      date: { type: 'string' },
      out: { type: 'string' },
      'data-dir': { type: 'string', default: '.crewline-data' },
      'demo-date': { type: 'string' },
      providers: { type: 'string' },
      'include-empty': { type: 'boolean', default: false },
      paper: { type: 'string', default: 'letter' },
    },
  });
  if (!values.date || !DATE.test(values.date)) throw new Error(`--date YYYY-MM-DD is required${values.date ? `, got ${values.date}` : ''}`);
  if (!values.out) throw new Error('--out FILE.pdf is required');
  if (values['demo-date'] !== undefined && !DATE.test(values['demo-date'])) throw new Error(`--demo-date must be YYYY-MM-DD, got ${values['demo-date']}`);
  if (values.paper !== 'letter' && values.paper !== 'a4') throw new Error(`--paper must be letter or a4, got ${values.paper}`);
  return {
    date: values.date,
    out: resolve(values.out),
    dataDir: resolve(values['data-dir']),
    demoDate: values['demo-date'],
    providerIds: values.providers ? values.providers.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    includeEmpty: values['include-empty'],
    paper: values.paper,
  };
}

/** Writes the PDF; resolves with the number of sheets (pages may be more when a long day continues). */
export async function exportRouteSheets(options: RouteSheetsExport): Promise<{ sheets: number }> {
  const host = await spawnWebHost({
    root: REPO_ROOT,
    args: ['--data-dir', options.dataDir, ...(options.demoDate ? ['--demo-date', options.demoDate] : [])],
  });
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const params = new URLSearchParams({ date: options.date, paper: options.paper ?? 'letter' });
      if (options.providerIds) params.set('providers', options.providerIds.join(','));
      if (options.includeEmpty) params.set('empty', '1');
      await page.goto(`${host.url}#/route-sheets?${params.toString().replaceAll('%2C', ',')}`);
      const screen = page.locator('[data-screen="route-sheets"]:is([data-state="ready"], [data-state="error"])');
      await screen.waitFor({ timeout: 30_000 });
      if ((await screen.getAttribute('data-state')) === 'error') {
        throw new Error((await page.locator('.rs-notices .cl-error').textContent()) ?? 'The route sheets could not be made');
      }
      const sheets = Number(await screen.getAttribute('data-sheet-count'));
      if (sheets === 0) throw new NothingToPrint(`No route sheets for ${options.date}: nobody has jobs that day (try --include-empty)`);
      await page.evaluate('document.fonts.ready.then(() => true)');
      mkdirSync(dirname(options.out), { recursive: true });
      // The page's @page rule sets the paper and margins, as in the browser's and Electron's print.
      await page.pdf({ path: options.out, preferCSSPageSize: true, printBackground: true });
      return { sheets };
    } finally {
      await browser.close();
    }
  } finally {
    await host.stop();
  }
}

async function main(): Promise<void> {
  let options: RouteSheetsExport;
  try {
    options = parseFlags(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error('Usage: npm run route-sheets -- --date YYYY-MM-DD --out FILE.pdf [--data-dir DIR] [--providers ID,ID] [--include-empty] [--paper letter|a4]');
    process.exit(1);
  }
  try {
    const { sheets } = await exportRouteSheets(options);
    console.log(`Wrote ${options.out}: ${sheets} route ${sheets === 1 ? 'sheet' : 'sheets'} for ${options.date}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof NothingToPrint ? 2 : 1);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) void main();
