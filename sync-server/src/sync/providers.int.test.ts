import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  connectProvider,
  ORG_A,
  roomOf,
  startTestServer,
  waitUntil,
  whenSynced,
  type TestServer,
} from './testing/harness';

const SCHEDULE = roomOf(ORG_A, 'schedule');
const ROSTER = roomOf(ORG_A, 'roster');

describe('stock y-websocket providers against the sync server', () => {
  let t: TestServer;
  const providers: WebsocketProvider[] = [];
  const open = (room: string, token = 'dispatcher-a', doc = new Y.Doc()) => {
    const p = connectProvider(t.wsUrl, room, token, doc);
    providers.push(p);
    return p;
  };

  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await t.stop();
  });

  it('two providers converge, a third joining later gets everything', async () => {
    const a = open(SCHEDULE);
    const b = open(SCHEDULE);
    await Promise.all([whenSynced(a), whenSynced(b)]);

    a.doc.getMap('jobs').set('job-1', { title: 'Fix boiler' });
    b.doc.getMap('jobs').set('job-2', { title: 'Clean windows' });
    a.doc.getArray('log').push(['from a']);
    b.doc.getArray('log').push(['from b']);
    await waitUntil(() => a.doc.getMap('jobs').size === 2 && b.doc.getMap('jobs').size === 2, 5000, 'convergence');
    await waitUntil(() => a.doc.getArray('log').length === 2 && b.doc.getArray('log').length === 2, 5000, 'log');
    expect(a.doc.getMap('jobs').toJSON()).toEqual(b.doc.getMap('jobs').toJSON());
    expect(a.doc.getArray('log').toJSON()).toEqual(b.doc.getArray('log').toJSON());

    const server = t.server.rooms.get(SCHEDULE)!.doc;
    expect(server.getMap('jobs').toJSON()).toEqual(a.doc.getMap('jobs').toJSON());

    const c = open(SCHEDULE);
    await whenSynced(c);
    await waitUntil(() => c.doc.getMap('jobs').size === 2, 5000, 'late joiner');
    expect(c.doc.getMap('jobs').toJSON()).toEqual(a.doc.getMap('jobs').toJSON());
    expect(Y.encodeStateVector(c.doc)).toEqual(Y.encodeStateVector(a.doc));

    // Rooms are separate documents.
    const roster = open(ROSTER);
    await whenSynced(roster);
    expect(roster.doc.getMap('jobs').size).toBe(0);
    expect(t.server.rooms.loadedCount).toBe(2);
  });

  it('awareness of a provider appears for the others and disappears when it leaves', async () => {
    const a = open(SCHEDULE);
    const b = open(SCHEDULE);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitUntil(() => b.awareness.getStates().get(a.doc.clientID) !== undefined, 5000, 'awareness of a at b');
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'Ana' } });
    expect(t.server.rooms.get(SCHEDULE)!.awareness.getStates().has(a.doc.clientID)).toBe(true);

    // Close a's socket without a goodbye message: the server must remove a's state on close.
    a.shouldConnect = false;
    (a.ws as unknown as WebSocket).terminate();
    await waitUntil(() => !b.awareness.getStates().has(a.doc.clientID), 5000, 'awareness removal at b');
    expect(t.server.rooms.get(SCHEDULE)!.awareness.getStates().has(a.doc.clientID)).toBe(false);
  });

  it('offline edits on both sides merge after reconnect (state-vector handshake both ways)', async () => {
    const a = open(SCHEDULE);
    await whenSynced(a);
    a.doc.getMap('jobs').set('job-1', { title: 'before' });
    const b = open(SCHEDULE);
    await whenSynced(b);
    await waitUntil(() => b.doc.getMap('jobs').has('job-1'));

    b.disconnect();
    b.doc.getMap('jobs').set('job-offline', { title: 'made offline' });
    a.doc.getMap('jobs').set('job-online', { title: 'made online' });
    await waitUntil(() => t.server.rooms.get(SCHEDULE)!.doc.getMap('jobs').has('job-online'));
    b.connect();
    await waitUntil(
      () => a.doc.getMap('jobs').has('job-offline') && b.doc.getMap('jobs').has('job-online'),
      5000,
      'both offline edits',
    );
    expect(a.doc.getMap('jobs').toJSON()).toEqual(b.doc.getMap('jobs').toJSON());
  });
});
