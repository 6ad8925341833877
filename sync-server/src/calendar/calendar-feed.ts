import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getProvider } from '../../../core/doc/roster';
import { calendarEntries, type CalendarEntryStatus } from '../../../core/field/calendar-entries';
import { toMs } from '../../../core/time';
import { fieldWorldOf, historyDigest } from '../field/field-world';
import type { OrgDocs } from '../sync/org-docs';

const STATUS: Record<CalendarEntryStatus, ICalEventStatus> = {
  TENTATIVE: ICalEventStatus.TENTATIVE,
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

/**
 * RFC 5545 TEXT escaping for the calendar's name: ical-generator 11 escapes event texts but writes NAME and
 * X-WR-CALNAME as given, and a company called "Smith, Jones; Co" would otherwise break the line.
 */
const escapeText = (text: string) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** How often subscribed calendars are asked to refresh (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 15 * 60;

/**
 * A provider's jobs as an RFC 5545 calendar (ical-generator). Event times are UTC (`...Z`), exact in every
 * zone and across DST changes; the organization's zone is given as X-WR-TIMEZONE for display. UIDs,
 * SEQUENCE and cancelled events follow core/field/calendar-entries.ts.
 */
export function buildCalendarFeed(docs: OrgDocs, providerId: string, nowMs: number): string {
  const world = fieldWorldOf(docs);
  const provider = getProvider(docs.roster, providerId);
  const calendar = ical({
    name: escapeText(`${world.settings.name}: ${provider?.name ?? 'jobs'}`),
    description: 'Jobs from Crewline',
    prodId: { company: 'Crewline', product: 'Crewline sync server', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: FEED_REFRESH_SECONDS,
    x: { 'X-WR-TIMEZONE': world.settings.timeZone },
  });
  const stamp = new Date(nowMs);
  for (const entry of calendarEntries(world, providerId, nowMs, (id) => historyDigest(docs, id))) {
    calendar.createEvent({
      id: entry.uid,
      sequence: entry.sequence,
      start: new Date(toMs(entry.start)),
      end: new Date(toMs(entry.end)),
      stamp,
      created: new Date(toMs(entry.created)),
      lastModified: new Date(toMs(entry.lastModified)),
      summary: entry.summary,
      description: entry.description,
      location: entry.coordinates
        ? { title: entry.location || 'Job site', geo: { lat: entry.coordinates.lat, lon: entry.coordinates.lng } }
        : entry.location || null,
      status: STATUS[entry.status],
    });
  }
  return calendar.toString();
}
