import type { Booking, Provider, Service, Settings } from './model';
import { effectiveStatus } from './status';
import { countText, formatterFor } from './format';
import { addDays, HOUR_MS, localDateOf, localToMs, toMs, weekdayOf, type Weekday } from './time';

/**
 * The one conflict engine (docs/design.md §3). The board, the job panel and the route sheet all ask it, so a
 * dispatcher never sees a job red in one place and fine in another.
 */
export type ConflictKind =
  | 'double_booking'
  | 'outside_hours'
  | 'time_off'
  | 'inactive_provider'
  | 'unknown_provider'
  | 'missing_skill'
  | 'understaffed'
  | 'overstaffed'
  | 'arrival_window';

export interface Conflict {
  kind: ConflictKind;
  /** Double-bookings are red on the board; every other rule break is amber. */
  severity: 'red' | 'amber';
  bookingId: string;
  providerId: string | null;
  otherBookingId?: string;
  message: string;
}

export interface ConflictWorld {
  /** timeFormat words the messages (tooltips); without it they read 24 h. */
  settings: Pick<Settings, 'timeZone' | 'autoResize'> & Partial<Pick<Settings, 'timeFormat' | 'distanceUnit'>>;
  providers: ReadonlyMap<string, Provider>;
  services: ReadonlyMap<string, Service>;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * How long a booking occupies each assignee. With auto-resize the labor is shared: 4 labor hours for two
 * people occupy each for 2 hours from the start (an unassigned job is sized for its team).
 */
export function personSpan(booking: Pick<Booking, 'slot' | 'teamSize' | 'laborHours'>, autoResize: boolean): Span | null {
  if (!booking.slot) return null;
  const start = toMs(booking.slot.start);
  if (!autoResize) return { start, end: toMs(booking.slot.end) };
  const people = booking.slot.assignees.length || booking.teamSize;
  return { start, end: start + Math.round((booking.laborHours / Math.max(1, people)) * HOUR_MS) };
}

/**
 * What the engine reads of a booking: a whole `Booking` or the board's card of one (`CardBooking`), so the
 * board can judge a drop the moment it lands with this same engine (renderer/src/features/board/drop-forecast.ts).
 */
export type JudgedBooking = Pick<Booking, 'id' | 'title' | 'slot' | 'status' | 'teamSize' | 'laborHours' | 'serviceId' | 'arrivalWindow'>;

/** Whether a booking takes part in conflicts at all: cancelled jobs free the time they held. */
const occupiesTime = (b: JudgedBooking) => b.slot !== null && effectiveStatus(b.status, b.slot) !== 'cancelled';

export function findConflicts(world: ConflictWorld, bookings: readonly JudgedBooking[]): Map<string, Conflict[]> {
  const result = new Map<string, Conflict[]>();
  const add = (c: Conflict) => {
    const list = result.get(c.bookingId);
    if (list) list.push(c);
    else result.set(c.bookingId, [c]);
  };
  const { timeZone, autoResize } = world.settings;
  const fmt = formatterFor({ timeZone, timeFormat: world.settings.timeFormat ?? '24h' });
  const hours = new WorkingHoursCache(timeZone);
  const perProvider = new Map<string, Array<{ booking: JudgedBooking; span: Span }>>();

  for (const booking of bookings) {
    if (!occupiesTime(booking)) continue;
    const slot = booking.slot!;
    const span = personSpan(booking, autoResize)!;
    const service = booking.serviceId ? world.services.get(booking.serviceId) : undefined;

    const staffed = slot.assignees.length;
    if (staffed > 0 && staffed < booking.teamSize) {
      add({ kind: 'understaffed', severity: 'amber', bookingId: booking.id, providerId: null,
        message: `Understaffed: needs ${booking.teamSize} people, ${staffed} assigned` });
    } else if (staffed > booking.teamSize) {
      add({ kind: 'overstaffed', severity: 'amber', bookingId: booking.id, providerId: null,
        message: `Overstaffed: needs ${countText(booking.teamSize, 'person', 'people')}, ${staffed} assigned` });
    }
    if (booking.arrivalWindow) {
      const from = toMs(booking.arrivalWindow.start);
      const to = toMs(booking.arrivalWindow.end);
      if (span.start < from || span.start > to) {
        add({ kind: 'arrival_window', severity: 'amber', bookingId: booking.id, providerId: null,
          message: `Starts ${fmt.time(span.start)}, outside the customer's arrival window ${fmt.timeRange(from, to)}` });
      }
    }

    for (const providerId of slot.assignees) {
      const provider = world.providers.get(providerId);
      if (!provider) {
        add({ kind: 'unknown_provider', severity: 'amber', bookingId: booking.id, providerId,
          message: 'Assigned to a service provider who no longer exists' });
        continue;
      }
      const list = perProvider.get(providerId);
      if (list) list.push({ booking, span });
      else perProvider.set(providerId, [{ booking, span }]);

      if (!provider.active) {
        add({ kind: 'inactive_provider', severity: 'amber', bookingId: booking.id, providerId,
          message: `${provider.name} is inactive` });
      }
      if (!hours.covers(provider, span)) {
        add({ kind: 'outside_hours', severity: 'amber', bookingId: booking.id, providerId,
          message: `${fmt.timeRange(span.start, span.end)} is outside ${provider.name}'s working hours` });
      }
      for (const off of provider.timeOff) {
        if (toMs(off.start) < span.end && toMs(off.end) > span.start) {
          add({ kind: 'time_off', severity: 'amber', bookingId: booking.id, providerId,
            message: `${provider.name} is off${off.reason ? ` (${off.reason})` : ''} ${fmt.span(toMs(off.start), toMs(off.end))}` });
          break;
        }
      }
      const missing = (service?.requiredSkills ?? []).filter((s) => !provider.skills.includes(s));
      if (missing.length > 0) {
        add({ kind: 'missing_skill', severity: 'amber', bookingId: booking.id, providerId,
          message: `${provider.name} lacks ${missing.length === 1 ? 'the skill' : 'skills'} ${fmt.list(missing)}` });
      }
    }
  }

  for (const [providerId, items] of perProvider) {
    const name = world.providers.get(providerId)!.name;
    items.sort((a, b) => a.span.start - b.span.start);
    // Sweep: `open` holds earlier spans still running when the next one starts.
    let open: typeof items = [];
    for (const item of items) {
      open = open.filter((o) => o.span.end > item.span.start);
      for (const other of open) {
        const pair: Array<[typeof item, typeof item]> = [[item, other], [other, item]];
        for (const [a, b] of pair) {
          add({ kind: 'double_booking', severity: 'red', bookingId: a.booking.id, providerId, otherBookingId: b.booking.id,
            message: `${name} is double-booked with "${b.booking.title}" ${fmt.timeRange(b.span.start, b.span.end)}` });
        }
      }
      open.push(item);
    }
  }
  return result;
}

/**
 * The conflicts of `subset` only, judged exactly as `findConflicts` judges them over any larger set of
 * bookings, given every booking of that larger set that shares an assignee with a booking of `subset`
 * (`neighbours`; the rest of the set cannot change a verdict on `subset`, and extra neighbours are
 * harmless). It is `findConflicts` itself run over the subset and those neighbours, keeping only the
 * subset's verdicts: same rules, no second engine. For re-judging the rows a board edit touched without
 * re-judging the whole board.
 */
export function findConflictsOf(
  world: ConflictWorld,
  subset: readonly JudgedBooking[],
  neighbours: readonly JudgedBooking[],
): Map<string, Conflict[]> {
  const ids = new Set(subset.map((b) => b.id));
  const rows = new Set(subset.flatMap((b) => b.slot?.assignees ?? []));
  const judged = [...subset];
  for (const b of neighbours) {
    if (ids.has(b.id)) continue;
    if (b.slot?.assignees.some((a) => rows.has(a))) judged.push(b);
  }
  const all = findConflicts(world, judged);
  for (const id of all.keys()) if (!ids.has(id)) all.delete(id);
  return all;
}

/**
 * Working intervals per provider and local day, resolved to instants once (DST-correct). Zone lookups are
 * memoised per 15-minute bucket (every real UTC offset and transition is a multiple of 15 minutes), which
 * took a week of 200 providers × 5,000 bookings from ~230 ms to a few tens of ms.
 */
class WorkingHoursCache {
  private readonly intervalsByDay = new Map<string, Span[]>();
  private readonly dateByBucket = new Map<number, string>();
  private readonly nextDate = new Map<string, string>();
  private static readonly BUCKET_MS = 15 * 60_000;
  constructor(private readonly zone: string) {}

