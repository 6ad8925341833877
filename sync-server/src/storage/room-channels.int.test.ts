/**
 * Redis per room (issue 23, 2): a node follows a room's channel only while it has the room loaded, so a
 * node without the room receives none of its traffic; it starts hearing it when a client opens the room
 * there and stops once the room unloads. Revocations still reach every node (their own channel).
 * Real PostgreSQL and Redis, two in-process nodes.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_TOKEN_REVOKED } from '../server';
import { roomChannel } from '../sync/fanout';
import { connectProvider, ORG_A, ORG_B, roomOf, standardAuthenticator, startTestServer, waitUntil, whenSynced, type TestServer } from '../sync/testing/harness';
import { postgresAndRedisForFile } from './testing/engines-for-file';

const engines = postgresAndRedisForFile();

const SCHEDULE_A = roomOf(ORG_A, 'schedule');
const SCHEDULE_B = roomOf(ORG_B, 'schedule');

describe('one Redis channel per room', () => {
  const servers: TestServer[] = [];
  const providers: WebsocketProvider[] = [];
  const auth = standardAuthenticator();
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    for (const s of servers.splice(0)) await s.stop();
  });
  async function twoNodes(): Promise<[TestServer, TestServer]> {
    const databaseUrl = await engines.postgres.createDatabase();
    // Rooms unload a moment after their last client leaves, so leaving a channel can be observed.
    const options = { databaseUrl, redisUrl: engines.redis.url, auth, notifications: false as const, limits: { roomIdleMs: 200 } };
    const nodes: [TestServer, TestServer] = [await startTestServer(options), await startTestServer(options)];
    servers.push(...nodes);
    return nodes;
  }
  function client(node: TestServer, room: string, token: string): WebsocketProvider {
    const provider = connectProvider(node.wsUrl, room, token, new Y.Doc());
    providers.push(provider);
    return provider;
  }
  const fanoutOf = (node: TestServer) => node.server.rooms.fanout!;

  it('a node without the room open receives none of its traffic, and hears it while a client has it open there', async () => {
    const [a, b] = await twoNodes();
    // Node A serves organization A's schedule; node B only organization B's.
    const writer = client(a, SCHEDULE_A, 'dispatcher-a');
    const otherOrg = client(b, SCHEDULE_B, 'admin-b');
    await Promise.all([whenSynced(writer), whenSynced(otherOrg)]);
    expect(fanoutOf(b).follows(SCHEDULE_A)).toBe(false);
    const receivedBefore = fanoutOf(b).received;
    const sentBefore = fanoutOf(a).sent;
    for (let i = 0; i < 30; i++) writer.doc.getMap('m').set(`k${i}`, i);
    writer.awareness.setLocalStateField('user', { name: 'Ana' });
    // A published them (to the room's channel) and committed them; a third Redis client on the channel
    // proves the messages went out, so B's silence is not just A's.
    await waitUntil(() => fanoutOf(a).sent >= sentBefore + 31, 5000, 'node A published');
    await waitUntil(() => a.server.store.settled(), 5000, 'node A committed');
    const spy = new Redis(engines.redis.url);
    const seen: string[] = [];
    spy.on('message', (channel: string) => seen.push(channel));
    await spy.subscribe(roomChannel(SCHEDULE_A));
    writer.doc.getMap('m').set('probe', 1);
    await waitUntil(() => seen.length > 0, 5000, 'the probe on the room channel');
    spy.disconnect();
    // Node B's own room got nothing of A's either: it never loaded A's schedule.
    await new Promise((r) => setTimeout(r, 200));
    expect(fanoutOf(b).received).toBe(receivedBefore);
    expect(b.server.rooms.get(SCHEDULE_A)).toBeUndefined();

    // A client opens the room on B: B joins the channel and sees A's edits live from then on.
    const reader = client(b, SCHEDULE_A, 'viewer-a');
    await whenSynced(reader);
    expect(reader.doc.getMap('m').get('k29')).toBe(29);
    expect(fanoutOf(b).follows(SCHEDULE_A)).toBe(true);
    writer.doc.getMap('m').set('live', 'yes');
    await waitUntil(() => reader.doc.getMap('m').get('live') === 'yes', 5000, 'live edit across nodes');
    expect(fanoutOf(b).received).toBeGreaterThan(receivedBefore);

    // The reader leaves; the room unloads on B and B leaves its channel: A's next edits do not reach B.
    reader.destroy();
    await waitUntil(() => b.server.rooms.get(SCHEDULE_A) === undefined, 5000, 'room unloaded on node B');
    expect(fanoutOf(b).follows(SCHEDULE_A)).toBe(false);
    const receivedAfterLeave = fanoutOf(b).received;
    const sentAfterLeave = fanoutOf(a).sent;
    for (let i = 0; i < 10; i++) writer.doc.getMap('m').set(`late${i}`, i);
    await waitUntil(() => fanoutOf(a).sent >= sentAfterLeave + 10, 5000, 'node A published again');
    await new Promise((r) => setTimeout(r, 300));
    expect(fanoutOf(b).received).toBe(receivedAfterLeave);
    // Organization B's room on node B keeps working meanwhile.
    expect(otherOrg.wsconnected).toBe(true);
  });

  it('an update published while a node reads the room ahead is not lost', async () => {
    const [a, b] = await twoNodes();
    const writer = client(a, SCHEDULE_A, 'dispatcher-a');
    await whenSynced(writer);
    // A steady stream of edits on A while B opens the room: whatever lands between B's read and its first
    // live message must be in one or the other.
    let n = 0;
    const stream = setInterval(() => writer.doc.getMap('m').set(`s${n}`, n++), 2);
    try {
      const reader = client(b, SCHEDULE_A, 'viewer-a');
      await whenSynced(reader);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      clearInterval(stream);
    }
    const reader = providers.at(-1)!;
    const last = n - 1;
    await waitUntil(() => reader.doc.getMap('m').get(`s${last}`) === last, 5000, 'the last streamed edit on B');
    for (let i = 0; i < n; i++) expect(reader.doc.getMap('m').get(`s${i}`), `s${i}`).toBe(i);
    expect(b.server.rooms.get(SCHEDULE_A)!.doc.getMap('m').size).toBe(n);
  });

  it('a revocation on one node still closes the user’s sockets on a node that shares no room with it', async () => {
    const [a, b] = await twoNodes();
    auth.add('leaving-b', ORG_B, 'dispatcher', 'user-leaving-b');
    const onB = client(b, SCHEDULE_B, 'leaving-b');
    await whenSynced(onB);
    expect(a.server.rooms.loadedCount).toBe(0);
    const closed = new Promise<number>((resolve) => onB.ws?.addEventListener('close', (e) => resolve((e as CloseEvent).code)));
    auth.tokens.delete('leaving-b');
    a.server.accessRevoked('user-leaving-b');
    expect(await closed).toBe(CLOSE_TOKEN_REVOKED);
  });
});
