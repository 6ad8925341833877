/**
 * Chaos across nodes (issue 23, 3): two `npm run server` processes on one PostgreSQL and one Redis, both
 * running the notification worker, every channel against receivers that fail about 30% of attempts by a
 * logged seed, two console replicas (one on each node) planning, and node one killed with SIGKILL while
 * deliveries are under way, then started again. Afterwards every message ended sent or dead-lettered once,
 * every event sits in exactly one message (both nodes saw every change), no receiver got a message more
 * often than it was attempted, and each provider's daily schedule email went out once per day.
 *
 * Seeded: FC_SEED=<seed> npx vitest run sync-server/src/notifications/notifications-many-nodes-chaos.int.test.ts
 * (the receivers' decisions and the plan replay; process timing does not).
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../core/demo/random';
import type { Actor } from '../../../core/model';
import { postgresAndRedisForFile } from '../storage/testing/engines-for-file';
import { tempDir, waitUntil } from '../sync/testing/harness';
import { freePort, login, spawnServer, type ServerProcess } from '../sync/testing/server-process';
import { messageIdFor } from './channels';
import { SmtpSink, WebhookSink } from './testing/sinks';
import { DISPATCHER, OrgClient } from './testing/org-client';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const FROM = 'Northwind <dispatch@northwind.example>';
const ACTIONS = 24;
const HOUR = 3_600_000;

interface OutboxRecord {
  id: string;
  idem_key: string;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
  recipient_id: string;
}

const engines = postgresAndRedisForFile();

/**
 * A fixed-offset zone where it is now between 03:00 and 04:00: the day's jobs are still ahead and the daily
 * email (due at 23:00 until the test moves it) is not due before the jobs exist, whatever the real date.
 */
