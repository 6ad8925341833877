import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadDoc } from './room';
import { RoomStore } from './room-store';
import { tempDir } from './testing/harness';

const ROOM = 'org/01900000-0000-7000-8000-00000000000a/schedule';
const OTHER = 'org/01900000-0000-7000-8000-00000000000a/roster';

function collect(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return updates;
}

describe('RoomStore', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = tempDir();
    dirs.push(dir);
    return { dir, store: new RoomStore(join(dir, 'rooms.sqlite')) };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('commits the appends of one event-loop turn in one transaction, then runs whenDurable callbacks', async () => {
    const { store } = open();
    const doc = new Y.Doc();
    const updates = collect(doc);
    for (let i = 0; i < 50; i++) doc.getMap('m').set(`k${i}`, i);
    let durable = false;
    for (const u of updates) store.append(ROOM, u);
    store.whenDurable(() => (durable = true));
    expect(durable).toBe(false);
    expect(store.commits).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.commits).toBe(1);
    expect(store.rowsWritten).toBe(50);
    expect(durable).toBe(true);
    // Nothing queued: immediately.
    let now = false;
    store.whenDurable(() => (now = true));
    expect(now).toBe(true);
    store.close();
  });

  it('reopening gives back the same document, and compaction keeps the state while emptying the log', () => {
    const { dir, store } = open();
    const doc = new Y.Doc();
    const updates = collect(doc);
    const bookings = doc.getMap<unknown>('bookings');
    for (let i = 0; i < 200; i++) bookings.set(`job-${i % 40}`, { title: `rev ${i}` });
    doc.getArray('log').push(['a', 'b', 'c']);
    doc.getArray('log').delete(0, 1);
    for (const u of updates) store.append(ROOM, u);
    store.append(OTHER, Y.encodeStateAsUpdate(new Y.Doc()));
    store.close();

    const reopened = new RoomStore(join(dir, 'rooms.sqlite'));
    expect(reopened.rooms()).toEqual([OTHER, ROOM]);
    const loaded = loadDoc(reopened, ROOM);
    expect(loaded.getMap('bookings').toJSON()).toEqual(bookings.toJSON());
    expect(loaded.getArray('log').toJSON()).toEqual(['b', 'c']);
    expect(reopened.logLength(ROOM)).toBe(updates.length);

    expect(reopened.compact(ROOM, Y.encodeStateAsUpdate(loaded))).toBe(true);
    expect(reopened.logLength(ROOM)).toBe(0);
    const compacted = loadDoc(reopened, ROOM);
    expect(compacted.getMap('bookings').toJSON()).toEqual(bookings.toJSON());
    expect(Y.encodeStateVector(compacted)).toEqual(Y.encodeStateVector(doc));
    // Other rooms untouched by this room's compaction.
    expect(reopened.logLength(OTHER)).toBe(1);
    reopened.close();

    const db = new Database(join(dir, 'rooms.sqlite'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM room_updates WHERE room = ?').pluck().get(ROOM)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM room_snapshots WHERE room = ?').pluck().get(ROOM)).toBe(1);
    db.close();
  });

  it('updates appended after a compaction are loaded on top of the snapshot', () => {
    const { store } = open();
    const doc = new Y.Doc();
    const updates = collect(doc);
    doc.getMap('m').set('a', 1);
    store.append(ROOM, updates[0]!);
    store.compact(ROOM, Y.encodeStateAsUpdate(doc));
    doc.getMap('m').set('b', 2);
    store.append(ROOM, updates[1]!);
    const loaded = loadDoc(store, ROOM);
    expect(loaded.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
    expect(store.logLength(ROOM)).toBe(1);
    store.close();
  });

  it('a failed commit keeps the rows queued, withholds acks, and retries', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'rooms.sqlite');
    const errors: unknown[] = [];
    const store = new RoomStore(file, { onError: (e) => errors.push(e) });
    // A trigger, installed from outside as a full disk would strike, refuses every insert for a while.
    const outside = new Database(file);
    outside.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON room_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const doc = new Y.Doc();
    const updates = collect(doc);
    doc.getMap('m').set('a', 1);
    store.append(ROOM, updates[0]!);
    let durable = false;
    store.whenDurable(() => (durable = true));
    expect(store.flush()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(durable).toBe(false);
    // A load meanwhile still sees the queued row.
    expect(loadDoc(store, ROOM).getMap('m').get('a')).toBe(1);
    outside.exec('DROP TRIGGER disk_full');
    outside.close();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(durable).toBe(true);
    expect(store.commitFailures).toBeGreaterThanOrEqual(1);
    store.close();
  });
});
