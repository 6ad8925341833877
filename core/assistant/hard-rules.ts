import { findConflictsOf, type Conflict, type ConflictWorld } from '../conflicts';
import type { Booking, Slot } from '../model';

/**
 * The schedule assistant's hard rules are the conflict engine's rules, every one of them (docs/design.md §3):
 * a suggestion, a filled day or a reordered route never makes a job red or amber that the engine would
 * not. There is no second list of rules here, only the question "what would the engine say if…".
 */

/**
 * What the engine would report for `booking` if its slot were `slot`, judged against `neighbours` (any
 * superset of the other bookings sharing an assignee with it; extra ones are harmless). Empty: no rule broken.
 */
export function breaksWith(world: ConflictWorld, neighbours: readonly Booking[], booking: Booking, slot: Slot): Conflict[] {
  const candidate: Booking = { ...booking, slot };
  return findConflictsOf(world, [candidate], neighbours).get(booking.id) ?? [];
}

/**
 * What the engine would report against one provider joining `booking` at `slot` as one member of its crew:
 * their own rule breaks (hours, time off, skills, double-booking, inactive), without the team-size verdict
 * a crew of one gets for a two-person job (the crew as a whole is judged by `breaksWith`).
 */
export function memberBreaks(
  world: ConflictWorld,
  neighbours: readonly Booking[],
  booking: Booking,
  slot: Pick<Slot, 'start' | 'end'>,
  providerId: string,
): Conflict[] {
  // A crew of one with one person's share of the labor: the member's own span under auto-resize, and no
  // team-size verdict.
  const share: Booking = { ...booking, teamSize: 1, laborHours: booking.laborHours / booking.teamSize };
  return breaksWith(world, neighbours, share, { start: slot.start, end: slot.end, assignees: [providerId] });
}

/** The reasons as one sentence each, without repeats (a double-booking with two jobs reads twice otherwise). */
export function reasonsOf(conflicts: readonly Conflict[]): string[] {
  return [...new Set(conflicts.map((c) => c.message))];
}
