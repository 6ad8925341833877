import { dayBoundsMs, fail, ok, toMs, type Booking, type Customer, type Handlers } from '../../../core/index';
import { orderRoute } from '../../../core/assistant/order-route';
import { travelModelOf } from '../../../core/travel';
import type { LocalStore } from '../store/local-store';
import { conflictWorld, stagedBookings } from './board-view';

/**
 * `assistant:orderRoute` (issue #19): one provider's day reordered by `core/assistant/order-route.ts`,
 * judged on the board as the dispatcher sees it (staged edits applied), so the proposal starts from what
 * they are looking at. It only proposes: the renderer stages the new slots (`draft:stageMany`), one undo step.
 */
export function routeOrderHandlers(store: LocalStore): Pick<Handlers, 'assistant:orderRoute'> {
  return {
    'assistant:orderRoute': ({ providerId, day }) => {
      const provider = store.queries.provider(providerId);
      if (!provider) return fail('not_found', `No service provider with id ${providerId}`, { fieldErrors: { providerId: 'No service provider with this id' } });
      const settings = store.queries.settings();
      const [from, to] = dayBoundsMs(day, settings.timeZone);
      const staged = stagedBookings(store);
      // The row that day: saved jobs not staged elsewhere, and staged jobs that now land on it.
      const bookings: Booking[] = store.queries.providerBookings(providerId, from, to).filter((b) => !staged.has(b.id));
      for (const b of staged.values()) {
        if (b.slot?.assignees.includes(providerId) && toMs(b.slot.start) < to && toMs(b.slot.end) > from) bookings.push(b);
      }
      const customers = new Map<string, Customer>();
      for (const b of bookings) {
        if (!b.customerId || customers.has(b.customerId)) continue;
        const customer = store.queries.customer(b.customerId);
        if (customer) customers.set(customer.id, customer);
      }
      return ok(orderRoute({ world: conflictWorld(store), provider, day, bookings, customers, travel: travelModelOf(settings) }));
    },
  };
}
