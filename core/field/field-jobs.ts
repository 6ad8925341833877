import { isAvailable } from '../commands/schedule-commands';
import { availableWindowMs } from './claim-window';
import { claimRefusals, providerLoad } from './claim-rules';
import type { Booking, Customer, Priority, Provider, Service, Settings, Status } from '../model';
import { buildRouteSheets, type RouteStop } from '../route-sheets/route-sheet';
import { effectiveStatus, isClosed, TRANSITIONS } from '../status';
import { formatterFor } from '../format';
import { dayBoundsMs, localDateOf, MINUTE_MS, toMs, type LocalDate } from '../time';

/**
 * What a technician sees through the field API (docs/design.md §7): their own jobs, shaped for the field. The
 * shape is an allow-list: the door (address, window, customer name and phone, access notes) and the job
 * (title, service, notes, team mates' names, status and what they may do next), never the booking's
 * history, who dispatched or created it, other customers or the conflict engine's findings about other
 * people's work. The day's stops come from the route-sheet model (docs/design.md §9), so the page and the
 * printed sheet agree on order, times and addresses.
 */

/** What a technician can do to one of their jobs: the field part of the state machine, plus a late report. */
export const FIELD_ACTIONS = ['en_route', 'in_progress', 'completed', 'running_late'] as const;
export type FieldAction = (typeof FIELD_ACTIONS)[number];
export const FIELD_STATUSES = ['en_route', 'in_progress', 'completed'] as const satisfies readonly FieldAction[];

/** Fields shared with the route sheet's stop, so the page and the printed sheet agree. */
type StopFields =
  | 'title'
  | 'status'
  | 'priority'
  | 'start'
  | 'end'
  | 'timeLabel'
  | 'durationMinutes'
  | 'arrivalWindow'
  | 'customer'
  | 'address'
  | 'coordinates'
  | 'service'
  | 'teamMates'
  | 'accessNotes'
  | 'notes';

export interface FieldJob extends Pick<RouteStop, StopFields> {
  id: string;
  /** When the status last changed (not who changed it). */
  statusChangedAt: string | null;
  /** The last note from the field: a late report or a check-out note. */
  statusNote: string;
  /** The local date (organization's zone) the job starts on. */
  date: LocalDate;
  /** What the technician may do now, in the order a day goes. */
  actions: FieldAction[];
}

/** A job nobody has, offered for self-dispatch: where and when, not who the customer is. */
export interface AvailableJob {
  id: string;
  title: string;
  priority: Priority;
  service: string | null;
  date: LocalDate;
  start: string;
  end: string;
  timeLabel: string;
  durationMinutes: number;
  arrivalWindow: { start: string; end: string; label: string } | null;
  address: string;
  teamSize: number;
  /**
   * Why the asking technician cannot claim it (the conflict engine's sentences: skills, hours, time off,
   * double-booking, team size); empty when they can. Listed, not left out: they see the work exists and
   * why it is not theirs to take, instead of a claim that fails or a job that silently is not there.
   */
  cannotClaim: string[];
}

export interface FieldDay {
  date: LocalDate;
  /** "Tuesday, November 24, 2026" */
  dateLabel: string;
  timeZone: string;
  jobs: FieldJob[];
}

/** The organization's data a field answer is made from (read from the roster and schedule documents). */
export interface FieldWorld {
  settings: Settings;
  providers: readonly Provider[];
  customers: readonly Customer[];
  services: readonly Service[];
  bookings: readonly Booking[];
}

export const isAssignedTo = (booking: Booking, providerId: string): boolean =>
  booking.slot?.assignees.includes(providerId) ?? false;

/** The field actions the state machine (core/status.ts) allows from `status`. */
export function fieldActions(status: Status): FieldAction[] {
  const moves: FieldAction[] = FIELD_STATUSES.filter((to) => TRANSITIONS[status].includes(to));
  // A late report is a note, not a transition: the command takes it for any open job.
  if (!isClosed(status)) moves.push('running_late');
  return moves;
}

/** One provider's jobs on a local date, in route order. Cancelled jobs are not driven to and are left out. */
export function fieldDay(world: FieldWorld, providerId: string, date: LocalDate): FieldDay {
  const zone = world.settings.timeZone;
  const [dayStart, dayEnd] = dayBoundsMs(date, zone);
  const mine = world.bookings.filter(
    (b) => isAssignedTo(b, providerId) && toMs(b.slot!.start) < dayEnd && toMs(b.slot!.end) > dayStart,
  );
  return { date, dateLabel: formatterFor(world.settings).longDay((dayStart + dayEnd) / 2), timeZone: zone, jobs: fieldJobsOn(world, providerId, date, mine) };
}

