/**
 * The accounts' and calendar feed tokens' storage contract (issue 23, 1), in the manner of tldraw's storage
 * contract tests: one suite, run against every engine (account-store.int.test.ts on accounts.sqlite,
 * account-store.pg.int.test.ts on a real PostgreSQL). Each engine gives a fresh database per test; the
 * suite opens one or more stores on it (two stores on one database stand for two nodes, or a node and the
 * admin CLI).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORG_ID_PATTERN } from '../../../../core/sync/rooms';
import { CalendarFeedStore } from '../../calendar/feed-store';
import { silentLog } from '../../log';
import { AccountError } from '../account-errors';
import type { AccessRevoked, AccountStore, AccountStoreOptions } from '../account-store';

export interface AccountEngine {
  /** A new empty database for the next test. */
  reset(): Promise<void>;
  /** A store on this test's database (each call: another connection, as another node would have). */
  open(options: AccountStoreOptions): Promise<AccountStore>;
  feeds(now: () => number): Promise<CalendarFeedStore>;
  /** Rows from this test's database, for what the stores' methods do not show (`?` placeholders). */
  query<T>(sql: string, params?: readonly (string | number)[]): Promise<T[]>;
  /** Every byte kept for the accounts (files, or the tables' rows as text), to look for secrets in clear. */
  atRest(): Promise<Buffer>;
  cleanup(): Promise<void>;
  /** Whether other stores' revocations reach `watchOtherWriters` with the user named. */
  names: boolean;
}

// Cheap scrypt for speed; passwords.test.ts covers the production parameters.
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';

/** The AccountError a promise or function rejects with. */
async function failure(action: Promise<unknown> | (() => unknown)): Promise<AccountError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    if (error instanceof AccountError) return error;
    throw error;
  }
  throw new Error('expected an AccountError, but it succeeded');
}

