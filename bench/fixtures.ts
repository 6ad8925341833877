import { existsSync } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import { addDays, fromMs, localToMs, type Actor } from '../core/index';
import { createScaledSchedule, type ScaledScheduleSummary } from '../core/demo/scale';
import { LocalStore } from '../electron/backend/store/local-store';

export const BENCH_ACTOR: Actor = { id: 'bench', name: 'Bench', role: 'admin' };
const ZONE = 'America/Chicago';

/**
 * Builds a store through the real command path (same generator as the demo data) into `path`, with a
 * movable clock so closed jobs carry their real completion time and archiving by age works.
 */
export function buildStore(
  path: string,
  options: { providers: number; bookings: number; startDate: string; days: number; closeFraction?: number; archiveAfterDays?: number },
): { store: LocalStore; summary: ScaledScheduleSummary; seconds: number } {
  if (existsSync(path)) throw new Error(`${path} exists: benchmarks build fresh stores`);
  let clock = `${options.startDate}T00:00:00Z`;
  const store = LocalStore.open(path, { actor: BENCH_ACTOR, clock: () => Date.parse(clock), compactEvery: 1_000_000 });
  const started = performance.now();
  const asOf = addDays(options.startDate, options.days);
  const summary = store.batch(() =>
    createScaledSchedule((name, input, actor) => store.execute(name, input, actor), {
      ...options,
      timeZone: ZONE,
      seed: 7,
      asOf,
      setNow: (instant) => {
        clock = instant;
      },
    }),
  );
  if (options.archiveAfterDays !== undefined) {
    clock = fromMs(localToMs(asOf, '00:00', ZONE));
    const cutoff = Temporal.Instant.from(clock).subtract({ hours: 24 * options.archiveAfterDays }).toString();
    const archived = store.execute('archiveClosedBookings', { closedBefore: cutoff });
    if (!archived.ok) throw new Error(archived.error.message);
  }
  store.compact('roster');
  store.compact('schedule');
  store.clearUndoHistory();
  return { store, summary, seconds: (performance.now() - started) / 1000 };
}
