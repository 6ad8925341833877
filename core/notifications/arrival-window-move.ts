/**
 * "Move the arrival window with it" (pure): the customer was promised a window; a Save that moves the job
 * so that it no longer starts inside that window can move the window along (the Save dialog offers it, the
 * `saveChanges` command does it in the same transaction), so the customer is told a window that holds.
 */
import type { ArrivalWindow, Slot } from '../model';
import { fromMs, toMs } from '../time';
import { arrivalWindowFits } from './save-audience';

/**
 * The window the job carries after a move from `before` to `after`, or null when the window may stay as it
 * is (no window, no date after, or the new start is still inside it). The window keeps its length and moves
 * by as much as the job's start did, so a job that started 30 minutes into its window still does; when that
 * does not hold the new start (the job had no date, or did not start in its window), the window starts with
 * the job.
 */
export function windowMovedWith(
  window: ArrivalWindow | null,
  before: Pick<Slot, 'start'> | null,
  after: Pick<Slot, 'start'> | null,
): ArrivalWindow | null {
  if (!window || !after || arrivalWindowFits(window, after)) return null;
  const start = toMs(window.start);
  const length = toMs(window.end) - start;
  const newStart = toMs(after.start);
  if (before) {
    const shifted = start + (newStart - toMs(before.start));
    if (newStart >= shifted && newStart <= shifted + length) return { start: fromMs(shifted), end: fromMs(shifted + length) };
  }
  return { start: fromMs(newStart), end: fromMs(newStart + length) };
}
