import type { Slot, Status } from './model';
import { fail, ok, type Result } from './result';

/**
 * The booking lifecycle (docs/design.md §3). `unscheduled` <-> `scheduled` follow from the slot (a date and at
 * least one technician); everything after `scheduled` is an explicit action by a dispatcher or technician.
 */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  unscheduled: ['scheduled', 'cancelled'],
  scheduled: ['unscheduled', 'dispatched', 'cancelled'],
  // A dispatched job that loses its date or every technician is recalled to the queue.
  dispatched: ['unscheduled', 'en_route', 'cancelled'],
  en_route: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const STATUS_LABELS: Record<Status, string> = {
  unscheduled: 'Unscheduled',
  scheduled: 'Scheduled',
  dispatched: 'Dispatched',
  en_route: 'En route',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const CLOSED_STATUSES: readonly Status[] = ['completed', 'cancelled'];
export const isClosed = (s: Status): boolean => CLOSED_STATUSES.includes(s);
/** Field statuses: the technician is working the job, so the office may no longer take it away. */
export const isInField = (s: Status): boolean => s === 'en_route' || s === 'in_progress';

export const isSlotComplete = (slot: Slot | null): slot is Slot => slot !== null && slot.assignees.length > 0;

const WHY_NOT: Partial<Record<Status, string>> = {
  dispatched: 'Only a Scheduled job (with a date and a technician) can be sent to a technician',
  en_route: 'A job must be Dispatched before the technician can be en route',
  in_progress: 'A technician checks in only after being en route',
  completed: 'A technician checks out only from In progress',
  scheduled: 'Only an Unscheduled job becomes Scheduled, by giving it a date and a technician',
  unscheduled: 'Only a Scheduled or Dispatched job can return to the queue',
  cancelled: 'Completed or cancelled jobs cannot be cancelled',
};

export function checkTransition(from: Status, to: Status): Result<void> {
  if (from === to) {
    return fail('illegal_transition', `The job is already ${STATUS_LABELS[to]}`, { details: { from, to } });
  }
  if (TRANSITIONS[from].includes(to)) return ok(undefined);
  const reason = isClosed(from)
    ? `The job is ${STATUS_LABELS[from]} and can no longer change`
    : (WHY_NOT[to] ?? 'Not allowed');
  return fail('illegal_transition', `Cannot go from ${STATUS_LABELS[from]} to ${STATUS_LABELS[to]}: ${reason}`, {
    details: { from, to },
  });
}

/**
 * What the job's status is, given its slot. Concurrent offline edits can merge a "sent to tech" with an
 * "unassign" from another desktop; every replica derives the same answer from the merged document.
 */
export function effectiveStatus(stored: Status, slot: Slot | null): Status {
  const complete = isSlotComplete(slot);
  if (!complete && (stored === 'scheduled' || stored === 'dispatched')) return 'unscheduled';
  if (complete && stored === 'unscheduled') return 'scheduled';
  return stored;
}

/** The status a planning edit of the slot leads to, or an error when the job may not be re-planned. */
export function statusAfterSlotChange(current: Status, next: Slot | null): Result<Status> {
  if (isClosed(current)) {
    return fail('illegal_transition', `The job is ${STATUS_LABELS[current]} and can no longer be rescheduled`, {
      details: { from: current },
    });
  }
  const complete = isSlotComplete(next);
  if (isInField(current)) {
    return complete
      ? ok(current)
      : fail('illegal_transition', `The job is ${STATUS_LABELS[current]}: it needs a date and at least one technician`, {
          details: { from: current },
        });
  }
  if (!complete) return ok('unscheduled');
  return ok(current === 'unscheduled' ? 'scheduled' : current);
}
