/**
 * The notification worker on two nodes (issue 23, 3), in process and step by step: two sync servers on one
 * real PostgreSQL and one real Redis, a console replica on each, real SMTP and webhook receivers, and one
 * injected clock driving both workers' passes (run at the same time, so their commits race).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresAndRedisForFile } from '../storage/testing/engines-for-file';
import { ORG_A, roomOf, standardAuthenticator, startTestServer, waitUntil, type TestServer } from '../sync/testing/harness';
import type { NotificationOptions } from './notifications';
import { SmtpSink, WebhookSink } from './testing/sinks';
import { Clock, OrgClient, seedOrg, type SeededOrg } from './testing/org-client';

const FROM = 'Northwind Dispatch <dispatch@northwind.example>';
// Tue Nov 24 2026, 09:00–11:00 Chicago.
const TUE_9_TO_11 = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };

const engines = postgresAndRedisForFile();

describe('notification worker on two nodes', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(start: string) {
    const clock = new Clock(start);
    const smtp = await SmtpSink.start();
    const sms = await WebhookSink.start();
    const chat = await WebhookSink.start();
    cleanups.push(() => smtp.close(), () => sms.close(), () => chat.close());
    const notifications: NotificationOptions = {
      smtpUrl: smtp.url,
      mailFrom: FROM,
      smsWebhookUrl: sms.url,
      smsWebhookStyle: 'json',
      chatWebhookUrl: chat.url,
      chatWebhookStyle: 'json',
      tickMs: 0,
      now: clock.now,
      batchWindowMs: 0,
      random: () => 0.5,
      timeoutMs: 3000,
    };
    const databaseUrl = await engines.postgres.createDatabase();
    const options = { databaseUrl, redisUrl: engines.redis.url, auth: standardAuthenticator(), notifications };
    const nodes: TestServer[] = [await startTestServer(options), await startTestServer(options)];
    const clients = [
      await new OrgClient(nodes[0]!.wsUrl, ORG_A, 'dispatcher-a', clock).connect(),
      await new OrgClient(nodes[1]!.wsUrl, ORG_A, 'dispatcher-a', clock).connect(),
    ] as const;
    cleanups.push(async () => {
      for (const client of clients) client.disconnect();
      for (const node of nodes) await node.stop();
    });
    const ids: SeededOrg = seedOrg(clients[0]);
    const docsOf = (node: TestServer) => () => {
      const roster = node.server.rooms.get(roomOf(ORG_A, 'roster'));
      const schedule = node.server.rooms.get(roomOf(ORG_A, 'schedule'));
      return roster && schedule ? { roster: roster.doc, schedule: schedule.doc } : null;
    };
    return {
      clock,
      smtp,
      sms,
      chat,
      nodes,
      clients,
      ids,
      store: nodes[0]!.server.notifications!.store,
      /** Node two stops and starts again on its port, its memory gone. */
      async restartNodeTwo() {
        const port = nodes[1]!.server.port;
        await nodes[1]!.stop();
        nodes[1] = await startTestServer({ ...options, port });
        await waitUntil(() => clients[1].synced, 10_000, 'replica two back on node two');
      },
      /** Both nodes hold both replicas' changes, then both workers run a pass at the same time. */
      async step() {
        for (const client of clients) for (const node of nodes) await client.pushedTo(docsOf(node));
        await Promise.all(nodes.map((node) => node.server.notifications!.worker.runOnce()));
      },
      delivered: () => smtp.raw.length + sms.raw.length + chat.raw.length,
    };
  }

  it('places each change both nodes saw once and delivers each message once', async () => {
    const r = await rig('2026-11-23T15:00:00Z');
    await r.step(); // the first look records the organization
    const job = r.clients[0].run('createBooking', { title: 'Furnace at Dawson', customerId: r.ids.dee, slot: { ...TUE_9_TO_11, assignees: [] } }).id;
    await r.step();
    // A Save on node two's replica, a move on node one's: both nodes see both.
    const saved = r.clients[1].run('saveChanges', { changes: [{ id: job, slot: { ...TUE_9_TO_11, assignees: [r.ids.ana, r.ids.ben] } }], notifyProviders: true, notifyCustomers: true });
    await r.step();
    await r.step();
    // Ana: email, SMS, chat; Ben: email; Dee (customer): email, SMS.
    expect(r.smtp.raw.map((m) => m.envelopeTo[0]).sort()).toEqual(['ana@example.com', 'ben@example.com', 'dee@example.com']);
    expect(r.sms.raw.map((h) => h.json!.to).sort()).toEqual(['+1 312 555 0101', '+1 312 555 0199']);
    expect(r.chat.raw.map((h) => h.json!.to)).toEqual(['@ana']);
    const rows = await r.store.allRows();
    expect(rows.filter((row) => row.idempotencyKey.startsWith(`req:${saved.notificationRequestId}`))).toHaveLength(6);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    // Both nodes derived from the same changes (each scanned them); the events were placed once in all.
    const stats = r.nodes.map((node) => node.server.notifications!.worker.stats);
    expect(stats.map((s) => s.scans)).toEqual([2, 2]);
    expect(stats[0]!.eventsPlaced + stats[1]!.eventsPlaced).toBe(6);

    // A sweep (the safety net for changes a dying node stored but never scanned) compares everything again
    // and finds nothing new.
    await r.nodes[1]!.server.notifications!.worker.sweep();
    await r.step();
    expect(stats[1]!.scans).toBe(3);
    expect(stats[0]!.eventsPlaced + stats[1]!.eventsPlaced).toBe(6);

    r.clients[0].run('sendToTech', { id: job });
    await r.step();
    await r.step();
    expect(r.delivered()).toBe(6 + 4); // Ana ×3 and Ben ×1 hear it is dispatched, once
    expect(new Set([...r.smtp.raw, ...r.sms.raw, ...r.chat.raw].map((m) => m.key)).size).toBe(10);
  });

  it('sends the daily schedule once per provider per day with both nodes due at once', async () => {
    // Mon Nov 23 2026, 04:59 Chicago.
    const r = await rig('2026-11-23T10:59:00Z');
    r.clients[0].run('createBooking', { title: 'Mon job', slot: { start: '2026-11-23T15:00:00Z', end: '2026-11-23T16:00:00Z', assignees: [r.ids.ana, r.ids.ben] } });
    r.clients[0].run('createBooking', { title: 'Tue job', slot: { ...TUE_9_TO_11, assignees: [r.ids.ana] } });
    await r.step();
    const daily = () => r.smtp.raw.filter((m) => m.subject.startsWith('Your schedule')).map((m) => `${m.envelopeTo[0]} ${m.subject}`);
    expect(daily()).toEqual([]);
    r.clock.set('2026-11-23T11:01:00Z');
    await r.step();
    await r.step();
    expect(daily().sort()).toEqual([
      'ana@example.com Your schedule for Monday, November 23, 2026 (1 job)',
      'ben@example.com Your schedule for Monday, November 23, 2026 (1 job)',
    ]);
    // A node restarted the same day (its memory gone) sends nothing more.
    await r.restartNodeTwo();
    r.clock.set('2026-11-23T20:00:00Z');
    await r.step();
    r.clock.set('2026-11-24T11:00:00Z');
    await r.step();
    await r.step();
    expect(daily().filter((line) => line.includes('Tuesday'))).toEqual(['ana@example.com Your schedule for Tuesday, November 24, 2026 (1 job)']);
    expect(daily()).toHaveLength(3);
  });

  it('a delivery whose node died is taken over when its lease lapses, and sent once', async () => {
    const r = await rig('2026-11-23T15:00:00Z');
    await r.step();
    const job = r.clients[0].run('createBooking', { title: 'Furnace', slot: { ...TUE_9_TO_11, assignees: [] } }).id;
    r.clients[0].run('saveChanges', { changes: [{ id: job, slot: { ...TUE_9_TO_11, assignees: [r.ids.ben] } }], notifyProviders: true, notifyCustomers: false });
    // Node two places the events; the batch is sealed and then claimed by a third node that dies holding it.
    const docs = () => {
      const roster = r.nodes[1]!.server.rooms.get(roomOf(ORG_A, 'roster'));
      const schedule = r.nodes[1]!.server.rooms.get(roomOf(ORG_A, 'schedule'));
      return roster && schedule ? { roster: roster.doc, schedule: schedule.doc } : null;
    };
    await r.clients[0].pushedTo(docs);
    expect(await r.nodes[1]!.server.notifications!.worker.scanOrg(ORG_A)).toBe(1);
    const [batch] = await r.store.closedBatches(r.clock.now());
    expect(await r.store.seal(batch!, r.clock.now(), { name: 'Ben Brown', address: 'ben@example.com', message: { subject: 'New job', text: 't', html: '<p>t</p>', short: 's' } })).toBe(true);
    const [held] = await r.store.claimDue(r.clock.now(), 1, { owner: 'node-that-dies', untilMs: r.clock.now() + 60_000, maxAttempts: 8 });
    expect(held?.id).toBe(batch!.id);

    // While its lease runs, neither node touches it.
    r.clock.advance(59_999);
    await r.step();
    expect(r.smtp.raw).toEqual([]);
    expect((await r.store.get(ORG_A, held!.id))!.leaseOwner).toBe('node-that-dies');
    // Lapsed: one of the two nodes takes it over as attempt 2 and sends it, once.
    r.clock.advance(1);
    await r.step();
    await r.step();
    expect(r.smtp.raw.map((m) => m.envelopeTo[0])).toEqual(['ben@example.com']);
    const row = (await r.store.get(ORG_A, held!.id))!;
    expect(row).toMatchObject({ status: 'sent', attempts: 2, leaseOwner: null });
    expect(r.nodes.map((node) => node.server.notifications!.worker.nodeId)).not.toContain('node-that-dies');
  });
});
