/**
 * Who a Save with "notify" tells, and what (pure, docs/design.md §8). The desktop's Save preview (`draft:preview`)
 * and the sync server's notification worker (`sync-server/src/notifications/derive.ts`) both call this with
 * the job's slot before and after the Save, so the preview lists exactly who the worker will message; what
 * the worker then cannot send (job over, no channel, no address, ...) it logs as skipped, with the reason.
 */
import type { ArrivalWindow, Slot, Status } from '../model';
import { toMs } from '../time';

/** The slot fields a Save changes, as recorded in its notification request. */
export interface SlotState {
  start: string;
  end: string;
  assignees: readonly string[];
}

/**
 * - `assigned`: a technician newly on the job ("New job for you");
 * - `updated`: a technician who was on it and stays ("Job changed", with what changed);
 * - `unassigned`: a technician the Save took off it ("Removed from job");
 * - `scheduled`: the customer (their appointment, with the new time after a move).
 */
export type SaveNoticeKind = 'assigned' | 'updated' | 'unassigned' | 'scheduled';
export type SaveChange = 'time' | 'team';

export interface SaveNotice {
  recipient: { kind: 'provider' | 'customer'; id: string };
  kind: SaveNoticeKind;
}

export interface SaveAudienceInput {
  before: SlotState | null;
  after: SlotState | null;
  customerId: string | null;
  notifyProviders: boolean;
  notifyCustomers: boolean;
}

/** What a Save changed about a job's slot: its time and/or its team. */
export function saveChanges(before: SlotState | null, after: SlotState | null): SaveChange[] {
  const changes: SaveChange[] = [];
  if ((before?.start ?? null) !== (after?.start ?? null) || (before?.end ?? null) !== (after?.end ?? null)) changes.push('time');
  const a = new Set(before?.assignees ?? []);
  const b = new Set(after?.assignees ?? []);
  if (a.size !== b.size || [...a].some((id) => !b.has(id))) changes.push('team');
  return changes;
}

/** Everyone a Save tells about one job: technicians on it after the Save, those it took off, the customer. */
export function saveAudience({ before, after, customerId, notifyProviders, notifyCustomers }: SaveAudienceInput): SaveNotice[] {
  const notices: SaveNotice[] = [];
  if (notifyProviders) {
    const was = new Set(before?.assignees ?? []);
    const now = new Set(after?.assignees ?? []);
    // In the order the board shows them: those on the job before, then those the Save added.
    for (const id of new Set([...was, ...now])) {
      notices.push({ recipient: { kind: 'provider', id }, kind: !now.has(id) ? 'unassigned' : was.has(id) ? 'updated' : 'assigned' });
    }
  }
  if (notifyCustomers && customerId) notices.push({ recipient: { kind: 'customer', id: customerId }, kind: 'scheduled' });
  return notices;
}

/** Statuses in which the job's technicians have been sent it (and may be on their way or at work). */
export const SENT_STATUSES: readonly Status[] = ['dispatched', 'en_route', 'in_progress'];

/**
 * Technicians who are told of a Save whatever it chose: those who had been sent the job (its status before
 * the Save is one of `SENT_STATUSES`) and are taken off it, or stay on it while it moves. The worker tells
 * them from the change itself (`transitionEvents`), so it holds with "notify" off, and with no request.
 */
export function toldWhateverChosen(status: Status, before: SlotState | null, after: SlotState | null): SaveNotice[] {
  if (!SENT_STATUSES.includes(status) || !before) return [];
  const now = new Set(after?.assignees ?? []);
  const moved = saveChanges(before, after).includes('time') && after !== null;
  return before.assignees
    .filter((id) => !now.has(id) || moved)
    .map((id) => ({ recipient: { kind: 'provider' as const, id }, kind: now.has(id) ? ('updated' as const) : ('unassigned' as const) }));
}

/** What the Save preview lists for one job: its audience, and the technicians told whatever was chosen. */
export function saveNotices(input: SaveAudienceInput & { status: Status }): SaveNotice[] {
  const notices = saveAudience(input);
  const listed = new Set(notices.map((n) => `${n.recipient.kind}:${n.recipient.id}`));
  for (const n of toldWhateverChosen(input.status, input.before, input.after)) if (!listed.has(`provider:${n.recipient.id}`)) notices.push(n);
  return notices;
}

/** Whether a job starting at `slot.start` arrives within the customer's arrival window (as core/conflicts.ts). */
export function arrivalWindowFits(window: ArrivalWindow | null, slot: Pick<Slot, 'start'> | null): boolean {
  if (!window || !slot) return true;
  try {
    const start = toMs(slot.start);
    return start >= toMs(window.start) && start <= toMs(window.end);
  } catch {
    return true;
  }
}

