import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { getBooking, listBookings, readHistory } from '../doc/schedule';
import { findConflicts } from '../conflicts';
import { conflictWorldOf } from '../doc/roster';
import type { Actor } from '../model';
import { localDateOf, localTimeOf, toMs } from '../time';
import { occurrenceId } from '../recurrence/occurrence';
import { getSeries, linksBySeries, occurrenceLinkOf, readSeriesLog } from '../recurrence/series-doc';
import { createWorkspace, type Workspace } from '../testing/fixture';

const CHICAGO = 'America/Chicago';
const DISPATCHER: Actor = { id: 'user-d', name: 'Dee Dispatcher', role: 'dispatcher' };

interface Crew {
  ws: Workspace;
  ana: string;
  bo: string;
  customer: string;
}

/** Monday 2027-01-04, 06:00 in Chicago. */
function crew(now = '2027-01-04T12:00:00Z'): Crew {
  const ws = createWorkspace({ now });
  ws.must('initializeOrganization', { name: 'Acme Cleaning', timeZone: CHICAGO });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  const customer = ws.must('createCustomer', { name: 'Jo Smith', address: '1 Main St' }).id;
  return { ws, ana, bo, customer };
}

/** Office cleaning, Mondays and Thursdays 09:00–11:00 with Ana, from Monday 2027-01-04, 8 weeks ahead. */
function weekly(c: Crew, extra: Record<string, unknown> = {}) {
  return c.ws.must('createSeries', {
    title: 'Office cleaning',
    customerId: c.customer,
    assignees: [c.ana],
    startDate: '2027-01-04',
    startTime: '09:00',
    durationMinutes: 120,
    arrival: { fromMinutes: -15, toMinutes: 15 },
    repeat: { freq: 'weekly', weekdays: ['mon', 'thu'] },
    ...extra,
  });
}

const visits = (c: Crew, seriesId: string) =>
  [...(linksBySeries(c.ws.schedule).get(seriesId) ?? new Map())]
    .map(([id, link]) => ({ id, date: link.date, booking: getBooking(c.ws.schedule, id) }))
    .filter((v) => v.booking)
    .sort((a, b) => (a.date < b.date ? -1 : 1));
const local = (instant: string) => `${localDateOf(toMs(instant), CHICAGO)} ${localTimeOf(toMs(instant), CHICAGO)}`;
const visitOn = (c: Crew, seriesId: string, date: string) => getBooking(c.ws.schedule, occurrenceId(seriesId, date));

function updates(doc: Y.Doc, run: () => void): number {
  let n = 0;
  const count = () => n++;
  doc.on('update', count);
  run();
  doc.off('update', count);
  return n;
}

