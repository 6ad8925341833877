import { Temporal } from 'temporal-polyfill';
import type { LocalDate, LocalTime } from '../time';
import type { DateOrder } from './kinds';

/**
 * Reading spreadsheet cells: numbers, yes/no, lists, durations, dates and times as people and other tools
 * write them. Each reader answers null for text it cannot read; the caller says which column and why.
 *
 * Dates (`readDate`):
 * - ISO `2026-11-24` (also `2026/11/24`): always year, month, day.
 * - `24.11.2026` (German and most of Europe): always day first; `24.11.26` too.
 * - `11/24/2026` or `11-24-2026`: month first when the order is `mdy` (en-US), day first (`24/11/2026`)
 *   when `dmy`; two-digit years are 20xx. The order comes from the request, else from the file's dates
 *   (a first number over 12 means day first), else from the organization's zone (`defaultDateOrder`).
 * - Month names in English or German: `Nov 24, 2026`, `November 24 2026`, `24 Nov 2026`,
 *   `24. November 2026`, with or without a weekday in front (`Tue, Nov 24, 2026`).
 * Times (`readTime`): `09:00`, `9:00`, `21:30`, `9:00:00`, `9:00 AM`, `9 am`, `9:30 p.m.`.
 * Date and time (`readDateTime`): a date, then a space, `T` or comma, then a time: `2026-11-24 09:00`,
 * `2026-11-24T09:00`, `11/24/2026 9:00 AM`, `24.11.2026 09:00`. These are wall-clock times in the
 * organization's zone. An ISO instant with `Z` or an offset (`2026-11-24T15:00:00Z`) is that instant.
 */

/** Google Contacts puts several values in one cell ("a@x.com ::: b@y.com"): the first is the one. */
export const firstOfMany = (text: string): string => text.split(':::')[0]!.trim();

/** `3`, `1.5` or `1,5` (decimal comma). */
export function readNumber(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(t)) return null;
  return Number(t.replace(',', '.'));
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', 'active', 'x', 'on', 'ja', 'j', 'aktiv', 'wahr']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', 'inactive', 'off', 'nein', 'inaktiv', 'falsch']);

export function readBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return null;
}

/**
 * `a; b`, `a, b`, `a | b` or one per line; blanks and repeats dropped. When there is a `;` or a line break,
 * only those separate (so `HVAC, commercial; Electrical` is two values).
 */
export function readList(text: string): string[] {
  const separator = /[;\n]/.test(text) ? /[;\n]/ : /[,|]/;
  return [
    ...new Set(
      text
        .split(separator)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** Minutes: `90`, `1:30`, `1.5 h`, `2h`, `90 min`, `1h 30m`, `1 hr 30 min`, `2 Std.`. */
export function readDurationMinutes(text: string): number | null {
  const t = text.trim().toLowerCase();
  const plain = readNumber(t);
  if (plain !== null) return plain;
  const clock = /^(\d+):([0-5]\d)$/.exec(t);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const units = /^(?:(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours|std|stunde|stunden)\.?)?\s*(?:(\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minute|minutes|minuten)\.?)?$/.exec(t);
  if (!units || (units[1] === undefined && units[2] === undefined)) return null;
  return (units[1] ? Number(units[1].replace(',', '.')) * 60 : 0) + (units[2] ? Number(units[2].replace(',', '.')) : 0);
}

const pad = (n: number) => String(n).padStart(2, '0');

const TIME = /^(\d{1,2})(?::([0-5]\d))?(?::([0-5]\d)(?:[.,]\d+)?)?\s*(?:([ap])\.?\s?m\.?)?$/i;

/** `HH:MM` (24-hour) for the time written, or null. Seconds are dropped. */
export function readTime(text: string): LocalTime | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, h, min, , ampm] = m;
  if (min === undefined && ampm === undefined) return null;
  let hour = Number(h);
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm.toLowerCase() === 'p' ? 12 : 0);
  } else if (hour > 23) return null;
  return `${pad(hour)}:${min ?? '00'}`;
}

/** English and German month names and their usual abbreviations. */
const MONTHS: ReadonlyArray<readonly string[]> = [
  ['jan', 'january', 'januar', 'jän', 'jänner'],
  ['feb', 'february', 'februar'],
  ['mar', 'march', 'märz', 'mär', 'mrz'],
  ['apr', 'april'],
  ['may', 'mai'],
  ['jun', 'june', 'juni'],
  ['jul', 'july', 'juli'],
  ['aug', 'august'],
  ['sep', 'sept', 'september'],
  ['oct', 'october', 'okt', 'oktober'],
  ['nov', 'november'],
  ['dec', 'december', 'dez', 'dezember'],
];
const MONTH_BY_NAME = new Map(MONTHS.flatMap((names, i) => names.map((n) => [n, i + 1] as const)));
const WEEKDAY_NAMES = new Set([
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
  'mo', 'di', 'mi', 'do', 'fr', 'sa', 'so', 'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag',
]);

