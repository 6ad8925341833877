import { describe, expect, it } from 'vitest';
import { findConflicts } from '../conflicts';
import { createDemoCompany } from '../demo/demo-company';
import { conflictWorldOf, listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import { listBookings } from '../doc/schedule';
import type { WeeklyHours } from '../model';
import { effectiveStatus } from '../status';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { addDays, localDateOf, toMs } from '../time';
import { KM_PER_MILE } from '../units';
import { SKETCH_HEIGHT, SKETCH_WIDTH } from './geometry';
import { buildRouteSheets, distanceKm, longDateLabel, type RouteSheetsRequest } from './route-sheet';

// ---------------------------------------------------------------------------------------------------
// Fixture: real documents built through the commands, read back as the store would serve them.

/** A UTC instant for a wall-clock time given the zone's UTC offset that day (by hand, not by core). */
function wall(date: string, hhmm: string, utcOffsetHours: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, h - utcOffsetHours, mi)).toISOString().replace('.000Z', 'Z');
}
/** Monday 2026-11-23 in America/Chicago (CST, UTC-6). */
const MON = '2026-11-23';
const chi = (hhmm: string, date = MON) => wall(date, hhmm, -6);

const ALL_DAY: WeeklyHours = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
) as WeeklyHours;

/** Points around the Loop; distances between them worked out by hand below. */
const LOOP = { lat: 41.88, lng: -87.63 };
/** 0.009° of latitude north of LOOP: 0.009 × 111.195 km = 1.0008 km. */
const NORTH_1KM = { lat: 41.889, lng: -87.63 };
/** 0.018° north: 2.0015 km from LOOP, 1.0008 km from NORTH_1KM. */
const NORTH_2KM = { lat: 41.898, lng: -87.63 };

function org(opts: { timeZone?: string; autoResize?: boolean } = {}) {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme Home Services', timeZone: opts.timeZone ?? 'America/Chicago', autoResize: opts.autoResize ?? false });
  return ws;
}

function provider(ws: Workspace, name: string, extra: Record<string, unknown> = {}): string {
  return ws.must('createProvider', { name, phone: '+1 312 555 0100', weeklyHours: ALL_DAY, ...extra }).id;
}

function customer(ws: Workspace, name: string, address: string, coordinates: { lat: number; lng: number } | null, notes = ''): string {
  return ws.must('createCustomer', { name, address, coordinates, phone: '(773) 555-0101', notes }).id;
}

function book(
  ws: Workspace,
  title: string,
  start: string,
  end: string,
  assignees: string[],
  extra: Record<string, unknown> = {},
): string {
  return ws.must('createBooking', { title, teamSize: Math.max(1, assignees.length), ...extra, slot: { start, end, assignees } }).id;
}

function sheetsOf(ws: Workspace, request: RouteSheetsRequest) {
  return buildRouteSheets(
    {
      settings: readSettings(ws.roster),
      providers: listProviders(ws.roster),
      customers: listCustomers(ws.roster),
      services: listServices(ws.roster),
      bookings: listBookings(ws.schedule),
    },
    request,
  );
}

const sheetOf = (sheets: ReturnType<typeof sheetsOf>, providerId: string) => {
  const sheet = sheets.sheets.find((s) => s.provider.id === providerId);
  if (!sheet) throw new Error(`no sheet for ${providerId}`);
  return sheet;
};

// ---------------------------------------------------------------------------------------------------

