import type { BoardBooking } from '../../../../core/api/contract.ts';
import { localDateOf, toMs } from '../../../../core/time.ts';
import type { VisibleRange } from './board-state.ts';

/** The queue's "Fill day" button: what it fills, or why it cannot. */
export type FillAction = { open: () => void; label: string } | { why: string; label: string };

/**
 * Fill day works on the day the board shows. A search in the queue is the selection: only the jobs it shows
 * that can go on that day (dated that day, or undated) are filled; without a search, the whole queue of the day.
 */
export function fillAction(
  range: VisibleRange | null,
  queue: readonly BoardBooking[],
  queueText: string,
  zone: string,
  open: (day: string, bookingIds?: string[]) => void,
): FillAction {
  if (!range || range.kind !== 'day') return { why: 'Switch to Day view to fill a day', label: 'Fill day' };
  const day = range.firstDay;
  if (!queueText.trim()) return { open: () => open(day), label: 'Fill day' };
  const ids = queue.filter((b) => !b.slot || localDateOf(toMs(b.slot.start), zone) === day).map((b) => b.id);
  if (ids.length === 0) return { why: 'None of the jobs this search shows can go on this day', label: 'Fill day with 0 shown' };
  return { open: () => open(day, ids), label: `Fill day with ${ids.length} shown` };
}
