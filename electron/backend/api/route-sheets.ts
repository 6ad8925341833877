import { listText, pluralWord } from '../../../core/format';
import {
  buildRouteSheets,
  dayBoundsMs,
  fail,
  ok,
  type Customer,
  type RequestOutput,
  type Result,
  type RouteSheetsRequest,
} from '../../../core/index';
import type { LocalStore } from '../store/local-store';

/**
 * `routeSheets:get`: the day's saved bookings and the roster from the read tables, shaped by the pure model
 * in core (`core/route-sheets`). Works offline like every other query: it reads only the local store.
 */
export function routeSheets(store: LocalStore, request: RouteSheetsRequest): Result<RequestOutput<'routeSheets:get'>> {
  const { queries } = store;
  const settings = queries.settings();
  const providers = queries.providers({ includeInactive: true });
  const known = new Set(providers.map((p) => p.id));
  const unknown = (request.providerIds ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    return fail('not_found', `No service provider with id ${unknown[0]}`, {
      fieldErrors: { providerIds: `Unknown ${pluralWord(unknown.length, 'provider')}: ${listText(unknown)}` },
    });
  }
  const [from, to] = dayBoundsMs(request.date, settings.timeZone);
  // Every booking overlapping the day: the sheets' jobs and everything that can clash with them.
  const bookings = queries.bookingsInRange(from, to);
  const customers = new Map<string, Customer>();
  for (const b of bookings) {
    if (b.customerId === null || customers.has(b.customerId)) continue;
    const customer = queries.customer(b.customerId);
    if (customer) customers.set(customer.id, customer);
  }
  const sheets = buildRouteSheets(
    { settings, providers, customers: [...customers.values()], services: queries.services(), bookings },
    request,
  );
  return ok({ ...sheets, unsavedChanges: store.drafts.count() });
}
