import { breaksWith, reasonsOf } from '../assistant/hard-rules';
import { personSpan, type Conflict, type ConflictWorld } from '../conflicts';
import type { Booking } from '../model';

/**
 * Self-dispatch obeys the schedule's hard rules (issue #19 §6): a technician may take an open job only
 * when the one conflict engine would find nothing new wrong with it once it is theirs alone — skills,
 * working hours, time off, double-booking, team size (a two-person job claimed by one is understaffed).
 * The `claimJob` command refuses such a claim and the available list marks the job, with the same
 * sentences the board shows the dispatcher.
 *
 * "New" because the claim is judged for what it changes: a problem the job already has with nobody on it
 * (a slot that misses its arrival window) is the office's to fix, and refusing every technician for it
 * would only hide the job.
 */

/** One provider's bookings with the span each occupies them, for a quick overlap test. */
export interface ProviderLoad {
  providerId: string;
  items: ReadonlyArray<{ booking: Booking; start: number; end: number }>;
}

/** Index one provider's bookings once; a list of 200 offers is then judged without re-reading the rest. */
export function providerLoad(world: ConflictWorld, providerId: string, bookings: Iterable<Booking>): ProviderLoad {
  const items: Array<{ booking: Booking; start: number; end: number }> = [];
  for (const booking of bookings) {
    if (!booking.slot?.assignees.includes(providerId)) continue;
    const span = personSpan(booking, world.settings.autoResize)!;
    items.push({ booking, start: span.start, end: span.end });
  }
  return { providerId, items };
}

/** The conflicts `load.providerId` taking `booking` alone would bring; empty: the claim breaks no rule. */
export function claimBreaks(world: ConflictWorld, load: ProviderLoad, booking: Booking): Conflict[] {
  if (!booking.slot) return [];
  const slot = { ...booking.slot, assignees: [load.providerId] };
  const span = personSpan({ ...booking, slot }, world.settings.autoResize)!;
  // Only bookings overlapping the claimed span can change the verdict (double-booking); the other rules
  // are about the provider and the job alone.
  const neighbours = load.items.filter((i) => i.booking.id !== booking.id && i.start < span.end && i.end > span.start).map((i) => i.booking);
  const after = breaksWith(world, neighbours, booking, slot);
  if (after.length === 0) return after;
  const before = new Set(breaksWith(world, [], booking, booking.slot).map((c) => `${c.kind}|${c.message}`));
  return after.filter((c) => !before.has(`${c.kind}|${c.message}`));
}

/** Why `load.providerId` cannot claim `booking`, one sentence per rule; empty: they can. */
export const claimRefusals = (world: ConflictWorld, load: ProviderLoad, booking: Booking): string[] =>
  reasonsOf(claimBreaks(world, load, booking));

/** The refusal's headline: what the technician reads first (the reasons follow in the answer). */
export const claimRefusalMessage = (reasons: readonly string[]): string => `You cannot take this job: ${reasons.join('; ')}`;