describe('route sheets: stops', () => {
  it('lists a provider’s jobs of the day in time order, with everything needed at the door', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva');
    const hvac = ws.must('createService', { name: 'AC tune-up', durationMinutes: 90 }).id;
    const early = customer(ws, 'Early Bird', '100 N State St, Chicago, IL 60602', LOOP, 'Gate code 4321#');
    const late = customer(ws, 'Night Owl', '200 N State St, Chicago, IL 60601', NORTH_1KM);
    const mid = customer(ws, 'Noon Ltd', '300 N State St, Chicago, IL 60654', NORTH_2KM);
    // Created out of order on purpose.
    const c = book(ws, 'Late job', chi('15:00'), chi('16:00'), [ana], { customerId: late, priority: 'high', notes: 'Bring the long ladder' });
    const a = book(ws, 'Early job', chi('08:00'), chi('09:30'), [ana], {
      customerId: early,
      serviceId: hvac,
      arrivalWindow: { start: chi('08:00'), end: chi('10:00') },
    });
    const b = book(ws, 'Noon job', chi('12:00'), chi('13:00'), [ana], { customerId: mid });
    book(ws, 'Tomorrow', chi('08:00', addDays(MON, 1)), chi('09:00', addDays(MON, 1)), [ana], { customerId: mid });
    book(ws, 'Yesterday', chi('16:00', addDays(MON, -1)), chi('17:00', addDays(MON, -1)), [ana], { customerId: mid });
    const cancelled = book(ws, 'Cancelled', chi('10:00'), chi('11:00'), [ana], { customerId: mid });
    ws.must('cancelBooking', { id: cancelled, reason: 'Customer called off' });

    const sheets = sheetsOf(ws, { date: MON });
    expect(sheets.company).toBe('Acme Home Services');
    expect(sheets.dateLabel).toBe('Monday, November 23, 2026');
    expect(sheets.zoneInTimes).toBe(false);
    const sheet = sheetOf(sheets, ana);
    expect(sheet.stops.map((s) => s.bookingId)).toEqual([a, b, c]);
    expect(sheet.stops.map((s) => s.number)).toEqual([1, 2, 3]);
    expect(sheet.stops.map((s) => s.timeLabel)).toEqual(['08:00–09:30', '12:00–13:00', '15:00–16:00']);
    const [first, , third] = sheet.stops;
    expect(first).toMatchObject({
      title: 'Early job',
      status: 'scheduled',
      priority: 'normal',
      durationMinutes: 90,
      arrivalWindow: { label: '08:00–10:00' },
      customer: { name: 'Early Bird', phone: '(773) 555-0101' },
      address: '100 N State St, Chicago, IL 60602',
      service: 'AC tune-up',
      teamMates: [],
      accessNotes: 'Gate code 4321#',
      conflicts: [],
    });
    expect(third).toMatchObject({ priority: 'high', notes: 'Bring the long ladder', arrivalWindow: null, service: null });
    expect(sheet.totals).toMatchObject({ stops: 3, workMinutes: 90 + 60 + 60, conflicts: 0 });
  });

  it('shows a job that runs over midnight with its dates, and lets auto-resize set how long this person is on it', () => {
    const ws = org({ autoResize: true });
    const ana = provider(ws, 'Ana Silva');
    const bo = provider(ws, 'Bo Chen');
    book(ws, 'Night shift', chi('22:00', addDays(MON, -1)), chi('02:00'), [ana], { laborHours: 4 });
    book(ws, 'Shared labor', chi('09:00'), chi('13:00'), [ana, bo], { laborHours: 4, teamSize: 2 });
    const stops = sheetOf(sheetsOf(ws, { date: MON }), ana).stops;
    expect(stops.map((s) => s.timeLabel)).toEqual(['Nov 22 22:00–02:00', '09:00–11:00']);
    expect(stops.map((s) => s.durationMinutes)).toEqual([240, 120]);
  });
});

