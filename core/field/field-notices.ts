/**
 * What the technician's phone page says about jobs taken from them (pure): cancelled, taken off them, or
 * moved after they had been sent it. Built from what the notification worker told them (its log, so the
 * page and their email/SMS/chat agree, and a technician with no channel at all still learns it) and the
 * job as it is now. Only what a technician may see: the job's title and times, never who took it over.
 */
import type { Booking, Settings } from '../model';
import { formatterFor } from '../format';
import { effectiveStatus } from '../status';
import { fromMs, toMs } from '../time';

/** One thing the worker told (or tried to tell) a technician about one job. */
export interface ToldItem {
  /** Stable across reloads: the log row and the job. */
  id: string;
  bookingId: string;
  kinds: readonly string[];
  /** The job's slot before the change, when the worker knew it. */
  before?: { start: string; end: string } | null;
  atMs: number;
}

export type FieldNoticeKind = 'cancelled' | 'removed' | 'moved';

export interface FieldNotice {
  id: string;
  bookingId: string;
  kind: FieldNoticeKind;
  title: string;
  /** One sentence in the organization's clock. */
  message: string;
  at: string;
}

/**
 * The notices for one technician, newest first, one per job (its latest news): a job cancelled, a job they
 * are no longer on, or a job of theirs that moved. News that no longer holds (put back on the job, moved
 * back, job gone from the schedule) is left out.
 */
export function fieldNotices(
  told: readonly ToldItem[],
  bookingOf: (id: string) => Booking | undefined,
  providerId: string,
  settings: Pick<Settings, 'timeZone' | 'timeFormat'>,
): FieldNotice[] {
  const fmt = formatterFor(settings);
  const when = (start: string, end: string) => {
    const s = toMs(start);
    return `${fmt.dayWithYear(s)}, ${fmt.timeRange(s, toMs(end))} ${fmt.zoneAbbreviation(s)}`;
  };
  const notices: FieldNotice[] = [];
  const done = new Set<string>();
  for (const item of [...told].sort((a, b) => b.atMs - a.atMs)) {
    if (done.has(item.bookingId)) continue;
    done.add(item.bookingId);
    const booking = bookingOf(item.bookingId);
    if (!booking) continue;
    const mine = booking.slot?.assignees.includes(providerId) ?? false;
    const base = { id: item.id, bookingId: booking.id, title: booking.title, at: fromMs(item.atMs) };
    if (item.kinds.includes('cancelled') && effectiveStatus(booking.status, booking.slot) === 'cancelled') {
      notices.push({ ...base, kind: 'cancelled', message: 'Cancelled by the office. Do not go.' });
    } else if (item.kinds.includes('unassigned') && !mine) {
      notices.push({ ...base, kind: 'removed', message: 'You are no longer on this job. Do not go.' });
    } else if (item.kinds.includes('updated') && mine && booking.slot && item.before) {
      const { start, end } = booking.slot;
      if (item.before.start === start && item.before.end === end) continue;
      notices.push({ ...base, kind: 'moved', message: `Moved to ${when(start, end)} (was ${when(item.before.start, item.before.end)}).` });
    }
  }
  return notices;
}
