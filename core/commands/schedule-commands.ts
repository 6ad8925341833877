import * as Y from 'yjs';
import { z } from 'zod';
import {
  bookingFieldsSchema,
  idSchema,
  instantSchema,
  localDateSchema,
  MAX_BOOKING_MS,
  slotSchema,
  type Booking,
  type BookingFields,
  type HistoryEntry,
  type Slot,
  type Status,
} from '../model';
import { newRecord, recordOf, writeGroups } from '../doc/records';
import { getCustomer, getProvider, getService, readSettings } from '../doc/roster';
import { BOOKING_GROUPS, listBookings, readBooking, readHistory, scheduleMaps, type NotificationRequest } from '../doc/schedule';
import { nextMoveLink } from '../moves';
import { sameSlot } from '../slots';
import { checkTransition, effectiveStatus, isClosed, isSlotComplete, statusAfterSlotChange, STATUS_LABELS } from '../status';
import { fail, fieldError, notFound, ok, type Result } from '../result';
import { dayBoundsMs, fromMs, HOUR_MS, localDateOf, MINUTE_MS, toMs } from '../time';
import { outsideAvailableWindow } from '../field/claim-window';
import { claimRefusalMessage, claimRefusals } from '../field/claim-rules';
import { claimWorld } from './claim-world';
import { ADMIN, defineCommand, FIELD, OFFICE, type CommandContext } from './define';
import { appendHistory, describeSlot, providerNames, slotTimes } from './history';
import { windowMovedWith } from '../notifications/arrival-window-move';
import { fieldList } from '../field-labels';
import { moveArrivalWindowWrite } from './move-arrival-window';

interface Found {
  record: Y.Map<unknown>;
  booking: Booking;
  /** The status after merge rules (see `effectiveStatus`): what transitions are checked against. */
  status: Status;
}

/** The refusal for a booking id with no live booking: archived (read-only), or none at all. */
export function missingBooking(id: string, archived: boolean, field = 'id'): Result<never> {
  return archived ? fail('conflict', 'This booking is archived and read-only', { fieldErrors: { [field]: 'Archived' } }) : notFound(field, 'Booking', id);
}

function findBooking(ctx: CommandContext, id: string, field = 'id'): Result<Found> {
  const record = recordOf(scheduleMaps(ctx.schedule).bookings, id);
  if (!record) return missingBooking(id, scheduleMaps(ctx.schedule).archived.has(id), field);
  const booking = readBooking(id, record);
  return ok({ record, booking, status: effectiveStatus(booking.status, booking.slot) });
}

function checkProvidersExist(ctx: Pick<CommandContext, 'roster'>, ids: readonly string[], field: string): Result<void> {
  for (const id of ids) if (!getProvider(ctx.roster, id)) return notFound(field, 'Service provider', id);
  return ok(undefined);
}

/**
 * What a new slot must pass on a booking whose effective status is `status`: a valid slot, known
 * technicians, a status that allows the move. Returns the status the move leads to. Plain data only, so
 * the board's staging runs the same checks from the read tables, before the schedule document is loaded.
 */
export function checkSlotChange(ctx: Pick<CommandContext, 'roster'>, status: Status, next: Slot | null): Result<Status> {
  const parsed = next ? slotSchema.safeParse(next) : null;
  if (parsed && !parsed.success) return fieldError('slot', parsed.error.issues[0]?.message ?? 'Invalid slot');
  const known = checkProvidersExist(ctx, next?.assignees ?? [], 'slot.assignees');
  if (!known.ok) return known;
  return statusAfterSlotChange(status, next);
}

const stamp = (ctx: CommandContext) => ({ at: ctx.now(), by: { id: ctx.actor.id, name: ctx.actor.name } });

function writeStatus(ctx: CommandContext, record: Y.Map<unknown>, status: Status, note = '') {
  writeGroups(record, BOOKING_GROUPS, { status, statusChanged: stamp(ctx), statusNote: note });
}

/** Every planning edit (assign, reassign, move, resize, team, unassign, Save) funnels through here. */
function planSlotChange(
  ctx: CommandContext,
  found: Found,
  next: Slot | null,
  action: string,
  summary: string,
): Result<() => void> {
  const status = checkSlotChange(ctx, found.status, next);
  if (!status.ok) return status;
  return ok(() => {
    writeSlot(ctx, found, next, action, summary);
    if (status.value !== found.booking.status) writeStatus(ctx, found.record, status.value);
  });
}

