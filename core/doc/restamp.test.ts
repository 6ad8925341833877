import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { entriesByGroup } from './group-entries';
import { BOOKING_GROUPS } from './groups';
import { compareStamps, encodeStamp, Hlc } from './hlc';
import { attachReplicaClock } from './replica-clock';
import { restampGroups } from './restamp';

const stamp = (wall: number, r: string) => encodeStamp({ wall, n: 0, r });

/** A booking record: a conflict in `slot` (a's later), a claim's `arrival`, one `notes` entry, a broken `status`. */
function record(now: number) {
  const doc = new Y.Doc();
  attachReplicaClock(doc, { hlc: new Hlc('me'), now: () => now });
  const rec = new Y.Map<unknown>();
  doc.getMap('bookings').set('job', rec);
  doc.transact(() => {
    rec.set('slot@a', { slot: { start: 'A' }, _s: stamp(2000, 'a') });
    rec.set('arrival@b', { arrivalWindow: null, _s: stamp(1000, 'b'), _o: 'claim' });
    rec.set('slot@b', { slot: { start: 'B' }, _s: stamp(1000, 'b') });
    rec.set('notes@b', { notes: 'n', _s: stamp(1000, 'b') });
    rec.set('status@c', { status: 'scheduled', _s: 'not a stamp' });
  });
  return rec;
}

describe('restampGroups', () => {
  it('re-writes each named group as this replica’s one entry, stamped now, with the value readers saw', () => {
    const rec = record(5000);
    restampGroups(rec, BOOKING_GROUPS, ['slot', 'arrival', 'status', 'nope']);
    const entries = entriesByGroup(rec, () => true);
    const slot = entries.get('slot')!;
    expect(slot.map((e) => [e.key, e.stamp.wall, e.before.wall])).toEqual([['slot@me', 5000, 2000]]);
    expect(slot[0]!.value).toEqual({ slot: { start: 'A' }, _s: encodeStamp(slot[0]!.stamp), _b: stamp(2000, 'a') });
    // The command kind goes with the value: a restored claim is judged as a claim.
    expect(entries.get('arrival')!.map((e) => [e.key, e.value._o])).toEqual([['arrival@me', 'claim']]);
    // Not named: untouched. No readable entry: nothing to keep, left as it is (not a group of the spec: ignored).
    expect(rec.get('notes@b')).toMatchObject({ _s: stamp(1000, 'b') });
    expect(rec.has('status@c')).toBe(true);
    expect(rec.has('nope@me')).toBe(false);
  });

  it('stamps later than every entry it replaces, even one ahead of this clock', () => {
    const rec = record(1500);
    restampGroups(rec, BOOKING_GROUPS, ['slot', 'notes']);
    const entries = entriesByGroup(rec, () => true);
    for (const group of ['slot', 'notes']) {
      const list = entries.get(group)!;
      expect(list.map((e) => e.replica)).toEqual(['me']);
      expect(compareStamps(list[0]!.stamp, { wall: 2000, n: 0, r: 'a' })).toBe(1);
    }
  });
});
