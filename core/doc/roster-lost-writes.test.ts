import { describe, expect, it } from 'vitest';
import type { GroupEntry, LostWrite } from './group-entries';
import { ZERO } from './hlc';
import { fieldValueText, parseRosterLostWriteText, rosterLostWriteSides, rosterLostWriteText } from './roster-lost-writes';

const entry = (replica: string, wall: number, value: Record<string, unknown>): GroupEntry => {
  const stamp = { wall, n: 0, r: replica };
  return { key: `g@${replica}`, replica, stamp, effective: stamp, before: ZERO, value };
};
const lost = (group: string, loser: Record<string, unknown>, winner: Record<string, unknown>): LostWrite => ({
  group,
  loser: entry('a', 1, loser),
  winner: entry('b', 2, winner),
  rule: null,
});

describe('roster lost-write sides', () => {
  it('names only the fields that differ, in the form’s words', () => {
    const sides = rosterLostWriteSides(
      'providers',
      lost('profile', { name: 'Tess Brown', phone: '555-0100', chatHandle: '@tess' }, { name: 'Tess Black', phone: '555-0100', chatHandle: '' }),
    );
    expect(sides).toEqual({ kept: 'Name "Tess Black", Team chat handle empty', lost: 'Name "Tess Brown", Team chat handle "@tess"' });
  });

  it('reads services, skills, channels and active as words', () => {
    expect(rosterLostWriteSides('services', lost('details', { durationMinutes: 45, requiredSkills: [] }, { durationMinutes: 90, requiredSkills: ['gas'] }))).toEqual({
      kept: 'Duration (minutes) 90, Required skills "gas"',
      lost: 'Duration (minutes) 45, Required skills none',
    });
    expect(fieldValueText('active', false)).toBe('inactive');
    expect(fieldValueText('channels', { email: true, sms: true })).toBe('email, SMS');
    expect(fieldValueText('weeklyHours', { mon: [] })).toBe('another value');
    expect(fieldValueText('notes', 'x'.repeat(80))).toBe(`"${'x'.repeat(57)}..."`);
  });

  it('says so when both sides wrote the same values', () => {
    expect(rosterLostWriteSides('customers', lost('notes', { notes: 'Same' }, { notes: 'Same' }))).toEqual({
      kept: 'Notes: the same values as yours',
      lost: 'Notes: the same values',
    });
  });

  it('stores as one line and reads back', () => {
    const sides = { kept: 'Name "A. Kept"', lost: 'Name "B. Lost"' };
    expect(rosterLostWriteText(sides)).toBe('Kept: Name "A. Kept". Yours, not kept: Name "B. Lost".');
    expect(parseRosterLostWriteText(rosterLostWriteText(sides))).toEqual(sides);
    expect(parseRosterLostWriteText('Something else')).toBeNull();
  });
});
