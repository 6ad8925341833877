/**
 * The PostgreSQL schema, as numbered migrations kept in the repository. `migrate` applies the ones a
 * database has not seen, each in its own transaction, under an advisory lock so that nodes starting
 * together do not race; a database written by a newer server is refused.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'room update logs and snapshots',
    sql: `
      CREATE TABLE room_updates (
        id BIGSERIAL PRIMARY KEY,
        room TEXT NOT NULL,
        data BYTEA NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX room_updates_by_room ON room_updates (room, id);
      CREATE TABLE room_snapshots (
        room TEXT PRIMARY KEY,
        data BYTEA NOT NULL,
        through_id BIGINT NOT NULL,
        at BIGINT NOT NULL
      );`,
  },
  {
    version: 2,
    name: 'accounts and calendar feed tokens',
    // The same tables as accounts.sqlite and calendar-feeds.sqlite (accounts/account-schema.ts,
    // calendar/feed-store.ts), times in epoch ms, so one set of statements serves both engines.
    sql: `
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organizations (id),
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'technician', 'viewer')),
        provider_id TEXT,
        password_hash TEXT,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX users_by_org ON users (org_id, email);
      CREATE UNIQUE INDEX users_by_provider ON users (org_id, provider_id) WHERE provider_id IS NOT NULL;
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        revoked_at BIGINT
      );
      CREATE INDEX tokens_live_by_user ON tokens (user_id) WHERE revoked_at IS NULL;
      CREATE TABLE one_time_codes (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('setup', 'invite')),
        org_id TEXT NOT NULL REFERENCES organizations (id),
        user_id TEXT REFERENCES users (id),
        hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        CHECK ((kind = 'invite') = (user_id IS NOT NULL))
      );
      CREATE TABLE login_attempts (
        key_hash TEXT PRIMARY KEY,
        attempts INTEGER NOT NULL,
        first_at BIGINT NOT NULL
      );
      CREATE INDEX login_attempts_by_age ON login_attempts (first_at);
      CREATE TABLE calendar_feeds (
        org_id TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        token TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (org_id, provider_id)
      );`,
  },
  {
    // The notification worker's tables, as on SQLite (notifications/notification-store.ts), shared by
    // every node's worker (storage/pg/pg-notification-store.ts).
    version: 3,
    name: 'notification outbox, read position and daily runs',
    sql: `
      CREATE TABLE notify_seen_bookings (
        org_id TEXT NOT NULL, booking_id TEXT NOT NULL, state TEXT NOT NULL,
        PRIMARY KEY (org_id, booking_id)
      );
      CREATE TABLE notify_seen_requests (
        org_id TEXT NOT NULL, request_id TEXT NOT NULL, seen_at BIGINT NOT NULL,
        PRIMARY KEY (org_id, request_id)
      );
      CREATE TABLE notify_outbox (
        id BIGSERIAL PRIMARY KEY,
        org_id TEXT NOT NULL,
        idem_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        recipient_kind TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        recipient_name TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        hold_until BIGINT,
        subject TEXT, body_text TEXT, body_html TEXT, body_short TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        sent_at BIGINT,
        sent_via TEXT,
        revision INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until BIGINT
      );
      CREATE INDEX notify_outbox_due ON notify_outbox (status, next_attempt_at);
      CREATE INDEX notify_outbox_hold ON notify_outbox (status, hold_until);
      CREATE INDEX notify_outbox_lease ON notify_outbox (status, lease_until);
      CREATE INDEX notify_outbox_batch ON notify_outbox (org_id, recipient_kind, recipient_id, channel, status);
      CREATE TABLE notify_outbox_items (
        outbox_id BIGINT NOT NULL, booking_id TEXT NOT NULL, kinds TEXT NOT NULL, before_slot TEXT,
        PRIMARY KEY (outbox_id, booking_id)
      );
      CREATE INDEX notify_items_by_booking ON notify_outbox_items (booking_id, outbox_id);
      CREATE TABLE notify_event_keys (key TEXT PRIMARY KEY, outbox_id BIGINT NOT NULL);
      CREATE TABLE notify_daily (
        org_id TEXT NOT NULL, provider_id TEXT NOT NULL, date TEXT NOT NULL, outbox_id BIGINT NOT NULL,
        PRIMARY KEY (org_id, provider_id, date)
      );
      CREATE TABLE notify_orgs (org_id TEXT PRIMARY KEY, first_scan_at BIGINT NOT NULL);
      CREATE TABLE notify_daily_runs (
        org_id TEXT NOT NULL, date TEXT NOT NULL, at BIGINT NOT NULL,
        PRIMARY KEY (org_id, date)
      );`,
  },
];

/** pg_advisory_lock key for migrations ('crewline' as ASCII, fits in a bigint). */
const MIGRATION_LOCK = 0x637265776c696e;

export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) throw new Error(`the database was migrated by a newer server (schema ${newest}); this one knows ${known}`);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return known;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
