import {
  isClosed,
  ok,
  type Result,
  findConflicts,
  findConflictsOf,
  slotOverlaps,
  toMs,
  withStagedSlot,
  type Booking,
  cardBooking,
  type BoardBooking,
  type BoardDelta,
  type BoardView,
  type Conflict,
  type ConflictWorld,
} from '../../../core/index';
import type { LocalStore } from '../store/local-store';

/** What the board's views read: the read tables and the staged edits (never the documents). */
export type BoardTables = Pick<LocalStore, 'queries' | 'drafts'>;

const saved = (b: Booking): BoardBooking => ({ ...b, staged: false });

/** A range in epoch ms; its limits (end after start, at most MAX_RANGE_DAYS) are the contract's range schema's. */
export function checkRange({ from, to }: { from: string; to: string }): Result<{ from: number; to: number }> {
  return ok({ from: toMs(from), to: toMs(to) });
}

/** Staged bookings by id, resolved against the saved ones; drafts for bookings that left the doc drop out. */
export function stagedBookings(store: BoardTables): Map<string, BoardBooking> {
  const out = new Map<string, BoardBooking>();
  for (const [id, slot] of store.drafts.list()) {
    const booking = store.queries.booking(id);
    if (booking) out.set(id, withStagedSlot(booking, slot));
  }
  return out;
}

/** The bookings overlapping [from, to) as the board shows them: saved ones overridden by staged ones. */
function rangeBookings(store: BoardTables, staged: ReadonlyMap<string, BoardBooking>, fromMs: number, toMs_: number): BoardBooking[] {
  const bookings: BoardBooking[] = store.queries
    .bookingsInRange(fromMs, toMs_)
    .filter((b) => !staged.has(b.id))
    .map(saved);
  for (const b of staged.values()) if (slotOverlaps(b.slot, fromMs, toMs_)) bookings.push(b);
  return bookings;
}

/** What the board shows for [from, to), with the conflicts judged as after Save. */
export function boardRange(store: BoardTables, fromMs: number, toMs_: number): BoardView {
  const staged = stagedBookings(store);
  const bookings = rangeBookings(store, staged, fromMs, toMs_);
  return { bookings: bookings.map(cardBooking), conflicts: conflictsFor(store, bookings), stagedCount: staged.size };
}

/** The unassigned queue as it would be after Save. */
export function queue(store: BoardTables, text?: string): BoardBooking[] {
  const staged = stagedBookings(store);
  const list = store.queries.unassigned().filter((b) => !staged.has(b.id)).map(saved);
  for (const b of staged.values()) {
    if ((!b.slot || b.slot.assignees.length === 0) && !isClosed(b.status)) list.push(b);
  }
  return store.queries.matchingText(list, text);
}

export function conflictWorld(store: BoardTables): ConflictWorld {
  return {
    settings: store.queries.settings(),
    providers: new Map(store.queries.providers().map((p) => [p.id, p])),
    services: new Map(store.queries.services().map((s) => [s.id, s])),
  };
}

export function conflictsFor(store: BoardTables, bookings: readonly Booking[]): Record<string, Conflict[]> {
  return Object.fromEntries(findConflicts(conflictWorld(store), bookings));
}

/** The booking with everything around it that could conflict, judged with staged edits applied. */
export function conflictsOfOne(store: BoardTables, booking: BoardBooking): Conflict[] {
  const neighbours = booking.slot
    ? rangeBookings(store, stagedBookings(store), toMs(booking.slot.start), toMs(booking.slot.end))
    : [];
  return findConflictsOf(conflictWorld(store), [booking], neighbours).get(booking.id) ?? [];
}

/** One row's bookings overlapping [from, to), staged edits applied (the same set `boardRange` holds for it). */
function rowBookings(store: BoardTables, staged: ReadonlyMap<string, BoardBooking>, providerId: string, fromMs: number, toMs_: number): BoardBooking[] {
  const out = store.queries
    .providerBookings(providerId, fromMs, toMs_)
    .filter((b) => !staged.has(b.id))
    .map(saved);
  for (const b of staged.values()) if (b.slot?.assignees.includes(providerId) && slotOverlaps(b.slot, fromMs, toMs_)) out.push(b);
  return out;
}

/**
 * What an edit of `ids` changed in [from, to): those bookings as they are now and every booking on a row
 * they left or joined (`rowsBefore`: their assignees before the edit), each with its conflicts judged as
 * `boardRange(from, to)` would judge it. Conflicts of any other booking cannot have changed: a verdict
 * depends only on the booking itself and the bookings sharing a row with it.
 *
 * `scope: 'edited'` answers the edited bookings alone (still judged against their rows), for an edit that
 * moves nothing: Save commits what the board already showed and judged, so only the saved bookings'
 * staged mark changes (at 200 × 10k the rows' bookings were ~1,000 cards and 200 KB per Save of 20).
 */
export function boardDelta(
  store: BoardTables,
  ids: readonly string[],
  rowsBefore: Iterable<string>,
  fromMs: number,
  toMs_: number,
  scope: 'rows' | 'edited' = 'rows',
): BoardDelta {
  const staged = stagedBookings(store);
  const current = (id: string): BoardBooking | undefined => {
    const s = staged.get(id);
    if (s) return s;
    const b = store.queries.booking(id);
    return b ? saved(b) : undefined;
  };
  const edited = ids.map(current).filter((b): b is BoardBooking => b !== undefined);
  const rows = new Set(rowsBefore);
  for (const b of edited) for (const p of b.slot?.assignees ?? []) rows.add(p);
  const byRow = new Map<string, BoardBooking[]>();
  const row = (p: string) => {
    let list = byRow.get(p);
    if (!list) byRow.set(p, (list = rowBookings(store, staged, p, fromMs, toMs_)));
    return list;
  };
  const subset = new Map<string, BoardBooking>();
  if (scope === 'rows') for (const p of rows) for (const b of row(p)) subset.set(b.id, b);
  const gone: string[] = [];
  for (const b of edited) {
    if (slotOverlaps(b.slot, fromMs, toMs_)) subset.set(b.id, b);
    else gone.push(b.id);
  }
  // Team jobs on these rows are judged with their other rows too.
  const neighbours = new Map(subset);
  for (const b of subset.values()) for (const p of b.slot?.assignees ?? []) for (const n of row(p)) neighbours.set(n.id, n);
  const bookings = [...subset.values()];
  const conflicts = Object.fromEntries(findConflictsOf(conflictWorld(store), bookings, [...neighbours.values()]));
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs_).toISOString(),
    bookings: bookings.map(cardBooking),
    conflicts,
    gone,
    stagedCount: staged.size,
  };
}
