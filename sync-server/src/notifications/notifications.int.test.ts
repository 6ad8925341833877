/**
 * The notification worker end to end, in process: a real sync server (port 0, temp data dir), console-like
 * clients writing through core's commands over stock y-websocket providers, a real SMTP server and webhook
 * endpoints on 127.0.0.1, and an injected clock (`notifications.now`) so batches, retries and the daily
 * email are driven step by step with `worker.runOnce()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getBooking, scheduleMaps } from '../../../core/doc/schedule';
import { createRng } from '../../../core/demo/random';
import { saveAudience } from '../../../core/notifications/save-audience';
import { fromMs, toMs } from '../../../core/time';
import type { Actor } from '../../../core/model';
import * as Y from 'yjs';
import { ORG_A, RawClient, roomOf, startTestServer, syncUpdate, type TestServer } from '../sync/testing/harness';
import { freePort } from '../sync/testing/server-process';
import { messageIdFor } from './channels';
import type { NotificationOptions } from './notifications';
import { SmtpSink, WebhookSink } from './testing/sinks';
import { Clock, OrgClient, seedOrg, type SeededOrg } from './testing/org-client';

const FROM = 'Northwind Dispatch <dispatch@northwind.example>';
const TUE_9_TO_11 = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };

interface Rig {
  t: TestServer;
  client: OrgClient;
  ids: SeededOrg;
  clock: Clock;
  smtp: SmtpSink;
  sms: WebhookSink;
  chat: WebhookSink;
  /** Push the client's changes to the server, then one worker pass (deliveries awaited). */
  step(): Promise<void>;
  restart(at?: string): Promise<void>;
  rows(): ReturnType<NonNullable<TestServer['server']['notifications']>['store']['allRows']>;
  api(path: string, token?: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }>;
}

