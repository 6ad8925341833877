/**
 * Issue #20's "whoever lost is told" and "messages match the change", end to end: a real sync server with
 * its worker, a console-like client over y-websocket, a real SMTP server on 127.0.0.1 and an injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scheduleMaps } from '../../../core/doc/schedule';
import { ORG_A, roomOf, startTestServer, type TestServer } from '../sync/testing/harness';
import { SmtpSink } from './testing/sinks';
import { Clock, OrgClient, seedOrg, type SeededOrg } from './testing/org-client';

const TUE_9_TO_11 = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };
const TUE_13_TO_15 = { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z' };

interface Rig {
  t: TestServer;
  client: OrgClient;
  ids: SeededOrg;
  smtp: SmtpSink;
  step(): Promise<void>;
  log(bookingId: string): Promise<Array<{ status: string; recipient: { name: string }; lastError: string | null }>>;
}

describe('notifications: who lost is told, and what changed', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(): Promise<Rig> {
    const clock = new Clock('2026-11-23T15:00:00Z');
    const smtp = await SmtpSink.start();
    cleanups.push(() => smtp.close());
    const t = await startTestServer({
      notifications: { smtpUrl: smtp.url, mailFrom: 'Northwind <dispatch@northwind.example>', tickMs: 0, now: clock.now, batchWindowMs: 0, random: () => 0.5, timeoutMs: 3000 },
    });
    const client = await new OrgClient(t.wsUrl, ORG_A, 'dispatcher-a', clock).connect();
    cleanups.push(async () => {
      client.disconnect();
      await t.stop();
    });
    const ids = seedOrg(client);
    const serverDocs = () => {
      const roster = t.server.rooms.get(roomOf(ORG_A, 'roster'));
      const schedule = t.server.rooms.get(roomOf(ORG_A, 'schedule'));
      return roster && schedule ? { roster: roster.doc, schedule: schedule.doc } : null;
    };
    const r: Rig = {
      t,
      client,
      ids,
      smtp,
      async step() {
        await client.pushedTo(serverDocs);
        await t.server.notifications!.worker.runOnce();
      },
      async log(bookingId) {
        const res = await fetch(`${t.server.url}/api/admin/notifications?bookingId=${bookingId}`, { headers: { Authorization: 'Bearer admin-a' } });
        return ((await res.json()) as { notifications: Awaited<ReturnType<Rig['log']>> }).notifications;
      },
    };
    // The first look at the organization only records it.
    await r.step();
    return r;
  }

  const job = (r: Rig, assignees: string[], extra: Record<string, unknown> = {}) =>
    r.client.run('createBooking', {
      title: 'Furnace at Dawson',
      customerId: r.ids.dee,
      location: { address: '12 Oak St, Chicago', coordinates: null },
      slot: { ...TUE_9_TO_11, assignees },
      ...extra,
    }).id;

  it('a technician on their way who is taken off the job by a Save that notifies nobody is still told not to go', async () => {
    const r = await rig();
    const id = job(r, [r.ids.ana]);
    r.client.run('sendToTech', { id });
    r.client.run('updateStatus', { id, status: 'en_route' });
    await r.step();
    const before = r.smtp.raw.length;
    r.client.run('saveChanges', { changes: [{ id, slot: { ...TUE_9_TO_11, assignees: [r.ids.ben] } }], notifyProviders: false, notifyCustomers: false });
    await r.step();
    const mails = r.smtp.raw.slice(before);
    // Ana is told; Ben, added by a Save that chose not to notify, is not (that choice stands for him); nor the customer.
    expect(mails.map((m) => m.envelopeTo[0])).toEqual(['ana@example.com']);
    expect(mails[0]!.subject).toBe('Removed from job: Furnace at Dawson');
    expect(mails[0]!.text).toContain('What to do: Do not go: you are no longer on this job');
    expect(mails[0]!.text).toContain('When: Tue, Nov 24, 2026, 09:00–11:00 CST');
    expect((await r.log(id)).filter((n) => n.recipient.name === 'Ana Alvarez').every((n) => n.status === 'sent')).toBe(true);
  });

  it('a technician working on a job the office cancels is told not to go, with the reason', async () => {
    const r = await rig();
    const id = job(r, [r.ids.ana]);
    r.client.run('sendToTech', { id });
    r.client.run('updateStatus', { id, status: 'en_route' });
    r.client.run('updateStatus', { id, status: 'in_progress' });
    await r.step();
    const before = r.smtp.raw.length;
    r.client.run('cancelBooking', { id, reason: 'Customer called it off' });
    await r.step();
    const ana = r.smtp.raw.slice(before).find((m) => m.envelopeTo[0] === 'ana@example.com')!;
    expect(ana.subject).toBe('Cancelled: Furnace at Dawson');
    expect(ana.text).toContain('What to do: Do not go: the job is cancelled');
    expect(ana.text).toContain('Reason: Customer called it off');
  });

  it('a Save that moves the window with the job tells the customer the moved window, and the technician what changed', async () => {
    const r = await rig();
    // Arrival window 09:00–10:00 Chicago; the job moves to 13:00.
    const id = job(r, [r.ids.ana], { arrivalWindow: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z' } });
    await r.step();
    r.client.run('saveChanges', {
      changes: [{ id, slot: { ...TUE_13_TO_15, assignees: [r.ids.ana] } }],
      notifyProviders: true,
      notifyCustomers: true,
      moveArrivalWindows: true,
    });
    await r.step();
    const dee = r.smtp.raw.find((m) => m.envelopeTo[0] === 'dee@example.com')!;
    expect(dee.subject).toBe('Your appointment has moved — Northwind Home Services');
    expect(dee.text).toContain('Arrival window: Tue, Nov 24, 2026, 13:00–14:00 CST');
    expect(dee.text).not.toContain('09:00');
    const ana = r.smtp.raw.find((m) => m.envelopeTo[0] === 'ana@example.com')!;
    // Already on the job: "Job changed", never "New job for you".
    expect(ana.subject).toBe('Job changed: Furnace at Dawson');
    expect(ana.text).toContain('What changed: time');
    expect(ana.text).toContain('Was: Tue, Nov 24, 2026, 09:00–11:00 CST');
    expect(ana.text).toContain('Arrival window: Tue, Nov 24, 2026, 13:00–14:00 CST');
  });

  it('a request that does not read is logged skipped with its reason on its jobs, and the worker goes on', async () => {
    const r = await rig();
    const id = job(r, [r.ids.ana]);
    await r.step();
    // Stored before the server checked updates (or by an older server): the worker meets it in the document.
    const room = r.t.server.rooms.get(roomOf(ORG_A, 'schedule'))!;
    const badId = '01900000-0000-7000-8000-0000000000ee';
    room.doc.transact(() => {
      scheduleMaps(room.doc).notificationRequests.set(badId, {
        id: badId,
        createdAt: '2026-11-23T15:00:00Z',
        by: { id: 'u', name: 'Someone' },
        bookingIds: [id],
        notifyProviders: 'yes' as unknown as boolean,
        notifyCustomers: true,
        reason: 'save',
      });
    });
    // (Awaited: the scan answers later where the store does.)
    await r.t.server.notifications!.worker.scanOrg(ORG_A);
    const skipped = await r.log(id);
    expect(skipped.map((n) => `${n.status} ${n.recipient.name}`)).toEqual(['skipped Nobody']);
    expect(skipped[0]!.lastError).toMatch(/^Not sent: this Save's notification request could not be read \(notifyProviders: expected boolean/);

    r.client.run('saveChanges', { changes: [{ id, slot: { ...TUE_13_TO_15, assignees: [r.ids.ana] } }], notifyProviders: true, notifyCustomers: false });
    await r.step();
    expect(r.smtp.raw.map((m) => `${m.envelopeTo[0]} ${m.subject}`)).toEqual(['ana@example.com Job changed: Furnace at Dawson']);
  });
});
