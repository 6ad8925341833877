import { describe, expect, it } from 'vitest';
import { findConflicts, type Conflict } from '../conflicts';
import type { Booking } from '../model';
import { toMs } from '../time';
import { orderRoute, type RouteInput } from './order-route';
import { applySlots, localMs, randomRouteDay, ROUTE_DAY, routeBooking, routeProvider, routeWorld } from './route-fixture';

const TRAVEL = { speedKmh: 30, distanceFactor: 1.3 };
/** `k` km north of the home base (0.009° of latitude is 1.0008 km). */
const north = (k: number) => ({ address: `${k} km north`, coordinates: { lat: 41.88 + 0.009 * k, lng: -87.63 } });

function day(stops: Array<{ title: string; at: string; minutes?: number; km: number | null; extra?: Partial<Booking> }>, providerExtra = {}): RouteInput {
  const provider = routeProvider(providerExtra);
  const bookings = stops.map((s, i) =>
    routeBooking(i, s.title, localMs(s.at), s.minutes ?? 60, provider.id, { location: s.km === null ? { address: 'Somewhere', coordinates: null } : north(s.km), ...s.extra }),
  );
  return { world: routeWorld([provider]), provider, day: ROUTE_DAY, bookings, customers: new Map(), travel: TRAVEL };
}

const local = (iso: string) => new Date(toMs(iso) - 6 * 3_600_000).toISOString().slice(11, 16);
const titles = (p: ReturnType<typeof orderRoute>) => p.stops.map((s) => s.title);
const keys = (m: Map<string, Conflict[]>) => new Set([...m.values()].flat().map((c) => `${c.bookingId}|${c.kind}|${c.otherBookingId ?? ''}`));

