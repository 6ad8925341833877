/**
 * Moving a server from its SQLite files to PostgreSQL (issue 23, 4): copies every room's snapshot and
 * update log from `<dataDir>/rooms.sqlite` into a PostgreSQL database, oldest row first, and the accounts
 * and calendar feed tokens (`copy-accounts.ts`), all in one transaction. Run it with the server stopped; a database that already holds rooms is refused, so a copy is
 * never merged into another server's data by mistake.
 *
 *   npx tsx sync-server/src/storage/copy-to-postgres.ts --data-dir <dir> --database-url postgres://…
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ROOMS_FILE } from '../sync/room-store';
import { copyNotifications, type NotificationCopy } from './copy-notifications';
import { copyAccounts, holdsAccounts, type AccountsCopied } from './copy-accounts';
import { migrate } from './pg/migrations';

export interface CopyResult {
  rooms: number;
  snapshots: number;
  updates: number;
  /** The notification outbox and daily-run records (copy-notifications.ts). */
  notifications: NotificationCopy;
  accounts: AccountsCopied;
}

const BATCH = 500;

export async function copyRoomsToPostgres(dataDir: string, databaseUrl: string, now: () => number = Date.now): Promise<CopyResult> {
  const file = join(dataDir, ROOMS_FILE);
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const sqlite = new Database(file, { readonly: true });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await migrate(pool);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ n: string }>('SELECT (SELECT count(*) FROM room_updates) + (SELECT count(*) FROM room_snapshots) AS n');
      if (Number(rows[0]!.n) > 0) throw new Error('the PostgreSQL database already holds rooms; copy into an empty one');
      if (await holdsAccounts(client)) throw new Error('the PostgreSQL database already holds accounts; copy into an empty one');
      const accounts = await copyAccounts(dataDir, client);
      const snapshots = sqlite.prepare('SELECT room, data, through_id, at FROM room_snapshots ORDER BY room').all() as {
        room: string;
        data: Buffer;
        through_id: number;
        at: number;
      }[];
      for (const s of snapshots) {
        // Every copied log row gets a new id above any through_id: the snapshot covers none of them.
        await client.query('INSERT INTO room_snapshots (room, data, through_id, at) VALUES ($1, $2, 0, $3)', [s.room, s.data, s.at]);
      }
      let updates = 0;
      let batch: { room: string; data: Buffer; at: number }[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await client.query(
          'INSERT INTO room_updates (room, data, at) SELECT t.room, t.data, t.at FROM unnest($1::text[], $2::bytea[], $3::bigint[]) WITH ORDINALITY AS t(room, data, at, n) ORDER BY t.n',
          [batch.map((r) => r.room), batch.map((r) => r.data), batch.map((r) => r.at)],
        );
        updates += batch.length;
        batch = [];
      };
      for (const row of sqlite.prepare('SELECT room, data, at FROM room_updates ORDER BY id').iterate() as IterableIterator<{
        room: string;
        data: Buffer;
        at: number;
      }>) {
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      const notifications = await copyNotifications(sqlite, client, now());
      await client.query('COMMIT');
      const rooms = new Set(snapshots.map((s) => s.room));
      for (const r of sqlite.prepare('SELECT DISTINCT room FROM room_updates').pluck().all() as string[]) rooms.add(r);
      return { rooms: rooms.size, snapshots: snapshots.length, updates, notifications, accounts };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } finally {
    sqlite.close();
    await pool.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } } });
  if (!values['data-dir'] || !values['database-url']) {
    console.error('Usage: npx tsx sync-server/src/storage/copy-to-postgres.ts --data-dir <dir> --database-url postgres://…');
    process.exit(2);
  }
  copyRoomsToPostgres(values['data-dir'], values['database-url']).then(
    (r) =>
      console.log(
        `Copied ${r.rooms} rooms (${r.snapshots} snapshots, ${r.updates} logged updates), ${r.accounts.organizations} organizations, ` +
          `${r.accounts.users} users (${r.accounts.tokens} tokens, ${r.accounts.codes} one-time codes), ${r.accounts.feeds} calendar feeds, ` +
          `${r.notifications.outbox} notifications and ${r.notifications.dailyRuns} daily runs to PostgreSQL.`,
      ),
    (error: unknown) => {
      console.error(`copy failed, nothing was written: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
