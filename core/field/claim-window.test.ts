import { describe, expect, it } from 'vitest';
import { AVAILABLE_DAYS, availableWindowMs, outsideAvailableWindow } from './claim-window';

const ZONE = 'America/Chicago';
const at = (iso: string) => Date.parse(iso);

describe('the self-dispatch window', () => {
  it('runs from the start of today to the end of the 13th day after it, in the zone, across a DST change', () => {
    // 2027-03-14 springs forward in Chicago: the day starts at 06:00Z (CST), the window ends at 05:00Z (CDT).
    expect(availableWindowMs('2027-03-14', ZONE)).toEqual([at('2027-03-14T06:00:00Z'), at('2027-03-28T05:00:00Z')]);
    expect(AVAILABLE_DAYS).toBe(14);
    expect(outsideAvailableWindow(at('2027-03-14T06:00:00Z'), '2027-03-14', ZONE)).toBeNull();
    expect(outsideAvailableWindow(at('2027-03-28T04:59:00Z'), '2027-03-14', ZONE)).toBeNull();
  });

  it('says why in a sentence: the day is over, or when the job opens', () => {
    expect(outsideAvailableWindow(at('2027-03-14T05:59:00Z'), '2027-03-14', ZONE)).toBe(
      'This job was on Saturday, March 13; that day is over, so it can no longer be claimed',
    );
    expect(outsideAvailableWindow(at('2027-03-28T05:00:00Z'), '2027-03-14', ZONE)).toBe(
      'This job on Sunday, March 28 is not open for claiming yet: it can be claimed from Monday, March 15',
    );
  });
});
