import { describe, expect, it } from 'vitest';
import { backoffMs, decideRetry, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry';

const policy: RetryPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 };

describe('retry policy', () => {
  it('doubles the wait with each attempt, half of it jittered, capped', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(500);
    expect(backoffMs(1, policy, () => 1)).toBe(1000);
    expect(backoffMs(3, policy, () => 0)).toBe(2000);
    expect(backoffMs(3, policy, () => 0.5)).toBe(3000);
    expect(backoffMs(20, policy, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => backoffMs(4, policy, () => i / 50)));
    expect(spread.size).toBeGreaterThan(40);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('honours Retry-After (capped), backs off otherwise, and gives up at the cap', () => {
    expect(decideRetry(1, 0, policy, () => 0, 7000)).toEqual({ dead: false, nextAttemptAt: 7000 });
    expect(decideRetry(1, 0, policy, () => 0, 10 * 60_000)).toEqual({ dead: false, nextAttemptAt: 60_000 });
    expect(decideRetry(2, 100, policy, () => 0)).toEqual({ dead: false, nextAttemptAt: 1100 });
    expect(decideRetry(5, 0, policy, () => 0)).toEqual({ dead: true });
  });

  it('retries timeouts, rate limits and server errors only', () => {
    expect([408, 425, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 422].some(isRetryableStatus)).toBe(false);
  });
});
