import type { ConflictWorld } from '../conflicts';
import type { Booking, Coordinates, Provider } from '../model';
import { fromMs, MINUTE_MS, toMs } from '../time';
import { drivingMinutes, roadKm, type TravelModel } from '../travel';
import type { RouteInput } from './order-route';

/**
 * Seeded random days for one provider, for the route tests and `bench/order-route-bench.ts`: a home base
 * near the Loop and stops within ~5 km, placed in a random order with the drive and some slack between
 * them, so the day as given keeps every rule. Some stops get an arrival window around their time, some
 * were sent to the technician (fixed). Tuesday 2026-11-24, America/Chicago (UTC-6), hours 06:00–22:00, the
 * day starting at 07:00–07:45.
 */
export const ROUTE_DAY = '2026-11-24';
export const ROUTE_ZONE = 'America/Chicago';
const HOME: Coordinates = { lat: 41.88, lng: -87.63 };
const TRAVEL: TravelModel = { speedKmh: 30, distanceFactor: 1.3 };
/** 07:00 local on ROUTE_DAY. */
const DAY_OPEN = Date.parse('2026-11-24T13:00:00Z');

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const id = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const hours = [{ start: '06:00', end: '22:00' }];

export function routeProvider(extra: Partial<Provider> = {}): Provider {
  return {
    id: id(1),
    name: 'Ana Silva',
    email: '',
    phone: '',
    address: '',
    coordinates: HOME,
    color: '#3366cc',
    chatHandle: '',
    skills: [],
    channels: { email: false, sms: false, chat: false },
    active: true,
    weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] },
    sortOrder: 0,
    timeOff: [],
    ...extra,
  };
}

export function routeBooking(n: number, title: string, start: number, minutes: number, providerId: string, extra: Partial<Booking> = {}): Booking {
  return {
    id: id(100 + n),
    title,
    customerId: null,
    serviceId: null,
    priority: 'normal',
    teamSize: 1,
    laborHours: minutes / 60,
    location: { address: '', coordinates: null },
    arrivalWindow: null,
    notes: '',
    slot: { start: fromMs(start), end: fromMs(start + minutes * MINUTE_MS), assignees: [providerId] },
    status: 'scheduled',
    statusChanged: null,
    statusNote: '',
    dispatched: null,
    created: { at: '2026-11-01T00:00:00Z', by: { id: '', name: '' } },
    slotMove: null,
    ...extra,
  };
}

export interface RandomDayOptions {
  stops: number;
  /** Share of stops with an arrival window (0–1). */
  windows?: number;
  /** Share of stops sent to the technician (fixed). */
  fixed?: number;
}

export function randomRouteDay(seed: number, options: RandomDayOptions): RouteInput {
  const random = seededRandom(seed);
  const provider = routeProvider();
  const bookings: Booking[] = [];
  let clock = DAY_OPEN + Math.floor(random() * 4) * 15 * MINUTE_MS;
  let at = HOME;
  for (let i = 0; i < options.stops; i++) {
    const place = { lat: HOME.lat + (random() - 0.5) * 0.09, lng: HOME.lng + (random() - 0.5) * 0.12 };
    const minutes = 15 + Math.floor(random() * 3) * 15;
    // The drive from the previous stop, then 0–10 minutes' slack, on a 5-minute mark.
    if (i > 0) clock += Math.ceil((drivingMinutes(roadKm(at, place, TRAVEL), TRAVEL) + random() * 10) / 5) * 5 * MINUTE_MS;
    const extra: Partial<Booking> = { location: { address: `Stop ${i + 1}`, coordinates: place } };
    if (random() < (options.windows ?? 0)) {
      const before = (1 + Math.floor(random() * 8)) * 15 * MINUTE_MS;
      const after = (1 + Math.floor(random() * 8)) * 15 * MINUTE_MS;
      extra.arrivalWindow = { start: fromMs(clock - before), end: fromMs(clock + after) };
    }
    if (random() < (options.fixed ?? 0)) extra.status = 'dispatched';
    bookings.push(routeBooking(i, `Job ${i + 1}`, clock, minutes, provider.id, extra));
    clock += minutes * MINUTE_MS;
    at = place;
  }
  return { world: routeWorld([provider]), provider, day: ROUTE_DAY, bookings, customers: new Map(), travel: TRAVEL };
}

export function routeWorld(providers: Provider[]): ConflictWorld {
  return { settings: { timeZone: ROUTE_ZONE, autoResize: false }, providers: new Map(providers.map((p) => [p.id, p])), services: new Map() };
}

/** The bookings with the proposal's slots applied. */
export function applySlots(bookings: readonly Booking[], slots: ReadonlyArray<{ id: string; slot: Booking['slot'] }>): Booking[] {
  const next = new Map(slots.map((s) => [s.id, s.slot]));
  return bookings.map((b) => (next.has(b.id) ? { ...b, slot: next.get(b.id)! } : b));
}

/** A wall-clock time on ROUTE_DAY (UTC-6), worked out by hand rather than by core's zone code. */
export const localMs = (hhmm: string) => toMs('2026-11-24T06:00:00Z') + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MINUTE_MS;
