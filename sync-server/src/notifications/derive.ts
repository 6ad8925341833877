/**
 * What changed -> who hears about it (pure). The worker keeps, per booking, the state it last saw
 * (`SeenBooking`, a projection in notifications' tables); comparing the schedule document with it gives the
 * transitions, and each Save notification request is read once. Every event carries a key derived from the
 * request or transition that caused it, so seeing the same document state twice derives the same keys.
 */
import type { NotificationRequest } from '../../../core/doc/schedule';
import type { Booking, Status } from '../../../core/model';
import { effectiveStatus } from '../../../core/status';
import { saveAudience, SENT_STATUSES } from '../../../core/notifications/save-audience';
import { toMs } from '../../../core/time';
import type { EventKind, NotifyEvent, RecipientRef } from './types';

/** The fields notifications depend on, as last seen; `version` counts the changes seen. */
export interface SeenBooking {
  status: Status;
  start: string | null;
  end: string | null;
  assignees: string[];
  dispatchedAt: string | null;
  address: string;
  arrival: string | null;
  version: number;
}

/** Statuses in which the assigned technicians have been sent the job, so later changes concern them. */
const TOLD = SENT_STATUSES;

export function seenOf(booking: Booking, version = 0): SeenBooking {
  return {
    status: effectiveStatus(booking.status, booking.slot),
    start: booking.slot?.start ?? null,
    end: booking.slot?.end ?? null,
    assignees: [...(booking.slot?.assignees ?? [])],
    dispatchedAt: booking.dispatched?.at ?? null,
    address: booking.location.address,
    arrival: booking.arrivalWindow ? `${booking.arrivalWindow.start}/${booking.arrivalWindow.end}` : null,
    version,
  };
}

export function sameSeen(a: SeenBooking, b: SeenBooking): boolean {
  return (
    a.status === b.status &&
    a.start === b.start &&
    a.end === b.end &&
    a.dispatchedAt === b.dispatchedAt &&
    a.address === b.address &&
    a.arrival === b.arrival &&
    a.assignees.length === b.assignees.length &&
    a.assignees.every((id, i) => id === b.assignees[i])
  );
}

/** The projection row after seeing `booking`: the version moves only when something it tracks changed. */
export function nextSeen(booking: Booking, prev: SeenBooking | undefined): SeenBooking {
  const next = seenOf(booking, prev?.version ?? 0);
  if (prev && !sameSeen(prev, next)) next.version = prev.version + 1;
  return next;
}

export interface DeriveContext {
  nowMs: number;
  /** Requests and stamps older than this when first seen are recorded but not sent (an old workspace uploaded). */
  staleAfterMs: number;
  /** The action of the history entry that wrote a booking's slot (`save`, `move`, `claim`, ...). */
  moveAction(bookingId: string, moveId: string): string | undefined;
}

const provider = (id: string): RecipientRef => ({ kind: 'provider', id });


/** A job whose end has passed is not worth a message. */
function isOver(end: string | null, ctx: DeriveContext): boolean {
  if (end === null) return false;
  try {
    return toMs(end) <= ctx.nowMs;
  } catch {
    return false;
  }
}

/** Technician self-dispatch: the slot and the dispatch stamp come from a claim, so the claimer knows. */
function wasClaimed(booking: Booking, ctx: DeriveContext): boolean {
  return booking.slotMove !== null && ctx.moveAction(booking.id, booking.slotMove.id) === 'claim';
}

/**
 * Events from comparing a booking with what was last seen of it:
 * - Send to Tech (a new dispatch stamp): every assignee is sent the job;
 * - on a job already sent: technicians added or removed (reassignment), time, arrival window or place
 *   changed, cancelled or recalled to the queue. A slot written by a Save leaves technicians it adds to its
 *   notification request (or the dispatcher's choice not to notify), but those who had been sent the job
 *   and are taken off it or see it moved are always told;
 * - en route: the customer hears that their technician is on the way.
 * A booking seen for the first time has no "before": a dispatch or en-route it carries counts as news when
 * the server sees it (it may come from a desktop that was offline for days: ages are the server's, never the
 * desktop's stamp), unless the job is already over — then it is logged as skipped with that reason, never
 * dropped silently.
 */
