import { describe, expect, it } from 'vitest';
import { getBooking, readHistory, scheduleMaps } from '../../../core/doc/schedule';
import type { Actor } from '../../../core/model';
import { createWorkspace, type Workspace } from '../../../core/testing/fixture';
import { toMs } from '../../../core/time';
import { NOBODY, nextSeen, requestOutcome, transitionEvents, type DeriveContext, type RequestContext, type RequestSkip, type SeenBooking } from './derive';

const NOW = '2026-11-23T12:00:00Z';

function world() {
  const ws = createWorkspace({ now: NOW });
  ws.must('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana' }).id;
  const ben = ws.must('createProvider', { name: 'Ben' }).id;
  const cat = ws.must('createProvider', { name: 'Cat' }).id;
  const customer = ws.must('createCustomer', { name: 'Dee' }).id;
  const job = ws.must('createBooking', {
    title: 'Furnace tune-up',
    customerId: customer,
    slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] },
  }).id;
  return { ws, ana, ben, cat, customer, job };
}

const ctxOf = (ws: Workspace, now = NOW): DeriveContext => ({
  nowMs: toMs(now),
  staleAfterMs: 24 * 3_600_000,
  moveAction: (bookingId, moveId) => readHistory(ws.schedule, bookingId).find((e) => e.id === moveId)?.action,
});

/** The events of one change, and the projection after it. */
function observe(ws: Workspace, id: string, prev: SeenBooking | undefined) {
  const booking = getBooking(ws.schedule, id)!;
  const { events, skips } = transitionEvents(booking, prev, ctxOf(ws));
  return { events, skips, next: nextSeen(booking, prev) };
}

const summary = (events: ReturnType<typeof transitionEvents>['events']) => events.map((e) => `${e.kind}:${e.recipient.kind}:${e.recipient.id}`).sort();

