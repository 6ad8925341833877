import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from './testing/fixture';
import fc from 'fast-check';
import { findConflicts, findConflictsOf, personSpan, severityOf, type Conflict } from './conflicts';
import { getBooking, listBookings } from './doc/schedule';
import { listProviders, listServices, readSettings } from './doc/roster';
import type { WeeklyHours } from './model';
import { dayBoundsMs, HOUR_MS, localToMs, toMs, weekdayOf } from './time';

// ---------------------------------------------------------------------------------------------------
// Fixture: real documents, conflicts computed from them exactly as the board would.

/** A UTC instant for a wall-clock time given the zone's UTC offset that day (computed by hand, not by core). */
function wall(date: string, hhmm: string, utcOffsetHours: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, h - utcOffsetHours, mi)).toISOString().replace('.000Z', 'Z');
}
/** Tuesday 2026-11-24 in America/Chicago (CST, UTC-6). */
const TUE = '2026-11-24';
const chi = (hhmm: string, date = TUE) => wall(date, hhmm, -6);

const NO_HOURS: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const ALL_DAY: WeeklyHours = Object.fromEntries(
  Object.keys(NO_HOURS).map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
) as WeeklyHours;

interface Org {
  ws: Workspace;
  ana: string;
  bo: string;
}

function org(timeZone = 'America/Chicago', autoResize = false): Org {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone, autoResize });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id; // default: Mon–Fri 08:00–17:00
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  return { ws, ana, bo };
}

function book(
  ws: Workspace,
  title: string,
  start: string,
  end: string,
  assignees: string[],
  extra: { teamSize?: number; laborHours?: number; serviceId?: string; arrivalWindow?: { start: string; end: string } } = {},
): string {
  return ws.must('createBooking', {
    title,
    teamSize: extra.teamSize ?? Math.max(1, assignees.length),
    ...extra,
    slot: { start, end, assignees },
  }).id;
}

function worldOf(ws: Workspace) {
  const settings = readSettings(ws.roster);
  return {
    settings: { timeZone: settings.timeZone, autoResize: settings.autoResize },
    providers: new Map(listProviders(ws.roster).map((p) => [p.id, p])),
    services: new Map(listServices(ws.roster).map((s) => [s.id, s])),
  };
}

const conflictsOf = (ws: Workspace) => findConflicts(worldOf(ws), listBookings(ws.schedule));
const kindsOf = (ws: Workspace, id: string) => (conflictsOf(ws).get(id) ?? []).map((c) => c.kind).sort();

// ---------------------------------------------------------------------------------------------------

