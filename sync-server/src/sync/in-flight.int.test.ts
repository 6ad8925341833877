/**
 * The server-wide budget of incoming frame bytes (`in-flight.ts`) against a real server: large frames
 * arriving at once on several connections are admitted while they fit and refused at their header with
 * 1013 once they do not, nothing of a refused frame reaches ws, other rooms keep syncing, and the budget
 * is whole again afterwards.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_TRY_AGAIN } from './connection';
import { connectProvider, ORG_A, ORG_B, RawClient, roomOf, startTestServer, syncStep1, syncUpdate, waitUntil, whenSynced, type TestServer } from './testing/harness';

const MiB = 1024 * 1024;
const FRAME_MESSAGE = syncUpdate(new Uint8Array(2 * MiB));
const SCHEDULE_A = roomOf(ORG_A, 'schedule');
/** Room for exactly two of those frames. */
const BUDGET = 2 * FRAME_MESSAGE.length;

/** A masked client frame header (mask key 0, so the payload goes as it is). */
function frameHeader(length: number, opcode = 0x2): Buffer {
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + 4);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

const socketOf = (client: RawClient) => (client.ws as unknown as { _socket: Socket })._socket;

describe('bytes in flight across all connections', () => {
  let t: TestServer | null = null;
  const providers: WebsocketProvider[] = [];
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    for (const c of clients.splice(0)) c.ws.terminate();
    await t?.stop();
    t = null;
  });

  const viewer = async (): Promise<RawClient> => {
    const client = await RawClient.open(t!.wsUrl, SCHEDULE_A, 'viewer-a');
    clients.push(client);
    client.send(syncStep1(new Y.Doc()));
    await client.waitFor(() => client.messages.length > 0, 5000, 'handshake');
    return client;
  };

  it('four large frames at once with room for two: two are refused with 1013 at their header, the server and other rooms carry on', async () => {
    t = await startTestServer({ limits: { maxPayloadBytes: 4 * MiB, maxBytesInFlight: BUDGET } });
    const server = t.server;
    const inFlight = () => server.rooms.inFlight.current;

    // Another organization's desktops, editing throughout.
    const b1 = connectProvider(t.wsUrl, roomOf(ORG_B, 'schedule'), 'admin-b');
    const b2 = connectProvider(t.wsUrl, roomOf(ORG_B, 'schedule'), 'admin-b');
    providers.push(b1, b2);
    await Promise.all([whenSynced(b1), whenSynced(b2)]);

    const viewers = await Promise.all([viewer(), viewer(), viewer(), viewer()]);
    const bytesInBefore = server.metrics().bytesIn;
    // Every viewer starts a 2 MiB frame and sends half of it: the headers arrive, the frames do not end.
    const half = FRAME_MESSAGE.length / 2;
    for (const v of viewers) socketOf(v).write(Buffer.concat([frameHeader(FRAME_MESSAGE.length), FRAME_MESSAGE.subarray(0, half)]));

    await waitUntil(() => viewers.filter((v) => v.closeCode !== null).length === 2, 5000, 'two refusals');
    const refused = viewers.filter((v) => v.closeCode !== null);
    const admitted = viewers.filter((v) => v.closeCode === null);
    for (const v of refused) {
      expect(v.closeCode).toBe(CLOSE_TRY_AGAIN);
      expect(v.closeReason).toBe('Server busy receiving other data; try again later');
    }
    // The two admitted frames hold the whole budget; nothing of the refused ones is held.
    expect(inFlight()).toBe(BUDGET);

    // Small frames have their own reserve (SMALL_RESERVE_BYTES): the other room syncs while the budget is full.
    b1.doc.getMap('jobs').set('job-during', { title: 'edited while uploads wait' });
    await waitUntil(() => b2.doc.getMap('jobs').has('job-during'), 5000, 'the other room to sync');
    expect(inFlight()).toBe(BUDGET);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // A large frame sent the ordinary way while the budget is full: refused, and the closing handshake
    // completes (its close frame comes after the dropped bytes), so the server lets go of the socket.
    const extra = await viewer();
    extra.send(FRAME_MESSAGE);
    expect(await extra.closed).toEqual({ code: CLOSE_TRY_AGAIN, reason: 'Server busy receiving other data; try again later' });
    await waitUntil(() => server.metrics().connections === 4, 5000, 'the refused sockets to be gone at the server');

    // The admitted frames complete and are handled (a viewer's update is read and dropped).
    for (const v of admitted) socketOf(v).write(FRAME_MESSAGE.subarray(half));
    await waitUntil(() => server.metrics().bytesIn - bytesInBefore >= 2 * FRAME_MESSAGE.length, 5000, 'the admitted frames');
    await waitUntil(() => inFlight() === 0, 5000, 'the budget to be released');
    // Only the admitted frames ever reached ws as messages, plus the other room's small edits.
    expect(server.metrics().bytesIn - bytesInBefore).toBeLessThan(2 * FRAME_MESSAGE.length + 64 * 1024);
    for (const v of admitted) expect(v.closeCode).toBeNull();

    // With the budget free, a large frame sent the ordinary way is taken again.
    const later = await viewer();
    later.send(FRAME_MESSAGE);
    await waitUntil(() => server.metrics().bytesIn - bytesInBefore >= 3 * FRAME_MESSAGE.length, 5000, 'a later large frame');
    await waitUntil(() => inFlight() === 0, 5000, 'the budget to be released again');
    expect(later.closeCode).toBeNull();

    b2.doc.getMap('jobs').set('job-after', { title: 'and after' });
    await waitUntil(() => b1.doc.getMap('jobs').has('job-after'), 5000, 'the other room after');
    const prometheus = await (await fetch(`${server.url}/metrics`)).text();
    expect(prometheus).toContain('crewline_sync_updates_rejected_total{reason="server_busy"} 3');
    expect(prometheus).toContain('crewline_sync_bytes_in_flight 0');
  });

  it('a fragmented message written a byte at a time, a ping between its fragments: metered exactly', async () => {
    t = await startTestServer({ limits: { maxPayloadBytes: 4 * MiB, maxBytesInFlight: BUDGET } });
    const server = t.server;
    const v = await viewer();
    const socket = socketOf(v);
    const before = server.metrics().messagesIn;
    const message = syncUpdate(new Uint8Array(4996));
    expect(message.length).toBe(5000);
    // A binary frame without FIN (more follows), a ping, then the continuation frame with FIN.
    const first = Buffer.concat([frameHeader(1000, 0x2), message.subarray(0, 1000)]);
    first[0] = 0x02;
    const ping = Buffer.concat([frameHeader(3, 0x9), Buffer.from('abc')]);
    const last = Buffer.concat([frameHeader(4000, 0x0), message.subarray(1000)]);
    for (const byte of Buffer.concat([first, ping])) socket.write(Buffer.from([byte]));
    await waitUntil(() => server.rooms.inFlight.current === 1000, 5000, 'the first fragment reserved');
    for (const byte of last.subarray(0, 20)) socket.write(Buffer.from([byte]));
    socket.write(last.subarray(20));
    await waitUntil(() => server.metrics().messagesIn === before + 1, 5000, 'the message');
    await waitUntil(() => server.rooms.inFlight.current === 0, 5000, 'release');
    expect(v.closeCode).toBeNull();
  });
});
