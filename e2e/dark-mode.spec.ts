import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { contrastOf, over, parseColor, relativeLuminance, type Rgba } from '../core/contrast';
import { openBoard, PLAN_DATE } from './board';
import { startEmptyHost } from './empty-host';
import { DEMO_DATE, DEMO_NOW, expect, test } from './fixtures';
import { startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * Dark mode follows the system (issue 22): with Chromium told the system is dark, the board (timeline,
 * cards, queue), a dialog with its form, a management form and the technician page paint dark with text at
 * WCAG AA; the route-sheet paper and anything printed stay light; with a light system nothing changed.
 * The dark board is kept as test-results/screenshots/board-dark.png for a person to look at.
 */

const SCREENSHOTS = resolve('test-results/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

/** The colours an element is painted with: its text colour and each background up to the first opaque one. */
interface Painted {
  color: string;
  layers: string[];
  text: string;
}

async function painted(locator: Locator): Promise<Painted> {
  return locator.evaluate((el) => {
    const layers: string[] = [];
    for (let node: Element | null = el; node !== null; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      layers.push(bg);
      if (/^rgb\(/.test(bg)) break; // computed opaque colours are rgb(), translucent ones rgba()
    }
    return { color: getComputedStyle(el).color, layers, text: (el.textContent ?? '').trim().slice(0, 40) };
  });
}

/** The background a person sees behind the element: its translucent layers over the first opaque one. */
function seenBackground(p: Painted): Rgba {
  const layers = p.layers.map((c) => parseColor(c));
  if (layers.some((c) => c === null)) throw new Error(`unreadable background in ${p.layers.join(' / ')}`);
  let seen: Rgba = { r: 255, g: 255, b: 255, a: 1 }; // the canvas, if nothing on the way is opaque
  for (const layer of (layers as Rgba[]).reverse()) seen = layer.a === 0 ? seen : over(layer, seen);
  return seen;
}

const hex = (c: Rgba) => `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

async function expectDark(locator: Locator, what: string): Promise<Painted> {
  const p = await painted(locator);
  const bg = seenBackground(p);
  expect(relativeLuminance(bg), `${what}: background ${hex(bg)} is dark`).toBeLessThan(0.05);
  expect(contrastOf(p.color, hex(bg)), `${what}: "${p.text}" ${p.color} on ${hex(bg)}`).toBeGreaterThanOrEqual(4.5);
  return p;
}

async function expectLight(locator: Locator, what: string): Promise<void> {
  const p = await painted(locator);
  const bg = seenBackground(p);
  expect(relativeLuminance(bg), `${what}: background ${hex(bg)} is light`).toBeGreaterThan(0.8);
  expect(contrastOf(p.color, hex(bg)), `${what}: "${p.text}" ${p.color} on ${hex(bg)}`).toBeGreaterThanOrEqual(4.5);
}

/** Every visible element with its own text on the page, with its colours: the sweep for AA contrast. */
async function textContrastFailures(page: Page, root: string, atLeast = 20): Promise<string[]> {
  const found = await page.locator(root).evaluate((rootEl) => {
    const out: { color: string; layers: string[]; text: string; size: number; bold: boolean; where: string }[] = [];
    for (const el of rootEl.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      const layers: string[] = [];
      for (let node: Element | null = el; node !== null; node = node.parentElement) {
        const s = getComputedStyle(node);
        layers.push(s.backgroundColor);
        if (/^rgb\(/.test(s.backgroundColor)) break;
      }
      out.push({
        color: style.color,
        layers,
        text: (el.textContent ?? '').trim().slice(0, 30),
        size: parseFloat(style.fontSize),
        bold: Number(style.fontWeight) >= 700,
        where: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`,
      });
    }
    return out;
  });
  expect(found.length, `text to check under ${root}`).toBeGreaterThanOrEqual(atLeast);
  const failures: string[] = [];
  for (const f of found) {
    const bg = seenBackground(f);
    // WCAG large text (>= 24px, or >= 18.66px bold) needs 3:1; everything else 4.5:1.
    const needed = f.size >= 24 || (f.bold && f.size >= 18.66) ? 3 : 4.5;
    const ratio = contrastOf(f.color, hex(bg));
    if (ratio < needed) failures.push(`${f.where} "${f.text}": ${f.color} on ${hex(bg)} = ${ratio.toFixed(2)}`);
  }
  return failures;
}

