import { z } from 'zod';
import { localDateSchema } from '../model';
import { fail, ok, type AppError, type Result } from '../result';
import { WEEKDAYS, type LocalDate, type Weekday } from '../time';

/**
 * How a job repeats (issue 18): the few shapes users may choose, as a structured value the forms edit and
 * the commands validate with field-level errors, and its RFC 5545 RRULE form, which is what a series stores.
 *
 * - weekly, every 1–52 weeks, on one or more weekdays (`FREQ=WEEKLY;INTERVAL=n;BYDAY=MO,WE;WKST=MO`);
 * - monthly, every 1–12 months, on a day of the month (`BYMONTHDAY=15`, or `-1` for the last day) or on the
 *   nth weekday (`BYDAY=2TU`, 1st–5th, or `-1FR` for the last Friday);
 * - ending never, on a date (`UNTIL`), or after a number of visits (`COUNT`), never both.
 *
 * A day of the month that a month lacks (the 31st in April, the 5th Tuesday most months) follows RFC 5545:
 * that month has no visit ("invalid dates are ignored"), as Google Calendar and Outlook do. "Last day of the
 * month" (`BYMONTHDAY=-1`) is the shape for a visit every month at its end.
 *
 * `UNTIL` is written as the end of the last local day, `UNTIL=20270331T235959Z`: the series' DTSTART is a
 * wall-clock time in the organization's zone and the rule is evaluated on local dates (`expand.ts`), so the
 * `Z` is RFC 5545's required form for the value, read as "through the end of 31 March, local". An exporter
 * to iCalendar with `DTSTART;TZID=...` converts it to the true UTC instant of that moment.
 */

export const MAX_WEEKLY_INTERVAL = 52;
export const MAX_MONTHLY_INTERVAL = 12;
export const MAX_REPEAT_COUNT = 999;

export const repeatEndSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('never') }),
    z.object({ type: z.literal('until'), date: localDateSchema }),
    z.object({
      type: z.literal('count'),
      count: z
        .number({ error: 'Say how many times' })
        .int('A whole number of times')
        .min(1, 'At least once')
        .max(MAX_REPEAT_COUNT, `At most ${MAX_REPEAT_COUNT} times`),
    }),
  ],
  { error: 'Choose when the repeat ends: never, on a date, or after a number of times' },
);
export type RepeatEnd = z.infer<typeof repeatEndSchema>;

const weekdaySchema = z.enum(WEEKDAYS, { error: 'Choose a weekday' });

const intervalSchema = (max: number, unit: string) =>
  z
    .number({ error: `Say every how many ${unit}s` })
    .int(`A whole number of ${unit}s`)
    .min(1, `At least every 1 ${unit}`)
    .max(max, `At most every ${max} ${unit}s`);

const byWeekOrder = (a: Weekday, b: Weekday) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b);

export const weeklyRepeatSchema = z.object({
  freq: z.literal('weekly'),
  interval: intervalSchema(MAX_WEEKLY_INTERVAL, 'week').default(1),
  weekdays: z
    .array(weekdaySchema, { error: 'Choose at least one weekday' })
    .min(1, 'Choose at least one weekday')
    .refine((days) => new Set(days).size === days.length, 'Choose each weekday once')
    .transform((days) => [...days].sort(byWeekOrder)),
  end: repeatEndSchema.default({ type: 'never' }),
});

export const monthlyOnSchema = z.discriminatedUnion(
  'by',
  [
    z.object({
      by: z.literal('date'),
      day: z
        .number({ error: 'Choose a day of the month' })
        .int('Choose a day of the month')
        .refine((d) => d === -1 || (d >= 1 && d <= 31), 'A day from 1 to 31, or the last day'),
    }),
    z.object({
      by: z.literal('weekday'),
      week: z
        .number({ error: 'Choose which week: 1st to 5th, or last' })
        .int('Choose which week: 1st to 5th, or last')
        .refine((w) => w === -1 || (w >= 1 && w <= 5), 'Choose which week: 1st to 5th, or last'),
      weekday: weekdaySchema,
    }),
  ],
  { error: 'Choose a day of the month or a weekday of the month' },
);

export const monthlyRepeatSchema = z.object({
  freq: z.literal('monthly'),
  interval: intervalSchema(MAX_MONTHLY_INTERVAL, 'month').default(1),
  on: monthlyOnSchema,
  end: repeatEndSchema.default({ type: 'never' }),
});

/** What the forms send and the commands accept as "Repeat". */
export const repeatRuleSchema = z.discriminatedUnion('freq', [weeklyRepeatSchema, monthlyRepeatSchema], {
  error: 'Repeat weekly or monthly',
});
export type RepeatRule = z.output<typeof repeatRuleSchema>;
export type RepeatRuleInput = z.input<typeof repeatRuleSchema>;

// ---------------------------------------------------------------------------------------------------
// RRULE form

const ICAL_DAY: Record<Weekday, string> = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' };
const DAY_OF_ICAL: Record<string, Weekday> = Object.fromEntries(Object.entries(ICAL_DAY).map(([d, i]) => [i, d as Weekday]));

/** `2027-03-31` -> `20270331T235959Z` (the end of that local day; see the note at the top). */
const untilValue = (date: LocalDate) => `${date.replaceAll('-', '')}T235959Z`;

