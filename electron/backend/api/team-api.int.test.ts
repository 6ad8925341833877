import { afterEach, describe, expect, it } from 'vitest';
import { openDesktop, serverWithAdminDesktop } from '../sync/testing/sync-harness';

/**
 * The Team screen's requests against a real sync server: the backend calls the admin endpoints with the
 * workspace's sign-in, and the server's answers (users, invite codes, refusals) come back through the
 * validating client as the renderer sees them.
 */
const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const setup = () => serverWithAdminDesktop((dispose) => disposers.push(dispose));

describe('team:* requests', () => {
  it('lists the organization, invites with a one-time code, changes role, disables, revokes and re-issues codes', async () => {
    const { server, admin } = await setup();
    const listed = await admin.client.request('team:listUsers', {});
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.users.map((u) => u.email).sort()).toEqual(['ana@northwind.example', 'bo@northwind.example']);
    expect(listed.value.users.find((u) => u.email === 'bo@northwind.example')).toMatchObject({ role: 'dispatcher', disabled: false, providerId: null });

    const invited = await admin.client.request('team:invite', { email: 'Cy@Northwind.example', name: 'Cy', role: 'dispatcher' });
    if (!invited.ok) throw new Error(invited.error.message);
    expect(invited.value.user).toMatchObject({ email: 'cy@northwind.example', name: 'Cy', role: 'dispatcher', hasPassword: false, disabled: false });
    expect(invited.value.inviteCode).toMatch(/^[0-9A-Z-]{20,}$/);
    expect(Date.parse(invited.value.inviteExpiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // The code really works on the server: the invited user can set a password with it and sign in.
    const redeemed = await fetch(`${server.url}/api/auth/redeem-invite`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: invited.value.inviteCode, password: 'cy-password-1' }),
    });
    expect(redeemed.status).toBe(200);

    const cyId = invited.value.user.id;
    const promoted = await admin.client.request('team:updateUser', { id: cyId, role: 'viewer' });
    expect(promoted.ok && promoted.value.user.role).toBe('viewer');
    const disabled = await admin.client.request('team:updateUser', { id: cyId, disabled: true });
    expect(disabled.ok && disabled.value.user.disabled).toBe(true);
    const after = await admin.client.request('team:listUsers', {});
    expect(after.ok && after.value.users.find((u) => u.id === cyId)).toMatchObject({ role: 'viewer', disabled: true, hasPassword: true });

    const bo = server.users.bo!;
    await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: bo.email, password: bo.password }),
    });
    const revoked = await admin.client.request('team:revokeSessions', { id: bo.id });
    expect(revoked.ok && revoked.value.revoked).toBeGreaterThanOrEqual(1);

    const code = await admin.client.request('team:newInviteCode', { id: bo.id });
    expect(code.ok && code.value.inviteCode).toMatch(/^[0-9A-Z-]{20,}$/);
  });

  it('brings the server’s refusals back field by field', async () => {
    const { admin } = await setup();
    const taken = await admin.client.request('team:invite', { email: 'bo@northwind.example', name: 'Bo again', role: 'viewer' });
    expect(taken.ok).toBe(false);
    if (taken.ok) return;
    expect(taken.error.code).toBe('conflict');
    expect(taken.error.fieldErrors).toEqual({ email: 'An account with this email already exists' });

    const bad = await admin.client.request('team:invite', { email: 'not-an-email', name: 'X', role: 'viewer' });
    expect(!bad.ok && bad.error.code).toBe('validation');
    expect(!bad.ok && bad.error.fieldErrors?.email).toBe('Must be an email address like ana@example.com');

    // The contract checks what it can before any request: a missing name never reaches the server.
    const empty = await admin.client.request('team:invite', { email: 'dee@northwind.example', name: ' ', role: 'viewer' });
    expect(!empty.ok && empty.error.fieldErrors?.name).toBe('Required');

    const unknown = await admin.client.request('team:updateUser', { id: '01900000-0000-7000-8000-000000000000', role: 'viewer' });
    expect(!unknown.ok && unknown.error.code).toBe('not_found');
    const nothing = await admin.client.request('team:updateUser', { id: '01900000-0000-7000-8000-000000000000' });
    expect(!nothing.ok && nothing.error.code).toBe('validation');
  });

  it('refuses a dispatcher (403), a console that is not signed in, and says when the server is away', async () => {
    const { server, admin } = await setup();
    const dispatcher = await openDesktop('dispatcher');
    disposers.push(() => dispatcher.dispose());
    await dispatcher.signIn(server, 'bo', 'replace');
    const forbidden = await dispatcher.client.request('team:listUsers', {});
    expect(!forbidden.ok && forbidden.error).toMatchObject({ code: 'forbidden', message: 'Only admins can manage users' });

    const signedOut = await openDesktop('nobody');
    disposers.push(() => signedOut.dispose());
    const refused = await signedOut.client.request('team:listUsers', {});
    expect(!refused.ok && refused.error.code).toBe('unauthenticated');

    await server.halt();
    const away = await admin.client.request('team:listUsers', {});
    expect(!away.ok && away.error.code).toBe('unavailable');
    expect(!away.ok && away.error.message).toContain(server.url);
  });
});