describe('notification worker', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(
    options: {
      start?: string;
      channels?: 'configured' | 'files';
      notifications?: NotificationOptions;
      /** Done in the workspace before the server's first look at it (as a desktop before its first sync). */
      beforeFirstScan?: (client: OrgClient, ids: SeededOrg) => void;
    } = {},
  ): Promise<Rig> {
    const clock = new Clock(options.start ?? '2026-11-23T15:00:00Z');
    const smtp = await SmtpSink.start();
    const sms = await WebhookSink.start();
    const chat = await WebhookSink.start();
    cleanups.push(() => smtp.close(), () => sms.close(), () => chat.close());
    const configured: NotificationOptions =
      options.channels === 'files'
        ? {}
        : {
            smtpUrl: smtp.url,
            mailFrom: FROM,
            smsWebhookUrl: `http://AC123:secret@${sms.url.slice('http://'.length)}`,
            smsWebhookStyle: 'twilio',
            smsFrom: '+13125550000',
            chatWebhookUrl: chat.url,
            chatWebhookStyle: 'slack',
          };
    const notifications: NotificationOptions = {
      ...configured,
      tickMs: 0,
      now: clock.now,
      batchWindowMs: 0,
      random: () => 0.5,
      timeoutMs: 3000,
      
      ...options.notifications,
    };
    const port = await freePort();
    let t = await startTestServer({ port, notifications });
    const dataDir = t.dataDir;
    const client = await new OrgClient(t.wsUrl, ORG_A, 'dispatcher-a', clock).connect();
    cleanups.push(async () => {
      client.disconnect();
      await r.t.stop();
    });
    const ids = seedOrg(client);
    const serverDocs = () => {
      const roster = r.t.server.rooms.get(roomOf(ORG_A, 'roster'));
      const schedule = r.t.server.rooms.get(roomOf(ORG_A, 'schedule'));
      return roster && schedule ? { roster: roster.doc, schedule: schedule.doc } : null;
    };
    const r: Rig = {
      t,
      client,
      ids,
      clock,
      smtp,
      sms,
      chat,
      async step() {
        await client.pushedTo(serverDocs);
        await r.t.server.notifications!.worker.runOnce();
      },
      async restart(at) {
        await r.t.stop(true);
        if (at) clock.set(at);
        t = await startTestServer({ port, dataDir, notifications });
        r.t = t;
      },
      rows: () => r.t.server.notifications!.store.allRows(),
      async api(path, token = 'admin-a', init = {}) {
        const res = await fetch(`${r.t.server.url}${path}`, {
          ...init,
          headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
    };
    // The worker's first look at an organization only records it: a workspace uploaded with jobs already
    // sent to technicians (before there was a server) tells nobody.
    const planned = r.client.run('createBooking', { title: 'Already planned', slot: { ...TUE_9_TO_11, assignees: [ids.ana] } }).id;
    r.client.run('sendToTech', { id: planned });
    options.beforeFirstScan?.(r.client, ids);
    await r.step();
    return r;
  }

  const job = (r: Rig, assignees: string[], extra: Record<string, unknown> = {}) =>
    r.client.run('createBooking', {
      title: 'Furnace at Dawson',
      customerId: r.ids.dee,
      serviceId: r.ids.service,
      location: { address: '12 Oak St, Chicago', coordinates: null },
      notes: 'Bring filters',
      slot: { ...TUE_9_TO_11, assignees },
      ...extra,
    }).id;

  it('delivers a Save’s notifications by SMTP, a Twilio-style SMS webhook and a Slack-style chat webhook', async () => {
    const r = await rig();
    expect(await r.rows()).toEqual([]);
    // Booked with nobody yet; the Save gives it to Ana (a Save that changes nothing tells nobody).
    const id = job(r, []);
    const saved = r.client.run('saveChanges', { changes: [{ id, slot: { ...TUE_9_TO_11, assignees: [r.ids.ana] } }], notifyProviders: true, notifyCustomers: true });
    await r.step();
    const requestId = saved.notificationRequestId!;

    expect(r.smtp.raw.map((m) => m.envelopeTo[0]).sort()).toEqual(['ana@example.com', 'dee@example.com']);
    const ana = r.smtp.raw.find((m) => m.envelopeTo[0] === 'ana@example.com')!;
    const key = `req:${requestId}|provider:${r.ids.ana}|email`;
    expect(ana.idempotencyKey).toBe(key);
    expect(ana.key).toBe(messageIdFor(key, FROM));
    expect(ana.subject).toBe('New job for you: Furnace at Dawson');
    expect(ana.to).toContain('Ana Alvarez');
    expect(ana.headers.get('from')).toContain('dispatch@northwind.example');
    expect(ana.text).toContain('When: Tue, Nov 24, 2026, 09:00–11:00 CST');
    expect(ana.text).toContain('Address: 12 Oak St, Chicago');
    expect(ana.text).toContain('Notes: Bring filters');
    expect(ana.html).toContain('<th style="text-align: left; padding: 2px 12px 2px 0; vertical-align: top">When</th>');
    const dee = r.smtp.raw.find((m) => m.envelopeTo[0] === 'dee@example.com')!;
    expect(dee.subject).toBe('Your appointment — Northwind Home Services');
    expect(dee.text).not.toContain('Bring filters');

    expect(r.sms.raw).toHaveLength(2);
    for (const hook of r.sms.raw) {
      expect(hook.contentType).toBe('application/x-www-form-urlencoded');
      expect(hook.form!.From).toBe('+13125550000');
      expect(hook.authorization).toBe(`Basic ${Buffer.from('AC123:secret').toString('base64')}`);
    }
    const anaSms = r.sms.raw.find((h) => h.form!.To === '+1 312 555 0101')!;
    expect(anaSms.key).toBe(`req:${requestId}|provider:${r.ids.ana}|sms`);
    expect(anaSms.form!.Body).toContain('New job for you: Furnace at Dawson, Tue, Nov 24, 2026, 09:00–11:00 CST, 12 Oak St, Chicago');
    expect(r.sms.raw.find((h) => h.form!.To === '+1 312 555 0199')!.form!.Body).toContain('Your appointment');

    expect(r.chat.raw).toHaveLength(1);
    const chat = r.chat.raw[0]!;
    expect(chat.contentType).toBe('application/json');
    expect(chat.key).toBe(`req:${requestId}|provider:${r.ids.ana}|chat`);
    expect(String(chat.json!.text)).toMatch(/^@ana: New job for you: Furnace at Dawson\n/);
    expect(Array.isArray(chat.json!.blocks)).toBe(true);

    expect((await r.rows()).map((row) => row.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    // Nothing more on later passes: the request is read once.
    await r.step();
    expect(r.smtp.raw.length + r.sms.raw.length + r.chat.raw.length).toBe(5);
  });

  it('with no channel configured, writes the messages as files in the data directory', async () => {
    const r = await rig({ channels: 'files' });
    const id = job(r, [r.ids.ana]);
    r.client.run('sendToTech', { id });
    await r.step();
    const outbox = join(r.t.dataDir, 'outbox');
    const eml = readdirSync(join(outbox, 'email'));
    expect(eml).toHaveLength(1);
    const mail = readFileSync(join(outbox, 'email', eml[0]!), 'utf8');
    expect(mail).toMatch(/^Subject: Sent to you: Furnace at Dawson$/m);
    expect(mail).toMatch(/^Message-ID: <[0-9a-f]{40}@localhost>$/m);
    expect(mail).toMatch(/^To: Ana Alvarez <ana@example.com>$/m);
    const sms = JSON.parse(readFileSync(join(outbox, 'sms', readdirSync(join(outbox, 'sms'))[0]!), 'utf8')) as Record<string, string>;
    expect(sms.to).toBe('+1 312 555 0101');
    expect(sms.text).toContain('Sent to you: Furnace at Dawson, Tue, Nov 24, 2026, 09:00–11:00 CST');
    expect(readdirSync(join(outbox, 'chat'))).toHaveLength(1);
    expect((await r.rows()).every((row) => row.status === 'sent' && row.sentVia === 'file')).toBe(true);
  });

  it('batches a burst: three edits within a minute give one message per recipient with the latest state', async () => {
    const r = await rig({ notifications: { batchWindowMs: 60_000 } });
    const id = job(r, [r.ids.ana, r.ids.ben]);
    r.client.run('sendToTech', { id });
    await r.step();
    r.clock.advance(61_000);
    await r.step();
    const afterDispatch = { mail: r.smtp.raw.length, sms: r.sms.raw.length, chat: r.chat.raw.length };
    expect(afterDispatch).toEqual({ mail: 2, sms: 1, chat: 1 });

    for (const start of ['2026-11-24T16:00:00Z', '2026-11-24T17:00:00Z', '2026-11-24T19:00:00Z']) {
      r.client.run('moveBooking', { id, start });
      await r.step();
      r.clock.advance(20_000);
    }
    expect(r.smtp.raw.length).toBe(afterDispatch.mail);
    r.clock.advance(1_000);
    await r.step();
    const mails = r.smtp.raw.slice(afterDispatch.mail);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(['ana@example.com', 'ben@example.com']);
    for (const mail of mails) {
      expect(mail.subject).toBe('Job changed: Furnace at Dawson');
      expect(mail.text).toContain('When: Tue, Nov 24, 2026, 13:00–15:00 CST');
      expect(mail.text).not.toContain('10:00–12:00');
    }
    expect(r.sms.raw.slice(afterDispatch.sms)).toHaveLength(1);
    expect(r.chat.raw.slice(afterDispatch.chat)).toHaveLength(1);
  });

  it('tells the new technician and the removed one on a reassignment, and the customer when a technician is en route', async () => {
    const r = await rig();
    const id = job(r, [r.ids.ana]);
    r.client.run('sendToTech', { id });
    await r.step();
    const before = r.smtp.raw.length;
    r.client.run('reassignProvider', { id, fromProviderId: r.ids.ana, toProviderId: r.ids.ben });
    await r.step();
    const mails = r.smtp.raw.slice(before);
    expect(mails.find((m) => m.envelopeTo[0] === 'ben@example.com')!.subject).toBe('New job for you: Furnace at Dawson');
    expect(mails.find((m) => m.envelopeTo[0] === 'ana@example.com')!.subject).toBe('Removed from job: Furnace at Dawson');
    expect(r.sms.raw.at(-1)!.form!.Body).toContain('Removed from job');

    const ben: Actor = { id: 'user-ben', name: 'Ben Brown', role: 'technician', providerId: r.ids.ben };
    r.client.run('updateStatus', { id, status: 'en_route' }, ben);
    await r.step();
    const dee = r.smtp.raw.find((m) => m.envelopeTo[0] === 'dee@example.com')!;
    expect(dee.subject).toBe('Your technician Ben Brown is on the way — Northwind Home Services');
    expect(dee.text).toContain('When: Tue, Nov 24, 2026, 09:00–11:00 CST');
    expect(r.sms.raw.find((h) => h.form!.To === '+1 312 555 0199')!.form!.Body).toContain('Your technician Ben Brown is on the way');
  });

  it('sends a request once, however many replicas, reconnects, re-sent updates and restarts bring it', async () => {
    const r = await rig();
    const id = job(r, []);
    const saved = r.client.run('saveChanges', { changes: [{ id, slot: { ...TUE_9_TO_11, assignees: [r.ids.ana] } }], notifyProviders: true, notifyCustomers: false });
    const other = await new OrgClient(r.t.wsUrl, ORG_A, 'dispatcher-a', r.clock).connect();
    cleanups.push(() => other.disconnect());
    await r.step();
    const sent = () => r.smtp.raw.filter((m) => m.idempotencyKey.startsWith(`req:${saved.notificationRequestId}`)).length;
    expect(sent()).toBe(1);
    expect(scheduleMaps(other.schedule).notificationRequests.has(saved.notificationRequestId!)).toBe(true);

    // The second replica goes away, the server restarts, and both come back and hand over everything again.
    other.disconnect();
    await r.restart();
    await other.connect();
    await r.step();
    await r.t.server.notifications!.worker.runOnce();
    // A third replica, and a raw replay of a whole replica's schedule as one update: nothing is new.
    const replica = await new OrgClient(r.t.wsUrl, ORG_A, 'dispatcher-a', r.clock).connect();
    cleanups.push(() => replica.disconnect());
    const raw = await RawClient.open(r.t.wsUrl, roomOf(ORG_A, 'schedule'), 'dispatcher-a');
    cleanups.push(() => raw.close());
    raw.send(syncUpdate(Y.encodeStateAsUpdate(other.schedule)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await r.step();
    r.clock.advance(3_600_000);
    await r.step();
    expect(sent()).toBe(1);
    expect((await r.rows()).filter((row) => row.idempotencyKey.startsWith(`req:${saved.notificationRequestId}`)).map((row) => row.channel).sort()).toEqual(['chat', 'email', 'sms']);
  });

  it('honours Retry-After, dead-letters refusals and capped failures with the reason, and lets an admin retry', async () => {
    const r = await rig({ notifications: { retry: { baseMs: 1000, maxAttempts: 3 } } });
    const id = job(r, [r.ids.ana]);
    r.sms.script = [{ status: 503, retryAfter: '120' }];
    r.chat.script = [{ status: 400 }];
    r.client.run('sendToTech', { id });
    await r.step();
    const sms = (await r.rows()).find((row) => row.channel === 'sms')!;
    expect(sms).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: r.clock.now() + 120_000 });
    expect(sms.lastError).toContain('HTTP 503');
    const chat = (await r.rows()).find((row) => row.channel === 'chat')!;
    expect(chat.status).toBe('dead');
    expect(chat.lastError).toMatch(/^refused: attempt 1 via webhook:slack: HTTP 400/);

    r.clock.advance(60_000);
    await r.step();
    expect(r.sms.attempts).toBe(1);
    r.clock.advance(61_000);
    await r.step();
    expect(r.sms.attempts).toBe(2);
    expect((await r.rows()).find((row) => row.channel === 'sms')!.status).toBe('sent');

    // Capped: three server errors in a row.
    r.chat.script = [{ status: 500 }, { status: 502 }, { status: 500 }];
    r.client.run('moveBooking', { id, start: '2026-11-24T16:00:00Z' });
    for (let i = 0; i < 4; i++) {
      await r.step();
      r.clock.advance(10_000);
    }
    const capped = (await r.rows()).filter((row) => row.channel === 'chat').at(-1)!;
    expect(capped).toMatchObject({ status: 'dead', attempts: 3 });
    expect(capped.lastError).toMatch(/^gave up after 3 attempts; last: attempt 3 via webhook:slack: HTTP 500/);

    // The job's log, for admins and dispatchers of this organization only.
    const log = await r.api(`/api/admin/notifications?bookingId=${id}`);
    expect(log.status).toBe(200);
    const entries = log.body.notifications as Array<Record<string, unknown>>;
    expect(entries.length).toBe((await r.rows()).length);
    expect(entries.map((e) => e.status)).toContain('dead');
    expect(entries[0]).toMatchObject({ recipient: { kind: 'provider', id: r.ids.ana, name: 'Ana Alvarez' } });
    expect((await r.api(`/api/admin/notifications?bookingId=${id}`, 'dispatcher-a')).status).toBe(200);
    expect((await r.api(`/api/admin/notifications?bookingId=${id}`, 'viewer-a')).status).toBe(403);
    expect((await r.api(`/api/admin/notifications?bookingId=${id}`, 'nobody')).status).toBe(401);
    expect(((await r.api(`/api/admin/notifications?bookingId=${id}`, 'admin-b')).body.notifications as unknown[]).length).toBe(0);
    expect((await r.api('/api/admin/notifications?bookingId=nope')).status).toBe(400);

    const dead = await r.api('/api/admin/notifications/dead-letters');
    const deadIds = (dead.body.notifications as Array<{ id: number; lastError: string }>).map((d) => d.id).sort();
    expect(deadIds).toEqual([chat.id, capped.id].sort());
    expect((await r.api('/api/admin/notifications/dead-letters', 'dispatcher-a')).status).toBe(403);

    expect((await r.api(`/api/admin/notifications/${capped.id}/retry`, 'admin-b', { method: 'POST' })).status).toBe(404);
    expect((await r.api(`/api/admin/notifications/${sms.id}/retry`, 'admin-a', { method: 'POST' })).status).toBe(409);
    expect((await r.api('/api/admin/notifications/abc/retry', 'admin-a', { method: 'POST' })).status).toBe(404);
    const retried = await r.api(`/api/admin/notifications/${capped.id}/retry`, 'admin-a', { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(retried.body.notification).toMatchObject({ status: 'pending', attempts: 0 });
    const chatBefore = r.chat.raw.length;
    await r.step();
    expect((await r.rows()).find((row) => row.id === capped.id)!.status).toBe('sent');
    expect(r.chat.raw.slice(chatBefore).map((h) => h.key)).toEqual([capped.idempotencyKey]);
  });

  it('resends a provider’s daily schedule on an admin’s request, with clear errors for bad input', async () => {
    const r = await rig();
    job(r, [r.ids.ana]);
    await r.step();
    const ok = await r.api('/api/admin/daily-schedule/resend', 'admin-a', { method: 'POST', body: JSON.stringify({ providerId: r.ids.ana, date: '2026-11-24' }) });
    expect(ok.status).toBe(202);
    await r.step();
    const mail = r.smtp.raw.find((m) => m.subject.startsWith('Your schedule'))!;
    expect(mail.subject).toBe('Your schedule for Tuesday, November 24, 2026 (2 jobs)');
    expect(mail.text).toContain('09:00–11:00 CST');
    const post = (body: unknown, token = 'admin-a') => r.api('/api/admin/daily-schedule/resend', token, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ providerId: r.ids.cat, date: '2026-11-24' })).body).toMatchObject({ error: { code: 'validation', field: 'providerId' } });
    expect((await post({ providerId: '01900000-0000-7000-8000-0000000000ff', date: '2026-11-24' })).status).toBe(404);
    expect((await post({ providerId: r.ids.ana, date: '2026-13-01' })).body).toMatchObject({ error: { code: 'validation', field: 'date' } });
    expect((await post({ providerId: r.ids.ana, date: '2026-11-24', extra: 1 })).status).toBe(400);
    expect((await post({ providerId: r.ids.ana, date: '2026-11-24' }, 'dispatcher-a')).status).toBe(403);
    expect((await post({ providerId: r.ids.ana, date: '2026-11-24' }, 'admin-b')).status).toBe(404);
  });

  it('sends the daily schedule at 05:00 Chicago time once per provider per day, across DST changes and restarts', async () => {
    // Sat Oct 31 2026, 04:59 CDT.
    const r = await rig({ start: '2026-10-31T09:59:00Z' });
    const slot = (start: string, end: string, assignees: string[]) => ({ start, end, assignees });
    r.client.run('createBooking', { title: 'Sat job', slot: slot('2026-10-31T14:00:00Z', '2026-10-31T15:00:00Z', [r.ids.ana, r.ids.ben]) });
    r.client.run('createBooking', { title: 'Sun job', slot: slot('2026-11-01T15:00:00Z', '2026-11-01T16:00:00Z', [r.ids.ana, r.ids.ben]) });
    r.client.run('createBooking', { title: 'Cat job', slot: slot('2026-10-31T14:00:00Z', '2026-10-31T15:00:00Z', [r.ids.cat]) });
    r.client.run('createBooking', { title: 'Spring job', slot: slot('2027-03-14T14:00:00Z', '2027-03-14T15:00:00Z', [r.ids.ana]) });
    await r.step();
    const daily = () => r.smtp.raw.filter((m) => m.subject.startsWith('Your schedule'));
    expect(daily()).toHaveLength(0);

    // Restart at 05:01: due, sent at once, to Ana and Ben (Cat has no email).
    await r.restart('2026-10-31T10:01:00Z');
    await r.step();
    expect(daily().map((m) => `${m.envelopeTo[0]} ${m.subject}`).sort()).toEqual([
      'ana@example.com Your schedule for Saturday, October 31, 2026 (1 job)',
      'ben@example.com Your schedule for Saturday, October 31, 2026 (1 job)',
    ]);
    // Later passes and another restart the same day send nothing more.
    r.clock.set('2026-10-31T15:00:00Z');
    await r.step();
    await r.restart('2026-10-31T16:00:00Z');
    await r.step();
    expect(daily()).toHaveLength(2);

    // Sun Nov 1: clocks fall back. 10:30Z is 04:30 CST (yesterday's 05:00 was 10:00Z): not yet.
    r.client.run('updateProvider', { id: r.ids.ben, active: false });
    r.clock.set('2026-11-01T10:30:00Z');
    await r.step();
    expect(daily()).toHaveLength(2);
    r.clock.set('2026-11-01T11:00:00Z');
    await r.step();
    const sunday = daily().slice(2);
    expect(sunday.map((m) => m.envelopeTo[0])).toEqual(['ana@example.com']);
    expect(sunday[0]!.subject).toBe('Your schedule for Sunday, November 1, 2026 (1 job)');
    // On a 25-hour day the times carry the zone.
    expect(sunday[0]!.text).toContain('09:00 CST–10:00 CST: Sun job');

    // Sun Mar 14 2027: clocks spring forward. Down from 04:58 CDT to 05:30 CDT: caught up once at start.
    r.clock.set('2027-03-14T09:58:00Z');
    await r.step();
    expect(daily()).toHaveLength(3);
    await r.restart('2027-03-14T10:30:00Z');
    await r.step();
    await r.t.server.notifications!.worker.runOnce();
    await r.restart('2027-03-14T10:40:00Z');
    await r.step();
    const spring = daily().slice(3);
    expect(spring.map((m) => `${m.envelopeTo[0]} ${m.subject}`)).toEqual(['ana@example.com Your schedule for Sunday, March 14, 2027 (1 job)']);
    expect(spring[0]!.text).toContain('09:00 CDT–10:00 CDT: Spring job');
  });

  describe('every Save request ends sent or skipped with its reason, with messages from the real before/after', () => {
    const logOf = async (r: Rig, bookingId: string) =>
      (await r.api(`/api/admin/notifications?bookingId=${bookingId}`)).body.notifications as Array<{
        status: string;
        channel: string;
        recipient: { kind: string; id: string; name: string };
        lastError: string | null;
      }>;

    it('a Save synced two days late (desktop clock slow) is sent while the job is ahead, by the server’s receipt time', async () => {
      const r = await rig();
      const id = job(r, [r.ids.ana]);
      await r.step();
      // The desktop's clock runs two days slow: its request says it was made on Saturday.
      r.clock.set('2026-11-21T15:00:00Z');
      r.client.run('saveChanges', { changes: [{ id, slot: { ...TUE_9_TO_11, assignees: [r.ids.ana, r.ids.ben] } }], notifyProviders: true, notifyCustomers: false });
      r.clock.set('2026-11-23T15:30:00Z');
      await r.step();
      expect(r.smtp.raw.map((m) => `${m.envelopeTo[0]} ${m.subject}`).sort()).toEqual([
        'ana@example.com Job changed: Furnace at Dawson',
        'ben@example.com New job for you: Furnace at Dawson',
      ]);
      expect((await logOf(r, id)).every((n) => n.status === 'sent')).toBe(true);
    });

    it('the same late Save is logged skipped, "job over", when the server receives it after the job ended', async () => {
      const r = await rig();
      const id = job(r, [r.ids.ana]);
      await r.step();
      r.clock.set('2026-11-22T15:00:00Z');
      r.client.run('saveChanges', { changes: [{ id, slot: { ...TUE_9_TO_11, assignees: [r.ids.ben] } }], notifyProviders: true, notifyCustomers: true });
      r.clock.set('2026-11-24T18:00:00Z');
      await r.step();
      // (The day's 05:00 schedule emails are due by now; nothing else is sent.)
      expect(r.smtp.raw.filter((m) => !m.subject.startsWith('Your schedule'))).toHaveLength(0);
      const log = await logOf(r, id);
      expect(log.map((n) => `${n.status} ${n.recipient.name}`).sort()).toEqual(['skipped Ana Alvarez', 'skipped Ben Brown', 'skipped Dee Dawson']);
      for (const n of log) expect(n.lastError).toMatch(/already over when the server received this Save/);
    });

    it('a job made and sent to its technician offline, synced two days later, is sent while ahead and logged skipped once over', async () => {
      const r = await rig();
      await r.step();
      // Made and sent on a desktop whose clock says Saturday; the server first sees both on Monday.
      r.clock.set('2026-11-21T15:00:00Z');
      const ahead = job(r, [r.ids.ana]);
      r.client.run('sendToTech', { id: ahead });
      const past = job(r, [r.ids.ben], { slot: { start: '2026-11-22T15:00:00Z', end: '2026-11-22T17:00:00Z', assignees: [r.ids.ben] } });
      r.client.run('sendToTech', { id: past });
      r.clock.set('2026-11-23T15:30:00Z');
      await r.step();
      await r.step();
      expect(r.smtp.raw.filter((m) => m.subject.includes('Furnace at Dawson')).map((m) => m.envelopeTo[0])).toEqual(['ana@example.com']);
      expect((await logOf(r, ahead)).map((n) => n.status)).toContain('sent');
      const skipped = await logOf(r, past);
      expect(skipped.map((n) => `${n.status} ${n.recipient.name}`)).toEqual(['skipped Ben Brown']);
      expect(skipped[0]!.lastError).toMatch(/^Not sent: the job was already over when the server first saw it/);
    });

    it('a Save made before the workspace first synced is logged skipped with that reason, removed technicians included', async () => {
      let id = '';
      const r = await rig({
        beforeFirstScan: (client, ids) => {
          id = client.run('createBooking', { title: 'Offline job', customerId: ids.dee, slot: { ...TUE_9_TO_11, assignees: [ids.ana, ids.ben] } }).id;
          // What a desktop not linked to any server yet writes (the web host and Electron say so).
          client.run('saveChanges', { changes: [{ id, slot: { ...TUE_9_TO_11, assignees: [ids.ana] } }], notifyProviders: true, notifyCustomers: true, beforeLink: true });
        },
      });
      expect(r.smtp.raw).toHaveLength(0);
      const log = await logOf(r, id);
      expect(log.map((n) => `${n.status} ${n.recipient.name}`).sort()).toEqual(['skipped Ana Alvarez', 'skipped Ben Brown', 'skipped Dee Dawson']);
      for (const n of log) expect(n.lastError).toMatch(/saved before this workspace synced/);
    });

    it('a move tells the customer the new time (not the stale arrival window) and a technician already on it "Job changed"', async () => {
      const r = await rig();
      // Arrival window 09:00–10:00 Chicago; the job moves to 13:00–15:00.
      const id = job(r, [r.ids.ana], { arrivalWindow: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z' } });
      await r.step();
      r.client.run('saveChanges', {
        changes: [{ id, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [r.ids.ana, r.ids.cat] } }],
        notifyProviders: true,
        notifyCustomers: true,
      });
      await r.step();
      const dee = r.smtp.raw.find((m) => m.envelopeTo[0] === 'dee@example.com')!;
      expect(dee.subject).toBe('Your appointment has moved — Northwind Home Services');
      expect(dee.text).toContain('New time: Tue, Nov 24, 2026, 13:00–15:00 CST');
      expect(dee.text).not.toContain('09:00');
      expect(r.sms.raw.find((h) => h.form!.To === '+1 312 555 0199')!.form!.Body).toContain('13:00–15:00 CST');
      const ana = r.smtp.raw.find((m) => m.envelopeTo[0] === 'ana@example.com')!;
      expect(ana.subject).toBe('Job changed: Furnace at Dawson');
      expect(ana.text).toContain('What changed: time and team');
      expect(ana.text).toContain('Was: Tue, Nov 24, 2026, 09:00–11:00 CST');
      expect(r.sms.raw.find((h) => h.form!.To === '+1 312 555 0103')!.form!.Body).toContain('New job for you: Furnace at Dawson');
    });

    it('seeded random Saves: each ends sent or skipped, and the log names exactly the Save audience the preview computes', async () => {
      const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
      console.log(`save outcomes: seed ${seed} (replay with FC_SEED=${seed})`);
      const rng = createRng(seed);
      const r = await rig();
      const techs = [r.ids.ana, r.ids.ben, r.ids.cat];
      const jobs = [job(r, [r.ids.ana]), job(r, [], { customerId: null }), job(r, [r.ids.ben, r.ids.cat])];
      await r.step();
      const base = toMs('2026-11-23T15:00:00Z');
      let checked = 0;
      for (let round = 0; round < 14; round++) {
        const id = jobs[rng.int(0, jobs.length - 1)]!;
        const booking = getBooking(r.client.schedule, id)!;
        const startMs = base + rng.int(-30, 60) * 3_600_000;
        const after = {
          start: fromMs(startMs).replace(/\.\d{3}Z$/, 'Z'),
          end: fromMs(startMs + 2 * 3_600_000).replace(/\.\d{3}Z$/, 'Z'),
          assignees: techs.filter(() => rng.next() < 0.5),
        };
        const notifyProviders = rng.next() < 0.7;
        const notifyCustomers = !notifyProviders || rng.next() < 0.5;
        const skew = rng.next() < 0.3;
        const serverNow = r.clock.now();
        if (skew) r.clock.set('2026-11-20T00:00:00Z');
        let saved;
        try {
          saved = r.client.run('saveChanges', { changes: [{ id, slot: after }], notifyProviders, notifyCustomers });
        } catch {
          saved = null;
        } finally {
          r.clock.set(fromMs(serverNow));
        }
        if (!saved?.notificationRequestId) continue;
        const expected = saveAudience({ before: booking.slot, after, customerId: booking.customerId, notifyProviders, notifyCustomers }).map(
          (n) => `${n.recipient.kind}:${n.recipient.id}`,
        );
        const rowsBefore = (await r.rows()).length;
        await r.step();
        // (Daily schedule emails fall due as the clock moves on: not this Save's.)
        const rows = (await r.rows()).slice(rowsBefore).filter((row) => row.kind === 'batch');
        expect(rows.every((row) => row.status === 'sent' || row.status === 'skipped'), JSON.stringify(rows)).toBe(true);
        const logged = [...new Set(rows.map((row) => `${row.recipientKind}:${row.recipientId}`))].sort();
        expect(logged).toEqual(expected.length > 0 ? [...new Set(expected)].sort() : ['provider:']);
        const over = startMs + 2 * 3_600_000 <= serverNow;
        if (expected.length > 0) expect(rows.every((row) => row.status === (over ? 'skipped' : 'sent')), JSON.stringify(rows)).toBe(true);
        for (const row of rows) if (row.status === 'skipped') expect(row.lastError).toMatch(/^Not sent: /);
        checked++;
        r.clock.advance(rng.int(0, 3) * 3_600_000);
      }
      expect(checked).toBeGreaterThan(3);
    });
  });
});
