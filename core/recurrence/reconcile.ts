import type { Booking, Stamp, Status } from '../model';
import { effectiveStatus, isSlotComplete, statusAfterSlotChange } from '../status';
import { toMs, type LocalDate } from '../time';
import { ruleDates } from './expand';
import {
  contentOfBooking,
  fingerprintOf,
  materializeOccurrence,
  occurrenceId,
  plannedStartMs,
  startDateOf,
  type OccurrenceContent,
} from './occurrence';
import { seriesFamilies, type OccurrenceLink, type Series } from './series-doc';

/**
 * What a series' bookings should be, compared with what they are: the pure core of `extendSeriesHorizon` and
 * of the series edits. Given the series (template, rule, exceptions), the horizon end and a read-only view of
 * the bookings, it lists the writes that bring the bookings in line:
 *
 * - **create** every visit the rule has through `until` that has no booking (and was not archived);
 * - **update** a visit the series still describes differently, when it is not started (Scheduled or
 *   Unscheduled), was not changed by hand since the series last wrote it (its content still has the
 *   fingerprint the series gave it), and starts at or after the series' last edit (of its template, or of
 *   the rule in effect: `Series.ruleSince`): the visits an edit was meant for;
 * - **remove** a visit the rule no longer has (beyond its end, not in the new pattern, skipped) under the
 *   same conditions, unless it is a `changed` exception (kept);
 * - and, within a family of series split from one another, leave a date to a visit another series keeps
 *   there (`familiesOf`), so a split made on one desktop while another changed or dispatched a later visit
 *   never leaves two visits that day.
 *
 * Every write's content is a function of (series, date, zone) only (`occurrence.ts`), and which writes there
 * are depends on the series and the current bookings only, never on the clock or the replica: two desktops
 * offline, or a desktop and the server, reach the same bookings, and repeating it changes nothing.
 * Output is ordered (dates ascending, then removals) and cut at `budget` writes (`more` says so).
 */

export interface ReconcileWorld {
  zone: string;
  booking(id: string): Booking | undefined;
  archived(id: string): boolean;
}

interface OpBase {
  id: string;
  seriesId: string;
  date: LocalDate;
}
export type SeriesOp =
  | (OpBase & { kind: 'create'; content: OccurrenceContent; fingerprint: string; status: Status })
  | (OpBase & { kind: 'update'; content: OccurrenceContent; fingerprint: string; status: Status; before: Booking })
  | (OpBase & { kind: 'remove'; before: Booking });

export interface ReconcilePlan {
  ops: SeriesOp[];
  more: boolean;
}

const NEVER = Number.NEGATIVE_INFINITY;
const msOf = (stamp: Stamp | null | undefined) => (stamp ? toMs(stamp.at) : NEVER);
const sinceMs = (instant: string | null) => (instant ? toMs(instant) : NEVER);

/** The stamp writes made on a series' behalf carry: its last edit, or its creation. Deterministic. */
export function seriesStamp(series: Series): Stamp {
  const candidates = [series.template.changed, series.rule.changed].filter((s): s is Stamp => s !== null);
  candidates.sort((a, b) => msOf(b) - msOf(a) || (a.by.id < b.by.id ? -1 : a.by.id > b.by.id ? 1 : 0));
  const latest = candidates[0];
  return latest ? { at: latest.at, by: latest.by } : { at: series.created.at, by: series.created.by };
}

export const isUnstarted = (b: Booking): boolean => {
  const status = effectiveStatus(b.status, b.slot);
  return status === 'scheduled' || status === 'unscheduled';
};

/** The booking still has the content the series last gave it (nobody changed it by hand since). */
export function isUntouched(b: Booking, link: OccurrenceLink | undefined): boolean {
  const content = contentOfBooking(b);
  return content !== null && link !== undefined && fingerprintOf(content) === link.fingerprint;
}

/** Whether the series wants a visit on `date` (given the rule's dates): not skipped or covered, and not before a rule change. */
export function wantsDate(series: Series, dates: ReadonlySet<LocalDate>, date: LocalDate, zone: string): boolean {
  if (!dates.has(date)) return false;
  const exception = series.exceptions.get(date);
  if (exception?.type === 'skipped' || exception?.type === 'covered') return false;
  // Dates before the rule last changed belong to the rule as it was then: not created, not removed.
  return plannedStartMs(series, date, zone) >= sinceMs(series.ruleSince);
}

/** Another series of the same family (split from the same one, or from each other) and its visits. */
export interface Relative {
  series: Series;
  links: ReadonlyMap<string, OccurrenceLink>;
}

/**
 * Whether a visit that its series does not (or no longer) want stays anyway: it was changed as an exception
 * or by hand, it is under way or done, or it belongs to the rule as it was before the rule changed.
 */
function keptUnwanted(series: Series, link: OccurrenceLink, booking: Booking): boolean {
  const exception = series.exceptions.get(link.date);
  if (exception?.type === 'changed' || !isUnstarted(booking) || !isUntouched(booking, link)) return true;
  return !exception && toMs(booking.slot!.start) < sinceMs(series.ruleSince);
}

