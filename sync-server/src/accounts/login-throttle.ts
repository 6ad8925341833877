import { AccountError } from './account-errors';

export interface LoginThrottleOptions {
  /** Attempts allowed per key within `windowMs` without a success; the next one is refused until the window ends. */
  maxFailures?: number;
  windowMs?: number;
  /** Memory bound: beyond this many keys the oldest are forgotten. */
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  /** Attempts that failed or are still being checked. */
  attempts: number;
  firstAt: number;
}

/**
 * Slows password guessing per email + client address: after `maxFailures` wrong passwords in a window,
 * that pair is refused (429) until the window ends, even with the right password. Kept in memory: a
 * restart forgets it, which costs a guesser a restart per few attempts.
 *
 * An attempt is counted when it starts (`begin`), before the slow password check: were it counted only
 * once scrypt answered, a guesser sending many requests at once would have them all checked before the
 * first failure is recorded. A right password clears the count (`succeeded`).
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reserves one attempt for the key, counted as a failure unless `succeeded` follows. Throws
   * `too_many_attempts` (with the seconds until the window ends) when the key has none left.
   */
  begin(key: string): void {
    const entry = this.current(key);
    if (!entry) {
      if (this.entries.size >= this.maxKeys) this.prune();
      this.entries.set(key, { attempts: 1, firstAt: this.now() });
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
    entry.attempts++;
  }

  /** The password was right: the key starts afresh. */
  succeeded(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.firstAt >= this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.firstAt >= this.windowMs) this.entries.delete(key);
    // Still full: forget the oldest (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}
