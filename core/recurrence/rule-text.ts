import { dateLabel, listText, weekdayNames } from '../format';
import { WEEKDAY_NAMES as DAY_NAMES, type Weekday } from '../time';
import { parseRRule, type RepeatRule } from './rule';

/**
 * A repeat rule in words for the bookings list and the job panel: "Every 2 weeks on Tuesday until Mar 31",
 * "Monthly on the 2nd Tuesday, 10 times", "Weekly on Mon, Wed, and Fri".
 *
 * Written here rather than taken from rrule-temporal's `toText`, which says "every 2 weeks on Tuesday at
 * 12 AM UTC until March 31, 2027" (lower case, the expansion's own midnight and zone, the year always) and
 * picks its language from the process's locale: a pure function of the rule reads the same on every desktop
 * and in every test. English only, like the rest of the console.
 */

const DAY_SHORT: Record<Weekday, string> = weekdayNames('short');
const WORKWEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** 1 -> 1st, 2 -> 2nd, 11 -> 11th, 22 -> 22nd. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function every(interval: number, unit: 'week' | 'month'): string {
  if (interval === 1) return unit === 'week' ? 'Weekly' : 'Monthly';
  return `Every ${interval} ${unit}s`;
}

function weeklyDays(days: readonly Weekday[]): string {
  if (days.length === 1) return DAY_NAMES[days[0]!];
  return listText(days.map((d) => DAY_SHORT[d]));
}

/** "Mar 31", or "Mar 31, 2028" when the year is not `referenceYear`. */
function shortDate(date: string, referenceYear?: number): string {
  const year = Number(date.slice(0, 4));
  return dateLabel(date, referenceYear === undefined || referenceYear === year ? 'short' : 'shortWithYear');
}

export interface RuleTextOptions {
  /** The year dates are read in (the series' start, or today's): an end date in another year shows it. */
  referenceYear?: number;
}

export function describeRepeat(rule: RepeatRule, options: RuleTextOptions = {}): string {
  let text: string;
  if (rule.freq === 'weekly') {
    const days = rule.weekdays;
    if (rule.interval === 1 && days.length === 7) text = 'Every day';
    else if (rule.interval === 1 && days.length === 5 && WORKWEEK.every((d) => days.includes(d))) text = 'Every weekday';
    else text = `${every(rule.interval, 'week')} on ${weeklyDays(days)}`;
  } else {
    const on = rule.on;
    const day =
      on.by === 'date'
        ? on.day === -1
          ? 'the last day'
          : `the ${ordinal(on.day)}`
        : `the ${on.week === -1 ? 'last' : ordinal(on.week)} ${DAY_NAMES[on.weekday]}`;
    text = `${every(rule.interval, 'month')} on ${day}`;
  }
  switch (rule.end.type) {
    case 'until':
      return `${text} until ${shortDate(rule.end.date, options.referenceYear)}`;
    case 'count':
      return `${text}, ${rule.end.count === 1 ? 'once' : `${rule.end.count} times`}`;
    default:
      return text;
  }
}

/** The words for a stored RRULE value; one this version cannot read is "Repeats (custom rule)". */
export function describeRRule(rrule: string, options: RuleTextOptions = {}): string {
  const rule = parseRRule(rrule);
  return rule.ok ? describeRepeat(rule.value, options) : 'Repeats (custom rule)';
}
