import { dayBoundsMs, fail, isClosed, ok, toMs, type Booking, type Customer, type Handlers } from '../../../core/index';
import { todayIn } from '../../../core/clock';
import { planningDay, plannedMs, suggest, type SuggestWorld } from '../../../core/assistant/suggest';
import type { LocalStore } from '../store/local-store';
import { conflictWorld, stagedBookings } from './board-view';

/**
 * `assistant:suggest` (issue #19): every provider ranked for one job by core/assistant/suggest.ts, on the
 * board as the dispatcher sees it: staged edits applied, to the job itself and to everyone's day. The
 * answer is advice; picking one stages it through `draft:stage` like a drop.
 */
export function suggestHandlers(store: LocalStore): Pick<Handlers, 'assistant:suggest'> {
  // Earlier jobs for a customer, per provider. A scan of the bookings' leading columns (there is no index
  // on customer_id; the start index made SQLite fetch every earlier row instead, twice as slow): ~10 ms at
  // 10k bookings. Archived jobs are not counted: their assignees are no longer indexed.
  const servedStmt = store.db.prepare(
    `SELECT a.provider_id AS provider, count(*) AS jobs FROM bookings b CROSS JOIN booking_assignees a ON a.booking_id = b.id
     WHERE b.customer_id = ? AND +b.start_ms < ? AND b.status != 'cancelled' AND b.id != ? GROUP BY a.provider_id`,
  );
  // The roster as the ranking reads it, kept between requests until the roster changes (a few ms of
  // parsing per request otherwise: 200 providers, hundreds of customers).
  let roster: { world: SuggestWorld; customers: Map<string, Customer | null> } | null = null;
  store.onChange(({ changed }) => {
    if (changed.providers.length || changed.customers.length || changed.services.length || changed.settings.length) roster = null;
  });
  const rosterNow = () => (roster ??= { world: { ...conflictWorld(store), settings: store.queries.settings() }, customers: new Map() });

  return {
    'assistant:suggest': ({ id, day }) => {
      const saved = store.queries.booking(id);
      if (!saved) return fail('not_found', `Booking ${id} does not exist`, { fieldErrors: { id: 'No booking with this id' } });
      const staged = stagedBookings(store);
      const booking: Booking = staged.get(id) ?? saved;
      if (isClosed(booking.status)) return fail('conflict', `"${booking.title}" is ${booking.status}: there is nobody to suggest for it`);
      const { world, customers: known } = rosterNow();
      const zone = world.settings.timeZone;
      const date = planningDay(booking, day ?? todayIn(store.clock, zone), zone);
      const [from, to] = dayBoundsMs(date, zone);
      // The day, and as far past midnight as the job itself could run.
      const until = to + plannedMs(booking, world);

      const stagedList = [...staged.values()];
      const rows = new Map<string, Booking[]>();
      const bookingsOf = (providerId: string): Booking[] => {
        let list = rows.get(providerId);
        if (!list) {
          list = store.queries.providerBookings(providerId, from, until).filter((b) => !staged.has(b.id));
          for (const b of stagedList) {
            if (b.slot?.assignees.includes(providerId) && toMs(b.slot.start) < until && toMs(b.slot.end) > from) list.push(b);
          }
          rows.set(providerId, list);
        }
        return list;
      };
      const assigned = new Set(booking.slot?.assignees ?? []);
      const providers = [...world.providers.values()].filter((p) => p.active || assigned.has(p.id));

      // Only the customers of the job and of the stops around it are read.
      const customers = new Map<string, Customer>();
      const wantCustomer = (cid: string | null) => {
        if (!cid || customers.has(cid)) return;
        let c = known.get(cid);
        if (c === undefined) known.set(cid, (c = store.queries.customer(cid) ?? null));
        if (c) customers.set(cid, c);
      };
      wantCustomer(booking.customerId);
      for (const p of providers) for (const b of bookingsOf(p.id)) wantCustomer(b.customerId);

      const served = new Map<string, number>();
      if (booking.customerId) {
        for (const row of servedStmt.all(booking.customerId, from, id) as Array<{ provider: string; jobs: number }>) served.set(row.provider, row.jobs);
      }
      return ok(suggest({ world, booking, day: date, providers, bookingsOf, customers, served, notBefore: store.clock() }));
    },
  };
}
