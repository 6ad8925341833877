import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashSecret, newToken, TOKEN_PATTERN } from '../accounts/secrets';
import { systemClock, type Clock } from '../../../core/clock';

export const FEEDS_FILE = 'calendar-feeds.sqlite';
const SCHEMA_VERSION = 1;

export interface CalendarFeedToken {
  orgId: string;
  providerId: string;
  token: string;
  createdAt: string;
}

/**
 * One secret feed token per (organization, provider) in `<dataDir>/calendar-feeds.sqlite`, its own file so
 * it never shares a migration with accounts or rooms. Unlike sign-in tokens, the token itself is kept:
 * the console shows the feed address again whenever an admin opens the provider, the way calendar
 * services show a "secret address". It grants read-only access to one provider's calendar; regenerating
 * it is how an address is revoked. Lookups go by its SHA-256, so a request's timing says nothing about
 * the stored tokens.
 */
export class CalendarFeedStore {
  private readonly db: Database.Database;

  static open(dataDir: string, clock: Clock = systemClock): CalendarFeedStore {
    mkdirSync(dataDir, { recursive: true });
    return new CalendarFeedStore(join(dataDir, FEEDS_FILE), clock);
  }

  private constructor(
    path: string,
    private readonly now: Clock,
  ) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    // A regenerated address must stay revoked after a power cut.
    this.db.pragma('synchronous = FULL');
    this.migrate();
  }

  private migrate(): void {
    this.db
      .transaction(() => {
        const version = this.db.pragma('user_version', { simple: true }) as number;
        if (version === SCHEMA_VERSION) return;
        if (version > SCHEMA_VERSION) {
          throw new Error(`${FEEDS_FILE} was written by a newer Crewline server (schema ${version}); update the server`);
        }
        this.db.exec(`
          CREATE TABLE calendar_feeds (
            org_id TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            token TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (org_id, provider_id)
          );
        `);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
  }

  close(): void {
    this.db.close();
  }

  /** The provider's current token, made on first use. */
  ensure(orgId: string, providerId: string): CalendarFeedToken {
    return this.get(orgId, providerId) ?? this.regenerate(orgId, providerId);
  }

  get(orgId: string, providerId: string): CalendarFeedToken | null {
    const row = this.db
      .prepare('SELECT token, created_at FROM calendar_feeds WHERE org_id = ? AND provider_id = ?')
      .get(orgId, providerId) as { token: string; created_at: number } | undefined;
    return row ? { orgId, providerId, token: row.token, createdAt: new Date(row.created_at).toISOString() } : null;
  }

  /** A new token for the provider; the old one stops working at once. */
  regenerate(orgId: string, providerId: string): CalendarFeedToken {
    const token = newToken();
    const at = this.now();
    this.db
      .prepare(
        `INSERT INTO calendar_feeds (org_id, provider_id, token, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (org_id, provider_id) DO UPDATE SET token = excluded.token, token_hash = excluded.token_hash,
           created_at = excluded.created_at`,
      )
      .run(orgId, providerId, token, hashSecret(token), at);
    return { orgId, providerId, token, createdAt: new Date(at).toISOString() };
  }

  /** Whose feed a token opens, or null for a malformed, unknown or replaced one. */
  lookup(token: string): { orgId: string; providerId: string } | null {
    if (!TOKEN_PATTERN.test(token)) return null;
    const row = this.db
      .prepare('SELECT org_id, provider_id FROM calendar_feeds WHERE token_hash = ?')
      .get(hashSecret(token)) as { org_id: string; provider_id: string } | undefined;
    return row ? { orgId: row.org_id, providerId: row.provider_id } : null;
  }
}
