import { describe, expect, it } from 'vitest';
import { parseRRule, repeatRuleSchema, toRRule, type RepeatRuleInput } from './rule';

const parse = (input: unknown) => repeatRuleSchema.safeParse(input);
/** The first issue as `path: message`, the way a form would show it. */
const issue = (input: unknown) => {
  const r = parse(input);
  if (r.success) return null;
  const first = r.error.issues[0]!;
  return `${first.path.join('.')}: ${first.message}`;
};

describe('repeat rules users may choose', () => {
  it('accepts the supported shapes and writes their canonical RRULE', () => {
    const cases: Array<[RepeatRuleInput, string]> = [
      [{ freq: 'weekly', weekdays: ['fri', 'mon', 'wed'] }, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;WKST=MO'],
      [
        { freq: 'weekly', interval: 2, weekdays: ['tue'], end: { type: 'until', date: '2027-03-31' } },
        'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO;UNTIL=20270331T235959Z',
      ],
      [{ freq: 'monthly', on: { by: 'date', day: 31 } }, 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=31'],
      [{ freq: 'monthly', interval: 3, on: { by: 'date', day: -1 }, end: { type: 'count', count: 4 } }, 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1;COUNT=4'],
      [{ freq: 'monthly', on: { by: 'weekday', week: 2, weekday: 'tue' }, end: { type: 'count', count: 10 } }, 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=10'],
      [{ freq: 'monthly', on: { by: 'weekday', week: -1, weekday: 'fri' } }, 'FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR'],
    ];
    for (const [input, rrule] of cases) {
      const parsed = parse(input);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      if (!parsed.success) continue;
      expect(toRRule(parsed.data)).toBe(rrule);
      // ...and reads back as the same rule.
      expect(parseRRule(rrule)).toEqual({ ok: true, value: parsed.data });
      expect(parseRRule(`RRULE:${rrule}`)).toEqual({ ok: true, value: parsed.data });
    }
  });

  it('refuses anything else with the field a form shows it on', () => {
    expect(issue({ freq: 'weekly', weekdays: [] })).toBe('weekdays: Choose at least one weekday');
    expect(issue({ freq: 'weekly' })).toBe('weekdays: Choose at least one weekday');
    expect(issue({ freq: 'weekly', weekdays: ['mon', 'mon'] })).toBe('weekdays: Choose each weekday once');
    expect(issue({ freq: 'weekly', weekdays: ['monday'] })).toBe('weekdays.0: Choose a weekday');
    expect(issue({ freq: 'weekly', interval: 0, weekdays: ['mon'] })).toBe('interval: At least every 1 week');
    expect(issue({ freq: 'weekly', interval: 53, weekdays: ['mon'] })).toBe('interval: At most every 52 weeks');
    expect(issue({ freq: 'weekly', interval: 1.5, weekdays: ['mon'] })).toBe('interval: A whole number of weeks');
    expect(issue({ freq: 'daily' })).toBe('freq: Repeat weekly or monthly');
    expect(issue({ freq: 'monthly' })).toBe('on: Choose a day of the month or a weekday of the month');
    expect(issue({ freq: 'monthly', on: { by: 'date', day: 32 } })).toBe('on.day: A day from 1 to 31, or the last day');
    expect(issue({ freq: 'monthly', on: { by: 'date', day: 0 } })).toBe('on.day: A day from 1 to 31, or the last day');
    expect(issue({ freq: 'monthly', on: { by: 'weekday', week: 6, weekday: 'tue' } })).toBe('on.week: Choose which week: 1st to 5th, or last');
    expect(issue({ freq: 'monthly', interval: 13, on: { by: 'date', day: 1 } })).toBe('interval: At most every 12 months');
    expect(issue({ freq: 'weekly', weekdays: ['mon'], end: { type: 'count', count: 0 } })).toBe('end.count: At least once');
    expect(issue({ freq: 'weekly', weekdays: ['mon'], end: { type: 'until', date: '2027-02-30' } })).toBe('end.date: Must be a date like 2026-11-23');
    expect(issue({ freq: 'weekly', weekdays: ['mon'], end: { type: 'someday' } })).toBe(
      'end.type: Choose when the repeat ends: never, on a date, or after a number of times',
    );
  });

  it('reads only the supported RRULE shapes, naming the part that is not', () => {
    const refused = (rrule: string) => {
      const r = parseRRule(rrule);
      return r.ok ? null : [r.error.message, r.error.fieldErrors];
    };
    expect(refused('FREQ=WEEKLY;INTERVAL=2')).toEqual(['Repeat: choose at least one weekday', { weekdays: 'Choose at least one weekday' }]);
    expect(refused('FREQ=DAILY')).toEqual(['Repeat weekly or monthly', { freq: 'Repeat weekly or monthly' }]);
    expect(refused('FREQ=WEEKLY;BYDAY=MO;BYHOUR=9')).toEqual(['Repeat: not supported here: BYHOUR', { _: 'Not supported here: BYHOUR' }]);
    expect(refused('FREQ=MONTHLY;BYDAY=TU')?.[1]).toHaveProperty(['on.week']);
    expect(refused('FREQ=MONTHLY;BYDAY=2TU,4TU')?.[1]).toHaveProperty(['on.week']);
    expect(refused('FREQ=MONTHLY;BYDAY=2TU;BYMONTHDAY=3')?.[1]).toHaveProperty('on');
    expect(refused('FREQ=MONTHLY;BYSETPOS=2;BYDAY=TU')?.[1]).toHaveProperty('_');
    expect(refused('FREQ=WEEKLY;BYDAY=MO;COUNT=3;UNTIL=20270101')?.[1]).toEqual({ end: 'End on a date or after a number of times, not both' });
    expect(refused('FREQ=WEEKLY;BYDAY=MO;WKST=SU')?.[1]).toHaveProperty('_');
    expect(refused('FREQ=WEEKLY;BYDAY=MO;UNTIL=tomorrow')?.[1]).toHaveProperty(['end.date']);
    expect(refused('FREQ=WEEKLY;FREQ=WEEKLY;BYDAY=MO')?.[1]).toHaveProperty('_');
    // A date-only UNTIL is read too; it is written back in the canonical form.
    const dateOnly = parseRRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20270101');
    expect(dateOnly.ok && toRRule(dateOnly.value)).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO;UNTIL=20270101T235959Z');
  });
});