describe('order a route', () => {
  it('unwinds a zig-zag, packs the drive between stops, and shows the gain', () => {
    const input = day([
      { title: 'A', at: '08:00', km: 1 },
      { title: 'D', at: '09:00', km: 4 },
      { title: 'B', at: '10:00', km: 2 },
      { title: 'E', at: '11:00', km: 5 },
      { title: 'C', at: '12:00', km: 3 },
    ]);
    const p = orderRoute(input);
    expect(p.outcome).toBe('better');
    expect(p.exact).toBe(true);
    expect(titles(p)).toEqual(['A', 'B', 'C', 'D', 'E']);
    // Before: 1 + 3 + 2 + 3 + 2 = 11 km straight, × 1.3; after: 5 km × 1.3.
    expect(p.before.km).toBeCloseTo(14.3, 1);
    expect(p.after.km).toBeCloseTo(6.5, 1);
    expect(p.after.minutes).toBe(13);
    expect(p.message).toMatch(/^7\.8 km shorter: 14\.3 km → 6\.5 km/);
    // An organization in miles reads its distances in miles.
    const inMiles = orderRoute({ ...input, world: { ...input.world, settings: { ...input.world.settings, distanceUnit: 'mi' } } });
    expect(inMiles.message).toMatch(/^4\.8 mi shorter: 8\.9 mi → 4\.0 mi/);
    // 1.3 km is a 2.6-minute drive: each next stop starts on the next 5-minute mark after it.
    expect(p.stops.map((s) => local(s.after.start))).toEqual(['08:00', '09:05', '10:10', '11:15', '12:20']);
    expect(p.stops.map((s) => s.before.order)).toEqual([1, 3, 5, 2, 4]);
    // A keeps its time: only the others are staged.
    expect(p.slots.map((s) => s.id).sort()).toEqual(input.bookings.slice(1).map((b) => b.id).sort());
    expect(findConflicts(input.world, applySlots(input.bookings, p.slots)).size).toBe(0);
  });

  it('says there is nothing to gain when the order is already the shortest, and stages nothing', () => {
    const p = orderRoute(day([
      { title: 'A', at: '08:00', km: 1 },
      { title: 'B', at: '10:00', km: 2 },
      { title: 'C', at: '13:00', km: 3 },
    ]));
    expect(p.outcome).toBe('nothing_to_gain');
    expect(p.message).toBe('The current order is already the shortest (3.9 km)');
    expect(p.slots).toEqual([]);
    expect(p.after).toEqual(p.before);
  });

  it('calls a gain under 0.1 km nothing to gain: not worth re-telling anyone a time', () => {
    // B 1.02 km out before A 1 km out: the swap saves 26 m.
    const p = orderRoute(day([
      { title: 'B', at: '08:00', km: 1.02 },
      { title: 'A', at: '10:00', km: 1 },
    ]));
    expect(p.outcome).toBe('nothing_to_gain');
    expect(p.slots).toEqual([]);
  });

  it('keeps arrival windows: a far stop whose customer wants it early stays early', () => {
    const input = day([
      { title: 'Far, early window', at: '08:00', km: 5, extra: { arrivalWindow: { start: new Date(localMs('08:00')).toISOString(), end: new Date(localMs('09:00')).toISOString() } } },
      { title: 'Near', at: '10:00', km: 1 },
      { title: 'Middle', at: '11:00', km: 3 },
      { title: 'Nearer', at: '12:00', km: 2 },
    ]);
    const p = orderRoute(input);
    // Without the window 1, 2, 3, 5 would be shortest; with it the far stop must come first.
    expect(titles(p)[0]).toBe('Far, early window');
    expect(titles(p)).toEqual(['Far, early window', 'Middle', 'Nearer', 'Near']);
    const far = p.stops[0]!;
    expect(toMs(far.after.start)).toBeGreaterThanOrEqual(localMs('08:00'));
    expect(toMs(far.after.start)).toBeLessThanOrEqual(localMs('09:00'));
    expect(findConflicts(input.world, applySlots(input.bookings, p.slots)).size).toBe(0);
  });

  it('leaves a job sent to the technician at its time and fits the others around it', () => {
    const input = day([
      { title: 'A', at: '08:00', km: 1 },
      { title: 'Sent', at: '09:30', km: 4, extra: { status: 'dispatched' } },
      { title: 'B', at: '10:45', km: 2 },
      { title: 'E', at: '12:00', km: 5 },
      { title: 'C', at: '13:30', km: 3 },
    ]);
    const sent = input.bookings[1]!;
    const p = orderRoute(input);
    expect(p.slots.some((s) => s.id === sent.id)).toBe(false);
    const plan = p.stops.find((s) => s.title === 'Sent')!;
    expect(plan.after.start).toBe(sent.slot!.start);
    expect(plan.fixedReason).toBe('Already sent to the technician');
    // A fits before the fixed 09:30 job with its drive (08:00–09:00, then 8 minutes); nothing else does.
    expect(titles(p)).toEqual(['A', 'Sent', 'E', 'C', 'B']);
    expect(p.after.km).toBeLessThan(p.before.km);
    expect(findConflicts(input.world, applySlots(input.bookings, p.slots)).size).toBe(0);
  });

  it('keeps working hours and time off: a stop that would run into time off waits until after it', () => {
    const provider = routeProvider();
    const hours = [{ start: '07:00', end: '17:00' }];
    const input = day(
      [
        { title: 'A', at: '07:00', km: 1, minutes: 90 },
        { title: 'C', at: '08:30', km: 3, minutes: 90 },
        { title: 'B', at: '13:00', km: 2, minutes: 90 },
        { title: 'D', at: '14:30', km: 4, minutes: 90 },
      ],
      {
        weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] },
        timeOff: [{ id: provider.id.replace(/1$/, '9'), start: new Date(localMs('11:00')).toISOString(), end: new Date(localMs('13:00')).toISOString(), reason: 'Dentist' }],
      },
    );
    const p = orderRoute(input);
    expect(p.outcome).toBe('better');
    expect(titles(p)).toEqual(['A', 'B', 'C', 'D']);
    // C would run 10:10–11:40 into the time off: it waits for 13:00.
    expect(p.stops.map((s) => `${local(s.after.start)}–${local(s.after.end)}`)).toEqual(['07:00–08:30', '08:35–10:05', '13:00–14:30', '14:35–16:05']);
    expect(findConflicts(input.world, applySlots(input.bookings, p.slots)).size).toBe(0);
  });

  it('proposes nothing when no order keeps the hours with the drive between stops', () => {
    const hours = [{ start: '08:00', end: '11:00' }];
    const p = orderRoute(day(
      [
        { title: 'A', at: '08:00', km: 1 },
        { title: 'C', at: '09:00', km: 3 },
        { title: 'B', at: '10:00', km: 2 },
      ],
      { weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] } },
    ));
    expect(p.outcome).toBe('no_valid_order');
    expect(p.slots).toEqual([]);
  });

  it('keeps a stop without coordinates at its place and says so', () => {
    const p = orderRoute(day([
      { title: 'A', at: '08:00', km: 1 },
      { title: 'D', at: '09:00', km: 4 },
      { title: 'B', at: '10:00', km: 2 },
      { title: 'C', at: '11:00', km: 3 },
      { title: 'Unknown', at: '12:00', km: null },
    ]));
    expect(p.outcome).toBe('better');
    expect(titles(p)).toEqual(['A', 'B', 'C', 'D', 'Unknown']);
    expect(p.notes).toEqual(['"Unknown" has no coordinates: it stays stop 5 and its legs are not in the distance']);
    expect(p.stops[4]!.hasCoordinates).toBe(false);
  });

  it('has nothing to reorder with fewer than two movable stops', () => {
    const p = orderRoute(day([
      { title: 'A', at: '08:00', km: 3 },
      { title: 'Sent', at: '10:00', km: 1, extra: { status: 'en_route' } },
    ]));
    expect(p.outcome).toBe('too_few_stops');
    expect(p.slots).toEqual([]);
  });

  it('leaves a crew’s job where the crew has it', () => {
    const bo = routeProvider({ id: '01900000-0000-7000-8000-000000000002', name: 'Bo Chen' });
    const input = day([
      { title: 'A', at: '08:00', km: 1 },
      { title: 'D', at: '09:00', km: 4 },
      { title: 'B', at: '10:00', km: 2 },
      { title: 'C', at: '12:00', km: 3 },
    ]);
    const crew = input.bookings[1]!;
    input.bookings = input.bookings.map((b) => (b === crew ? { ...crew, teamSize: 2, slot: { ...crew.slot!, assignees: [input.provider.id, bo.id] } } : b));
    input.world = routeWorld([input.provider, bo]);
    const p = orderRoute(input);
    expect(p.slots.some((s) => s.id === crew.id)).toBe(false);
    expect(p.stops.find((s) => s.title === 'D')!.fixedReason).toMatch(/crew/);
  });
});

