import { describe, expect, it } from 'vitest';
import { windowMovedWith } from './arrival-window-move';

// Tuesday 09:00–10:00 Chicago is 15:00–16:00 UTC.
const WINDOW = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z' };

describe('windowMovedWith', () => {
  it('leaves the window alone when the new start is still inside it, or there is nothing to move', () => {
    expect(windowMovedWith(WINDOW, { start: '2026-11-24T15:00:00Z' }, { start: '2026-11-24T15:30:00Z' })).toBeNull();
    expect(windowMovedWith(WINDOW, { start: '2026-11-24T15:00:00Z' }, { start: '2026-11-24T16:00:00Z' })).toBeNull();
    expect(windowMovedWith(null, { start: '2026-11-24T15:00:00Z' }, { start: '2026-11-24T19:00:00Z' })).toBeNull();
    expect(windowMovedWith(WINDOW, { start: '2026-11-24T15:00:00Z' }, null)).toBeNull();
  });

  it('moves the window by as much as the job moved, keeping its length and where the job started in it', () => {
    // 09:00 -> 13:00: the window 09:00–10:00 becomes 13:00–14:00 (the "moved to 13:00" case).
    expect(windowMovedWith(WINDOW, { start: '2026-11-24T15:00:00Z' }, { start: '2026-11-24T19:00:00Z' })).toEqual({
      start: '2026-11-24T19:00:00Z',
      end: '2026-11-24T20:00:00Z',
    });
    // Started 30 minutes into it; moved a day and an hour later: still 30 minutes into it.
    expect(windowMovedWith(WINDOW, { start: '2026-11-24T15:30:00Z' }, { start: '2026-11-25T16:30:00Z' })).toEqual({
      start: '2026-11-25T16:00:00Z',
      end: '2026-11-25T17:00:00Z',
    });
  });

  it('starts the window with the job when the job had no date, or did not start inside its window', () => {
    expect(windowMovedWith(WINDOW, null, { start: '2026-11-24T19:00:00Z' })).toEqual({ start: '2026-11-24T19:00:00Z', end: '2026-11-24T20:00:00Z' });
    // Booked at 12:00, outside its 09:00–10:00 window; moved to 08:00: shifting would give 05:00–06:00.
    expect(windowMovedWith(WINDOW, { start: '2026-11-24T18:00:00Z' }, { start: '2026-11-24T14:00:00Z' })).toEqual({
      start: '2026-11-24T14:00:00Z',
      end: '2026-11-24T15:00:00Z',
    });
  });
});
