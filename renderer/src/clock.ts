import { useSyncExternalStore } from 'react';
import type { Clock } from '../../core/clock';

/**
 * The console's clock follows its backend's (docs/architecture.md, "One clock"): the backend answers its
 * `now` with `app:getInfo`, and the console keeps the difference to the browser's own clock. A test or a
 * demo that starts the backend with `--now` so sets the date of the whole console; in production the two
 * read the same system clock and the difference is the round trip's noise.
 */
export interface ConsoleClock {
  readonly now: Clock;
  /** `backendNow` was read by the backend between `sentAt` and `receivedAt` (both by `base`). */
  follow(backendNow: number, sentAt: number, receivedAt: number): void;
  /** Calls `listener` when the clock is set again or, while subscribed, every `tickMs`. */
  subscribe(listener: () => void): () => void;
  /** The reading of the last tick: stable between ticks, as React's external stores need. */
  snapshot(): number;
}

export function createConsoleClock(base: Clock = () => Date.now(), tickMs = 60_000): ConsoleClock {
  let offset = 0;
  const now: Clock = () => base() + offset;
  let last = now();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  const notify = () => {
    last = now();
    for (const listener of [...listeners]) listener();
  };
  return {
    now,
    follow(backendNow, sentAt, receivedAt) {
      // The backend read its clock somewhere in the round trip: the middle is the best guess.
      offset = Math.round(backendNow - (sentAt + receivedAt) / 2);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      timer ??= setInterval(notify, tickMs);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    snapshot: () => last,
  };
}

/** The one clock of this console. */
export const consoleClock = createConsoleClock();

/** "Now" for a component, renewed every minute (running-late badges, the now line, "today"). */
export function useNow(): number {
  return useSyncExternalStore(consoleClock.subscribe, consoleClock.snapshot);
}