describe('order a route, seeded properties', () => {
  const cases = [
    ...Array.from({ length: 40 }, (_, i) => ({ seed: 1000 + i, stops: 3 + (i % 8), windows: 0.4, fixed: 0.15 })),
    ...Array.from({ length: 10 }, (_, i) => ({ seed: 2000 + i, stops: 13 + (i % 8), windows: 0.3, fixed: 0.1 })),
  ];

  it('is never longer than the current order, keeps every job once, breaks no rule, and is deterministic', () => {
    for (const c of cases) {
      const input = randomRouteDay(c.seed, c);
      const p = orderRoute(input);
      const label = `seed ${c.seed}, ${c.stops} stops`;
      expect(p.after.km, label).toBeLessThanOrEqual(p.before.km);
      expect(p.exact, label).toBe(c.stops <= 12);
      expect(p.stops.map((s) => s.bookingId).sort(), label).toEqual(input.bookings.map((b) => b.id).sort());
      expect(new Set(p.slots.map((s) => s.id)).size, label).toBe(p.slots.length);
      if (p.outcome !== 'better') expect(p.slots, label).toEqual([]);
      const after = applySlots(input.bookings, p.slots);
      const added = [...keys(findConflicts(input.world, after))].filter((k) => !keys(findConflicts(input.world, input.bookings)).has(k));
      expect(added, label).toEqual([]);
      for (const b of input.bookings) {
        if (b.status === 'dispatched') expect(after.find((x) => x.id === b.id)!.slot, label).toEqual(b.slot);
      }
      expect(orderRoute(input), label).toEqual(p);
    }
  });

  it('the exact search finds what trying every order finds', () => {
    for (let i = 0; i < 20; i++) {
      const input = randomRouteDay(3000 + i, { stops: 4 + (i % 5), windows: 0.5, fixed: 0.15 });
      const exact = orderRoute(input, { search: 'exact' });
      const brute = orderRoute(input, { search: 'brute' });
      expect(exact.after.km, `seed ${3000 + i}`).toBeCloseTo(brute.after.km, 6);
      expect(exact.outcome).toBe(brute.outcome);
    }
  });
});
