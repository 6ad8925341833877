/** A queue card's height and the gap between cards (board.css `.cl-queue-card`, `.cl-queue__list`). */
export const QUEUE_ROW = 58;
const QUEUE_GAP = 5;
export const QUEUE_PAD = 6;
export const QUEUE_PITCH = QUEUE_ROW + QUEUE_GAP;
/** Cards rendered beyond each edge of the view: Tab and a short scroll find the next card in place. */
const OVERSCAN = 6;

/**
 * The cards to render for a list scrolled to `scrollTop` showing `height` px: only those in view, plus a
 * few either side. A queue can hold hundreds of jobs (500 at 200 × 10k: 3,000 elements, half the page),
 * and every style recalc of the whole page (a modal dialog opening or closing) paid for all of them.
 */
export function queueWindow(count: number, scrollTop: number, height: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor((scrollTop - QUEUE_PAD) / QUEUE_PITCH) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / QUEUE_PITCH) + OVERSCAN);
  return { first: Math.min(first, last), last };
}