describe('double_booking', () => {
  it('flags both bookings red, names the other booking, and clears when they only touch', () => {
    const { ws, ana } = org();
    const a = book(ws, 'Furnace tune-up', chi('09:00'), chi('10:30'), [ana]);
    const b = book(ws, 'Water heater', chi('10:00'), chi('11:00'), [ana]);
    const all = conflictsOf(ws);
    expect(all.get(a)).toEqual<Conflict[]>([
      { kind: 'double_booking', severity: 'red', bookingId: a, providerId: ana, otherBookingId: b,
        message: 'Ana Silva is double-booked with "Water heater" 10:00–11:00' },
    ]);
    expect(all.get(b)).toEqual<Conflict[]>([
      { kind: 'double_booking', severity: 'red', bookingId: b, providerId: ana, otherBookingId: a,
        message: 'Ana Silva is double-booked with "Furnace tune-up" 09:00–10:30' },
    ]);
    expect(severityOf(all.get(a))).toBe('red');
    // A 12 h organization's tooltip reads its own clock.
    ws.must('updateSettings', { timeFormat: '12h' });
    const twelve = findConflicts({ ...worldOf(ws), settings: readSettings(ws.roster) }, listBookings(ws.schedule));
    expect(twelve.get(a)![0]!.message).toBe('Ana Silva is double-booked with "Water heater" 10:00 AM–11:00 AM');

    // Negative: 09:00–10:00 and 10:00–11:00 touch but do not overlap.
    ws.must('resizeBooking', { id: a, end: chi('10:00') });
    expect(conflictsOf(ws).size).toBe(0);
    expect(severityOf(conflictsOf(ws).get(a))).toBeNull();
  });

  it('three overlapping jobs flag every overlapping pair, not jobs that merely share a provider', () => {
    const { ws, ana } = org();
    const a = book(ws, 'A', chi('09:00'), chi('12:00'), [ana]);
    const b = book(ws, 'B', chi('10:00'), chi('11:00'), [ana]);
    const c = book(ws, 'C', chi('11:30'), chi('13:00'), [ana]);
    const d = book(ws, 'D', chi('13:00'), chi('14:00'), [ana]);
    const others = (id: string) => (conflictsOf(ws).get(id) ?? []).map((x) => x.otherBookingId).sort();
    expect(others(a)).toEqual([b, c].sort());
    expect(others(b)).toEqual([a]);
    expect(others(c)).toEqual([a]);
    expect(others(d)).toEqual([]);
  });

  it('a cancelled booking frees its time and does not double-book', () => {
    const { ws, ana } = org();
    const a = book(ws, 'A', chi('09:00'), chi('11:00'), [ana]);
    const b = book(ws, 'B', chi('10:00'), chi('12:00'), [ana]);
    expect(kindsOf(ws, b)).toEqual(['double_booking']);
    ws.must('cancelBooking', { id: a, reason: 'Customer cancelled' });
    expect(conflictsOf(ws).has(a)).toBe(false);
    expect(conflictsOf(ws).has(b)).toBe(false);
  });

  it('different providers at the same time do not conflict', () => {
    const { ws, ana, bo } = org();
    book(ws, 'A', chi('09:00'), chi('11:00'), [ana]);
    book(ws, 'B', chi('09:00'), chi('11:00'), [bo]);
    expect(conflictsOf(ws).size).toBe(0);
  });

  it('a 2-person job conflicts on each member row separately', () => {
    const { ws, ana, bo } = org();
    const team = book(ws, 'Install', chi('09:00'), chi('11:00'), [ana, bo]);
    const x = book(ws, 'Ana solo', chi('10:00'), chi('12:00'), [ana]);
    const y = book(ws, 'Bo solo', chi('10:30'), chi('11:30'), [bo]);
    const all = conflictsOf(ws);
    const teamConflicts = all.get(team)!.map((c) => [c.kind, c.providerId, c.otherBookingId]);
    expect(teamConflicts).toEqual(expect.arrayContaining([['double_booking', ana, x], ['double_booking', bo, y]]));
    expect(teamConflicts).toHaveLength(2);
    expect(all.get(x)!.map((c) => [c.providerId, c.otherBookingId])).toEqual([[ana, team]]);
    expect(all.get(y)!.map((c) => [c.providerId, c.otherBookingId])).toEqual([[bo, team]]);
    expect(all.get(y)![0]!.message).toBe('Bo Chen is double-booked with "Install" 09:00–11:00');

    // Only one member overlapping: only that member's row is flagged.
    ws.must('moveBooking', { id: y, start: chi('11:00') });
    expect(conflictsOf(ws).get(team)!.map((c) => c.providerId)).toEqual([ana]);
    expect(conflictsOf(ws).has(y)).toBe(false);
  });
});

describe('outside_hours and working-hour intervals', () => {
  it('a booking exactly inside hours is fine; one minute past the end is not', () => {
    const { ws, ana } = org();
    const id = book(ws, 'Full day', chi('08:00'), chi('17:00'), [ana]);
    expect(conflictsOf(ws).has(id)).toBe(false);
    ws.must('resizeBooking', { id, end: chi('17:01') });
    expect(conflictsOf(ws).get(id)).toEqual<Conflict[]>([
      { kind: 'outside_hours', severity: 'amber', bookingId: id, providerId: ana,
        message: "08:00–17:01 is outside Ana Silva's working hours" },
    ]);
    expect(severityOf(conflictsOf(ws).get(id))).toBe('amber');
    ws.must('moveBooking', { id: id, start: chi('07:59') });
    expect(kindsOf(ws, id)).toEqual(['outside_hours']);
  });

  it('a weekend booking is outside default hours', () => {
    const { ws, ana } = org();
    const sat = book(ws, 'Saturday', chi('10:00', '2026-11-28'), chi('11:00', '2026-11-28'), [ana]);
    expect(kindsOf(ws, sat)).toEqual(['outside_hours']);
  });

  it('several intervals a day: the lunch gap is outside, each interval (or a touching union) is inside', () => {
    const { ws, ana, bo } = org();
    const split: WeeklyHours = { ...NO_HOURS, tue: [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }] };
    ws.must('updateProvider', { id: ana, weeklyHours: split });
    const lunch = book(ws, 'Lunch slot', chi('12:00'), chi('13:00'), [ana]);
    const morning = book(ws, 'Morning', chi('11:00'), chi('12:00'), [ana]);
    const afternoon = book(ws, 'Afternoon', chi('13:00'), chi('17:00'), [ana]);
    // Across lunch, on Wednesday so it overlaps nothing: Ana has no Wednesday hours yet.
    const across = book(ws, 'Across lunch', chi('11:30', '2026-11-25'), chi('13:30', '2026-11-25'), [ana]);
    const all = conflictsOf(ws);
    expect(all.get(lunch)?.map((c) => c.kind)).toEqual(['outside_hours']);
    expect(all.get(lunch)![0]!.message).toBe("12:00–13:00 is outside Ana Silva's working hours");
    expect(all.has(morning)).toBe(false);
    expect(all.has(afternoon)).toBe(false);
    expect(all.get(across)?.map((c) => c.kind)).toEqual(['outside_hours']);
    ws.must('updateProvider', { id: ana, weeklyHours: { ...split, wed: split.tue } });
    expect(kindsOf(ws, across)).toEqual(['outside_hours']);
    ws.must('resizeBooking', { id: across, start: chi('13:00', '2026-11-25'), end: chi('13:30', '2026-11-25') });
    expect(conflictsOf(ws).has(across)).toBe(false);

    // Touching intervals cover a span that crosses their seam.
    ws.must('updateProvider', { id: bo, weeklyHours: { ...NO_HOURS, tue: [{ start: '08:00', end: '12:00' }, { start: '12:00', end: '17:00' }] } });
    const seam = book(ws, 'Seam', chi('11:00'), chi('13:00'), [bo]);
    expect(conflictsOf(ws).has(seam)).toBe(false);
  });

  it('overnight work covered by the end of one day and the start of the next', () => {
    const { ws, ana } = org();
    ws.must('updateProvider', {
      id: ana,
      weeklyHours: { ...NO_HOURS, mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '06:00' }] },
    });
    const night = book(ws, 'Night shift', chi('23:00', '2026-11-23'), chi('05:00'), [ana]);
    expect(conflictsOf(ws).has(night)).toBe(false);
    ws.must('resizeBooking', { id: night, end: chi('06:30') });
    expect(kindsOf(ws, night)).toEqual(['outside_hours']);
  });
});

