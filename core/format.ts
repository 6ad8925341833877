/**
 * The one place times, dates, lists and counts become words for people (issue #22, item 6): the board,
 * panels, route sheets, emails, SMS and chat texts, the technician page, tooltips and calendar feeds all
 * format through here, with Intl, in the organization's zone and its 12/24-hour setting.
 *
 * Rules:
 * - Display only. Data keeps `HH:MM` (core/time.ts `localTimeOf`) and ISO instants.
 * - The hour cycle comes from the organization's `timeFormat`, never from the machine: a dispatcher in
 *   Berlin and a customer in Chicago read the same "9:00 AM" an organization chose.
 * - The locale is optional. The console's sentences are English, so dates default to `FALLBACK_LOCALE`
 *   ("Tue, Nov 24") to read as part of them; pass a locale to get its own month names and order.
 * - ICU puts a narrow no-break space before AM/PM (U+202F); it is turned into a plain space so SMS stay in
 *   their 7-bit alphabet and text searches and tests find "9:00 AM".
 */
export type TimeFormat = '12h' | '24h';
export const TIME_FORMATS = ['12h', '24h'] as const satisfies readonly TimeFormat[];

/** The documented fallback: the console's own language, used when no locale is given or one is unknown. */
export const FALLBACK_LOCALE = 'en-US';

export interface FormatSettings {
  timeZone: string;
  timeFormat: TimeFormat;
  /** BCP 47 tag; FALLBACK_LOCALE when absent. */
  locale?: string;
}

/** 12 h or 24 h as a locale writes its clock: en-US → 12h, de-DE → 24h (first-run default). */
export function timeFormatOfLocale(locale: string | undefined): TimeFormat {
  let cycle: string | undefined;
  try {
    cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  } catch {
    cycle = undefined;
  }
  return cycle === 'h11' || cycle === 'h12' ? '12h' : '24h';
}

const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