  private dateOf(ms: number): string {
    const bucket = Math.floor(ms / WorkingHoursCache.BUCKET_MS);
    let date = this.dateByBucket.get(bucket);
    if (date === undefined) {
      const key = `${this.zone}|${bucket}`;
      date = WorkingHoursCache.dates.get(key);
      if (date === undefined) {
        if (WorkingHoursCache.dates.size > 100_000) WorkingHoursCache.dates.clear();
        date = localDateOf(bucket * WorkingHoursCache.BUCKET_MS, this.zone);
        WorkingHoursCache.dates.set(key, date);
      }
      this.dateByBucket.set(bucket, date);
    }
    return date;
  }

  private datesTouched(span: Span): string[] {
    const last = this.dateOf(Math.max(span.start, span.end - 1));
    const dates = [this.dateOf(span.start)];
    while (dates.at(-1)! < last) {
      const current = dates.at(-1)!;
      let next = this.nextDate.get(current);
      if (next === undefined) {
        next = addDays(current, 1);
        this.nextDate.set(current, next);
      }
      dates.push(next);
    }
    return dates;
  }

  intervals(provider: Provider, date: string): Span[] {
    const key = `${provider.id}|${date}`;
    let spans = this.intervalsByDay.get(key);
    if (!spans) {
      spans = (provider.weeklyHours[WorkingHoursCache.weekday(date)] ?? []).map((i) => ({
        start: WorkingHoursCache.instant(date, i.start, this.zone),
        end: WorkingHoursCache.instant(date, i.end, this.zone),
      }));
      this.intervalsByDay.set(key, spans);
    }
    return spans;
  }

