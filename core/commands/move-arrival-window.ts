import type * as Y from 'yjs';
import { writeGroups } from '../doc/records';
import { BOOKING_GROUPS } from '../doc/schedule';
import type { ArrivalWindow } from '../model';
import type { CommandContext } from './define';
import { appendHistory, rangeTimes } from './history';

/**
 * A Save's "move the arrival window with it" (core/notifications/arrival-window-move.ts decides the window):
 * written in the Save's own transaction, after its slot, with its own history line, so the job panel, the
 * board's arrival-window check and the customer's message all read the window the customer is now told.
 */
export function moveArrivalWindowWrite(ctx: CommandContext, record: Y.Map<unknown>, bookingId: string, window: ArrivalWindow): () => void {
  return () => {
    writeGroups(record, BOOKING_GROUPS, { arrivalWindow: window });
    const times = rangeTimes(ctx, window);
    appendHistory(ctx, bookingId, 'edit', `Arrival window moved with the job: ${times.text}`, undefined, times);
  };
}
