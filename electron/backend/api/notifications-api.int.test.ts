import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../sync-server/src/sync/testing/harness';
import { openDesktop, serverWithAdminDesktop, type TestDesktop } from '../sync/testing/sync-harness';

/**
 * The console's notification requests against a real sync server (its worker running on the real clock,
 * channels writing files): a Save with notify shows up in the job's log, dead letters are listed and
 * retried, a provider's daily schedule is sent again, and refusals come back as the renderer sees them.
 */
const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const setup = () => serverWithAdminDesktop((dispose) => disposers.push(dispose));

async function run<T>(desktop: TestDesktop, name: string, input: unknown): Promise<T> {
  const result = await desktop.client.request('commands:run', { name, input });
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

const tomorrow = (hour: number) => {
  const d = new Date(Date.now() + 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

describe('notifications:* requests', () => {
  it('shows a Save’s notifications in the job’s log, lists and retries dead letters, and resends a daily schedule', async () => {
    const { server, admin } = await setup();
    await run(admin, 'initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
    const { id: providerId } = await run<{ id: string }>(admin, 'createProvider', {
      name: 'Marcus Johnson',
      email: 'marcus@example.com',
      channels: { email: true, sms: false, chat: false },
    });
    const { id: bookingId } = await run<{ id: string }>(admin, 'createBooking', { title: 'Furnace tune-up', slot: null });
    const staged = await admin.client.request('draft:stage', { id: bookingId, slot: { start: tomorrow(15), end: tomorrow(17), assignees: [providerId] } });
    expect(staged.ok).toBe(true);
    const saved = await admin.client.request('draft:save', { notifyProviders: true, notifyCustomers: false });
    expect(saved.ok && saved.value.notificationRequestId).toBeTruthy();

    // The server's worker picks the Save up within a tick and holds it for its batch window.
    const deadline = Date.now() + 15_000;
    let log = await admin.client.request('notifications:listForBooking', { bookingId });
    while (log.ok && log.value.notifications.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      log = await admin.client.request('notifications:listForBooking', { bookingId });
    }
    if (!log.ok) throw new Error(log.error.message);
    expect(log.value.notifications).toHaveLength(1);
    expect(log.value.notifications[0]).toMatchObject({
      kind: 'batch',
      status: 'collecting',
      channel: 'email',
      recipient: { kind: 'provider', id: providerId },
      bookings: [{ bookingId, kinds: ['assigned'] }],
      attempts: 0,
    });

    // A delivery that is refused for good: the worker is stopped so the test decides what happens.
    const worker = server.server.notifications!.worker;
    await worker.close();
    const resent = await admin.client.request('notifications:resendDaily', { providerId, date: tomorrow(15).slice(0, 10) });
    if (!resent.ok) throw new Error(resent.error.message);
    expect(resent.value.notification).toMatchObject({ kind: 'daily', status: 'pending', recipient: { id: providerId, address: 'marcus@example.com' } });
    expect(resent.value.notification.subject).toMatch(/^Your schedule for /);
    const store = worker.store;
    const [claimed] = await store.claimDue(Date.now(), 1, { owner: 'test', untilMs: Date.now() + 60_000, maxAttempts: 8 });
    await store.markDead(claimed!.id, 'test', Date.now(), 'refused: attempt 1 via smtp: SMTP 550: Mailbox unavailable');

    const dead = await admin.client.request('notifications:listDeadLetters', {});
    if (!dead.ok) throw new Error(dead.error.message);
    expect(dead.value.notifications.map((n) => [n.id, n.status, n.lastError])).toEqual([
      [claimed!.id, 'dead', 'refused: attempt 1 via smtp: SMTP 550: Mailbox unavailable'],
    ]);
    const retried = await admin.client.request('notifications:retry', { id: claimed!.id });
    expect(retried.ok && retried.value.notification).toMatchObject({ id: claimed!.id, status: 'pending', attempts: 0 });
    const again = await admin.client.request('notifications:retry', { id: claimed!.id });
    expect(!again.ok && again.error).toMatchObject({ code: 'conflict', message: 'Only a dead letter can be retried' });

    const noEmail = await run<{ id: string }>(admin, 'createProvider', { name: 'Grace Kim', channels: { email: false, sms: true, chat: false } });
    await waitUntil(() => server.server.rooms.get(`org/${server.orgId}/roster`)?.doc.getMap('providers').has(noEmail.id) ?? false, 10_000);
    const refused = await admin.client.request('notifications:resendDaily', { providerId: noEmail.id, date: '2026-11-24' });
    expect(!refused.ok && refused.error).toMatchObject({ code: 'validation', fieldErrors: { providerId: 'Grace Kim has no email address' } });
    const badDate = await admin.client.request('notifications:resendDaily', { providerId, date: '24/11/2026' });
    expect(!badDate.ok && badDate.error.fieldErrors?.date).toBeTruthy();
  });

  it('lets a dispatcher read a job’s log but not the dead letters; refuses a console that is not signed in', async () => {
    const { server } = await setup();
    const dispatcher = await openDesktop('dispatcher');
    disposers.push(() => dispatcher.dispose());
    await dispatcher.signIn(server, 'bo', 'replace');
    const log = await dispatcher.client.request('notifications:listForBooking', { bookingId: '01900000-0000-7000-8000-000000000001' });
    expect(log.ok && log.value.notifications).toEqual([]);
    const dead = await dispatcher.client.request('notifications:listDeadLetters', {});
    expect(!dead.ok && dead.error).toMatchObject({ code: 'forbidden', message: 'Only admins can do this' });

    const signedOut = await openDesktop('nobody');
    disposers.push(() => signedOut.dispose());
    const refused = await signedOut.client.request('notifications:listDeadLetters', {});
    expect(!refused.ok && refused.error.code).toBe('unauthenticated');
  });
});
