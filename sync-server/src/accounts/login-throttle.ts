import { AccountError } from './account-errors';

export interface LoginThrottleOptions {
  /** Attempts allowed per key within `windowMs` without a success; the next one is refused until the window ends. */
  maxFailures?: number;
  windowMs?: number;
  /** Memory bound: beyond this many keys the oldest are forgotten. */
  maxKeys?: number;
  now?: () => number;
}

export interface AttemptEntry {
  /** Attempts that failed or are still being checked. */
  attempts: number;
  firstAt: number;
}

/**
 * Where attempts are kept. In memory for a throttle on its own; the account store keeps them in its
 * database (SQLite or PostgreSQL, `sql-attempt-log.ts`) so a restart or another node does not hand a
 * guesser a fresh count.
 */
export interface AttemptLog {
  get(key: string): Promise<AttemptEntry | undefined>;
  set(key: string, entry: AttemptEntry): Promise<void>;
  delete(key: string): Promise<void>;
  size(): Promise<number>;
  /** Forgets entries that started before `before`, then the oldest until at most `keep` remain. */
  prune(before: number, keep: number): Promise<void>;
}

export class MemoryAttemptLog implements AttemptLog {
  private readonly entries = new Map<string, AttemptEntry>();
  get = async (key: string) => this.entries.get(key);
  async set(key: string, entry: AttemptEntry): Promise<void> {
    this.entries.set(key, entry);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async size(): Promise<number> {
    return this.entries.size;
  }
  async prune(before: number, keep: number): Promise<void> {
    for (const [key, entry] of this.entries) if (entry.firstAt < before) this.entries.delete(key);
    // Still full: forget the oldest (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size <= keep) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Slows password guessing per email + client address: after `maxFailures` wrong passwords in a window,
 * that pair is refused (429) until the window ends, even with the right password. Where the attempts are
 * kept is the `log` (kept across restarts by the account store).
 *
 * An attempt is counted when it starts (`begin`), before the slow password check: were it counted only
 * once scrypt answered, a guesser sending many requests at once would have them all checked before the
 * first failure is recorded. A right password clears the count (`succeeded`).
 */
export class LoginThrottle {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(
    options: LoginThrottleOptions = {},
    private readonly log: AttemptLog = new MemoryAttemptLog(),
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reserves one attempt for the key, counted as a failure unless `succeeded` follows. Throws
   * `too_many_attempts` (with the seconds until the window ends) when the key has none left.
   */
  async begin(key: string): Promise<void> {
    const entry = await this.current(key);
    if (!entry) {
      if ((await this.log.size()) >= this.maxKeys) await this.log.prune(this.now() - this.windowMs, this.maxKeys - 1);
      await this.log.set(key, { attempts: 1, firstAt: this.now() });
      return;
    }
    if (entry.attempts >= this.maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil((entry.firstAt + this.windowMs - this.now()) / 1000));
      throw new AccountError(
        'too_many_attempts',
        `Too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
        undefined,
        retryAfterSeconds,
      );
    }
    await this.log.set(key, { ...entry, attempts: entry.attempts + 1 });
  }

  /** The password was right: the key starts afresh. */
  async succeeded(key: string): Promise<void> {
    await this.log.delete(key);
  }

  private async current(key: string): Promise<AttemptEntry | undefined> {
    const entry = await this.log.get(key);
    if (entry && this.now() - entry.firstAt >= this.windowMs) {
      await this.log.delete(key);
      return undefined;
    }
    return entry;
  }
}