describe('transition events', () => {
  it('Send to Tech tells every assignee once; seeing the same state again tells nobody', () => {
    const { ws, ana, ben, job } = world();
    ws.must('setTeam', { id: job, assignees: [ana, ben] });
    let seen = observe(ws, job, undefined).next;
    ws.must('sendToTech', { id: job });
    const first = observe(ws, job, seen);
    expect(summary(first.events)).toEqual([`dispatched:provider:${ana}`, `dispatched:provider:${ben}`].sort());
    expect(new Set(first.events.map((e) => e.key)).size).toBe(1);
    seen = first.next;
    expect(observe(ws, job, seen).events).toEqual([]);
  });

  it('reassigning a dispatched job tells the new technician and the removed one, with the move as key', () => {
    const { ws, ana, ben, job } = world();
    ws.must('sendToTech', { id: job });
    const seen = observe(ws, job, undefined).next;
    ws.must('reassignProvider', { id: job, fromProviderId: ana, toProviderId: ben });
    const { events } = observe(ws, job, seen);
    expect(summary(events)).toEqual([`assigned:provider:${ben}`, `unassigned:provider:${ana}`].sort());
    const moveId = getBooking(ws.schedule, job)!.slotMove!.id;
    expect(events.every((e) => e.key === `move:${moveId}`)).toBe(true);
  });

  it('moving or re-addressing a dispatched job tells its technicians; an unsent job tells nobody', () => {
    const { ws, ana, job } = world();
    let seen = observe(ws, job, undefined).next;
    ws.must('moveBooking', { id: job, start: '2026-11-24T16:00:00Z' });
    const unsent = observe(ws, job, seen);
    expect(unsent.events).toEqual([]);
    seen = unsent.next;
    ws.must('sendToTech', { id: job });
    seen = observe(ws, job, seen).next;
    ws.must('moveBooking', { id: job, start: '2026-11-24T18:00:00Z' });
    const moved = observe(ws, job, seen);
    expect(summary(moved.events)).toEqual([`updated:provider:${ana}`]);
    seen = moved.next;
    ws.must('updateBooking', { id: job, location: { address: '9 Elm St', coordinates: null } });
    const placed = observe(ws, job, seen);
    expect(summary(placed.events)).toEqual([`updated:provider:${ana}`]);
    expect(placed.events[0]!.key).toBe(`edit:${job}:v${seen.version + 1}`);
    expect(placed.next.version).toBe(seen.version + 1);
  });

  it('a Save of a dispatched job leaves new technicians to its request, but always tells the one taken off it', () => {
    const { ws, ana, ben, job } = world();
    ws.must('sendToTech', { id: job });
    const seen = observe(ws, job, undefined).next;
    ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ben] } }],
      notifyProviders: false,
      notifyCustomers: false,
    });
    const { events } = observe(ws, job, seen);
    // Ana had been sent the job (she may be on her way): the dispatcher's "do not notify" does not hide that it is gone.
    expect(summary(events)).toEqual([`unassigned:provider:${ana}`]);
    expect(events[0]!.before).toEqual({ start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] });
    expect(events[0]!.key).toBe(`move:${getBooking(ws.schedule, job)!.slotMove!.id}`);
  });

  it('a Save that moves a job its technician is working on tells them, whatever the Save chose; an unsent job tells nobody', () => {
    const { ws, ana, job } = world();
    ws.must('sendToTech', { id: job });
    ws.must('updateStatus', { id: job, status: 'en_route' });
    const seen = observe(ws, job, undefined).next;
    ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [ana] } }],
      notifyProviders: false,
      notifyCustomers: false,
    });
    expect(summary(observe(ws, job, seen).events)).toEqual([`updated:provider:${ana}`]);

    const other = world();
    const unsent = observe(other.ws, other.job, undefined).next;
    other.ws.must('saveChanges', {
      changes: [{ id: other.job, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [other.ben] } }],
      notifyProviders: false,
      notifyCustomers: false,
    });
    expect(observe(other.ws, other.job, unsent).events).toEqual([]);
  });

  it('past its planned end, a cancel is told to a technician on the way and logged as skipped for one who is not', () => {
    const later = '2026-11-24T17:05:00Z'; // the job was planned to end at 17:00
    const tech = (providerId: string): Actor => ({ id: 'user-ana', name: 'Ana', role: 'technician', providerId });
    const onTheWay = world();
    onTheWay.ws.must('sendToTech', { id: onTheWay.job });
    onTheWay.ws.must('updateStatus', { id: onTheWay.job, status: 'en_route' }, tech(onTheWay.ana));
    const seenEnRoute = nextSeen(getBooking(onTheWay.ws.schedule, onTheWay.job)!, undefined);
    onTheWay.ws.must('cancelBooking', { id: onTheWay.job, reason: 'Customer called' });
    const told = transitionEvents(getBooking(onTheWay.ws.schedule, onTheWay.job)!, seenEnRoute, ctxOf(onTheWay.ws, later));
    expect(summary(told.events)).toEqual([`cancelled:provider:${onTheWay.ana}`]);
    expect(told.skips).toEqual([]);

    const notStarted = world();
    notStarted.ws.must('sendToTech', { id: notStarted.job });
    const seen = nextSeen(getBooking(notStarted.ws.schedule, notStarted.job)!, undefined);
    notStarted.ws.must('cancelBooking', { id: notStarted.job, reason: 'Customer called' });
    const skipped = transitionEvents(getBooking(notStarted.ws.schedule, notStarted.job)!, seen, ctxOf(notStarted.ws, later));
    expect(skipped.events).toEqual([]);
    expect(skipped.skips.map((s) => [s.event.kind, s.event.recipient.id, s.reason])).toEqual([
      ['cancelled', notStarted.ana, expect.stringMatching(/^Not sent: the job was already over/)],
    ]);
  });

  it('cancelling a dispatched job tells its technicians; en route tells the customer', () => {
    const a = world();
    a.ws.must('sendToTech', { id: a.job });
    const seen = observe(a.ws, a.job, undefined).next;
    a.ws.must('cancelBooking', { id: a.job, reason: 'Customer called' });
    expect(summary(observe(a.ws, a.job, seen).events)).toEqual([`cancelled:provider:${a.ana}`]);

    const b = world();
    b.ws.must('sendToTech', { id: b.job });
    const before = observe(b.ws, b.job, undefined).next;
    const tech: Actor = { id: 'user-ana', name: 'Ana', role: 'technician', providerId: b.ana };
    b.ws.must('updateStatus', { id: b.job, status: 'en_route' }, tech);
    const { events } = observe(b.ws, b.job, before);
    expect(summary(events)).toEqual([`on_the_way:customer:${b.customer}`]);
    expect(events[0]!.key).toBe(`enroute:${b.job}:${NOW}`);
  });

  it('a booking first seen dispatched long ago by the desktop’s clock is news for the server; a job already over is logged as skipped', () => {
    const { ws, job } = world();
    ws.setNow('2026-11-20T12:00:00Z');
    ws.must('sendToTech', { id: job });
    // An offline desktop's Send to Tech of four days ago, for a job still ahead: the technician is told now.
    const first = observe(ws, job, undefined);
    expect(first.events.map((e) => e.kind)).toEqual(['dispatched']);
    expect(first.skips).toEqual([]);
    // Seen only after the job is over: nobody is told, and the log says why.
    const late = getBooking(ws.schedule, job)!;
    const ctx = { ...ctxOf(ws), nowMs: toMs('2026-11-25T00:00:00Z'), staleAfterMs: 30 * 86_400_000 };
    const over = transitionEvents(late, undefined, ctx);
    expect(over.events).toEqual([]);
    expect(over.skips.map((s) => [s.event.kind, s.reason])).toEqual([['dispatched', expect.stringMatching(/^Not sent: the job was already over when the server first saw it/)]]);
  });

  it('a technician who claims a job is not told about their own claim', () => {
    const { ws, cat } = world();
    ws.must('updateSettings', { selfDispatch: true });
    const open = ws.must('createBooking', { title: 'Open job', slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z', assignees: [] } }).id;
    const seen = observe(ws, open, undefined).next;
    ws.must('claimJob', { id: open }, { id: 'user-cat', name: 'Cat', role: 'technician', providerId: cat });
    expect(observe(ws, open, seen).events).toEqual([]);
  });
});

