import { localDateOf, localTimeOf, localToMs, toMs, type LocalDate } from '../../../../core/time.ts';

/**
 * Display helpers in the organization's zone (docs/design.md §3: all schedule math happens there, never in the
 * browser's own zone). Intl formatters are cached per zone: cards are formatted in hot loops.
 */
const timeFormatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function timeFormatter(zone: string): Intl.DateTimeFormat {
  let f = timeFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(zone, f);
  }
  return f;
}

function dateFormatter(zone: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric' });
    dateFormatters.set(zone, f);
  }
  return f;
}

/** Formatted clock times, memoised: a board of 10k cards repeats the same quarter hours over and over. */
const timeMemo = new Map<string, string>();
export function fmtTime(ms: number, zone: string): string {
  const key = `${zone}|${ms}`;
  let text = timeMemo.get(key);
  if (text === undefined) {
    if (timeMemo.size > 50_000) timeMemo.clear();
    text = timeFormatter(zone).format(ms);
    timeMemo.set(key, text);
  }
  return text;
}
export const fmtTimeRange = (startMs: number, endMs: number, zone: string): string =>
  `${fmtTime(startMs, zone)}–${fmtTime(endMs, zone)}`;
export const fmtDate = (ms: number, zone: string): string => dateFormatter(zone).format(ms);
export const fmtDateTime = (instant: string, zone: string): string => {
  const ms = toMs(instant);
  return `${fmtDate(ms, zone)}, ${fmtTime(ms, zone)}`;
};

/** `2026-11-24T09:00` for an <input type="datetime-local">, in the organization's zone. */
export function toLocalInput(instant: string | null | undefined, zone: string): string {
  if (!instant) return '';
  const ms = toMs(instant);
  return `${localDateOf(ms, zone)}T${localTimeOf(ms, zone)}`;
}

/** The instant a datetime-local value means in the organization's zone, or null when it is not one. */
export function fromLocalInput(value: string, zone: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (!m) return null;
  return new Date(localToMs(m[1]!, m[2]!, zone)).toISOString().replace('.000Z', 'Z');
}

export const todayIn = (zone: string, nowMs: number): LocalDate => localDateOf(nowMs, zone);

/** ISO-8601 UTC without milliseconds, the form the contract's instants use. */
export const isoOf = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export function fmtHours(hours: number): string {
  return (Math.round(hours * 10) / 10).toString();
}