describe('time_off, inactive_provider, unknown_provider, missing_skill', () => {
  it('time off names the reason; a booking that ends when the time off starts is fine', () => {
    const { ws, ana } = org();
    ws.must('addTimeOff', { providerId: ana, start: chi('12:00'), end: chi('15:00'), reason: 'Dentist' });
    const during = book(ws, 'During', chi('11:00'), chi('12:30'), [ana]);
    const before = book(ws, 'Before', chi('10:00'), chi('11:00'), [ana]);
    const after = book(ws, 'After', chi('15:00'), chi('16:00'), [ana]);
    const all = conflictsOf(ws);
    expect(all.get(during)).toEqual<Conflict[]>([
      { kind: 'time_off', severity: 'amber', bookingId: during, providerId: ana, message: 'Ana Silva is off (Dentist) 12:00–15:00' },
    ]);
    expect(all.has(before)).toBe(false);
    expect(all.has(after)).toBe(false);
  });

  it('time off without a reason still reads well', () => {
    const { ws, ana } = org();
    ws.must('addTimeOff', { providerId: ana, start: chi('09:00'), end: chi('10:00') });
    const id = book(ws, 'X', chi('09:30'), chi('10:30'), [ana]);
    expect(conflictsOf(ws).get(id)![0]!.message).toBe('Ana Silva is off 09:00–10:00');
  });

  it('whole days off read as days, not 00:00–00:00', () => {
    const { ws, ana, bo } = org();
    ws.must('addTimeOff', { providerId: ana, start: chi('00:00'), end: chi('00:00', '2026-11-25'), reason: 'Vacation day' });
    ws.must('addTimeOff', { providerId: bo, start: chi('00:00', '2026-11-23'), end: chi('00:00', '2026-11-26') });
    const one = book(ws, 'X', chi('09:30'), chi('10:30'), [ana]);
    const several = book(ws, 'Y', chi('11:00'), chi('12:00'), [bo]);
    expect(conflictsOf(ws).get(one)![0]!.message).toBe('Ana Silva is off (Vacation day) all day Tue, Nov 24');
    expect(conflictsOf(ws).get(several)![0]!.message).toBe('Bo Chen is off all day Mon, Nov 23 to Wed, Nov 25');
  });

  it('time off reads in the organization clock: 12 h when set, 24 h otherwise, across midnight too', () => {
    const { ws, ana, bo } = org();
    ws.must('addTimeOff', { providerId: ana, start: chi('12:00'), end: chi('15:30'), reason: 'Dentist' });
    ws.must('addTimeOff', { providerId: bo, start: chi('16:00', '2026-11-23'), end: chi('10:00') });
    const afternoon = book(ws, 'X', chi('13:00'), chi('14:00'), [ana]);
    const morning = book(ws, 'Y', chi('08:00'), chi('09:00'), [bo]);
    expect(conflictsOf(ws).get(afternoon)![0]!.message).toBe('Ana Silva is off (Dentist) 12:00–15:30');
    expect(conflictsOf(ws).get(morning)![0]!.message).toBe('Bo Chen is off Mon, Nov 23, 16:00 to Tue, Nov 24, 10:00');
    ws.must('updateSettings', { timeFormat: '12h' });
    const twelve = findConflicts({ ...worldOf(ws), settings: readSettings(ws.roster) }, listBookings(ws.schedule));
    expect(twelve.get(afternoon)![0]!.message).toBe('Ana Silva is off (Dentist) 12:00 PM–3:30 PM');
    expect(twelve.get(morning)![0]!.message).toBe('Bo Chen is off Mon, Nov 23, 4:00 PM to Tue, Nov 24, 10:00 AM');
  });

  it('inactive provider', () => {
    const { ws, ana } = org();
    const id = book(ws, 'X', chi('09:00'), chi('10:00'), [ana]);
    expect(conflictsOf(ws).has(id)).toBe(false);
    ws.must('updateProvider', { id: ana, active: false });
    expect(conflictsOf(ws).get(id)).toEqual<Conflict[]>([
      { kind: 'inactive_provider', severity: 'amber', bookingId: id, providerId: ana, message: 'Ana Silva is inactive' },
    ]);
  });

  it('unknown provider: the schedule synced before the roster that knows the new technician', () => {
    const a = org();
    const b = createWorkspace({ idPrefix: 7 });
    for (const key of ['roster', 'schedule'] as const) Y.applyUpdate(b[key], Y.encodeStateAsUpdate(a.ws[key]));
    const zed = b.must('createProvider', { name: 'Zed New' }).id;
    const id = book(b, 'Job for Zed', chi('09:00'), chi('10:00'), [zed]);
    expect(conflictsOf(b).has(id)).toBe(false);
    // Only the schedule reaches A.
    Y.applyUpdate(a.ws.schedule, Y.encodeStateAsUpdate(b.schedule, Y.encodeStateVector(a.ws.schedule)));
    expect(conflictsOf(a.ws).get(id)).toEqual<Conflict[]>([
      { kind: 'unknown_provider', severity: 'amber', bookingId: id, providerId: zed,
        message: 'Assigned to a service provider who no longer exists' },
    ]);
    Y.applyUpdate(a.ws.roster, Y.encodeStateAsUpdate(b.roster, Y.encodeStateVector(a.ws.roster)));
    expect(conflictsOf(a.ws).has(id)).toBe(false);
  });

  it('missing skill lists what is missing; a provider with the skills is fine', () => {
    const { ws, ana, bo } = org();
    ws.must('updateProvider', { id: bo, skills: ['hvac', 'gas'] });
    ws.must('updateProvider', { id: ana, skills: ['electrical'] });
    const one = ws.must('createService', { name: 'AC repair', requiredSkills: ['hvac'] }).id;
    const two = ws.must('createService', { name: 'Gas furnace', requiredSkills: ['hvac', 'gas'] }).id;
    const j1 = book(ws, 'AC', chi('09:00'), chi('10:00'), [ana], { serviceId: one });
    const j2 = book(ws, 'Furnace', chi('10:00'), chi('11:00'), [ana], { serviceId: two });
    const ok = book(ws, 'Furnace (Bo)', chi('10:00'), chi('11:00'), [bo], { serviceId: two });
    const all = conflictsOf(ws);
    expect(all.get(j1)).toEqual<Conflict[]>([
      { kind: 'missing_skill', severity: 'amber', bookingId: j1, providerId: ana, message: 'Ana Silva lacks the skill hvac' },
    ]);
    expect(all.get(j2)![0]!.message).toBe('Ana Silva lacks skills hvac and gas');
    expect(all.has(ok)).toBe(false);
  });
});

