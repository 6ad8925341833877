import { setImmediate as nextTurn } from 'node:timers/promises';
import { dayBoundsMs, fail, localDateOf, ok, toMs, type Booking, type Customer, type EventName, type EventPayloads, type Handlers, type Result } from '../../../core/index';
import { fillDaySteps, type FillDayInput, type FillDayResult, type FillProgress } from '../../../core/assistant/fill-day';
import type { LocalStore } from '../store/local-store';
import { queue, stagedBookings } from './board-view';

type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** How long one slice of a fill runs before the backend answers other requests (ms). */
export const FILL_SLICE_MS = 25;

interface Run {
  runId: string | null;
  cancelled: boolean;
}

/**
 * `assistant:fillDay` and `assistant:cancel`: the day as the dispatcher sees it (staged edits applied) read
 * once from the local store, then the pure fill run in slices of FILL_SLICE_MS with a turn of the event loop
 * between them, so the board's own requests are answered meanwhile. One fill at a time: a newer one
 * cancels the one running. The answer is a proposal; the renderer stages it (`draft:stageMany`).
 */
export function fillDayHandlers(store: LocalStore, emit: Emit): Pick<Handlers, 'assistant:fillDay' | 'assistant:cancel'> {
  let running: Run | null = null;
  return {
    'assistant:fillDay': async ({ day, bookingIds, runId }) => {
      const input = fillDayInput(store, day, bookingIds);
      if (!input.ok) return input;
      if (running) running.cancelled = true;
      const run: Run = { runId: runId ?? null, cancelled: false };
      running = run;
      try {
        const result = await inSlices(fillDaySteps(input.value), run, (p) => emit('assistant:progress', { runId: run.runId, ...p }));
        return result ? ok(result) : fail('conflict', 'Cancelled');
      } finally {
        if (running === run) running = null;
      }
    },
    'assistant:cancel': ({ runId }) => {
      if (!running || (runId !== undefined && running.runId !== runId)) return ok({ cancelled: false });
      running.cancelled = true;
      return ok({ cancelled: true });
    },
  };
}

async function inSlices(steps: Generator<FillProgress, FillDayResult, void>, run: Run, progress: (p: FillProgress) => void): Promise<FillDayResult | null> {
  for (;;) {
    const until = performance.now() + FILL_SLICE_MS;
    let next = steps.next();
    while (!next.done && performance.now() < until) next = steps.next();
    if (next.done) return next.value;
    progress(next.value);
    await nextTurn();
    if (run.cancelled) return null;
  }
}

/** What `fillDay` works from: the jobs to place and the rest of the day, staged edits applied. */
export function fillDayInput(store: LocalStore, day: string, bookingIds?: readonly string[]): Result<FillDayInput> {
  const { queries } = store;
  const settings = queries.settings();
  const zone = settings.timeZone;
  const staged = stagedBookings(store);
  let jobs: Booking[];
  if (bookingIds) {
    jobs = [];
    for (const id of bookingIds) {
      const job = staged.get(id) ?? queries.booking(id);
      if (!job) return fail('not_found', `Booking ${id} does not exist`, { fieldErrors: { bookingIds: `No booking with id ${id}` } });
      jobs.push(job);
    }
  } else {
    // The queue's jobs dated that day, and the undated ones.
    jobs = queue(store).filter((b) => !b.slot || localDateOf(toMs(b.slot.start), zone) === day);
  }
  const [from, to] = dayBoundsMs(day, zone);
  const bookings: Booking[] = queries.bookingsInRange(from, to).filter((b) => !staged.has(b.id));
  for (const b of staged.values()) if (b.slot && toMs(b.slot.start) < to && toMs(b.slot.end) > from) bookings.push(b);
  const customers = new Map<string, Customer>();
  for (const b of [...jobs, ...bookings]) {
    if (b.customerId === null || customers.has(b.customerId)) continue;
    const customer = queries.customer(b.customerId);
    if (customer) customers.set(customer.id, customer);
  }
  return ok({
    day,
    // Filling today: nothing is placed in the past.
    notBefore: store.clock(),
    settings,
    providers: queries.providers({ includeInactive: true }),
    services: queries.services(),
    customers: [...customers.values()],
    jobs,
    bookings,
  });
}
