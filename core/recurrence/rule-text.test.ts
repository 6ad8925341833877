import { describe, expect, it } from 'vitest';
import { repeatRuleSchema, type RepeatRuleInput } from './rule';
import { describeRepeat, describeRRule, ordinal } from './rule-text';

const words = (input: RepeatRuleInput, referenceYear?: number) => describeRepeat(repeatRuleSchema.parse(input), { referenceYear });

describe('a repeat rule in words', () => {
  it('says the shapes of the bookings list and job panel', () => {
    expect(words({ freq: 'weekly', interval: 2, weekdays: ['tue'], end: { type: 'until', date: '2027-03-31' } }, 2027)).toBe(
      'Every 2 weeks on Tuesday until Mar 31',
    );
    expect(words({ freq: 'monthly', on: { by: 'weekday', week: 2, weekday: 'tue' }, end: { type: 'count', count: 10 } })).toBe(
      'Monthly on the 2nd Tuesday, 10 times',
    );
    expect(words({ freq: 'weekly', weekdays: ['mon', 'wed', 'fri'] })).toBe('Weekly on Mon, Wed, and Fri');
  });

  it('covers every supported shape', () => {
    expect(words({ freq: 'weekly', weekdays: ['thu'] })).toBe('Weekly on Thursday');
    expect(words({ freq: 'weekly', weekdays: ['sun', 'sat'] })).toBe('Weekly on Sat and Sun');
    expect(words({ freq: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] })).toBe('Every weekday');
    expect(words({ freq: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] })).toBe('Every day');
    expect(words({ freq: 'weekly', interval: 3, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] })).toBe('Every 3 weeks on Mon, Tue, Wed, Thu, and Fri');
    expect(words({ freq: 'monthly', on: { by: 'date', day: 1 } })).toBe('Monthly on the 1st');
    expect(words({ freq: 'monthly', on: { by: 'date', day: 22 } })).toBe('Monthly on the 22nd');
    expect(words({ freq: 'monthly', on: { by: 'date', day: 13 } })).toBe('Monthly on the 13th');
    expect(words({ freq: 'monthly', on: { by: 'date', day: 31 } })).toBe('Monthly on the 31st');
    expect(words({ freq: 'monthly', on: { by: 'date', day: -1 } })).toBe('Monthly on the last day');
    expect(words({ freq: 'monthly', interval: 2, on: { by: 'weekday', week: -1, weekday: 'fri' } })).toBe('Every 2 months on the last Friday');
    expect(words({ freq: 'monthly', on: { by: 'weekday', week: 3, weekday: 'wed' }, end: { type: 'count', count: 1 } })).toBe(
      'Monthly on the 3rd Wednesday, once',
    );
  });

  it('shows the end date\'s year only when it is not the reference year', () => {
    const rule: RepeatRuleInput = { freq: 'weekly', weekdays: ['mon'], end: { type: 'until', date: '2028-01-10' } };
    expect(words(rule, 2028)).toBe('Weekly on Monday until Jan 10');
    expect(words(rule, 2027)).toBe('Weekly on Monday until Jan 10, 2028');
    expect(words(rule)).toBe('Weekly on Monday until Jan 10');
  });

  it('reads stored RRULE values, and says so when it cannot', () => {
    expect(describeRRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO;UNTIL=20270331T235959Z', { referenceYear: 2027 })).toBe(
      'Every 2 weeks on Tuesday until Mar 31',
    );
    expect(describeRRule('FREQ=DAILY;BYHOUR=9')).toBe('Repeats (custom rule)');
  });

  it('ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31, 101, 111].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '31st', '101st', '111th',
    ]);
  });
});
