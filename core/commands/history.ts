import * as Y from 'yjs';
import { listText } from '../format';
import { localDateOf, localTimeOf, toMs } from '../time';
import type { HistoryEntry, HistoryTimes, MoveLink, Slot } from '../model';
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
  times?: HistoryTimes,
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
  // Only when the summary really holds the text: a display replaces exactly that part (else shows the text).
  if (times && summary.includes(times.text)) entry.times = times;
  log.push([entry]);
  return entry.id;
}

export function providerNames(ctx: CommandContext, ids: readonly string[]): string {
  return ids.length === 0 ? 'nobody' : listText(ids.map((id) => getProvider(ctx.roster, id)?.name ?? 'unknown provider'));
}

/**
 * "2026-11-24 09:00–11:00 with Ana Silva, Bo Chen" in the organization's zone: the text history keeps for
 * readers that do not know `times` (older desktops, exports); displays use `slotTimes`' facts instead.
 */
export function describeSlot(ctx: CommandContext, slot: Slot | null): string {
  if (!slot) return 'no date';
  const zone = readSettings(ctx.roster).timeZone;
  const start = toMs(slot.start);
  const end = toMs(slot.end);
  return `${localDateOf(start, zone)} ${localTimeOf(start, zone)}–${localTimeOf(end, zone)} with ${providerNames(ctx, slot.assignees)}`;
}

/** The facts behind `describeSlot`'s text, for `appendHistory` (no date: nothing to format later). */
export function slotTimes(ctx: CommandContext, slot: Slot | null): HistoryTimes | undefined {
  if (!slot) return undefined;
  const names = slot.assignees.map((id) => getProvider(ctx.roster, id)?.name ?? 'unknown provider');
  return { text: describeSlot(ctx, slot), start: slot.start, end: slot.end, with: names };
}

/** "2026-11-24 13:00–14:00" in the organization's zone, with its facts: times without a team. */
export function rangeTimes(ctx: CommandContext, range: { start: string; end: string }): HistoryTimes {
  const zone = readSettings(ctx.roster).timeZone;
  const [start, end] = [toMs(range.start), toMs(range.end)];
  return { text: `${localDateOf(start, zone)} ${localTimeOf(start, zone)}–${localTimeOf(end, zone)}`, start: range.start, end: range.end };
}
