// Moving from the SQLite default to PostgreSQL copies every room, and a PostgreSQL server then serves them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeParts } from '../../../node-shared/update-log/sqlite-update-log';
import { RoomStore, ROOMS_FILE } from '../sync/room-store';
import { tempDir } from '../sync/testing/harness';
import { SqliteNotificationStore } from '../notifications/notification-store';
import { copyRoomsToPostgres } from './copy-to-postgres';
import { PgNotificationStore } from './pg/pg-notification-store';
import { PgRoomStore } from './pg/pg-room-store';
import { startPostgres, type TestPostgres } from './testing/engines';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const SCHEDULE = 'org/01900000-0000-7000-8000-00000000000a/schedule';
const ROSTER = 'org/01900000-0000-7000-8000-00000000000a/roster';

it('copies snapshots and logs room by room; a second copy into the same database is refused', async () => {
  const dir = tempDir();
  const sqlite = new RoomStore(join(dir, ROOMS_FILE));
  const schedule = new Y.Doc();
  schedule.on('update', (u: Uint8Array) => sqlite.append(SCHEDULE, u));
  for (let i = 0; i < 30; i++) schedule.getMap('m').set(`k${i % 5}`, i);
  sqlite.flush();
  sqlite.compact(SCHEDULE, Y.encodeStateAsUpdate(schedule));
  schedule.getArray('a').push(['after the snapshot']);
  const roster = new Y.Doc();
  roster.on('update', (u: Uint8Array) => sqlite.append(ROSTER, u));
  roster.getMap('settings').set('timeZone', 'Europe/Paris');
  sqlite.close();

  const url = await postgres.createDatabase();
  expect(await copyRoomsToPostgres(dir, url)).toMatchObject({ rooms: 2, snapshots: 1, updates: 2, notifications: { outbox: 0, dailyRuns: 0 } });
  await expect(copyRoomsToPostgres(dir, url)).rejects.toThrow(/already holds rooms/);

  const shared = await PgRoomStore.open(url);
  try {
    expect(await shared.storedRooms()).toEqual([ROSTER, SCHEDULE]);
    await shared.prefetch(SCHEDULE);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, mergeParts(shared.load(SCHEDULE))!);
    expect(copy.getMap('m').toJSON()).toEqual(schedule.getMap('m').toJSON());
    expect(copy.getArray('a').toJSON()).toEqual(['after the snapshot']);
    await shared.prefetch(ROSTER);
    const rosterCopy = new Y.Doc();
    Y.applyUpdate(rosterCopy, mergeParts(shared.load(ROSTER))!);
    expect(rosterCopy.getMap('settings').get('timeZone')).toBe('Europe/Paris');
  } finally {
    await shared.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('copies the notification outbox, read position and daily runs; an interrupted attempt is due again', async () => {
  const dir = tempDir();
  const T0 = Date.UTC(2026, 10, 23, 11, 0, 0);
  new RoomStore(join(dir, ROOMS_FILE)).close(); // a server's file: room tables, no rooms yet
  const notify = new SqliteNotificationStore(join(dir, ROOMS_FILE));
  const ORG = '01900000-0000-7000-8000-00000000000a';
  const message = { subject: 'Your schedule', text: 'Text', html: '<p>Text</p>', short: 'Short' };
  const entry = (providerId: string) => ({ providerId, name: providerId, address: `${providerId}@example.com`, message });
  await notify.commitScan(
    ORG,
    {
      seen: [['b1', { status: 'scheduled' } as never]],
      unseen: [],
      requestIds: ['r1'],
      placements: [{ event: { key: 'req:r1', kind: 'assigned', bookingId: 'b1', recipient: { kind: 'provider', id: 'ana' } }, channel: 'email' }],
    },
    T0,
    60_000,
  );
  const [sentId, sendingId] = await notify.commitDaily(ORG, '2026-11-23', [entry('ana'), entry('ben')], T0);
  const lease = { owner: 'sqlite', untilMs: T0 + 60_000, maxAttempts: 8 };
  await notify.claimDue(T0, 2, lease);
  await notify.markSent(sentId!, 'sqlite', T0 + 1, 'smtp');
  const before = await notify.allRows();
  notify.close();

  const url = await postgres.createDatabase();
  const copied = await copyRoomsToPostgres(dir, url, () => T0 + 5_000);
  expect(copied.notifications).toEqual({ outbox: 3, dailyRuns: 1 });
  const shared = await PgRoomStore.open(url);
  const store = new PgNotificationStore(shared.pool);
  try {
    const after = await store.allRows();
    // Row for row, ids kept; the attempt the stopped server left under way is due again at the copy.
    expect(after).toEqual(
      before.map((row) => (row.id === sendingId ? { ...row, status: 'pending', nextAttemptAt: T0 + 5_000, updatedAt: T0 + 5_000, leaseOwner: null, leaseUntil: null } : row)),
    );
    expect(await store.items(before[0]!.id)).toEqual([{ bookingId: 'b1', kinds: ['assigned'] }]);
    expect([...(await store.loadSeen(ORG)).keys()]).toEqual(['b1']);
    expect(await store.seenRequestIds(ORG)).toEqual(new Set(['r1']));
    expect(await store.orgScanned(ORG)).toBe(true);
    // What SQLite had enqueued or seen is not enqueued or placed again on PostgreSQL.
    expect(await store.dailyRunDone(ORG, '2026-11-23')).toBe(true);
    expect(await store.commitDaily(ORG, '2026-11-23', [entry('ana'), entry('ben')], T0 + 6_000)).toEqual([]);
    const again = { seen: [], unseen: [], requestIds: [], placements: [{ event: { key: 'req:r1', kind: 'assigned' as const, bookingId: 'b1', recipient: { kind: 'provider' as const, id: 'ana' } }, channel: 'email' as const }] };
    expect(await store.commitScan(ORG, again, T0 + 6_000, 60_000)).toBe(0);
    // New rows take ids after the copied ones.
    const [next] = await store.commitDaily(ORG, '2026-11-24', [entry('ana')], T0 + 86_400_000);
    expect(next).toBeGreaterThan(Math.max(...before.map((r) => r.id)));
  } finally {
    await shared.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
