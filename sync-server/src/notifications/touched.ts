/**
 * What a schedule transaction touched, for the worker's next pass: the bookings to compare again and
 * whether notification requests changed. A pass compares only these (a year of bookings is not read for
 * one edit), so anything that can change a booking as read must name it here.
 */
import type * as Y from 'yjs';
import { recordsStampedWith, stampsClampedIn } from '../../../core/doc/clamps';
import { scheduleMaps } from '../../../core/doc/schedule';

export interface Touched {
  bookings: Set<string>;
  requests: boolean;
}

/** Adds what `tr` touched to `into` (a booking record is a map in `bookings`). */
export function noteTouched(tr: Y.Transaction, into: Touched): void {
  const { bookings, notificationRequests } = scheduleMaps(tr.doc);
  for (const [type, keys] of tr.changed) {
    const changedType: unknown = type;
    if (changedType === bookings) {
      for (const key of keys) if (key !== null) into.bookings.add(key);
    } else if (changedType === notificationRequests) into.requests = true;
    else if (type._item?.parent === bookings && type._item.parentSub) into.bookings.add(type._item.parentSub);
  }
  // A clamp changes no booking but can change which entry of one wins (core/doc/clamps.ts).
  for (const id of recordsStampedWith(bookings, stampsClampedIn(tr))) into.bookings.add(id);
}