export function transitionEvents(booking: Booking, prev: SeenBooking | undefined, ctx: DeriveContext): { events: NotifyEvent[]; skips: RequestSkip[] } {
  const cur = seenOf(booking);
  const events: NotifyEvent[] = [];
  const skips: RequestSkip[] = [];
  const push = (key: string, kind: EventKind, recipient: RecipientRef, before?: NotifyEvent['before']) =>
    events.push({ key, kind, bookingId: booking.id, recipient, ...(before !== undefined ? { before } : {}) });
  const skip = (key: string, kind: EventKind, recipient: RecipientRef, reason: string) =>
    skips.push({ event: { key, kind, bookingId: booking.id, recipient }, reason });
  const id = booking.id;

  const newDispatch =
    cur.dispatchedAt !== null && cur.dispatchedAt !== (prev?.dispatchedAt ?? null) && TOLD.includes(cur.status);
  if (newDispatch && !wasClaimed(booking, ctx)) {
    const key = `dispatch:${id}:${cur.dispatchedAt}`;
    if (!isOver(cur.end, ctx)) for (const p of cur.assignees) push(key, 'dispatched', provider(p));
    else if (!prev) for (const p of cur.assignees) skip(key, 'dispatched', provider(p), OVER_WHEN_FIRST_SEEN);
  }

  if (prev && !newDispatch && TOLD.includes(prev.status)) {
    const version = `${id}:v${prev.version + 1}`;
    // A technician on the way or on site is running late, not done: past its planned end the job is still
    // theirs, so a cancel or being taken off it is told to them.
    const inField = prev.status === 'en_route' || prev.status === 'in_progress';
    if (cur.status === 'cancelled') {
      const key = `cancel:${id}:${booking.statusChanged?.at ?? version}`;
      if (inField || !isOver(prev.end, ctx)) for (const p of prev.assignees) push(key, 'cancelled', provider(p));
      else for (const p of prev.assignees) skip(key, 'cancelled', provider(p), OVER_WHEN_CHANGED);
    } else if (TOLD.includes(cur.status) || cur.status === 'unscheduled') {
      const removed = prev.assignees.filter((p) => !cur.assignees.includes(p));
      const added = cur.assignees.filter((p) => !prev.assignees.includes(p));
      const stayed = cur.assignees.filter((p) => prev.assignees.includes(p));
      const timeChanged = cur.start !== prev.start || cur.end !== prev.end;
      const slotChanged = timeChanged || removed.length > 0 || added.length > 0;
      const bySave = booking.slotMove !== null && ctx.moveAction(id, booking.slotMove.id) === 'save';
      // Where the job was, so the message can say what changed ("Was: 09:00–11:00").
      const before = prev.start !== null && prev.end !== null ? { start: prev.start, end: prev.end, assignees: [...prev.assignees] } : null;
      if (slotChanged) {
        const key = booking.slotMove ? `move:${booking.slotMove.id}` : `edit:${version}`;
        // A Save's choice not to notify stands for technicians it adds, never for those already sent the job
        // (maybe on their way): a move or a reassignment away is told to them whatever the Save chose
        // (`toldWhateverChosen`, which the Save preview lists). When the Save notifies too, both land in
        // the same batch and read as one message.
        if (inField || !isOver(prev.end, ctx)) for (const p of removed) push(key, 'unassigned', provider(p), before);
        else for (const p of removed) skip(key, 'unassigned', provider(p), OVER_WHEN_CHANGED);
        if (!isOver(cur.end, ctx)) {
          if (!bySave) for (const p of added) push(key, 'assigned', provider(p), before);
          if (timeChanged) for (const p of stayed) push(key, 'updated', provider(p), before);
        }
      }
      // An arrival window a Save moved with its job is part of that Save (told, or not, with it).
      const arrivalChanged = cur.arrival !== prev.arrival && !(bySave && timeChanged);
      const placeChanged = cur.address !== prev.address || arrivalChanged;
      if (placeChanged && !isOver(cur.end, ctx)) {
        for (const p of stayed) push(`edit:${version}`, 'updated', provider(p));
      }
    }
  }

  const enRoute = cur.status === 'en_route' && prev?.status !== 'en_route';
  if (enRoute && booking.customerId) {
    const key = `enroute:${id}:${booking.statusChanged?.at ?? 'now'}`;
    const customer = { kind: 'customer' as const, id: booking.customerId };
    if (prev || !isOver(cur.end, ctx)) push(key, 'on_the_way', customer);
    else skip(key, 'on_the_way', customer, OVER_WHEN_FIRST_SEEN);
  }
  return { events, skips };
}

