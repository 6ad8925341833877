/**
 * Marks for this workspace's writes that lost a conflict (core/doc/group-entries.ts `lostWrites`), found
 * while a sync message is applied, by live update or by a reconnect's handshake alike: a loser of ours is
 * marked when the entry that beats it arrives. The marks go to `offline_changes`, the board's and job
 * panel's existing marks, in the same store write. The stamps that arrive are taken into this
 * workspace's clock, so its next write is later than what it has seen. A clamp that arrives later can
 * turn a loss round: the mark of a write of ours that wins again is withdrawn.
 */
import * as Y from 'yjs';
import { instantOf } from '../../../core/clock';
import { recordsStampedWith, stampsClampedDuring, stampsOf } from '../../../core/doc/clamps';
import { BOOKING_GROUPS } from '../../../core/doc/groups';
import { entriesByGroup, lostWrites, parseGroupKey, resolveRecord, winningWritesOf } from '../../../core/doc/group-entries';
import { encodeStamp, type Stamp } from '../../../core/doc/hlc';
import { CONFLICT_LOST_ACTION, lostWriteSummary } from '../../../core/doc/lost-write-summary';
import { receiveStamps } from '../../../core/doc/replica-clock';
import { scheduleMaps, type HistoryEntry } from '../../../core/index';

const GROUPS = Object.keys(BOOKING_GROUPS);

export interface LostWriteMarks {
  /** Booking id -> the marks to add. */
  marks: Map<string, HistoryEntry[]>;
  /** Booking id -> the ids of marks to withdraw (a write of ours that wins now). */
  withdrawn: Map<string, string[]>;
}

/** The id of the mark of our entry `stamp` (stored form) of `group` that lost. */
export const lostWriteMarkId = (group: string, stamp: string): string => `lost-${group}-${stamp}`;

/** Runs `fn` (applying a sync message to the schedule) and returns the marks it calls for, per booking. */
export function lostWriteMarksDuring(schedule: Y.Doc, replica: string, fn: () => void): LostWriteMarks {
  const bookings = scheduleMaps(schedule).bookings;
  /** Booking id -> the group keys the message set in it. */
  const arrived = new Map<string, Set<string>>();
  const note = (bookingId: string, keys: Iterable<string>) => {
    const set = arrived.get(bookingId) ?? new Set<string>();
    for (const key of keys) if (parseGroupKey(key)) set.add(key);
    arrived.set(bookingId, set);
  };
  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    for (const event of events) {
      if (event.target === bookings) {
        for (const [id, change] of event.changes.keys) {
          const record = bookings.get(id);
          if (change.action !== 'delete' && record instanceof Y.Map) note(id, record.keys());
        }
      } else if (event.target.parent === bookings && event.target._item?.parentSub) {
        const added = [...event.changes.keys].filter(([, change]) => change.action !== 'delete').map(([key]) => key);
        note(event.target._item.parentSub, added);
      }
    }
  };
  bookings.observeDeep(observer);
  let allClamped = new Set<string>();
  try {
    allClamped = stampsClampedDuring(schedule, fn);
  } finally {
    bookings.unobserveDeep(observer);
  }
  const clamped = stampsOf(allClamped, replica);
  for (const id of recordsStampedWith(bookings, allClamped)) note(id, []);
  const marks = new Map<string, HistoryEntry[]>();
  const withdrawn = new Map<string, string[]>();
  const seen: Stamp[] = [];
  for (const [id, keys] of arrived) {
    const record = bookings.get(id);
    if (!(record instanceof Y.Map)) continue;
    for (const entries of entriesByGroup(record, (g) => GROUPS.includes(g)).values()) {
      for (const e of entries) if (keys.has(e.key) && e.replica !== '') seen.push(e.effective);
    }
    const resolved = resolveRecord(record, GROUPS);
    const winning = winningWritesOf(record, GROUPS, replica, resolved).map((w) => lostWriteMarkId(w.group, encodeStamp(w.entry.stamp)));
    if (winning.length > 0) withdrawn.set(id, winning);
    // Lost to an entry that came in this message, or to one already here once our own stamp was clamped.
    const ours = lostWrites(record, GROUPS, resolved).filter(
      (l) => l.loser.replica === replica && (keys.has(l.winner.key) || clamped.has(encodeStamp(l.loser.stamp))),
    );
    if (ours.length === 0) continue;
    marks.set(
      id,
      ours.map((l) => ({
        id: lostWriteMarkId(l.group, encodeStamp(l.loser.stamp)),
        at: instantOf(l.winner.effective.wall),
        by: { id: '', name: l.rule ? 'Conflict rule' : 'A later change' },
        action: CONFLICT_LOST_ACTION,
        summary: lostWriteSummary(l),
      })),
    );
  }
  if (seen.length > 0) receiveStamps(schedule, seen);
  return { marks, withdrawn };
}
