import type { CardBooking } from '../../../../core/api/contract.ts';
import { dayLoad, utilizationLabel, type DayLoad, type LoadBand } from '../../../../core/assistant/capacity.ts';
import { personSpan, type Conflict, type ConflictWorld } from '../../../../core/conflicts.ts';
import type { Provider } from '../../../../core/model.ts';
import { addDays, dayBoundsMs, HOUR_MS, toMs, type LocalDate } from '../../../../core/time.ts';
import { fmtHours } from './time-format.ts';

/**
 * Capacity at a glance (issue 19, part 4): each provider's load per day, as the row label's bar and the
 * week overview's cells show it, from the one figure `core/assistant/capacity.ts` `dayLoad` computes
 * (working hours minus time off, against booked labor share). Plain TypeScript over what the board store
 * already holds (card bookings and their conflicts): no DOM, no FullCalendar. Unit test: board-load.test.ts.
 */

/** What the row label and a week-overview cell show of one provider's day. */
export interface LoadFigure extends DayLoad {
  /** "75%", "Off", "Booked on a day off". */
  percent: string;
  /** How much of the bar is filled, 0..1 (an overbooked day fills it). */
  fill: number;
  /** The band in words, so that it never stands out by colour alone; null for an ordinary day. */
  flag: string | null;
  /** "3 of 4 h" (booked of available). */
  hours: string;
  /** "2 jobs", "1 conflict"... joined: "2 jobs · 1 conflict". */
  counts: string;
  /** Changes whenever anything shown changes (the bridge re-renders only on a change). */
  sig: string;
}

const FLAGS: Record<LoadBand, string | null> = { over: 'Overbooked', idle: 'Idle', full: 'Full', off: 'Off', normal: null };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function loadFigure(load: DayLoad): LoadFigure {
  const fill = load.utilization === null ? (load.bookedMinutes > 0 ? 1 : 0) : Math.min(1, load.utilization);
  const hours = `${fmtHours(load.bookedMinutes / 60)} of ${fmtHours(load.availableMinutes / 60)} h`;
  const counts = [plural(load.jobs, 'job', 'jobs'), ...(load.conflicts > 0 ? [plural(load.conflicts, 'conflict', 'conflicts')] : [])].join(' · ');
  const figure = { ...load, percent: utilizationLabel(load), fill, flag: FLAGS[load.band], hours, counts };
  return { ...figure, sig: JSON.stringify([figure.percent, fill, figure.flag, hours, counts, load.band]) };
}

/** "Ana Silva, Tue, Nov 24: 75% booked, 3 of 4 h, 2 jobs · 1 conflict. Overbooked." (tooltips, screen readers). */
export function loadSentence(name: string, dayLabel: string, f: LoadFigure): string {
  const head = f.utilization === null ? f.percent : `${f.percent} booked`;
  return `${name}, ${dayLabel}: ${head}, ${f.hours}, ${f.counts}.${f.flag && f.flag !== 'Off' ? ` ${f.flag}.` : ''}`;
}

type LoadBooking = Pick<CardBooking, 'id' | 'slot' | 'status' | 'teamSize' | 'laborHours'>;

/**
 * Each provider's bookings (a team job under every assignee): one pass, so a day costs O(their jobs).
 * With `within` ([from, to) in ms), jobs that cannot touch it are left out before any other work: a week
 * view's row labels read one day of a week's jobs. A job's span for a person never ends later than its
 * slot's end or its start plus its labor hours, so that bound keeps every job `dayLoad` would count.
 */
export function bookingsByProvider<B extends LoadBooking>(bookings: readonly B[], within?: readonly [number, number]): Map<string, B[]> {
  const out = new Map<string, B[]>();
  for (const b of bookings) {
    const slot = b.slot;
    if (!slot) continue;
    if (within) {
      const start = toMs(slot.start);
      if (start >= within[1]) continue;
      if (start < within[0] && Math.max(toMs(slot.end), start + b.laborHours * HOUR_MS) <= within[0]) continue;
    }
    for (const a of slot.assignees) {
      const list = out.get(a);
      if (list) list.push(b);
      else out.set(a, [b]);
    }
  }
  return out;
}

/**
 * The figures of `providers` on each of `days` (inclusive list, in order), keyed by provider id, one per
 * day in order. `conflicts` is the board's verdict per booking id (`BoardView.conflicts`).
 */
export function loadsOnDays(
  world: ConflictWorld,
  providers: Iterable<Provider>,
  days: readonly LocalDate[],
  bookings: readonly LoadBooking[],
  conflicts: Readonly<Record<string, readonly Conflict[] | undefined>>,
): Map<string, LoadFigure[]> {
  const out = new Map<string, LoadFigure[]>();
  if (days.length === 0) return out;
  const bounds = days.map((day) => dayBoundsMs(day, world.settings.timeZone));
  const byProvider = bookingsByProvider(bookings, [bounds[0]![0], bounds.at(-1)![1]]);
  for (const p of providers) {
    const own = byProvider.get(p.id) ?? [];
    const verdicts = new Map<string, readonly Conflict[]>();
    // Each job goes to the days its span touches (or starts in): a day's `dayLoad` then reads only those.
    const perDay: LoadBooking[][] = [];
    for (let i = 0; i < days.length; i++) perDay.push([]);
    for (const b of own) {
      const c = conflicts[b.id];
      if (c) verdicts.set(b.id, c);
      if (days.length === 1) {
        perDay[0]!.push(b);
        continue;
      }
      const span = personSpan(b, world.settings.autoResize)!;
      for (let i = 0; i < bounds.length; i++) {
        const [from, to] = bounds[i]!;
        if ((span.start < to && span.end > from) || (span.start >= from && span.start < to)) perDay[i]!.push(b);
      }
    }
    const figures: LoadFigure[] = [];
    for (let i = 0; i < days.length; i++) figures.push(loadFigure(dayLoad(world, p, days[i]!, perDay[i]!, verdicts)));
    out.set(p.id, figures);
  }
  return out;
}

/** One day's figures (the row labels). */
export function loadsOnDay(
  world: ConflictWorld,
  providers: Iterable<Provider>,
  day: LocalDate,
  bookings: readonly LoadBooking[],
  conflicts: Readonly<Record<string, readonly Conflict[] | undefined>>,
): Map<string, LoadFigure> {
  const out = new Map<string, LoadFigure>();
  for (const [id, [figure]] of loadsOnDays(world, providers, [day], bookings, conflicts)) out.set(id, figure!);
  return out;
}

/** The local dates first..last (inclusive). */
export function daysOf(first: LocalDate, last: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = first; d <= last && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A week-overview cell's event id, and back: the provider and the day it stands for. */
export const loadCellId = (providerId: string, day: LocalDate): string => `load:${providerId}:${day}`;
export function loadCellOf(id: string): { providerId: string; day: LocalDate } | null {
  const m = /^load:(.+):(\d{4}-\d{2}-\d{2})$/.exec(id);
  return m ? { providerId: m[1]!, day: m[2]! } : null;
}
