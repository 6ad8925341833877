import { describe, expect, it } from 'vitest';
import { listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import { listBookings } from '../doc/schedule';
import { STATUSES, type Status } from '../model';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { availableJobs, fieldActions, fieldDay, fieldJob, type FieldWorld } from './field-jobs';

/** A UTC instant for a wall-clock time given the zone's UTC offset that day (by hand, not by core). */
function wall(date: string, hhmm: string, utcOffsetHours: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, h - utcOffsetHours, mi)).toISOString().replace('.000Z', 'Z');
}

const worldOf = (ws: Workspace): FieldWorld => ({
  settings: readSettings(ws.roster),
  providers: listProviders(ws.roster),
  customers: listCustomers(ws.roster),
  services: listServices(ws.roster),
  bookings: listBookings(ws.schedule),
});

describe('field actions', () => {
  it('follow the state machine: en route after dispatch, in after en route, out after in; late while open', () => {
    const expected: Record<Status, string[]> = {
      unscheduled: ['running_late'],
      scheduled: ['running_late'],
      dispatched: ['en_route', 'running_late'],
      en_route: ['in_progress', 'running_late'],
      in_progress: ['completed', 'running_late'],
      completed: [],
      cancelled: [],
    };
    for (const status of STATUSES) expect(fieldActions(status), status).toEqual(expected[status]);
  });
});

describe('a technician’s field day', () => {
  // 2026-11-01 in Chicago is 25 hours long: 01:00–02:00 happens twice (CDT, then CST).
  const DST_DAY = '2026-11-01';

  function setup() {
    const ws = createWorkspace({ now: '2026-10-30T12:00:00Z' });
    ws.must('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
    const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
    const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
    const job = (title: string, start: string, end: string, assignees: string[]) =>
      ws.must('createBooking', { title, slot: { start, end, assignees } }).id;
    const ids = {
      // Started the evening before, runs past midnight: on both days.
      overnight: job('Overnight boiler watch', wall('2026-10-31', '23:30', -5), wall(DST_DAY, '00:30', -5), [ana]),
      // 01:30 CDT to 01:30 CST: an hour that looks like none on a wall clock.
      fold: job('Meter swap', wall(DST_DAY, '01:30', -5), wall(DST_DAY, '01:30', -6), [ana, bo]),
      late: job('Late call', wall(DST_DAY, '23:30', -6), wall('2026-11-02', '00:15', -6), [ana]),
      nextDay: job('Next day', wall('2026-11-02', '00:30', -6), wall('2026-11-02', '01:30', -6), [ana]),
      bos: job('Bo only', wall(DST_DAY, '10:00', -6), wall(DST_DAY, '11:00', -6), [bo]),
    };
    return { ws, ana, bo, ids };
  }

  it('holds the jobs overlapping the local day in its zone, 25 hours on a DST day, with zone-marked times', () => {
    const { ws, ana, ids } = setup();
    const day = fieldDay(worldOf(ws), ana, DST_DAY);
    expect(day.jobs.map((j) => j.id)).toEqual([ids.overnight, ids.fold, ids.late]);
    const fold = day.jobs[1]!;
    expect(fold.timeLabel).toBe('01:30 CDT–01:30 CST');
    expect(fold.durationMinutes).toBe(60);
    expect(fold.teamMates).toEqual(['Bo Chen']);
    expect(day.jobs[0]!.date).toBe('2026-10-31');
    expect(fieldDay(worldOf(ws), ana, '2026-11-02').jobs.map((j) => j.id)).toEqual([ids.late, ids.nextDay]);
    expect(day.dateLabel).toBe('Sunday, November 1, 2026');
  });

  it('writes a 12 h organization’s times on the technician page and in its offers', () => {
    const { ws, ana } = setup();
    ws.must('updateSettings', { timeFormat: '12h' });
    const day = fieldDay(worldOf(ws), ana, DST_DAY);
    expect(day.jobs[1]!.timeLabel).toBe('1:30 AM CDT–1:30 AM CST');
    ws.must('createBooking', { title: 'Open', slot: { start: wall('2026-11-03', '14:00', -6), end: wall('2026-11-03', '15:30', -6), assignees: [] } });
    expect(availableJobs(worldOf(ws), DST_DAY, 14)[0]).toMatchObject({ title: 'Open', timeLabel: '2:00 PM–3:30 PM' });
  });

  it('finds one job only for its assignees; a cancelled one says so', () => {
    const { ws, ana, bo, ids } = setup();
    expect(fieldJob(worldOf(ws), ana, ids.bos)).toEqual({ found: 'none' });
    expect(fieldJob(worldOf(ws), bo, ids.bos)).toMatchObject({ found: 'job', job: { id: ids.bos, title: 'Bo only' } });
    ws.must('cancelBooking', { id: ids.bos, reason: 'Rain' });
    expect(fieldJob(worldOf(ws), bo, ids.bos)).toEqual({ found: 'cancelled' });
    expect(fieldDay(worldOf(ws), bo, DST_DAY).jobs.map((j) => j.id)).toEqual([ids.fold]);
  });

  it('offers dated jobs nobody has, soonest first, from the given day for the given number of days', () => {
    const { ws, ana } = setup();
    const open = (title: string, date: string, utcOffset = -6) =>
      ws.must('createBooking', { title, slot: { start: wall(date, '10:00', utcOffset), end: wall(date, '11:30', utcOffset), assignees: [] } }).id;
    const later = open('Later', '2026-11-05');
    const sooner = open('Sooner', '2026-11-03');
    const tooFar = open('Too far', '2026-11-20');
    const before = open('Before', '2026-10-30', -5);
    ws.must('createBooking', { title: 'Undated' });
    const taken = open('Taken', '2026-11-04');
    ws.must('assignProvider', { id: taken, providerId: ana });
    const offered = availableJobs(worldOf(ws), DST_DAY, 14);
    expect(offered.map((j) => j.id)).toEqual([sooner, later]);
    expect(offered[0]).toMatchObject({ title: 'Sooner', date: '2026-11-03', timeLabel: '10:00–11:30', durationMinutes: 90 });
    expect(availableJobs(worldOf(ws), DST_DAY, 30).map((j) => j.id)).toEqual([sooner, later, tooFar]);
    expect(availableJobs(worldOf(ws), '2026-10-30', 1).map((j) => j.id)).toEqual([before]);
  });
});