describe('route sheets: travel estimates', () => {
  /** Ana's home base in the Loop, a job 2 km north of it, then one 2.5 km east of it. */
  function homeNorthEastDay() {
    const ws = org();
    const ana = provider(ws, 'Ana Silva', { coordinates: LOOP });
    const north = customer(ws, 'North', '1 N', NORTH_2KM);
    const east = customer(ws, 'East', '1 E', { lat: 41.88, lng: -87.6 });
    book(ws, 'A', chi('08:00'), chi('09:00'), [ana], { customerId: north });
    book(ws, 'B', chi('10:00'), chi('11:00'), [ana], { customerId: east });
    return { ws, ana };
  }

  it('estimates each leg from the straight line × the distance factor at the average speed, and totals the day', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva', { address: 'Home, 1 S State St', coordinates: LOOP });
    const one = customer(ws, 'One', '1 N', NORTH_1KM);
    const two = customer(ws, 'Two', '2 N', NORTH_2KM);
    const back = customer(ws, 'Back', '3 Loop', LOOP);
    book(ws, 'A', chi('08:00'), chi('09:00'), [ana], { customerId: one });
    book(ws, 'B', chi('10:00'), chi('11:00'), [ana], { customerId: two });
    book(ws, 'C', chi('12:00'), chi('13:00'), [ana], { customerId: back });

    // Defaults: 1.3 × the straight line at 30 km/h.
    const sheet = sheetOf(sheetsOf(ws, { date: MON }), ana);
    expect(sheet.provider.hasHomeBase).toBe(true);
    expect(sheet.stops.map((s) => s.travelFrom)).toEqual([
      { from: 'home', km: 1.3, minutes: 3 }, // 1.0008 km × 1.3 = 1.301 km; /30 km/h = 2.6 min
      { from: 1, km: 1.3, minutes: 3 },
      { from: 2, km: 2.6, minutes: 5 }, // 2.0015 × 1.3 = 2.602 km; 5.2 min
    ]);
    // The total is of the unrounded legs: 5.204 km, 10.4 min.
    expect(sheet.totals).toMatchObject({ travelKm: 5.2, travelMinutes: 10, estimatedLegs: 3, unknownLegs: 0 });

    // Both are organization settings.
    ws.must('updateSettings', { travelSpeedKmh: 15, travelDistanceFactor: 1 });
    const slower = sheetsOf(ws, { date: MON });
    expect(slower.travel).toEqual({ speedKmh: 15, distanceFactor: 1, unit: 'km' });
    expect(sheetOf(slower, ana).stops.map((s) => s.travelFrom)).toEqual([
      { from: 'home', km: 1, minutes: 4 },
      { from: 1, km: 1, minutes: 4 },
      { from: 2, km: 2, minutes: 8 },
    ]);
    expect(sheetOf(slower, ana).totals).toMatchObject({ travelKm: 4, travelMinutes: 16 });
  });

  it('refuses travel settings that make no sense, on their field', () => {
    const ws = org();
    for (const [input, field] of [
      [{ travelSpeedKmh: 0 }, 'travelSpeedKmh'],
      [{ travelSpeedKmh: 500 }, 'travelSpeedKmh'],
      [{ travelDistanceFactor: 0.5 }, 'travelDistanceFactor'],
      [{ travelDistanceFactor: Number.NaN }, 'travelDistanceFactor'],
    ] as const) {
      const r = ws.run('updateSettings', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(Object.keys(r.error.fieldErrors ?? {})).toEqual([field]);
    }
    expect(readSettings(ws.roster)).toMatchObject({ travelSpeedKmh: 30, travelDistanceFactor: 1.3 });
  });

  it('agrees with a known great-circle distance', () => {
    // Chicago (O'Hare) to New York (JFK): 1,188 km great-circle (published figure, rounded).
    const km = distanceKm({ lat: 41.9786, lng: -87.9048 }, { lat: 40.6398, lng: -73.7789 });
    expect(km).toBeGreaterThan(1183);
    expect(km).toBeLessThan(1193);
  });

  it('leaves out legs touching a stop without coordinates and says how many', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva'); // no home base
    const one = customer(ws, 'One', '1 N', LOOP);
    const nowhere = customer(ws, 'Nowhere', 'Somewhere unknown', null);
    const two = customer(ws, 'Two', '2 N', NORTH_2KM);
    const three = customer(ws, 'Three', '3 N', NORTH_1KM);
    book(ws, 'A', chi('08:00'), chi('09:00'), [ana], { customerId: one });
    book(ws, 'B', chi('10:00'), chi('11:00'), [ana], { customerId: nowhere });
    book(ws, 'C', chi('12:00'), chi('13:00'), [ana], { customerId: two });
    book(ws, 'D', chi('14:00'), chi('15:00'), [ana], { customerId: three });
    const sheet = sheetOf(sheetsOf(ws, { date: MON }), ana);
    expect(sheet.stops.map((s) => s.travelFrom)).toEqual([
      null,
      { from: 1, km: null, minutes: null },
      { from: 2, km: null, minutes: null },
      { from: 3, km: 1.3, minutes: 3 },
    ]);
    expect(sheet.totals).toMatchObject({ travelKm: 1.3, travelMinutes: 3, estimatedLegs: 1, unknownLegs: 2 });
    expect(sheet.sketch?.missing).toEqual([2]);
    expect(sheet.sketch?.points.map((p) => p.number)).toEqual([1, 3, 4]);
  });

  it('uses the customer’s coordinates only when the job is at the customer’s address', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva', { coordinates: LOOP });
    const c = customer(ws, 'Owner', '1 N State St', NORTH_1KM);
    const atHome = book(ws, 'At the customer', chi('08:00'), chi('09:00'), [ana], { customerId: c, location: { address: '', coordinates: null } });
    book(ws, 'At their rental', chi('10:00'), chi('11:00'), [ana], { customerId: c, location: { address: '9 Rental Rd', coordinates: null } });
    const stops = sheetOf(sheetsOf(ws, { date: MON }), ana).stops;
    expect(stops[0]).toMatchObject({ bookingId: atHome, address: '1 N State St', coordinates: NORTH_1KM });
    expect(stops[1]).toMatchObject({ address: '9 Rental Rd', coordinates: null, travelFrom: { from: 1, km: null } });
  });

  it('draws a north-up sketch of the home base and numbered stops inside its box', () => {
    const { ws, ana } = homeNorthEastDay();
    const sketch = sheetOf(sheetsOf(ws, { date: MON }), ana).sketch!;
    expect(sketch.points.map((p) => [p.kind, p.number])).toEqual([['home', null], ['stop', 1], ['stop', 2]]);
    const [home, n, e] = sketch.points as [typeof sketch.points[0], typeof sketch.points[0], typeof sketch.points[0]];
    expect(n.y).toBeLessThan(home.y); // north is up
    expect(n.x).toBeCloseTo(home.x, 0);
    expect(e.x).toBeGreaterThan(home.x); // east is right
    expect(e.y).toBeCloseTo(home.y, 0);
    for (const p of sketch.points) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(SKETCH_WIDTH);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(SKETCH_HEIGHT);
    }
    // Scale bar: units per km as drawn. Home → north is 2.0015 km straight up.
    const unitsPerKm = sketch.scale.length / sketch.scale.km;
    expect(Math.abs(home.y - n.y) / unitsPerKm).toBeCloseTo(2.0, 1);
    expect(sketch.scale).toMatchObject({ km: 0.5, label: '500 m' }); // a quarter of the box, rounded down
  });

  it('speaks miles when the organization does: the numbers stay km, the sketch bar is a round number of miles', () => {
    const { ws, ana } = homeNorthEastDay();
    const inKm = sheetOf(sheetsOf(ws, { date: MON }), ana);

    ws.must('updateSettings', { distanceUnit: 'mi' });
    const sheets = sheetsOf(ws, { date: MON });
    expect(sheets.travel).toEqual({ speedKmh: 30, distanceFactor: 1.3, unit: 'mi' });
    const inMiles = sheetOf(sheets, ana);
    expect(inMiles.stops.map((s) => s.travelFrom)).toEqual(inKm.stops.map((s) => s.travelFrom));
    expect(inMiles.totals).toEqual(inKm.totals);
    const { scale } = inMiles.sketch!;
    const miles = scale.km / KM_PER_MILE;
    expect([0.1, 0.2, 0.5, 1, 2, 5]).toContain(Math.round(miles * 1000) / 1000);
    expect(scale.label).toBe(`${Math.round(miles * 1000) / 1000} mi`);
    // Drawn to the same scale as in km: the bar is longer or shorter, never differently proportioned.
    // (Bar lengths are rounded to 0.1 of a sketch unit.)
    const ratio = scale.length / scale.km / (inKm.sketch!.scale.length / inKm.sketch!.scale.km);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.01);
  });
});

