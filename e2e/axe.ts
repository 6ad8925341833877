import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Issue #22: what the audit holds the product to (WCAG 2.1 A and AA), and what fails it. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

export type AxeScheme = 'light' | 'dark';

/**
 * The colour schemes the audit runs in: both, light then dark (contrast is the rule most likely to differ),
 * so the suite holds both themes to the same bar. `CREWLINE_AXE_SCHEME=light` or `=dark` runs one of them
 * (a quick local check after a style change).
 */
export function axeSchemes(env: NodeJS.ProcessEnv = process.env): AxeScheme[] {
  const only = env.CREWLINE_AXE_SCHEME;
  if (only === 'light' || only === 'dark') return [only];
  return ['light', 'dark'];
}

/**
 * FullCalendar's own markup that the product cannot change: one rule on one kind of element each, never
 * a whole rule and never our own content inside the calendar (cards, row labels stay audited).
 */
export const FULLCALENDAR_MARKUP: ReadonlyArray<{ rule: string; selector: string; why: string }> = [
  {
    // aria-required-children: the resource timeline's role="grid" holds its columnheader/rowheader/gridcell
    // elements inside role="presentation" wrappers rather than role="row", FullCalendar v7's own structure.
    rule: 'aria-required-children',
    selector: '.cl-timeline [role="grid"]',
    why: "FullCalendar's grid has cells outside role=row",
  },
  {
    // scrollable-region-focusable: the week view's time header scrolls sideways only as FullCalendar keeps it
    // in step with the body (its scrollbar is hidden); the body scroller it follows holds the focusable cards.
    rule: 'scrollable-region-focusable',
    selector: '.cl-timeline div:has(> [role="presentation"] > [role="columnheader"])',
    why: "FullCalendar's header scroller follows the body",
  },
];

/** One line per failing node: rule id, impact, target selectors, help text and where to read more. */
export function describeViolations(results: Awaited<ReturnType<AxeBuilder['analyze']>>): string[] {
  return results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .flatMap((v) => v.nodes.map((n) => `${v.id} [${v.impact}] ${n.target.map(String).join(' > ')}: ${v.help} (${v.helpUrl})\n    ${n.failureSummary?.replace(/\n/g, '\n    ') ?? ''}`));
}

/** Runs axe-core on the page as it is now and fails, listing each serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Let transitions finish: axe measures colours as painted, and a fading dialog has no contrast yet.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  // Drop only the nodes that are FullCalendar's markup for the one rule it is known to break.
  for (const violation of results.violations) {
    const allowed = FULLCALENDAR_MARKUP.filter((m) => m.rule === violation.id).map((m) => m.selector);
    if (allowed.length === 0) continue;
    const targets = violation.nodes.map((n) => (n.target.length === 1 ? String(n.target[0]) : null));
    const theirs = await page.evaluate(
      ({ targets, allowed }) => targets.map((t) => t !== null && allowed.some((sel) => document.querySelector(t)?.matches(sel) === true)),
      { targets, allowed },
    );
    violation.nodes = violation.nodes.filter((_, i) => !theirs[i]);
  }
  expect.soft(results.passes.length, `${label}: axe audited something`).toBeGreaterThan(0);
  const found = describeViolations(results);
  expect.soft(found.length, `${label}: ${found.length} serious or critical accessibility violations:\n${found.join('\n')}\n`).toBe(0);
}
