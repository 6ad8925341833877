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
