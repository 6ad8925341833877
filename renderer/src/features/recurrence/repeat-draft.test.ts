import { describe, expect, it } from 'vitest';
import { repeatRuleSchema } from '../../../../core/recurrence/rule';
import { draftOfRule, followStart, NO_REPEAT, repeatInput, repeatWords, toggleWeekday, type RepeatDraft } from './repeat-draft';

const weekly: RepeatDraft = { ...NO_REPEAT, freq: 'weekly' };

describe('repeat draft', () => {
  it('"Does not repeat" sends no rule', () => {
    expect(repeatInput(NO_REPEAT)).toEqual({ value: null, errors: {} });
    expect(repeatWords(NO_REPEAT)).toBeNull();
  });

  it('a start date picks its weekday and its day and week of the month, until weekdays are chosen by hand', () => {
    // 24 Nov 2026 is the 4th Tuesday.
    const d = followStart(weekly, '2026-11-24');
    expect(d).toMatchObject({ weekdays: ['tue'], monthDay: '24', monthWeek: '4', monthWeekday: 'tue' });
    expect(repeatWords(d)).toBe('Weekly on Tuesday');
    const chosen = toggleWeekday(d, 'thu', true);
    expect(chosen.weekdays).toEqual(['tue', 'thu']);
    expect(followStart(chosen, '2026-11-25').weekdays).toEqual(['tue', 'thu']);
    expect(repeatWords(chosen)).toBe('Weekly on Tue and Thu');
    // Weekdays stay in week order whatever order they were ticked in.
    expect(toggleWeekday(toggleWeekday(weekly, 'fri', true), 'mon', true).weekdays).toEqual(['mon', 'fri']);
  });

  it('builds the rule the series commands take, and says it in words', () => {
    const d: RepeatDraft = { ...followStart(weekly, '2026-11-24'), interval: '2', endType: 'until', until: '2027-03-31' };
    const { value, errors } = repeatInput(d);
    expect(errors).toEqual({});
    expect(repeatRuleSchema.parse(value)).toEqual({ freq: 'weekly', interval: 2, weekdays: ['tue'], end: { type: 'until', date: '2027-03-31' } });
    expect(repeatWords(d, 2026)).toBe('Every 2 weeks on Tuesday until Mar 31, 2027');

    const lastFriday: RepeatDraft = { ...NO_REPEAT, freq: 'monthly', monthlyBy: 'weekday', monthWeek: '-1', monthWeekday: 'fri', endType: 'count', count: '6' };
    expect(repeatInput(lastFriday).value).toEqual({ freq: 'monthly', interval: 1, on: { by: 'weekday', week: -1, weekday: 'fri' }, end: { type: 'count', count: 6 } });
    expect(repeatWords(lastFriday)).toBe('Monthly on the last Friday, 6 times');
    expect(repeatWords({ ...NO_REPEAT, freq: 'monthly', monthDay: '-1' })).toBe('Monthly on the last day');
  });

  it('text that is not a number is an error on its control; a rule the schema refuses has no words', () => {
    expect(repeatInput({ ...weekly, weekdays: ['mon'], interval: 'two' }).errors).toEqual({ 'repeat.interval': 'A whole number, like 2' });
    expect(repeatInput({ ...weekly, weekdays: ['mon'], endType: 'count', count: '' }).errors).toEqual({
      'repeat.end.count': 'A whole number of visits, like 10',
    });
    expect(repeatInput({ ...weekly, weekdays: ['mon'], endType: 'until' }).errors).toEqual({ 'repeat.end.date': 'Pick the last date' });
    // No weekday: the command says so on repeat.weekdays; the control shows no words meanwhile.
    expect(repeatInput(weekly).errors).toEqual({});
    expect(repeatWords(weekly)).toBeNull();
    expect(repeatWords({ ...weekly, weekdays: ['mon'], interval: '60' })).toBeNull();
  });

  it('a stored rule reads back into the same draft', () => {
    const rule = repeatRuleSchema.parse({ freq: 'monthly', interval: 3, on: { by: 'weekday', week: 2, weekday: 'tue' }, end: { type: 'count', count: 4 } });
    const d = draftOfRule(rule);
    expect(repeatRuleSchema.parse(repeatInput(d).value)).toEqual(rule);
    const weeklyRule = repeatRuleSchema.parse({ freq: 'weekly', weekdays: ['thu', 'mon'], end: { type: 'until', date: '2027-01-31' } });
    expect(repeatRuleSchema.parse(repeatInput(draftOfRule(weeklyRule)).value)).toEqual(weeklyRule);
  });
});
