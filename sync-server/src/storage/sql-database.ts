/**
 * The small SQL surface the accounts and calendar-feed stores are written against (issue 23, 1), so their
 * rules exist once and run on either engine: the embedded SQLite file (`SqliteDatabase`) or a shared
 * PostgreSQL (`storage/pg/pg-sql-database.ts`). Statements use `?` placeholders and SQL both engines read
 * alike (integers for times and flags, `CAST(count(*) AS INTEGER)`, `ON CONFLICT … DO UPDATE`).
 *
 * A transaction behaves as if it ran alone on both engines: SQLite takes the write lock at BEGIN
 * (IMMEDIATE); PostgreSQL runs it SERIALIZABLE and runs the function again after a serialization failure,
 * so a transaction's function must do nothing but statements on its `tx` (no events, no slow work).
 */
import Database from 'better-sqlite3';

export type SqlParam = string | number | null;

export interface SqlClient {
  one<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  many<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs a write; the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

export interface SqlDatabase extends SqlClient {
  readonly engine: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** The columns of the unique key a failed write broke (`email`, `org_id, provider_id`), or null for any other error. */
  uniqueViolation(error: unknown): string | null;
  close(): Promise<void>;
}

/** Runs one task at a time, in call order. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => {});
    return result;
  }
}

/**
 * One queue per database file in this process: two stores on one file (tests standing for two nodes)
 * must not interleave, or the second's BEGIN IMMEDIATE would block the thread the first needs to commit.
 */
const queues = new Map<string, Queue>();

/**
 * better-sqlite3 behind the async surface. Its calls are synchronous, but a transaction's function is
 * async, so statements of other callers could slip into an open transaction between its awaits: every
 * statement outside a transaction waits in one queue behind the transactions (each lasts microseconds).
 */
export class SqliteDatabase implements SqlDatabase {
  readonly engine = 'sqlite';
  private readonly statements = new Map<string, Database.Statement>();
  private readonly queue: Queue;
  private readonly direct: SqlClient;

  constructor(readonly db: Database.Database) {
    const file = db.memory ? null : db.name;
    this.queue = (file !== null && queues.get(file)) || new Queue();
    if (file !== null) queues.set(file, this.queue);
    const stmt = (sql: string) => {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        this.statements.set(sql, statement);
      }
      return statement;
    };
    this.direct = {
      one: async <T>(sql: string, params: readonly SqlParam[] = []) => stmt(sql).get(...params) as T | undefined,
      many: async <T>(sql: string, params: readonly SqlParam[] = []) => stmt(sql).all(...params) as T[],
      run: async (sql, params = []) => stmt(sql).run(...params).changes,
    };
  }

  one<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    return this.queue.run(() => this.direct.one<T>(sql, params));
  }

  many<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.queue.run(() => this.direct.many<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.queue.run(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      // IMMEDIATE: another process (the admin CLI) waits for our lock (busy_timeout) instead of failing midway.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  uniqueViolation(error: unknown): string | null {
    // "UNIQUE constraint failed: users.org_id, users.provider_id"
    const match = error instanceof Error ? /UNIQUE constraint failed: (.*)$/.exec(error.message) : null;
    return match ? match[1]!.replace(/\b\w+\./g, '') : null;
  }

  async close(): Promise<void> {
    await this.queue.run(async () => this.db.close());
  }
}
