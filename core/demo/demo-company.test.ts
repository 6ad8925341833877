import { beforeAll, describe, expect, it } from 'vitest';
import { findConflicts, type ConflictKind } from '../conflicts';
import type { Booking } from '../model';
import { conflictWorldOf, listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import { listBookings, readHistory } from '../doc/schedule';
import { addDays, localDateOf, localTimeMinutes, localTimeOf, localToMs, toMs, weekdayOf } from '../time';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { insideChicagoBox } from './chicago';
import { createDemoCompany, DEMO_COMPANY_NAME, type DemoCompanySummary } from './demo-company';

const ZONE = 'America/Chicago';
/** A Wednesday; its two weeks (Mon 26 Oct – Sun 8 Nov 2026) contain the end of daylight saving time. */
const ANCHOR = '2026-10-28';

function build(anchorDate = ANCHOR, seed = 7): { ws: Workspace; summary: DemoCompanySummary } {
  const ws = createWorkspace();
  const summary = createDemoCompany(ws.run, { anchorDate, seed, setNow: ws.setNow, technicianActors: true });
  return { ws, summary };
}

const conflictsOf = (ws: Workspace) => findConflicts(conflictWorldOf(ws.roster), listBookings(ws.schedule));

const dayOf = (b: Booking) => localDateOf(toMs(b.slot!.start), ZONE);

describe('createDemoCompany', () => {
  let ws: Workspace;
  let summary: DemoCompanySummary;
  let bookings: Booking[];
  beforeAll(() => {
    ({ ws, summary } = build());
    bookings = listBookings(ws.schedule);
  });

  it('sets up Northwind Home Services in Chicago time', () => {
    const settings = readSettings(ws.roster);
    expect(settings.name).toBe(DEMO_COMPANY_NAME);
    expect(settings.timeZone).toBe(ZONE);
    expect(summary.firstDay).toBe('2026-10-26');
    expect(weekdayOf(summary.firstDay)).toBe('mon');
    expect(summary.lastDay).toBe(addDays(summary.firstDay, 13));
    expect(summary.now).toBe('2026-10-28T17:00:00Z'); // 12:00 CDT
  });

  it('has about twelve varied providers, one of them inactive', () => {
    const providers = listProviders(ws.roster);
    expect(providers).toHaveLength(summary.providers);
    expect(providers.length).toBeGreaterThanOrEqual(10);
    expect(providers.length).toBeLessThanOrEqual(14);
    expect(providers.filter((p) => !p.active)).toHaveLength(1);
    expect(new Set(providers.map((p) => p.color)).size).toBe(providers.length);
    expect(new Set(providers.map((p) => p.email)).size).toBe(providers.length);
    for (const p of providers) {
      expect(p.email).toMatch(/@/);
      expect(p.phone).not.toBe('');
      expect(p.address).toMatch(/, Chicago, IL 606\d\d$/);
      expect(insideChicagoBox(p.coordinates)).toBe(true);
      expect(p.skills.length).toBeGreaterThan(0);
    }
    const skills = new Set(providers.flatMap((p) => p.skills));
    for (const s of ['hvac', 'electrical', 'plumbing', 'cleaning', 'appliance', 'lead', 'ladder-30ft']) expect(skills).toContain(s);
    // Varied hours: a split shift, an early shift, a part-timer, someone working Saturdays.
    expect(providers.some((p) => p.weeklyHours.mon.length === 2)).toBe(true);
    expect(providers.some((p) => p.weeklyHours.mon.some((i) => localTimeMinutes(i.start) < 7 * 60))).toBe(true);
    const workingDays = (p: (typeof providers)[number]) => Object.values(p.weeklyHours).filter((d) => d.length > 0).length;
    expect(providers.some((p) => workingDays(p) === 3 && p.weeklyHours.sat.length > 0)).toBe(true);
    // Time off inside the two weeks, among them a whole vacation day and a short appointment.
    const [from, to] = [localToMs(summary.firstDay, '00:00', ZONE), localToMs(summary.lastDay, '24:00', ZONE)];
    const offs = providers.flatMap((p) => p.timeOff);
    expect(offs.length).toBeGreaterThanOrEqual(2);
    for (const o of offs) expect(toMs(o.start) >= from && toMs(o.end) <= to).toBe(true);
    expect(offs.some((o) => toMs(o.end) - toMs(o.start) === 24 * 3_600_000)).toBe(true);
    expect(offs.some((o) => toMs(o.end) - toMs(o.start) <= 2 * 3_600_000)).toBe(true);
  });

  it('has the promised services', () => {
    const services = listServices(ws.roster);
    expect(services).toHaveLength(summary.services);
    expect(services.length).toBeGreaterThanOrEqual(8);
    const byName = new Map(services.map((s) => [s.name, s]));
    expect(byName.get('AC tune-up')).toMatchObject({ durationMinutes: 90, teamSize: 1, requiredSkills: ['hvac'] });
    expect(byName.get('Electrical panel upgrade')).toMatchObject({ teamSize: 2, laborHours: 6, requiredSkills: ['electrical'] });
    expect(byName.get('Deep clean')).toMatchObject({ teamSize: 3 });
    expect(byName.get('Water heater install')).toMatchObject({ teamSize: 2 });
    for (const name of ['Furnace repair', 'Drain cleaning', 'Appliance repair', 'Emergency call-out']) expect(byName.has(name)).toBe(true);
  });

  it('has at least 75 customers spread over Chicago, some with notes', () => {
    const customers = listCustomers(ws.roster);
    expect(customers).toHaveLength(summary.customers);
    expect(customers.length).toBeGreaterThanOrEqual(75);
    for (const c of customers) {
      expect(insideChicagoBox(c.coordinates), `${c.name} at ${JSON.stringify(c.coordinates)}`).toBe(true);
      expect(c.address).toMatch(/^\d+ [NSEW] .+, Chicago, IL 606\d\d$/);
    }
    expect(new Set(customers.map((c) => c.name)).size).toBe(customers.length);
    expect(new Set(customers.map((c) => c.phone)).size).toBe(customers.length);
    // Spread across the city, not a single cluster: north, south and far west sides all represented.
    expect(customers.some((c) => c.coordinates!.lat > 41.95)).toBe(true);
    expect(customers.some((c) => c.coordinates!.lat < 41.82)).toBe(true);
    expect(customers.some((c) => c.coordinates!.lng < -87.75)).toBe(true);
    expect(customers.some((c) => /gate code/i.test(c.notes))).toBe(true);
    expect(customers.some((c) => /dog/i.test(c.notes))).toBe(true);
  });

  it('fills two weeks starting Monday with 8–14 jobs per weekday on the quarter hour, 07:00–17:00', () => {
    expect(bookings).toHaveLength(summary.bookings);
    const dated = bookings.filter((b) => b.slot);
    const perDay = new Map<string, number>();
    for (const b of dated) perDay.set(dayOf(b), (perDay.get(dayOf(b)) ?? 0) + 1);
    for (let i = 0; i < 14; i++) {
      const date = addDays(summary.firstDay, i);
      const count = perDay.get(date) ?? 0;
      const weekday = weekdayOf(date);
      if (weekday === 'sun') expect(count, date).toBe(0);
      else if (weekday === 'sat') expect(count, date).toBeLessThan(8);
      else {
        expect(count, date).toBeGreaterThanOrEqual(8);
        expect(count, date).toBeLessThanOrEqual(14);
      }
    }
    expect([...perDay.keys()].every((d) => d >= summary.firstDay && d <= summary.lastDay)).toBe(true);
    const customers = new Map(listCustomers(ws.roster).map((c) => [c.id, c]));
    for (const b of dated) {
      const start = localTimeOf(toMs(b.slot!.start), ZONE);
      const end = localTimeOf(toMs(b.slot!.end), ZONE);
      expect(localTimeMinutes(start) % 15, b.title).toBe(0);
      expect(start >= '07:00' && end <= '17:00', `${b.title} ${start}–${end}`).toBe(true);
    }
    for (const b of bookings) {
      const customer = customers.get(b.customerId!);
      expect(b.location).toEqual({ address: customer!.address, coordinates: customer!.coordinates });
    }
    expect(bookings.filter((b) => b.arrivalWindow).length).toBeGreaterThan(bookings.length / 3);
    expect(new Set(bookings.map((b) => b.priority))).toEqual(new Set(['low', 'normal', 'high', 'emergency']));
    expect(bookings.some((b) => b.notes !== '')).toBe(true);
  });

  it('has team jobs and both kinds of unassigned jobs', () => {
    const team = bookings.filter((b) => (b.slot?.assignees.length ?? 0) >= 2);
    expect(team).toHaveLength(summary.teamJobs);
    expect(team.length).toBeGreaterThanOrEqual(3);
    expect(team.some((b) => b.slot!.assignees.length === 3)).toBe(true);
    const withDate = bookings.filter((b) => b.slot && b.slot.assignees.length === 0);
    const withoutDate = bookings.filter((b) => !b.slot);
    expect(withDate.length).toBeGreaterThanOrEqual(1);
    expect(withoutDate.length).toBeGreaterThanOrEqual(1);
    expect(withDate.length + withoutDate.length).toBe(summary.unassigned);
    expect(summary.unassigned).toBeGreaterThanOrEqual(8);
    expect(summary.unassigned).toBeLessThanOrEqual(12);
    for (const b of [...withDate, ...withoutDate]) expect(b.status).toBe('unscheduled');
    // Dated but unassigned jobs are still ahead, waiting for a technician.
    for (const b of withDate) expect(toMs(b.slot!.start)).toBeGreaterThan(toMs(summary.now));
  });

  it('reports exactly the deliberate conflicts, with the expected kinds', () => {
    const found = conflictsOf(ws);
    const kinds = summary.conflicts.map((c) => c.kind).sort();
    const expected: ConflictKind[] = ['double_booking', 'double_booking', 'double_booking', 'missing_skill', 'outside_hours', 'time_off', 'understaffed'];
    expect(kinds).toEqual(expected);
    for (const c of summary.conflicts) {
      const reported = found.get(c.bookingId) ?? [];
      expect(reported.map((r) => r.kind), c.description).toContain(c.kind);
      const match = reported.find((r) => r.kind === c.kind)!;
      expect(match.providerId).toBe(c.providerId);
      if (c.kind === 'double_booking') {
        expect(c.otherBookingId).toBeDefined();
        expect(match.otherBookingId).toBe(c.otherBookingId);
        expect(found.get(c.otherBookingId!)?.map((r) => r.kind)).toContain('double_booking');
      }
    }
    // Nothing else on the board is red or amber: the rest of the schedule is clean.
    const involved = new Set(summary.conflicts.flatMap((c) => [c.bookingId, ...(c.otherBookingId ? [c.otherBookingId] : [])]));
    expect(new Set(found.keys())).toEqual(involved);
  });

  it('walks past jobs through the real lifecycle, relative to the anchor date', () => {
    const now = toMs(summary.now);
    const count = (s: Booking['status']) => bookings.filter((b) => b.status === s).length;
    expect(count('completed')).toBeGreaterThan(0);
    expect(count('dispatched') + count('en_route') + count('in_progress')).toBeGreaterThan(0);
    expect(count('cancelled')).toBe(summary.cancelled);
    expect(summary.cancelled).toBeGreaterThanOrEqual(1);
    expect(summary.cancelled).toBeLessThanOrEqual(2);
    const providers = new Map(listProviders(ws.roster).map((p) => [p.id, p]));
    for (const b of bookings) {
      if (b.status === 'completed') expect(toMs(b.slot!.end)).toBeLessThanOrEqual(now);
      if (b.status === 'in_progress') expect(toMs(b.slot!.start)).toBeLessThanOrEqual(now);
      if (['dispatched', 'en_route', 'in_progress'].includes(b.status)) expect(dayOf(b)).toBe(ANCHOR);
      // Past jobs are never left merely Scheduled; later days are not sent yet.
      if (b.slot && b.slot.assignees.length > 0 && toMs(b.slot.end) <= now) expect(['completed', 'cancelled']).toContain(b.status);
      if (b.slot && dayOf(b) > ANCHOR) expect(['scheduled', 'unscheduled', 'cancelled']).toContain(b.status);
    }
    const done = bookings.find((b) => b.status === 'completed')!;
    const history = readHistory(ws.schedule, done.id);
    const actions = history.map((h) => h.action);
    expect(actions[0]).toBe('create');
    expect(actions.slice(-4)).toEqual(['send_to_tech', 'en_route', 'in_progress', 'completed']);
    const stamps = history.map((h) => toMs(h.at));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps.every((t) => t <= now)).toBe(true);
    expect(history.at(-1)!.by.name).toBe(providers.get(done.slot!.assignees[0]!)!.name);
    // Histories vary the way a dispatcher works: assign, reassign, move, team changes.
    const all = new Set(bookings.flatMap((b) => readHistory(ws.schedule, b.id).map((h) => h.action)));
    for (const a of ['assign', 'reassign', 'move', 'team', 'cancel']) expect(all).toContain(a);
  });

  it('is deterministic per seed', () => {
    const snapshot = (w: Workspace) =>
      JSON.stringify({ bookings: listBookings(w.schedule), customers: listCustomers(w.roster), providers: listProviders(w.roster) });
    const again = build();
    expect(snapshot(again.ws)).toBe(snapshot(ws));
    expect(again.summary).toEqual(summary);
    const other = build(ANCHOR, 8);
    expect(JSON.stringify(listBookings(other.ws.schedule))).not.toBe(JSON.stringify(bookings));
  });

  it.each([
    ['a Monday', '2026-11-23'],
    ['a Saturday', '2026-03-14'],
    ['the Sunday DST starts', '2026-03-08'],
  ])('keeps its promises when the anchor is %s', (_label, anchor) => {
    const built = build(anchor, 3);
    const found = conflictsOf(built.ws);
    const involved = new Set(built.summary.conflicts.flatMap((c) => [c.bookingId, ...(c.otherBookingId ? [c.otherBookingId] : [])]));
    expect(new Set(found.keys())).toEqual(involved);
    for (const c of built.summary.conflicts) expect(found.get(c.bookingId)?.map((r) => r.kind)).toContain(c.kind);
    expect(weekdayOf(built.summary.firstDay)).toBe('mon');
    expect(built.summary.firstDay <= anchor && anchor <= built.summary.lastDay).toBe(true);
    const statuses = new Set(listBookings(built.ws.schedule).map((b) => b.status));
    expect(statuses).toContain('completed');
  });

  it('works with a plain two-argument run (as a store passes it) and no clock', () => {
    const w = createWorkspace();
    const seen: string[] = [];
    const result = createDemoCompany((name, input) => {
      seen.push(name);
      return w.run(name, input);
    }, { anchorDate: ANCHOR, seed: 7 });
    expect(result.bookings).toBe(summary.bookings);
    expect(seen).toHaveLength(result.commands);
    expect(seen.filter((n) => n === 'createBooking')).toHaveLength(result.bookings);
    // Without technician actors the office account stamps the check-outs.
    const done = listBookings(w.schedule).find((b) => b.status === 'completed')!;
    expect(readHistory(w.schedule, done.id).at(-1)!.by.name).toBe('Alex Admin');
  });

  it('throws a clear error when a command fails', () => {
    const w = createWorkspace();
    w.must('initializeOrganization', { name: 'Already here' });
    expect(() => createDemoCompany(w.run, { anchorDate: ANCHOR })).toThrow(/initializeOrganization failed \(conflict\)/);
    expect(() => createDemoCompany(createWorkspace().run, { anchorDate: '28/10/2026' })).toThrow(/YYYY-MM-DD/);
  });
});