describe('staffing and arrival window', () => {
  it('understaffed and overstaffed against team size; exactly staffed and unassigned are fine', () => {
    const { ws, ana, bo } = org();
    const under = book(ws, 'Under', chi('09:00'), chi('10:00'), [ana], { teamSize: 2 });
    const over = book(ws, 'Over', chi('11:00'), chi('12:00'), [ana, bo], { teamSize: 1 });
    const exact = book(ws, 'Exact', chi('13:00'), chi('14:00'), [ana, bo], { teamSize: 2 });
    const nobody = book(ws, 'Nobody', chi('13:00'), chi('14:00'), [], { teamSize: 2 });
    const all = conflictsOf(ws);
    expect(all.get(under)).toEqual<Conflict[]>([
      { kind: 'understaffed', severity: 'amber', bookingId: under, providerId: null, message: 'Understaffed: needs 2 people, 1 assigned' },
    ]);
    expect(all.get(over)).toEqual<Conflict[]>([
      { kind: 'overstaffed', severity: 'amber', bookingId: over, providerId: null, message: 'Overstaffed: needs 1 person, 2 assigned' },
    ]);
    expect(all.has(exact)).toBe(false);
    expect(all.has(nobody)).toBe(false);
  });

  it('arrival window: starting inside (either edge included) is fine, after or before it is flagged', () => {
    const { ws, ana } = org();
    const arrivalWindow = { start: chi('08:00'), end: chi('10:00') };
    const late = book(ws, 'Late', chi('11:00'), chi('12:00'), [ana], { arrivalWindow });
    const early = book(ws, 'Early', chi('07:30', '2026-11-25'), chi('08:30', '2026-11-25'), [], { arrivalWindow });
    const onTime = book(ws, 'On time', chi('09:00'), chi('10:00'), [ana], { arrivalWindow });
    const edge = book(ws, 'Edge', chi('10:00'), chi('10:30'), [ana], { arrivalWindow });
    const all = conflictsOf(ws);
    expect(all.get(late)).toEqual<Conflict[]>([
      { kind: 'arrival_window', severity: 'amber', bookingId: late, providerId: null,
        message: "Starts 11:00, outside the customer's arrival window 08:00–10:00" },
    ]);
    expect(all.get(early)?.map((c) => c.kind)).toEqual(['arrival_window']);
    expect(all.has(onTime)).toBe(false);
    expect(all.has(edge)).toBe(false);
  });

  it('unscheduled bookings without a date have no conflicts at all', () => {
    const { ws } = org();
    const id = ws.must('createBooking', { title: 'Queue', teamSize: 3, arrivalWindow: { start: chi('08:00'), end: chi('09:00') } }).id;
    expect(conflictsOf(ws).has(id)).toBe(false);
  });
});

