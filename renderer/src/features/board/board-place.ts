/**
 * Where the board was when its screen was left. Once shown, the board stays mounted behind the other
 * screens (App.tsx) and keeps its place itself; this is for a board mounted again (after a screen error)
 * and for links that open it on a day before it was ever shown (assistant/route-link.ts).
 */
export type BoardViewType = 'resourceTimelineDay' | 'resourceTimelineWeek' | 'resourceTimelineWeekLoad' | 'resourceTimelineRange';

export interface BoardPlace {
  view: BoardViewType;
  /** First and last visible local dates (inclusive). */
  firstDay: string;
  lastDay: string;
}

let last: BoardPlace | null = null;

/** `null` forgets it (tests). */
export function rememberBoardPlace(place: BoardPlace | null): void {
  last = place;
}

export function lastBoardPlace(): BoardPlace | null {
  return last;
}

/**
 * The view and date the board opens on: where it was left, once it has been shown in this page; the first
 * time, the page's `?view=week` / `?date=` (demos, tests, benchmarks) or today's day view. A range reopens
 * as its first day, then widens again (`range`).
 */
export function openingPlace(search: string, today: string): { view: Exclude<BoardViewType, 'resourceTimelineRange'>; date: string; range: BoardPlace | null } {
  const left = last;
  if (left === null) {
    const params = new URLSearchParams(search);
    const view = params.get('view');
    return { view: view === 'week' ? 'resourceTimelineWeek' : view === 'load' ? 'resourceTimelineWeekLoad' : 'resourceTimelineDay', date: params.get('date') ?? today, range: null };
  }
  if (left.view === 'resourceTimelineRange') return { view: 'resourceTimelineDay', date: left.firstDay, range: left };
  return { view: left.view, date: left.firstDay, range: null };
}
