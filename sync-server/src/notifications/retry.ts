/**
 * When to try a failed delivery again (pure): exponential backoff with jitter, or the channel's own
 * Retry-After when it gave one, and when to give up.
 */

export interface RetryPolicy {
  /** The first retry waits about this long; each further one twice as long. */
  baseMs: number;
  /** No wait is longer than this (Retry-After included). */
  maxMs: number;
  /** Attempts before a message is dead-lettered. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, maxMs: 60 * 60_000, maxAttempts: 8 };

/**
 * The wait after the `attempts`-th failed attempt (1-based): base·2^(attempts-1), capped, with "equal
 * jitter" — half fixed, half random — so a burst of failures does not retry in lockstep, yet never
 * retries at once.
 */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
  const half = exp / 2;
  return Math.round(half + random() * half);
}

/**
 * `Retry-After` (RFC 9110): delay-seconds or an HTTP date. Null when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

export type RetryDecision = { dead: true } | { dead: false; nextAttemptAt: number };

/**
 * After a retryable failure on attempt `attempts`: dead once the cap is reached, else the next attempt
 * time — the channel's Retry-After when it asked for one (it knows its own load better), else backoff.
 */
export function decideRetry(
  attempts: number,
  nowMs: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): RetryDecision {
  if (attempts >= policy.maxAttempts) return { dead: true };
  const wait = retryAfterMs !== undefined ? Math.min(policy.maxMs, retryAfterMs) : backoffMs(attempts, policy, random);
  return { dead: false, nextAttemptAt: nowMs + wait };
}

/** HTTP statuses worth retrying: timeouts, rate limits and server trouble. Other 4xx are the sender's fault. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 425 || status === 429 || status >= 500;
