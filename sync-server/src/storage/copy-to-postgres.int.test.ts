// Moving from the SQLite default to PostgreSQL copies every room, and a PostgreSQL server then serves them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeParts } from '../../../node-shared/update-log/sqlite-update-log';
import { RoomStore, ROOMS_FILE } from '../sync/room-store';
import { tempDir } from '../sync/testing/harness';
import { copyRoomsToPostgres } from './copy-to-postgres';
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
  expect(await copyRoomsToPostgres(dir, url)).toMatchObject({ rooms: 2, snapshots: 1, updates: 2 });
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
