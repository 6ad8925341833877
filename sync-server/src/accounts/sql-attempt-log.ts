import { createHash } from 'node:crypto';
import type { SqlClient } from '../storage/sql-database';
import type { AttemptEntry, AttemptLog } from './login-throttle';

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * The sign-in throttle's attempts in the accounts database (`login_attempts`, SQLite or PostgreSQL): a
 * restart keeps the count, and on PostgreSQL every node counts against the same one. The account store
 * runs a throttle step inside one transaction, so two nodes cannot both read the same count.
 */
export class SqlAttemptLog implements AttemptLog {
  constructor(private readonly db: SqlClient) {}

  get(key: string): Promise<AttemptEntry | undefined> {
    return this.db.one<AttemptEntry>('SELECT attempts, first_at AS "firstAt" FROM login_attempts WHERE key_hash = ?', [hashOf(key)]);
  }

  async set(key: string, entry: AttemptEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO login_attempts (key_hash, attempts, first_at) VALUES (?, ?, ?)
       ON CONFLICT (key_hash) DO UPDATE SET attempts = excluded.attempts, first_at = excluded.first_at`,
      [hashOf(key), entry.attempts, entry.firstAt],
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.run('DELETE FROM login_attempts WHERE key_hash = ?', [hashOf(key)]);
  }

  async size(): Promise<number> {
    return (await this.db.one<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM login_attempts'))!.n;
  }

  async prune(before: number, keep: number): Promise<void> {
    await this.db.run('DELETE FROM login_attempts WHERE first_at < ?', [before]);
    const over = (await this.size()) - keep;
    if (over > 0) {
      await this.db.run(
        'DELETE FROM login_attempts WHERE key_hash IN (SELECT key_hash FROM login_attempts ORDER BY first_at, key_hash LIMIT ?)',
        [over],
      );
    }
  }
}
