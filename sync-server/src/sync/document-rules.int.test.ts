/**
 * The document rules at the server (core/doc/update-rules.ts, applied in room.ts): a client with a valid
 * token sends what no honest console would — wrong-typed fields in every kind of record, settings changed
 * by a dispatcher, history removed or rewritten — over a raw socket. Each update is refused whole with
 * 4422 and a reason, counted and logged once; the room keeps its last valid state (in memory and on disk),
 * the other clients never see it, and the field API and the notification worker carry on for everyone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { getBooking, readHistory, scheduleMaps } from '../../../core/doc/schedule';
import { readSettings, rosterMaps } from '../../../core/doc/roster';
import { OrgClient } from '../notifications/testing/org-client';
import { ORG_A, RawClient, syncStep1, syncUpdate, waitUntil } from './testing/harness';
import { ROSTER, SCHEDULE, startOrgRig, updateAfter, type OrgRig } from './testing/org-rig';
import { loadDoc } from './room';
import { captureLog, type CapturedLog } from '../testing/capture-log';
import { updateRefusedReason } from '../../../core/sync/update-refused';

const NEW_ID = '0190ffff-0000-7000-8000-0000000000aa';

describe('document rules at the server', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(): Promise<OrgRig & { other: OrgClient; said: CapturedLog }> {
    const said = captureLog();
    const r = await startOrgRig({ log: said.log });
    // Another console of the organization, connected throughout.
    const other = await new OrgClient(r.t.wsUrl, ORG_A, 'dispatcher-a', r.clock).connect();
    cleanups.push(async () => {
      other.disconnect();
      r.admin.disconnect();
      await r.t.stop();
    });
    return { ...r, other, said };
  }

  /** Sends `update` into `room` as `token` over a raw socket; resolves with how the server closed it. */
  async function send(r: OrgRig, room: string, token: string, update: Uint8Array) {
    const raw = await RawClient.open(r.t.wsUrl, room, token);
    cleanups.push(() => raw.close());
    raw.send(syncStep1(new Y.Doc()));
    raw.send(syncUpdate(update));
    return raw.closed;
  }

  const rejected = async (r: OrgRig, reason: string) => {
    const res = await fetch(`${r.t.server.url}/metrics`);
    const line = (await res.text()).split('\n').find((l) => l.startsWith(`crewline_sync_updates_rejected_total{reason="${reason}"}`));
    return Number(line?.split(' ')[1]);
  };

  type Poison = [name: string, room: string, change: (doc: Y.Doc, r: OrgRig) => void, reason: (r: OrgRig) => string, token?: string];
  const booking = (doc: Y.Doc, id: string) => scheduleMaps(doc).bookings.get(id)!;
  const poisons: Poison[] = [
    // Settings are an admin's (below): an admin's wrong-typed one is refused for its type.
    ['a setting', ROSTER, (doc) => rosterMaps(doc).settings.set('timeZone', 5), () => 'setting: timeZone: expected string, received number', 'admin-a'],
    [
      "a provider's time off",
      ROSTER,
      (doc, r) => (rosterMaps(doc).providers.get(r.ids.ana)!.get('timeOff') as Y.Map<unknown>).set(NEW_ID, { id: NEW_ID, start: 5 }),
      (r) => `provider ${r.ids.ana}: timeOff ${NEW_ID}: start: Must be an ISO date-time in UTC, e.g. 2026-11-23T14:00:00Z`,
    ],
    [
      "a provider's profile",
      ROSTER,
      (doc, r) => rosterMaps(doc).providers.get(r.ids.ana)!.set('profile', { name: 42 }),
      (r) => `provider ${r.ids.ana}: name: expected string, received number`,
    ],
    [
      "a customer's channels",
      ROSTER,
      (doc, r) => rosterMaps(doc).customers.get(r.ids.dee)!.set('channels', { channels: 'all of them' }),
      (r) => `customer ${r.ids.dee}: channels: expected object, received string`,
    ],
    [
      "a service's duration",
      ROSTER,
      (doc, r) => rosterMaps(doc).services.get(r.ids.service)!.set('details', { name: 'Tune-up', durationMinutes: 'long' }),
      (r) => `service ${r.ids.service}: durationMinutes: expected number, received string`,
    ],
    ['a slot', SCHEDULE, (doc, r) => booking(doc, r.ids.job).set('slot', 5), (r) => `booking ${r.ids.job}: slot: expected object, received number`],
    [
      'a status',
      SCHEDULE,
      (doc, r) => booking(doc, r.ids.job).set('status', { status: 'teleported', statusChanged: null }),
      (r) =>
        `booking ${r.ids.job}: status: Invalid option: expected one of ` +
        '"unscheduled"|"scheduled"|"dispatched"|"en_route"|"in_progress"|"completed"|"cancelled"',
    ],
    [
      "a booking's details",
      SCHEDULE,
      (doc, r) => booking(doc, r.ids.job).set('details', { title: ['Furnace'] }),
      (r) => `booking ${r.ids.job}: title: expected string, received array`,
    ],
    [
      'a history entry',
      SCHEDULE,
      (doc, r) => scheduleMaps(doc).history.get(r.ids.job)!.push([{ id: NEW_ID, at: 'now' } as never]),
      (r) => `history of booking ${r.ids.job}: at: Must be an ISO date-time in UTC, e.g. 2026-11-23T14:00:00Z`,
    ],
    ['a value that is not a record', SCHEDULE, (doc) => scheduleMaps(doc).bookings.set(NEW_ID, 'junk' as never), () => `booking ${NEW_ID}: not a record`],
    [
      'a notification request',
      SCHEDULE,
      (doc, r) =>
        scheduleMaps(doc).notificationRequests.set(NEW_ID, {
          id: NEW_ID,
          createdAt: '2026-11-24T14:00:00Z',
          by: { id: 'u', name: 'U' },
          bookingIds: [r.ids.job],
          notifyProviders: 'yes',
          notifyCustomers: true,
          reason: 'save',
        } as never),
      () => `notification request ${NEW_ID}: notifyProviders: expected boolean, received string`,
    ],
  ];

  it.each(poisons)('refuses wrong-typed fields in %s (4422), and nothing else changes', async (_name, room, change, reason, token = 'dispatcher-a') => {
    const r = await rig();
    const doc = room === ROSTER ? r.docs().roster : r.docs().schedule;
    const before = Y.snapshot(doc);

    const closed = await send(r, room, token, updateAfter(doc, (replica) => change(replica, r)));

    // The reason in the close frame, cut to its 123 bytes when long.
    expect(closed).toEqual({ code: 4422, reason: updateRefusedReason(reason(r)) });
    expect(updateRefusedReason(reason(r))).toMatch(/^update refused: /);
    const live = room === ROSTER ? r.docs().roster : r.docs().schedule;
    expect(Y.equalSnapshots(Y.snapshot(live), before)).toBe(true);
    expect(Y.equalSnapshots(Y.snapshot(loadDoc(r.t.server.store, room)), before)).toBe(true);
    expect(await rejected(r, 'invalid_record')).toBe(1);
    // One log line, with the whole reason (the close frame's is cut to 123 bytes).
    const refusals = r.said.events('update_refused');
    expect(refusals).toHaveLength(1);
    const role = token === 'admin-a' ? 'admin' : 'dispatcher';
    expect(refusals[0]).toMatchObject({ level: 'warn', userId: `user-${token}`, role, room, reason: reason(r) });

    // The room carries on: an honest edit after it reaches the other console, which never had the poison.
    r.admin.run('updateBooking', { id: r.ids.job, notes: 'Side door' });
    await waitUntil(() => getBooking(r.other.schedule, r.ids.job)?.notes === 'Side door', 5000, 'the honest edit');
    expect(Y.equalSnapshots(Y.snapshot(r.other.schedule), Y.snapshot(r.docs().schedule))).toBe(true);
    expect(Y.equalSnapshots(Y.snapshot(r.other.roster), Y.snapshot(r.docs().roster))).toBe(true);

    // The technician's day and the worker work for everyone: en route still tells the customer.
    const enRoute = await r.call('POST', `/api/field/jobs/${r.ids.job}/status`, 'tech-ana', { status: 'en_route' });
    expect(enRoute.status).toBe(200);
    const mail = await r.delivered((m) => m.channel === 'email' && m.to === 'dee@example.com');
    expect(mail.subject).toMatch(/on the way/);
    expect((await r.call('GET', '/api/field/jobs?date=2026-11-24', 'tech-ben')).status).toBe(200);
  });

  it('takes settings from an admin only; a dispatcher is refused (4422) and the setting stays', async () => {
    const r = await rig();
    const selfDispatchOn = updateAfter(r.docs().roster, (doc) => rosterMaps(doc).settings.set('selfDispatch', true));

    expect(await send(r, ROSTER, 'dispatcher-a', selfDispatchOn)).toEqual({
      code: 4422,
      reason: 'update refused: setting selfDispatch: only admins change settings',
    });
    expect(readSettings(r.docs().roster).selfDispatch).toBe(false);
    expect(await rejected(r, 'forbidden')).toBe(1);
    expect((await r.call('GET', '/api/field/available', 'tech-ana')).status).toBe(403);

    // The same update from an admin is taken and reaches everyone.
    const raw = await RawClient.open(r.t.wsUrl, ROSTER, 'admin-a');
    cleanups.push(() => raw.close());
    raw.send(syncStep1(new Y.Doc()));
    raw.send(syncUpdate(selfDispatchOn));
    await waitUntil(() => readSettings(r.docs().roster).selfDispatch, 5000, 'the admin’s setting at the server');
    await waitUntil(() => readSettings(r.other.roster).selfDispatch, 5000, 'the admin’s setting at the other console');
    expect(raw.closeCode).toBeNull();
    expect((await r.call('GET', '/api/field/available', 'tech-ana')).status).toBe(200);
  });

  it('keeps history append-only: removing an entry or replacing a log is refused, even for an admin', async () => {
    const r = await rig();
    const history = () => readHistory(r.docs().schedule, r.ids.job).map((h) => h.id);
    const kept = history();
    expect(kept.length).toBeGreaterThanOrEqual(2);
    const feed = await r.call('GET', `/api/admin/providers/${r.ids.ana}/calendar-feed`, 'admin-a');
    const sequence = async () => /SEQUENCE:(\d+)/.exec((await r.call('GET', feed.body.path, ''))?.text ?? '')?.[1];
    expect(await sequence()).toBe(String(kept.length));

    const erase = updateAfter(r.docs().schedule, (doc) => scheduleMaps(doc).history.get(r.ids.job)!.delete(0, kept.length));
    expect(await send(r, SCHEDULE, 'dispatcher-a', erase)).toEqual({
      code: 4422,
      reason: `update refused: history of booking ${r.ids.job}: history entries cannot be removed`,
    });
    const replace = updateAfter(r.docs().schedule, (doc) => scheduleMaps(doc).history.set(r.ids.job, new Y.Array() as never));
    expect(await send(r, SCHEDULE, 'admin-a', replace)).toEqual({
      code: 4422,
      reason: `update refused: history of booking ${r.ids.job}: a booking's history cannot be removed or replaced`,
    });

    expect(history()).toEqual(kept);
    expect(readHistory(r.other.schedule, r.ids.job).map((h) => h.id)).toEqual(kept);
    expect(await sequence()).toBe(String(kept.length));
    expect(await rejected(r, 'forbidden')).toBe(2);
    // Appending stays open to anyone who may edit the job.
    r.other.run('updateBooking', { id: r.ids.job, notes: 'Ring twice' });
    await waitUntil(() => history().length === kept.length + 1, 5000, 'the new entry');
  });
});