const OVER_WHEN_CHANGED = 'Not sent: the job was already over when the change reached the server';
const OVER_WHEN_FIRST_SEEN = 'Not sent: the job was already over when the server first saw it (a desktop that was offline synced it late)';

/** A recipient-less log entry ("nobody to tell", "job no longer in the schedule"). */
export const NOBODY: RecipientRef = { kind: 'provider', id: '' };

/** What a Save request could not send, and why: logged as `skipped` on the job's notification log. */
export interface RequestSkip {
  event: NotifyEvent;
  reason: string;
}

export interface RequestContext extends DeriveContext {
  /** When the server first saw the request (the worker's store): ages are measured from it, not the desktop's clock. */
  receivedAtMs: number;
  /** The request reached the server in the workspace's first upload: it was saved before the workspace synced. */
  beforeLink: boolean;
}

/**
 * A Save's notification request. Who is told is `saveAudience` (core/notifications/save-audience.ts), the
 * same function the desktop's Save preview calls, from the slot before and after the Save as the request
 * records it (older requests: the worker's projection before this pass, and the job now). Every recipient
 * ends either as an event (sent, or skipped later for want of a channel or address) or as a skip with its
 * reason: job over or gone, saved before the workspace synced, nobody to tell, or too old when received.
 */
export function requestOutcome(
  request: NotificationRequest,
  bookingOf: (id: string) => Booking | undefined,
  prevOf: (id: string) => SeenBooking | undefined,
  ctx: RequestContext,
): { events: NotifyEvent[]; skips: RequestSkip[] } {
  const events: NotifyEvent[] = [];
  const skips: RequestSkip[] = [];
  const key = `req:${request.id}`;
  const recorded = new Map((request.changes ?? []).map((c) => [c.id, c]));
  const stale = ctx.nowMs - ctx.receivedAtMs > ctx.staleAfterMs;
  for (const bookingId of new Set(request.bookingIds)) {
    const booking = bookingOf(bookingId);
    const prev = prevOf(bookingId);
    const change = recorded.get(bookingId);
    const before = change ? change.before : prev && prev.start !== null && prev.end !== null ? { start: prev.start, end: prev.end, assignees: prev.assignees } : null;
    const after = change ? change.after : (booking?.slot ?? null);
    const audience = saveAudience({
      before,
      after,
      customerId: booking?.customerId ?? null,
      notifyProviders: request.notifyProviders,
      notifyCustomers: request.notifyCustomers,
    });
    const skipAll = (reason: string) => {
      if (audience.length === 0) skips.push({ event: { key, kind: 'updated', bookingId, recipient: NOBODY }, reason });
      for (const n of audience) skips.push({ event: { key, kind: n.kind, bookingId, recipient: n.recipient }, reason });
    };
    if (!booking) {
      skipAll('Not sent: the job is no longer in the schedule (archived or deleted) when the server received this Save');
      continue;
    }
    if (audience.length === 0) {
      skipAll(
        request.notifyProviders && !request.notifyCustomers
          ? 'Not sent: nobody to tell — the job has no technicians, before or after this Save'
          : 'Not sent: nobody to tell — no technicians were chosen or on the job, and the job has no customer',
      );
      continue;
    }
    if (ctx.beforeLink) {
      skipAll('Not sent: saved before this workspace synced with the server; nobody had been told then, and old news is not sent');
      continue;
    }
    const end = booking.slot?.end ?? after?.end ?? prev?.end ?? null;
    if (isOver(end, ctx)) {
      skipAll('Not sent: the job was already over when the server received this Save');
      continue;
    }
    if (stale) {
      skipAll('Not sent: the server received this Save too long ago');
      continue;
    }
    const cancelled = effectiveStatus(booking.status, booking.slot) === 'cancelled';
    for (const n of audience) {
      const kind = cancelled && n.recipient.kind === 'provider' && n.kind !== 'unassigned' ? 'cancelled' : n.kind;
      events.push({ key, kind, bookingId, recipient: n.recipient, before: before ? { start: before.start, end: before.end, assignees: [...before.assignees] } : null });
    }
  }
  return { events, skips };
}
