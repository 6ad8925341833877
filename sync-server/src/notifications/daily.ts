/**
 * When the daily schedule email is due (pure, docs/design.md §8): at the organization's `dailyEmailTime` on each
 * local calendar day of its time zone. Wall-clock math goes through core/time.ts (temporal-polyfill), so
 * 05:00 is 05:00 local on both sides of a DST change; a time skipped by the spring-forward gap is due at
 * the first instant after the gap, and a time the fall-back fold repeats is due at its first occurrence.
 */
import { addDays, localDateOf, localTimeMinutes, localToMs, type LocalDate } from '../../../core/time';

export interface DailyDue {
  /** The organization's local date at `nowMs`: the day whose schedule is due. */
  date: LocalDate;
  /** When that day's email is due. */
  dueMs: number;
  due: boolean;
}

/** "24:00" would never fall on the day it names: treat it as the day's last minute. */
const clampTime = (time: string) => (localTimeMinutes(time) >= 24 * 60 ? '23:59' : time);

export function dailyDue(nowMs: number, zone: string, time: string): DailyDue {
  const date = localDateOf(nowMs, zone);
  const dueMs = localToMs(date, clampTime(time), zone);
  return { date, dueMs, due: nowMs >= dueMs };
}

/** The next instant after `nowMs` at which a day's email becomes due (for logs and waiting). */
export function nextDailyDueMs(nowMs: number, zone: string, time: string): number {
  const today = dailyDue(nowMs, zone, time);
  if (!today.due) return today.dueMs;
  return localToMs(addDays(today.date, 1), clampTime(time), zone);
}
