import { describe, expect, it } from 'vitest';
import { clockStartingAt, fixedClock, instantOf, manualClock, parseNowFlag, todayIn } from './clock';

describe('clock', () => {
  it('starts at the chosen instant and runs at the pace of its base', () => {
    const base = manualClock(1_000_000);
    const start = Date.parse('2026-11-24T14:00:00Z');
    const clock = clockStartingAt(start, base.now);
    expect(clock()).toBe(start);
    base.advance(90_000);
    expect(clock()).toBe(start + 90_000);
  });

  it('reads instants as the documents store them, in whole seconds', () => {
    expect(instantOf(Date.parse('2026-11-24T14:00:07.999Z'))).toBe('2026-11-24T14:00:07Z');
  });

  it("says today's date in the organization's zone, across a DST change", () => {
    // 07:30 UTC on 2027-03-14 is 01:30 CST; an hour later, 03:30 CDT: the same local date either side.
    expect(todayIn(fixedClock(Date.parse('2027-03-14T07:30:00Z')), 'America/Chicago')).toBe('2027-03-14');
    expect(todayIn(fixedClock(Date.parse('2027-03-14T08:30:00Z')), 'America/Chicago')).toBe('2027-03-14');
    expect(todayIn(fixedClock(Date.parse('2027-03-14T05:59:00Z')), 'America/Chicago')).toBe('2027-03-13');
  });

  it('takes a --now with a zone or offset and refuses anything else with the reason', () => {
    expect(parseNowFlag('2026-11-24T14:00:00Z')).toEqual({ ok: true, ms: Date.parse('2026-11-24T14:00:00Z') });
    expect(parseNowFlag('2026-11-24T08:00:00-06:00')).toEqual({ ok: true, ms: Date.parse('2026-11-24T14:00:00Z') });
    for (const bad of ['2026-11-24', '2026-11-24T14:00:00', 'tomorrow', '']) {
      const parsed = parseNowFlag(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain('--now must be an ISO-8601 instant');
    }
  });
});