describe('route sheets: conflicts from the one engine', () => {
  it('flags each stop with the conflicts that concern this provider or the whole job', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva');
    const bo = provider(ws, 'Bo Chen');
    ws.must('addTimeOff', { providerId: bo, start: chi('13:00'), end: chi('18:00'), reason: 'Dentist' });
    const first = book(ws, 'First', chi('09:00'), chi('10:30'), [ana]);
    const overlap = book(ws, 'Overlap', chi('10:00'), chi('11:00'), [ana]);
    const team = book(ws, 'Team', chi('14:00'), chi('15:00'), [ana, bo], { teamSize: 3 });
    const clean = book(ws, 'Clean', chi('16:00'), chi('17:00'), [ana]);

    const sheets = sheetsOf(ws, { date: MON });
    const byId = new Map(sheetOf(sheets, ana).stops.map((s) => [s.bookingId, s]));
    expect(byId.get(first)!.conflicts).toEqual([
      { kind: 'double_booking', severity: 'red', message: expect.stringContaining('"Overlap" 10:00–11:00') },
    ]);
    expect(byId.get(overlap)!.conflicts.map((c) => c.kind)).toEqual(['double_booking']);
    // Understaffed is about the whole job: on both sheets. Bo's time off is about Bo: only on his.
    expect(byId.get(team)!.conflicts.map((c) => c.kind)).toEqual(['understaffed']);
    expect(sheetOf(sheets, bo).stops[0]!.conflicts.map((c) => c.kind).sort()).toEqual(['time_off', 'understaffed']);
    expect(byId.get(clean)!.conflicts).toEqual([]);
    expect(sheetOf(sheets, ana).totals.conflicts).toBe(3);

    // The same verdicts, word for word, as the engine the board asks.
    const engine = findConflicts(conflictWorldOf(ws.roster), listBookings(ws.schedule));
    expect(byId.get(first)!.conflicts.map((c) => c.message)).toEqual(engine.get(first)!.map((c) => c.message));
  });

  it('judges a job against one that started the day before', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva');
    book(ws, 'Overnight', chi('22:00', addDays(MON, -1)), chi('08:30'), [ana]);
    const morning = book(ws, 'Morning', chi('08:00'), chi('09:00'), [ana]);
    const stop = sheetOf(sheetsOf(ws, { date: MON }), ana).stops.find((s) => s.bookingId === morning)!;
    expect(stop.conflicts.map((c) => c.kind)).toEqual(['double_booking']);
  });
});

