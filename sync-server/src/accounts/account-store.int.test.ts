import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORG_ID_PATTERN } from '../../../core/sync/rooms';
import { AccountError } from './account-errors';
import { ACCOUNTS_SCHEMA_VERSION } from './account-schema';
import { ACCOUNTS_FILE, AccountStore, type AccessRevoked, type AccountStoreOptions } from './account-store';

// Cheap scrypt for speed; passwords.test.ts covers the production parameters.
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';

let dir: string;
let clock: number;
const stores: AccountStore[] = [];

function open(options: AccountStoreOptions = {}): AccountStore {
  const store = AccountStore.open(dir, { scrypt: FAST_SCRYPT, now: () => clock, ...options });
  stores.push(store);
  return store;
}

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

/** Everything SQLite wrote for the accounts: the database file and its WAL. */
function filesOnDisk(): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((name) => name.startsWith(ACCOUNTS_FILE))
      .map((name) => readFileSync(join(dir, name))),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crewline-accounts-'));
  clock = Date.parse('2026-03-01T09:00:00Z');
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function orgWithAdmin(store: AccountStore, name = 'Acme', email = 'admin@acme.test') {
  const { org, admin } = await store.createOrganization({ name, admin: { email, name: 'Ada Admin', password: PASSWORD } });
  return { orgId: org.id, adminId: admin!.id };
}

describe('first start', () => {
  it('creates one organization with a one-time setup code, and later starts create nothing', async () => {
    const store = open();
    const first = await store.ensureFirstOrganization({ orgName: 'Sparkle Cleaning' });
    expect(first.created).toBe(true);
    expect(first.orgId).toMatch(ORG_ID_PATTERN);
    expect(first.setupCode?.code).toBeTruthy();
    expect(store.listOrganizations()).toEqual([expect.objectContaining({ id: first.orgId, name: 'Sparkle Cleaning' })]);

    const session = await store.redeemSetupCode({
      code: first.setupCode!.code,
      email: 'Owner@Sparkle.test',
      name: 'Olga Owner',
      password: PASSWORD,
    });
    expect(session.user).toMatchObject({ orgId: first.orgId, role: 'admin', email: 'owner@sparkle.test' });
    expect(store.authenticate(session.token)?.userId).toBe(session.user.id);

    const again = await store.ensureFirstOrganization({ orgName: 'Other' });
    expect(again).toEqual({ orgId: first.orgId, created: false });
    expect(store.listOrganizations()).toHaveLength(1);
  });

  it('reissues the setup code on each start while nobody has signed up, voiding the older one', async () => {
    const store = open();
    const first = await store.ensureFirstOrganization();
    const second = await store.ensureFirstOrganization();
    expect(second.created).toBe(false);
    expect(second.orgId).toBe(first.orgId);
    expect(second.setupCode!.code).not.toBe(first.setupCode!.code);
    const stale = await failure(
      store.redeemSetupCode({ code: first.setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD }),
    );
    expect(stale).toMatchObject({ code: 'code_used', field: 'code' });
    const session = await store.redeemSetupCode({
      code: second.setupCode!.code,
      email: 'a@b.test',
      name: 'A',
      password: PASSWORD,
    });
    expect(session.user.role).toBe('admin');
  });

  it('takes the admin from flags instead of printing a code', async () => {
    const store = open();
    const result = await store.ensureFirstOrganization({ adminEmail: 'boss@x.test', adminPassword: PASSWORD });
    expect(result.created).toBe(true);
    expect(result.setupCode).toBeUndefined();
    const session = await store.login({ email: 'boss@x.test', password: PASSWORD });
    expect(session.user).toMatchObject({ orgId: result.orgId, role: 'admin', name: 'Admin' });
    expect((await store.ensureFirstOrganization({ adminEmail: 'other@x.test', adminPassword: PASSWORD })).created).toBe(
      false,
    );
    expect(store.listUsers(result.orgId).map((u) => u.email)).toEqual(['boss@x.test']);
  });

  it('refuses an admin email without a password', async () => {
    const error = await failure(open().ensureFirstOrganization({ adminEmail: 'boss@x.test' }));
    expect(error).toMatchObject({ code: 'validation', field: 'adminPassword' });
  });

  it('setup codes are one-time and expire', async () => {
    const store = open({ setupCodeTtlMs: 60_000 });
    const { setupCode } = await store.ensureFirstOrganization();
    clock += 61_000;
    const expired = await failure(
      store.redeemSetupCode({ code: setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD }),
    );
    expect(expired).toMatchObject({
      code: 'code_expired',
      field: 'code',
      message: 'This setup code has expired: restart the server to print a new one',
    });

    const fresh = store.issueSetupCode(store.listOrganizations()[0]!.id);
    // Retyped by hand: lower case, spaces instead of dashes.
    const typed = fresh.code.toLowerCase().replace(/-/g, ' ');
    await store.redeemSetupCode({ code: typed, email: 'a@b.test', name: 'A', password: PASSWORD });
    const reused = await failure(
      store.redeemSetupCode({ code: fresh.code, email: 'c@b.test', name: 'C', password: PASSWORD }),
    );
    expect(reused).toMatchObject({ code: 'code_used', field: 'code' });
    expect(reused.message).toMatch(/^This setup code was already used/);
    expect(store.listUsers(store.listOrganizations()[0]!.id)).toHaveLength(1);
  });
});

