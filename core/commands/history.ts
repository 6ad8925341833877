import * as Y from 'yjs';
import { localDateOf, localTimeOf, toMs } from '../time';
import type { HistoryEntry, MoveLink, Slot } from '../model';
import { getProvider, readSettings } from '../doc/roster';
import { scheduleMaps } from '../doc/schedule';
import type { CommandContext } from './define';

/**
 * Appends to a booking's history inside the caller's transaction; entries are never edited or removed.
 * Returns the entry's id.
 */
export function appendHistory(
  ctx: CommandContext,
  bookingId: string,
  action: string,
  summary: string,
  move?: MoveLink,
): string {
  const { history } = scheduleMaps(ctx.schedule);
  let log = history.get(bookingId);
  // Anything but a log under this key (see `recordOf`) is replaced, so the entry is never lost.
  if (!(log instanceof Y.Array)) {
    log = new Y.Array<HistoryEntry>();
    history.set(bookingId, log);
  }
  const entry: HistoryEntry = { id: ctx.newId(), at: ctx.now(), by: { id: ctx.actor.id, name: ctx.actor.name }, action, summary };
  if (move) entry.move = move;
  log.push([entry]);
  return entry.id;
}

export function providerNames(ctx: CommandContext, ids: readonly string[]): string {
  return ids.map((id) => getProvider(ctx.roster, id)?.name ?? 'unknown provider').join(', ') || 'nobody';
}

/** "Tue 2026-11-24 09:00–11:00 with Ana Silva, Bo Chen" in the organization's zone. */
export function describeSlot(ctx: CommandContext, slot: Slot | null): string {
  if (!slot) return 'no date';
  const zone = readSettings(ctx.roster).timeZone;
  const start = toMs(slot.start);
  const end = toMs(slot.end);
  return `${localDateOf(start, zone)} ${localTimeOf(start, zone)}–${localTimeOf(end, zone)} with ${providerNames(ctx, slot.assignees)}`;
}
