import type { BoardView } from '../../../../core/api/contract.ts';
import type { Result } from '../../../../core/result.ts';
import { addDays, dayBoundsMs, weekdayOf, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { openingPlace } from './board-place.ts';
import { reopenCacheOf, type BoardReopenCache } from './board-reopen-cache.ts';
import type { BoardClient } from './board-state.ts';
import { isoOf } from './time-format.ts';

/**
 * The board's first read (`board:getRange`, ~2 MB of JSON at 200 × 10k) sent as soon as `settings:get`
 * answers (issue 21, first paint): the range needs only the organization's time zone, so the read need not
 * wait behind providers, services and customers (~390 KB at 10k), nor for React to mount the board. The
 * store's `start` (board-reads.ts) takes the answer when it asks for exactly the same range and nothing
 * has invalidated the board since the read was sent (the reopen cache counts the backend's events for
 * the client's whole life); otherwise it reads as before and this answer is dropped.
 */

export type OpeningView = 'resourceTimelineDay' | 'resourceTimelineWeek' | 'resourceTimelineWeekLoad';

/** What `start` reads for an opening view and date: full local days, a week from its Monday. */
export function openingReadRange(opening: { view: OpeningView; date: LocalDate }, zone: string): { from: string; to: string } {
  const week = opening.view !== 'resourceTimelineDay';
  const first = week ? addDays(opening.date, -WEEKDAYS.indexOf(weekdayOf(opening.date))) : opening.date;
  const last = week ? addDays(first, 6) : opening.date;
  return { from: isoOf(dayBoundsMs(first, zone)[0]), to: isoOf(dayBoundsMs(last, zone)[1]) };
}

export interface FirstRead {
  from: string;
  to: string;
  /** The client's reopen cache and its board mark when the read was sent: a later invalidation makes it stale. */
  cache: BoardReopenCache;
  mark: number;
  answer: Promise<Result<BoardView>>;
}

/** One early read per client (console window), until the board takes it. */
const sent = new WeakMap<object, FirstRead>();

/**
 * Sends the read the board will open on (`openingPlace` of `search` and `today`), unless the board's last
 * read is kept for that range (the reopen then needs no read at all).
 */
export function sendFirstRead(client: BoardClient, zone: string, today: LocalDate, search: string): void {
  const { from, to } = openingReadRange(openingPlace(search, today), zone);
  const cache = reopenCacheOf(client);
  if (cache.takeBoard(from, to)) return;
  sent.set(client, { from, to, cache, mark: cache.boardMark(), answer: client.request('board:getRange', { from, to }) });
}

/**
 * The early read of exactly this range, if one was sent and `cache` (the store's, which must be the
 * client's) has seen no invalidation since; taken once (a read of another range, e.g. the day changed
 * meanwhile, is dropped).
 */
export function takeFirstRead(client: BoardClient, from: string, to: string, cache: BoardReopenCache): FirstRead | null {
  const read = sent.get(client);
  if (!read) return null;
  sent.delete(client);
  if (read.cache !== cache || read.from !== from || read.to !== to || cache.boardChangedSince(read.mark)) return null;
  return read;
}