describe('route sheets: the day is the organization’s local day', () => {
  it('on the day daylight saving ends (25 hours) keeps both 01:30s apart and in order', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva');
    const day = '2026-11-01'; // Chicago falls back at 02:00 CDT to 01:00 CST
    const before = book(ws, 'Before midnight', wall('2026-10-31', '23:30', -5), wall(day, '00:15', -5), [ana]);
    const cdt = book(ws, 'First 01:30', wall(day, '01:30', -5), wall(day, '01:45', -5), [ana]);
    const cst = book(ws, 'Second 01:30', wall(day, '01:30', -6), wall(day, '01:45', -6), [ana]);
    const evening = book(ws, 'Late evening', wall(day, '23:30', -6), wall(day, '23:50', -6), [ana]);
    book(ws, 'Next day', wall('2026-11-02', '00:10', -6), wall('2026-11-02', '00:40', -6), [ana]);

    const sheets = sheetsOf(ws, { date: day });
    expect(sheets.zoneInTimes).toBe(true);
    const stops = sheetOf(sheets, ana).stops;
    expect(stops.map((s) => s.bookingId)).toEqual([before, cdt, cst, evening]);
    expect(stops.map((s) => s.timeLabel)).toEqual([
      'Oct 31 23:30 CDT–00:15 CDT',
      '01:30 CDT–01:45 CDT',
      '01:30 CST–01:45 CST',
      '23:30 CST–23:50 CST',
    ]);
  });

  it('on the day daylight saving starts (23 hours) holds the jobs of those 23 hours', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva');
    const day = '2026-03-08'; // Chicago springs forward at 02:00 CST to 03:00 CDT
    const early = book(ws, 'Early', wall(day, '00:30', -6), wall(day, '01:30', -6), [ana]);
    const after = book(ws, 'After the jump', wall(day, '03:00', -5), wall(day, '04:00', -5), [ana]);
    const last = book(ws, 'Last', wall(day, '23:00', -5), wall(day, '23:45', -5), [ana]);
    book(ws, 'Next midnight', wall('2026-03-09', '00:00', -5), wall('2026-03-09', '00:30', -5), [ana]);
    const sheets = sheetsOf(ws, { date: day });
    expect(sheets.zoneInTimes).toBe(true);
    const stops = sheetOf(sheets, ana).stops;
    expect(stops.map((s) => s.bookingId)).toEqual([early, after, last]);
    expect(stops.map((s) => s.timeLabel)).toEqual(['00:30 CST–01:30 CST', '03:00 CDT–04:00 CDT', '23:00 CDT–23:45 CDT']);
  });

  it('follows the organization’s zone, not UTC', () => {
    const ws = org({ timeZone: 'Europe/Berlin' });
    const ana = provider(ws, 'Ana Silva');
    // 23:30 in Berlin (CET, UTC+1) on the 23rd is 22:30Z; 00:30 on the 23rd is still the 22nd in UTC.
    const late = book(ws, 'Late', wall(MON, '23:30', 1), wall(MON, '23:59', 1), [ana]);
    const early = book(ws, 'Early', wall(MON, '00:30', 1), wall(MON, '01:00', 1), [ana]);
    book(ws, 'Not today', wall(addDays(MON, 1), '00:30', 1), wall(addDays(MON, 1), '01:00', 1), [ana]);
    const sheets = sheetsOf(ws, { date: MON });
    expect(sheets.zoneInTimes).toBe(false);
    expect(sheetOf(sheets, ana).stops.map((s) => [s.bookingId, s.timeLabel])).toEqual([
      [early, '00:30–01:00'],
      [late, '23:30–23:59'],
    ]);
  });
});

