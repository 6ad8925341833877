import type { Page } from '@playwright/test';
import { activeProviders, openBoard, PLAN_DATE } from './board';
import { signInThroughUi, syncDialog } from './sync-hosts';
import { adminToken, serverRequest, type SyncServerProcess } from './sync-server-process';
import { ANA, expect, test } from './synced-desktop';

/**
 * The Team screen against a real sync server: it asks to sign in first, then lists the organization's
 * users and invites, changes roles, disables and signs users out through the backend's `team:*` requests;
 * the server's refusals land on the form's fields. Every change is checked on the server itself.
 */

interface ServerUser {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  hasPassword: boolean;
  providerId?: string;
}

test.use({ deskName: 'team' });

async function serverUsers(server: SyncServerProcess): Promise<ServerUser[]> {
  const { token } = await adminToken(server);
  return (await serverRequest<{ users: ServerUser[] }>(server.url, 'GET', '/api/admin/users', undefined, token)).users;
}
const serverUser = async (server: SyncServerProcess, email: string) => (await serverUsers(server)).find((u) => u.email === email);

async function invite(page: Page, fields: { email: string; name: string; role: string; provider?: string }) {
  const form = page.locator('[data-form="team-invite"]');
  if (!(await form.isVisible())) await page.locator('[data-action="invite-user"]').click();
  await form.locator('input[name="email"]').fill(fields.email);
  await form.locator('input[name="name"]').fill(fields.name);
  await form.locator('select[name="role"]').selectOption(fields.role);
  if (fields.provider) await form.locator('select[name="providerId"]').selectOption(fields.provider);
  await form.locator('button[type="submit"]').click();
  return form;
}

test('Team screen: sign in first, invite with a one-time code, field errors from the server, role, disable, sign out everywhere', async ({ page, server, host }) => {
  test.setTimeout(120_000);
  await openBoard(page, host, PLAN_DATE);
  await page.locator('[data-nav="team"]').click();
  await expect(page.locator('[data-team-gate="signed-out"]')).toContainText('not signed in');
  await page.locator('[data-action="open-sync"]').click();
  await expect(syncDialog(page)).toBeVisible();
  const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
  await dialog.locator('[data-action="upload-workspace"]').click();
  await dialog.locator('[data-action="close-sync"]').click();
  await expect(page.locator(`[data-team-user="${ANA.email}"]`)).toHaveAttribute('data-role', 'admin');

  // A bad email is the server's to judge: its 400 lands on the email field.
  let form = await invite(page, { email: 'not-an-email', name: 'Cy Park', role: 'dispatcher' });
  await expect(form.locator('[data-error-for="email"]')).toHaveText('Must be an email address like ana@example.com');
  await expect(form.locator('input[name="email"]')).toHaveAttribute('aria-invalid', 'true');
  expect(await serverUsers(server)).toHaveLength(1);

  form = await invite(page, { email: 'cy@northwind.example', name: 'Cy Park', role: 'dispatcher' });
  const code = page.locator('[data-invite-code]');
  await expect(code).toHaveAttribute('data-invite-email', 'cy@northwind.example');
  const inviteCode = (await code.getAttribute('data-invite-code'))!;
  const row = page.locator('[data-team-user="cy@northwind.example"]');
  await expect(row).toHaveAttribute('data-role', 'dispatcher');
  await expect(row).toHaveAttribute('data-account', 'invited');
  expect(await serverUser(server, 'cy@northwind.example')).toMatchObject({ name: 'Cy Park', role: 'dispatcher', hasPassword: false, disabled: false });
  await page.screenshot({ path: 'test-results/screenshots/team-invited.png' });
  // The code on screen is the real one: Cy sets a password with it.
  const { token: cyToken } = await serverRequest<{ token: string }>(server.url, 'POST', '/api/auth/redeem-invite', { code: inviteCode, password: 'cy-password-1' });

  // The same email again: the server's 409 names the field.
  form = await invite(page, { email: 'cy@northwind.example', name: 'Cy again', role: 'viewer' });
  await expect(form.locator('[data-error-for="email"]')).toHaveText('An account with this email already exists');

  // A technician is linked to a provider record of the workspace.
  const provider = activeProviders(host)[0]!;
  await form.locator('select[name="role"]').selectOption('technician');
  await expect(form.locator('select[name="providerId"]')).toBeVisible();
  form = await invite(page, { email: 'tech@northwind.example', name: '', role: 'technician', provider: provider.id });
  await expect(page.locator('[data-team-user="tech@northwind.example"]')).toContainText(`Provider: ${provider.name}`);
  expect(await serverUser(server, 'tech@northwind.example')).toMatchObject({ role: 'technician', providerId: provider.id, name: provider.name });

  await row.locator('select[name="role"]').selectOption('viewer');
  await expect(row).toHaveAttribute('data-role', 'viewer');
  expect((await serverUser(server, 'cy@northwind.example'))!.role).toBe('viewer');

  await row.locator('[data-action="revoke-sessions"]').click();
  await expect(page.locator('[data-team-notice="ok"]')).toHaveText('Signed Cy Park out of 1 session.');
  const me = await fetch(`${server.url}/api/auth/me`, { headers: { Authorization: `Bearer ${cyToken}` } });
  expect(me.status).toBe(401);

  await row.locator('[data-action="disable-user"]').click();
  await expect(row).toHaveAttribute('data-account', 'disabled');
  expect((await serverUser(server, 'cy@northwind.example'))!.disabled).toBe(true);
  await row.locator('[data-action="enable-user"]').click();
  await expect(row).toHaveAttribute('data-account', 'active');
  expect((await serverUser(server, 'cy@northwind.example'))!.disabled).toBe(false);

  // The organization keeps an admin: the server refuses to demote the last one, and the screen says why.
  const self = page.locator(`[data-team-user="${ANA.email}"]`);
  await self.locator('select[name="role"]').selectOption('dispatcher');
  await expect(page.locator('[data-team-notice="error"]')).toContainText('at least one active admin');
  await expect(self).toHaveAttribute('data-role', 'admin');
  expect((await serverUser(server, ANA.email))!.role).toBe('admin');
  await page.screenshot({ path: 'test-results/screenshots/team-screen.png' });
});
