import { personSpan, workingSpans, type Conflict, type ConflictWorld, type Span } from '../conflicts';
import type { Booking, Provider } from '../model';
import { effectiveStatus } from '../status';
import { dayBoundsMs, MINUTE_MS, toMs, type LocalDate } from '../time';

/**
 * A provider's load on one local day (docs/design.md §3): available time (working hours minus time off)
 * against booked time (each job's span for this person, labor shared under auto-resize, clipped to the day).
 * The row label's bar, the week overview's cells and the assistant's balancing all read this one figure.
 */
export interface DayLoad {
  providerId: string;
  date: LocalDate;
  availableMinutes: number;
  bookedMinutes: number;
  /** booked / available; null when the provider has no working time that day. */
  utilization: number | null;
  jobs: number;
  /** Jobs of the day the engine reports a rule break on for this provider (or for the whole job). */
  conflicts: number;
  band: LoadBand;
}

/**
 * `over`: more booked than available (or booked on a day off); `idle`: a working day under a quarter
 * booked; `full`: 85% or more; `off`: no hours and nothing booked.
 */
export type LoadBand = 'off' | 'idle' | 'normal' | 'full' | 'over';
export const IDLE_BELOW = 0.25;
export const FULL_FROM = 0.85;

export function bandOf(availableMinutes: number, bookedMinutes: number): LoadBand {
  if (availableMinutes <= 0) return bookedMinutes > 0 ? 'over' : 'off';
  const u = bookedMinutes / availableMinutes;
  if (u > 1) return 'over';
  if (u >= FULL_FROM) return 'full';
  if (u < IDLE_BELOW) return 'idle';
  return 'normal';
}

const overlap = (a: Span, b: Span) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** Working time on `date` minus time off, in minutes. */
export function availableMinutes(provider: Provider, date: LocalDate, zone: string): number {
  const off = provider.timeOff.map((t) => ({ start: toMs(t.start), end: toMs(t.end) }));
  let ms = 0;
  for (const work of workingSpans(provider, date, zone)) {
    // Time-off spans may overlap each other: subtract their union, not their sum.
    const cuts = off
      .map((o) => ({ start: Math.max(o.start, work.start), end: Math.min(o.end, work.end) }))
      .filter((c) => c.end > c.start)
      .sort((a, b) => a.start - b.start);
    let free = work.end - work.start;
    let reached = work.start;
    for (const c of cuts) {
      const from = Math.max(c.start, reached);
      if (c.end > from) free -= c.end - from;
      reached = Math.max(reached, c.end);
    }
    ms += free;
  }
  return Math.round(ms / MINUTE_MS);
}

/**
 * The load of `provider` on `date`. `bookings` may hold anything (others' jobs, other days, cancelled
 * jobs): only this provider's live jobs touching the day count. `conflicts` is the engine's verdict over
 * a set containing them.
 */
export function dayLoad(
  world: ConflictWorld,
  provider: Provider,
  date: LocalDate,
  // Only what a board card carries (CardBooking) is read: the row label and week overview pass those.
  bookings: Iterable<Pick<Booking, 'id' | 'slot' | 'status' | 'teamSize' | 'laborHours'>>,
  conflicts: ReadonlyMap<string, readonly Conflict[]>,
): DayLoad {
  const zone = world.settings.timeZone;
  const [dayStart, dayEnd] = dayBoundsMs(date, zone);
  const day = { start: dayStart, end: dayEnd };
  let bookedMs = 0;
  let jobs = 0;
  let withConflicts = 0;
  for (const b of bookings) {
    if (!b.slot || !b.slot.assignees.includes(provider.id)) continue;
    if (effectiveStatus(b.status, b.slot) === 'cancelled') continue;
    const span = personSpan(b, world.settings.autoResize)!;
    const inDay = overlap(span, day);
    // A zero-length job at midnight still belongs to the day it starts.
    if (inDay === 0 && !(span.start >= dayStart && span.start < dayEnd)) continue;
    bookedMs += inDay;
    jobs++;
    if ((conflicts.get(b.id) ?? []).some((c) => c.providerId === null || c.providerId === provider.id)) withConflicts++;
  }
  const available = availableMinutes(provider, date, zone);
  const booked = Math.round(bookedMs / MINUTE_MS);
  return {
    providerId: provider.id,
    date,
    availableMinutes: available,
    bookedMinutes: booked,
    utilization: available > 0 ? booked / available : null,
    jobs,
    conflicts: withConflicts,
    band: bandOf(available, booked),
  };
}

/** "75%", "Off", "Booked on a day off": the figure a cell or row label shows. */
export function utilizationLabel(load: Pick<DayLoad, 'utilization' | 'bookedMinutes'>): string {
  if (load.utilization === null) return load.bookedMinutes > 0 ? 'Booked on a day off' : 'Off';
  return `${Math.round(load.utilization * 100)}%`;
}
