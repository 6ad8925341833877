import { listCustomers, listProviders, listServices, readSettings } from '../../../core/doc/roster';
import { listBookings, readHistory } from '../../../core/doc/schedule';
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

/** A booking's history length and newest entry, counting only entries that read as entries (`readHistory`). */
export function historyDigest(docs: OrgDocs, bookingId: string): HistoryDigest {
  const entries = readHistory(docs.schedule, bookingId);
  return { count: entries.length, lastAt: entries.at(-1)?.at ?? null };
}