export function accountStoreContract(name: string, engine: AccountEngine): void {
  let clock: number;
  const stores: AccountStore[] = [];
  const feedStores: CalendarFeedStore[] = [];

  async function open(options: AccountStoreOptions = {}): Promise<AccountStore> {
    const store = await engine.open({ scrypt: FAST_SCRYPT, now: () => clock, ...options });
    stores.push(store);
    return store;
  }

  async function closeAll(): Promise<void> {
    for (const store of stores.splice(0)) await store.close();
    for (const feeds of feedStores.splice(0)) await feeds.close();
  }

  async function orgWithAdmin(store: AccountStore, orgName = 'Acme', email = 'admin@acme.test') {
    const { org, admin } = await store.createOrganization({ name: orgName, admin: { email, name: 'Ada Admin', password: PASSWORD } });
    return { orgId: org.id, adminId: admin!.id };
  }

  describe(`account store contract: ${name}`, () => {
    beforeEach(async () => {
      clock = Date.parse('2026-03-01T09:00:00Z');
      await engine.reset();
    });

    afterEach(async () => {
      await closeAll();
      await engine.cleanup();
    });

    describe('first start', () => {
      it('creates one organization with a one-time setup code, and later starts create nothing', async () => {
        const store = await open();
        const first = await store.ensureFirstOrganization({ orgName: 'Sparkle Cleaning' });
        expect(first.created).toBe(true);
        expect(first.orgId).toMatch(ORG_ID_PATTERN);
        expect(first.setupCode?.code).toBeTruthy();
        expect(await store.listOrganizations()).toEqual([expect.objectContaining({ id: first.orgId, name: 'Sparkle Cleaning' })]);
        expect(await store.getOrganization(first.orgId)).toMatchObject({ name: 'Sparkle Cleaning', userCount: 0 });

        const session = await store.redeemSetupCode({
          code: first.setupCode!.code,
          email: 'Owner@Sparkle.test',
          name: 'Olga Owner',
          password: PASSWORD,
        });
        expect(session.user).toMatchObject({ orgId: first.orgId, role: 'admin', email: 'owner@sparkle.test' });
        expect((await store.authenticate(session.token))?.userId).toBe(session.user.id);

        const again = await store.ensureFirstOrganization({ orgName: 'Other' });
        expect(again).toEqual({ orgId: first.orgId, created: false });
        expect(await store.listOrganizations()).toHaveLength(1);
        expect(await store.getOrganization(first.orgId)).toMatchObject({ userCount: 1 });
      });

      it('reissues the setup code on each start while nobody has signed up, voiding the older one', async () => {
        const store = await open();
        const first = await store.ensureFirstOrganization();
        const second = await store.ensureFirstOrganization();
        expect(second.created).toBe(false);
        expect(second.orgId).toBe(first.orgId);
        expect(second.setupCode!.code).not.toBe(first.setupCode!.code);
        const stale = await failure(
          store.redeemSetupCode({ code: first.setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD }),
        );
        expect(stale).toMatchObject({ code: 'code_used', field: 'code' });
        const session = await store.redeemSetupCode({ code: second.setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD });
        expect(session.user.role).toBe('admin');
      });

      it('nodes starting together on one database create one organization', async () => {
        const nodes = await Promise.all([open(), open(), open()]);
        const starts = await Promise.all(nodes.map((node) => node.ensureFirstOrganization({ orgName: 'Shared' })));
        expect(new Set(starts.map((s) => s.orgId)).size).toBe(1);
        expect(starts.filter((s) => s.created)).toHaveLength(1);
        expect(await nodes[0]!.listOrganizations()).toHaveLength(1);
      });

      it('takes the admin from flags instead of printing a code', async () => {
        const store = await open();
        const result = await store.ensureFirstOrganization({ adminEmail: 'boss@x.test', adminPassword: PASSWORD });
        expect(result.created).toBe(true);
        expect(result.setupCode).toBeUndefined();
        const session = await store.login({ email: 'boss@x.test', password: PASSWORD });
        expect(session.user).toMatchObject({ orgId: result.orgId, role: 'admin', name: 'Admin' });
        expect((await store.ensureFirstOrganization({ adminEmail: 'other@x.test', adminPassword: PASSWORD })).created).toBe(false);
        expect((await store.listUsers(result.orgId)).map((u) => u.email)).toEqual(['boss@x.test']);
      });

      it('refuses an admin email without a password', async () => {
        const error = await failure((await open()).ensureFirstOrganization({ adminEmail: 'boss@x.test' }));
        expect(error).toMatchObject({ code: 'validation', field: 'adminPassword' });
      });

      it('setup codes are one-time and expire', async () => {
        const store = await open({ setupCodeTtlMs: 60_000 });
        const { setupCode } = await store.ensureFirstOrganization();
        clock += 61_000;
        const expired = await failure(store.redeemSetupCode({ code: setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD }));
        expect(expired).toMatchObject({
          code: 'code_expired',
          field: 'code',
          message: 'This setup code has expired: restart the server to print a new one',
        });

        const orgId = (await store.listOrganizations())[0]!.id;
        const fresh = await store.issueSetupCode(orgId);
        // Retyped by hand: lower case, spaces instead of dashes.
        const typed = fresh.code.toLowerCase().replace(/-/g, ' ');
        await store.redeemSetupCode({ code: typed, email: 'a@b.test', name: 'A', password: PASSWORD });
        const reused = await failure(store.redeemSetupCode({ code: fresh.code, email: 'c@b.test', name: 'C', password: PASSWORD }));
        expect(reused).toMatchObject({ code: 'code_used', field: 'code' });
        expect(reused.message).toMatch(/^This setup code was already used/);
        expect(await store.listUsers(orgId)).toHaveLength(1);
        expect(await failure(store.issueSetupCode('01900000-0000-7000-8000-0000000000ff'))).toMatchObject({ code: 'not_found' });
      });
    });

    it('stores neither tokens, passwords nor codes in clear text', async () => {
      const store = await open();
      const { setupCode } = await store.ensureFirstOrganization();
      const setup = await store.redeemSetupCode({ code: setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD });
      await failure(store.login({ email: 'a@b.test', password: 'a wrong guess' }, { ip: '203.0.113.9' }));
      const login = await store.login({ email: 'a@b.test', password: PASSWORD });
      const { invite } = await store.inviteUser(setup.user.orgId, { email: 'n@b.test', name: 'N', role: 'viewer' });

      const stored = await engine.atRest();
      expect(stored.length).toBeGreaterThan(0);
      for (const secret of [setup.token, login.token, PASSWORD, setupCode!.code, invite!.code, '203.0.113.9']) {
        expect(stored.includes(Buffer.from(secret)), secret).toBe(false);
      }
      const hashes = await engine.query<{ hash: string }>('SELECT hash FROM tokens ORDER BY created_at');
      expect(hashes).toHaveLength(2);
      for (const { hash } of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    });

    describe('sign-in', () => {
      it('logs in, authenticates, looks up, logs out', async () => {
        const store = await open();
        const { orgId, adminId } = await orgWithAdmin(store);
        const session = await store.login({ email: '  ADMIN@acme.test ', password: PASSWORD }, { label: 'desktop' });
        expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(session.user).toEqual({ id: adminId, orgId, email: 'admin@acme.test', name: 'Ada Admin', role: 'admin' });
        const principal = { userId: adminId, orgId, role: 'admin', name: 'Ada Admin', email: 'admin@acme.test', tokenId: session.tokenId };
        expect(await store.authenticate(session.token)).toEqual(principal);
        expect(await store.lookup(session.token)).toEqual(principal);
        expect(await store.logout(session.tokenId)).toBe(true);
        expect(await store.logout(session.tokenId)).toBe(false);
        expect(await store.authenticate(session.token)).toBeNull();
        expect(await store.lookup(session.token)).toBeNull();
      });

      it('answers an unknown email exactly like a wrong password', async () => {
        const store = await open();
        await orgWithAdmin(store);
        const wrong = await failure(store.login({ email: 'admin@acme.test', password: 'not it at all' }));
        const unknown = await failure(store.login({ email: 'nobody@acme.test', password: 'not it at all' }));
        expect(wrong.toJSON()).toEqual(unknown.toJSON());
        expect(wrong.code).toBe('invalid_credentials');
      });

      it('rejects garbage tokens and keeps tokens independent', async () => {
        const store = await open();
        await orgWithAdmin(store);
        const a = await store.login({ email: 'admin@acme.test', password: PASSWORD });
        const b = await store.login({ email: 'admin@acme.test', password: PASSWORD });
        for (const bad of ['', 'x', `${a.token}x`, a.token.slice(1), 'a'.repeat(10_000)]) {
          expect(await store.authenticate(bad)).toBeNull();
        }
        await store.logout(a.tokenId);
        expect(await store.authenticate(a.token)).toBeNull();
        expect((await store.authenticate(b.token))?.tokenId).toBe(b.tokenId);
      });

      it('throttles an email + address after five failures, then lets it try again after the window', async () => {
        const store = await open();
        await orgWithAdmin(store);
        const from = { ip: '203.0.113.7' };
        for (let i = 0; i < 5; i++) {
          expect((await failure(store.login({ email: 'admin@acme.test', password: `guess ${i}` }, from))).code).toBe('invalid_credentials');
        }
        const locked = await failure(store.login({ email: 'admin@acme.test', password: PASSWORD }, from));
        expect(locked.code).toBe('too_many_attempts');
        expect(locked.retryAfterSeconds).toBeGreaterThan(0);
        expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
        // Another address is not locked out by someone else's guessing.
        await store.login({ email: 'admin@acme.test', password: PASSWORD }, { ip: '198.51.100.1' });
        clock += 15 * 60_000;
        await store.login({ email: 'admin@acme.test', password: PASSWORD }, from);
      });

      it('the throttle survives a restart and is shared by every store on the database', async () => {
        const first = await open();
        await orgWithAdmin(first);
        const from = { ip: '203.0.113.8' };
        for (let i = 0; i < 3; i++) await failure(first.login({ email: 'admin@acme.test', password: `guess ${i}` }, from));
        await first.close();
        stores.splice(stores.indexOf(first), 1);
        // Restarted, and a second node: the count goes on from three, wherever the guesses arrive.
        const [restarted, other] = await Promise.all([open(), open()]);
        expect((await failure(restarted.login({ email: 'admin@acme.test', password: 'guess 3' }, from))).code).toBe('invalid_credentials');
        expect((await failure(other.login({ email: 'admin@acme.test', password: 'guess 4' }, from))).code).toBe('invalid_credentials');
        expect((await failure(restarted.login({ email: 'admin@acme.test', password: PASSWORD }, from))).code).toBe('too_many_attempts');
        expect((await failure(other.login({ email: 'admin@acme.test', password: PASSWORD }, from))).code).toBe('too_many_attempts');
      });

      it('parallel guesses on two stores are counted before the password check: at most five reach it', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        await orgWithAdmin(a);
        const from = { ip: '203.0.113.10' };
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => failure((i % 2 ? a : b).login({ email: 'admin@acme.test', password: `guess ${i}` }, from))),
        );
        expect(results.filter((e) => e.code === 'invalid_credentials')).toHaveLength(5);
        expect(results.filter((e) => e.code === 'too_many_attempts')).toHaveLength(7);
      });

      it('records when a token was last used, at most once a minute', async () => {
        const store = await open();
        await orgWithAdmin(store);
        const session = await store.login({ email: 'admin@acme.test', password: PASSWORD });
        const lastUsed = async () =>
          (await engine.query<{ last_used_at: number | null }>('SELECT last_used_at FROM tokens WHERE id = ?', [session.tokenId]))[0]!
            .last_used_at;
        expect(await lastUsed()).toBeNull();
        await store.lookup(session.token);
        expect(await lastUsed()).toBeNull();
        await store.authenticate(session.token);
        const first = clock;
        expect(await lastUsed()).toBe(first);
        clock += 30_000;
        await store.authenticate(session.token);
        expect(await lastUsed()).toBe(first);
        clock += 31_000;
        await store.authenticate(session.token);
        expect(await lastUsed()).toBe(clock);
      });

      it('rehashes a password made with weaker parameters at the next sign-in', async () => {
        const weak = await open({ scrypt: { N: 512, r: 8, p: 1 } });
        await orgWithAdmin(weak);
        const store = await open();
        await store.login({ email: 'admin@acme.test', password: PASSWORD });
        const [row] = await engine.query<{ password_hash: string }>('SELECT password_hash FROM users');
        expect(row!.password_hash.startsWith('scrypt$1024$8$1$')).toBe(true);
        await store.login({ email: 'admin@acme.test', password: PASSWORD });
      });
    });

    describe('users', () => {
      it('invites a user who sets a password with a one-time code', async () => {
        const store = await open();
        const { orgId } = await orgWithAdmin(store);
        const providerId = '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199';
        const { user, invite } = await store.inviteUser(orgId, { email: 'Tech@Acme.test', name: 'Theo Tech', role: 'technician', providerId });
        expect(user).toMatchObject({ email: 'tech@acme.test', role: 'technician', hasPassword: false, disabled: false });
        expect(invite!.code).toBeTruthy();
        expect((await failure(store.login({ email: 'tech@acme.test', password: 'anything-at-all' }))).code).toBe('invalid_credentials');
        const session = await store.redeemInviteCode({ code: invite!.code, password: 'theo password' });
        expect(session.user).toMatchObject({ id: user.id, providerId });
        expect((await store.authenticate(session.token))?.providerId).toBe(providerId);
        expect(await failure(store.redeemInviteCode({ code: invite!.code, password: 'again again' }))).toMatchObject({
          code: 'code_used',
          field: 'code',
          message: 'This code was already used or replaced by a newer one: ask your admin for a new one',
        });
        await store.login({ email: 'tech@acme.test', password: 'theo password' });
        expect(await store.getUser(orgId, user.id)).toMatchObject({ hasPassword: true, email: 'tech@acme.test' });
      });

      it('concurrent redeems of one invite on two stores: exactly one wins', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const { orgId } = await orgWithAdmin(a);
        for (let round = 0; round < 3; round++) {
          const { user, invite } = await a.inviteUser(orgId, { email: `race${round}@acme.test`, name: 'Race', role: 'dispatcher' });
          const passwords = ['password of a', 'password of b', 'password of c', 'password of d'];
          const results = await Promise.allSettled(
            passwords.map((password, i) => (i % 2 ? a : b).redeemInviteCode({ code: invite!.code, password })),
          );
          const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
          expect(won).toHaveLength(1);
          for (const r of results) {
            if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'code_used' });
          }
          // The winner's password is the one kept, and the winner's token the one alive.
          const winner = results[won[0]!] as PromiseFulfilledResult<Awaited<ReturnType<AccountStore['redeemInviteCode']>>>;
          expect(winner.value.user.id).toBe(user.id);
          expect(await b.authenticate(winner.value.token)).toMatchObject({ userId: user.id });
          await a.login({ email: `race${round}@acme.test`, password: passwords[won[0]!]! });
          const [{ n }] = (await engine.query<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM tokens WHERE user_id = ?', [user.id])) as [
            { n: number },
          ];
          expect(n).toBe(2);
        }
      });

      it('a reissued invite code replaces the old one, and redeeming it signs the user out elsewhere', async () => {
        const store = await open();
        const { orgId } = await orgWithAdmin(store);
        const { user } = await store.inviteUser(orgId, { email: 'd@acme.test', name: 'D', role: 'dispatcher', password: PASSWORD });
        const old = await store.login({ email: 'd@acme.test', password: PASSWORD });
        const first = await store.issueInviteCode(orgId, user.id);
        const second = await store.issueInviteCode(orgId, user.id);
        expect((await failure(store.redeemInviteCode({ code: first.code, password: 'new password' }))).code).toBe('code_used');
        await store.redeemInviteCode({ code: second.code, password: 'new password' });
        expect(await store.authenticate(old.token)).toBeNull();
        expect((await failure(store.login({ email: 'd@acme.test', password: PASSWORD }))).code).toBe('invalid_credentials');
      });

      it('invite codes expire', async () => {
        const store = await open({ inviteCodeTtlMs: 1000 });
        const { orgId } = await orgWithAdmin(store);
        const { invite } = await store.inviteUser(orgId, { email: 'v@acme.test', name: 'V', role: 'viewer' });
        clock += 1000;
        expect(await failure(store.redeemInviteCode({ code: invite!.code, password: 'viewer pass' }))).toMatchObject({
          code: 'code_expired',
          field: 'code',
          message: 'This code has expired: ask your admin for a new one',
        });
      });

      it('says why a code does not work: unknown, used, expired, or the other kind of code (which stays usable)', async () => {
        const store = await open({ inviteCodeTtlMs: 1000 });
        const { orgId } = await orgWithAdmin(store);
        const { invite } = await store.inviteUser(orgId, { email: 'w@acme.test', name: 'W', role: 'dispatcher' });
        const { org } = await store.createOrganization({ name: 'Fresh' });
        const setup = await store.issueSetupCode(org.id);
        const redeem = (code: string) => failure(store.redeemInviteCode({ code, password: 'pass word 1' }));
        const unknown = { code: 'code_unknown', field: 'code', message: 'This server does not know this code: check it for typing mistakes' };
        expect(await redeem('not a code')).toMatchObject(unknown);
        expect(await redeem('00000-00000-00000-00000-00000')).toMatchObject(unknown);
        expect(await redeem(setup.code)).toMatchObject({ code: 'code_is_setup', field: 'code' });
        const asSetup = await failure(store.redeemSetupCode({ code: invite!.code, email: 'x@acme.test', name: 'X', password: PASSWORD }));
        expect(asSetup).toMatchObject({ code: 'code_is_invite', field: 'code' });
        expect(await store.listUsers(org.id)).toEqual([]);
        await store.redeemSetupCode({ code: setup.code, email: 'first@fresh.test', name: 'First', password: PASSWORD });
        await store.redeemInviteCode({ code: invite!.code, password: 'pass word 1' });
        expect(await redeem(setup.code)).toMatchObject({ code: 'code_used', field: 'code' });
        clock += 1000;
        expect(await redeem(invite!.code)).toMatchObject({ code: 'code_used' });
        const late = await store.inviteUser(orgId, { email: 'y@acme.test', name: 'Y', role: 'viewer' });
        clock += 1000;
        expect(
          await failure(store.redeemSetupCode({ code: late.invite!.code, email: 'y2@acme.test', name: 'Y', password: PASSWORD })),
        ).toMatchObject({ code: 'code_expired' });
      });

      it('disabling revokes tokens and blocks sign-in; enabling allows a new sign-in only', async () => {
        const store = await open();
        const { orgId } = await orgWithAdmin(store);
        const { user } = await store.inviteUser(orgId, { email: 'd@acme.test', name: 'D', role: 'dispatcher', password: PASSWORD });
        const session = await store.login({ email: 'd@acme.test', password: PASSWORD });
        const events: AccessRevoked[] = [];
        store.onAccessRevoked((event) => events.push(event));

        expect((await store.disableUser(orgId, user.id)).disabled).toBe(true);
        expect(await store.authenticate(session.token)).toBeNull();
        expect((await failure(store.login({ email: 'd@acme.test', password: PASSWORD }))).code).toBe('account_disabled');
        expect(events).toEqual([{ userId: user.id, reason: 'disabled' }]);

        await store.enableUser(orgId, user.id);
        expect(await store.authenticate(session.token)).toBeNull();
        const again = await store.login({ email: 'd@acme.test', password: PASSWORD });
        expect((await store.authenticate(again.token))?.role).toBe('dispatcher');
      });

      it('revokes all tokens of a user and reports role changes to live connections', async () => {
        const store = await open();
        const { orgId } = await orgWithAdmin(store);
        const { user } = await store.inviteUser(orgId, { email: 'd@acme.test', name: 'D', role: 'dispatcher', password: PASSWORD });
        const one = await store.login({ email: 'd@acme.test', password: PASSWORD });
        const two = await store.login({ email: 'd@acme.test', password: PASSWORD });
        const events: AccessRevoked[] = [];
        store.onAccessRevoked((event) => events.push(event));

        expect((await store.changeRole(orgId, user.id, 'viewer')).role).toBe('viewer');
        expect((await store.authenticate(one.token))?.role).toBe('viewer');
        expect(await store.revokeAllForUser(orgId, user.id)).toBe(2);
        expect(await store.authenticate(one.token)).toBeNull();
        expect(await store.authenticate(two.token)).toBeNull();
        expect(events.map((e) => e.reason)).toEqual(['role_changed', 'revoked']);
      });

      it('a password reset signs the user out and voids their pending invite code', async () => {
        const store = await open();
        const { orgId } = await orgWithAdmin(store);
        const { user } = await store.inviteUser(orgId, { email: 'r@acme.test', name: 'R', role: 'dispatcher', password: PASSWORD });
        const session = await store.login({ email: 'r@acme.test', password: PASSWORD });
        const pending = await store.issueInviteCode(orgId, user.id);
        const events: AccessRevoked[] = [];
        store.onAccessRevoked((event) => events.push(event));
        expect(await store.resetPassword({ email: 'R@acme.test', password: 'a brand new one' })).toMatchObject({ id: user.id });
        expect(await store.authenticate(session.token)).toBeNull();
        expect((await failure(store.redeemInviteCode({ code: pending.code, password: 'sneaky other' }))).code).toBe('code_used');
        await store.login({ email: 'r@acme.test', password: 'a brand new one' });
        expect(events).toEqual([{ userId: user.id, reason: 'password_changed' }]);
        expect(await failure(store.resetPassword({ email: 'nobody@acme.test', password: 'whatever it is' }))).toMatchObject({
          code: 'not_found',
          field: 'email',
        });
      });

      it('keeps at least one active admin per organization, also when two stores demote two admins at once', async () => {
        const [store, other] = await Promise.all([open(), open()]);
        const { orgId, adminId } = await orgWithAdmin(store);
        expect(await failure(() => store.changeRole(orgId, adminId, 'dispatcher'))).toMatchObject({ code: 'conflict', field: 'role' });
        expect(await failure(() => store.disableUser(orgId, adminId))).toMatchObject({ code: 'conflict', field: 'disabled' });
        const { user: second } = await store.inviteUser(orgId, { email: 'second@acme.test', name: 'Second', role: 'admin', password: PASSWORD });
        const both = await Promise.allSettled([store.changeRole(orgId, adminId, 'dispatcher'), other.disableUser(orgId, second.id)]);
        expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const admins = (await store.listUsers(orgId)).filter((u) => u.role === 'admin' && !u.disabled);
        expect(admins).toHaveLength(1);
      });

      it('one account per email on the server, one sign-in per provider record in an organization', async () => {
        const store = await open();
        const a = await orgWithAdmin(store, 'A', 'admin@a.test');
        const b = await orgWithAdmin(store, 'B', 'admin@b.test');
        expect(await failure(store.inviteUser(b.orgId, { email: 'ADMIN@a.test', name: 'X', role: 'viewer' }))).toMatchObject({
          code: 'conflict',
          field: 'email',
        });
        expect(
          await failure(store.createOrganization({ name: 'C', admin: { email: 'admin@b.test', name: 'C', password: PASSWORD } })),
        ).toMatchObject({ code: 'conflict', field: 'admin.email' });
        const providerId = '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199';
        await store.inviteUser(a.orgId, { email: 't1@a.test', name: 'T1', role: 'technician', providerId });
        expect(await failure(store.inviteUser(a.orgId, { email: 't2@a.test', name: 'T2', role: 'technician', providerId }))).toMatchObject({
          code: 'conflict',
          field: 'providerId',
        });
        await store.inviteUser(b.orgId, { email: 't3@b.test', name: 'T3', role: 'technician', providerId });
        const { user } = await store.inviteUser(a.orgId, { email: 't4@a.test', name: 'T4', role: 'technician' });
        expect(await failure(() => store.updateUser(a.orgId, user.id, { providerId }))).toMatchObject({ code: 'conflict', field: 'providerId' });
        expect(await store.updateUser(a.orgId, user.id, { providerId: null, name: ' Theo ' })).toMatchObject({ name: 'Theo' });
        expect((await store.listOrganizations()).map((o) => o.userCount)).toEqual([3, 2]);
      });

      it('lists users by name, ignoring case', async () => {
        const store = await open();
        const { orgId } = await orgWithAdmin(store);
        for (const [email, name] of [['z@acme.test', 'bob'], ['y@acme.test', 'Al'], ['x@acme.test', 'carl']]) {
          await store.inviteUser(orgId, { email: email!, name: name!, role: 'viewer' });
        }
        expect((await store.listUsers(orgId)).map((u) => u.name)).toEqual(['Ada Admin', 'Al', 'bob', 'carl']);
      });

      it('validates every input with field-level errors', async () => {
        const store = await open();
        const { orgId, adminId } = await orgWithAdmin(store);
        const cases: Array<[() => unknown, string | undefined]> = [
          [() => store.inviteUser(orgId, { email: 'not-an-email', name: 'X', role: 'viewer' }), 'email'],
          [() => store.inviteUser(orgId, { email: 'x@a.test', name: '   ', role: 'viewer' }), 'name'],
          [() => store.inviteUser(orgId, { email: 'x@a.test', name: 'X', role: 'boss' as never }), 'role'],
          [() => store.inviteUser(orgId, { email: 'x@a.test', name: 'X', role: 'viewer', password: 'short' }), 'password'],
          [() => store.inviteUser(orgId, { email: 'x@a.test', name: 'X', role: 'viewer', providerId: 'P1' }), 'providerId'],
          [() => store.inviteUser(orgId, { email: 'x@a.test', name: 'X', role: 'viewer', admin: true } as never), 'admin'],
          [() => store.updateUser(orgId, adminId, {}), undefined],
          [() => store.login({ email: 'admin@acme.test', password: 'x'.repeat(257) }), 'password'],
          [() => store.createOrganization({ name: '' }), 'name'],
        ];
        for (const [action, field] of cases) {
          const error = await failure(action);
          expect(error.code).toBe('validation');
          expect(error.field).toBe(field);
          expect(error.message.length).toBeGreaterThan(3);
        }
        expect(await store.listUsers(orgId)).toHaveLength(1);
      });
    });

    it('an organization never sees or changes another one’s users', async () => {
      const store = await open();
      const a = await orgWithAdmin(store, 'A', 'admin@a.test');
      const b = await orgWithAdmin(store, 'B', 'admin@b.test');
      const { user: bUser } = await store.inviteUser(b.orgId, { email: 'd@b.test', name: 'D', role: 'dispatcher', password: PASSWORD });
      const bSession = await store.login({ email: 'd@b.test', password: PASSWORD });

      expect((await store.listUsers(a.orgId)).map((u) => u.email)).toEqual(['admin@a.test']);
      for (const attempt of [
        () => store.getUser(a.orgId, bUser.id),
        () => store.updateUser(a.orgId, bUser.id, { role: 'viewer' }),
        () => store.disableUser(a.orgId, bUser.id),
        () => store.enableUser(a.orgId, bUser.id),
        () => store.revokeAllForUser(a.orgId, bUser.id),
        () => store.issueInviteCode(a.orgId, bUser.id),
      ]) {
        expect((await failure(attempt)).code).toBe('not_found');
      }
      expect(await store.authenticate(bSession.token)).toMatchObject({ orgId: b.orgId, role: 'dispatcher' });
      expect(await store.getUser(b.orgId, bUser.id)).toMatchObject({ role: 'dispatcher', disabled: false });
      expect(await failure(store.inviteUser('01900000-0000-7000-8000-0000000000ff', { email: 'q@q.test', name: 'Q', role: 'viewer' }))).toMatchObject({
        code: 'not_found',
        field: 'org',
      });
    });

    it('what one store writes, another sees at once; its revocations reach the other store’s watchers', async () => {
      const [nodeA, nodeB] = await Promise.all([open(), open()]);
      const { orgId } = await orgWithAdmin(nodeA);
      const { invite } = await nodeA.inviteUser(orgId, { email: 'b@acme.test', name: 'B', role: 'dispatcher' });
      const session = await nodeB.redeemInviteCode({ code: invite!.code, password: 'redeemed on b' });
      const onB = await nodeB.login({ email: 'b@acme.test', password: 'redeemed on b' });
      expect(await nodeA.authenticate(onB.token)).toMatchObject({ userId: session.user.id });

      let heard = 0;
      const named = new Set<string | undefined>();
      const stop = nodeB.watchOtherWriters(20, silentLog, (userId) => {
        heard++;
        named.add(userId);
      });
      try {
        const until = async (check: () => boolean) => {
          const deadline = Date.now() + 5000;
          while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          return check();
        };
        await new Promise((r) => setTimeout(r, 300));
        const before = heard;
        await nodeA.resetPassword({ email: 'b@acme.test', password: 'reset on node a' });
        expect(await until(() => heard > before)).toBe(true);
        expect(await nodeB.lookup(onB.token)).toBeNull();
        // PostgreSQL's notice says whose access changed; SQLite's poll only that something was committed.
        expect([...named]).toEqual([engine.names ? session.user.id : undefined]);
        // Its own revocations are not "other writers": nodeB tells its own listeners directly.
        await new Promise((r) => setTimeout(r, 300));
        const settled = heard;
        await nodeB.revokeAllForUser(orgId, session.user.id);
        await new Promise((r) => setTimeout(r, 300));
        expect(heard).toBe(settled);
      } finally {
        stop();
      }
    });

    describe('calendar feed tokens', () => {
      const ORG = '01900000-0000-7000-8000-00000000000a';
      const feeds = async () => {
        const store = await engine.feeds(() => clock);
        feedStores.push(store);
        return store;
      };

      it('one token per provider, made on first use, kept until regenerated; lookups by token', async () => {
        const store = await feeds();
        expect(await store.get(ORG, 'p1')).toBeNull();
        const made = await store.ensure(ORG, 'p1');
        expect(made).toMatchObject({ orgId: ORG, providerId: 'p1', createdAt: new Date(clock).toISOString() });
        expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        clock += 1000;
        expect(await store.ensure(ORG, 'p1')).toEqual(made);
        expect(await store.get(ORG, 'p1')).toEqual(made);
        expect(await store.lookup(made.token)).toEqual({ orgId: ORG, providerId: 'p1' });
        const other = await store.ensure(ORG, 'p2');
        expect(other.token).not.toBe(made.token);

        const fresh = await store.regenerate(ORG, 'p1');
        expect(fresh.token).not.toBe(made.token);
        expect(fresh.createdAt).toBe(new Date(clock).toISOString());
        expect(await store.lookup(made.token)).toBeNull();
        expect(await store.lookup(fresh.token)).toEqual({ orgId: ORG, providerId: 'p1' });
        for (const bad of ['', 'x', `${fresh.token}x`]) expect(await store.lookup(bad)).toBeNull();
      });

      it('two stores making a provider’s first token at once agree on one', async () => {
        const [a, b] = await Promise.all([feeds(), feeds()]);
        const made = await Promise.all([a.ensure(ORG, 'p9'), b.ensure(ORG, 'p9'), a.ensure(ORG, 'p9'), b.ensure(ORG, 'p9')]);
        expect(new Set(made.map((m) => m.token)).size).toBe(1);
        expect(await b.lookup(made[0]!.token)).toEqual({ orgId: ORG, providerId: 'p9' });
      });
    });
  });
}
