import type { Slot, Status } from '../model';
import { isClosed } from '../status';
import { localDateOf, toMs } from '../time';

/**
 * A technician's "running late" report where the dispatcher looks (issue #19 §5): on the job's card, as a
 * marker on the technician's row label, and as the technician's next jobs of that day, offered for
 * reassignment. Pure: the board feeds it the bookings it shows.
 *
 * When it shows: `reportRunningLate` writes `statusNote: "Running late: <note>"`; every status change
 * rewrites the note (core/commands, `writeStatus`), so a late report stands until the technician's next
 * step (en route, check in) or the office's (send again, cancel), or until a later report replaces it.
 * Once the job is in progress or closed the technician has arrived: no marker, whatever the note says.
 */

export const LATE_PREFIX = 'Running late: ';

type LateFields = { statusNote: string; status: Status };
type DayFields = LateFields & { id: string; slot: Slot | null };

/** The late report a job's card shows ("Running late: 20 min, traffic"), or null. */
export function lateNote(b: LateFields): string | null {
  if (!b.statusNote.startsWith(LATE_PREFIX)) return null;
  if (b.status === 'in_progress' || isClosed(b.status)) return null;
  return b.statusNote;
}

export interface LateReport {
  providerId: string;
  bookingId: string;
  note: string;
  /** How many of this technician's jobs in the window carry a late report (the earliest is `bookingId`). */
  count: number;
}

/**
 * Per provider, their earliest late job starting in [fromMs, toMs) (the day a row label speaks for): the
 * one the rest of their day waits on.
 */
export function lateReportsByProvider(bookings: Iterable<DayFields>, fromMs: number, toMs_: number): Map<string, LateReport> {
  const out = new Map<string, LateReport & { start: number }>();
  for (const b of bookings) {
    if (!b.slot) continue;
    const note = lateNote(b);
    if (!note) continue;
    const start = toMs(b.slot.start);
    if (start < fromMs || start >= toMs_) continue;
    for (const providerId of b.slot.assignees) {
      const seen = out.get(providerId);
      if (!seen) out.set(providerId, { providerId, bookingId: b.id, note, count: 1, start });
      else {
        seen.count += 1;
        if (start < seen.start || (start === seen.start && b.id < seen.bookingId)) Object.assign(seen, { bookingId: b.id, note, start });
      }
    }
  }
  return new Map([...out].map(([id, { start: _start, ...report }]) => [id, report]));
}

/**
 * The technician's jobs after the late one on its local day, soonest first: the ones the delay pushes,
 * which another technician might take. Jobs already under way or closed are not offered.
 */
export function nextJobsAfterLate<B extends DayFields>(bookings: Iterable<B>, providerId: string, lateId: string, zone: string): B[] {
  const all = [...bookings];
  const late = all.find((b) => b.id === lateId);
  if (!late?.slot) return [];
  const lateStart = toMs(late.slot.start);
  const day = localDateOf(lateStart, zone);
  return all
    .filter((b) => {
      if (b.id === lateId || !b.slot?.assignees.includes(providerId)) return false;
      if (b.status === 'in_progress' || b.status === 'en_route' || isClosed(b.status)) return false;
      const start = toMs(b.slot.start);
      return start > lateStart && localDateOf(start, zone) === day;
    })
    .sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start) || a.id.localeCompare(b.id));
}
