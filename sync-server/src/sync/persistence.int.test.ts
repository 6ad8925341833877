import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadDoc } from './room';
import { RoomStore } from './room-store';
import {
  connectProvider,
  ORG_A,
  RawClient,
  roomOf,
  startTestServer,
  syncStep1,
  syncUpdate,
  tempDir,
  waitUntil,
  whenSynced,
  type TestServer,
} from './testing/harness';
import { freePort, login, spawnServer, type ServerProcess } from './testing/server-process';

const SCHEDULE = roomOf(ORG_A, 'schedule');
const sameState = (a: Y.Doc, b: Y.Doc) => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));

describe('persistence', () => {
  const providers: WebsocketProvider[] = [];
  const servers: TestServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    for (const s of servers.splice(0)) await s.stop(true);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const start = async (options: Parameters<typeof startTestServer>[0] = {}) => {
    const t = await startTestServer(options);
    servers.push(t);
    if (!dirs.includes(t.dataDir)) dirs.push(t.dataDir);
    return t;
  };
  const stop = async (t: TestServer) => {
    servers.splice(servers.indexOf(t), 1);
    await t.stop(true);
  };
  const provider = (t: TestServer | { wsUrl: string }, room = SCHEDULE, doc = new Y.Doc(), token = 'dispatcher-a') => {
    const p = connectProvider(t.wsUrl, room, token, doc);
    providers.push(p);
    return p;
  };

  it('compacts as it goes without changing the state, and a restart serves the same documents', async () => {
    const t = await start({ limits: { compactAfterUpdates: 20 } });
    const p = provider(t);
    await whenSynced(p);
    const jobs = p.doc.getMap<unknown>('jobs');
    for (let i = 0; i < 150; i++) {
      jobs.set(`job-${i % 30}`, { title: `rev ${i}` });
      if (i % 10 === 0) jobs.delete(`job-${(i + 7) % 30}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const room = () => t.server.rooms.get(SCHEDULE)!;
    await waitUntil(() => sameState(room().doc, p.doc), 5000, 'server has everything');
    await waitUntil(() => t.server.store.logLength(SCHEDULE) < 20, 5000, 'compacted');
    expect(t.server.metrics().updatesApplied).toBeGreaterThanOrEqual(150);
    expect(sameState(loadDoc(t.server.store, SCHEDULE), p.doc)).toBe(true);
    expect(loadDoc(t.server.store, SCHEDULE).getMap('jobs').toJSON()).toEqual(jobs.toJSON());

    p.destroy();
    await stop(t);
    const again = await start({ dataDir: t.dataDir });
    const q = provider(again);
    await whenSynced(q);
    await waitUntil(() => q.doc.getMap('jobs').size === jobs.size, 5000, 'restarted server serves the doc');
    expect(q.doc.getMap('jobs').toJSON()).toEqual(jobs.toJSON());
    expect(sameState(q.doc, p.doc)).toBe(true);
  });

  it('close() says 1001 to every client, then commits and compacts every room', async () => {
    const t = await start();
    const c = await RawClient.open(t.wsUrl, SCHEDULE, 'dispatcher-a');
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    c.send(syncStep1(doc));
    for (let i = 0; i < 10; i++) doc.getMap('m').set(`k${i}`, i);
    for (const u of updates) c.send(syncUpdate(u));
    await waitUntil(() => t.server.rooms.get(SCHEDULE)?.doc.getMap('m').size === 10);
    await stop(t);
    expect(await c.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    const store = new RoomStore(join(t.dataDir, 'rooms.sqlite'));
    expect(store.logLength(SCHEDULE)).toBe(0);
    const reopened = loadDoc(store, SCHEDULE);
    store.close();
    expect(sameState(reopened, doc)).toBe(true);
  });

  it('a server that lost updates gets them back from a client in the reconnect handshake', async () => {
    const port = await freePort();
    const first = await start({ port });
    const p = provider(first);
    await whenSynced(p);
    p.doc.getMap('jobs').set('job-1', { title: 'old news' });
    await waitUntil(() => first.server.rooms.get(SCHEDULE)?.doc.getMap('jobs').has('job-1') === true);
    await stop(first); // provider keeps its doc and retries
    const backup = tempDir();
    dirs.push(backup);
    cpSync(first.dataDir, backup, { recursive: true });

    const second = await start({ port, dataDir: first.dataDir });
    await waitUntil(() => second.server.metrics().connections === 1, 5000, 'provider reconnected');
    p.doc.getMap('jobs').set('job-2', { title: 'only on the second server' });
    await waitUntil(() => second.server.rooms.get(SCHEDULE)?.doc.getMap('jobs').has('job-2') === true);
    await stop(second);

    // The third server starts from the backup, which never saw job-2 (a lost disk, a restore).
    const third = await start({ port, dataDir: backup });
    expect(loadDoc(third.server.store, SCHEDULE).getMap('jobs').has('job-2')).toBe(false);
    await waitUntil(() => third.server.rooms.get(SCHEDULE)?.doc.getMap('jobs').has('job-2') === true, 10_000, 'handshake re-sends');
    expect(sameState(third.server.rooms.get(SCHEDULE)!.doc, p.doc)).toBe(true);
    // And it is durable there.
    await waitUntil(() => loadDoc(third.server.store, SCHEDULE).getMap('jobs').has('job-2'));
  });
});

describe('kill -9 under load (spawned `npm run server` process)', () => {
  let proc: ServerProcess | null = null;
  const providers: WebsocketProvider[] = [];
  let dataDir = '';
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await proc?.kill9();
    proc = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no update a client committed: clients resync after restart and the reopened store has all', async () => {
    dataDir = tempDir();
    const port = await freePort();
    const email = 'admin@example.com';
    const password = 'correct horse battery staple';
    const args = ['--port', String(port), '--data-dir', dataDir, '--archive-every-minutes', '0'];
    proc = await spawnServer([...args, '--admin-email', email, '--admin-password', password]);
    const { token, user } = await login(proc.url, email, password);
    const room = `org/${user.orgId}/schedule`;
    const wsUrl = `ws://127.0.0.1:${port}/sync`;

    // Three writers, each committing a new key every few milliseconds, online and offline alike.
    const writers = ['w1', 'w2', 'w3'].map((name) => {
      const p = connectProvider(wsUrl, room, token);
      providers.push(p);
      return { name, p, written: [] as string[] };
    });
    await Promise.all(writers.map((w) => whenSynced(w.p)));
    let writing = true;
    const loops = writers.map(async (w) => {
      for (let i = 0; writing; i++) {
        const key = `${w.name}-${i}`;
        w.p.doc.getMap('load').set(key, i);
        w.written.push(key);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 800));
    await proc.kill9();
    const atKill = writers.map((w) => w.written.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    proc = await spawnServer(args);
    await new Promise((resolve) => setTimeout(resolve, 500));
    writing = false;
    await Promise.all(loops);

    const all = writers.flatMap((w) => w.written);
    expect(all.length).toBeGreaterThan(atKill.reduce((a, b) => a + b, 0));
    for (const w of writers) {
      await waitUntil(() => w.p.doc.getMap('load').size === all.length, 20_000, `${w.name} has every key`);
    }
    // A fresh client gets everything from the restarted server.
    const fresh = connectProvider(wsUrl, room, token);
    providers.push(fresh);
    await whenSynced(fresh);
    await waitUntil(() => fresh.doc.getMap('load').size === all.length, 10_000, 'fresh client has every key');
    expect(Object.keys(fresh.doc.getMap('load').toJSON()).sort()).toEqual([...all].sort());

    // And so does the store on disk after a clean stop.
    for (const p of providers.splice(0)) p.destroy();
    expect(await proc.stop()).toBe(0);
    proc = null;
    const store = new RoomStore(join(dataDir, 'rooms.sqlite'));
    const onDisk = loadDoc(store, room);
    store.close();
    expect(Object.keys(onDisk.getMap('load').toJSON()).sort()).toEqual([...all].sort());
    expect(sameState(onDisk, fresh.doc)).toBe(true);
  }, 60_000);
});
