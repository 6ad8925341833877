import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../core/clock';
import { openDesktop, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from '../sync/testing/sync-harness';

/**
 * `sync:redeemCode` (the Sync dialog's "I have an invite or setup code") against a real sync server: the
 * code is redeemed on the server and the console goes on exactly as after a password sign-in (link by
 * upload or replace, then syncing); dead codes come back on the `code` field saying why.
 */
const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function server(options?: Parameters<typeof startSyncServer>[0]): Promise<TestSyncServer> {
  const s = await startSyncServer(options);
  disposers.push(() => s.dispose());
  return s;
}

async function desktop(name: string): Promise<TestDesktop> {
  const d = await openDesktop(name);
  disposers.push(() => d.dispose());
  return d;
}

const accounts = (s: TestSyncServer) => s.server.accounts!;
const synced = (d: TestDesktop) => waitFor(() => d.sync.status().state === 'synced', `${d.name} synced`);
const USED = 'This code was already used or replaced by a newer one: ask your admin for a new one';
const EXPIRED = 'This code has expired: ask your admin for a new one';

/** An organization with data on the server: ana's desktop uploaded a company with one booking. */
async function organizationWithData(s: TestSyncServer): Promise<TestDesktop> {
  const a = await desktop('a');
  a.store.execute('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const created = await a.client.request('commands:run', { name: 'createBooking', input: { title: 'Boiler service' } });
  if (!created.ok) throw new Error(created.error.message);
  await a.signIn(s, 'ana', 'upload');
  await synced(a);
  return a;
}

describe('sync:redeemCode', () => {
  it('redeems a dispatcher’s invite: signed in and linked like a password sign-in (replace), then syncing; the code is used up', async () => {
    const s = await server();
    await organizationWithData(s);
    const { user: dee, invite } = await accounts(s).inviteUser(s.orgId, { email: 'dee@northwind.example', name: 'Dee', role: 'dispatcher' });

    const b = await desktop('b');
    b.store.execute('initializeOrganization', { name: 'Old company', timeZone: 'America/Chicago' });
    // Typed by hand: lower case, spaces around.
    const redeemed = await b.client.request('sync:redeemCode', { serverUrl: s.url, code: ` ${invite!.code.toLowerCase()} `, password: 'dee-password-1' });
    expect(redeemed).toMatchObject({
      ok: true,
      value: { codeKind: 'invite', needsLink: true, orgEmpty: false, orgId: s.orgId, user: { id: dee.id, name: 'Dee', email: 'dee@northwind.example', role: 'dispatcher' } },
    });
    // Nothing local changed yet: the link step decides, exactly as after a sign-in.
    expect(b.store.queries.settings().name).toBe('Old company');
    const linked = await b.client.request('sync:link', { mode: 'replace' });
    expect(linked).toMatchObject({ ok: true, value: { mode: 'replace' } });
    await synced(b);
    expect(b.sync.status()).toMatchObject({ state: 'synced', linked: true, user: { name: 'Dee', role: 'dispatcher' } });
    expect(b.store.queries.list({}).map((booking) => booking.title)).toEqual(['Boiler service']);
    // The password is the one chosen: a plain sign-in works with it.
    expect((await accounts(s).login({ email: 'dee@northwind.example', password: 'dee-password-1' })).user.id).toBe(dee.id);

    const c = await desktop('c');
    const again = await c.client.request('sync:redeemCode', { serverUrl: s.url, code: invite!.code, password: 'someone-else-1' });
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.error.fieldErrors).toEqual({ code: USED });
    expect(again.error.details).toEqual({ serverCode: 'code_used' });
    expect(c.sync.status()).toMatchObject({ state: 'signed-out', linked: false, user: null });
  });

  it('refuses an expired, an unknown and a replaced code on the code field, a short password on the password field', async () => {
    const clock = manualClock(Date.parse('2026-11-24T14:00:00Z'));
    const s = await server({ clock: clock.now });
    const { invite } = await accounts(s).inviteUser(s.orgId, { email: 'eve@northwind.example', name: 'Eve', role: 'dispatcher' });
    const d = await desktop('d');
    const redeem = (code: string, password = 'eve-password-1') => d.client.request('sync:redeemCode', { serverUrl: s.url, code, password });

    const short = await redeem(invite!.code, 'short');
    expect(!short.ok && short.error.fieldErrors).toEqual({ password: 'At least 8 characters' });
    const unknown = await redeem('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ');
    expect(!unknown.ok && unknown.error.fieldErrors).toEqual({ code: 'This server does not know this code: check it for typing mistakes' });

    clock.advance(7 * 86_400_000);
    const expired = await redeem(invite!.code);
    expect(!expired.ok && [expired.error.code, expired.error.fieldErrors]).toEqual(['validation', { code: EXPIRED }]);

    // A lost invite: the admin issues a new code, and the old one says so.
    const eve = (await accounts(s).listUsers(s.orgId)).find((u) => u.email === 'eve@northwind.example')!;
    const first = await accounts(s).issueInviteCode(s.orgId, eve.id);
    await accounts(s).issueInviteCode(s.orgId, eve.id);
    const replaced = await redeem(first.code);
    expect(!replaced.ok && replaced.error.fieldErrors).toEqual({ code: USED });
    expect(d.sync.status()).toMatchObject({ state: 'signed-out', linked: false });
  });

  it('a setup code creates the first admin: email and name are asked for first, then the workspace is uploaded', async () => {
    const s = await server();
    const { org } = await accounts(s).createOrganization({ name: 'Sparkle Cleaning' });
    const setup = await accounts(s).issueSetupCode(org.id);
    const d = await desktop('d');
    d.store.execute('initializeOrganization', { name: 'Sparkle Cleaning', timeZone: 'America/Denver' });

    const asked = await d.client.request('sync:redeemCode', { serverUrl: s.url, code: setup.code, password: 'olga-password-1' });
    expect(asked.ok).toBe(false);
    if (asked.ok) return;
    expect(asked.error).toMatchObject({
      code: 'validation',
      fieldErrors: { email: 'Needed for a setup code', name: 'Needed for a setup code' },
      details: { codeKind: 'setup' },
    });
    // Asking used nothing up: the organization still has no admin and the code still works.
    expect(await accounts(s).listUsers(org.id)).toEqual([]);

    const taken = await d.client.request('sync:redeemCode', { serverUrl: s.url, code: setup.code, password: 'olga-password-1', email: 'ana@northwind.example', name: 'Olga' });
    expect(!taken.ok && [taken.error.code, taken.error.fieldErrors]).toEqual(['conflict', { email: 'An account with this email already exists' }]);

    const created = await d.client.request('sync:redeemCode', {
      serverUrl: s.url,
      code: setup.code,
      password: 'olga-password-1',
      email: 'Olga@Sparkle.example',
      name: 'Olga Owner',
    });
    expect(created).toMatchObject({
      ok: true,
      value: { codeKind: 'setup', needsLink: true, orgEmpty: true, orgId: org.id, user: { name: 'Olga Owner', email: 'olga@sparkle.example', role: 'admin' } },
    });
    expect(await d.client.request('sync:link', { mode: 'upload' })).toMatchObject({ ok: true, value: { mode: 'upload' } });
    await synced(d);
    expect((await accounts(s).listUsers(org.id)).map((u) => [u.email, u.role])).toEqual([['olga@sparkle.example', 'admin']]);

    const again = await (await desktop('e')).client.request('sync:redeemCode', { serverUrl: s.url, code: setup.code, password: 'other-password', email: 'x@sparkle.example', name: 'X' });
    expect(!again.ok && again.error.fieldErrors?.code).toMatch(/^This setup code was already used/);
  });

  it('a technician’s invite sets the password, but the console sends them to the technician page; a bad address lands on serverUrl', async () => {
    const s = await server();
    const { invite } = await accounts(s).inviteUser(s.orgId, { email: 'tess@northwind.example', name: 'Tess', role: 'technician' });
    const d = await desktop('d');
    const tech = await d.client.request('sync:redeemCode', { serverUrl: s.url, code: invite!.code, password: 'tess-password-1' });
    expect(!tech.ok && tech.error.code).toBe('forbidden');
    expect(!tech.ok && tech.error.message).toContain(`Your password is set. Technicians sign in on their phone at ${s.url}/tech/`);
    expect((await accounts(s).login({ email: 'tess@northwind.example', password: 'tess-password-1' })).user.role).toBe('technician');
    expect(d.sync.status()).toMatchObject({ state: 'signed-out', linked: false });

    const badUrl = await d.client.request('sync:redeemCode', { serverUrl: 'ftp://example.com', code: invite!.code, password: 'tess-password-1' });
    expect(!badUrl.ok && Object.keys(badUrl.error.fieldErrors ?? {})).toEqual(['serverUrl']);
    await s.halt();
    const down = await d.client.request('sync:redeemCode', { serverUrl: s.url, code: invite!.code, password: 'tess-password-1' });
    expect(!down.ok && [down.error.code, Object.keys(down.error.fieldErrors ?? {})]).toEqual(['unavailable', ['serverUrl']]);
  });
});
