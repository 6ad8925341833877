import type { BoardDelta, BoardView, CardBooking } from '../../../../core/api/contract.ts';
import { findConflictsOf, type ConflictWorld } from '../../../../core/conflicts.ts';
import type { Slot } from '../../../../core/model.ts';
import { sameSlot, slotOverlaps, withStagedSlot } from '../../../../core/slots.ts';
import { toMs } from '../../../../core/time.ts';

/**
 * What the backend's answer to one staged slot (`draft:stage` with the board's range) will most likely
 * say, worked out from what the board already holds, so a drop paints its final state in FullCalendar's
 * own drop frame instead of a round trip and a second render later (issue 21, the drop). The answer is
 * still applied when it comes: where it agrees nothing is rendered again, where it differs it wins.
 *
 * The forecast mirrors the backend's `boardDelta` (electron/backend/api/board-view.ts): the moved booking
 * staged with its new slot and the status the move gives it (core/status.ts), and every booking of the
 * visible range on a row it left or joined, judged by the one conflict engine (`findConflictsOf`, the
 * function the backend calls) over the range's bookings the board holds, with the roster's providers,
 * services and settings. Every conflict kind is judged: the roster carries each rule's input (hours, time
 * off, skills, activity). What it cannot know, the answer corrects: a move back onto the saved slot (the
 * backend then drops the staged edit), and changes the board has not read yet.
 *
 * `undo` puts back what the forecast replaced, for a refused edit.
 */
export interface DropForecast {
  delta: BoardDelta;
  undo: BoardDelta;
}

/**
 * The forecast for staging `slot` on booking `id`, or null when the board cannot tell (no view, the
 * booking not on it, a slot that leaves the range or empties the card: the answer decides those).
 */
export function forecastStage(view: BoardView | null, range: { from: string; to: string } | undefined, world: ConflictWorld, id: string, slot: Slot): DropForecast | null {
  if (!view || !range || slot.assignees.length === 0) return null;
  const fromMs = toMs(range.from);
  const toMs_ = toMs(range.to);
  if (!slotOverlaps(slot, fromMs, toMs_)) return null;
  const old = view.bookings.find((b) => b.id === id);
  if (!old?.slot) return null;
  if (!old.staged && sameSlot(old.slot, slot)) return null;
  const moved: CardBooking = withStagedSlot(old, slot);
  const rows = new Set([...old.slot.assignees, ...slot.assignees]);
  // One pass over the range (5k bookings at 200 × 10k): this runs inside FullCalendar's drop task.
  const subset: CardBooking[] = [];
  const before: CardBooking[] = [];
  for (const b of view.bookings) {
    if (b.id !== id && !b.slot?.assignees.some((a) => rows.has(a))) continue;
    subset.push(b.id === id ? moved : b);
    before.push(b);
  }
  // The moved job's old copy among the neighbours is skipped by id (`findConflictsOf`).
  const conflicts = Object.fromEntries(findConflictsOf(world, subset, view.bookings));
  const undoConflicts: BoardDelta['conflicts'] = {};
  for (const b of before) if (view.conflicts[b.id]) undoConflicts[b.id] = view.conflicts[b.id]!;
  const stagedCount = view.stagedCount + (old.staged ? 0 : 1);
  return {
    delta: { from: range.from, to: range.to, bookings: subset, conflicts, gone: [], stagedCount },
    undo: { from: range.from, to: range.to, bookings: before, conflicts: undoConflicts, gone: [], stagedCount: view.stagedCount },
  };
}
