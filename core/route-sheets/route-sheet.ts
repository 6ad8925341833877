import { findConflicts, personSpan, type Conflict } from '../conflicts';
import type { Booking, Coordinates, Customer, Priority, Provider, Service, Settings, Status } from '../model';
import { effectiveStatus } from '../status';
import { dateLabel, formatterFor, type TimeFormat } from '../format';
import { DAY_MS, dayBoundsMs, localDateOf, MINUTE_MS, toMs, type LocalDate } from '../time';
import type { DistanceUnit } from '../units';
import { drivingMinutes, jobCoordinates, roadKm, travelModelOf } from '../travel';
import { distanceKm, sketchOf, type RouteSketch } from './geometry';

export { distanceKm, type RouteSketch };

/**
 * Daily route sheets (docs/design.md §9): per provider, the day's stops in time order with everything a technician
 * needs at the door, travel estimates between stops, a sketch of the route and the conflicts the one engine
 * (`core/conflicts.ts`) finds. Plain data in, plain data out: the renderer prints it, the backend serves it.
 */

export interface RouteSheetsInput {
  settings: Pick<Settings, 'name' | 'timeZone' | 'timeFormat' | 'autoResize' | 'travelSpeedKmh' | 'travelDistanceFactor' | 'distanceUnit'>;
  /** The roster; sheets follow its row order (sort order, then name). */
  providers: readonly Provider[];
  customers: readonly Customer[];
  services: readonly Service[];
  /**
   * Every saved booking overlapping the day (more do no harm). Conflicts are judged over this set, which
   * holds every booking that can clash with one of the day's: a clash needs an overlap.
   */
  bookings: readonly Booking[];
}

export interface RouteSheetsRequest {
  date: LocalDate;
  /** Only these providers (still in roster order); by default every active provider and anyone with jobs. */
  providerIds?: readonly string[];
  /** Give providers without jobs a sheet that says so; by default they are listed in `skipped` instead. */
  includeEmpty?: boolean;
}

export interface RouteSheets {
  company: string;
  date: LocalDate;
  /** "Monday, November 23, 2026" */
  dateLabel: string;
  timeZone: string;
  /** The organization's clock: what the labels were written in, and what a message built from them uses. */
  timeFormat: TimeFormat;
  /** On a DST change day (23 or 25 hours) times carry the zone abbreviation: 01:30 CDT and 01:30 CST differ. */
  zoneInTimes: boolean;
  /** Numbers stay in km and km/h; `unit` is how people read them (`core/units.ts`). */
  travel: { speedKmh: number; distanceFactor: number; unit: DistanceUnit };
  sheets: RouteSheet[];
  /** Providers considered who have no jobs that day and got no sheet. */
  skipped: Array<{ id: string; name: string }>;
}

export interface RouteSheet {
  provider: { id: string; name: string; phone: string; address: string; color: string; active: boolean; hasHomeBase: boolean };
  stops: RouteStop[];
  totals: RouteTotals;
  /** Null when no stop (and no home base) has coordinates. */
  sketch: RouteSketch | null;
}

export interface RouteTotals {
  stops: number;
  /** The provider's booked time over all stops. */
  workMinutes: number;
  /** Sums over the legs that could be estimated. */
  travelKm: number;
  travelMinutes: number;
  estimatedLegs: number;
  /** Legs with a stop (or home base) lacking coordinates: not in the sums. */
  unknownLegs: number;
  conflicts: number;
}

export interface RouteStop {
  number: number;
  bookingId: string;
  title: string;
  status: Status;
  priority: Priority;
  start: string;
  end: string;
  /** "09:00–10:30" in the organization's zone (with the date when it is not the sheet's day). */
  timeLabel: string;
  /** How long this provider is booked on the job (shared labor with auto-resize). */
  durationMinutes: number;
  arrivalWindow: { start: string; end: string; label: string } | null;
  customer: { name: string; phone: string } | null;
  address: string;
  coordinates: Coordinates | null;
  service: string | null;
  /** The other people on this job. */
  teamMates: string[];
  /** The customer's standing notes: gate codes, dogs, parking. */
  accessNotes: string;
  notes: string;
  /** This job's conflicts that concern this provider or the whole job. */
  conflicts: Array<Pick<Conflict, 'kind' | 'severity' | 'message'>>;
  /** How the provider gets here: from the previous stop, or from home base for the first stop. */
  travelFrom: RouteLeg | null;
}

