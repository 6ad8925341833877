import { repeatRuleSchema, type RepeatRule, type RepeatRuleInput } from '../../../../core/recurrence/rule';
import { describeRepeat } from '../../../../core/recurrence/rule-text';
import { WEEKDAYS, weekdayOf, type LocalDate, type Weekday } from '../../../../core/time';

/**
 * The "Repeats" control's state as its inputs hold it (numbers as typed text), and its conversion to the
 * rule the series commands take (`core/recurrence/rule.ts`). Range and shape rules are the schema's: a
 * number that is not one is caught here, everything else comes back from the command on the same paths
 * (`repeat.weekdays`, `repeat.end.date`, ...), so the message lands on the control either way.
 */
export type RepeatFreq = 'none' | 'weekly' | 'monthly';

export interface RepeatDraft {
  freq: RepeatFreq;
  interval: string;
  weekdays: Weekday[];
  /** Monthly: on a day of the month, or on the nth weekday. */
  monthlyBy: 'date' | 'weekday';
  /** '1'..'31', or '-1' for the last day. */
  monthDay: string;
  /** '1'..'5', or '-1' for the last. */
  monthWeek: string;
  monthWeekday: Weekday;
  endType: 'never' | 'until' | 'count';
  until: LocalDate | '';
  count: string;
  /** The weekdays were chosen by hand: a new start date no longer picks them. */
  weekdaysChosen: boolean;
}

export const NO_REPEAT: RepeatDraft = {
  freq: 'none',
  interval: '1',
  weekdays: [],
  monthlyBy: 'date',
  monthDay: '1',
  monthWeek: '1',
  monthWeekday: 'mon',
  endType: 'never',
  until: '',
  count: '10',
  weekdaysChosen: false,
};

/** The day-of-month and weekday choices a start date suggests ("the 24th", "the 4th Tuesday"). */
export function followStart(d: RepeatDraft, startDate: LocalDate | null): RepeatDraft {
  if (!startDate || !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) return d;
  const weekday = weekdayOf(startDate);
  const day = Number(startDate.slice(8, 10));
  return {
    ...d,
    weekdays: d.weekdaysChosen && d.weekdays.length > 0 ? d.weekdays : [weekday],
    monthDay: String(day),
    monthWeek: String(Math.min(5, Math.ceil(day / 7))),
    monthWeekday: weekday,
  };
}

export const toggleWeekday = (d: RepeatDraft, day: Weekday, on: boolean): RepeatDraft => ({
  ...d,
  weekdays: on ? WEEKDAYS.filter((w) => w === day || d.weekdays.includes(w)) : d.weekdays.filter((w) => w !== day),
  weekdaysChosen: true,
});

const wholeNumber = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);

/**
 * The rule to send (null for "Does not repeat"), and errors for text that is not a number, keyed under
 * `prefix` (the command's field, `repeat`).
 */
export function repeatInput(d: RepeatDraft, prefix = 'repeat'): { value: RepeatRuleInput | null; errors: Record<string, string> } {
  if (d.freq === 'none') return { value: null, errors: {} };
  const errors: Record<string, string> = {};
  const interval = wholeNumber(d.interval);
  if (interval === null) errors[`${prefix}.interval`] = 'A whole number, like 2';
  let end: RepeatRuleInput['end'] = { type: 'never' };
  if (d.endType === 'until') {
    if (!d.until) errors[`${prefix}.end.date`] = 'Pick the last date';
    end = { type: 'until', date: d.until };
  } else if (d.endType === 'count') {
    const count = wholeNumber(d.count);
    if (count === null) errors[`${prefix}.end.count`] = 'A whole number of visits, like 10';
    end = { type: 'count', count: count ?? 0 };
  }
  const base = { interval: interval ?? 1, end };
  const value: RepeatRuleInput =
    d.freq === 'weekly'
      ? { freq: 'weekly', ...base, weekdays: d.weekdays }
      : {
          freq: 'monthly',
          ...base,
          on: d.monthlyBy === 'date' ? { by: 'date', day: Number(d.monthDay) } : { by: 'weekday', week: Number(d.monthWeek), weekday: d.monthWeekday },
        };
  return { value, errors };
}

/** The rule in words while it is valid ("Every 2 weeks on Tuesday until Mar 31"), else null. */
export function repeatWords(d: RepeatDraft, referenceYear?: number): string | null {
  const { value, errors } = repeatInput(d);
  if (!value || Object.keys(errors).length > 0) return null;
  const parsed = repeatRuleSchema.safeParse(value);
  return parsed.success ? describeRepeat(parsed.data, referenceYear === undefined ? {} : { referenceYear }) : null;
}

/** A stored rule back into the control's state (editing a series' repeat). */
export function draftOfRule(rule: RepeatRule): RepeatDraft {
  const end =
    rule.end.type === 'until'
      ? { endType: 'until' as const, until: rule.end.date }
      : rule.end.type === 'count'
        ? { endType: 'count' as const, count: String(rule.end.count) }
        : { endType: 'never' as const };
  if (rule.freq === 'weekly') return { ...NO_REPEAT, ...end, freq: 'weekly', interval: String(rule.interval), weekdays: [...rule.weekdays], weekdaysChosen: true };
  const on =
    rule.on.by === 'date'
      ? { monthlyBy: 'date' as const, monthDay: String(rule.on.day) }
      : { monthlyBy: 'weekday' as const, monthWeek: String(rule.on.week), monthWeekday: rule.on.weekday };
  return { ...NO_REPEAT, ...end, ...on, freq: 'monthly', interval: String(rule.interval) };
}