describe('route sheets: which providers get a sheet', () => {
  function roster() {
    const ws = org();
    const busy = provider(ws, 'Busy Bee', { sortOrder: 2 });
    const idle = provider(ws, 'Idle Ida', { sortOrder: 1 });
    const away = provider(ws, 'Away Al', { sortOrder: 3, active: false });
    const first = provider(ws, 'Aaron First', { sortOrder: 0 });
    book(ws, 'Job', chi('09:00'), chi('10:00'), [busy]);
    book(ws, 'Other', chi('11:00'), chi('12:00'), [first]);
    return { ws, busy, idle, away, first };
  }

  it('skips providers with no jobs by default and names them', () => {
    const { ws, busy, idle, first } = roster();
    const sheets = sheetsOf(ws, { date: MON });
    expect(sheets.sheets.map((s) => s.provider.id)).toEqual([first, busy]); // roster order
    expect(sheets.skipped).toEqual([{ id: idle, name: 'Idle Ida' }]); // inactive Al is not expected to work
  });

  it('gives a provider with no jobs a sheet that says so when asked', () => {
    const { ws, busy, idle, first } = roster();
    const sheets = sheetsOf(ws, { date: MON, includeEmpty: true });
    expect(sheets.sheets.map((s) => s.provider.id)).toEqual([first, idle, busy]);
    const empty = sheetOf(sheets, idle);
    expect(empty.stops).toEqual([]);
    expect(empty.totals).toEqual({ stops: 0, workMinutes: 0, travelKm: 0, travelMinutes: 0, estimatedLegs: 0, unknownLegs: 0, conflicts: 0 });
    expect(empty.sketch).toBeNull();
    expect(sheets.skipped).toEqual([]);
  });

  it('prints only the chosen providers, still in roster order', () => {
    const { ws, busy, idle, away, first } = roster();
    const chosen = sheetsOf(ws, { date: MON, providerIds: [busy, away, first] });
    expect(chosen.sheets.map((s) => s.provider.id)).toEqual([first, busy]);
    expect(chosen.skipped.map((s) => s.id)).toEqual([away]);
    const withEmpty = sheetsOf(ws, { date: MON, providerIds: [away, idle], includeEmpty: true });
    expect(withEmpty.sheets.map((s) => [s.provider.id, s.provider.active, s.stops.length])).toEqual([
      [idle, true, 0],
      [away, false, 0],
    ]);
  });

  it('puts an inactive provider who still has jobs on a sheet, flagged by the engine', () => {
    const { ws, away } = roster();
    book(ws, 'Left over', chi('13:00'), chi('14:00'), [away]);
    const sheet = sheetOf(sheetsOf(ws, { date: MON }), away);
    expect(sheet.provider.active).toBe(false);
    expect(sheet.stops[0]!.conflicts.map((c) => c.kind)).toEqual(['inactive_provider']);
  });
});

