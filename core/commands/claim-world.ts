import type * as Y from 'yjs';
import type { ConflictWorld } from '../conflicts';
import { readableRecord, recordEntries } from '../doc/records';
import { conflictWorldOf } from '../doc/roster';
import { readBooking, scheduleMaps } from '../doc/schedule';
import { providerLoad, type ProviderLoad } from '../field/claim-rules';
import type { Booking } from '../model';
import type { CommandContext } from './define';

/**
 * What `claimJob` judges a claim against, read from the documents: the organization's conflict world and
 * the claiming provider's own bookings. Only the slot group is peeked at for the rest, so a claim costs
 * one pass over the ids, not a full read of every booking (10k bookings: a few ms).
 */
export function claimWorld(ctx: CommandContext, providerId: string): { world: ConflictWorld; load: ProviderLoad } {
  const world = conflictWorldOf(ctx.roster);
  const map = scheduleMaps(ctx.schedule).bookings;
  const mine: Booking[] = [];
  for (const [id, record] of recordEntries(map)) {
    if (!mayHold(record, providerId)) continue;
    // Passed over like every other reader does with a record that fails its schema.
    if (!readableRecord('bookings', map, id)) continue;
    const booking = readBooking(id, record);
    if (booking.slot?.assignees.includes(providerId)) mine.push(booking);
  }
  return { world, load: providerLoad(world, providerId, mine) };
}

/** Whether any entry of the record's slot group (`group-entries.ts`) names the provider: a cheap first pass. */
function mayHold(record: Y.Map<unknown>, providerId: string): boolean {
  for (const [key, value] of record.entries()) {
    if (key !== 'slot' && !key.startsWith('slot@')) continue;
    const assignees = (value as { slot?: { assignees?: unknown } } | null)?.slot?.assignees;
    if (Array.isArray(assignees) && assignees.includes(providerId)) return true;
  }
  return false;
}
