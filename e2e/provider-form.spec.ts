import { expect, test } from './fixtures';

test('the provider form rejects bad input field by field and saves nothing', async ({ page, host }) => {
  await page.goto(`${host.url}#/providers`);
  await page.getByRole('button', { name: 'New provider' }).click();
  const form = page.locator('form').filter({ has: page.locator('[name="email"]') });
  await form.locator('[name="name"]').fill('   ');
  await form.locator('[name="email"]').fill('not-an-email');
  await form.locator('[name="phone"]').fill('call me');
  await form.locator('[name="weeklyHours.mon.0.end"]').fill('07:00'); // before the 08:00 start
  await form.locator('[name="name"]').press('Enter');

  for (const [field, message] of [
    ['name', /Required/],
    ['email', /email address/],
    ['phone', /phone number/],
    ['weeklyHours.mon.0.end', /after start/],
  ] as const) {
    await expect(form.locator(`[name="${field}"]`)).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator(`[data-error-for="${field}"]`)).toHaveText(message);
  }
  expect(host.query<{ n: number }>('SELECT count(*) AS n FROM providers')[0]!.n).toBe(12);

  // Fixing the fields lets it through, and the provider lands in the store.
  await form.locator('[name="name"]').fill('Nadia Okafor');
  await form.locator('[name="email"]').fill('nadia@northwind-hs.example');
  await form.locator('[name="phone"]').fill('+1 312 555 0199');
  await form.locator('[name="weeklyHours.mon.0.end"]').fill('17:00');
  await form.locator('[name="name"]').press('Enter');
  await expect.poll(() => host.query<{ name: string }>("SELECT name FROM providers WHERE name = 'Nadia Okafor'").length).toBe(1);
  const saved = JSON.parse(host.query<{ data: string }>("SELECT data FROM providers WHERE name = 'Nadia Okafor'")[0]!.data);
  expect(saved).toMatchObject({ email: 'nadia@northwind-hs.example', weeklyHours: { mon: [{ start: '08:00', end: '17:00' }] } });
});
