import { expectAccessible } from './axe';
import { expect, test } from './fixtures';

/**
 * The sync status sits at the foot of the navigation, so every screen says whether changes reach the
 * others and leads to Sync, not only the board (whose header had it before). Folded, the navigation keeps
 * its icon; the words stay its accessible name and tooltip.
 */
test.use({ viewport: { width: 1280, height: 800 } });

test('the sync status is on every screen at the foot of the navigation, folds with it, and opens Sync', async ({ page, host }) => {
  await page.goto(`${host.url}#/customers`);
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
  const nav = page.locator('nav.cl-nav');
  const indicator = page.locator('[data-sync-indicator]');
  // One indicator in the page (the board, kept hidden behind other screens, has none of its own).
  await expect(indicator).toHaveCount(1);
  await expect(nav.locator('[data-sync-indicator]')).toBeVisible();
  const words = indicator.locator('.sync-indicator__text');
  await expect(words).toBeVisible();
  const inside = async () => {
    const [n, i] = [(await nav.boundingBox())!, (await indicator.boundingBox())!];
    return i.x >= n.x && i.x + i.width <= n.x + n.width && i.y + i.height <= n.y + n.height;
  };
  expect(await inside(), 'within the navigation column').toBe(true);
  await nav.screenshot({ path: test.info().outputPath('nav-sync.png') });
  const label = await indicator.getAttribute('aria-label');
  expect(label).toMatch(/^Sync: /);

  await indicator.click();
  await expect(page.locator('[data-dialog="sync"]')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-dialog="sync"]')).toHaveCount(0);

  // Folded: the icon stays, inside the narrow strip; the words only for screen readers and the tooltip.
  await page.locator('[data-action="toggle-nav"]').click();
  await expect(page.locator('[data-action="toggle-nav"]')).toHaveAttribute('aria-expanded', 'false');
  await expect(indicator).toBeVisible();
  await expect(words).toHaveClass(/adm-sr-only/);
  await expect(indicator).toHaveAttribute('aria-label', label!);
  expect(await inside(), 'within the folded strip').toBe(true);
  await nav.screenshot({ path: test.info().outputPath('nav-sync-folded.png') });
  await expectAccessible(page, 'customers, navigation folded with the sync status');

  // The board's toolbar no longer carries one; the navigation's serves it too.
  await page.locator('[data-nav="board"]').click();
  await expect(page.locator('[data-board-header] [data-sync-indicator]')).toHaveCount(0);
  await expect(indicator).toBeVisible();
  await indicator.click();
  await expect(page.locator('[data-dialog="sync"]')).toBeVisible();
});
