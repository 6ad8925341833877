/**
 * The oracle of the stamp property test decides from the documented table (docs/design.md §4.1): checked
 * here on hand-made records, so a mistake in it is not mistaken for one in the code under test.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { oracleEntries, oracleWinner, type OracleEntry } from './rule-oracle';

const stamp = (wall: number, r: string, n = 0) => `${String(wall).padStart(15, '0')}.${String(n).padStart(6, '0')}.${r}`;

function record(entries: Record<string, Record<string, unknown>>, clamps: Record<string, number> = {}): { doc: Y.Doc; map: Y.Map<unknown> } {
  const doc = new Y.Doc();
  const map = new Y.Map<unknown>();
  doc.getMap('bookings').set('job', map);
  for (const [key, value] of Object.entries(entries)) map.set(key, value);
  for (const [key, wall] of Object.entries(clamps)) doc.getMap('clamps').set(key, wall);
  return { doc, map };
}

const statusEntries = (entries: Record<string, Record<string, unknown>>, clamps?: Record<string, number>): OracleEntry[] => {
  const { doc, map } = record(entries, clamps);
  return oracleEntries(doc, map).get('status') ?? [];
};
const winnerOf = (entries: OracleEntry[]) => {
  const verdict = oracleWinner('status', entries);
  return verdict.kind === 'winner' ? verdict.winner.value.status : verdict.kind;
};

describe('the rule oracle', () => {
  it('takes the later stamp when no rule applies, comparing clamped stamps as clamped', () => {
    expect(winnerOf(statusEntries({ 'status@a': { status: 'dispatched', _s: stamp(2000, 'a') }, 'status@b': { status: 'scheduled', _s: stamp(1000, 'b') } }))).toBe('dispatched');
    // b's stamp is a day ahead, but the server saw it at 1500: a's 2000 is later.
    const fast = stamp(86_400_000, 'b');
    expect(winnerOf(statusEntries({ 'status@a': { status: 'dispatched', _s: stamp(2000, 'a') }, 'status@b': { status: 'scheduled', _s: fast } }, { [fast]: 1500 }))).toBe('dispatched');
    expect(winnerOf(statusEntries({ 'status@a': { status: 'dispatched', _s: stamp(2000, 'a') }, 'status@b': { status: 'scheduled', _s: fast } }))).toBe('scheduled');
  });

  it('applies each row of the table whichever stamp is later', () => {
    const pair = (x: string, y: string) =>
      [winnerOf(statusEntries({ 'status@a': { status: x, _s: stamp(1000, 'a') }, 'status@b': { status: y, _s: stamp(2000, 'b') } })),
        winnerOf(statusEntries({ 'status@a': { status: x, _s: stamp(2000, 'a') }, 'status@b': { status: y, _s: stamp(1000, 'b') } }))];
    expect(pair('cancelled', 'en_route')).toEqual(['cancelled', 'cancelled']);
    expect(pair('cancelled', 'in_progress')).toEqual(['in_progress', 'in_progress']);
    expect(pair('completed', 'cancelled')).toEqual(['completed', 'completed']);
    expect(pair('unscheduled', 'en_route')).toEqual(['en_route', 'en_route']);
    expect(pair('dispatched', 'in_progress')).toEqual(['in_progress', 'in_progress']);
  });

  it('lets the office reassign beat a claim of the slot', () => {
    const { doc, map } = record({ 'slot@a': { slot: 'office', _s: stamp(1000, 'a') }, 'slot@t': { slot: 'claim', _o: 'claim', _s: stamp(2000, 't') } });
    const verdict = oracleWinner('slot', oracleEntries(doc, map).get('slot')!);
    expect(verdict.kind === 'winner' && verdict.winner.value.slot).toBe('office');
  });

  it('settles three writes the pairs would cycle on: a write a row makes lose is out, then the later stamp', () => {
    // The cancel beats the en route, the en route beats the later unassign, the unassign's later stamp would beat the cancel.
    const entries = statusEntries({
      'status@a': { status: 'cancelled', _s: stamp(1000, 'a') },
      'status@t': { status: 'en_route', _s: stamp(2000, 't') },
      'status@b': { status: 'unscheduled', _s: stamp(3000, 'b') },
    });
    expect(winnerOf(entries)).toBe('cancelled');
    // Field work beats the cancel, and it beats the unassign: it stands whatever the stamps.
    expect(
      winnerOf(statusEntries({
        'status@a': { status: 'cancelled', _s: stamp(3000, 'a') },
        'status@t': { status: 'in_progress', _s: stamp(1000, 't') },
        'status@b': { status: 'unscheduled', _s: stamp(2000, 'b') },
      })),
    ).toBe('in_progress');
  });

  it('ignores entries that are not stamped group entries', () => {
    expect(statusEntries({ status: { status: 'scheduled' }, 'status@a': { status: 'scheduled', _s: stamp(1, 'b') }, 'status@c': { status: 'x', _s: 'nope' } })).toEqual([]);
  });
});
