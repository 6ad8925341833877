import './temporal-global';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import type { LocalDate } from '../time';

/**
 * Expanding a series' rule into the local dates it has a visit on.
 *
 * The rule is evaluated with rrule-temporal on **local dates**: DTSTART is the series' first local date at
 * midnight in UTC, which has no DST, so every generated date is a calendar date of the organization's zone
 * and never moves across a DST change. The visit's instant comes afterwards from that date and the series'
 * wall-clock start time in the organization's zone (`core/time.ts` `localToMs`), the conversion every other
 * wall-clock value in Crewline uses: a 09:00 weekly job is at 09:00 local on both sides of a change.
 *
 * Two consequences, both deliberate:
 * - No zone transition is ever looked up, so expansion never reads the real clock (rrule-temporal's zone
 *   path does, through the Temporal polyfill's transition search: `temporal-global.ts`). Tests stub
 *   `Date.now` and `Temporal.Now` to throw around it.
 * - A start time that does not exist on a spring-forward day (02:30 in Chicago on 2027-03-14) is moved
 *   forward (03:30) rather than dropped: RFC 5545 would omit that visit, which for a dispatch board means a
 *   job silently missing. Times in a fall-back fold take the earlier of the two.
 */

/** Most occurrences one extension creates; a longer horizon is reached by calling again. */
export const MAX_OCCURRENCES_PER_EXTENSION = 500;

/** No expansion looks further than this past a rule's first date (a hostile rule must not stall a replica). */
const MAX_SPAN_YEARS = 30;

export interface RuleDates {
  /** Ascending local dates. */
  dates: LocalDate[];
  /** True when the rule has more dates in range than `max`. */
  more: boolean;
}

const midnightUtc = (date: LocalDate) => Temporal.ZonedDateTime.from(`${date}T00:00:00[UTC]`);

/**
 * The local dates of `rrule` starting from `startDate` (its DTSTART date; DTSTART itself counts only when it
 * matches the rule, RFC 5545's "synchronized" start), from `from` through `to` inclusive, at most `max`.
 * COUNT and UNTIL apply as written (COUNT counts from `startDate`, whatever `from` is).
 */
export function ruleDates(
  rrule: string,
  startDate: LocalDate,
  range: { from?: LocalDate; to: LocalDate },
  max = Number.POSITIVE_INFINITY,
): RuleDates {
  const horizon = Temporal.PlainDate.from(startDate).add({ years: MAX_SPAN_YEARS }).toString();
  const to = range.to < horizon ? range.to : horizon;
  const from = range.from !== undefined && range.from > startDate ? range.from : startDate;
  if (to < from) return { dates: [], more: false };
  const rule = new RRuleTemporal({ rruleString: rrule, dtstart: midnightUtc(startDate) });
  // Occurrences sit at midnight, so an inclusive window of midnights is exactly the dates from..to.
  const dates = rule.between(midnightUtc(from), midnightUtc(to), true).map((z) => z.toPlainDate().toString());
  return dates.length > max ? { dates: dates.slice(0, max), more: true } : { dates, more: false };
}

/** The rule's first date on or after `startDate`, if it has one within `MAX_SPAN_YEARS`. */
export function firstRuleDate(rrule: string, startDate: LocalDate): LocalDate | undefined {
  const rule = new RRuleTemporal({ rruleString: rrule, dtstart: midnightUtc(startDate) });
  // An explicit start: `next()` without one would read the real clock.
  const first = rule.next(midnightUtc(startDate), true);
  const date = first ? first.toPlainDate().toString() : undefined;
  return date !== undefined && date <= Temporal.PlainDate.from(startDate).add({ years: MAX_SPAN_YEARS }).toString() ? date : undefined;
}

/** Whether `date` is one of the rule's dates. */
export const isRuleDate = (rrule: string, startDate: LocalDate, date: LocalDate): boolean =>
  ruleDates(rrule, startDate, { from: date, to: date }).dates.length === 1;

/** The rule's last date if it ends (UNTIL or COUNT), else null. */
export function lastRuleDate(rrule: string, startDate: LocalDate): LocalDate | null {
  if (!/(^|;)(UNTIL|COUNT)=/i.test(rrule)) return null;
  return ruleDates(rrule, startDate, { to: '9999-12-31' }).dates.at(-1) ?? null;
}
