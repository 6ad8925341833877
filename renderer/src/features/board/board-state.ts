import type { BackendClient, BoardBooking, BoardDelta, BoardView } from '../../../../core/api/contract.ts';
import type { LocalDate } from '../../../../core/time.ts';

/** The board's state and the ports of its store (board-store.ts): types only. */

/** `load`: the week overview (capacity per provider and day, issue 19). */
export type BoardViewKind = 'day' | 'week' | 'range' | 'load';

export interface VisibleRange {
  kind: BoardViewKind;
  title: string;
  firstDay: LocalDate;
  lastDay: LocalDate;
}

/** Who is told of a Save (the Save dialog's choices). */
export interface SaveChoice {
  notifyProviders: boolean;
  notifyCustomers: boolean;
  /** Moved jobs that leave their arrival window take it along (the dialog's "Move the arrival window with it"). */
  moveArrivalWindows?: boolean;
}

/** A refused Save: its reason, and the choices made for it. */
export interface SaveRetry {
  error: string;
  choice: SaveChoice;
}

export type BoardDialog = 'save' | 'discard' | 'search' | 'send-day' | 'new-booking' | null;

/** What a new booking starts from: a range dragged out on a technician's row, or nothing (button, N, menu). */
export interface NewBookingSeed {
  start?: string;
  minutes?: number;
  assignees?: string[];
}

/**
 * The schedule assistant's panel, open for one job (suggest a technician), one day (fill it) or one
 * provider's day (order the route). Its results are staged edits like any drop.
 */
export type AssistantPanel =
  | { kind: 'suggest'; bookingId: string }
  | { kind: 'fill'; day: LocalDate; bookingIds?: string[] }
  | { kind: 'route'; providerId: string; day: LocalDate };

export interface BoardState {
  range: VisibleRange | null;
  view: BoardView | null;
  queue: BoardBooking[];
  queueText: string;
  stagedCount: number;
  /** A Save is under way: its edits stay staged until it answers. */
  saving: boolean;
  saveRetry: SaveRetry | null;
  selectedId: string | null;
  panelId: string | null;
  dialog: BoardDialog;
  newBookingSeed: NewBookingSeed;
  providerFilter: { id: string; name: string } | null;
  connected: boolean;
  /** The first read has answered (the calendar is built then, with its cards). */
  firstReadDone: boolean;
  readOnly: boolean;
  assistant: AssistantPanel | null;
  /**
   * The board is on screen. It stays mounted, hidden, while another screen shows (App.tsx): its window
   * listeners and menu commands stand down then (`BoardStore.whileVisible`).
   */
  visible: boolean;
}

/** The backend as the board uses it: the contract's client, and the connection state when it has one. */
export type BoardClient = Pick<BackendClient, 'request' | 'on'> & { onConnectionChange?(listener: (connected: boolean) => void): () => void };

/** Navigation and reveal, answered by the calendar (calendar/calendar-bridge.ts); absent before it is built. */
export interface CalendarPort {
  day(date?: LocalDate): void;
  week(): void;
  /** The week overview: each provider's load per day. */
  weekLoad(): void;
  gotoDate(date: LocalDate): void;
  prev(): void;
  next(): void;
  /** A custom range [first, last] (inclusive), at most `MAX_RANGE_DAYS`. */
  range(first: LocalDate, last: LocalDate): void;
  /** Brings the booking's card on screen (its row may not be mounted yet). */
  reveal(id: string, row: string | null): void;
}

/**
 * A delta about to be committed: `base` is the view it was computed on, `next` the view after it, `rows`
 * the providers whose load changed. The bridge applies it to the calendar straight away, in this task.
 */
export type DeltaSink = (base: BoardView, next: BoardView, delta: BoardDelta, rows: ReadonlySet<string>) => void;

export type Notify = (message: string, kind: 'info' | 'error' | 'success') => void;

export interface BoardStoreOptions {
  notify: Notify;
  /** The route sheets of a day (a hash change in the app). */
  openRouteSheets?: (day: LocalDate) => void;
  /** Milliseconds, monotonic: when the last refresh started (for the fallback re-read). */
  clock?: () => number;
}

/** The board re-reads at most this span at once: the contract's range schema refuses more. */
export { MAX_RANGE_DAYS } from '../../../../core/api/range-limit.ts';
