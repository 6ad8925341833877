/**
 * Marks for this workspace's roster-record writes (providers, customers, services) that lost a conflict,
 * found while a sync message is applied to the roster, live or in a reconnect's handshake: a loser of ours
 * is marked when the entry that beats it arrives, like the jobs' marks (`lost-write-marks.ts`). The stamps
 * that arrive are taken into this workspace's clock, so its next write is later than what it has seen. A
 * clamp that arrives later can turn a loss round: the mark of a write of ours that wins again is withdrawn.
 */
import * as Y from 'yjs';
import { instantOf } from '../../../core/clock';
import { recordsStampedWith, stampsClampedDuring, stampsOf } from '../../../core/doc/clamps';
import { entriesByGroup, lostWrites, parseGroupKey, resolveRecord, winningWritesOf } from '../../../core/doc/group-entries';
import { encodeStamp, type Stamp } from '../../../core/doc/hlc';
import { receiveStamps } from '../../../core/doc/replica-clock';
import { rosterMaps } from '../../../core/doc/roster';
import {
  ROSTER_GROUPS,
  ROSTER_RECORD_KINDS,
  rosterLostWriteSides,
  rosterLostWriteText,
  type RosterRecordKind,
} from '../../../core/doc/roster-lost-writes';

export interface RosterMark {
  kind: RosterRecordKind;
  id: string;
  marks: Array<{ entryId: string; at: string; summary: string }>;
  /** Ids of marks to withdraw: writes of ours that win now. */
  withdrawn: string[];
}

const markId = (kind: RosterRecordKind, id: string, group: string, stamp: string) => `lost-${kind}-${id}-${group}-${stamp}`;

/** Runs `fn` (applying a sync message to the roster) and returns the marks it calls for, per record. */
export function rosterLostWriteMarksDuring(roster: Y.Doc, replica: string, fn: () => void): RosterMark[] {
  const maps = rosterMaps(roster);
  /** `<kind>/<id>` -> the group keys the message set in that record. */
  const arrived = new Map<string, { kind: RosterRecordKind; id: string; keys: Set<string> }>();
  const note = (kind: RosterRecordKind, id: string, keys: Iterable<string>) => {
    const at = `${kind}/${id}`;
    const seen = arrived.get(at) ?? { kind, id, keys: new Set<string>() };
    for (const key of keys) if (parseGroupKey(key)) seen.keys.add(key);
    arrived.set(at, seen);
  };
  const observers = ROSTER_RECORD_KINDS.map((kind) => {
    const records = maps[kind];
    const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
      for (const event of events) {
        if (event.target === records) {
          for (const [id, change] of event.changes.keys) {
            const record = records.get(id);
            if (change.action !== 'delete' && record instanceof Y.Map) note(kind, id, record.keys());
          }
        } else if (event.target.parent === records && event.target._item?.parentSub) {
          const added = [...event.changes.keys].filter(([, change]) => change.action !== 'delete').map(([key]) => key);
          note(kind, event.target._item.parentSub, added);
        }
      }
    };
    records.observeDeep(observer);
    return () => records.unobserveDeep(observer);
  });
  let allClamped = new Set<string>();
  try {
    allClamped = stampsClampedDuring(roster, fn);
  } finally {
    for (const off of observers) off();
  }
  const clamped = stampsOf(allClamped, replica);
  for (const kind of ROSTER_RECORD_KINDS) for (const id of recordsStampedWith(maps[kind], allClamped)) note(kind, id, []);
  const out: RosterMark[] = [];
  const seen: Stamp[] = [];
  for (const { kind, id, keys } of arrived.values()) {
    const record = maps[kind].get(id);
    if (!(record instanceof Y.Map)) continue;
    const groups = ROSTER_GROUPS[kind];
    for (const entries of entriesByGroup(record, (g) => groups.includes(g)).values()) {
      for (const e of entries) if (keys.has(e.key) && e.replica !== '') seen.push(e.effective);
    }
    const resolved = resolveRecord(record, groups);
    const withdrawn = winningWritesOf(record, groups, replica, resolved).map((w) => markId(kind, id, w.group, encodeStamp(w.entry.stamp)));
    // Lost to an entry that came in this message, or to one already here once our own stamp was clamped.
    const ours = lostWrites(record, groups, resolved).filter(
      (l) => l.loser.replica === replica && (keys.has(l.winner.key) || clamped.has(encodeStamp(l.loser.stamp))),
    );
    if (ours.length === 0 && withdrawn.length === 0) continue;
    out.push({
      kind,
      id,
      withdrawn,
      marks: ours.map((l) => ({
        entryId: markId(kind, id, l.group, encodeStamp(l.loser.stamp)),
        at: instantOf(l.winner.effective.wall),
        summary: rosterLostWriteText(rosterLostWriteSides(kind, l)),
      })),
    });
  }
  if (seen.length > 0) receiveStamps(roster, seen);
  return out;
}