const rctx = (ws: Workspace, now = NOW, extra: Partial<RequestContext> = {}): RequestContext => ({
  ...ctxOf(ws, now),
  receivedAtMs: toMs(now),
  beforeLink: false,
  ...extra,
});
const skipSummary = (skips: RequestSkip[]) => skips.map((s) => `${s.event.kind}:${s.event.recipient.kind}:${s.event.recipient.id}`).sort();

describe('request events', () => {
  it('a Save with notify tells current technicians (new or changed), removed ones, and customers, keyed by the request', () => {
    const { ws, ana, ben, customer, job } = world();
    const saved = ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T16:00:00Z', end: '2026-11-24T18:00:00Z', assignees: [ben] } }],
      notifyProviders: true,
      notifyCustomers: true,
    });
    const request = scheduleMaps(ws.schedule).notificationRequests.get(saved.notificationRequestId!)!;
    // No projection at all (a workspace the worker never saw): the request's own "before" decides.
    const { events, skips } = requestOutcome(request, (id) => getBooking(ws.schedule, id), () => undefined, rctx(ws));
    expect(summary(events)).toEqual([`assigned:provider:${ben}`, `scheduled:customer:${customer}`, `unassigned:provider:${ana}`].sort());
    expect(skips).toEqual([]);
    expect(events.every((e) => e.key === `req:${request.id}`)).toBe(true);
  });

  it('a technician already on the job is "updated" (with the slot before), not "assigned", whatever the worker last saw', () => {
    const { ws, ana, job } = world();
    const saved = ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T20:00:00Z', assignees: [ana] } }],
      notifyProviders: true,
      notifyCustomers: false,
    });
    const request = scheduleMaps(ws.schedule).notificationRequests.get(saved.notificationRequestId!)!;
    const { events } = requestOutcome(request, (id) => getBooking(ws.schedule, id), () => undefined, rctx(ws));
    expect(summary(events)).toEqual([`updated:provider:${ana}`]);
    expect(events[0]!.before).toEqual({ start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] });
  });

  it('what is not sent is skipped with its reason: job over (server clock), saved before the workspace synced, nobody to tell', () => {
    const { ws, ana, job } = world();
    const saved = ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T16:00:00Z', end: '2026-11-24T18:00:00Z', assignees: [ana] } }],
      notifyProviders: true,
      notifyCustomers: false,
    });
    const request = scheduleMaps(ws.schedule).notificationRequests.get(saved.notificationRequestId!)!;
    const bookingOf = (id: string) => getBooking(ws.schedule, id);
    // Received two days after the desktop's createdAt, job still ahead: sent (age counts from receipt).
    const late = requestOutcome(request, bookingOf, () => undefined, rctx(ws, '2026-11-24T12:00:00Z'));
    expect(summary(late.events)).toEqual([`updated:provider:${ana}`]);
    const over = requestOutcome(request, bookingOf, () => undefined, rctx(ws, '2026-11-24T19:00:00Z'));
    expect(over.events).toEqual([]);
    expect(skipSummary(over.skips)).toEqual([`updated:provider:${ana}`]);
    expect(over.skips[0]!.reason).toMatch(/already over/);
    const preLink = requestOutcome(request, bookingOf, () => undefined, rctx(ws, NOW, { beforeLink: true }));
    expect(preLink.events).toEqual([]);
    expect(preLink.skips[0]!.reason).toMatch(/saved before this workspace synced/);

    const empty = ws.must('createBooking', { title: 'Nobody yet', slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z', assignees: [] } }).id;
    const moved = ws.must('saveChanges', {
      changes: [{ id: empty, slot: { start: '2026-11-24T17:00:00Z', end: '2026-11-24T18:00:00Z', assignees: [] } }],
      notifyProviders: true,
      notifyCustomers: true,
    });
    const nobody = requestOutcome(scheduleMaps(ws.schedule).notificationRequests.get(moved.notificationRequestId!)!, bookingOf, () => undefined, rctx(ws));
    expect(nobody.events).toEqual([]);
    expect(nobody.skips.map((s) => [s.event.recipient, s.reason])).toEqual([[NOBODY, expect.stringMatching(/nobody to tell/)]]);
  });
});
