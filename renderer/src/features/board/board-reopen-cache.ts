import type { BoardBooking, BoardView, EventName } from '../../../../core/api/contract.ts';
import type { BoardClient } from './board-state.ts';
import type { Roster } from './use-roster.ts';

/**
 * What the board last showed, kept while another screen is open, so that going back to the board paints
 * at once instead of waiting for the roster and the week's read again (issue 21: the board reopened at
 * 200 × 10k ≤ 250 ms; the read alone is ~2 MB of JSON). It is valid only while no invalidation has
 * arrived: the backend's events say when anything the board shows may have changed (docs/architecture.md,
 * events only invalidate), so the cache listens to them for as long as the client lives, and a lost
 * connection (events possibly missed) drops everything. A kept read is never merged with anything: it is
 * taken whole, for exactly the range it was read for, or not at all.
 */

export interface KeptBoard {
  /** The read range (`BoardStore.readRange`), ISO instants. */
  from: string;
  to: string;
  view: BoardView;
  queue: BoardBooking[];
}

/** Events after which a kept read may differ from the backend's (roster events also drop the roster). */
const BOARD_EVENTS: readonly EventName[] = ['schedule:changed', 'draft:changed', 'roster:changed'];

export class BoardReopenCache {
  private board: KeptBoard | null = null;
  private roster: Roster | null = null;
  /** Count invalidations: whoever took something compares them later to learn whether one came since. */
  private boardGeneration = 0;
  private rosterGeneration = 0;

  constructor(client: Pick<BoardClient, 'on' | 'onConnectionChange'>) {
    for (const event of BOARD_EVENTS) client.on(event, () => this.invalidate(event === 'roster:changed'));
    client.onConnectionChange?.(() => this.invalidate(true));
  }

  private invalidate(roster: boolean): void {
    this.boardGeneration++;
    this.board = null;
    if (roster) {
      this.rosterGeneration++;
      this.roster = null;
    }
  }

  /** A mark to hand back to `boardChangedSince`, taken when a kept board is taken. */
  boardMark(): number {
    return this.boardGeneration;
  }

  boardChangedSince(mark: number): boolean {
    return mark !== this.boardGeneration;
  }

  /** A mark to hand back to `keepRoster`, taken before a roster read starts. */
  rosterMark(): number {
    return this.rosterGeneration;
  }

  /** The board as it was left, for exactly this range; null when none or invalidated since. */
  takeBoard(from: string, to: string): KeptBoard | null {
    const kept = this.board;
    return kept && kept.from === from && kept.to === to ? kept : null;
  }

  /** Kept as the board is left: only a board whose reads and edits have all answered (the caller checks). */
  keepBoard(board: KeptBoard): void {
    this.board = board;
  }

  keptRoster(): Roster | null {
    return this.roster;
  }

  /** A roster read that started at `mark`: kept unless a roster event came meanwhile. */
  keepRoster(roster: Roster, mark: number): void {
    if (mark === this.rosterGeneration) this.roster = roster;
  }
}

const caches = new WeakMap<object, BoardReopenCache>();

/** The cache of this client (one per console window), created on first use. */
export function reopenCacheOf(client: Pick<BoardClient, 'on' | 'onConnectionChange'>): BoardReopenCache {
  let cache = caches.get(client);
  if (!cache) {
    cache = new BoardReopenCache(client);
    caches.set(client, cache);
  }
  return cache;
}