describe('createSeries', () => {
  it('creates the series and its visits through the horizon as real bookings, under ids derived from the series and date', () => {
    const c = crew();
    const { id, occurrences, until, more } = weekly(c);
    expect(until).toBe('2027-03-01');
    expect(more).toBe(false);
    // Mondays and Thursdays from Jan 4 through Mar 1.
    expect(occurrences).toHaveLength(17);
    const all = visits(c, id);
    expect(all.map((v) => v.date).slice(0, 4)).toEqual(['2027-01-04', '2027-01-07', '2027-01-11', '2027-01-14']);
    expect(all.at(-1)!.date).toBe('2027-03-01');
    for (const v of all) {
      expect(v.id).toBe(occurrenceId(id, v.date));
      expect(v.booking).toMatchObject({ title: 'Office cleaning', status: 'scheduled', customerId: c.customer, location: { address: '1 Main St' } });
      expect(local(v.booking!.slot!.start)).toBe(`${v.date} 09:00`);
      expect(local(v.booking!.slot!.end)).toBe(`${v.date} 11:00`);
      expect(local(v.booking!.arrivalWindow!.start)).toBe(`${v.date} 08:45`);
      expect(v.booking!.slot!.assignees).toEqual([c.ana]);
      expect(readHistory(c.ws.schedule, v.id).map((e) => e.action)).toEqual(['create']);
    }
    expect(listBookings(c.ws.schedule)).toHaveLength(17);
    const series = getSeries(c.ws.schedule, id)!;
    expect(series.rule).toEqual({ rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;WKST=MO', dtstart: '2027-01-04T09:00', changed: null });
    expect(readSeriesLog(c.ws.schedule, id).map((e) => e.summary)).toEqual([
      'Created: Office cleaning, Weekly on Mon and Thu, from 2027-01-04 at 09:00',
    ]);
  });

  it('visits are ordinary bookings to the conflict engine: a double-booking with one is flagged', () => {
    const c = crew();
    const { id } = weekly(c);
    const other = c.ws.must('createBooking', {
      title: 'Emergency',
      slot: { start: '2027-01-07T16:00:00Z', end: '2027-01-07T17:00:00Z', assignees: [c.ana] },
    }).id;
    const conflicts = findConflicts(conflictWorldOf(c.ws.roster), listBookings(c.ws.schedule));
    expect(conflicts.get(other)?.map((x) => x.kind)).toContain('double_booking');
    expect(conflicts.get(occurrenceId(id, '2027-01-07'))?.map((x) => x.kind)).toContain('double_booking');
  });

  it('with nobody assigned, visits are open (Unscheduled with a slot); monthly rules work the same way', () => {
    const c = crew();
    const { id, occurrences } = c.ws.must('createSeries', {
      title: 'Gutter check',
      startDate: '2027-01-01',
      startTime: '13:30',
      repeat: { freq: 'monthly', on: { by: 'weekday', week: 2, weekday: 'tue' }, end: { type: 'count', count: 10 } },
      horizonWeeks: 12,
    });
    expect(occurrences.map((o) => getBooking(c.ws.schedule, o)!.status)).toEqual(['unscheduled', 'unscheduled', 'unscheduled']);
    expect(visits(c, id).map((v) => local(v.booking!.slot!.start))).toEqual(['2027-01-12 13:30', '2027-02-09 13:30', '2027-03-09 13:30']);
  });

  it('refuses bad rules field by field, writing nothing', () => {
    const c = crew();
    const before = Y.encodeStateAsUpdate(c.ws.schedule);
    const base = { title: 'X', startDate: '2027-01-04', startTime: '09:00' };
    const errors = (repeat: unknown, extra = {}) => {
      const r = c.ws.run('createSeries', { ...base, repeat, ...extra } as never);
      return r.ok ? null : r.error.fieldErrors;
    };
    expect(errors({ freq: 'weekly', weekdays: [] })).toEqual({ 'repeat.weekdays': 'Choose at least one weekday' });
    expect(errors({ freq: 'yearly' })).toEqual({ 'repeat.freq': 'Repeat weekly or monthly' });
    expect(errors({ freq: 'weekly', weekdays: ['mon'], end: { type: 'until', date: '2027-01-01' } })).toEqual({
      'repeat.end.date': 'Must be on or after the start date',
    });
    expect(errors({ freq: 'weekly', weekdays: ['mon'] }, { startTime: '24:00' })).toEqual({ startTime: 'Must be a time like 09:00' });
    expect(errors({ freq: 'weekly', weekdays: ['mon'] }, { durationMinutes: 0 })).toEqual({ durationMinutes: 'At least 5 minutes' });
    expect(errors({ freq: 'weekly', weekdays: ['mon'] }, { arrival: { fromMinutes: 30, toMinutes: -30 } })).toEqual({
      'arrival.toMinutes': 'The window must end after it starts',
    });
    expect(Y.encodeStateAsUpdate(c.ws.schedule)).toEqual(before);
  });
});

describe('extendSeriesHorizon', () => {
  it('creates what the horizon now covers, and running it again changes nothing (not even an empty update)', () => {
    const c = crew();
    const { id } = weekly(c);
    c.ws.setNow('2027-01-18T12:00:00Z');
    const first = c.ws.must('extendSeriesHorizon', {});
    expect(first.until).toBe('2027-03-15');
    expect(first.created.map((b) => occurrenceLinkOf(c.ws.schedule, b)!.date)).toEqual(['2027-03-04', '2027-03-08', '2027-03-11', '2027-03-15']);
    // Automatic work writes no booking history.
    for (const b of first.created) expect(readHistory(c.ws.schedule, b)).toEqual([]);
    expect(updates(c.ws.schedule, () => expect(c.ws.must('extendSeriesHorizon', {})).toMatchObject({ created: [], updated: [], removed: [] }))).toBe(0);
    expect(c.ws.must('extendSeriesHorizon', { until: '2027-03-22' }).created).toHaveLength(2);
    expect(visits(c, id)).toHaveLength(23);
  });

  it('stops at 500 writes per call and says there is more', () => {
    const c = crew();
    c.ws.must('createSeries', {
      title: 'Daily check',
      startDate: '2027-01-04',
      startTime: '07:00',
      assignees: [c.ana],
      repeat: { freq: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      horizonWeeks: 1,
    });
    const first = c.ws.must('extendSeriesHorizon', { until: '2028-12-31' });
    expect(first.created).toHaveLength(500);
    expect(first.more).toBe(true);
    const second = c.ws.must('extendSeriesHorizon', { until: '2028-12-31' });
    expect(second.more).toBe(false);
    expect(8 + 500 + second.created.length).toBe(728);
  });

  it('a 09:00 weekly visit is at 09:00 local on both sides of both DST changes (Chicago, 2027-03-14 and 2027-11-07)', () => {
    const c = crew('2027-03-01T12:00:00Z');
    const { id } = c.ws.must('createSeries', {
      title: 'Sunday service',
      assignees: [c.ana],
      startDate: '2027-03-07',
      startTime: '09:00',
      durationMinutes: 60,
      repeat: { freq: 'weekly', weekdays: ['sun'] },
      horizonWeeks: 2,
    });
    c.ws.setNow('2027-10-28T12:00:00Z');
    c.ws.must('extendSeriesHorizon', { until: '2027-11-14' });
    const byDate = new Map(visits(c, id).map((v) => [v.date, v.booking!.slot!]));
    for (const date of ['2027-03-07', '2027-03-14', '2027-03-21', '2027-10-31', '2027-11-07', '2027-11-14']) {
      expect(local(byDate.get(date)!.start)).toBe(`${date} 09:00`);
      expect(local(byDate.get(date)!.end)).toBe(`${date} 10:00`);
    }
    expect(byDate.get('2027-03-07')!.start).toBe('2027-03-07T15:00:00Z');
    expect(byDate.get('2027-03-14')!.start).toBe('2027-03-14T14:00:00Z');
    expect(byDate.get('2027-11-07')!.start).toBe('2027-11-07T15:00:00Z');
  });

  it('never re-creates an archived visit', () => {
    const c = crew();
    const { id } = weekly(c);
    const first = occurrenceId(id, '2027-01-04');
    c.ws.must('sendToTech', { id: first });
    for (const status of ['en_route', 'in_progress', 'completed'] as const) c.ws.must('updateStatus', { id: first, status });
    c.ws.setNow('2027-03-01T12:00:00Z');
    expect(c.ws.must('archiveClosedBookings', { closedBefore: '2027-02-28T00:00:00Z' }).archived).toEqual([first]);
    expect(c.ws.must('extendSeriesHorizon', {}).created).not.toContain(first);
    expect(getBooking(c.ws.schedule, first)).toBeUndefined();
  });
});

describe('editing one visit, the whole series, this and following', () => {
  it('a changed visit keeps its own time and fields when the series is edited; so do dispatched visits and visits moved on the board', () => {
    const c = crew();
    const { id } = weekly(c);
    const changed = occurrenceId(id, '2027-01-14');
    const dispatched = occurrenceId(id, '2027-01-11');
    const dragged = occurrenceId(id, '2027-01-18');
    c.ws.must('updateOccurrence', {
      id: changed,
      notes: 'Use the side door',
      slot: { start: '2027-01-14T19:00:00Z', end: '2027-01-14T20:30:00Z', assignees: [c.bo] },
    });
    expect(getSeries(c.ws.schedule, id)!.exceptions.get('2027-01-14')).toMatchObject({ type: 'changed', start: '2027-01-14T19:00:00Z', durationMinutes: 90 });
    expect(readHistory(c.ws.schedule, changed).map((e) => e.action)).toEqual(['create', 'edit_visit']);
    c.ws.must('sendToTech', { id: dispatched });
    c.ws.must('moveBooking', { id: dragged, start: '2027-01-18T17:00:00Z' });

    c.ws.setNow('2027-01-05T12:00:00Z');
    const edit = c.ws.must('updateSeries', { id, title: 'Deep cleaning', startTime: '10:00', assignees: [c.ana, c.bo] }, DISPATCHER);
    expect(edit.updated).not.toContain(changed);
    expect(edit.updated).not.toContain(dispatched);
    expect(edit.updated).not.toContain(dragged);

    expect(getBooking(c.ws.schedule, changed)).toMatchObject({ title: 'Office cleaning', notes: 'Use the side door' });
    expect(local(getBooking(c.ws.schedule, changed)!.slot!.start)).toBe('2027-01-14 13:00');
    expect(getBooking(c.ws.schedule, changed)!.slot!.assignees).toEqual([c.bo]);
    expect(getBooking(c.ws.schedule, dispatched)).toMatchObject({ title: 'Office cleaning', status: 'dispatched' });
    expect(local(getBooking(c.ws.schedule, dragged)!.slot!.start)).toBe('2027-01-18 11:00');
    // The first visit (Jan 4) was before the edit: a record, untouched.
    expect(visitOn(c, id, '2027-01-04')).toMatchObject({ title: 'Office cleaning' });
    expect(local(visitOn(c, id, '2027-01-04')!.slot!.start)).toBe('2027-01-04 09:00');
    // Every other future visit follows.
    const followed = visits(c, id).filter((v) => v.date >= '2027-01-07' && ![changed, dispatched, dragged].includes(v.id));
    expect(followed.length).toBeGreaterThan(10);
    for (const v of followed) {
      expect(v.booking).toMatchObject({ title: 'Deep cleaning' });
      expect(v.booking!.slot!.assignees).toEqual([c.ana, c.bo]);
      expect(local(v.booking!.slot!.start)).toBe(`${v.date} 10:00`);
      expect(local(v.booking!.arrivalWindow!.start)).toBe(`${v.date} 09:45`);
    }
    // Their history says so; the series log too.
    expect(readHistory(c.ws.schedule, followed[0]!.id).map((e) => e.action)).toEqual(['create', 'series_edit']);
    expect(readSeriesLog(c.ws.schedule, id).at(-1)!.summary).toBe('Edited title, technicians, and time from now on (Weekly on Mon and Thu)');

    // A second edit still leaves the changed visit alone, and the horizon's later visits come in edited.
    c.ws.must('updateSeries', { id, notes: 'Alarm code 4321' });
    expect(getBooking(c.ws.schedule, changed)!.notes).toBe('Use the side door');
    c.ws.setNow('2027-02-01T12:00:00Z');
    const later = c.ws.must('extendSeriesHorizon', {});
    expect(later.created.length).toBeGreaterThan(0);
    for (const b of later.created) {
      expect(getBooking(c.ws.schedule, b)).toMatchObject({ title: 'Deep cleaning', notes: 'Alarm code 4321' });
    }
  });

  it('a changed rule moves the future to the new days without rewriting the past', () => {
    const c = crew();
    const { id } = weekly(c);
    c.ws.setNow('2027-01-12T12:00:00Z'); // Tuesday
    const edit = c.ws.must('updateSeries', { id, repeat: { freq: 'weekly', weekdays: ['wed'] } });
    const dates = visits(c, id).map((v) => v.date);
    // Jan 4, 7, 11 happened (kept); from now on, Wednesdays only.
    expect(dates.slice(0, 5)).toEqual(['2027-01-04', '2027-01-07', '2027-01-11', '2027-01-13', '2027-01-20']);
    expect(dates.filter((d) => d >= '2027-01-12').every((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 3)).toBe(true);
    expect(edit.removed).toContain(occurrenceId(id, '2027-01-14'));
    // Idempotent afterwards.
    expect(c.ws.must('extendSeriesHorizon', { until: '2027-03-09' })).toMatchObject({ created: [], updated: [], removed: [] });
  });

  it('this and following splits the series: unchanged later visits are replaced by the new series, changed ones stay and are not doubled', () => {
    const c = crew();
    const { id } = weekly(c, { repeat: { freq: 'weekly', weekdays: ['mon', 'thu'], end: { type: 'count', count: 12 } } });
    const keptChanged = occurrenceId(id, '2027-01-25');
    c.ws.must('updateOccurrence', { id: keptChanged, notes: 'Bring the ladder' });
    c.ws.must('skipOccurrence', { seriesId: id, date: '2027-02-01' });
    c.ws.setNow('2027-01-10T12:00:00Z');

    const split = c.ws.must('updateSeriesFrom', { id, date: '2027-01-18', title: 'Office cleaning (new contract)', startTime: '08:00' });
    const successor = getSeries(c.ws.schedule, split.id)!;
    const old = getSeries(c.ws.schedule, id)!;
    // The old series ends the day before: an end entry over its stored rule, which is unchanged.
    expect(old.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;WKST=MO;UNTIL=20270117T235959Z');
    expect(old.rule.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;WKST=MO;COUNT=12');
    expect(old.ends).toEqual([expect.objectContaining({ lastDate: '2027-01-17', kind: 'split', successorId: split.id })]);
    // Jan 4, 7, 11, 14 were the first four of twelve: eight remain.
    expect(successor.rule).toMatchObject({ rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;WKST=MO;COUNT=8', dtstart: '2027-01-18T08:00' });
    expect(successor.created.splitFrom).toBe(id);
    expect(successor.exceptions.get('2027-01-25')).toMatchObject({ type: 'covered', seriesId: id });
    expect(successor.exceptions.get('2027-02-01')).toMatchObject({ type: 'skipped' });

    // Old visits from Jan 18 are gone except the changed one; the new series has the rest.
    expect(visits(c, id).map((v) => v.date)).toEqual(['2027-01-04', '2027-01-07', '2027-01-11', '2027-01-14', '2027-01-25']);
    expect(split.removed).toContain(occurrenceId(id, '2027-01-18'));
    const fresh = visits(c, split.id);
    expect(fresh.map((v) => v.date)).toEqual(['2027-01-18', '2027-01-21', '2027-01-28', '2027-02-04', '2027-02-08', '2027-02-11']);
    for (const v of fresh) {
      expect(v.booking).toMatchObject({ title: 'Office cleaning (new contract)' });
      expect(local(v.booking!.slot!.start)).toBe(`${v.date} 08:00`);
    }
    expect(getBooking(c.ws.schedule, keptChanged)).toMatchObject({ title: 'Office cleaning', notes: 'Bring the ladder' });
    // One visit a day at most, across both series.
    const days = listBookings(c.ws.schedule).map((b) => localDateOf(toMs(b.slot!.start), CHICAGO));
    expect(new Set(days).size).toBe(days.length);
    // Nothing more to do for either series, and the count ends the new one.
    c.ws.setNow('2027-03-01T12:00:00Z');
    const after = c.ws.must('extendSeriesHorizon', { until: '2027-06-01' });
    expect(after.updated).toEqual([]);
    expect(after.removed).toEqual([]);
    expect(visits(c, split.id).at(-1)!.date).toBe('2027-02-11');
  });

  it('this and following on the first visit edits the whole series; past dates are refused', () => {
    const c = crew();
    const { id } = weekly(c);
    const r = c.ws.must('updateSeriesFrom', { id, date: '2027-01-04', notes: 'Keys at the desk' });
    expect(r.ended).toBe(false);
    expect(r.id).toBe(id);
    expect(visitOn(c, id, '2027-01-07')!.notes).toBe('Keys at the desk');
    c.ws.setNow('2027-01-20T12:00:00Z');
    const refused = c.ws.run('updateSeriesFrom', { id, date: '2027-01-14', notes: 'x' });
    expect(refused.ok || refused.error.fieldErrors).toEqual({ date: 'Pick today or a later visit: earlier visits stay as they were' });
    const notADate = c.ws.run('updateSeriesFrom', { id, date: '2027-01-26', notes: 'x' });
    expect(notADate.ok || notADate.error.fieldErrors).toEqual({ date: 'The series has no visit on this date' });
  });
});

describe('skipOccurrence', () => {
  it('removes a visit nobody was sent yet, cancels a dispatched one, refuses one in progress; the horizon never brings them back', () => {
    const c = crew();
    const { id } = weekly(c);
    const scheduled = occurrenceId(id, '2027-01-07');
    const dispatched = occurrenceId(id, '2027-01-11');
    const started = occurrenceId(id, '2027-01-14');
    c.ws.must('sendToTech', { id: dispatched });
    c.ws.must('sendToTech', { id: started });
    c.ws.must('updateStatus', { id: started, status: 'en_route' });
    c.ws.must('updateStatus', { id: started, status: 'in_progress' });

    expect(c.ws.must('skipOccurrence', { id: scheduled, reason: 'Holiday' })).toMatchObject({ booking: 'removed', date: '2027-01-07' });
    expect(getBooking(c.ws.schedule, scheduled)).toBeUndefined();
    // Its history stays (logs are append-only) and says why.
    expect(readHistory(c.ws.schedule, scheduled).map((e) => e.summary).at(-1)).toBe('Skipped this visit of the series: Holiday');

    expect(c.ws.must('skipOccurrence', { seriesId: id, date: '2027-01-11' })).toMatchObject({ booking: 'cancelled' });
    expect(getBooking(c.ws.schedule, dispatched)).toMatchObject({ status: 'cancelled', statusNote: 'Skipped' });

    const refused = c.ws.run('skipOccurrence', { id: started });
    expect(refused.ok ? null : refused.error.code).toBe('illegal_transition');
    const again = c.ws.run('skipOccurrence', { id: dispatched });
    expect(again.ok ? null : [again.error.code, again.error.fieldErrors]).toEqual(['conflict', { id: 'Already skipped' }]);

    // A visit beyond the horizon can be skipped ahead of time.
    expect(c.ws.must('skipOccurrence', { seriesId: id, date: '2027-03-11' })).toMatchObject({ booking: 'none' });
    c.ws.setNow('2027-02-01T12:00:00Z');
    c.ws.must('extendSeriesHorizon', {});
    expect(getBooking(c.ws.schedule, scheduled)).toBeUndefined();
    expect(visitOn(c, id, '2027-03-11')).toBeUndefined();
    expect(visitOn(c, id, '2027-03-15')).toBeDefined();
    expect(getSeries(c.ws.schedule, id)!.exceptions.get('2027-01-07')).toMatchObject({ type: 'skipped', by: { by: { name: 'Alex Admin' } } });
  });

  it('names its visit: a job of a series, or a series and one of its dates', () => {
    const c = crew();
    const { id } = weekly(c);
    const plain = c.ws.must('createBooking', { title: 'One-off' }).id;
    const errors = (input: Record<string, unknown>) => {
      const r = c.ws.run('skipOccurrence', input);
      return r.ok ? null : r.error.fieldErrors;
    };
    expect(errors({ id: plain })).toEqual({ id: 'This job is not a visit of a repeating series' });
    expect(errors({ seriesId: id })).toEqual({ id: 'Name the visit: a job, or a series and a date' });
    expect(errors({ seriesId: id, date: '2027-01-05' })).toEqual({ date: 'The series has no visit on this date' });
  });
});

describe('endSeries', () => {
  it('ends the series after a date: later visits not started are removed (cancelled when dispatched), and never come back', () => {
    const c = crew();
    const { id } = weekly(c);
    const dispatched = occurrenceId(id, '2027-01-25');
    c.ws.must('sendToTech', { id: dispatched });
    const enRoute = occurrenceId(id, '2027-01-28');
    c.ws.must('sendToTech', { id: enRoute });
    c.ws.must('updateStatus', { id: enRoute, status: 'en_route' });
    const changed = occurrenceId(id, '2027-02-01');
    c.ws.must('updateOccurrence', { id: changed, notes: 'Changed' });

    const r = c.ws.must('endSeries', { id, lastDate: '2027-01-21' });
    expect(r.cancelled).toEqual([dispatched]);
    expect(r.removed).toContain(changed);
    expect(getBooking(c.ws.schedule, dispatched)).toMatchObject({ status: 'cancelled', statusNote: 'The series ended' });
    expect(getBooking(c.ws.schedule, enRoute)).toMatchObject({ status: 'en_route' });
    expect(visits(c, id).map((v) => v.date)).toEqual(['2027-01-04', '2027-01-07', '2027-01-11', '2027-01-14', '2027-01-18', '2027-01-21', '2027-01-25', '2027-01-28']);
    expect(getSeries(c.ws.schedule, id)!.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;WKST=MO;UNTIL=20270121T235959Z');
    c.ws.setNow('2027-02-15T12:00:00Z');
    expect(c.ws.must('extendSeriesHorizon', {}).created).toEqual([]);

    const again = c.ws.run('endSeries', { id, lastDate: '2027-02-01' });
    expect(again.ok ? null : [again.error.code, again.error.fieldErrors]).toEqual(['conflict', { lastDate: 'Already ends on 2027-01-21' }]);
  });
});
