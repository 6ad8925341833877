/**
 * The accounts and calendar feed tokens part of moving to PostgreSQL (`copy-to-postgres.ts`): every row of
 * accounts.sqlite and calendar-feeds.sqlite, as is (hashes, codes, kept sign-in attempts, revocations), into
 * the tables of migration 2, inside the caller's transaction. Tokens and passwords keep working: only
 * their hashes are stored, and those do not change.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { ACCOUNTS_FILE } from '../accounts/account-store';
import { FEEDS_FILE } from '../calendar/feed-store';

export interface AccountsCopied {
  organizations: number;
  users: number;
  tokens: number;
  codes: number;
  feeds: number;
}

/** Tables in the order their foreign keys need, with the columns both schemas share. */
const ACCOUNT_TABLES: ReadonlyArray<[table: string, key: keyof AccountsCopied | null, columns: string[]]> = [
  ['organizations', 'organizations', ['id', 'name', 'created_at']],
  ['users', 'users', ['id', 'org_id', 'email', 'name', 'role', 'provider_id', 'password_hash', 'disabled', 'created_at', 'updated_at']],
  ['tokens', 'tokens', ['id', 'user_id', 'hash', 'label', 'created_at', 'last_used_at', 'revoked_at']],
  ['one_time_codes', 'codes', ['id', 'kind', 'org_id', 'user_id', 'hash', 'created_at', 'expires_at', 'used_at']],
  ['login_attempts', null, ['key_hash', 'attempts', 'first_at']],
];

async function copyTable(from: Database.Database, to: pg.PoolClient, table: string, columns: string[]): Promise<number> {
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  let n = 0;
  for (const row of from.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw().iterate() as IterableIterator<unknown[]>) {
    await to.query(insert, row);
    n++;
  }
  return n;
}

/** Whether the PostgreSQL database already holds accounts or feeds (a copy goes into an empty one only). */
export async function holdsAccounts(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ n: string }>(
    'SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM calendar_feeds) AS n',
  );
  return Number(rows[0]!.n) > 0;
}

export async function copyAccounts(dataDir: string, client: pg.PoolClient): Promise<AccountsCopied> {
  const copied: AccountsCopied = { organizations: 0, users: 0, tokens: 0, codes: 0, feeds: 0 };
  const accounts = join(dataDir, ACCOUNTS_FILE);
  if (existsSync(accounts)) {
    const db = new Database(accounts, { readonly: true });
    try {
      for (const [table, key, columns] of ACCOUNT_TABLES) {
        const n = await copyTable(db, client, table, columns);
        if (key) copied[key] = n;
      }
    } finally {
      db.close();
    }
  }
  const feeds = join(dataDir, FEEDS_FILE);
  if (existsSync(feeds)) {
    const db = new Database(feeds, { readonly: true });
    try {
      copied.feeds = await copyTable(db, client, 'calendar_feeds', ['org_id', 'provider_id', 'token', 'token_hash', 'created_at']);
    } finally {
      db.close();
    }
  }
  return copied;
}