/** Writes a slot together with the move that made it (core/moves.ts), so a merge can name the moves it dropped. */
function writeSlot(ctx: CommandContext, found: Found, slot: Slot | null, action: string, summary: string, extra = {}) {
  const link = nextMoveLink(found.booking, readHistory(ctx.schedule, found.booking.id));
  const moveId = appendHistory(ctx, found.booking.id, action, summary, link, slotTimes(ctx, slot));
  // A claim is marked so the conflict rules can tell it from the office's own planning (`conflict-rules.ts`).
  writeGroups(found.record, BOOKING_GROUPS, { ...extra, slot, slotMove: { id: moveId } }, action === 'claim' ? 'claim' : undefined);
}

function planSlotCommand(
  ctx: CommandContext,
  id: string,
  makeSlot: (found: Found) => Result<{ slot: Slot | null; action: string; summary: string }>,
): Result<() => void> {
  const found = findBooking(ctx, id);
  if (!found.ok) return found;
  const change = makeSlot(found.value);
  if (!change.ok) return change;
  return planSlotChange(ctx, found.value, change.value.slot, change.value.action, change.value.summary);
}

const durationMs = (slot: Slot) => toMs(slot.end) - toMs(slot.start);

/** A start/end the user gave: checked here so the error names their field, not the derived `slot`. */
function checkSpan(start: string, end: string, field = 'end'): Result<void> {
  const ms = toMs(end) - toMs(start);
  if (ms <= 0) return fieldError(field, 'End must be after start');
  if (ms > MAX_BOOKING_MS) return fieldError(field, 'A booking can last at most 7 days');
  return ok(undefined);
}

function defaultDurationMs(ctx: CommandContext, booking: Pick<Booking, 'serviceId' | 'laborHours' | 'teamSize'>) {
  const service = booking.serviceId ? getService(ctx.roster, booking.serviceId) : undefined;
  if (service) return service.durationMinutes * MINUTE_MS;
  return Math.min(MAX_BOOKING_MS, Math.max(0.25, booking.laborHours / booking.teamSize) * HOUR_MS);
}

const slotInput = slotSchema.nullable();
const bookingPatch = bookingFieldsSchema.partial();

