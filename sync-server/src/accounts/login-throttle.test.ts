import { describe, expect, it } from 'vitest';
import { AccountError } from './account-errors';
import Database from 'better-sqlite3';
import { migrateAccounts } from './account-schema';
import { LoginThrottle, MemoryAttemptLog, type AttemptLog, type LoginThrottleOptions } from './login-throttle';
import { SqlAttemptLog } from './sql-attempt-log';
import { SqliteDatabase } from '../storage/sql-database';

/** One suite, run against every place attempts are kept. */
const LOGS: Array<[string, () => AttemptLog]> = [
  ['in memory', () => new MemoryAttemptLog()],
  [
    'in accounts.sqlite',
    () => {
      const db = new Database(':memory:');
      migrateAccounts(db);
      return new SqlAttemptLog(new SqliteDatabase(db));
    },
  ],
];

const refused = async (throttle: LoginThrottle, key: string): Promise<boolean> => {
  try {
    await throttle.begin(key);
    return false;
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    return true;
  }
};

describe.each(LOGS)('LoginThrottle, attempts kept %s', (_name, makeLog) => {
  const throttleOf = (options: LoginThrottleOptions) => new LoginThrottle(options, makeLog());

  it('counts an attempt when it begins: the one after maxFailures is refused until the window ends', async () => {
    let now = 0;
    const throttle = throttleOf({ maxFailures: 3, windowMs: 60_000, now: () => now });
    // Three attempts in flight at once (none has answered yet): the fourth is refused before any check.
    for (let i = 0; i < 3; i++) await throttle.begin('a');
    now = 20_000;
    try {
      await throttle.begin('a');
      expect.unreachable('the fourth attempt must be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(AccountError);
      expect(error).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 40 });
    }
    expect(await refused(throttle, 'b')).toBe(false);
    now = 60_000;
    expect(await refused(throttle, 'a')).toBe(false);
  });

  it('a success clears the key', async () => {
    const throttle = throttleOf({ maxFailures: 3, now: () => 0 });
    await throttle.begin('c');
    await throttle.begin('c');
    await throttle.succeeded('c');
    for (let i = 0; i < 3; i++) expect(await refused(throttle, 'c')).toBe(false);
    expect(await refused(throttle, 'c')).toBe(true);
  });

  it('stays within maxKeys by forgetting the oldest keys', async () => {
    const throttle = throttleOf({ maxFailures: 1, maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) await throttle.begin(`key ${i}`);
    expect(await refused(throttle, 'key 999')).toBe(true);
    // The first keys were dropped to make room, so they are no longer locked (and this attempt counts again).
    expect(await refused(throttle, 'key 0')).toBe(false);
    const locked: number[] = [];
    for (let i = 0; i < 1000; i++) if (await refused(throttle, `key ${i}`)) locked.push(i);
    expect(locked.length).toBeLessThanOrEqual(100);
    expect(locked.length).toBeGreaterThan(0);
  });
});
