import type { Booking, HistoryEntry, MoveLink } from './model';

/**
 * Concurrent moves (docs/design.md §4): the slot is one value, so when two desktops move a job offline, the merge
 * keeps one of the two moves whole. Each slot write records, in the slot group itself, the history entry
 * that made it, and that entry records which move it replaced. After a merge every replica can therefore
 * tell, from the document alone, which move won and which moves made from the same starting point lost.
 */
export interface ConcurrentMoves {
  winner: HistoryEntry;
  /** The last move of each losing branch, oldest first. */
  lost: HistoryEntry[];
}

export function findConcurrentMoves(
  booking: Pick<Booking, 'slotMove'>,
  history: readonly HistoryEntry[],
): ConcurrentMoves | null {
  const moves = new Map<string, HistoryEntry & { move: MoveLink }>();
  for (const entry of history) if (entry.move) moves.set(entry.id, entry as HistoryEntry & { move: MoveLink });
  const winner = booking.slotMove ? moves.get(booking.slotMove.id) : undefined;
  if (!winner) return null;

  const winningChain = new Set<string>();
  const resolved = new Set<string>();
  for (let at: string | null = winner.id; at !== null && !winningChain.has(at); ) {
    const move = moves.get(at);
    if (!move) break;
    winningChain.add(at);
    for (const id of move.move.resolves) resolved.add(id);
    at = move.move.replaces;
  }
  const replaced = new Set<string>();
  for (const move of moves.values()) if (move.move.replaces !== null) replaced.add(move.move.replaces);

  const lost = [...moves.values()].filter(
    (move) => !winningChain.has(move.id) && !replaced.has(move.id) && !resolved.has(move.id),
  );
  if (lost.length === 0) return null;
  lost.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
  return { winner, lost };
}

/** The link a new slot write records: what it replaces, and the lost moves its author could see. */
export function nextMoveLink(booking: Pick<Booking, 'slotMove'>, history: readonly HistoryEntry[]): MoveLink {
  return {
    replaces: booking.slotMove?.id ?? null,
    resolves: findConcurrentMoves(booking, history)?.lost.map((m) => m.id) ?? [],
  };
}
