import { describe, expect, it } from 'vitest';
import { whenText } from './org-when';

describe('whenText (Team, Sync and Backups)', () => {
  const iso = '2026-11-24T15:05:00.000Z';
  it("reads an instant in the organization's zone and clock, not the machine's", () => {
    expect(whenText(iso, { timeZone: 'America/Chicago', timeFormat: '12h' })).toBe('Tue, Nov 24, 2026, 9:05 AM');
    expect(whenText(iso, { timeZone: 'America/Chicago', timeFormat: '24h' })).toBe('Tue, Nov 24, 2026, 09:05');
    expect(whenText(iso, { timeZone: 'Europe/Berlin', timeFormat: '24h' })).toBe('Tue, Nov 24, 2026, 16:05');
  });
  it('says UTC until the settings are known', () => {
    expect(whenText(iso, undefined)).toBe('Tue, Nov 24, 2026, 15:05 UTC');
  });
});