export interface RouteLeg {
  from: 'home' | number;
  /** Null when either end has no coordinates. Estimates: straight line × distance factor, at average speed. */
  km: number | null;
  minutes: number | null;
}

/** "Monday, November 23, 2026", by Intl in the console's language (core/format.ts). */
export const longDateLabel = (date: LocalDate): string => dateLabel(date, 'long');

const byRosterOrder = (a: Provider, b: Provider) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

const round1 = (n: number) => Math.round(n * 10) / 10;

export function buildRouteSheets(input: RouteSheetsInput, request: RouteSheetsRequest): RouteSheets {
  const { settings } = input;
  const zone = settings.timeZone;
  const { date } = request;
  const [dayStart, dayEnd] = dayBoundsMs(date, zone);
  const zoneInTimes = dayEnd - dayStart !== DAY_MS;
  const travel = { speedKmh: settings.travelSpeedKmh, distanceFactor: settings.travelDistanceFactor, unit: settings.distanceUnit };
  const model = travelModelOf(settings);

  const fmt = formatterFor(settings);
  const at = (ms: number) => {
    const day = localDateOf(ms, zone);
    const time = `${fmt.time(ms)}${zoneInTimes ? ` ${fmt.zoneAbbreviation(ms)}` : ''}`;
    return day === date ? time : `${fmt.shortDay(ms)} ${time}`;
  };
  const range = (from: number, to: number) => `${at(from)}–${at(to)}`;

  const providersById = new Map(input.providers.map((p) => [p.id, p]));
  const customers = new Map(input.customers.map((c) => [c.id, c]));
  const services = new Map(input.services.map((s) => [s.id, s]));

  // The day's jobs: dated, not cancelled (a cancelled job frees the time and is not driven to).
  const day = input.bookings.filter((b) => {
    if (!b.slot || effectiveStatus(b.status, b.slot) === 'cancelled') return false;
    return toMs(b.slot.start) < dayEnd && toMs(b.slot.end) > dayStart;
  });
  const conflicts = findConflicts(
    { settings, providers: providersById, services },
    input.bookings.filter((b) => b.slot !== null),
  );

  const jobsOf = new Map<string, Booking[]>();
  for (const b of day) {
    for (const p of b.slot!.assignees) {
      const list = jobsOf.get(p);
      if (list) list.push(b);
      else jobsOf.set(p, [b]);
    }
  }

  const chosen = request.providerIds ? new Set(request.providerIds) : null;
  const considered = [...input.providers]
    .sort(byRosterOrder)
    .filter((p) => (chosen ? chosen.has(p.id) : p.active || jobsOf.has(p.id)));

  const sheets: RouteSheet[] = [];
  const skipped: RouteSheets['skipped'] = [];
  for (const provider of considered) {
    const jobs = jobsOf.get(provider.id) ?? [];
    if (jobs.length === 0 && !request.includeEmpty) {
      skipped.push({ id: provider.id, name: provider.name });
      continue;
    }
    sheets.push(sheetFor(provider, jobs));
  }
  return { company: settings.name, date, dateLabel: fmt.longDay(dayStart + (dayEnd - dayStart) / 2), timeZone: zone, timeFormat: settings.timeFormat, zoneInTimes, travel, sheets, skipped };

  function sheetFor(provider: Provider, jobs: Booking[]): RouteSheet {
    const ordered = [...jobs].sort(
      (a, b) =>
        toMs(a.slot!.start) - toMs(b.slot!.start) ||
        toMs(a.slot!.end) - toMs(b.slot!.end) ||
        a.title.localeCompare(b.title) ||
        a.id.localeCompare(b.id),
    );
    const home = provider.coordinates;
    const stops: RouteStop[] = [];
    // Unrounded, so the day's total is not the sum of the legs' rounding errors.
    let rawKm = 0;
    let previous: { from: 'home' | number; at: Coordinates | null } | null = home ? { from: 'home', at: home } : null;
    for (const booking of ordered) {
      const coordinates = coordinatesOf(booking);
      let travelFrom: RouteLeg | null = null;
      if (previous) {
        const km = previous.at && coordinates ? roadKm(previous.at, coordinates, model) : null;
        rawKm += km ?? 0;
        travelFrom = { from: previous.from, km: km === null ? null : round1(km), minutes: km === null ? null : Math.round(minutesFor(km)) };
      }
      const stop = stopFor(provider, booking, stops.length + 1, coordinates, travelFrom);
      stops.push(stop);
      previous = { from: stop.number, at: coordinates };
    }
    const legs = stops.map((s) => s.travelFrom).filter((l): l is RouteLeg => l !== null);
    const estimated = legs.filter((l) => l.km !== null);
    return {
      provider: {
        id: provider.id,
        name: provider.name,
        phone: provider.phone,
        address: provider.address,
        color: provider.color,
        active: provider.active,
        hasHomeBase: home !== null,
      },
      stops,
      totals: {
        stops: stops.length,
        workMinutes: stops.reduce((sum, s) => sum + s.durationMinutes, 0),
        travelKm: round1(rawKm),
        travelMinutes: Math.round(minutesFor(rawKm)),
        estimatedLegs: estimated.length,
        unknownLegs: legs.length - estimated.length,
        conflicts: stops.reduce((sum, s) => sum + s.conflicts.length, 0),
      },
      sketch: sketchOf(home, stops.map((s) => ({ number: s.number, at: s.coordinates })), travel.unit),
    };
  }

  function minutesFor(km: number): number {
    return drivingMinutes(km, model);
  }

  function coordinatesOf(booking: Booking): Coordinates | null {
    return jobCoordinates(booking, booking.customerId ? customers.get(booking.customerId) : undefined);
  }

  function stopFor(provider: Provider, booking: Booking, number: number, coordinates: Coordinates | null, travelFrom: RouteLeg | null): RouteStop {
    const slot = booking.slot!;
    const span = personSpan(booking, settings.autoResize)!;
    const customer = booking.customerId ? customers.get(booking.customerId) : undefined;
    const seen = new Set<string>();
    const own = (conflicts.get(booking.id) ?? []).filter((c) => {
      if (c.providerId !== null && c.providerId !== provider.id) return false;
      if (seen.has(c.message)) return false;
      seen.add(c.message);
      return true;
    });
    return {
      number,
      bookingId: booking.id,
      title: booking.title,
      status: effectiveStatus(booking.status, slot),
      priority: booking.priority,
      start: slot.start,
      end: slot.end,
      timeLabel: range(span.start, span.end),
      durationMinutes: Math.round((span.end - span.start) / MINUTE_MS),
      arrivalWindow: booking.arrivalWindow
        ? {
            ...booking.arrivalWindow,
            label: range(toMs(booking.arrivalWindow.start), toMs(booking.arrivalWindow.end)),
          }
        : null,
      customer: customer ? { name: customer.name, phone: customer.phone } : null,
      address: booking.location.address || customer?.address || '',
      coordinates,
      service: booking.serviceId ? (services.get(booking.serviceId)?.name ?? null) : null,
      teamMates: slot.assignees.filter((id) => id !== provider.id).map((id) => providersById.get(id)?.name ?? 'Unknown provider'),
      accessNotes: customer?.notes ?? '',
      notes: booking.notes,
      conflicts: own.map(({ kind, severity, message }) => ({ kind, severity, message })),
      travelFrom,
    };
  }
}
