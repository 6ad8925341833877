import { Temporal } from 'temporal-polyfill';
import { weekdayNames } from './format';

/**
 * All schedule math happens in the organization's IANA zone. Instants are stored as ISO-8601 UTC strings
 * (`2026-11-23T14:00:00Z`) in documents and APIs, and as epoch milliseconds in SQLite and hot loops.
 */
export type Instant = string;
export type LocalDate = string; // YYYY-MM-DD
export type LocalTime = string; // HH:MM, 24:00 allowed as an end

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekday in words, by Intl in the console's language (core/format.ts): the same on every machine. */
export const WEEKDAY_NAMES: Record<Weekday, string> = weekdayNames('long');

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Hot path (conflict engine, projections): `Date.parse` reads the ISO-8601 UTC form several times faster
 * than `Temporal.Instant.from`. It is lenient (30 February rolls over to 2 March), so its answer is kept
 * only when the calendar date round-trips; anything else goes through Temporal, which throws a clear error.
 * Answers are remembered (bounded): a schedule repeats the same quarter hours over and over.
 */
const msOf = new Map<string, number>();
export const toMs = (instant: Instant): number => {
  const known = msOf.get(instant);
  if (known !== undefined) return known;
  let ms = instant.endsWith('Z') ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== instant.slice(0, 10)) {
    ms = Temporal.Instant.from(instant).epochMilliseconds;
  }
  if (msOf.size >= 100_000) msOf.clear();
  msOf.set(instant, ms);
  return ms;
};
export const fromMs = (ms: number): Instant => Temporal.Instant.fromEpochMilliseconds(ms).toString();

export function isValidTimeZone(zone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight for `HH:MM` (24:00 -> 1440). */
export function localTimeMinutes(time: LocalTime): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The instant a wall-clock time occurs on a local date; DST gaps resolve forward, folds to the earlier. */
export function localToMs(date: LocalDate, time: LocalTime, zone: string): number {
  const minutes = localTimeMinutes(time);
  const day = Temporal.PlainDate.from(date).add({ days: Math.floor(minutes / 1440) });
  const rest = minutes % 1440;
  return day
    .toZonedDateTime({ timeZone: zone, plainTime: { hour: Math.floor(rest / 60), minute: rest % 60 } })
    .epochMilliseconds;
}

export function localDateOf(ms: number, zone: string): LocalDate {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate().toString();
}

export function localTimeOf(ms: number, zone: string): LocalTime {
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
  return `${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`;
}

/**
 * [start, end) of a local calendar day in epoch ms; 23 or 25 hours long on DST days. Remembered (bounded):
 * ~20 µs each through Temporal, and capacity asks it for every provider and day (200 × 7 in a week overview).
 */
const dayBoundsOf = new Map<string, readonly [number, number]>();
export function dayBoundsMs(date: LocalDate, zone: string): [number, number] {
  const key = `${zone}|${date}`;
  let bounds = dayBoundsOf.get(key);
  if (bounds === undefined) {
    const day = Temporal.PlainDate.from(date);
    bounds = [day.toZonedDateTime({ timeZone: zone }).epochMilliseconds, day.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).epochMilliseconds];
    if (dayBoundsOf.size >= 10_000) dayBoundsOf.clear();
    dayBoundsOf.set(key, bounds);
  }
  return [bounds[0], bounds[1]]; // a fresh pair: callers may keep or change theirs
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[Temporal.PlainDate.from(date).dayOfWeek - 1]!;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Every local date touched by [fromMs, toMs). */
export function localDatesBetween(fromMs: number, toMs: number, zone: string): LocalDate[] {
  const dates: LocalDate[] = [];
  let date = localDateOf(fromMs, zone);
  const last = localDateOf(Math.max(fromMs, toMs - 1), zone);
  for (;;) {
    dates.push(date);
    if (date >= last) return dates;
    date = addDays(date, 1);
  }
}
