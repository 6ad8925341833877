import type { BookingDetails } from '../../../../core/api/contract.ts';
import type { Priority, Slot } from '../../../../core/model.ts';
import { toMs } from '../../../../core/time.ts';
import { fromLocalInput, isoOf, toLocalInput } from '../board/time-format.ts';

/** What the job panel's Details form edits: inputs as strings, arrival times in the organization's zone. */
export interface DetailsDraft {
  title: string;
  priority: Priority;
  notes: string;
  teamSize: string;
  laborHours: string;
  arrivalStart: string;
  arrivalEnd: string;
}

export function detailsDraftOf(d: BookingDetails, zone: string): DetailsDraft {
  const b = d.booking;
  return {
    title: b.title,
    priority: b.priority,
    notes: b.notes,
    teamSize: String(b.teamSize),
    laborHours: String(b.laborHours),
    arrivalStart: toLocalInput(b.arrivalWindow?.start, zone),
    arrivalEnd: toLocalInput(b.arrivalWindow?.end, zone),
  };
}

const numberOf = (text: string): number | null => {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) ? null : n;
};

/**
 * The edit as a patch of only what changed (so a colleague's concurrent edit of another field survives),
 * with the errors that can be said before sending, under the backend's own keys.
 */
export function detailsPatch(draft: DetailsDraft, saved: DetailsDraft, zone: string): { value: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const patch: Record<string, unknown> = {};
  if (draft.title !== saved.title) patch.title = draft.title;
  if (draft.priority !== saved.priority) patch.priority = draft.priority;
  if (draft.notes !== saved.notes) patch.notes = draft.notes;
  for (const key of ['teamSize', 'laborHours'] as const) {
    if (draft[key] === saved[key]) continue;
    const n = numberOf(draft[key]);
    if (n === null) errors[key] = 'Must be a number';
    else patch[key] = n;
  }
  if (draft.arrivalStart !== saved.arrivalStart || draft.arrivalEnd !== saved.arrivalEnd) {
    if (!draft.arrivalStart && !draft.arrivalEnd) patch.arrivalWindow = null;
    else if (!draft.arrivalStart) errors['arrivalWindow.start'] = 'Give a start, or clear both';
    else if (!draft.arrivalEnd) errors['arrivalWindow.end'] = 'Give an end, or clear both';
    else patch.arrivalWindow = { start: fromLocalInput(draft.arrivalStart, zone), end: fromLocalInput(draft.arrivalEnd, zone) };
  }
  return { value: patch, errors };
}

/** What the When form edits: start and end as datetime-local values in the organization's zone. */
export interface WhenDraft {
  start: string;
  end: string;
}

/**
 * The typed start and end as a slot for the job's team. A start alone is enough: the end follows the job's
 * usual length (`defaultDurationMs`). Errors are keyed `when.start` / `when.end`, the fields' paths.
 */
export function whenSlotOf(
  draft: WhenDraft,
  zone: string,
  defaultDurationMs: number,
  assignees: readonly string[],
): { value: Slot | null; errors: Record<string, string> } {
  const startAt = fromLocalInput(draft.start, zone);
  const endAt = draft.end ? fromLocalInput(draft.end, zone) : startAt && isoOf(toMs(startAt) + defaultDurationMs);
  const errors: Record<string, string> = {};
  if (!startAt) errors['when.start'] = 'Pick a date and time';
  if (draft.end && !endAt) errors['when.end'] = 'Pick a date and time';
  else if (startAt && endAt && toMs(endAt) <= toMs(startAt)) errors['when.end'] = 'Must be after the start';
  if (!startAt || !endAt || Object.keys(errors).length > 0) return { value: null, errors };
  return { value: { start: startAt, end: endAt, assignees: [...assignees] }, errors };
}