describe('route sheets: team jobs', () => {
  it('puts a team job on every member’s sheet, naming the others', () => {
    const ws = org();
    const ana = provider(ws, 'Ana Silva');
    const bo = provider(ws, 'Bo Chen');
    const cy = provider(ws, 'Cy Diaz');
    const team = book(ws, 'Deep clean', chi('09:00'), chi('13:00'), [ana, bo, cy]);
    book(ws, 'Solo', chi('14:00'), chi('15:00'), [bo]);
    const sheets = sheetsOf(ws, { date: MON });
    const teamStop = (id: string) => sheetOf(sheets, id).stops.find((s) => s.bookingId === team)!;
    expect(teamStop(ana).teamMates).toEqual(['Bo Chen', 'Cy Diaz']);
    expect(teamStop(bo).teamMates).toEqual(['Ana Silva', 'Cy Diaz']);
    expect(teamStop(cy).teamMates).toEqual(['Ana Silva', 'Bo Chen']);
    expect(sheetOf(sheets, bo).stops.map((s) => s.title)).toEqual(['Deep clean', 'Solo']);
  });
});

describe('route sheets for the demo company', () => {
  it('covers every job of every day exactly once per assignee, with travel estimated for every leg', () => {
    const ws = createWorkspace();
    const summary = createDemoCompany(ws.run, { anchorDate: '2026-11-24', seed: 1, setNow: ws.setNow });
    const settings = readSettings(ws.roster);
    const bookings = listBookings(ws.schedule);
    for (let date = summary.firstDay; date <= summary.lastDay; date = addDays(date, 1)) {
      const sheets = sheetsOf(ws, { date });
      const expected = bookings
        .filter((b) => b.slot && effectiveStatus(b.status, b.slot) !== 'cancelled' && localDateOf(toMs(b.slot.start), settings.timeZone) === date)
        .flatMap((b) => b.slot!.assignees.map((p) => `${p}/${b.id}`))
        .sort();
      const printed = sheets.sheets.flatMap((s) => s.stops.map((stop) => `${s.provider.id}/${stop.bookingId}`)).sort();
      expect(printed, date).toEqual(expected);
      for (const sheet of sheets.sheets) {
        const starts = sheet.stops.map((s) => toMs(s.start));
        expect(starts, `${date} ${sheet.provider.name}`).toEqual([...starts].sort((a, b) => a - b));
        expect(sheet.totals.unknownLegs).toBe(0);
        expect(sheet.totals.estimatedLegs).toBe(sheet.stops.length); // home base + between stops
        expect(sheet.sketch!.points).toHaveLength(sheet.stops.length + 1);
      }
    }
    // The deliberate conflicts show up on the sheets of the providers they concern.
    for (const conflict of summary.conflicts) {
      const booking = bookings.find((b) => b.id === conflict.bookingId)!;
      const date = localDateOf(toMs(booking.slot!.start), settings.timeZone);
      const sheets = sheetsOf(ws, { date });
      const on = conflict.providerId ?? booking.slot!.assignees[0]!;
      const stop = sheets.sheets.find((s) => s.provider.id === on)!.stops.find((s) => s.bookingId === booking.id)!;
      expect(stop.conflicts.map((c) => c.kind), conflict.description).toContain(conflict.kind);
    }
  });
});

describe('longDateLabel', () => {
  it('names the weekday and month in English', () => {
    expect(longDateLabel('2026-11-23')).toBe('Monday, November 23, 2026');
    expect(longDateLabel('2027-02-28')).toBe('Sunday, February 28, 2027');
    expect(longDateLabel('2028-02-29')).toBe('Tuesday, February 29, 2028');
  });
});