describe('secrets at rest', () => {
  it('stores neither tokens, passwords nor codes in clear text', async () => {
    const store = open();
    const { setupCode } = await store.ensureFirstOrganization();
    const setup = await store.redeemSetupCode({ code: setupCode!.code, email: 'a@b.test', name: 'A', password: PASSWORD });
    const login = await store.login({ email: 'a@b.test', password: PASSWORD });
    const { invite } = await store.inviteUser(setup.user.orgId, { email: 'n@b.test', name: 'N', role: 'viewer' });

    const disk = filesOnDisk();
    expect(disk.length).toBeGreaterThan(0);
    for (const secret of [setup.token, login.token, PASSWORD, setupCode!.code, invite!.code]) {
      expect(disk.includes(Buffer.from(secret)), secret).toBe(false);
    }
    const db = new Database(join(dir, ACCOUNTS_FILE), { readonly: true });
    try {
      const hashes = db.prepare('SELECT hash FROM tokens ORDER BY created_at').pluck().all() as string[];
      expect(hashes).toHaveLength(2);
      for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(ACCOUNTS_SCHEMA_VERSION);
      // Attempts are kept by a hash of email + address, never the address itself.
      for (const key of db.prepare('SELECT key_hash FROM login_attempts').pluck().all() as string[]) expect(key).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      db.close();
    }
  });
});

