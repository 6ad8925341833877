import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ROOMS_FILE } from './room-store';
import { encodeAckRequest, isConfirmed, MESSAGE_ACK, readAckBody } from '../../../core/sync/ack';
import {
  connectProvider,
  ORG_A,
  RawClient,
  roomOf,
  startTestServer,
  syncStep1,
  syncUpdate,
  waitUntil,
  whenSynced,
  type TestServer,
} from './testing/harness';

const ROOM = roomOf(ORG_A, 'schedule');

/** A ws client class that records the type of every message it receives. */
function recordingWebSocket(types: number[]): typeof WebSocket {
  class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on('message', (data: Buffer) => types.push(decoding.readVarUint(decoding.createDecoder(new Uint8Array(data)))));
    }
  }
  return RecordingWebSocket as unknown as typeof WebSocket;
}

describe('ack extension (core/sync/ack.ts)', () => {
  let t: TestServer;
  const providers: WebsocketProvider[] = [];
  const clients: RawClient[] = [];
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    for (const c of clients.splice(0)) c.close();
    await t.stop();
  });
  const raw = async () => {
    const c = await RawClient.open(t.wsUrl, ROOM, 'dispatcher-a');
    clients.push(c);
    return c;
  };
  const acks = (c: RawClient) => c.ofType(MESSAGE_ACK).map((d) => readAckBody(d));

  it('answers the request with the state vector, then acks each applied and stored update', async () => {
    const c = await raw();
    const doc = new Y.Doc();
    c.send(syncStep1(doc));
    c.send(encodeAckRequest());
    await c.waitFor(() => acks(c).length === 1, 5000, 'first ack');
    expect(acks(c)[0]!.size).toBe(0); // empty room

    // While rooms.sqlite refuses commits, the update is applied and broadcast but never acknowledged.
    // A trigger, installed from outside as a full disk would strike, refuses every insert for a while.
    const store = t.server.store as unknown as { onError: (e: unknown) => void };
    store.onError = () => {};
    const outside = new Database(join(t.dataDir, ROOMS_FILE));
    outside.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON room_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getMap('jobs').set('job-1', { title: 'one' });
    c.send(syncUpdate(updates[0]!));
    const clock = Y.getState(doc.store, doc.clientID);
    await waitUntil(() => t.server.rooms.get(ROOM)?.doc.getMap('jobs').has('job-1') === true);
    await waitUntil(() => t.server.store.commitFailures >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(acks(c).some((sv) => isConfirmed(sv, doc.clientID, clock))).toBe(false);
    outside.exec('DROP TRIGGER disk_full');
    outside.close();
    await c.waitFor(() => acks(c).some((sv) => isConfirmed(sv, doc.clientID, clock)), 5000, 'ack covering the update');
    expect(t.server.store.rowsWritten).toBeGreaterThanOrEqual(1);

    // A burst of updates: the last ack covers the last clock.
    for (let i = 0; i < 50; i++) doc.getMap('jobs').set(`job-${i}`, { n: i });
    for (const u of updates.slice(1)) c.send(syncUpdate(u));
    const last = Y.getState(doc.store, doc.clientID);
    await c.waitFor(() => acks(c).some((sv) => isConfirmed(sv, doc.clientID, last)), 5000, 'ack covering the burst');
    expect(acks(c).length).toBeLessThan(53); // acks are per committed batch, not necessarily per update
  });

  it('sends nothing of type 100 to clients that did not ask, raw or stock', async () => {
    const silent = await raw();
    silent.send(syncStep1(new Y.Doc()));
    const types: number[] = [];
    const stock = connectProvider(t.wsUrl, ROOM, 'dispatcher-a', new Y.Doc(), recordingWebSocket(types));
    providers.push(stock);
    await whenSynced(stock);

    const asker = await raw();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    asker.send(syncStep1(doc));
    asker.send(encodeAckRequest());
    doc.getMap('jobs').set('job-1', 1);
    asker.send(syncUpdate(updates[0]!));
    stock.doc.getMap('jobs').set('job-2', 2);
    const silentDoc = new Y.Doc();
    const silentUpdates: Uint8Array[] = [];
    silentDoc.on('update', (u: Uint8Array) => silentUpdates.push(u));
    silentDoc.getMap('jobs').set('job-3', 3);
    silent.send(syncUpdate(silentUpdates[0]!));

    await waitUntil(() => stock.doc.getMap('jobs').size === 3, 5000, 'stock provider sees all');
    await asker.waitFor(() => acks(asker).length >= 2, 5000, 'asker acked');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(types.length).toBeGreaterThan(0);
    expect(types).not.toContain(MESSAGE_ACK);
    expect(types.every((type) => type === 0 || type === 1)).toBe(true);
    expect(acks(silent)).toEqual([]);
  });
});
