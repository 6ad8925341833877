import { listCustomers, listProviders, listServices, readSettings } from '../../../core/doc/roster';
import { listBookings, scheduleMaps } from '../../../core/doc/schedule';
import type { FieldWorld } from '../../../core/field/field-jobs';
import type { HistoryDigest } from '../../../core/field/calendar-entries';
import type { OrgDocs } from '../sync/org-docs';

/** What the field API and the calendar feeds read of an organization, as plain data. */
export function fieldWorldOf(docs: OrgDocs): FieldWorld {
  return {
    settings: readSettings(docs.roster),
    providers: listProviders(docs.roster),
    customers: listCustomers(docs.roster),
    services: listServices(docs.roster),
    bookings: listBookings(docs.schedule),
  };
}

/** A booking's history length and newest entry, without copying the entries. */
export function historyDigest(docs: OrgDocs, bookingId: string): HistoryDigest {
  const log = scheduleMaps(docs.schedule).history.get(bookingId);
  if (!log || log.length === 0) return { count: 0, lastAt: null };
  return { count: log.length, lastAt: log.get(log.length - 1).at };
}