  /**
   * Local date + time in a zone → instant, shared by every judgment (a pure function of its arguments):
   * providers mostly share their hours, so a week of 200 rows needs a handful of zone conversions
   * instead of thousands (~30 ms of a 200 × 10k week).
   */
  private static readonly instants = new Map<string, number>();
  private static readonly dates = new Map<string, string>();
  private static readonly weekdays = new Map<string, Weekday>();
  private static instant(date: string, time: string, zone: string): number {
    const key = `${zone}|${date}|${time}`;
    let ms = WorkingHoursCache.instants.get(key);
    if (ms === undefined) {
      if (WorkingHoursCache.instants.size > 100_000) WorkingHoursCache.instants.clear();
      ms = localToMs(date, time, zone);
      WorkingHoursCache.instants.set(key, ms);
    }
    return ms;
  }
  private static weekday(date: string): Weekday {
    let day = WorkingHoursCache.weekdays.get(date);
    if (day === undefined) {
      if (WorkingHoursCache.weekdays.size > 100_000) WorkingHoursCache.weekdays.clear();
      day = weekdayOf(date);
      WorkingHoursCache.weekdays.set(date, day);
    }
    return day;
  }

  /** True when the union of working intervals covers the whole span. */
  covers(provider: Provider, span: Span): boolean {
    const spans = this.datesTouched(span)
      .flatMap((d) => this.intervals(provider, d))
      .sort((a, b) => a.start - b.start);
    let reached = span.start;
    for (const s of spans) {
      if (s.start > reached) break;
      reached = Math.max(reached, s.end);
      if (reached >= span.end) return true;
    }
    return reached >= span.end;
  }
}

/**
 * A provider's working intervals on a local date, as instants (DST-correct): the hours the engine judges
 * `outside_hours` against, for capacity and the schedule assistant.
 */
export function workingSpans(provider: Provider, date: string, zone: string): Span[] {
  return new WorkingHoursCache(zone).intervals(provider, date);
}

/** Worst severity per booking, for colouring a card. */
export function severityOf(conflicts: readonly Conflict[] | undefined): 'red' | 'amber' | null {
  if (!conflicts || conflicts.length === 0) return null;
  return conflicts.some((c) => c.severity === 'red') ? 'red' : 'amber';
}
