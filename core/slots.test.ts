import { describe, expect, it } from 'vitest';
import { sameSlot } from './slots';

const slot = (start: string, end: string, assignees: string[]) => ({ start, end, assignees });

describe('sameSlot', () => {
  it('is the same time and the same people, whatever their order or the instants’ spelling', () => {
    expect(sameSlot(slot('2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z', ['a', 'b']), slot('2026-11-24T15:00:00.000Z', '2026-11-24T16:00:00Z', ['b', 'a']))).toBe(true);
    expect(sameSlot(null, null)).toBe(true);
    expect(sameSlot(undefined, null)).toBe(true);
  });

  it('tells a move, a resize, a new or removed technician and an unscheduling apart', () => {
    const base = slot('2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z', ['a']);
    expect(sameSlot(base, slot('2026-11-24T15:15:00Z', '2026-11-24T16:15:00Z', ['a']))).toBe(false);
    expect(sameSlot(base, slot('2026-11-24T15:00:00Z', '2026-11-24T16:30:00Z', ['a']))).toBe(false);
    expect(sameSlot(base, slot('2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z', ['a', 'b']))).toBe(false);
    expect(sameSlot(base, slot('2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z', ['b']))).toBe(false);
    expect(sameSlot(base, null)).toBe(false);
  });
});
