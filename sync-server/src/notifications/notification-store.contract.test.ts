// One contract for the notification worker's store (issue 23, 1 and 3), on SQLite and on a real PostgreSQL
// started for this file. "Two nodes" are two stores on one database: two connections to one rooms.sqlite,
// or two pools on one PostgreSQL database.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../storage/pg/migrations';
import { PgNotificationStore } from '../storage/pg/pg-notification-store';
import { startPostgres, type TestPostgres } from '../storage/testing/engines';
import { tempDir } from '../sync/testing/harness';
import { SqliteNotificationStore, type DailyEntry, type NotificationStore, type Placement, type ScanCommit } from './notification-store';
import type { NotifyEvent } from './types';

interface Engine {
  name: string;
  /** A fresh database and a way to open more stores (nodes) on it. */
  open(): Promise<{ node(): Promise<NotificationStore>; close(): Promise<void> }>;
}

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = tempDir('crewline-notify-contract-');
      const stores: SqliteNotificationStore[] = [];
      return {
        node: async () => {
          const store = new SqliteNotificationStore(join(dir, 'rooms.sqlite'));
          stores.push(store);
          return store;
        },
        close: async () => {
          for (const store of stores) store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const url = await postgres.createDatabase();
      const pools: pg.Pool[] = [];
      return {
        node: async () => {
          const pool = new pg.Pool({ connectionString: url, max: 4 });
          // Idle connections see the server stop at the end of the file.
          pool.on('error', () => {});
          pools.push(pool);
          await migrate(pool);
          return new PgNotificationStore(pool);
        },
        close: async () => {
          for (const pool of pools) await pool.end();
        },
      };
    },
  },
];

const ORG = '01900000-0000-7000-8000-00000000000a';
const T0 = Date.UTC(2026, 10, 23, 15, 0, 0);
const MESSAGE = { subject: 'Job changed', text: 'Text', html: '<p>Text</p>', short: 'Short' };

const event = (key: string, bookingId: string, providerId: string, kind: NotifyEvent['kind'] = 'assigned'): NotifyEvent => ({
  key,
  kind,
  bookingId,
  recipient: { kind: 'provider', id: providerId },
});
const onEmail = (e: NotifyEvent): Placement => ({ event: e, channel: 'email' });
const scan = (placements: Placement[], extra: Partial<ScanCommit> = {}): ScanCommit => ({ seen: [], unseen: [], requestIds: [], placements, ...extra });
const daily = (providerId: string): DailyEntry => ({ providerId, name: `P ${providerId}`, address: `${providerId}@example.com`, message: MESSAGE });
const lease = (owner: string, nowMs: number, maxAttempts = 3) => ({ owner, untilMs: nowMs + 10_000, maxAttempts });

