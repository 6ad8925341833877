import { describe, expect, it } from 'vitest';
import { AccountError } from './account-errors';
import Database from 'better-sqlite3';
import { migrateAccounts } from './account-schema';
import { LoginThrottle, MemoryAttemptLog, type AttemptLog, type LoginThrottleOptions } from './login-throttle';
import { SqliteAttemptLog } from './sqlite-attempt-log';

/** One suite, run against every place attempts are kept. */
const LOGS: Array<[string, () => AttemptLog]> = [
  ['in memory', () => new MemoryAttemptLog()],
  [
    'in accounts.sqlite',
    () => {
      const db = new Database(':memory:');
      migrateAccounts(db);
      return new SqliteAttemptLog(db);
    },
  ],
];

const refused = (throttle: LoginThrottle, key: string): boolean => {
  try {
    throttle.begin(key);
    return false;
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    return true;
  }
};

describe.each(LOGS)('LoginThrottle, attempts kept %s', (_name, makeLog) => {
  const throttleOf = (options: LoginThrottleOptions) => new LoginThrottle(options, makeLog());

  it('counts an attempt when it begins: the one after maxFailures is refused until the window ends', () => {
    let now = 0;
    const throttle = throttleOf({ maxFailures: 3, windowMs: 60_000, now: () => now });
    // Three attempts in flight at once (none has answered yet): the fourth is refused before any check.
    for (let i = 0; i < 3; i++) throttle.begin('a');
    now = 20_000;
    try {
      throttle.begin('a');
      expect.unreachable('the fourth attempt must be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(AccountError);
      expect(error).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 40 });
    }
    expect(refused(throttle, 'b')).toBe(false);
    now = 60_000;
    expect(refused(throttle, 'a')).toBe(false);
  });

  it('a success clears the key', () => {
    const throttle = throttleOf({ maxFailures: 3, now: () => 0 });
    throttle.begin('c');
    throttle.begin('c');
    throttle.succeeded('c');
    for (let i = 0; i < 3; i++) expect(refused(throttle, 'c')).toBe(false);
    expect(refused(throttle, 'c')).toBe(true);
  });

  it('stays within maxKeys by forgetting the oldest keys', () => {
    const throttle = throttleOf({ maxFailures: 1, maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) throttle.begin(`key ${i}`);
    expect(refused(throttle, 'key 999')).toBe(true);
    // The first keys were dropped to make room, so they are no longer locked (and this attempt counts again).
    expect(refused(throttle, 'key 0')).toBe(false);
    const locked = Array.from({ length: 1000 }, (_, i) => i).filter((i) => refused(throttle, `key ${i}`));
    expect(locked.length).toBeLessThanOrEqual(100);
    expect(locked.length).toBeGreaterThan(0);
  });
});