describe('auto-resize', () => {
  it('a 4-labor-hour job with 2 assignees occupies each for 2 h', () => {
    const { ws, ana, bo } = org('America/Chicago', true);
    const big = book(ws, 'Big job', chi('09:00'), chi('13:00'), [ana, bo], { laborHours: 4, teamSize: 2 });
    const next = book(ws, 'Next', chi('11:00'), chi('12:00'), [ana]);
    expect(personSpan(getBooking(ws.schedule, big)!, true)).toEqual({ start: toMs(chi('09:00')), end: toMs(chi('11:00')) });
    expect(personSpan(getBooking(ws.schedule, big)!, false)).toEqual({ start: toMs(chi('09:00')), end: toMs(chi('13:00')) });
    expect(conflictsOf(ws).size).toBe(0);

    ws.must('updateSettings', { autoResize: false });
    expect(kindsOf(ws, next)).toEqual(['double_booking']);
    expect(conflictsOf(ws).get(big)!.map((c) => c.providerId)).toEqual([ana]);

    // Back on, but now with one assignee: Ana carries all 4 labor hours.
    ws.must('updateSettings', { autoResize: true });
    ws.must('unassignProvider', { id: big, providerId: bo });
    expect(personSpan(getBooking(ws.schedule, big)!, true)!.end).toBe(toMs(chi('13:00')));
    expect(conflictsOf(ws).get(next)!.map((c) => c.kind)).toEqual(['double_booking']);
  });

  it('auto-resized spans drive working hours and messages', () => {
    const { ws, ana, bo } = org('America/Chicago', true);
    // Slot runs to 18:00 but each of the two people only works 14:00–16:00.
    const id = book(ws, 'Split labor', chi('14:00'), chi('18:00'), [ana, bo], { laborHours: 4, teamSize: 2 });
    expect(conflictsOf(ws).has(id)).toBe(false);
    ws.must('updateSettings', { autoResize: false });
    expect(conflictsOf(ws).get(id)!.map((c) => c.message)).toEqual([
      "14:00–18:00 is outside Ana Silva's working hours",
      "14:00–18:00 is outside Bo Chen's working hours",
    ]);
  });

  it('an unassigned job is sized by its team size', () => {
    const { ws } = org('America/Chicago', true);
    const two = book(ws, 'Two', chi('09:00'), chi('13:00'), [], { laborHours: 4, teamSize: 2 });
    const four = book(ws, 'Four', chi('09:00'), chi('13:00'), [], { laborHours: 4, teamSize: 4 });
    expect(personSpan(getBooking(ws.schedule, two)!, true)).toEqual({ start: toMs(chi('09:00')), end: toMs(chi('11:00')) });
    expect(personSpan(getBooking(ws.schedule, four)!, true)).toEqual({ start: toMs(chi('09:00')), end: toMs(chi('10:00')) });
    expect(personSpan(getBooking(ws.schedule, four)!, false)!.end).toBe(toMs(chi('13:00')));
    const undated = ws.must('createBooking', { title: 'Undated' }).id;
    expect(personSpan(getBooking(ws.schedule, undated)!, true)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// DST: America/New_York, spring forward 2026-03-08 02:00 EST -> 03:00 EDT, fall back 2026-11-01 02:00 EDT -> 01:00 EST

describe('DST-correct schedule math (America/New_York)', () => {
  const NY = 'America/New_York';
  const SPRING = '2026-03-08';
  const FALL = '2026-11-01';

  it('the DST days are Sundays with 23 and 25 hours; ordinary days have 24', () => {
    expect(weekdayOf(SPRING)).toBe('sun');
    expect(weekdayOf(FALL)).toBe('sun');
    const len = (d: string) => {
      const [s, e] = dayBoundsMs(d, NY);
      return (e - s) / HOUR_MS;
    };
    expect(len(SPRING)).toBe(23);
    expect(len(FALL)).toBe(25);
    expect(len('2026-03-07')).toBe(24);
    expect(len('2026-11-02')).toBe(24);
    expect(dayBoundsMs(SPRING, NY)).toEqual([toMs('2026-03-08T05:00:00Z'), toMs('2026-03-09T04:00:00Z')]);
    expect(dayBoundsMs(FALL, NY)).toEqual([toMs('2026-11-01T04:00:00Z'), toMs('2026-11-02T05:00:00Z')]);
  });

  it('localToMs: real offsets either side, gaps resolve forward, folds to the earlier instant', () => {
    expect(localToMs(SPRING, '01:00', NY)).toBe(toMs('2026-03-08T06:00:00Z'));
    expect(localToMs(SPRING, '04:00', NY)).toBe(toMs('2026-03-08T08:00:00Z'));
    expect(localToMs(SPRING, '04:00', NY) - localToMs(SPRING, '01:00', NY)).toBe(2 * HOUR_MS);
    expect(localToMs(SPRING, '02:30', NY)).toBe(toMs('2026-03-08T07:30:00Z')); // = 03:30 EDT
    expect(localToMs(SPRING, '24:00', NY)).toBe(toMs('2026-03-09T04:00:00Z'));
    expect(localToMs(FALL, '01:30', NY)).toBe(toMs('2026-11-01T05:30:00Z')); // first 01:30 (EDT)
    expect(localToMs(FALL, '03:00', NY) - localToMs(FALL, '00:00', NY)).toBe(4 * HOUR_MS);
    expect(localToMs(FALL, '24:00', NY)).toBe(toMs('2026-11-02T05:00:00Z'));
  });

  function nyOrg() {
    const o = org(NY);
    // Ana works all of Sunday (and nothing else); Bo works 08:00–17:00 on Sundays.
    o.ws.must('updateProvider', { id: o.ana, weeklyHours: { ...NO_HOURS, sun: [{ start: '00:00', end: '24:00' }] } });
    o.ws.must('updateProvider', { id: o.bo, weeklyHours: { ...NO_HOURS, sun: [{ start: '08:00', end: '17:00' }] } });
    return o;
  }

  it('spring forward: 01:00–04:00 local is 2 real hours, inside hours, and double-booking uses real instants', () => {
    const { ws, ana } = nyOrg();
    const night = book(ws, 'Night', '2026-03-08T06:00:00Z', '2026-03-08T08:00:00Z', [ana]); // 01:00 EST – 04:00 EDT
    const after = book(ws, 'After', '2026-03-08T08:00:00Z', '2026-03-08T09:00:00Z', [ana]); // 04:00–05:00 EDT
    const lastHour = book(ws, 'Last hour', '2026-03-09T03:00:00Z', '2026-03-09T04:00:00Z', [ana]); // 23:00–24:00 EDT
    expect(conflictsOf(ws).size).toBe(0);
    const overlap = book(ws, 'Overlap', '2026-03-08T07:30:00Z', '2026-03-08T08:30:00Z', [ana]); // 03:30–04:30 EDT
    const all = conflictsOf(ws);
    expect(all.get(overlap)!.map((c) => c.otherBookingId).sort()).toEqual([after, night].sort());
    expect(all.get(night)![0]!.message).toBe('Ana Silva is double-booked with "Overlap" 03:30–04:30');
    expect(all.has(lastHour)).toBe(false);
    // Past local midnight Ana no longer works (Monday has no hours).
    ws.must('resizeBooking', { id: lastHour, end: '2026-03-09T04:30:00Z' });
    expect(kindsOf(ws, lastHour)).toEqual(['outside_hours']);
  });

  it('spring forward: 08:00–17:00 local is inside hours, 07:30 local is not, and the EST-offset reading of it is not', () => {
    const { ws, bo } = nyOrg();
    const day = book(ws, 'Day', '2026-03-08T12:00:00Z', '2026-03-08T21:00:00Z', [bo]); // 08:00–17:00 EDT
    const early = book(ws, 'Early', '2026-03-08T11:30:00Z', '2026-03-08T12:30:00Z', [bo]); // 07:30 EDT
    const late = book(ws, 'Late', '2026-03-08T13:00:00Z', '2026-03-08T22:00:00Z', [bo]); // 09:00–18:00 EDT
    const all = conflictsOf(ws);
    expect(all.get(day)?.map((c) => c.kind)).toEqual(['double_booking', 'double_booking']);
    expect(all.get(early)?.map((c) => c.kind).sort()).toEqual(['double_booking', 'outside_hours']);
    expect(all.get(early)!.find((c) => c.kind === 'outside_hours')!.message).toBe("07:30–08:30 is outside Bo Chen's working hours");
    expect(all.get(late)?.map((c) => c.kind).sort()).toEqual(['double_booking', 'outside_hours']);
  });

  it('fall back: the two 01:00s are different instants; a 25-hour day is covered by 00:00–24:00', () => {
    const { ws, ana } = nyOrg();
    const first = book(ws, 'First 1am', '2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', [ana]); // 01:00–01:00 (EDT->EST)
    const second = book(ws, 'Second 1am', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z', [ana]); // 01:00–02:00 EST
    const lastHour = book(ws, 'Last hour', '2026-11-02T04:00:00Z', '2026-11-02T05:00:00Z', [ana]); // 23:00–24:00 EST
    expect(conflictsOf(ws).size).toBe(0);
    const overlap = book(ws, 'Overlap', '2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z', [ana]);
    const all = conflictsOf(ws);
    expect(all.get(overlap)!.map((c) => c.otherBookingId)).toEqual([second]);
    expect(all.has(first)).toBe(false);
    expect(all.get(second)![0]!.message).toBe('Ana Silva is double-booked with "Overlap" 01:30–02:30');
    expect(all.has(lastHour)).toBe(false);

    // The whole 25-hour day in one booking (00:00–24:00 local) is inside Ana's hours.
    const { ws: ws2, ana: ana2 } = nyOrg();
    const whole = book(ws2, 'Whole day', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', [ana2]);
    expect(conflictsOf(ws2).has(whole)).toBe(false);
    ws2.must('resizeBooking', { id: whole, end: '2026-11-02T05:01:00Z' });
    expect(kindsOf(ws2, whole)).toEqual(['outside_hours']);
  });

  it('fall back: 08:00–17:00 EST is inside Bo\'s hours; 07:30 EST and the EDT-offset reading are outside', () => {
    const { ws, bo } = nyOrg();
    const day = book(ws, 'Day', '2026-11-01T13:00:00Z', '2026-11-01T22:00:00Z', [bo]);
    expect(conflictsOf(ws).has(day)).toBe(false);
    ws.must('moveBooking', { id: day, start: '2026-11-01T12:30:00Z' }); // 07:30 EST
    expect(kindsOf(ws, day)).toEqual(['outside_hours']);
    ws.must('moveBooking', { id: day, start: '2026-11-01T12:00:00Z' }); // 08:00 EDT would be wrong today
    expect(kindsOf(ws, day)).toEqual(['outside_hours']);
  });

  it('arrival windows and messages are rendered in the organization zone', () => {
    const { ws, ana } = nyOrg();
    const id = book(ws, 'Windowed', '2026-11-01T06:30:00Z', '2026-11-01T07:00:00Z', [ana], {
      arrivalWindow: { start: '2026-11-01T04:00:00Z', end: '2026-11-01T06:00:00Z' }, // 00:00–01:00 EST (second 01:00)
    });
    expect(conflictsOf(ws).get(id)![0]!.message).toBe("Starts 01:30, outside the customer's arrival window 00:00–01:00");
  });
});

describe('ALL_DAY helper sanity', () => {
  it('a provider working every day all day has no outside_hours across a week boundary', () => {
    const { ws, ana } = org();
    ws.must('updateProvider', { id: ana, weeklyHours: ALL_DAY });
    const id = book(ws, 'Long', chi('20:00', '2026-11-28'), chi('04:00', '2026-11-30'), [ana]);
    expect(conflictsOf(ws).has(id)).toBe(false);
  });
});

describe('toMs', () => {
  it('reads valid instants exactly and refuses impossible dates like Temporal does', async () => {
    const { toMs: parse } = await import('./time');
    expect(parse('2026-11-23T14:00:00Z')).toBe(Date.UTC(2026, 10, 23, 14));
    expect(parse('2026-11-23T14:00:00.123456Z')).toBe(Date.UTC(2026, 10, 23, 14, 0, 0, 123));
    expect(parse('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(() => parse('2026-02-30T09:00:00Z')).toThrow(RangeError);
    expect(() => parse('2026-11-23T24:00:00Z')).toThrow(RangeError);
    expect(() => parse('tomorrow')).toThrow(RangeError);
  });
});

describe('findConflictsOf: a subset judged against its neighbours', () => {
  /**
   * Everything `findConflicts` says about the ids in `subset`, over the whole schedule. Each booking's
   * list is compared as a set: the order of double-bookings that start together follows input order.
   */
  const asSets = (m: Map<string, Conflict[]>) => new Map([...m].map(([id, list]) => [id, list.map((c) => JSON.stringify(c)).sort()]));
  const wholeBoardOn = (ws: Workspace, subset: Set<string>) => asSets(new Map([...conflictsOf(ws)].filter(([id]) => subset.has(id))));

  it('gives the subset exactly the verdicts of the whole board, team jobs and other rows included', () => {
    const { ws, ana, bo } = org();
    const cy = ws.must('createProvider', { name: 'Cy Park' }).id;
    const team = book(ws, 'Install', chi('09:00'), chi('11:00'), [ana, bo]);
    const x = book(ws, 'Ana solo', chi('10:00'), chi('12:00'), [ana]);
    const y = book(ws, 'Bo solo', chi('10:30'), chi('11:30'), [bo]);
    const z = book(ws, 'Cy solo', chi('10:00'), chi('11:00'), [cy]);
    const late = book(ws, 'Ana late', chi('18:00'), chi('19:00'), [ana]); // outside hours, amber
    const all = listBookings(ws.schedule);
    const only = (...ids: string[]) => all.filter((b) => ids.includes(b.id));
    // Ana's row: the team job's double-booking with Bo's solo job is found through its other assignee.
    const anaRow = new Set([team, x, late]);
    expect(asSets(findConflictsOf(worldOf(ws), only(team, x, late), all))).toEqual(wholeBoardOn(ws, anaRow));
    // Neighbours limited to the rows of the subset are enough.
    expect(asSets(findConflictsOf(worldOf(ws), only(team, x, late), only(y)))).toEqual(wholeBoardOn(ws, anaRow));
    // Cy's row is untouched by the rest and stays clean; nothing outside the subset is reported.
    expect(findConflictsOf(worldOf(ws), only(z), all)).toEqual(new Map());
    expect([...findConflictsOf(worldOf(ws), only(x), all).keys()]).toEqual([x]);
  });

  it('a neighbour that is missing is the only way to get a different verdict', () => {
    const { ws, ana } = org();
    const a = book(ws, 'A', chi('09:00'), chi('11:00'), [ana]);
    book(ws, 'B', chi('10:00'), chi('12:00'), [ana]);
    const [ba] = listBookings(ws.schedule).filter((b) => b.id === a);
    expect(findConflictsOf(worldOf(ws), [ba!], []).has(a)).toBe(false);
    expect(findConflictsOf(worldOf(ws), [ba!], listBookings(ws.schedule)).get(a)!.map((c) => c.kind)).toEqual(['double_booking']);
  });

  it('matches findConflicts on random schedules for random subsets (auto-resize on and off)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 40 }), // quarter hours from 07:00
            length: fc.integer({ min: 1, max: 16 }),
            who: fc.subarray([0, 1, 2], { minLength: 0, maxLength: 3 }),
            teamSize: fc.integer({ min: 1, max: 3 }),
            cancelled: fc.boolean(),
            inSubset: fc.boolean(),
          }),
          { maxLength: 14 },
        ),
        (autoResize, specs) => {
          const { ws, ana, bo } = org('America/Chicago', autoResize);
          const people = [ana, bo, ws.must('createProvider', { name: 'Cy Park' }).id];
          const subset = new Set<string>();
          specs.forEach((s, i) => {
            const start = toMs(chi('07:00')) + s.start * 15 * 60_000;
            const id = book(ws, `J${i}`, new Date(start).toISOString(), new Date(start + s.length * 15 * 60_000).toISOString(), s.who.map((k) => people[k]!), {
              teamSize: s.teamSize,
            });
            if (s.cancelled) ws.must('cancelBooking', { id, reason: 'test' });
            if (s.inSubset) subset.add(id);
          });
          const all = listBookings(ws.schedule);
          const got = findConflictsOf(worldOf(ws), all.filter((b) => subset.has(b.id)), all);
          expect(asSets(got)).toEqual(wholeBoardOn(ws, subset));
        },
      ),
      { numRuns: 100 },
    );
  });
});
