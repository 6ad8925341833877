import type { CardBooking } from '../../../../core/api/contract.ts';
import { lateNote, nextJobsAfterLate, type LateReport } from '../../../../core/assistant/running-late.ts';
import type { Customer, Provider } from '../../../../core/model.ts';
import { toMs } from '../../../../core/time.ts';
import type { BoardStore } from './board-store.ts';
import { fmtTimeRange } from './time-format.ts';

/**
 * What the late marker opens (LateJobs.tsx): the late job with its report, and the technician's next
 * jobs of that day, each offered to the schedule assistant's "Suggest a technician" panel. Pure, from
 * the bookings the board shows.
 */

export interface LateJobItem {
  id: string;
  title: string;
  time: string;
  customer: string;
}

export interface LateJobsOffer {
  providerId: string;
  providerName: string;
  note: string;
  late: LateJobItem;
  next: LateJobItem[];
}

interface OfferContext {
  zone: string;
  customers: ReadonlyMap<string, Customer>;
  providers: ReadonlyMap<string, Provider>;
}

const itemOf = (b: CardBooking, ctx: OfferContext): LateJobItem => ({
  id: b.id,
  title: b.title,
  time: b.slot ? fmtTimeRange(toMs(b.slot.start), toMs(b.slot.end), ctx.zone) : '',
  customer: b.customerId ? (ctx.customers.get(b.customerId)?.name ?? '') : '',
});

/** Null when the late job is no longer on the board or no longer late (the marker was stale). */
export function lateJobsOffer(bookings: readonly CardBooking[], providerId: string, lateId: string, ctx: OfferContext): LateJobsOffer | null {
  const late = bookings.find((b) => b.id === lateId);
  const note = late ? lateNote(late) : null;
  if (!late || !note) return null;
  return {
    providerId,
    providerName: ctx.providers.get(providerId)?.name ?? 'This technician',
    note,
    late: itemOf(late, ctx),
    next: nextJobsAfterLate(bookings, providerId, lateId, ctx.zone).map((b) => itemOf(b, ctx)),
  };
}

/** The list's button: the assistant's suggest panel for that job (its result is a staged edit, as always). */
export function suggestInstead(store: Pick<BoardStore, 'openAssistant'>, bookingId: string): void {
  store.openAssistant({ kind: 'suggest', bookingId });
}

/** The report as the row resource's extended prop: a string, so "unchanged" is a plain comparison. */
export const lateProp = (report: LateReport | undefined): string => (report ? JSON.stringify([report.bookingId, report.note, report.count]) : '');

export function readLateProp(prop: unknown): LateReport | null {
  if (typeof prop !== 'string' || prop === '') return null;
  const [bookingId, note, count] = JSON.parse(prop) as [string, string, number];
  return { providerId: '', bookingId, note, count };
}
