/**
 * The accounts' and calendar feeds' SQL surface (`storage/sql-database.ts`) on PostgreSQL, shared by every
 * node. Transactions run SERIALIZABLE and are retried on a serialization failure or deadlock, which gives
 * the same all-alone behaviour SQLite's single writer gives (two nodes redeeming one invite: one wins, the
 * retried other finds the code used).
 */
import pg from 'pg';
import type { SqlClient, SqlDatabase, SqlParam } from '../sql-database';
import { errorFields, type Log } from '../../log';
import { migrate } from './migrations';

/** Times are epoch ms in BIGINT columns: read them as numbers (safe far beyond any date we store). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 20;

/** `?` to `$1, $2, …` (our statements hold no `?` inside string literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Queryable = pg.Pool | pg.PoolClient;

function clientOf(q: Queryable): SqlClient {
  return {
    one: async <T>(sql: string, params: readonly SqlParam[] = []) =>
      (await q.query(numbered(sql), params as SqlParam[])).rows[0] as T | undefined,
    many: async <T>(sql: string, params: readonly SqlParam[] = []) => (await q.query(numbered(sql), params as SqlParam[])).rows as T[],
    run: async (sql, params = []) => (await q.query(numbered(sql), params as SqlParam[])).rowCount ?? 0,
  };
}

export class PgSqlDatabase implements SqlDatabase {
  readonly engine = 'postgres';
  private readonly direct: SqlClient;

  private constructor(readonly pool: pg.Pool) {
    this.direct = clientOf(pool);
  }

  /** Connects and brings the schema up to date (the same numbered migrations as the rooms). */
  static async open(url: string, options: { maxConnections?: number; onError?: (error: unknown) => void } = {}): Promise<PgSqlDatabase> {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 5, types });
    pool.on('error', (error) => (options.onError ?? console.error)(error));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgSqlDatabase(pool);
  }

  one<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    return this.direct.one<T>(sql, params);
  }

  many<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.direct.many<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        try {
          const result = await fn(clientOf(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
          // Another node's transaction won this round: back off a little, then decide afresh.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        }
      }
    } finally {
      client.release();
    }
  }

  uniqueViolation(error: unknown): string | null {
    const e = error as { code?: unknown; detail?: unknown };
    if (e?.code !== '23505') return null;
    // detail: 'Key (org_id, provider_id)=(…) already exists.'
    const match = typeof e.detail === 'string' ? /^Key \(([^)]*)\)/.exec(e.detail) : null;
    return match ? match[1]! : '';
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /**
   * Calls `onNotice` with each payload sent on `channel` (by any node). Its own connection, outside the
   * pool; a lost connection is reopened after a second, and the stop function ends it.
   */
  listen(channel: string, onNotice: (payload: string) => void, log: Log): () => void {
    let stopped = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | undefined;
    const connect = () => {
      const c = new pg.Client(this.pool.options);
      client = c;
      const again = (error: unknown) => {
        if (stopped || client !== c) return;
        log.warn({ event: 'accounts_listen_failed', ...errorFields(error) }, 'lost the accounts notice channel, reconnecting');
        client = null;
        void c.end().catch(() => {});
        retry = setTimeout(connect, 1000);
        retry.unref();
      };
      c.on('error', again);
      c.on('notification', (message) => {
        if (message.channel === channel) onNotice(message.payload ?? '');
      });
      c.connect()
        .then(() => c.query(`LISTEN ${pg.escapeIdentifier(channel)}`))
        .catch(again);
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      void client?.end().catch(() => {});
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
