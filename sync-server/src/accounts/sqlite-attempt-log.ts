import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AttemptEntry, AttemptLog } from './login-throttle';

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** The sign-in throttle's attempts in accounts.sqlite (`login_attempts`): a restart keeps the count. */
export class SqliteAttemptLog implements AttemptLog {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT attempts, first_at AS firstAt FROM login_attempts WHERE key_hash = ?'),
      set: db.prepare('INSERT OR REPLACE INTO login_attempts (key_hash, attempts, first_at) VALUES (?, ?, ?)'),
      delete: db.prepare('DELETE FROM login_attempts WHERE key_hash = ?'),
      size: db.prepare('SELECT count(*) FROM login_attempts').pluck(),
      pruneOld: db.prepare('DELETE FROM login_attempts WHERE first_at < ?'),
      pruneOldest: db.prepare(
        'DELETE FROM login_attempts WHERE key_hash IN (SELECT key_hash FROM login_attempts ORDER BY first_at, key_hash LIMIT ?)',
      ),
    };
  }

  get(key: string): AttemptEntry | undefined {
    return this.stmts.get.get(hashOf(key)) as AttemptEntry | undefined;
  }

  set(key: string, entry: AttemptEntry): void {
    this.stmts.set.run(hashOf(key), entry.attempts, entry.firstAt);
  }

  delete(key: string): void {
    this.stmts.delete.run(hashOf(key));
  }

  get size(): number {
    return this.stmts.size.get() as number;
  }

  prune(before: number, keep: number): void {
    this.stmts.pruneOld.run(before);
    const over = this.size - keep;
    if (over > 0) this.stmts.pruneOldest.run(over);
  }
}
