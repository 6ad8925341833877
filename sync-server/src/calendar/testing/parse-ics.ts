import ICAL from 'ical.js';

/**
 * Reads a feed back with ical.js, an RFC 5545 parser independent of the library that wrote it, so a test
 * sees what a calendar app would see.
 */
export interface ParsedEvent {
  uid: string;
  sequence: number;
  startMs: number;
  endMs: number;
  /** Whether DTSTART was written in UTC (`...Z`). */
  utc: boolean;
  status: string | null;
  summary: string;
  location: string | null;
  description: string;
  geo: [number, number] | null;
  stampMs: number;
}

export interface ParsedCalendar {
  name: string | null;
  timeZone: string | null;
  method: string | null;
  events: ParsedEvent[];
}

export function parseIcs(ics: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(ics));
  if (root.name !== 'vcalendar') throw new Error(`not a calendar: ${root.name}`);
  const events = root.getAllSubcomponents('vevent').map((vevent): ParsedEvent => {
    const event = new ICAL.Event(vevent);
    const geo = vevent.getFirstPropertyValue('geo') as unknown;
    return {
      uid: event.uid,
      sequence: event.sequence,
      startMs: event.startDate.toUnixTime() * 1000,
      endMs: event.endDate.toUnixTime() * 1000,
      utc: event.startDate.zone === ICAL.Timezone.utcTimezone,
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      summary: event.summary,
      location: event.location ?? null,
      description: event.description ?? '',
      geo: Array.isArray(geo) ? [Number(geo[0]), Number(geo[1])] : null,
      stampMs: (vevent.getFirstPropertyValue('dtstamp') as ICAL.Time).toUnixTime() * 1000,
    };
  });
  const value = (name: string) => (root.getFirstPropertyValue(name) as string | null) ?? null;
  // ical.js leaves properties it has no type for (X-WR-*, RFC 7986 NAME) raw; RFC 5545 reads them as TEXT.
  const text = (name: string) => value(name)?.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c)) ?? null;
  return { name: text('x-wr-calname'), timeZone: text('x-wr-timezone'), method: value('method'), events };
}