/** The canonical RRULE value (no `RRULE:` prefix) of a valid rule: equal rules give equal strings. */
export function toRRule(rule: RepeatRule): string {
  const parts =
    rule.freq === 'weekly'
      ? ['FREQ=WEEKLY', `INTERVAL=${rule.interval}`, `BYDAY=${rule.weekdays.map((d) => ICAL_DAY[d]).join(',')}`, 'WKST=MO']
      : [
          'FREQ=MONTHLY',
          `INTERVAL=${rule.interval}`,
          rule.on.by === 'date' ? `BYMONTHDAY=${rule.on.day}` : `BYDAY=${rule.on.week}${ICAL_DAY[rule.on.weekday]}`,
        ];
  if (rule.end.type === 'until') parts.push(`UNTIL=${untilValue(rule.end.date)}`);
  if (rule.end.type === 'count') parts.push(`COUNT=${rule.end.count}`);
  return parts.join(';');
}

/** Field errors of a rule, with paths relative to the rule (`weekdays`, `end.date`, ...). */
function ruleFailure(field: string, message: string): { ok: false; error: AppError } {
  const sentence = /^Repeat\b/.test(message) ? message : `Repeat: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  return fail('validation', sentence, { fieldErrors: { [field]: message } });
}

/**
 * Reads an RRULE value (optionally prefixed `RRULE:`) of one of the supported shapes. Anything else —
 * another frequency, BYHOUR, BYSETPOS, both COUNT and UNTIL, a weekly rule without weekdays — is refused
 * with the field a form would show it on.
 */
export function parseRRule(text: string): Result<RepeatRule> {
  const body = text.trim().replace(/^RRULE:/i, '');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).toUpperCase();
    if (eq < 0) return ruleFailure('_', `Not a rule part: ${part}`);
    if (parts.has(key)) return ruleFailure('_', `${key} is given twice`);
    parts.set(key, part.slice(eq + 1).toUpperCase());
  }
  const supported = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'UNTIL', 'COUNT', 'WKST']);
  for (const key of parts.keys()) {
    if (!supported.has(key)) return ruleFailure('_', `Not supported here: ${key}`);
  }
  const freq = parts.get('FREQ');
  if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return ruleFailure('freq', 'Repeat weekly or monthly');
  if (parts.has('WKST') && parts.get('WKST') !== 'MO') return ruleFailure('_', 'Weeks start on Monday (WKST=MO)');

  const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1;
  if (!/^\d+$/.test(parts.get('INTERVAL') ?? '1')) return ruleFailure('interval', 'A whole number');

  let end: unknown = { type: 'never' };
  if (parts.has('UNTIL') && parts.has('COUNT')) return ruleFailure('end', 'End on a date or after a number of times, not both');
  if (parts.has('UNTIL')) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(parts.get('UNTIL')!);
    if (!m) return ruleFailure('end.date', 'Must be a date like 20270331');
    end = { type: 'until', date: `${m[1]}-${m[2]}-${m[3]}` };
  }
  if (parts.has('COUNT')) {
    const count = parts.get('COUNT')!;
    if (!/^\d+$/.test(count)) return ruleFailure('end.count', 'A whole number of times');
    end = { type: 'count', count: Number(count) };
  }

  let candidate: unknown;
  const byDay = parts.get('BYDAY');
  if (freq === 'WEEKLY') {
    if (parts.has('BYMONTHDAY')) return ruleFailure('_', 'A weekly repeat has no day of the month');
    if (!byDay) return ruleFailure('weekdays', 'Choose at least one weekday');
    const days: string[] = [];
    for (const token of byDay.split(',')) {
      const day = DAY_OF_ICAL[token];
      if (!day) return ruleFailure('weekdays', `Not a weekday: ${token}`);
      days.push(day);
    }
    candidate = { freq: 'weekly', interval, weekdays: days, end };
  } else {
    const byMonthDay = parts.get('BYMONTHDAY');
    if (byDay && byMonthDay) return ruleFailure('on', 'Choose a day of the month or a weekday of the month, not both');
    if (byMonthDay !== undefined) {
      if (!/^-?\d+$/.test(byMonthDay)) return ruleFailure('on.day', 'One day of the month');
      candidate = { freq: 'monthly', interval, on: { by: 'date', day: Number(byMonthDay) }, end };
    } else if (byDay) {
      const m = /^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay);
      if (!m) return ruleFailure('on.week', 'One weekday with its week, like 2TU (2nd Tuesday) or -1FR (last Friday)');
      candidate = { freq: 'monthly', interval, on: { by: 'weekday', week: Number(m[1]), weekday: DAY_OF_ICAL[m[2]!] }, end };
    } else {
      return ruleFailure('on', 'Choose a day of the month or a weekday of the month');
    }
  }
  const parsed = repeatRuleSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return ruleFailure(issue.path.map(String).join('.') || '_', issue.message);
  }
  return ok(parsed.data);
}

/** The last date a rule ends on by UNTIL, if it has one. */
export const untilOf = (rule: RepeatRule): LocalDate | null => (rule.end.type === 'until' ? rule.end.date : null);
