import { expect, test } from './fixtures';

test('the web host serves the console over the real backend and hides the session token', async ({ page, host }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Every file the page asks for is there: the favicon used to 404 on every load.
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(host.url);
  await expect(page).toHaveTitle(/Crewline/);
  await expect(page.locator('.cl-timeline [data-booking-id]').first()).toBeVisible();
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  const served = await page.request.get(new URL(icon!, page.url()).toString());
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('image/svg+xml');
  expect(failed).toEqual([]);
  // The token moves to session storage; it must not stay in the address bar (or the history).
  await expect.poll(() => new URL(page.url()).searchParams.has('token')).toBe(false);
  // The demo company was created in the workspace file the host opened.
  expect(host.query<{ n: number }>('SELECT count(*) AS n FROM providers')[0]!.n).toBe(12);
  expect(errors).toEqual([]);
});