describe.each(ENGINES)('notification store contract on $name', (engine) => {
  async function nodes(n: number) {
    const db = await engine.open();
    cleanups.push(db.close);
    const list: NotificationStore[] = [];
    for (let i = 0; i < n; i++) list.push(await db.node());
    return list;
  }
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of cleanups.splice(0)) await close();
  });

  it('keeps the read position and places each event once, batching a recipient’s events in one row', async () => {
    const [store] = (await nodes(1)) as [NotificationStore];
    expect(await store.orgScanned(ORG)).toBe(false);
    const first = scan([onEmail(event('req:r1', 'b1', 'ana')), onEmail(event('req:r1', 'b2', 'ana')), onEmail(event('req:r1', 'b1', 'ben'))], {
      seen: [['b1', { v: 1 } as never], ['b2', { v: 2 } as never]],
      requestIds: ['r1'],
    });
    expect(await store.commitScan(ORG, first, T0, 60_000)).toBe(3);
    expect(await store.orgScanned(ORG)).toBe(true);
    expect([...(await store.loadSeen(ORG)).keys()].sort()).toEqual(['b1', 'b2']);
    expect(await store.seenRequestIds(ORG)).toEqual(new Set(['r1']));
    // Seen again (a replica re-sent it, another node saw it too): nothing new.
    expect(await store.commitScan(ORG, first, T0 + 1, 60_000)).toBe(0);
    await store.commitScan(ORG, scan([], { unseen: ['b2'] }), T0 + 2, 60_000);
    expect([...(await store.loadSeen(ORG)).keys()]).toEqual(['b1']);

    const rows = await store.allRows();
    expect(rows.map((r) => [r.recipientId, r.status, r.holdUntil, r.revision])).toEqual([
      ['ana', 'collecting', T0 + 60_000, 2],
      ['ben', 'collecting', T0 + 60_000, 1],
    ]);
    expect(await store.items(rows[0]!.id)).toEqual([
      { bookingId: 'b1', kinds: ['assigned'] },
      { bookingId: 'b2', kinds: ['assigned'] },
    ]);
    expect((await store.listForBooking(ORG, 'b2')).map((r) => r.recipientId)).toEqual(['ana']);
    expect(await store.countByStatus()).toEqual({ collecting: 2 });
  });

  it('lists what a technician was told since a time, newest first, items by job', async () => {
    const [store] = (await nodes(1)) as [NotificationStore];
    await store.commitScan(ORG, scan([onEmail(event('req:r1', 'b1', 'ana')), onEmail(event('req:r1', 'b2', 'ana'))]), T0, 0);
    // Another channel, so another row (events for one recipient and channel batch into one).
    const bySms = (e: NotifyEvent): Placement => ({ event: e, channel: 'sms' });
    await store.commitScan(ORG, scan([bySms(event('move:h2', 'b1', 'ana', 'cancelled')), bySms(event('move:h2', 'b1', 'ben', 'cancelled'))]), T0 + 5_000, 60_000);
    const told = await store.toldProvider(ORG, 'ana', T0);
    expect(told.map((t) => [t.bookingId, t.kinds, t.atMs])).toEqual([
      ['b1', ['cancelled'], T0 + 5_000],
      ['b1', ['assigned'], T0],
      ['b2', ['assigned'], T0],
    ]);
    expect(new Set(told.map((t) => t.id)).size).toBe(3);
    expect((await store.toldProvider(ORG, 'ana', T0 + 1)).map((t) => t.kinds)).toEqual([['cancelled']]);
    expect(await store.toldProvider('01900000-0000-7000-8000-00000000000b', 'ana', T0)).toEqual([]);
  });

  it('two nodes committing the same change place it once', async () => {
    const [a, b] = (await nodes(2)) as [NotificationStore, NotificationStore];
    await a.commitScan(ORG, scan([]), T0, 0);
    const same = scan([onEmail(event('move:h1', 'b1', 'ana', 'updated')), onEmail(event('move:h1', 'b1', 'ben', 'updated'))], { requestIds: ['r9'] });
    const placed = await Promise.all([a.commitScan(ORG, same, T0, 0), b.commitScan(ORG, same, T0, 0), a.commitScan(ORG, same, T0, 0)]);
    expect(placed.reduce((x, y) => x + y, 0)).toBe(2);
    const rows = await b.allRows();
    expect(rows.map((r) => r.recipientId).sort()).toEqual(['ana', 'ben']);
    for (const row of rows) expect(await a.items(row.id)).toEqual([{ bookingId: 'b1', kinds: ['updated'] }]);
  });

  it('seals only the revision it rendered; a later event starts a new batch', async () => {
    const [a, b] = (await nodes(2)) as [NotificationStore, NotificationStore];
    await a.commitScan(ORG, scan([onEmail(event('req:r1', 'b1', 'ana'))]), T0, 0);
    const [closed] = await a.closedBatches(T0);
    // Another node adds an event after this one read the batch: this seal must not apply.
    await b.commitScan(ORG, scan([onEmail(event('req:r2', 'b2', 'ana'))]), T0, 0);
    expect(await a.seal(closed!, T0, { name: 'Ana', address: 'ana@example.com', message: MESSAGE })).toBe(false);
    const [again] = await a.closedBatches(T0);
    expect(await a.items(again!.id)).toHaveLength(2);
    expect(await a.seal(again!, T0, { name: 'Ana', address: 'ana@example.com', message: MESSAGE })).toBe(true);
    expect(await b.seal(again!, T0, { skip: 'twice' })).toBe(false);
    await b.commitScan(ORG, scan([onEmail(event('req:r3', 'b3', 'ana'))]), T0 + 1, 0);
    const rows = await a.allRows();
    expect(rows.map((r) => [r.status, r.address, r.subject])).toEqual([
      ['pending', 'ana@example.com', 'Job changed'],
      ['collecting', '', null],
    ]);
    expect(await a.nextDueAt()).toBe(T0);
  });

  it('leases due rows: two nodes never take the same one, and a lapsed lease passes to another node', async () => {
    const [a, b] = (await nodes(2)) as [NotificationStore, NotificationStore];
    await a.commitDaily(ORG, '2026-11-23', ['p1', 'p2', 'p3', 'p4', 'p5'].map(daily), T0);
    const [takenA, takenB] = await Promise.all([a.claimDue(T0, 3, lease('A', T0)), b.claimDue(T0, 3, lease('B', T0))]);
    const ids = [...takenA!, ...takenB!].map((r) => r.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect([...takenA!, ...takenB!].every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
    expect(await a.claimDue(T0, 5, lease('A', T0))).toEqual([]);

    // A finishes its own rows (the first sent, the second to retry, any others sent); B's it cannot touch.
    const [mine, other] = [takenA![0]!, takenB![0]!];
    expect(await a.markSent(other.id, 'A', T0, 'smtp')).toBe(false);
    expect(await a.markSent(mine.id, 'A', T0, 'smtp')).toBe(true);
    expect(await a.markRetry(takenA![1]!.id, 'A', T0, 'SMTP 451', T0 + 500)).toBe(true);
    for (const row of takenA!.slice(2)) expect(await a.markSent(row.id, 'A', T0, 'smtp')).toBe(true);
    // B dies holding its rows. Before the lease lapses nobody takes them; after it, A does.
    expect(await a.claimDue(T0 + 9_999, 5, lease('A', T0 + 9_999)).then((r) => r.map((x) => x.id))).toEqual([takenA![1]!.id]);
    const takenOver = await a.claimDue(T0 + 10_000, 5, lease('A', T0 + 10_000));
    expect(takenOver.map((r) => r.id).sort()).toEqual(takenB!.map((r) => r.id).sort());
    expect(takenOver.every((r) => r.attempts === 2 && r.leaseOwner === 'A')).toBe(true);
    // B comes back late: its outcome no longer counts.
    expect(await b.markDead(other.id, 'B', T0 + 10_001, 'late')).toBe(false);
    expect(await a.markDead(other.id, 'A', T0 + 10_001, 'refused: SMTP 550')).toBe(true);
    const byId = new Map((await b.allRows()).map((r) => [r.id, r]));
    expect(byId.get(mine.id)).toMatchObject({ status: 'sent', sentVia: 'smtp', leaseOwner: null });
    expect(byId.get(other.id)).toMatchObject({ status: 'dead', lastError: 'refused: SMTP 550' });
  });

  it('many claims at once from two nodes take each row exactly once', async () => {
    const [a, b] = (await nodes(2)) as [NotificationStore, NotificationStore];
    const providers = Array.from({ length: 30 }, (_, i) => `p${i}`);
    await a.commitDaily(ORG, '2026-11-23', providers.map(daily), T0);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimDue(T0, 2, lease(i % 2 ? 'A' : 'B', T0))));
    const ids = claims.flat().map((r) => r.id);
    expect(ids.length).toBe(30);
    expect(new Set(ids).size).toBe(30);
    expect((await a.allRows()).every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
  });

  it('dead-letters an attempt whose lease lapsed at the cap, and an admin retry starts it afresh', async () => {
    const [a, b] = (await nodes(2)) as [NotificationStore, NotificationStore];
    const [id] = await a.commitDaily(ORG, '2026-11-23', [daily('p1')], T0);
    let now = T0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const [row] = await a.claimDue(now, 1, lease('A', now, 2));
      expect(row?.attempts).toBe(attempt);
      now += 10_000; // A dies mid-attempt each time
    }
    expect(await b.claimDue(now, 5, lease('B', now, 2))).toEqual([]);
    const dead = await b.get(ORG, id!);
    expect(dead).toMatchObject({ status: 'dead', attempts: 2 });
    expect(dead!.lastError).toMatch(/interrupted/);
    expect(await b.retry(ORG, id!, now)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: now });
    expect(await b.retry(ORG, id!, now)).toBe('not_dead');
    expect(await b.retry(ORG, 987_654, now)).toBe('not_found');
    expect(await b.retry('another-org', id!, now)).toBe('not_found');
    expect((await b.listRecent(ORG, 10, 'pending')).map((r) => r.id)).toEqual([id]);
  });

  it('enqueues each provider’s daily email once per day across nodes; a resend is a new message', async () => {
    const [a, b] = (await nodes(2)) as [NotificationStore, NotificationStore];
    expect(await a.dailyRunDone(ORG, '2026-11-23')).toBe(false);
    const runs = await Promise.all([
      a.commitDaily(ORG, '2026-11-23', [daily('p1'), daily('p2')], T0),
      b.commitDaily(ORG, '2026-11-23', [daily('p2'), daily('p1')], T0),
    ]);
    expect(runs.flat()).toHaveLength(2);
    expect(await b.dailyRunDone(ORG, '2026-11-23')).toBe(true);
    // A provider added later that day still gets theirs; the others do not get a second.
    expect(await b.commitDaily(ORG, '2026-11-23', [daily('p1'), daily('p3')], T0 + 1)).toHaveLength(1);
    expect(await a.commitDaily(ORG, '2026-11-24', [daily('p1')], T0 + 86_400_000)).toHaveLength(1);
    const resend = await a.insertDailyResend(ORG, '2026-11-23', daily('p1'), 'r1', T0 + 2);
    const rows = await a.allRows();
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(
      [
        `daily:${ORG}:p1:2026-11-23|email`,
        `daily:${ORG}:p2:2026-11-23|email`,
        `daily:${ORG}:p3:2026-11-23|email`,
        `daily:${ORG}:p1:2026-11-24|email`,
        `daily-resend:${ORG}:p1:2026-11-23:r1|email`,
      ].sort(),
    );
    expect(rows.every((r) => r.kind === 'daily' && r.status === 'pending' && r.channel === 'email')).toBe(true);
    expect((await a.get(ORG, resend))!.recipientId).toBe('p1');
  });

  it('records a placement with nowhere to go as one skipped row per cause', async () => {
    const [store] = (await nodes(1)) as [NotificationStore];
    const problem = (bookingId: string): Placement => ({ event: event('req:r1', bookingId, 'cat'), channel: 'sms', problem: 'No phone number', name: 'Cat' });
    expect(await store.commitScan(ORG, scan([problem('b1'), problem('b2')]), T0, 60_000)).toBe(2);
    const rows = await store.allRows();
    expect(rows.map((r) => [r.status, r.lastError, r.recipientName, r.channel])).toEqual([['skipped', 'No phone number', 'Cat', 'sms']]);
    expect((await store.items(rows[0]!.id)).map((i) => i.bookingId)).toEqual(['b1', 'b2']);
    expect(await store.closedBatches(T0 + 60_000)).toEqual([]);
  });
});
