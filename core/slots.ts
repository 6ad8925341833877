import type { Slot, Status } from './model';
import { effectiveStatus, statusAfterSlotChange } from './status';
import { toMs } from './time';

/**
 * Whether two slots put the same people in the same time: what a person would call "no change". The
 * instants are compared as times (`…T09:00:00Z` and `…T09:00:00.000Z` are one time), the technicians as a
 * set (who is listed first is not a change anyone is notified of).
 */
export function sameSlot(a: Slot | null | undefined, b: Slot | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (toMs(a.start) !== toMs(b.start) || toMs(a.end) !== toMs(b.end)) return false;
  if (a.assignees.length !== b.assignees.length) return false;
  const theirs = new Set(b.assignees);
  return a.assignees.every((id) => theirs.has(id));
}

/** Whether a slot overlaps [fromMs, toMs): what a board range holds. */
export const slotOverlaps = (slot: Slot | null, fromMs: number, toMs_: number): boolean =>
  slot !== null && toMs(slot.start) < toMs_ && toMs(slot.end) > fromMs;

/**
 * A booking as the board shows it with a staged slot applied, with the status that slot leads to: what the
 * backend answers a stage with, and what the board forecasts before that answer comes (drop-forecast.ts).
 */
export function withStagedSlot<B extends { status: Status; slot: Slot | null }>(booking: B, slot: Slot | null): B & { staged: true } {
  const current = effectiveStatus(booking.status, booking.slot);
  const next = statusAfterSlotChange(current, slot);
  return { ...booking, slot, status: next.ok ? next.value : current, staged: true };
}
