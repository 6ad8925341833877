/**
 * Many nodes (issue 23, 2): two sync servers on one real PostgreSQL and one real Redis, stock y-websocket
 * clients on different nodes. Updates and awareness cross nodes live, a client of a node that goes away
 * finds everything acknowledged on the other, and a revocation closes the user's sockets on every node.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_TOKEN_REVOKED } from '../server';
import { connectProvider, ORG_A, roomOf, standardAuthenticator, startTestServer, waitUntil, whenSynced, type TestServer } from '../sync/testing/harness';
import { JOB_LOCK_SQL } from './pg/advisory-lock';
import { postgresAndRedisForFile } from './testing/engines-for-file';

const engines = postgresAndRedisForFile();

const ROOM = roomOf(ORG_A, 'schedule');

describe('two nodes on one PostgreSQL and one Redis', () => {
  const servers: TestServer[] = [];
  const providers: WebsocketProvider[] = [];
  const auth = standardAuthenticator();
  const urls = new Map<TestServer, string>();
  const databaseUrlOf = (node: TestServer) => urls.get(node)!;
  async function twoNodes(): Promise<[TestServer, TestServer]> {
    const databaseUrl = await engines.postgres.createDatabase();
    const options = { databaseUrl, redisUrl: engines.redis.url, auth, notifications: false as const };
    const a = await startTestServer(options);
    const b = await startTestServer(options);
    servers.push(a, b);
    urls.set(a, databaseUrl).set(b, databaseUrl);
    return [a, b];
  }
  function client(node: TestServer, token = 'dispatcher-a', doc = new Y.Doc()): WebsocketProvider {
    const provider = connectProvider(node.wsUrl, ROOM, token, doc);
    providers.push(provider);
    return provider;
  }
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    for (const s of servers.splice(0)) await s.stop();
  });

  it('two stock clients on different nodes see each other’s edits and presence live', async () => {
    const [a, b] = await twoNodes();
    const one = client(a);
    const two = client(b);
    await Promise.all([whenSynced(one), whenSynced(two)]);
    one.doc.getMap('m').set('from-one', 1);
    await waitUntil(() => two.doc.getMap('m').get('from-one') === 1, 5000, 'node A edit on node B');
    two.doc.getMap('m').set('from-two', 2);
    await waitUntil(() => one.doc.getMap('m').get('from-two') === 2, 5000, 'node B edit on node A');
    // Concurrent edits converge.
    for (let i = 0; i < 20; i++) {
      one.doc.getArray('a').push([`one-${i}`]);
      two.doc.getArray('a').push([`two-${i}`]);
    }
    await waitUntil(() => one.doc.getArray('a').length === 40 && two.doc.getArray('a').length === 40, 5000, 'convergence');
    expect(one.doc.getArray('a').toJSON()).toEqual(two.doc.getArray('a').toJSON());
    // Awareness is relayed, never stored.
    one.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitUntil(() => [...two.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Ana'), 5000, 'presence');
    expect(a.server.metrics().roomsLoaded).toBe(1);
  });

  it('what a node acknowledged is in the shared database: a client that moves to the other node finds it', async () => {
    const [a, b] = await twoNodes();
    const one = client(a);
    await whenSynced(one);
    for (let i = 0; i < 50; i++) one.doc.getMap('m').set(`k${i}`, i);
    await waitUntil(() => a.server.rooms.get(ROOM)?.doc.getMap('m').size === 50, 5000, 'node A has the edits');
    await waitUntil(() => a.server.store.settled(), 5000, 'node A committed them');
    // The node goes away (its rooms commit on close); the same desktop reconnects to the other node.
    await a.server.close();
    const again = client(b, 'dispatcher-a', new Y.Doc());
    await whenSynced(again);
    expect(again.doc.getMap('m').size).toBe(50);
    // Node B, which never had the room loaded, serves it from PostgreSQL.
    expect(b.server.rooms.loadCounts.get(ROOM)).toBe(1);
  });

  it('a revocation on one node closes the user’s sockets on the other', async () => {
    const [a, b] = await twoNodes();
    auth.add('leaving', ORG_A, 'dispatcher', 'user-leaving');
    const onB = client(b, 'leaving');
    const stays = client(b);
    await Promise.all([whenSynced(onB), whenSynced(stays)]);
    const closed = new Promise<number>((resolve) => onB.ws?.addEventListener('close', (e) => resolve((e as CloseEvent).code)));
    auth.tokens.delete('leaving');
    a.server.accessRevoked('user-leaving');
    expect(await closed).toBe(CLOSE_TOKEN_REVOKED);
    expect(stays.wsconnected).toBe(true);
  });

  it('a refused update on a shared room drops that node’s copy; its clients reconnect to a clean load', async () => {
    const [a, b] = await twoNodes();
    const writer = client(a);
    const watcher = client(b);
    await Promise.all([whenSynced(writer), whenSynced(watcher)]);
    writer.doc.getMap('m').set('kept', 1);
    await waitUntil(() => watcher.doc.getMap('m').get('kept') === 1, 5000, 'edit across');
    // A booking its schema refuses is integrated, then refused: node B cannot re-read PostgreSQL synchronously.
    const viewer = client(b, 'admin-a');
    await whenSynced(viewer);
    const loadsBefore = b.server.rooms.loadCounts.get(ROOM) ?? 0;
    viewer.doc.getMap('bookings').set('sneaky', { title: 'no' });
    await waitUntil(() => (b.server.rooms.loadCounts.get(ROOM) ?? 0) > loadsBefore, 5000, 'node B reloads the room');
    await whenSynced(watcher);
    await waitUntil(() => watcher.wsconnected && watcher.synced, 5000, 'watcher back');
    watcher.doc.getMap('m').set('after', 2);
    await waitUntil(() => writer.doc.getMap('m').get('after') === 2, 5000, 'edits flow again');
    expect(b.server.rooms.get(ROOM)!.doc.getMap('bookings').has('sneaky')).toBe(false);
    expect(a.server.rooms.get(ROOM)!.doc.getMap('bookings').has('sneaky')).toBe(false);
    expect(writer.doc.getMap('bookings').has('sneaky')).toBe(false);
  });

  it('the archiver and the series horizon run on one node at a time (advisory lock)', async () => {
    const [a, b] = await twoNodes();
    const one = client(a);
    await whenSynced(one);
    one.doc.getMap('m').set('x', 1);
    await waitUntil(() => a.server.store.settled() && a.server.rooms.get(ROOM)?.doc.getMap('m').get('x') === 1, 5000, 'stored');
    // Another node holds the archiver's lock: both nodes skip their round; the series horizon is free.
    const holder = new pg.Client({ connectionString: databaseUrlOf(a) });
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(${JOB_LOCK_SQL})`, ['archiver']);
    expect(await a.server.jobs.archive()).toBeNull();
    expect(await b.server.jobs.archive()).toBeNull();
    expect(await b.server.jobs.extendSeries()).toEqual([expect.objectContaining({ orgId: ORG_A })]);
    await holder.query(`SELECT pg_advisory_unlock(${JOB_LOCK_SQL})`, ['archiver']);
    await holder.end();
    // Released: node B runs the pass over the organization it read ahead from PostgreSQL.
    expect(await b.server.jobs.archive()).toEqual([expect.objectContaining({ orgId: ORG_A, archived: [] })]);
  });

  it('/healthz says whether the database and Redis answer', async () => {
    const [a] = await twoNodes();
    const res = await fetch(`${a.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, database: { engine: 'postgres', ok: true }, redis: { ok: true } });
  });
});