test.describe('dark mode (system dark)', () => {
  test.use({ colorScheme: 'dark' });

  test('the board, its timeline, cards and queue paint dark with AA text; a screenshot is kept', async ({ page, host }) => {
    await openBoard(page, host, DEMO_DATE);
    await expectDark(page.locator('body'), 'page');
    await expectDark(page.locator('.cl-timeline [data-lane-provider-id]').first(), 'timeline lane');
    await expectDark(page.locator('.cl-timeline [data-booking-id] .cl-card__customer').first(), 'card');
    await expectDark(page.locator('.cl-provider__title').first(), 'provider lane label');
    await expectDark(page.locator('.cl-queue'), 'queue');

    // The now line and the non-business hours follow the dark palette too.
    const offHours = await page.locator('.cl-offhours').first().evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(offHours).toContain('rgb(11, 15, 21)');
    const nowColor = await page.locator('.cl-timeline').evaluate((el) => getComputedStyle(el).getPropertyValue('--fc-classic-now').trim());
    expect(nowColor).toBe('#f87171');

    expect(await textContrastFailures(page, '[data-screen="board"]')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/board-dark.png` });

    // The job panel beside the timeline.
    await page.locator('.cl-timeline .cl-card__content[data-booking-id]').first().click();
    const panel = page.locator('[data-panel="job"][data-booking-id]');
    await expect(panel).toBeVisible();
    await expectDark(panel.locator('.cl-panel__header'), 'job panel');
    expect(await textContrastFailures(page, '[data-panel="job"]', 10)).toEqual([]);

    // Time off (Kevin's morning at the garage, the demo's Wednesday): amber on the dark lane, label at AA.
    await openBoard(page, host, PLAN_DATE);
    const timeOff = page.locator('.cl-timeoff').first();
    await expect(timeOff).toBeVisible();
    expect(await timeOff.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('rgba(245, 158, 11');
    await expectDark(timeOff.locator('.cl-timeoff__label'), 'time-off label');
  });

  test('a dialog and its form, and a management form, paint dark with AA labels and fields', async ({ page, host }) => {
    await openBoard(page, host, DEMO_DATE);
    await page.locator('[data-action="new-booking"]').click();
    const dialog = page.locator('dialog[data-dialog="new-booking"]');
    const form = dialog.locator('form[aria-label="New booking"]');
    await expect(form).toBeVisible();
    await expectDark(dialog.locator('.cl-dialog__header').first(), 'dialog header');
    await expectDark(form.locator('[name="title"]'), 'title field');
    await expectDark(form.locator('label').first(), 'form label');
    // A field-level error reads on the dark surface.
    await form.locator('[name="title"]').fill('');
    await form.locator('[name="title"]').press('Enter');
    await expect(form.locator('[data-error-for="title"]')).toBeVisible();
    await expectDark(form.locator('[data-error-for="title"]'), 'field error');
    expect(await textContrastFailures(page, 'dialog[data-dialog="new-booking"]')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/new-booking-dark.png` });
    await page.keyboard.press('Escape');
    await expect(dialog).not.toBeVisible();

    // The sync dialog: its sign-in form and tinted notes.
    await page.locator('[data-sync-indicator]').click();
    const sync = page.locator('dialog[data-dialog="sync"]');
    await expect(sync.locator('[data-form="sync-sign-in"]')).toBeVisible();
    await expectDark(sync.locator('input[name="email"]'), 'sync email field');
    expect(await textContrastFailures(page, 'dialog[data-dialog="sync"]', 5)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(sync).not.toBeVisible();

    await page.locator('[data-nav="providers"]').click();
    const providerForm = page.locator('form').filter({ has: page.locator('[name="email"]') });
    await page.locator('[data-provider-id]').first().click();
    await expect(providerForm).toBeVisible();
    await expectDark(providerForm.locator('[name="name"]'), 'provider name field');
    expect(await textContrastFailures(page, 'main, .cl-main')).toEqual([]);
  });

  test('every management screen and settings paint dark with AA text', async ({ page, host }) => {
    await openBoard(page, host, DEMO_DATE);
    for (const screen of ['bookings', 'providers', 'customers', 'services', 'import', 'settings', 'team']) {
      await page.locator(`[data-nav="${screen}"]`).click();
      await expect(page).toHaveURL(new RegExp(`#/${screen}`));
      const main = page.locator('main, .cl-main').first();
      await expect(main.locator('h1, h2').first()).toBeVisible();
      await expectDark(main, screen);
      expect(await textContrastFailures(page, 'main, .cl-main', 3), screen).toEqual([]);
    }
  });

  test('first run paints dark with AA text, field errors included', async ({ page }) => {
    const empty = await startEmptyHost('dark-first-run');
    try {
      await page.goto(empty.url);
      const firstRun = page.locator('[data-screen="first-run"]');
      await expect(firstRun).toBeVisible();
      const form = page.getByRole('form', { name: 'Set up my company' });
      await form.locator('[data-action="set-up-company"]').click();
      await expect(form.locator('[data-error-for="name"]')).toHaveText('Required');
      await expectDark(form.locator('[data-error-for="name"]'), 'first-run field error');
      await expectDark(form.locator('input[name="name"]'), 'first-run field');
      expect(await textContrastFailures(page, '[data-screen="first-run"]')).toEqual([]);
    } finally {
      await empty.dispose();
    }
  });

  test('the route-sheet paper stays light on screen and the printout gets the light palette', async ({ page, host }) => {
    await page.goto(`${host.url}#/route-sheets?date=${DEMO_DATE}`);
    await expect(page.locator('[data-screen="route-sheets"]')).toHaveAttribute('data-state', 'ready');
    await expectDark(page.locator('.rs-controls'), 'route-sheet controls');
    await expectLight(page.locator('.rs-sheet').first(), 'route-sheet paper');

    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await page.evaluate(() => ({
      text: getComputedStyle(document.documentElement).getPropertyValue('--cl-text').trim(),
      bg: getComputedStyle(document.documentElement).getPropertyValue('--cl-bg').trim(),
      scheme: getComputedStyle(document.documentElement).colorScheme,
    }));
    expect(printed).toEqual({ text: '#1f2937', bg: '#f4f6f9', scheme: 'light' });
    await expectLight(page.locator('.rs-sheet').first(), 'printed route sheet');
  });
});

