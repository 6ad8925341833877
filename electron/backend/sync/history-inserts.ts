import type * as Y from 'yjs';
import { historyOf, scheduleMaps, type HistoryEntry } from '../../../core/index';

/**
 * Runs `fn` (which applies a sync message to the schedule document) and returns the booking history
 * entries it added, per booking id: a whole history for a booking new to this desktop, the appended
 * entries otherwise. Observers fire inside the transaction, so the caller can store the result in the
 * same store write.
 */
export function historyInsertsDuring(schedule: Y.Doc, fn: () => void): Map<string, HistoryEntry[]> {
  const history = scheduleMaps(schedule).history;
  const added = new Map<string, Map<string, HistoryEntry>>();
  const note = (bookingId: string, entries: readonly HistoryEntry[]) => {
    const known = added.get(bookingId) ?? new Map<string, HistoryEntry>();
    for (const entry of entries) known.set(entry.id, entry);
    added.set(bookingId, known);
  };
  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    for (const event of events) {
      if (event.target === history) {
        for (const [bookingId, change] of event.changes.keys) {
          if (change.action !== 'delete') note(bookingId, historyOf(history.get(bookingId)));
        }
        continue;
      }
      const bookingId = event.target._item?.parentSub;
      if (!bookingId) continue;
      for (const part of event.changes.delta) {
        if (Array.isArray(part.insert)) note(bookingId, part.insert as HistoryEntry[]);
      }
    }
  };
  history.observeDeep(observer);
  try {
    fn();
  } finally {
    history.unobserveDeep(observer);
  }
  return new Map([...added].map(([id, entries]) => [id, [...entries.values()]]));
}