export const scheduleCommands = {
  createBooking: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: bookingPatch.extend({
      title: bookingFieldsSchema.shape.title,
      slot: slotSchema.nullable().default(null),
    }),
    plan(ctx, { slot, ...input }) {
      const customer = input.customerId ? getCustomer(ctx.roster, input.customerId) : undefined;
      if (input.customerId && !customer) return notFound('customerId', 'Customer', input.customerId);
      const service = input.serviceId ? getService(ctx.roster, input.serviceId) : undefined;
      if (input.serviceId && !service) return notFound('serviceId', 'Service', input.serviceId);
      const known = checkProvidersExist(ctx, slot?.assignees ?? [], 'slot.assignees');
      if (!known.ok) return known;
      const fields: BookingFields = {
        customerId: null,
        serviceId: null,
        priority: 'normal',
        teamSize: service?.teamSize ?? 1,
        laborHours: service?.laborHours ?? 1,
        location: { address: customer?.address ?? '', coordinates: customer?.coordinates ?? null },
        arrivalWindow: null,
        notes: '',
        ...input,
      };
      const id = ctx.newId();
      const status: Status = isSlotComplete(slot) ? 'scheduled' : 'unscheduled';
      return ok(() => {
        newRecord(scheduleMaps(ctx.schedule).bookings, id, BOOKING_GROUPS, {
          ...fields,
          slot,
          status,
          statusChanged: stamp(ctx),
          statusNote: '',
          dispatched: null,
          created: stamp(ctx),
        });
        scheduleMaps(ctx.schedule).history.set(id, new Y.Array<HistoryEntry>());
        appendHistory(ctx, id, 'create', `Created as ${STATUS_LABELS[status]} (${describeSlot(ctx, slot)})`, undefined, slotTimes(ctx, slot));
        return { id };
      });
    },
  }),

  updateBooking: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: bookingPatch.extend({ id: idSchema }),
    plan(ctx, { id, ...patch }) {
      const found = findBooking(ctx, id);
      if (!found.ok) return found;
      const changed = Object.keys(patch) as (keyof BookingFields)[];
      if (isClosed(found.value.status) && changed.some((k) => k !== 'notes')) {
        return fail('illegal_transition', `The job is ${STATUS_LABELS[found.value.status]}: only its notes can change`);
      }
      if (patch.customerId && !getCustomer(ctx.roster, patch.customerId)) {
        return notFound('customerId', 'Customer', patch.customerId);
      }
      if (patch.serviceId && !getService(ctx.roster, patch.serviceId)) {
        return notFound('serviceId', 'Service', patch.serviceId);
      }
      return ok(() => {
        writeGroups(found.value.record, BOOKING_GROUPS, patch);
        appendHistory(ctx, id, 'edit', `Edited ${fieldList(changed)}`);
      });
    },
  }),

  /** The board's one primitive: a drop, resize or team change is a whole new slot. */
  setSlot: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, slot: slotInput }),
    plan: (ctx, { id, slot }) =>
      planSlotCommand(ctx, id, () => ok({ slot, action: 'reschedule', summary: `Scheduled ${describeSlot(ctx, slot)}` })),
  }),

  assignProvider: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, providerId: idSchema, start: instantSchema.optional(), end: instantSchema.optional() }),
    plan: (ctx, { id, providerId, start, end }) =>
      planSlotCommand(ctx, id, ({ booking }) => {
        if (booking.slot?.assignees.includes(providerId)) {
          return fail('conflict', `${providerNames(ctx, [providerId])} is already assigned`, {
            fieldErrors: { providerId: 'Already assigned' },
          });
        }
        if (!getProvider(ctx.roster, providerId)) return notFound('providerId', 'Service provider', providerId);
        const from = start ?? booking.slot?.start;
        if (!from) return fieldError('start', 'Pick a start time: this job has no date yet');
        const to =
          end ?? (booking.slot && !start ? booking.slot.end : fromMs(toMs(from) + (booking.slot ? durationMs(booking.slot) : defaultDurationMs(ctx, booking))));
        const span = checkSpan(from, to);
        if (!span.ok) return span;
        const slot = { start: from, end: to, assignees: [...(booking.slot?.assignees ?? []), providerId] };
        return ok({ slot, action: 'assign', summary: `Assigned ${providerNames(ctx, [providerId])}: ${describeSlot(ctx, slot)}` });
      }),
  }),

  reassignProvider: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, fromProviderId: idSchema, toProviderId: idSchema }),
    plan: (ctx, { id, fromProviderId, toProviderId }) =>
      planSlotCommand(ctx, id, ({ booking }) => {
        const slot = booking.slot;
        if (!slot?.assignees.includes(fromProviderId)) {
          return fieldError('fromProviderId', `${providerNames(ctx, [fromProviderId])} is not assigned to this job`);
        }
        if (slot.assignees.includes(toProviderId)) {
          return fieldError('toProviderId', `${providerNames(ctx, [toProviderId])} is already assigned to this job`);
        }
        if (!getProvider(ctx.roster, toProviderId)) return notFound('toProviderId', 'Service provider', toProviderId);
        const next = { ...slot, assignees: slot.assignees.map((a) => (a === fromProviderId ? toProviderId : a)) };
        return ok({
          slot: next,
          action: 'reassign',
          summary: `Reassigned from ${providerNames(ctx, [fromProviderId])} to ${providerNames(ctx, [toProviderId])}`,
        });
      }),
  }),

  unassignProvider: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, providerId: idSchema.optional() }),
    plan: (ctx, { id, providerId }) =>
      planSlotCommand(ctx, id, ({ booking }) => {
        const slot = booking.slot;
        if (!slot || slot.assignees.length === 0) return fail('conflict', 'Nobody is assigned to this job');
        if (providerId && !slot.assignees.includes(providerId)) {
          return fieldError('providerId', `${providerNames(ctx, [providerId])} is not assigned to this job`);
        }
        const removed = providerId ? [providerId] : slot.assignees;
        const next = { ...slot, assignees: slot.assignees.filter((a) => !removed.includes(a)) };
        return ok({ slot: next, action: 'unassign', summary: `Unassigned ${providerNames(ctx, removed)}` });
      }),
  }),

  /** Back to the queue with no date at all. */
  unscheduleBooking: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema }),
    plan: (ctx, { id }) =>
      planSlotCommand(ctx, id, ({ booking }) =>
        booking.slot ? ok({ slot: null, action: 'unschedule', summary: 'Removed date and technicians' }) : fail('conflict', 'This job has no date'),
      ),
  }),

  moveBooking: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, start: instantSchema }),
    plan: (ctx, { id, start }) =>
      planSlotCommand(ctx, id, ({ booking }) => {
        if (!booking.slot) return fieldError('start', 'This job has no date yet: assign it instead');
        const slot = { ...booking.slot, start, end: fromMs(toMs(start) + durationMs(booking.slot)) };
        return ok({ slot, action: 'move', summary: `Moved to ${describeSlot(ctx, slot)}` });
      }),
  }),

  resizeBooking: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, start: instantSchema.optional(), end: instantSchema }),
    plan: (ctx, { id, start, end }) =>
      planSlotCommand(ctx, id, ({ booking }) => {
        if (!booking.slot) return fieldError('end', 'This job has no date yet');
        const slot = { ...booking.slot, start: start ?? booking.slot.start, end };
        const span = checkSpan(slot.start, slot.end);
        if (!span.ok) return span;
        return ok({ slot, action: 'resize', summary: `Resized to ${describeSlot(ctx, slot)}` });
      }),
  }),

  setTeam: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, assignees: slotSchema.shape.assignees }),
    plan: (ctx, { id, assignees }) =>
      planSlotCommand(ctx, id, ({ booking }) => {
        if (!booking.slot) return fieldError('assignees', 'Give the job a date before assigning a team');
        const known = checkProvidersExist(ctx, assignees, 'assignees');
        if (!known.ok) return known;
        const slot = { ...booking.slot, assignees };
        return ok({ slot, action: 'team', summary: `Team set to ${providerNames(ctx, assignees)}` });
      }),
  }),

  sendToTech: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema }),
    plan(ctx, { id }) {
      const found = findBooking(ctx, id);
      if (!found.ok) return found;
      const write = planSend(ctx, found.value);
      if (!write.ok) return write;
      return ok(() => write.value());
    },
  }),

  /** Bulk send: every Scheduled job starting on that local day (optionally for some providers). */
  sendDayToTech: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ date: localDateSchema, providerIds: z.array(idSchema).optional() }),
    plan(ctx, { date, providerIds }) {
      const [dayStart, dayEnd] = dayBoundsMs(date, readSettings(ctx.roster).timeZone);
      const writes: Array<() => void> = [];
      const sent: string[] = [];
      for (const [id, record] of scheduleMaps(ctx.schedule).bookings) {
        const booking = readBooking(id, record);
        const status = effectiveStatus(booking.status, booking.slot);
        if (status !== 'scheduled' || !booking.slot) continue;
        const start = toMs(booking.slot.start);
        if (start < dayStart || start >= dayEnd) continue;
        if (providerIds && !booking.slot.assignees.some((a) => providerIds.includes(a))) continue;
        const write = planSend(ctx, { record, booking, status });
        if (write.ok) {
          writes.push(write.value);
          sent.push(id);
        }
      }
      return ok(() => {
        for (const write of writes) write();
        return { sent };
      });
    },
  }),

  updateStatus: defineCommand({
    doc: 'schedule',
    roles: FIELD,
    input: z.object({
      id: idSchema,
      status: z.enum(['en_route', 'in_progress', 'completed']),
      note: z.string().trim().max(1000, 'At most 1000 characters').default(''),
    }),
    plan(ctx, { id, status, note }) {
      const found = findBooking(ctx, id);
      if (!found.ok) return found;
      const own = ownJobCheck(ctx, found.value.booking);
      if (!own.ok) return own;
      const legal = checkTransition(found.value.status, status);
      if (!legal.ok) return legal;
      const labels = { en_route: 'En route', in_progress: 'Checked in', completed: 'Checked out' } as const;
      return ok(() => {
        writeStatus(ctx, found.value.record, status, note);
        appendHistory(ctx, id, status, `${labels[status]}${note ? `: ${note}` : ''}`);
      });
    },
  }),

  reportRunningLate: defineCommand({
    doc: 'schedule',
    roles: FIELD,
    input: z.object({ id: idSchema, note: z.string().trim().min(1, 'Say how late, e.g. "20 min, traffic"').max(1000) }),
    plan(ctx, { id, note }) {
      const found = findBooking(ctx, id);
      if (!found.ok) return found;
      const own = ownJobCheck(ctx, found.value.booking);
      if (!own.ok) return own;
      if (isClosed(found.value.status)) return fail('illegal_transition', `The job is ${STATUS_LABELS[found.value.status]}`);
      return ok(() => {
        writeGroups(found.value.record, BOOKING_GROUPS, { statusNote: `Running late: ${note}` });
        appendHistory(ctx, id, 'running_late', `Running late: ${note}`);
      });
    },
  }),

  cancelBooking: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, reason: z.string().trim().min(1, 'Say why the job is cancelled').max(500) }),
    plan(ctx, { id, reason }) {
      const found = findBooking(ctx, id);
      if (!found.ok) return found;
      const legal = checkTransition(found.value.status, 'cancelled');
      if (!legal.ok) return legal;
      return ok(() => {
        writeStatus(ctx, found.value.record, 'cancelled', reason);
        appendHistory(ctx, id, 'cancel', `Cancelled: ${reason}`);
      });
    },
  }),

  /** Technician self-dispatch: scheduled + assigned + dispatched in one step (docs/design.md §3). */
  claimJob: defineCommand({
    doc: 'schedule',
    roles: ['technician'],
    input: z.object({ id: idSchema }),
    plan(ctx, { id }) {
      const settings = readSettings(ctx.roster);
      if (!settings.selfDispatch) return fail('forbidden', 'Self-dispatch is turned off for this organization');
      const providerId = ctx.actor.providerId;
      if (!providerId || !getProvider(ctx.roster, providerId)) return fail('forbidden', 'Your account is not linked to a service provider');
      const found = findBooking(ctx, id);
      if (!found.ok) return found;
      const { booking, record, status } = found.value;
      if (!isAvailable(booking, status)) {
        return fail('conflict', booking.slot?.assignees.length ? 'Someone else already took this job' : 'This job is not available to claim');
      }
      // The same window the available list shows, by the clock of whoever runs the command (the server).
      const zone = settings.timeZone;
      const outside = outsideAvailableWindow(toMs(booking.slot!.start), localDateOf(toMs(ctx.now()), zone), zone);
      if (outside) return fail('conflict', outside);
      // The hard rules, judged in this same synchronous plan + write, so a valid claim still wins the race.
      const { world, load } = claimWorld(ctx, providerId);
      const reasons = claimRefusals(world, load, booking);
      if (reasons.length > 0) return fail('conflict', claimRefusalMessage(reasons), { details: { reasons } });
      const slot = { ...booking.slot!, assignees: [providerId] };
      return ok(() => {
        writeSlot(ctx, found.value, slot, 'claim', `Claimed by ${ctx.actor.name}`, { dispatched: stamp(ctx) });
        writeStatus(ctx, record, 'dispatched');
      });
    },
  }),

  /**
   * Save of the board's staged changes: all of them or none, as one action, plus one notification request
   * with a unique id so the worker sends it once however many times the update is seen.
   */
  saveChanges: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({
      changes: z.array(z.object({ id: idSchema, slot: slotInput })).min(1, 'Nothing to save').max(500, 'At most 500 changes at once'),
      notifyProviders: z.boolean(),
      notifyCustomers: z.boolean(),
      /** Saved in a workspace not linked to a server yet: nobody could be told then (see NotificationRequest). */
      beforeLink: z.boolean().optional(),
      /** Each moved job whose new start leaves its arrival window takes the window along (`windowMovedWith`). */
      moveArrivalWindows: z.boolean().optional(),
    }),
    plan(ctx, { changes, notifyProviders, notifyCustomers, beforeLink, moveArrivalWindows }) {
      if (new Set(changes.map((c) => c.id)).size !== changes.length) return fieldError('changes', 'Each booking can appear only once');
      const writes: Array<() => void> = [];
      // A change that leaves the job where it is (a technician added, then removed) is no change: it is
      // not written, and nobody is told about it.
      const ids: string[] = [];
      const slotChanges: NonNullable<NotificationRequest['changes']> = [];
      for (const [index, change] of changes.entries()) {
        const found = findBooking(ctx, change.id, `changes.${index}.id`);
        if (!found.ok) return found;
        if (sameSlot(found.value.booking.slot, change.slot)) continue;
        ids.push(change.id);
        slotChanges.push({ id: change.id, before: found.value.booking.slot, after: change.slot });
        const write = planSlotChange(ctx, found.value, change.slot, 'save', `Saved: ${describeSlot(ctx, change.slot)}`);
        if (!write.ok) {
          // Field paths are relative to the change, e.g. `slot.assignees` -> `changes.2.slot.assignees`.
          const fieldErrors = write.error.fieldErrors
            ? Object.fromEntries(Object.entries(write.error.fieldErrors).map(([k, v]) => [`changes.${index}.${k}`, v]))
            : undefined;
          return fail(write.error.code, `${found.value.booking.title}: ${write.error.message}`, {
            ...(fieldErrors ? { fieldErrors } : {}),
            ...(write.error.details ? { details: write.error.details } : {}),
          });
        }
        writes.push(write.value);
        const window = moveArrivalWindows ? windowMovedWith(found.value.booking.arrivalWindow, found.value.booking.slot, change.slot) : null;
        if (window) writes.push(moveArrivalWindowWrite(ctx, found.value.record, change.id, window));
      }
      const request: NotificationRequest | null =
        (notifyProviders || notifyCustomers) && ids.length > 0
          ? { id: ctx.newId(), createdAt: ctx.now(), by: stamp(ctx).by, bookingIds: ids, notifyProviders, notifyCustomers, reason: 'save', changes: slotChanges, beforeLink: beforeLink ?? false }
          : null;
      return ok(() => {
        for (const write of writes) write();
        if (request) scheduleMaps(ctx.schedule).notificationRequests.set(request.id, request);
        return { saved: ids.length, notificationRequestId: request?.id ?? null };
      });
    },
  }),

  /** Server-side (docs/design.md §4): closed bookings older than the cut-off leave the active document. */
  archiveClosedBookings: defineCommand({
    doc: 'schedule',
    roles: ADMIN,
    input: z.object({ closedBefore: instantSchema }),
    plan(ctx, { closedBefore }) {
      const cutoff = toMs(closedBefore);
      // Readable bookings only: one a client broke must not stop the organization's archiving.
      const ids = listBookings(ctx.schedule)
        .filter((b) => isClosed(b.status) && b.statusChanged && toMs(b.statusChanged.at) < cutoff)
        .map((b) => b.id);
      return ok(() => {
        const maps = scheduleMaps(ctx.schedule);
        for (const id of ids) {
          // The marker goes in first so replicas observing the deletion know to archive, not delete.
          maps.archived.set(id, { archivedAt: ctx.now() });
          maps.bookings.delete(id);
          maps.history.delete(id);
        }
        return { archived: ids };
      });
    },
  }),
};