function plainDate(year: number, month: number, day: number): LocalDate | null {
  try {
    return Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' }).toString();
  } catch {
    return null;
  }
}
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** The numbers of a date like `11/24/2026` or `24-11-2026` (not ISO, not dotted), for order detection. */
const SLASHED = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})$/;

/** `YYYY-MM-DD` for the date written, or null (see the formats above). */
export function readDate(text: string, order: DateOrder): LocalDate | null {
  let t = text.trim().replace(/\s+/g, ' ');
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (iso) return plainDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/.exec(t);
  if (dotted) return plainDate(fullYear(dotted[3]!), Number(dotted[2]), Number(dotted[1]));
  const slashed = SLASHED.exec(t);
  if (slashed) {
    const [a, b] = [Number(slashed[1]), Number(slashed[3])];
    return order === 'mdy' ? plainDate(fullYear(slashed[4]!), a, b) : plainDate(fullYear(slashed[4]!), b, a);
  }
  // Named months, maybe after a weekday ("Tue, Nov 24, 2026", "Dienstag, 24. November 2026").
  const first = /^(\p{L}+)\.?,?\s/u.exec(t);
  if (first && WEEKDAY_NAMES.has(first[1]!.toLowerCase())) t = t.slice(first[0].length).trim();
  const monthFirst = /^(\p{L}+)\.?\s(\d{1,2})(?:st|nd|rd|th)?,?\s(\d{4})$/u.exec(t);
  if (monthFirst) {
    const month = MONTH_BY_NAME.get(monthFirst[1]!.toLowerCase());
    return month ? plainDate(Number(monthFirst[3]), month, Number(monthFirst[2])) : null;
  }
  const dayFirst = /^(\d{1,2})(?:\.|st|nd|rd|th)?\s(\p{L}+)\.?,?\s(\d{4})$/u.exec(t);
  if (dayFirst) {
    const month = MONTH_BY_NAME.get(dayFirst[2]!.toLowerCase());
    return month ? plainDate(Number(dayFirst[3]), month, Number(dayFirst[1])) : null;
  }
  return null;
}

export type DateTimeReading =
  | { kind: 'local'; date: LocalDate; time: LocalTime | null }
  | { kind: 'time'; time: LocalTime }
  | { kind: 'instant'; ms: number };

const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const TRAILING_TIME = /^(.*?)(?:\s*,\s*|\s+|T)(\d{1,2}(?::[0-5]\d){1,2}(?:[.,]\d+)?(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)$/i;

/** A date and time, a date alone, a time alone, or an exact instant; null for anything else. */
export function readDateTime(text: string, order: DateOrder): DateTimeReading | null {
  const t = text.trim();
  if (INSTANT.test(t)) {
    try {
      return { kind: 'instant', ms: Temporal.Instant.from(t.replace(' ', 'T')).epochMilliseconds };
    } catch {
      return null;
    }
  }
  const time = readTime(t);
  if (time) return { kind: 'time', time };
  const date = readDate(t, order);
  if (date) return { kind: 'local', date, time: null };
  const split = TRAILING_TIME.exec(t);
  if (!split) return null;
  const d = readDate(split[1]!, order);
  const tm = readTime(split[2]!);
  return d && tm ? { kind: 'local', date: d, time: tm } : null;
}

/**
 * The order the file's own dates show: a first number over 12 (`24/11/2026`) means day first, a second
 * one over 12 (`11/24/2026`) month first. Null when they say nothing (or both, which the rows' errors tell).
 */
export function dateOrderOf(samples: Iterable<string>): DateOrder | null {
  let dmy = false;
  let mdy = false;
  for (const sample of samples) {
    const datePart = sample.trim().split(/[\sT,]/)[0]!;
    const m = SLASHED.exec(datePart);
    if (!m) continue;
    const [a, b] = [Number(m[1]), Number(m[3])];
    if (a > 12 && b <= 12) dmy = true;
    if (b > 12 && a <= 12) mdy = true;
    if (dmy && mdy) return null;
  }
  return dmy ? 'dmy' : mdy ? 'mdy' : null;
}

/** With nothing else to go by: month first in the Americas' zones that use it (en-US, en-CA), else day first. */
export function defaultDateOrder(timeZone: string): DateOrder {
  return /^(America\/|US\/|Canada\/|Pacific\/Honolulu$)/.test(timeZone) ? 'mdy' : 'dmy';
}

/** How a date is written, to put in error messages. */
export const DATE_EXAMPLES: Record<DateOrder, string> = {
  mdy: '2026-11-24, 11/24/2026 (month first) or 24.11.2026',
  dmy: '2026-11-24, 24/11/2026 (day first) or 24.11.2026',
};