test.describe('dark mode on the technician page', () => {
  let server: SyncServerProcess;
  test.beforeEach(async () => {
    server = await startSyncServerProcess({ now: DEMO_NOW });
  });
  test.afterEach(async () => {
    await server?.dispose();
  });

  test('follows the phone: dark with AA text when the system is dark, unchanged when light', async ({ browser }) => {
    for (const scheme of ['dark', 'light'] as const) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: scheme });
      const tech = await context.newPage();
      await tech.goto(`${server.url}/tech/`);
      const login = tech.locator('[data-form="login"]');
      await expect(login).toBeVisible();
      if (scheme === 'dark') {
        await expectDark(tech.locator('body'), 'tech page');
        await expectDark(login, 'login card');
        await expectDark(login.locator('input[name="email"]'), 'email field');
        await expectDark(login.locator('label').first(), 'label');
        await expectDark(tech.locator('.bar .brand'), 'top bar');
        // The main button keeps a filled accent (light blue on dark) with dark text at AA.
        const button = await painted(login.locator('[data-action="sign-in"]'));
        expect(contrastOf(button.color, hex(seenBackground(button))), 'sign-in button').toBeGreaterThanOrEqual(4.5);
        expect(await textContrastFailures(tech, 'body', 5)).toEqual([]);
        await tech.screenshot({ path: `${SCREENSHOTS}/tech-page-dark.png` });
      } else {
        const bg = await tech.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        expect(bg).toBe('rgb(243, 245, 248)');
        await expectLight(login, 'login card');
      }
      await context.close();
    }
  });
});

test.describe('light mode unchanged', () => {
  test.use({ colorScheme: 'light' });

  test('the board keeps its light palette', async ({ page, host }) => {
    await openBoard(page, host, DEMO_DATE);
    const colours = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.body).color,
      card: getComputedStyle(document.querySelector('.cl-timeline .cl-card__content[data-booking-id]')!).color,
    }));
    expect(colours).toEqual({ body: 'rgb(244, 246, 249)', text: 'rgb(31, 41, 55)', card: 'rgb(17, 24, 39)' });
    await expectLight(page.locator('.cl-queue'), 'queue');
  });
});
