import { describe, expect, it } from 'vitest';
import { toMs } from '../../../core/time';
import { dailyDue, nextDailyDueMs } from './daily';

const CHI = 'America/Chicago';

describe('daily schedule due time', () => {
  it('is 05:00 local: 11:00Z in CST, 10:00Z in CDT', () => {
    expect(dailyDue(toMs('2026-11-23T10:59:00Z'), CHI, '05:00')).toMatchObject({ date: '2026-11-23', due: false });
    expect(dailyDue(toMs('2026-11-23T11:00:00Z'), CHI, '05:00')).toMatchObject({ date: '2026-11-23', due: true, dueMs: toMs('2026-11-23T11:00:00Z') });
    expect(dailyDue(toMs('2026-07-01T10:00:00Z'), CHI, '05:00').dueMs).toBe(toMs('2026-07-01T10:00:00Z'));
  });

  it('follows the fall-back day (2026-11-01): 05:00 CST is 11:00Z, not yesterday’s 10:00Z', () => {
    const day = dailyDue(toMs('2026-11-01T10:30:00Z'), CHI, '05:00');
    expect(day).toMatchObject({ date: '2026-11-01', due: false, dueMs: toMs('2026-11-01T11:00:00Z') });
    expect(dailyDue(toMs('2026-10-31T10:00:00Z'), CHI, '05:00').due).toBe(true);
    // A time inside the repeated hour is due at its first occurrence (CDT).
    expect(dailyDue(toMs('2026-11-01T06:45:00Z'), CHI, '01:30')).toMatchObject({ due: true, dueMs: toMs('2026-11-01T06:30:00Z') });
  });

  it('follows the spring-forward day (2027-03-14): 05:00 CDT is 10:00Z; a skipped time is due after the gap', () => {
    expect(dailyDue(toMs('2027-03-14T10:00:00Z'), CHI, '05:00')).toMatchObject({ date: '2027-03-14', due: true, dueMs: toMs('2027-03-14T10:00:00Z') });
    expect(dailyDue(toMs('2027-03-14T09:59:00Z'), CHI, '05:00').due).toBe(false);
    // 02:30 does not exist that day: due at 03:30 CDT = 08:30Z.
    expect(dailyDue(toMs('2027-03-14T08:00:00Z'), CHI, '02:30')).toMatchObject({ due: false, dueMs: toMs('2027-03-14T08:30:00Z') });
  });

  it('the next due time is tomorrow once today’s has passed, across the DST change', () => {
    expect(nextDailyDueMs(toMs('2026-10-31T12:00:00Z'), CHI, '05:00')).toBe(toMs('2026-11-01T11:00:00Z'));
    expect(nextDailyDueMs(toMs('2027-03-13T12:00:00Z'), CHI, '05:00')).toBe(toMs('2027-03-14T10:00:00Z'));
    expect(nextDailyDueMs(toMs('2026-11-23T04:00:00Z'), CHI, '24:00')).toBe(toMs('2026-11-23T05:59:00Z'));
  });
});