function safeLocale(locale: string | undefined): string {
  if (!locale) return FALLBACK_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

/** The clock options for a format: "9:00 AM" or "09:00". Also what FullCalendar's formats take. */
export function clockOptions(timeFormat: TimeFormat): Intl.DateTimeFormatOptions {
  return timeFormat === '12h'
    ? { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }
    : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
}

/** A whole hour for axis labels: "9 AM" or "09". */
export function hourOptions(timeFormat: TimeFormat): Intl.DateTimeFormatOptions {
  return timeFormat === '12h' ? { hour: 'numeric', hourCycle: 'h12' } : { hour: '2-digit', hourCycle: 'h23' };
}

export interface Formatter {
  readonly settings: Required<FormatSettings>;
  /** "9:00 AM" / "09:00". */
  time(ms: number): string;
  /** "9:00 AM–10:30 AM" / "09:00–10:30". */
  timeRange(startMs: number, endMs: number): string;
  /** "Tue, Nov 24". */
  day(ms: number): string;
  /** "Tue, Nov 24, 2026". */
  dayWithYear(ms: number): string;
  /** "Monday, November 23, 2026". */
  longDay(ms: number): string;
  /** "Nov 24". */
  shortDay(ms: number): string;
  /** "Tue, Nov 24, 9:00 AM". */
  dateTime(ms: number): string;
  /**
   * A span that may cover whole local days (time off): "all day Tue, Dec 1", "all day Tue, Dec 1 to Thu,
   * Dec 3", "Tue, Dec 1, 4:00 PM to Wed, Dec 2, 10:00 AM", or a plain time range within one day.
   */
  span(startMs: number, endMs: number): string;
  /** "CST" / "CDT" (or "GMT+1" where the locale has no abbreviation). */
  zoneAbbreviation(ms: number): string;
  /** "Ana, Bo and Cy". */
  list(items: readonly string[], type?: 'conjunction' | 'disjunction'): string;
  /** "1 job" / "2 jobs": the noun's form chosen by Intl.PluralRules, the number by Intl.NumberFormat. */
  count(n: number, one: string, other?: string): string;
  /** "1,234". */
  number(n: number): string;
}

const cache = new Map<string, Formatter>();

/** A formatter for an organization, cached: cards are formatted in hot loops. */
export function formatterFor(settings: FormatSettings): Formatter {
  const locale = safeLocale(settings.locale);
  const key = `${settings.timeZone}|${settings.timeFormat}|${locale}`;
  let f = cache.get(key);
  if (!f) {
    f = makeFormatter({ timeZone: settings.timeZone, timeFormat: settings.timeFormat, locale });
    if (cache.size > 200) cache.clear();
    cache.set(key, f);
  }
  return f;
}

function makeFormatter(s: Required<FormatSettings>): Formatter {
  const { timeZone, locale } = s;
  const dtf = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, timeZone });
  const clock = dtf(clockOptions(s.timeFormat));
  const day = dtf({ weekday: 'short', month: 'short', day: 'numeric' });
  const dayWithYear = dtf({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
  const longDay = dtf({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const shortDay = dtf({ month: 'short', day: 'numeric' });
  const zoneName = dtf({ timeZoneName: 'short', hour: 'numeric' });
  const plural = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const lists = {
    conjunction: new Intl.ListFormat(locale, { type: 'conjunction' }),
    disjunction: new Intl.ListFormat(locale, { type: 'disjunction' }),
  };
  // A board of 10k cards repeats the same quarter hours over and over.
  const timeMemo = new Map<number, string>();
  const time = (ms: number) => {
    let text = timeMemo.get(ms);
    if (text === undefined) {
      if (timeMemo.size > 50_000) timeMemo.clear();
      text = plainSpaces(clock.format(ms));
      timeMemo.set(ms, text);
    }
    return text;
  };
  // Which local day and whether at local midnight: compared, never shown, so the clock setting plays no part.
  const localDay = dtf({ year: 'numeric', month: '2-digit', day: '2-digit' });
  const clock24 = dtf({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const atMidnight = (ms: number) => clock24.format(ms) === '00:00';
  const span = (a: number, b: number) => {
    const first = localDay.format(a);
    const lastInside = localDay.format(Math.max(a, b - 1));
    if (b > a && atMidnight(a) && atMidnight(b)) {
      return first === lastInside ? `all day ${plainSpaces(day.format(a))}` : `all day ${plainSpaces(day.format(a))} to ${plainSpaces(day.format(b - 1))}`;
    }
    if (first === localDay.format(b)) return `${time(a)}–${time(b)}`;
    return `${plainSpaces(day.format(a))}, ${time(a)} to ${plainSpaces(day.format(b))}, ${time(b)}`;
  };
  return {
    settings: s,
    span,
    time,
    timeRange: (a, b) => `${time(a)}–${time(b)}`,
    day: (ms) => plainSpaces(day.format(ms)),
    dayWithYear: (ms) => plainSpaces(dayWithYear.format(ms)),
    longDay: (ms) => plainSpaces(longDay.format(ms)),
    shortDay: (ms) => plainSpaces(shortDay.format(ms)),
    dateTime: (ms) => `${plainSpaces(day.format(ms))}, ${time(ms)}`,
    zoneAbbreviation: (ms) => zoneName.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? timeZone,
    list: (items, type = 'conjunction') => lists[type].format(items),
    count: (n, one, other = `${one}s`) => `${numbers.format(n)} ${plural.select(n) === 'one' ? one : other}`,
    number: (n) => numbers.format(n),
  };
}

// ---------------------------------------------------------------------------------------------------
// Calendar dates (a `YYYY-MM-DD` with no time and no zone), weekday names, counts and lists, through Intl
// in `FALLBACK_LOCALE` unless a locale is given. No hand-written month or weekday arrays: one rule for all.

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    // A calendar date is formatted as that day's UTC midnight, in UTC: no zone can move it to another day.
    f = new Intl.DateTimeFormat(safeLocale(locale), { ...options, timeZone: 'UTC' });
    dateFormats.set(key, f);
  }
  return f;
}
const utcOf = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};

/**
 * A calendar date in words: `long` "Monday, November 23, 2026", `weekdayLong` "Monday, November 23",
 * `short` "Nov 23", `shortWithYear` "Nov 23, 2027".
 */
export function dateLabel(date: string, style: 'long' | 'weekdayLong' | 'short' | 'shortWithYear', locale?: string): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }
      : style === 'weekdayLong'
        ? { weekday: 'long', month: 'long', day: 'numeric' }
        : style === 'short'
          ? { month: 'short', day: 'numeric' }
          : { month: 'short', day: 'numeric', year: 'numeric' };
  return plainSpaces(dateFormat(locale, options).format(utcOf(date)));
}

type WeekdayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const WEEKDAY_KEYS: readonly WeekdayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Weekday names by key: "Monday" (long) or "Mon" (short). 2024-01-01 was a Monday. */
export function weekdayNames(style: 'long' | 'short', locale?: string): Record<WeekdayKey, string> {
  const f = dateFormat(locale, { weekday: style });
  return Object.fromEntries(WEEKDAY_KEYS.map((key, i) => [key, f.format(Date.UTC(2024, 0, 1 + i))])) as Record<WeekdayKey, string>;
}

const pluralRules = new Map<string, Intl.PluralRules>();
const listFormats = new Map<string, Intl.ListFormat>();

/** "1 row" / "2 rows" / "1,234 rows": the noun's form by Intl.PluralRules, the number by Intl.NumberFormat. */
export function countText(n: number, one: string, other = `${one}s`, locale?: string): string {
  return `${new Intl.NumberFormat(safeLocale(locale)).format(n)} ${pluralWord(n, one, other, locale)}`;
}

/** "field" / "fields" for n by Intl.PluralRules, without the number: for sentences that name the items instead. */
export function pluralWord(n: number, one: string, other = `${one}s`, locale?: string): string {
  const tag = safeLocale(locale);
  let rules = pluralRules.get(tag);
  if (!rules) pluralRules.set(tag, (rules = new Intl.PluralRules(tag)));
  return rules.select(n) === 'one' ? one : other;
}

/** "Ana, Bo and Cy" (or "Ana, Bo, or Cy" as a disjunction), by Intl.ListFormat. */
export function listText(items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction', locale?: string): string {
  const tag = safeLocale(locale);
  const key = `${tag}|${type}`;
  let f = listFormats.get(key);
  if (!f) listFormats.set(key, (f = new Intl.ListFormat(tag, { type })));
  return f.format(items);
}
