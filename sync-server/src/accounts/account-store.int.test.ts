// The account store contract on accounts.sqlite (the PostgreSQL run: account-store.pg.int.test.ts), plus
// what only the SQLite file has: its pragmas and schema versions.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalendarFeedStore } from '../calendar/feed-store';
import { AccountError } from './account-errors';
import { ACCOUNTS_SCHEMA_VERSION } from './account-schema';
import { ACCOUNTS_FILE, AccountStore, type AccountStoreOptions } from './account-store';
import { accountStoreContract, FAST_SCRYPT } from './testing/account-store-contract';

const PASSWORD = 'open sesame 42';

let dir = '';

accountStoreContract('SQLite', {
  reset: async () => {
    dir = mkdtempSync(join(tmpdir(), 'crewline-accounts-'));
  },
  open: async (options) => AccountStore.open(dir, options),
  feeds: async (now) => CalendarFeedStore.open(dir, now),
  query: async <T>(sql: string, params: readonly (string | number)[] = []) => {
    const db = new Database(join(dir, ACCOUNTS_FILE), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  },
  // Everything SQLite wrote for the accounts: the database file and its WAL.
  atRest: async () =>
    Buffer.concat(
      readdirSync(dir)
        .filter((name) => name.startsWith(ACCOUNTS_FILE))
        .map((name) => readFileSync(join(dir, name))),
    ),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  names: false,
});

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

async function orgWithAdmin(store: AccountStore, name = 'Acme', email = 'admin@acme.test') {
  const { org, admin } = await store.createOrganization({ name, admin: { email, name: 'Ada Admin', password: PASSWORD } });
  return { orgId: org.id, adminId: admin!.id };
}

describe('SQLite only', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crewline-accounts-'));
    clock = Date.parse('2026-03-01T09:00:00Z');
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('accounts.sqlite', () => {
    it('is a WAL file at the current schema, keeping attempts by a hash of email and address', async () => {
      const store = open();
      await orgWithAdmin(store);
      await failure(store.login({ email: 'admin@acme.test', password: 'a wrong guess' }, { ip: '203.0.113.9' }));
      const db = new Database(join(dir, ACCOUNTS_FILE), { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('user_version', { simple: true })).toBe(ACCOUNTS_SCHEMA_VERSION);
        const keys = db.prepare('SELECT key_hash FROM login_attempts').pluck().all() as string[];
        expect(keys).toHaveLength(1);
        for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        db.close();
      }
    });

    it('spends the same scrypt work on an unknown email as on a wrong password', async () => {
      // A cost high enough that skipping the hash would stand out from scheduling noise.
      const store = open({ scrypt: { N: 2 ** 14, r: 8, p: 1 } });
      await orgWithAdmin(store);
      // The two kinds take turns: the first few scrypt runs of a process are slower (measured: ~78 ms, then
      // ~30 ms), and measuring one kind first made it look costlier than the other.
      const best = { wrongPassword: Infinity, unknownEmail: Infinity };
      for (let i = 0; i < 5; i++) {
        for (const [kind, email] of [['wrongPassword', 'admin@acme.test'], ['unknownEmail', 'nobody@acme.test']] as const) {
          const started = performance.now();
          await failure(store.login({ email, password: `wrong ${i}` }, { ip: `10.0.0.${i}` }));
          best[kind] = Math.min(best[kind], performance.now() - started);
        }
      }
      expect(best.unknownEmail).toBeGreaterThan(best.wrongPassword * 0.4);
    });

  });

  describe('schema', () => {
    it('reopens an existing file and refuses one from a newer server', async () => {
      const store = open();
      const { orgId } = await orgWithAdmin(store);
      await store.close();
      stores.length = 0;
      expect((await open().listOrganizations()).map((o) => o.id)).toEqual([orgId]);
      for (const s of stores.splice(0)) await s.close();
      const db = new Database(join(dir, ACCOUNTS_FILE));
      db.pragma('user_version = 99');
      db.close();
      expect(() => open()).toThrow(/newer Crewline server \(schema 99\)/);
    });

    it('a version 1 file (before the kept sign-in attempts) opens, gains them and keeps its accounts', async () => {
      const store = open();
      await store.createOrganization({ name: 'Acme', admin: { email: 'a@b.test', name: 'A', password: PASSWORD } });
      await store.close();
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
});