function planSend(ctx: CommandContext, found: Found): Result<() => void> {
  const { booking, record, status } = found;
  if (status === 'unscheduled') {
    return fail('illegal_transition', 'Send to Tech needs a date and at least one assigned technician', { details: { from: status } });
  }
  const legal = checkTransition(status, 'dispatched');
  if (!legal.ok) return legal;
  return ok(() => {
    writeGroups(record, BOOKING_GROUPS, { dispatched: stamp(ctx) });
    writeStatus(ctx, record, 'dispatched');
    appendHistory(ctx, booking.id, 'send_to_tech', `Sent to ${providerNames(ctx, booking.slot?.assignees ?? [])}`);
  });
}

/** Technicians act only on jobs they are assigned to; the office may act on any. */
function ownJobCheck(ctx: CommandContext, booking: Booking): Result<void> {
  if (ctx.actor.role !== 'technician') return ok(undefined);
  if (ctx.actor.providerId && booking.slot?.assignees.includes(ctx.actor.providerId)) return ok(undefined);
  return fail('forbidden', 'You can only update jobs assigned to you');
}

/** A job a technician may claim: it has a date, nobody is on it, and it is still open. */
export const isAvailable = (booking: Booking, status: Status): boolean =>
  status === 'unscheduled' && booking.slot !== null && booking.slot.assignees.length === 0;
