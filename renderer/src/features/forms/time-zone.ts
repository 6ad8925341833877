import { Temporal } from 'temporal-polyfill';
import { organizationFormatter } from '../board/time-format';

/**
 * Date-time helpers for forms. Everything a dispatcher types or reads is wall-clock time in the
 * ORGANIZATION's zone (settings.timeZone), never the browser's; the backend only sees UTC instants
 * (`2026-11-24T14:00:00Z`). DST: a time in a spring-forward gap moves forward, a repeated time in the
 * autumn fold takes the earlier instant (the same rule as core/time.ts).
 */

/** `YYYY-MM-DDTHH:MM` (a datetime-local input's value) in `zone` -> ISO instant, or null if not a date-time. */
export function localDateTimeToInstant(local: string, zone: string): string | null {
  if (!local.trim()) return null;
  try {
    return Temporal.PlainDateTime.from(local.trim())
      .toZonedDateTime(zone, { disambiguation: 'compatible' })
      .toInstant()
      .toString();
  } catch {
    return null;
  }
}

/** ISO instant -> `YYYY-MM-DDTHH:MM` wall-clock in `zone`, for a datetime-local input. */
export function instantToLocalDateTime(instant: string, zone: string): string {
  const z = Temporal.Instant.from(instant).toZonedDateTimeISO(zone);
  return z.toPlainDateTime().toString({ smallestUnit: 'minute' });
}

/** The instant a local date (`YYYY-MM-DD`) starts in `zone`, or null if not a date. */
export function localDateStartInstant(date: string, zone: string): string | null {
  try {
    return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }).toInstant().toString();
  } catch {
    return null;
  }
}

/** The instant the day AFTER a local date starts: the exclusive end of "up to and including `date`". */
export function localDateEndInstant(date: string, zone: string): string | null {
  try {
    return Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant().toString();
  } catch {
    return null;
  }
}

export const addMinutes = (instant: string, minutes: number): string =>
  Temporal.Instant.from(instant).add({ minutes: Math.round(minutes) }).toString();

export const minutesBetween = (start: string, end: string): number =>
  Math.round((Temporal.Instant.from(end).epochMilliseconds - Temporal.Instant.from(start).epochMilliseconds) / 60_000);

/** Today's date in `zone` (`YYYY-MM-DD`). */

/** In the organization's clock through core/format.ts (board/time-format.ts holds which clock that is). */
const msOf = (instant: string) => Temporal.Instant.from(instant).epochMilliseconds;

/** "Tue, Nov 24, 2026, 8:00 AM" (or 08:00) in `zone`. */
export const formatDateTime = (instant: string, zone: string): string => {
  const f = organizationFormatter(zone);
  return `${f.dayWithYear(msOf(instant))}, ${f.time(msOf(instant))}`;
};
export const formatDate = (instant: string, zone: string): string => organizationFormatter(zone).dayWithYear(msOf(instant));
export const formatTime = (instant: string, zone: string): string => organizationFormatter(zone).time(msOf(instant));

/** "Tue, Nov 24, 2026, 08:00–10:30", or both full date-times when the span crosses a local midnight. */
export function formatSpan(start: string, end: string, zone: string): string {
  const sameDay =
    Temporal.Instant.from(start).toZonedDateTimeISO(zone).toPlainDate().toString() ===
    Temporal.Instant.from(end).toZonedDateTimeISO(zone).toPlainDate().toString();
  return sameDay
    ? `${formatDateTime(start, zone)}–${formatTime(end, zone)}`
    : `${formatDateTime(start, zone)} → ${formatDateTime(end, zone)}`;
}

/** A short offset label for the zone at an instant, e.g. "CST" or "GMT-6". */
export function zoneAbbreviation(zone: string, at: string): string {
  try {
    return organizationFormatter(zone).zoneAbbreviation(msOf(at));
  } catch {
    return zone;
  }
}

/** Offered in the settings screen's datalist; any IANA name is accepted (the backend validates). */
export const COMMON_TIME_ZONES: readonly string[] = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Vancouver',
  'America/Edmonton',
  'America/Winnipeg',
  'America/Halifax',
  'America/St_Johns',
  'America/Mexico_City',
  'America/Bogota',
  'America/Lima',
  'America/Santiago',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Africa/Johannesburg',
  'Africa/Lagos',
  'Africa/Cairo',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Hong_Kong',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Perth',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
];

/**
 * A time range as a person reads it in `zone`: whole local days as "Thu, Dec 24, 2026 – Sat, Dec 26, 2026 (all day)",
 * otherwise like formatSpan.
 */
export function formatRange(start: string, end: string, zone: string): string {
  const s = Temporal.Instant.from(start).toZonedDateTimeISO(zone);
  const e = Temporal.Instant.from(end).toZonedDateTimeISO(zone);
  const midnight = (z: Temporal.ZonedDateTime) => z.hour === 0 && z.minute === 0 && z.second === 0;
  if (midnight(s) && midnight(e) && Temporal.ZonedDateTime.compare(e, s) > 0) {
    const lastDay = e.subtract({ days: 1 }).toInstant().toString();
    const first = formatDate(start, zone);
    const last = formatDate(lastDay, zone);
    return first === last ? `${first} (all day)` : `${first} – ${last} (all day)`;
  }
  return formatSpan(start, end, zone);
}
