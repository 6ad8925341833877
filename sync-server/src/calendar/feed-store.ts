import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashSecret, newToken, TOKEN_PATTERN } from '../accounts/secrets';
import { systemClock, type Clock } from '../../../core/clock';
import { SqliteDatabase, type SqlDatabase } from '../storage/sql-database';
import { PgSqlDatabase } from '../storage/pg/pg-sql-database';

export const FEEDS_FILE = 'calendar-feeds.sqlite';
const SCHEMA_VERSION = 1;

export interface CalendarFeedToken {
  orgId: string;
  providerId: string;
  token: string;
  createdAt: string;
}

function migrateFeeds(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${FEEDS_FILE} was written by a newer Crewline server (schema ${version}); update the server`);
    }
    // The same table is in PostgreSQL's migration 2 (storage/pg/migrations.ts).
    db.exec(`
      CREATE TABLE calendar_feeds (
        org_id TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        token TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, provider_id)
      );
    `);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * One secret feed token per (organization, provider): in `<dataDir>/calendar-feeds.sqlite`, its own file so
 * it never shares a migration with accounts or rooms, or in the shared PostgreSQL (issue 23). Unlike
 * sign-in tokens, the token itself is kept: the console shows the feed address again whenever an admin
 * opens the provider, the way calendar services show a "secret address". It grants read-only access to
 * one provider's calendar; regenerating it is how an address is revoked. Lookups go by its SHA-256, so a
 * request's timing says nothing about the stored tokens.
 */
export class CalendarFeedStore {
  static open(dataDir: string, clock: Clock = systemClock): CalendarFeedStore {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, FEEDS_FILE));
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // A regenerated address must stay revoked after a power cut.
    db.pragma('synchronous = FULL');
    migrateFeeds(db);
    return new CalendarFeedStore(new SqliteDatabase(db), clock);
  }

  static async openPostgres(url: string, clock: Clock = systemClock): Promise<CalendarFeedStore> {
    return new CalendarFeedStore(await PgSqlDatabase.open(url, { maxConnections: 2 }), clock);
  }

  private constructor(
    private readonly db: SqlDatabase,
    private readonly now: Clock,
  ) {}

  close(): Promise<void> {
    return this.db.close();
  }

  /** The provider's current token, made on first use (by one node only: the first to commit wins). */
  async ensure(orgId: string, providerId: string): Promise<CalendarFeedToken> {
    const existing = await this.get(orgId, providerId);
    if (existing) return existing;
    const token = newToken();
    await this.db.run(
      `INSERT INTO calendar_feeds (org_id, provider_id, token, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org_id, provider_id) DO NOTHING`,
      [orgId, providerId, token, hashSecret(token), this.now()],
    );
    return (await this.get(orgId, providerId))!;
  }

  async get(orgId: string, providerId: string): Promise<CalendarFeedToken | null> {
    const row = await this.db.one<{ token: string; created_at: number }>(
      'SELECT token, created_at FROM calendar_feeds WHERE org_id = ? AND provider_id = ?',
      [orgId, providerId],
    );
    return row ? { orgId, providerId, token: row.token, createdAt: new Date(row.created_at).toISOString() } : null;
  }

  /** A new token for the provider; the old one stops working at once. */
  async regenerate(orgId: string, providerId: string): Promise<CalendarFeedToken> {
    const token = newToken();
    const at = this.now();
    await this.db.run(
      `INSERT INTO calendar_feeds (org_id, provider_id, token, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org_id, provider_id) DO UPDATE SET token = excluded.token, token_hash = excluded.token_hash,
         created_at = excluded.created_at`,
      [orgId, providerId, token, hashSecret(token), at],
    );
    return { orgId, providerId, token, createdAt: new Date(at).toISOString() };
  }

  /** Whose feed a token opens, or null for a malformed, unknown or replaced one. */
  async lookup(token: string): Promise<{ orgId: string; providerId: string } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const row = await this.db.one<{ org_id: string; provider_id: string }>(
      'SELECT org_id, provider_id FROM calendar_feeds WHERE token_hash = ?',
      [hashSecret(token)],
    );
    return row ? { orgId: row.org_id, providerId: row.provider_id } : null;
  }
}
