import { describe, expect, it } from 'vitest';
import type { Slot, Status } from '../model';
import { lateNote, lateReportsByProvider, nextJobsAfterLate } from './running-late';

/** Chicago is UTC-6 in late November; 2026-11-24 is a Tuesday. */
const ZONE = 'America/Chicago';
const slot = (hh: number, assignees: string[], date = '2026-11-24'): Slot => ({
  start: `${date}T${String(hh + 6).padStart(2, '0')}:00:00Z`,
  end: `${date}T${String(hh + 7).padStart(2, '0')}:00:00Z`,
  assignees,
});
const job = (id: string, s: Slot | null, status: Status = 'dispatched', statusNote = '') => ({ id, slot: s, status, statusNote });

describe('lateNote: when a late report stands', () => {
  it('shows the note while the job is not under way or closed', () => {
    expect(lateNote(job('a', null, 'dispatched', 'Running late: 20 min, traffic'))).toBe('Running late: 20 min, traffic');
    expect(lateNote(job('a', null, 'en_route', 'Running late: 5 min'))).toBe('Running late: 5 min');
    expect(lateNote(job('a', null, 'scheduled', 'Running late: 5 min'))).toBe('Running late: 5 min');
  });
  it('clears once the technician is in, the job is closed, or a later status note replaced it', () => {
    for (const status of ['in_progress', 'completed', 'cancelled'] as const) expect(lateNote(job('a', null, status, 'Running late: 5 min'))).toBeNull();
    expect(lateNote(job('a', null, 'en_route', 'On my way'))).toBeNull();
    expect(lateNote(job('a', null, 'dispatched', ''))).toBeNull();
  });
});

describe('lateReportsByProvider', () => {
  it("gives each technician their earliest late job of the day, with how many are late, and nobody else's", () => {
    const day: [number, number] = [Date.parse('2026-11-24T06:00:00Z'), Date.parse('2026-11-25T06:00:00Z')];
    const bookings = [
      job('later', slot(14, ['ana']), 'dispatched', 'Running late: 1 h'),
      job('first', slot(9, ['ana', 'bo']), 'dispatched', 'Running late: 20 min, traffic'),
      job('fine', slot(11, ['cy']), 'dispatched', ''),
      job('tomorrow', slot(9, ['cy'], '2026-11-25'), 'dispatched', 'Running late: 10 min'),
      job('arrived', slot(8, ['dee']), 'in_progress', 'Running late: 10 min'),
    ];
    const reports = lateReportsByProvider(bookings, ...day);
    expect([...reports.keys()].sort()).toEqual(['ana', 'bo']);
    expect(reports.get('ana')).toEqual({ providerId: 'ana', bookingId: 'first', note: 'Running late: 20 min, traffic', count: 2 });
    expect(reports.get('bo')).toEqual({ providerId: 'bo', bookingId: 'first', note: 'Running late: 20 min, traffic', count: 1 });
  });
});

describe('nextJobsAfterLate', () => {
  it("lists the technician's open jobs after the late one on its day, soonest first", () => {
    const bookings = [
      job('late', slot(9, ['ana']), 'dispatched', 'Running late: 20 min'),
      job('c', slot(15, ['ana']), 'scheduled'),
      job('b', slot(11, ['ana', 'bo']), 'dispatched'),
      job('before', slot(8, ['ana']), 'completed'),
      job('earlier', slot(7, ['ana']), 'dispatched'),
      job('done', slot(12, ['ana']), 'completed'),
      job('cancelled', slot(13, ['ana']), 'cancelled'),
      job('onway', slot(14, ['ana']), 'en_route'),
      job('bos', slot(16, ['bo'])),
      job('tomorrow', slot(9, ['ana'], '2026-11-25')),
      // 23:00 in Chicago is 05:00 UTC the next day: still the late job's local day.
      { id: 'night', slot: { start: '2026-11-25T05:00:00Z', end: '2026-11-25T05:30:00Z', assignees: ['ana'] }, status: 'scheduled' as Status, statusNote: '' },
    ];
    expect(nextJobsAfterLate(bookings, 'ana', 'late', ZONE).map((b) => b.id)).toEqual(['b', 'c', 'night']);
    expect(nextJobsAfterLate(bookings, 'ana', 'missing', ZONE)).toEqual([]);
  });
});
