import { describe, expect, it } from 'vitest';
import { getBooking, readHistory } from './doc/schedule';
import { findConcurrentMoves } from './moves';
import { ACTORS, push, seedPair, slotKey, workspacePair, type WorkspaceReplica } from './testing/convergence-scenario';

/** Two replicas seeded alike; the "Scheduled job" sits 08:00–09:00 local with Ana. */
function pair(clientIds: [number, number]) {
  const [a, b] = workspacePair(clientIds);
  const seeded = seedPair(a, b);
  return { a, b, id: seeded.bookings.scheduled, providers: seeded.providers as [string, string, string] };
}

/** A minute after the fixtures' clock: a write made then carries the later stamp. */
const LATER = '2026-11-23T12:01:00Z';

const syncBoth = (a: WorkspaceReplica, b: WorkspaceReplica) => {
  push(a, b);
  push(b, a);
};

const movesOn = (r: WorkspaceReplica, id: string) =>
  findConcurrentMoves(getBooking(r.ws.schedule, id)!, readHistory(r.ws.schedule, id));

describe('concurrent offline moves: which won, who made the other', () => {
  it('both replicas name the same winner (the move whose slot they show) and the lost move with its author', () => {
    const winners = new Set<string>();
    for (const clientIds of [[100, 200], [200, 100], [7, 3], [3, 7]] as [number, number][]) {
      const { a, b, id, providers } = pair(clientIds);
      a.ws.must('moveBooking', { id, start: '2026-11-24T16:00:00Z' });
      // B's reassign is made a minute later: the later stamp wins, whichever Yjs client id is higher.
      b.setNow(LATER);
      b.ws.must('reassignProvider', { id, fromProviderId: providers[0], toProviderId: providers[2] });
      expect(movesOn(a, id)).toBeNull(); // nothing concurrent seen yet
      syncBoth(a, b);

      const onA = movesOn(a, id)!;
      expect(onA).not.toBeNull();
      expect(movesOn(b, id)).toEqual(onA);
      expect(onA.lost).toHaveLength(1);
      const names = [onA.winner.by.name, onA.lost[0]!.by.name].sort();
      expect(names).toEqual([ACTORS[0].name, ACTORS[1].name].sort());
      // The winner is the move that wrote the slot now shown.
      const booking = getBooking(a.ws.schedule, id)!;
      expect(booking.slotMove?.id).toBe(onA.winner.id);
      expect(onA.winner.action).toBe(booking.slot!.assignees.includes(providers[2]) ? 'reassign' : 'move');
      expect(onA.winner.action).toBe('reassign');
      winners.add(slotKey(booking.slot));
    }
    expect(winners.size).toBe(1);
  });

  it('reports the last move of a losing branch when one side moved several times offline', () => {
    const outcomes = new Set<string>();
    for (const clientIds of [[100, 200], [200, 100]] as [number, number][]) {
      for (const later of ['a', 'b'] as const) {
        const { a, b, id, providers } = pair(clientIds);
        if (later === 'a') a.setNow(LATER);
        a.ws.must('moveBooking', { id, start: '2026-11-24T16:00:00Z' });
        a.ws.must('resizeBooking', { id, end: '2026-11-24T18:00:00Z' });
        if (later === 'b') b.setNow(LATER);
        b.ws.must('reassignProvider', { id, fromProviderId: providers[0], toProviderId: providers[1] });
        syncBoth(a, b);
        const moves = movesOn(a, id)!;
        expect(moves).toEqual(movesOn(b, id));
        expect(moves.lost).toHaveLength(1);
        const tips = [moves.winner.action, moves.lost[0]!.action].sort();
        expect(tips).toEqual(['reassign', 'resize']); // never A's superseded first move
        // The later side's last move wins, in both client-id orders.
        expect(moves.winner.action).toBe(later === 'a' ? 'resize' : 'reassign');
        outcomes.add(moves.winner.action);
      }
    }
    expect(outcomes.size).toBe(2);
  });

  it('a later move by anyone settles it on every replica; sequential moves never report anything', () => {
    const { a, b, id, providers } = pair([100, 200]);
    a.ws.must('moveBooking', { id, start: '2026-11-24T16:00:00Z' });
    syncBoth(a, b);
    b.ws.must('moveBooking', { id, start: '2026-11-24T17:00:00Z' });
    syncBoth(a, b);
    expect(movesOn(a, id)).toBeNull();

    a.ws.must('moveBooking', { id, start: '2026-11-24T15:00:00Z' });
    b.ws.must('reassignProvider', { id, fromProviderId: providers[0], toProviderId: providers[1] });
    syncBoth(a, b);
    expect(movesOn(a, id)).not.toBeNull();
    b.ws.must('resizeBooking', { id, end: '2026-11-24T19:00:00Z' });
    syncBoth(a, b);
    expect(movesOn(a, id)).toBeNull();
    expect(movesOn(b, id)).toBeNull();
  });

  it('a Save from the board counts as a move', () => {
    const { a, b, id, providers } = pair([100, 200]);
    const slot = getBooking(a.ws.schedule, id)!.slot!;
    a.ws.must('saveChanges', { changes: [{ id, slot: { ...slot, assignees: [providers[1]] } }], notifyProviders: false, notifyCustomers: false });
    b.ws.must('moveBooking', { id, start: '2026-11-24T16:00:00Z' });
    syncBoth(a, b);
    const moves = movesOn(a, id)!;
    expect([moves.winner.action, moves.lost[0]!.action].sort()).toEqual(['move', 'save']);
  });
});
