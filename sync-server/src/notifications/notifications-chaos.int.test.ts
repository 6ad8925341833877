/**
 * Chaos: `npm run server` in a child process with every channel configured against receivers that fail
 * about 30% of attempts (temporary and final refusals, rate limits with Retry-After, answers that never
 * come after the delivery was recorded, connection resets), killed with SIGKILL at random points and
 * restarted on the same files, while two console replicas keep planning (offline while it is down) and
 * reconnect. Afterwards every notification has ended sent or dead-lettered, every event was placed in
 * exactly one message, and no message reached its receiver twice once deduplicated by its idempotency key.
 *
 * Seeded: FC_SEED=<seed> npx vitest run sync-server/src/notifications/notifications-chaos.int.test.ts
 * (the receivers' decisions and the plan replay; process timing does not).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../core/demo/random';
import type { Actor } from '../../../core/model';
import { tempDir, waitUntil } from '../sync/testing/harness';
import { freePort, login, spawnServer, type ServerProcess } from '../sync/testing/server-process';
import { messageIdFor } from './channels';
import { SmtpSink, WebhookSink } from './testing/sinks';
import { DISPATCHER, OrgClient, seedOrg } from './testing/org-client';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const FROM = 'Northwind <dispatch@northwind.example>';
const ACTIONS = 24;
const KILLS = 3;

interface OutboxRecord {
  id: number;
  idem_key: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

describe('notification worker under chaos', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it(`ends every notification sent or dead-lettered, none delivered twice (seed ${SEED})`, { timeout: 120_000 }, async () => {
    console.log(`notification chaos: seed ${SEED} (replay with FC_SEED=${SEED})`);
    const rng = createRng(SEED);
    const smtp = await SmtpSink.start({ rng: rng.fork() });
    const sms = await WebhookSink.start({ rng: rng.fork() });
    const chat = await WebhookSink.start({ rng: rng.fork() });
    cleanups.push(() => smtp.close(), () => sms.close(), () => chat.close());
    const dataDir = tempDir('crewline-notify-chaos-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const args = [
      '--port', String(port), '--data-dir', dataDir, '--archive-every-minutes', '0',
      '--admin-email', 'admin@northwind.example', '--admin-password', 'correct-horse-battery',
      '--smtp-url', smtp.url, '--mail-from', FROM,
      '--sms-webhook-url', sms.url, '--sms-from', '+13125550000',
      '--chat-webhook-url', chat.url,
      '--notify-batch-seconds', '0', '--notify-retry-base-ms', '100', '--notify-max-attempts', '6',
      '--notify-timeout-ms', '600', '--notify-tick-ms', '100',
    ];
    let server: ServerProcess = await spawnServer(args);
    cleanups.push(() => server.kill9());
    const { token, user } = await login(server.url, 'admin@northwind.example', 'correct-horse-battery');
    const wsUrl = `ws://127.0.0.1:${port}/sync`;
    const a = await new OrgClient(wsUrl, user.orgId, token).connect();
    const b = await new OrgClient(wsUrl, user.orgId, token).connect();
    cleanups.push(() => a.disconnect(), () => b.disconnect());
    const ids = seedOrg(a);
    const techOf = (providerId: string): Actor => ({ id: `user-${providerId}`, name: 'Tech', role: 'technician', providerId });
    const people = [ids.ana, ids.ben, ids.cat];

    // Jobs over the next days, each with one or two technicians.
    const base = Date.now() + 2 * 86_400_000;
    const jobs: string[] = [];
    for (let i = 0; i < 8; i++) {
      const start = new Date(base + i * 3 * 3_600_000);
      jobs.push(
        a.run('createBooking', {
          title: `Job ${i}`,
          customerId: ids.dee,
          slot: { start: iso(start), end: iso(new Date(+start + 3_600_000)), assignees: rng.sample(people, rng.int(1, 2)) },
        }, DISPATCHER).id,
      );
    }
    await waitUntil(() => b.schedule.getMap('bookings').size === jobs.length, 20_000, 'replica b to see the jobs');

    const requests: string[] = [];
    const killAt = new Set(rng.sample([...Array(ACTIONS).keys()].slice(2), KILLS));
    for (let step = 0; step < ACTIONS; step++) {
      const replica = rng.chance(0.5) ? a : b;
      const id = rng.pick(jobs);
      const state = String((replica.schedule.getMap('bookings').get(id) as { get(k: string): unknown } | undefined)?.get('status') ?? '');
      try {
        const roll = rng.next();
        if (roll < 0.35) {
          const start = new Date(base + rng.int(0, 40) * 1_800_000);
          const saved = replica.run('saveChanges', {
            changes: [{ id, slot: { start: iso(start), end: iso(new Date(+start + 3_600_000)), assignees: rng.sample(people, rng.int(1, 2)) } }],
            notifyProviders: rng.chance(0.8),
            notifyCustomers: rng.chance(0.4),
          }, DISPATCHER);
          if (saved.notificationRequestId) requests.push(saved.notificationRequestId);
        } else if (roll < 0.6) {
          replica.run('sendToTech', { id }, DISPATCHER);
        } else if (roll < 0.8) {
          replica.run('moveBooking', { id, start: iso(new Date(base + rng.int(0, 40) * 1_800_000)) }, DISPATCHER);
        } else if (state === 'dispatched') {
          const slot = (replica.schedule.getMap('bookings').get(id) as { get(k: string): unknown }).get('slot') as { assignees: string[] };
          replica.run('updateStatus', { id, status: 'en_route' }, techOf(slot.assignees[0]!));
        }
      } catch {
        // Refused (not scheduled, already sent, ...): planning goes on.
      }
      await sleep(rng.int(20, 120));
      if (killAt.has(step)) {
        await sleep(rng.int(0, 300));
        await server.kill9();
        await sleep(rng.int(50, 250));
        server = await spawnServer(args);
      }
    }
    // One more kill while the last deliveries are under way.
    await sleep(rng.int(100, 400));
    await server.kill9();
    server = await spawnServer(args);
    // The replicas hand over what they planned while the server was down; the worker ticks every 100 ms.
    await Promise.all([a, b].map((c) => waitUntil(() => c.synced, 20_000, 'replicas to resync')));
    await sleep(1500);

    const outbox = async () => {
      const res = await fetch(`${server.url}/api/admin/notifications?limit=500`, { headers: { Authorization: `Bearer ${token}` } });
      return ((await res.json()) as { notifications: Array<{ status: string }> }).notifications;
    };
    let previous = -1;
    const settled = async () => {
      const list = await outbox();
      const stable = list.length === previous;
      previous = list.length;
      return stable && list.every((n) => ['sent', 'dead', 'skipped'].includes(n.status));
    };
    const deadline = Date.now() + 60_000;
    while (!(await settled())) {
      if (Date.now() > deadline) {
        const open = (await outbox()).filter((n) => !['sent', 'dead', 'skipped'].includes(n.status));
        throw new Error(`outbox did not settle: ${JSON.stringify(open)}\n${server.output().slice(-3000)}`);
      }
      await sleep(200);
    }
    expect(await server.stop()).toBe(0);

    const db = new Database(join(dataDir, 'rooms.sqlite'), { readonly: true });
    cleanups.push(() => {
      db.close();
    });
    const rows = db.prepare('SELECT id, idem_key, channel, status, attempts, last_error FROM notify_outbox').all() as OutboxRecord[];
    const eventKeys = db.prepare('SELECT key, outbox_id FROM notify_event_keys').all() as Array<{ key: string; outbox_id: number }>;
    const byStatus = (s: string) => rows.filter((r) => r.status === s);

    // Every notification ended sent, dead-lettered (with a reason), or skipped for a reason.
    expect(rows.filter((r) => !['sent', 'dead', 'skipped'].includes(r.status))).toEqual([]);
    expect(byStatus('dead').every((r) => (r.last_error ?? '').length > 0)).toBe(true);
    expect(byStatus('sent').length).toBeGreaterThan(0);

    // No Save request with a notify choice was lost across the kills.
    for (const request of requests) {
      expect(eventKeys.some((k) => k.key.startsWith(`req:${request}#`)), `request ${request}`).toBe(true);
    }
    // Each event sits in exactly one message.
    expect(new Set(eventKeys.map((k) => k.key)).size).toBe(eventKeys.length);
    const rowIds = new Set(rows.map((r) => r.id));
    expect(eventKeys.every((k) => rowIds.has(k.outbox_id))).toBe(true);

    // What the receivers got, deduplicated by idempotency key: every sent message exactly once, nothing else.
    const delivered = {
      email: new Set(smtp.delivered().keys()),
      sms: new Set(sms.delivered().keys()),
      chat: new Set(chat.delivered().keys()),
    };
    const keyOf = (r: OutboxRecord) => (r.channel === 'email' ? messageIdFor(r.idem_key, FROM) : r.idem_key);
    for (const row of byStatus('sent')) expect(delivered[row.channel as 'email'].has(keyOf(row)), `row ${row.id} delivered`).toBe(true);
    const known = new Set(rows.filter((r) => r.status !== 'skipped').map(keyOf));
    for (const set of Object.values(delivered)) for (const key of set) expect(known.has(key), `delivered ${key} is an outbox row`).toBe(true);
    expect(smtp.raw.every((m) => messageIdFor(m.idempotencyKey, FROM) === m.key)).toBe(true);

    const rawDuplicates = [smtp, sms, chat].reduce((n, sink) => n + [...sink.duplicates().values()].reduce((x, y) => x + y, 0), 0);
    console.log(
      `notification chaos: ${rows.length} messages (${byStatus('sent').length} sent, ${byStatus('dead').length} dead, ` +
        `${byStatus('skipped').length} skipped), ${eventKeys.length} events, ${smtp.attempts + sms.attempts + chat.attempts} delivery attempts, ` +
        `${rawDuplicates} raw duplicate deliveries absorbed by idempotency keys, 0 duplicates after dedup; ` +
        `receiver outcomes: ${JSON.stringify(Object.fromEntries([...mergeOutcomes([smtp, sms, chat])]))}`,
    );
  });
});

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mergeOutcomes(sinks: Array<{ outcomes: Map<string, number> }>): Map<string, number> {
  const total = new Map<string, number>();
  for (const sink of sinks) for (const [k, n] of sink.outcomes) total.set(k, (total.get(k) ?? 0) + n);
  return total;
}