describe('sign-in', () => {
  it('logs in, authenticates, logs out', async () => {
    const store = open();
    const { orgId, adminId } = await orgWithAdmin(store);
    const session = await store.login({ email: '  ADMIN@acme.test ', password: PASSWORD }, { label: 'desktop' });
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.user).toEqual({ id: adminId, orgId, email: 'admin@acme.test', name: 'Ada Admin', role: 'admin' });
    expect(store.authenticate(session.token)).toEqual({
      userId: adminId,
      orgId,
      role: 'admin',
      name: 'Ada Admin',
      email: 'admin@acme.test',
      tokenId: session.tokenId,
    });
    expect(store.logout(session.tokenId)).toBe(true);
    expect(store.logout(session.tokenId)).toBe(false);
    expect(store.authenticate(session.token)).toBeNull();
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const store = open();
    await orgWithAdmin(store);
    const wrong = await failure(store.login({ email: 'admin@acme.test', password: 'not it at all' }));
    const unknown = await failure(store.login({ email: 'nobody@acme.test', password: 'not it at all' }));
    expect(wrong.toJSON()).toEqual(unknown.toJSON());
    expect(wrong.code).toBe('invalid_credentials');
  });

  it('spends the same scrypt work on an unknown email as on a wrong password', async () => {
    // A cost high enough that skipping the hash would stand out from scheduling noise.
    const store = open({ scrypt: { N: 2 ** 14, r: 8, p: 1 } });
    await orgWithAdmin(store);
    const fastest = async (email: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await failure(store.login({ email, password: `wrong ${i}` }, { ip: `10.0.0.${i}` }));
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const wrongPassword = await fastest('admin@acme.test');
    const unknownEmail = await fastest('nobody@acme.test');
    expect(unknownEmail).toBeGreaterThan(wrongPassword * 0.4);
  });

  it('rejects garbage tokens without a lookup and keeps tokens independent', async () => {
    const store = open();
    await orgWithAdmin(store);
    const a = await store.login({ email: 'admin@acme.test', password: PASSWORD });
    const b = await store.login({ email: 'admin@acme.test', password: PASSWORD });
    for (const bad of ['', 'x', `${a.token}x`, a.token.slice(1), 'a'.repeat(10_000)]) {
      expect(store.authenticate(bad)).toBeNull();
    }
    store.logout(a.tokenId);
    expect(store.authenticate(a.token)).toBeNull();
    expect(store.authenticate(b.token)?.tokenId).toBe(b.tokenId);
  });

  it('throttles an email + address after five failures, then lets it try again after the window', async () => {
    const store = open();
    await orgWithAdmin(store);
    const from = { ip: '203.0.113.7' };
    for (let i = 0; i < 5; i++) {
      expect((await failure(store.login({ email: 'admin@acme.test', password: `guess ${i}` }, from))).code).toBe(
        'invalid_credentials',
      );
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

  it('records when a token was last used, at most once a minute', async () => {
    const store = open();
    await orgWithAdmin(store);
    const session = await store.login({ email: 'admin@acme.test', password: PASSWORD });
    const lastUsed = () => {
      const db = new Database(join(dir, ACCOUNTS_FILE), { readonly: true });
      try {
        return db.prepare('SELECT last_used_at FROM tokens WHERE id = ?').pluck().get(session.tokenId);
      } finally {
        db.close();
      }
    };
    expect(lastUsed()).toBeNull();
    store.authenticate(session.token);
    const first = clock;
    expect(lastUsed()).toBe(first);
    clock += 30_000;
    store.authenticate(session.token);
    expect(lastUsed()).toBe(first);
    clock += 31_000;
    store.authenticate(session.token);
    expect(lastUsed()).toBe(clock);
  });

  it('rehashes a password made with weaker parameters at the next sign-in', async () => {
    const weak = open({ scrypt: { N: 512, r: 8, p: 1 } });
    await orgWithAdmin(weak);
    weak.close();
    const store = open();
    await store.login({ email: 'admin@acme.test', password: PASSWORD });
    const db = new Database(join(dir, ACCOUNTS_FILE), { readonly: true });
    const stored = db.prepare('SELECT password_hash FROM users').pluck().get() as string;
    db.close();
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
    await store.login({ email: 'admin@acme.test', password: PASSWORD });
  });
});

describe('users', () => {
  it('invites a user who sets a password with a one-time code', async () => {
    const store = open();
    const { orgId } = await orgWithAdmin(store);
    const { user, invite } = await store.inviteUser(orgId, {
      email: 'Tech@Acme.test',
      name: 'Theo Tech',
      role: 'technician',
      providerId: '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199',
    });
    expect(user).toMatchObject({ email: 'tech@acme.test', role: 'technician', hasPassword: false, disabled: false });
    expect(invite!.code).toBeTruthy();
    expect((await failure(store.login({ email: 'tech@acme.test', password: 'anything-at-all' }))).code).toBe(
      'invalid_credentials',
    );
    const session = await store.redeemInviteCode({ code: invite!.code, password: 'theo password' });
    expect(session.user).toMatchObject({ id: user.id, providerId: '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199' });
    expect(store.authenticate(session.token)?.providerId).toBe('01a1fe2d-e3e0-740c-86ce-f4f4a3b08199');
    expect(await failure(store.redeemInviteCode({ code: invite!.code, password: 'again again' }))).toMatchObject({
      code: 'code_used',
      field: 'code',
      message: 'This code was already used or replaced by a newer one: ask your admin for a new one',
    });
    await store.login({ email: 'tech@acme.test', password: 'theo password' });
  });

  it('a reissued invite code replaces the old one, and redeeming it signs the user out elsewhere', async () => {
    const store = open();
    const { orgId } = await orgWithAdmin(store);
    const { user } = await store.inviteUser(orgId, { email: 'd@acme.test', name: 'D', role: 'dispatcher', password: PASSWORD });
    const old = await store.login({ email: 'd@acme.test', password: PASSWORD });
    const first = store.issueInviteCode(orgId, user.id);
    const second = store.issueInviteCode(orgId, user.id);
    expect((await failure(store.redeemInviteCode({ code: first.code, password: 'new password' }))).code).toBe(
      'code_used',
    );
    await store.redeemInviteCode({ code: second.code, password: 'new password' });
    expect(store.authenticate(old.token)).toBeNull();
    expect((await failure(store.login({ email: 'd@acme.test', password: PASSWORD }))).code).toBe('invalid_credentials');
  });

  it('invite codes expire', async () => {
    const store = open({ inviteCodeTtlMs: 1000 });
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
    const store = open({ inviteCodeTtlMs: 1000 });
    const { orgId } = await orgWithAdmin(store);
    const { invite } = await store.inviteUser(orgId, { email: 'w@acme.test', name: 'W', role: 'dispatcher' });
    const { org } = await store.createOrganization({ name: 'Fresh' });
    const setup = store.issueSetupCode(org.id);
    const redeem = (code: string) => failure(store.redeemInviteCode({ code, password: 'pass word 1' }));
    const unknown = { code: 'code_unknown', field: 'code', message: 'This server does not know this code: check it for typing mistakes' };
    expect(await redeem('not a code')).toMatchObject(unknown);
    expect(await redeem('00000-00000-00000-00000-00000')).toMatchObject(unknown);
    // A setup code at the invite door and an invite code at the setup door: refused before anything is written.
    expect(await redeem(setup.code)).toMatchObject({ code: 'code_is_setup', field: 'code' });
    const asSetup = await failure(store.redeemSetupCode({ code: invite!.code, email: 'x@acme.test', name: 'X', password: PASSWORD }));
    expect(asSetup).toMatchObject({ code: 'code_is_invite', field: 'code' });
    expect(store.listUsers(org.id)).toEqual([]);
    await store.redeemSetupCode({ code: setup.code, email: 'first@fresh.test', name: 'First', password: PASSWORD });
    await store.redeemInviteCode({ code: invite!.code, password: 'pass word 1' });
    // Dead codes are dead whatever the door: used before expired before the kind.
    expect(await redeem(setup.code)).toMatchObject({ code: 'code_used', field: 'code' });
    clock += 1000;
    expect(await redeem(invite!.code)).toMatchObject({ code: 'code_used' });
    const late = await store.inviteUser(orgId, { email: 'y@acme.test', name: 'Y', role: 'viewer' });
    clock += 1000;
    expect(await failure(store.redeemSetupCode({ code: late.invite!.code, email: 'y2@acme.test', name: 'Y', password: PASSWORD }))).toMatchObject({
      code: 'code_expired',
    });
  });

  it('disabling revokes tokens and blocks sign-in; enabling allows a new sign-in only', async () => {
    const store = open();
    const { orgId } = await orgWithAdmin(store);
    const { user } = await store.inviteUser(orgId, { email: 'd@acme.test', name: 'D', role: 'dispatcher', password: PASSWORD });
    const session = await store.login({ email: 'd@acme.test', password: PASSWORD });
    const events: AccessRevoked[] = [];
    store.onAccessRevoked((event) => events.push(event));

    expect(store.disableUser(orgId, user.id).disabled).toBe(true);
    expect(store.authenticate(session.token)).toBeNull();
    expect((await failure(store.login({ email: 'd@acme.test', password: PASSWORD }))).code).toBe('account_disabled');
    expect(events).toEqual([{ userId: user.id, reason: 'disabled' }]);

    store.enableUser(orgId, user.id);
    expect(store.authenticate(session.token)).toBeNull();
    const again = await store.login({ email: 'd@acme.test', password: PASSWORD });
    expect(store.authenticate(again.token)?.role).toBe('dispatcher');
  });

  it('revokes all tokens of a user and reports role changes to live connections', async () => {
    const store = open();
    const { orgId } = await orgWithAdmin(store);
    const { user } = await store.inviteUser(orgId, { email: 'd@acme.test', name: 'D', role: 'dispatcher', password: PASSWORD });
    const one = await store.login({ email: 'd@acme.test', password: PASSWORD });
    const two = await store.login({ email: 'd@acme.test', password: PASSWORD });
    const events: AccessRevoked[] = [];
    store.onAccessRevoked((event) => events.push(event));

    const changed = store.changeRole(orgId, user.id, 'viewer');
    expect(changed.role).toBe('viewer');
    expect(store.authenticate(one.token)?.role).toBe('viewer');
    expect(store.revokeAllForUser(orgId, user.id)).toBe(2);
    expect(store.authenticate(one.token)).toBeNull();
    expect(store.authenticate(two.token)).toBeNull();
    expect(events.map((e) => e.reason)).toEqual(['role_changed', 'revoked']);
  });

  it('keeps at least one active admin per organization', async () => {
    const store = open();
    const { orgId, adminId } = await orgWithAdmin(store);
    expect(await failure(() => store.changeRole(orgId, adminId, 'dispatcher'))).toMatchObject({
      code: 'conflict',
      field: 'role',
    });
    expect(await failure(() => store.disableUser(orgId, adminId))).toMatchObject({ code: 'conflict', field: 'disabled' });
    await store.inviteUser(orgId, { email: 'second@acme.test', name: 'Second', role: 'admin', password: PASSWORD });
    expect(store.changeRole(orgId, adminId, 'dispatcher').role).toBe('dispatcher');
  });

  it('one account per email on the server, one sign-in per provider record in an organization', async () => {
    const store = open();
    const a = await orgWithAdmin(store, 'A', 'admin@a.test');
    const b = await orgWithAdmin(store, 'B', 'admin@b.test');
    expect(
      await failure(store.inviteUser(b.orgId, { email: 'ADMIN@a.test', name: 'X', role: 'viewer' })),
    ).toMatchObject({ code: 'conflict', field: 'email' });
    const providerId = '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199';
    await store.inviteUser(a.orgId, { email: 't1@a.test', name: 'T1', role: 'technician', providerId });
    expect(
      await failure(store.inviteUser(a.orgId, { email: 't2@a.test', name: 'T2', role: 'technician', providerId })),
    ).toMatchObject({ code: 'conflict', field: 'providerId' });
    // The same provider id in another organization is another record.
    await store.inviteUser(b.orgId, { email: 't3@b.test', name: 'T3', role: 'technician', providerId });
    const { user } = await store.inviteUser(a.orgId, { email: 't4@a.test', name: 'T4', role: 'technician' });
    expect(await failure(() => store.updateUser(a.orgId, user.id, { providerId }))).toMatchObject({
      code: 'conflict',
      field: 'providerId',
    });
    expect(store.updateUser(a.orgId, user.id, { providerId: null, name: ' Theo ' })).toMatchObject({ name: 'Theo' });
  });

  it('validates every input with field-level errors', async () => {
    const store = open();
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
    expect(store.listUsers(orgId)).toHaveLength(1);
  });
});

describe('organizations are isolated', () => {
  it('an organization never sees or changes another one’s users', async () => {
    const store = open();
    const a = await orgWithAdmin(store, 'A', 'admin@a.test');
    const b = await orgWithAdmin(store, 'B', 'admin@b.test');
    const { user: bUser } = await store.inviteUser(b.orgId, {
      email: 'd@b.test',
      name: 'D',
      role: 'dispatcher',
      password: PASSWORD,
    });
    const bSession = await store.login({ email: 'd@b.test', password: PASSWORD });

    expect(store.listUsers(a.orgId).map((u) => u.email)).toEqual(['admin@a.test']);
    for (const attempt of [
      () => store.getUser(a.orgId, bUser.id),
      () => store.updateUser(a.orgId, bUser.id, { role: 'viewer' }),
      () => store.disableUser(a.orgId, bUser.id),
      () => store.revokeAllForUser(a.orgId, bUser.id),
      () => store.issueInviteCode(a.orgId, bUser.id),
    ]) {
      expect((await failure(attempt)).code).toBe('not_found');
    }
    const principal = store.authenticate(bSession.token);
    expect(principal).toMatchObject({ orgId: b.orgId, role: 'dispatcher' });
    expect(store.getUser(b.orgId, bUser.id)).toMatchObject({ role: 'dispatcher', disabled: false });
  });
});

describe('schema', () => {
  it('reopens an existing file and refuses one from a newer server', async () => {
    const store = open();
    const { orgId } = await orgWithAdmin(store);
    store.close();
    stores.length = 0;
    expect(open().listOrganizations().map((o) => o.id)).toEqual([orgId]);
    for (const s of stores.splice(0)) s.close();
    const db = new Database(join(dir, ACCOUNTS_FILE));
    db.pragma('user_version = 99');
    db.close();
    expect(() => open()).toThrow(/newer Crewline server \(schema 99\)/);
  });

  it('a version 1 file (before the kept sign-in attempts) opens, gains them and keeps its accounts', async () => {
    const store = open();
    await store.createOrganization({ name: 'Acme', admin: { email: 'a@b.test', name: 'A', password: PASSWORD } });
    store.close();
    const db = new Database(join(dir, ACCOUNTS_FILE));
    db.exec('DROP TABLE login_attempts');
    db.pragma('user_version = 1');
    db.close();
    const reopened = open();
    await expect(reopened.login({ email: 'a@b.test', password: 'wrong password here' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect((await reopened.login({ email: 'a@b.test', password: PASSWORD })).user.email).toBe('a@b.test');
    const check = new Database(join(dir, ACCOUNTS_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});
