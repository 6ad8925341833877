import { describe, expect, it } from 'vitest';
import { AccountError } from './account-errors';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('locks a key after maxFailures until the window ends; success clears it', () => {
    let now = 0;
    const throttle = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      throttle.check('a');
      throttle.recordFailure('a');
    }
    now = 20_000;
    expect(() => throttle.check('a')).toThrow(AccountError);
    try {
      throttle.check('a');
    } catch (error) {
      expect(error).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 40 });
    }
    throttle.check('b');
    now = 60_000;
    throttle.check('a');

    throttle.recordFailure('c');
    throttle.recordFailure('c');
    throttle.recordSuccess('c');
    throttle.recordFailure('c');
    throttle.recordFailure('c');
    throttle.check('c');
  });

  it('stays within maxKeys by forgetting the oldest keys', () => {
    const throttle = new LoginThrottle({ maxFailures: 1, maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) throttle.recordFailure(`key ${i}`);
    expect(() => throttle.check('key 999')).toThrow(AccountError);
    // The first keys were dropped to make room, so they are no longer locked.
    throttle.check('key 0');
    const locked = Array.from({ length: 1000 }, (_, i) => i).filter((i) => {
      try {
        throttle.check(`key ${i}`);
        return false;
      } catch {
        return true;
      }
    });
    expect(locked.length).toBeLessThanOrEqual(100);
    expect(locked.length).toBeGreaterThan(0);
  });
});
