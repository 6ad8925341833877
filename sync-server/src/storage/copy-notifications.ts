/**
 * The notification worker's tables in the move from SQLite to PostgreSQL (copy-to-postgres.ts): the outbox
 * with its items and event keys, the read position, and the daily-run records, row for row with their ids,
 * so nothing already sent, enqueued or seen is sent again by the PostgreSQL nodes. Columns a SQLite file of
 * an older schema lacks take PostgreSQL's defaults; an attempt the stopped server left `sending` is due
 * again (as the SQLite server itself would do at its next start).
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

export interface NotificationCopy {
  outbox: number;
  dailyRuns: number;
}

/** Parent rows first; all of them exist on PostgreSQL after migration 3. */
const TABLES = [
  'notify_orgs',
  'notify_seen_bookings',
  'notify_seen_requests',
  'notify_outbox',
  'notify_outbox_items',
  'notify_event_keys',
  'notify_daily',
  'notify_daily_runs',
] as const;

/** Bound parameters per INSERT stay well under PostgreSQL's 65,535. */
const MAX_PARAMS = 20_000;

/** Copies inside the caller's transaction on `client`; a file without notification tables copies nothing. */
export async function copyNotifications(sqlite: Database.Database, client: pg.PoolClient, nowMs: number): Promise<NotificationCopy> {
  const present = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'notify_%'").pluck().all() as string[]);
  const { rows: existing } = await client.query<{ n: string }>('SELECT count(*) AS n FROM notify_outbox');
  if (Number(existing[0]!.n) > 0) throw new Error('the PostgreSQL database already holds notifications; copy into an empty one');
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    counts[table] = 0;
    if (!present.has(table)) continue;
    const sqliteColumns = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    const { rows: pgColumns } = await client.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
      [table],
    );
    const wanted = new Set(pgColumns.map((c) => c.column_name));
    const columns = sqliteColumns.filter((c) => wanted.has(c));
    const perInsert = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, batch.flat());
      counts[table]! += batch.length;
      batch = [];
    };
    const select = sqlite.prepare(`SELECT ${columns.join(', ')} FROM ${table}${table === 'notify_outbox' ? ' ORDER BY id' : ''}`).raw();
    for (const row of select.iterate() as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length >= perInsert) await flush();
    }
    await flush();
  }
  // New rows continue after the copied ids (items, event keys and daily records refer to them).
  await client.query("SELECT setval(pg_get_serial_sequence('notify_outbox', 'id'), coalesce((SELECT max(id) FROM notify_outbox), 0) + 1, false)");
  await client.query(
    "UPDATE notify_outbox SET status = 'pending', next_attempt_at = $1, lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE status = 'sending'",
    [nowMs],
  );
  return { outbox: counts.notify_outbox!, dailyRuns: counts.notify_daily_runs! };
}