function zoneAtThreeAm(nowMs: number): string {
  let offset = 3 - new Date(nowMs).getUTCHours();
  if (offset < -12) offset += 24;
  // POSIX sign: Etc/GMT+5 is five hours behind UTC.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

describe('notification worker on two nodes under chaos', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it(`sends each message once or dead-letters it once, and each daily email once, across a kill -9 (seed ${SEED})`, { timeout: 180_000 }, async () => {
    console.log(`notification chaos on two nodes: seed ${SEED} (replay with FC_SEED=${SEED})`);
    const rng = createRng(SEED);
    const smtp = await SmtpSink.start({ rng: rng.fork() });
    const sms = await WebhookSink.start({ rng: rng.fork() });
    const chat = await WebhookSink.start({ rng: rng.fork() });
    cleanups.push(() => smtp.close(), () => sms.close(), () => chat.close());
    const dataDir = tempDir('crewline-notify-nodes-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const databaseUrl = await engines.postgres.createDatabase();
    const common = [
      '--data-dir', dataDir, '--database-url', databaseUrl, '--redis-url', engines.redis.url, '--archive-every-minutes', '0',
      '--smtp-url', smtp.url, '--mail-from', FROM,
      '--sms-webhook-url', sms.url, '--sms-from', '+13125550000',
      '--chat-webhook-url', chat.url,
      '--notify-batch-seconds', '0', '--notify-retry-base-ms', '100', '--notify-max-attempts', '6',
      '--notify-timeout-ms', '600', '--notify-tick-ms', '100',
    ];
    const [portOne, portTwo] = [await freePort(), await freePort()];
    const admin = ['--admin-email', 'admin@northwind.example', '--admin-password', 'correct-horse-battery'];
    let one: ServerProcess = await spawnServer(['--port', String(portOne), ...common, ...admin]);
    const two: ServerProcess = await spawnServer(['--port', String(portTwo), ...common]);
    cleanups.push(() => one.kill9(), () => two.kill9());
    const { token, user } = await login(one.url, 'admin@northwind.example', 'correct-horse-battery');
    const a = await new OrgClient(`ws://127.0.0.1:${portOne}/sync`, user.orgId, token).connect();
    const b = await new OrgClient(`ws://127.0.0.1:${portTwo}/sync`, user.orgId, token).connect();
    cleanups.push(() => a.disconnect(), () => b.disconnect());

    const now = Date.now();
    a.run('initializeOrganization', { name: 'Northwind Home Services', timeZone: zoneAtThreeAm(now), dailyEmailTime: '23:00' });
    const provider = (name: string, channels: { email: boolean; sms: boolean; chat: boolean }) =>
      a.run('createProvider', {
        name,
        email: `${name.toLowerCase()}@example.com`,
        phone: '+1 312 555 0101',
        chatHandle: `@${name.toLowerCase()}`,
        channels,
      }).id;
    const people = [
      provider('Ana', { email: true, sms: true, chat: true }),
      provider('Ben', { email: true, sms: false, chat: false }),
      provider('Cat', { email: false, sms: true, chat: false }),
    ];
    const dee = a.run('createCustomer', {
      name: 'Dee Dawson',
      email: 'dee@example.com',
      phone: '+1 312 555 0199',
      address: '12 Oak St',
      channels: { email: true, sms: true },
    }).id;
    const techOf = (providerId: string): Actor => ({ id: `user-${providerId}`, name: 'Tech', role: 'technician', providerId });

    // Today's jobs (for the daily email: everyone with email gets one) and jobs over the next days.
    const today = Math.ceil(now / HOUR) * HOUR + 2 * HOUR;
    for (const [i, assignees] of [people, [people[0]!]].entries()) {
      a.run('createBooking', { title: `Today ${i}`, customerId: dee, slot: { start: iso(today + i * HOUR), end: iso(today + (i + 1) * HOUR), assignees } }, DISPATCHER);
    }
    const base = now + 2 * 86_400_000;
    const jobs: string[] = [];
    for (let i = 0; i < 8; i++) {
      const start = base + i * 3 * HOUR;
      jobs.push(
        a.run('createBooking', { title: `Job ${i}`, customerId: dee, slot: { start: iso(start), end: iso(start + HOUR), assignees: rng.sample(people, rng.int(1, 2)) } }, DISPATCHER).id,
      );
    }
    await waitUntil(() => b.schedule.getMap('bookings').size === jobs.length + 2, 20_000, 'replica b (node two) to see the jobs');
    // The daily email falls due now, on both nodes at once.
    b.run('updateSettings', { dailyEmailTime: '00:00' });

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());
    const attemptsSoFar = () => smtp.attempts + sms.attempts + chat.attempts;
    const nodeId = (node: ServerProcess) => /"event":"notification_worker_started"[^\n]*"node":"([^"]+)"/.exec(node.output())?.[1];
    await waitUntil(() => nodeId(one) !== undefined && nodeId(two) !== undefined, 10_000, 'both workers started');
    const firstOne = one;
    const requests: string[] = [];
    const killAt = rng.int(4, ACTIONS - 6);
    let orphaned: Array<{ id: string; attempts: number }> = [];
    for (let step = 0; step < ACTIONS; step++) {
      const replica = rng.chance(0.5) ? a : b;
      const id = rng.pick(jobs);
      const state = String((replica.schedule.getMap('bookings').get(id) as { get(k: string): unknown } | undefined)?.get('status') ?? '');
      try {
        const roll = rng.next();
        if (roll < 0.4) {
          const start = base + rng.int(0, 40) * 1_800_000;
          const saved = replica.run('saveChanges', {
            changes: [{ id, slot: { start: iso(start), end: iso(start + HOUR), assignees: rng.sample(people, rng.int(1, 3)) } }],
            notifyProviders: true,
            notifyCustomers: rng.chance(0.4),
          }, DISPATCHER);
          if (saved.notificationRequestId) requests.push(saved.notificationRequestId);
        } else if (roll < 0.65) {
          replica.run('sendToTech', { id }, DISPATCHER);
        } else if (roll < 0.85) {
          replica.run('moveBooking', { id, start: iso(base + rng.int(0, 40) * 1_800_000) }, DISPATCHER);
        } else if (state === 'dispatched') {
          const slot = (replica.schedule.getMap('bookings').get(id) as { get(k: string): unknown }).get('slot') as { assignees: string[] };
          replica.run('updateStatus', { id, status: 'en_route' }, techOf(slot.assignees[0]!));
        }
      } catch {
        // Refused (not scheduled, already sent, ...): planning goes on.
      }
      await sleep(rng.int(20, 120));
      if (step === killAt) {
        // Mid-batch: node one dies without a goodbye while it holds deliveries under way (its leases). The
        // receivers hold their answers meanwhile: a delivery answered between the look and the kill left
        // node one holding nothing (seed 658936948 in one CI run).
        for (const sink of [smtp, sms, chat]) sink.pause();
        const held = async () =>
          (await db.query<{ id: string; attempts: number }>("SELECT id, attempts FROM notify_outbox WHERE status = 'sending' AND lease_owner = $1", [nodeId(one)])).rows;
        const until = Date.now() + 30_000;
        while ((await held()).length === 0 && Date.now() < until) await sleep(5);
        await one.kill9();
        orphaned = await held();
        for (const sink of [smtp, sms, chat]) sink.resume();
        expect(orphaned.length, 'node one was killed holding a delivery').toBeGreaterThan(0);
        await sleep(rng.int(200, 1500));
        one = await spawnServer(['--port', String(portOne), ...common]);
      }
    }
    await Promise.all([a, b].map((c) => waitUntil(() => c.synced, 20_000, 'replicas to resync')));

    // Settled: nothing collecting, pending or sending, and no new rows for a while.
    const snapshot = async () => (await db.query<OutboxRecord>('SELECT id, idem_key, kind, channel, status, attempts, last_error, recipient_id FROM notify_outbox ORDER BY id')).rows;
    let previous = -1;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const rows = await snapshot();
      if (rows.length === previous && rows.every((r) => ['sent', 'dead', 'skipped'].includes(r.status))) break;
      previous = rows.length;
      if (Date.now() > deadline) {
        throw new Error(`outbox did not settle: ${JSON.stringify(rows.filter((r) => !['sent', 'dead', 'skipped'].includes(r.status)))}\n${one.output().slice(-2000)}\n${two.output().slice(-2000)}`);
      }
      await sleep(1000);
    }
    const rows = await snapshot();
    const eventKeys = (await db.query<{ key: string; outbox_id: string }>('SELECT key, outbox_id FROM notify_event_keys')).rows;
    const byStatus = (s: string) => rows.filter((r) => r.status === s);

    // Every message ended sent or dead-lettered (with its reason), or skipped for a reason.
    expect(byStatus('sent').length).toBeGreaterThan(0);
    expect(byStatus('dead').every((r) => (r.last_error ?? '').length > 0)).toBe(true);
    // Both nodes saw every change: each Save request's events were placed, each event in one message.
    for (const request of requests) expect(eventKeys.some((k) => k.key.startsWith(`req:${request}#`)), `request ${request}`).toBe(true);
    const rowIds = new Set(rows.map((r) => r.id));
    expect(eventKeys.every((k) => rowIds.has(k.outbox_id))).toBe(true);
    const itemsPerEvent = (await db.query<{ n: string }>('SELECT count(*) AS n FROM notify_outbox_items')).rows[0]!.n;
    expect(Number(itemsPerEvent)).toBeGreaterThan(0);

    // At the receivers: every sent message arrived, nothing arrived that is not an outbox row, and no
    // message arrived more often than it was attempted (two nodes never sent one attempt twice).
    const sinks = { email: smtp, sms, chat } as const;
    const keyOf = (r: OutboxRecord) => (r.channel === 'email' ? messageIdFor(r.idem_key, FROM) : r.idem_key);
    const rawCount = (r: OutboxRecord) => sinks[r.channel as 'email'].raw.filter((m) => m.key === keyOf(r)).length;
    for (const row of byStatus('sent')) expect(sinks[row.channel as 'email'].delivered().has(keyOf(row)), `row ${row.id} delivered`).toBe(true);
    for (const row of rows.filter((r) => r.status !== 'skipped')) expect(rawCount(row), `row ${row.id} (${row.attempts} attempts)`).toBeLessThanOrEqual(row.attempts);
    const known = new Set(rows.filter((r) => r.status !== 'skipped').map(keyOf));
    for (const sink of Object.values(sinks)) for (const key of sink.delivered().keys()) expect(known.has(key), `delivered ${key} is an outbox row`).toBe(true);

    // The daily email: one message per provider with email and jobs today, whatever both nodes did.
    // What node one held when it died was taken over when its lease lapsed, by another node (or itself restarted).
    const attemptsOf = (node: ServerProcess, id: string) =>
      node.output().split('\n').filter((line) => line.includes('"event":"notification_attempt"') && line.includes(`"id":${id},`));
    for (const { id, attempts } of orphaned) {
      const nth = (n: number) => (line: string) => line.includes(`"attempt":${n},`);
      expect(attemptsOf(firstOne, id).filter(nth(attempts)), `row ${id}: the killed node never reported attempt ${attempts}`).toEqual([]);
      const row = rows.find((r) => r.id === id)!;
      const later = [...attemptsOf(two, id), ...attemptsOf(one, id)].filter(nth(attempts + 1));
      // Taken over as attempt n+1, or dead because attempt n was the last allowed.
      expect(later.length === 1 || (row.status === 'dead' && /interrupted/.test(row.last_error ?? '')), `row ${id} taken over: ${JSON.stringify(row)}`).toBe(true);
    }
    // Both nodes delivered.
    const delivering = (node: ServerProcess) => node.output().split('\n').filter((line) => line.includes('"event":"notification_attempt"')).length;
    expect(delivering(firstOne) + delivering(one)).toBeGreaterThan(0);
    expect(delivering(two)).toBeGreaterThan(0);
    // No node ever held a row another node had taken: a live node's attempt always ended within its lease.
    for (const node of [firstOne, one, two]) expect(node.output()).not.toContain('"outcome":"lease_lost"');
    const daily = rows.filter((r) => r.kind === 'daily');
    expect(daily.map((r) => r.recipient_id).sort()).toEqual([people[0]!, people[1]!].sort());
    const dailyMails = smtp.raw.filter((m) => m.subject.startsWith('Your schedule'));
    const perRecipientDay = new Map<string, Set<string>>();
    for (const mail of dailyMails) perRecipientDay.set(`${mail.envelopeTo.join()}|${mail.subject}`, (perRecipientDay.get(`${mail.envelopeTo.join()}|${mail.subject}`) ?? new Set()).add(mail.key));
    expect([...perRecipientDay.values()].every((keys) => keys.size === 1)).toBe(true);
    const dailySent = daily.filter((r) => r.status === 'sent').length;
    expect(perRecipientDay.size).toBeGreaterThanOrEqual(dailySent);

    expect(await two.stop()).toBe(0);
    expect(await one.stop()).toBe(0);
    const rawDuplicates = Object.values(sinks).reduce((n, sink) => n + [...sink.duplicates().values()].reduce((x, y) => x + y, 0), 0);
    console.log(
      `notification chaos on two nodes: ${rows.length} messages (${byStatus('sent').length} sent, ${byStatus('dead').length} dead, ` +
        `${byStatus('skipped').length} skipped; ${daily.length} daily), ${eventKeys.length} events, ${attemptsSoFar()} delivery attempts, ` +
        `${orphaned.length} held by node one when it was killed (taken over), ${rawDuplicates} raw re-deliveries of retried messages absorbed by idempotency keys`,
    );
  });
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
