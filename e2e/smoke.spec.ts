import { expect, test } from './fixtures';

test('the web host serves the console over the real backend and hides the session token', async ({ page, host }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await expect(page).toHaveTitle(/Crewline/);
  // The token moves to session storage; it must not stay in the address bar (or the history).
  await expect.poll(() => new URL(page.url()).searchParams.has('token')).toBe(false);
  // The demo company was created in the workspace file the host opened.
  expect(host.query<{ n: number }>('SELECT count(*) AS n FROM providers')[0]!.n).toBe(12);
  expect(errors).toEqual([]);
});