export type FieldJobLookup = { found: 'job'; job: FieldJob } | { found: 'cancelled' } | { found: 'none' };

/**
 * One job, if it is this provider's. Another provider's job and one that does not exist look the same
 * (`none`), so a technician cannot probe for other people's work.
 */
export function fieldJob(world: FieldWorld, providerId: string, bookingId: string): FieldJobLookup {
  const booking = world.bookings.find((b) => b.id === bookingId);
  if (!booking || !isAssignedTo(booking, providerId)) return { found: 'none' };
  if (effectiveStatus(booking.status, booking.slot) === 'cancelled') return { found: 'cancelled' };
  const date = localDateOf(toMs(booking.slot!.start), world.settings.timeZone);
  const [job] = fieldJobsOn(world, providerId, date, [booking]);
  return job ? { found: 'job', job } : { found: 'none' };
}

function fieldJobsOn(world: FieldWorld, providerId: string, date: LocalDate, bookings: readonly Booking[]): FieldJob[] {
  const provider = world.providers.find((p) => p.id === providerId);
  if (!provider || bookings.length === 0) return [];
  const sheets = buildRouteSheets(
    { settings: world.settings, providers: world.providers, customers: world.customers, services: world.services, bookings },
    { date, providerIds: [providerId], includeEmpty: true },
  );
  const byId = new Map(bookings.map((b) => [b.id, b]));
  const zone = world.settings.timeZone;
  return (sheets.sheets[0]?.stops ?? []).map((stop): FieldJob => {
    const booking = byId.get(stop.bookingId)!;
    return {
      id: stop.bookingId,
      title: stop.title,
      status: stop.status,
      statusChangedAt: booking.statusChanged?.at ?? null,
      statusNote: booking.statusNote,
      priority: stop.priority,
      date: localDateOf(toMs(stop.start), zone),
      start: stop.start,
      end: stop.end,
      timeLabel: stop.timeLabel,
      durationMinutes: stop.durationMinutes,
      arrivalWindow: stop.arrivalWindow,
      customer: stop.customer,
      address: stop.address,
      coordinates: stop.coordinates,
      service: stop.service,
      teamMates: stop.teamMates,
      accessNotes: stop.accessNotes,
      notes: stop.notes,
      actions: fieldActions(stop.status),
    };
  });
}

/** A job a technician may claim: the `claimJob` command's own rule. */
export const isClaimable = (booking: Booking): boolean => isAvailable(booking, effectiveStatus(booking.status, booking.slot));

/**
 * Jobs open for self-dispatch starting on `fromDate` or within `days` after it, soonest first; with
 * `providerId`, each says why that technician cannot claim it (the `claimJob` command's hard rules).
 */
export function availableJobs(world: FieldWorld, fromDate: LocalDate, days: number, limit = 200, providerId?: string): AvailableJob[] {
  const zone = world.settings.timeZone;
  const [from, to] = availableWindowMs(fromDate, zone, days);
  const fmt = formatterFor(world.settings);
  const customers = new Map(world.customers.map((c) => [c.id, c]));
  const services = new Map(world.services.map((s) => [s.id, s]));
  const conflictWorld = {
    settings: world.settings,
    providers: new Map(world.providers.map((p) => [p.id, p])),
    services,
  };
  // Indexed once per answer: each offer is then judged against the few jobs of this provider it overlaps.
  const load = providerId ? providerLoad(conflictWorld, providerId, world.bookings) : null;
  return world.bookings
    .filter((b) => isClaimable(b) && toMs(b.slot!.start) >= from && toMs(b.slot!.start) < to)
    .sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((b): AvailableJob => {
      const start = toMs(b.slot!.start);
      const end = toMs(b.slot!.end);
      const customer = b.customerId ? customers.get(b.customerId) : undefined;
      return {
        id: b.id,
        title: b.title,
        priority: b.priority,
        service: b.serviceId ? (services.get(b.serviceId)?.name ?? null) : null,
        date: localDateOf(start, zone),
        start: b.slot!.start,
        end: b.slot!.end,
        timeLabel: fmt.timeRange(start, end),
        durationMinutes: Math.round((end - start) / MINUTE_MS),
        arrivalWindow: b.arrivalWindow
          ? { ...b.arrivalWindow, label: fmt.timeRange(toMs(b.arrivalWindow.start), toMs(b.arrivalWindow.end)) }
          : null,
        address: b.location.address || customer?.address || '',
        teamSize: b.teamSize,
        cannotClaim: load ? claimRefusals(conflictWorld, load, b) : [],
      };
    });
}
