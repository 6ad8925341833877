import type { Slot } from './model';
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
