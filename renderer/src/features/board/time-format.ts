import { formatterFor, type Formatter, type TimeFormat } from '../../../../core/format.ts';
import { DEFAULT_SETTINGS } from '../../../../core/model.ts';
import { localDateOf, localTimeOf, localToMs, toMs, type LocalDate } from '../../../../core/time.ts';

/**
 * Display helpers in the organization's zone (docs/design.md §3: all schedule math happens there, never in the
 * browser's own zone) and its 12/24-hour clock, through core/format.ts (cached per zone and clock).
 *
 * The renderer shows one organization at a time, so its clock is set once where the settings are read
 * (use-roster.ts) rather than threaded through every call that already passes the zone.
 */
let organizationTimeFormat: TimeFormat = DEFAULT_SETTINGS.timeFormat;
export function setOrganizationTimeFormat(format: TimeFormat): void {
  organizationTimeFormat = format;
}
export const organizationFormatter = (zone: string): Formatter => formatterFor({ timeZone: zone, timeFormat: organizationTimeFormat });

export const fmtTime = (ms: number, zone: string): string => organizationFormatter(zone).time(ms);
export const fmtTimeRange = (startMs: number, endMs: number, zone: string): string => organizationFormatter(zone).timeRange(startMs, endMs);
export const fmtDate = (ms: number, zone: string): string => organizationFormatter(zone).day(ms);
export const fmtDateTime = (instant: string, zone: string): string => organizationFormatter(zone).dateTime(toMs(instant));

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
