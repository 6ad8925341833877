import { Temporal } from 'temporal-polyfill';
import { localDateOf, type Instant, type LocalDate } from './time';

/**
 * The one answer to "what time is it?" (docs/architecture.md, "One clock"): epoch milliseconds. Every
 * module that asks — the desktop backend, the sync server (worker, field API, feeds, accounts, archiver)
 * and the renderer — takes a Clock instead of reading the system clock, so tests and the demo can set
 * the date for every process of a run at once and nothing mixes a pinned date with the real one.
 *
 * Durations (rate limits, timeouts, metrics) are not "now": they use the process's own timers.
 */
export type Clock = () => number;

/** Production: the operating system's clock. */
export const systemClock: Clock = () => Date.now();

/**
 * A clock that reads `startMs` at the moment it is made and then runs at the pace of `base`: what
 * `--now` gives the web host and the sync server, so timers, batch windows and "a minute later" still
 * behave while the date is the chosen one.
 */
export function clockStartingAt(startMs: number, base: Clock = systemClock): Clock {
  const offset = startMs - base();
  return () => base() + offset;
}

/** A clock that never moves, for pure tests. */
export const fixedClock =
  (ms: number): Clock =>
  () =>
    ms;

/** A clock a test moves by hand. */
export interface ManualClock {
  readonly now: Clock;
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(startMs: number): ManualClock {
  let at = startMs;
  return {
    now: () => at,
    set: (ms) => {
      at = ms;
    },
    advance: (ms) => {
      at += ms;
    },
  };
}

/** `now` as the documents store instants: ISO-8601 UTC, whole seconds. */
export const instantOf = (ms: number): Instant => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Today's date in a zone, by this clock. */
export const todayIn = (clock: Clock, zone: string): LocalDate => localDateOf(clock(), zone);

/**
 * Reads a `--now` flag: an ISO-8601 instant with a zone or offset (`2026-11-24T14:00:00Z`). Anything else
 * is refused with the reason, so a typo never silently leaves the real clock in charge.
 */
export function parseNowFlag(value: string): { ok: true; ms: number } | { ok: false; error: string } {
  try {
    return { ok: true, ms: Temporal.Instant.from(value).epochMilliseconds };
  } catch {
    return { ok: false, error: `--now must be an ISO-8601 instant such as 2026-11-24T14:00:00Z, got ${JSON.stringify(value)}` };
  }
}
