import {
  effectiveStatus,
  findConflicts,
  statusAfterSlotChange,
  toMs,
  type Booking,
  type BoardBooking,
  type Conflict,
  type Slot,
} from '../../../core/index';
import type { LocalStore } from '../store/local-store';

/** A saved booking as the board shows it with a staged slot applied (and the status that slot leads to). */
export function withStagedSlot(booking: Booking, slot: Slot | null): BoardBooking {
  const current = effectiveStatus(booking.status, booking.slot);
  const next = statusAfterSlotChange(current, slot);
  return { ...booking, slot, status: next.ok ? next.value : current, staged: true };
}

const saved = (b: Booking): BoardBooking => ({ ...b, staged: false });

const overlaps = (slot: Slot | null, fromMs: number, toMs_: number) =>
  slot !== null && toMs(slot.start) < toMs_ && toMs(slot.end) > fromMs;

/** Staged bookings by id, resolved against the saved ones; drafts for bookings that left the doc drop out. */
export function stagedBookings(store: LocalStore): Map<string, BoardBooking> {
  const out = new Map<string, BoardBooking>();
  for (const [id, slot] of store.drafts.list()) {
    const booking = store.queries.booking(id);
    if (booking) out.set(id, withStagedSlot(booking, slot));
  }
  return out;
}

/** What the board shows for [from, to): saved bookings overridden by staged ones, plus the conflicts. */
export function boardRange(store: LocalStore, fromMs: number, toMs_: number) {
  const staged = stagedBookings(store);
  const bookings: BoardBooking[] = store.queries
    .bookingsInRange(fromMs, toMs_)
    .filter((b) => !staged.has(b.id))
    .map(saved);
  for (const b of staged.values()) if (overlaps(b.slot, fromMs, toMs_)) bookings.push(b);
  return { bookings, conflicts: conflictsFor(store, bookings), stagedCount: staged.size };
}

/** The unassigned queue as it would be after Save. */
export function queue(store: LocalStore, text?: string): BoardBooking[] {
  const staged = stagedBookings(store);
  const open = (b: Booking) => b.status !== 'completed' && b.status !== 'cancelled';
  const list = store.queries.unassigned({ text }).filter((b) => !staged.has(b.id)).map(saved);
  const needle = text?.trim().toLowerCase();
  for (const b of staged.values()) {
    const unassigned = !b.slot || b.slot.assignees.length === 0;
    if (unassigned && open(b) && (!needle || b.title.toLowerCase().includes(needle))) list.push(b);
  }
  return list;
}

export function conflictsFor(store: LocalStore, bookings: readonly Booking[]): Record<string, Conflict[]> {
  const world = {
    settings: store.queries.settings(),
    providers: new Map(store.queries.providers().map((p) => [p.id, p])),
    services: new Map(store.queries.services().map((s) => [s.id, s])),
  };
  return Object.fromEntries(findConflicts(world, bookings));
}

/** The booking with everything around it that could conflict, judged with staged edits applied. */
export function conflictsOfOne(store: LocalStore, booking: BoardBooking): Conflict[] {
  if (!booking.slot) return conflictsFor(store, [booking])[booking.id] ?? [];
  const view = boardRange(store, toMs(booking.slot.start), toMs(booking.slot.end));
  const others = view.bookings.filter((b) => b.id !== booking.id);
  return conflictsFor(store, [...others, booking])[booking.id] ?? [];
}