/**
 * Series of one family, by the series they started from: each series' relatives are the others. A series
 * split from another covers dates the earlier ones no longer want, and those may still hold a visit that
 * stays (`keptUnwanted`), made on a desktop that had not yet seen the split: the later series leaves that
 * date to it rather than make a second visit.
 */
export function familiesOf(all: readonly Series[], links: ReadonlyMap<string, ReadonlyMap<string, OccurrenceLink>>): Map<string, Relative[]> {
  const families = seriesFamilies(all);
  const out = new Map<string, Relative[]>();
  for (const members of families.values()) {
    for (const s of members) {
      out.set(
        s.id,
        members.filter((m) => m.id !== s.id).map((m) => ({ series: m, links: links.get(m.id) ?? new Map<string, OccurrenceLink>() })),
      );
    }
  }
  return out;
}

export interface ReconcileRange {
  /**
   * The first date looked at (default: the series' start). Routine extensions start from today: a visit
   * missing before that (a desktop closed for a month while no server extended) is not created late, and
   * past visits are not looked at again, which keeps each run proportional to the horizon.
   */
  from?: LocalDate;
  /** The horizon end: the last date visits are created for. */
  until: LocalDate;
  /** Most writes to plan (`more` says when there were more). */
  budget: number;
  /** The series' family (`familiesOf`). */
  relatives?: readonly Relative[];
}

export function planSeriesReconcile(
  series: Series,
  links: ReadonlyMap<string, OccurrenceLink>,
  world: ReconcileWorld,
  range: ReconcileRange,
): ReconcilePlan {
  const { until, budget, relatives = [] } = range;
  const from = range.from ?? startDateOf(series);
  const ops: SeriesOp[] = [];
  const { zone } = world;
  const ruleSince = sinceMs(series.ruleSince);
  const since = Math.max(msOf(series.template.changed), ruleSince);
  let horizon = until;
  for (const link of links.values()) if (link.date > horizon) horizon = link.date;
  const linked = [...links.entries()].filter(([, link]) => link.date >= from);
  const all = ruleDates(series.rrule, startDateOf(series), { from, to: horizon }).dates;
  const dates = new Set(all);
  const full = () => ops.length >= budget;

  // Relatives' rule dates, computed once, for `heldByRelative`.
  const relativeDates = new Map<string, Set<LocalDate>>();
  const datesOf = (r: Relative) => {
    let set = relativeDates.get(r.series.id);
    if (!set) {
      set = new Set(ruleDates(r.series.rrule, startDateOf(r.series), { from, to: horizon }).dates);
      relativeDates.set(r.series.id, set);
    }
    return set;
  };
  /** Another series of the family holds a visit that stays on this date, outside its own dates. */
  const heldByRelative = (date: LocalDate) =>
    relatives.some((r) => {
      const id = occurrenceId(r.series.id, date);
      const link = r.links.get(id);
      const booking = link ? world.booking(id) : undefined;
      return !!link && !!booking && !wantsDate(r.series, datesOf(r), date, zone) && keptUnwanted(r.series, link, booking);
    });
  const wants = (date: LocalDate) => wantsDate(series, dates, date, zone) && (relatives.length === 0 || !heldByRelative(date));

  for (const date of all) {
    if (date > until) break;
    if (!wants(date)) continue;
    const id = occurrenceId(series.id, date);
    if (world.archived(id)) continue;
    const booking = world.booking(id);
    if (!booking) {
      if (full()) return { ops, more: true };
      const content = materializeOccurrence(series, date, zone);
      const status = isSlotComplete(content.slot) ? 'scheduled' : 'unscheduled';
      ops.push({ kind: 'create', id, seriesId: series.id, date, content, fingerprint: fingerprintOf(content), status });
      continue;
    }
    // Cheap tests first: most existing visits are past, started or done.
    const link = links.get(id);
    if (!link || !booking.slot || !isUnstarted(booking) || toMs(booking.slot.start) < since) continue;
    const content = materializeOccurrence(series, date, zone);
    const fingerprint = fingerprintOf(content);
    if (link.fingerprint === fingerprint || !isUntouched(booking, link)) continue;
    const status = statusAfterSlotChange(effectiveStatus(booking.status, booking.slot), content.slot);
    if (!status.ok) continue;
    if (full()) return { ops, more: true };
    ops.push({ kind: 'update', id, seriesId: series.id, date, content, fingerprint, status: status.value, before: booking });
  }

  const stray = linked.sort(([a, la], [b, lb]) => (la.date < lb.date ? -1 : la.date > lb.date ? 1 : a < b ? -1 : 1));
  for (const [id, link] of stray) {
    if (wants(link.date)) continue;
    const booking = world.booking(id);
    if (!booking) continue;
    // A date the series itself still has, left to a relative's visit, goes whatever the rule's age.
    const leftToRelative = wantsDate(series, dates, link.date, zone);
    if (leftToRelative ? series.exceptions.get(link.date)?.type === 'changed' || !isUnstarted(booking) || !isUntouched(booking, link) : keptUnwanted(series, link, booking)) {
      continue;
    }
    if (full()) return { ops, more: true };
    ops.push({ kind: 'remove', id, seriesId: series.id, date: link.date, before: booking });
  }
  return { ops, more: false };
}
