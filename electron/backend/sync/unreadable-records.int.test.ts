/**
 * Desktops and records that do not parse. A server that holds one (stored before it checked updates) sends
 * it to every desktop: each leaves it out of its read tables and keeps syncing, and the board never
 * answers it. A desktop that holds one itself (a poisoned backup restored, an old peer's write) is refused
 * by the server (4422): it stops syncing with the server's reason and keeps its sign-in; the others and the
 * server are unaffected.
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBooking, scheduleMaps } from '../../../core/doc/schedule';
import { roomName } from '../../../core/sync/rooms';
import { FileTokenVault } from './token-vault';
import { openLinkedDesktops, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from './testing/sync-harness';

const SLOT = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };
const RANGE = { from: '2026-11-24T06:00:00Z', to: '2026-11-25T06:00:00Z' };

/** What a client holding `doc` would send after `change`: nothing on this side checks it. */
function updateAfter(doc: Y.Doc, change: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(replica);
  change(replica);
  return Y.encodeStateAsUpdate(replica, before);
}

describe('records that do not parse, at the desktop', () => {
  const disposers: Array<() => unknown> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const dispose of disposers.splice(0).reverse()) await dispose();
  });

  async function organization(): Promise<{ server: TestSyncServer; a: TestDesktop; b: TestDesktop; good: string; bad: string }> {
    const server = await startSyncServer();
    disposers.push(() => server.dispose());
    let good = '';
    let bad = '';
    const [a, b] = await openLinkedDesktops(server, ['a', 'b'], {
      users: ['ana', 'bo'],
      seed(first) {
        const run = <T>(name: string, input: unknown) => {
          const result = first.store.execute(name as never, input as never);
          if (!result.ok) throw new Error(result.error.message);
          return result.value as T;
        };
        run('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
        const ana = run<{ id: string }>('createProvider', { name: 'Ana Silva' }).id;
        good = run<{ id: string }>('createBooking', { title: 'Good job', slot: { ...SLOT, assignees: [ana] } }).id;
        bad = run<{ id: string }>('createBooking', { title: 'Soon broken', slot: { ...SLOT, assignees: [ana] } }).id;
      },
    });
    disposers.push(() => a!.dispose(), () => b!.dispose());
    return { server, a: a!, b: b!, good, bad };
  }

  const rangeIds = async (desktop: TestDesktop) => {
    const range = await desktop.client.request('board:getRange', RANGE);
    if (!range.ok) throw new Error(range.error.message);
    return range.value.bookings.map((booking) => booking.id).sort();
  };

  it('a broken record from the server is left out of the read tables, and syncing goes on', async () => {
    const warn = vi.spyOn(console, 'warn');
    const { server, a, b, good, bad } = await organization();
    expect(await rangeIds(b)).toEqual([good, bad].sort());

    // Written into the server's live document past its checks (as data stored by an older server), so it
    // is persisted and sent to both desktops like any change.
    const room = server.server.rooms.get(roomName(server.orgId, 'schedule'))!;
    Y.applyUpdate(room.doc, updateAfter(room.doc, (doc) => scheduleMaps(doc).bookings.get(bad)!.set('slot', 5)), 'planted');
    await waitFor(() => b.store.queries.booking(bad) === undefined, 'the broken booking left out on b');
    await waitFor(() => a.store.queries.booking(bad) === undefined, 'the broken booking left out on a');

    for (const desktop of [a, b]) {
      expect(desktop.sync.status().state).toBe('synced');
      expect(await rangeIds(desktop)).toEqual([good]);
      // A rebuild from the documents (what a restored backup goes through) leaves it out the same way.
      desktop.store.rebuildProjection();
      expect(await rangeIds(desktop)).toEqual([good]);
    }
    expect(warn.mock.calls.map((args) => String(args[0])).filter((line) => line.includes(bad))).toContain(
      `store: left out booking ${bad}: slot: expected object, received number (it does not read as a booking)`,
    );

    // Edits keep flowing both ways.
    a.store.execute('updateBooking', { id: good, notes: 'Side door' });
    await waitFor(() => b.store.queries.booking(good)?.notes === 'Side door', 'a’s edit on b');
    b.store.execute('updateBooking', { id: good, notes: 'Ring twice' });
    await waitFor(() => a.store.queries.booking(good)?.notes === 'Ring twice', 'b’s edit on a');
  });

  it('a desktop holding a broken record is refused by the server, says why, and keeps its sign-in', async () => {
    const { server, a, b, good, bad } = await organization();
    // A peer's write (or a restored backup) puts a broken record into b's own documents.
    const schedule = b.store.docs.schedule;
    b.store.applyUpdate('schedule', updateAfter(schedule, (doc) => scheduleMaps(doc).bookings.get(bad)!.set('status', { status: 'teleported' })));
    expect(b.store.queries.booking(bad)).toBeUndefined();

    await waitFor(() => b.sync.status().state === 'error', 'b stops');
    const error = b.sync.status().error!;
    expect(error.code).toBe('server');
    expect(error.message).toMatch(/^The server refused a change from this workspace \(update refused: booking .*: status: Invalid option/);
    // Not a sign-in problem: the token is kept.
    expect(await new FileTokenVault(b.dataDir).load()).not.toBeNull();

    const room = server.server.rooms.get(roomName(server.orgId, 'schedule'))!;
    expect(getBooking(room.doc, bad)!.status).toBe('scheduled');
    expect(a.sync.status().state).toBe('synced');
    a.store.execute('updateBooking', { id: good, notes: 'Side door' });
    await waitFor(() => getBooking(room.doc, good)?.notes === 'Side door', 'a’s edit at the server');
    expect(await rangeIds(a)).toEqual([good, bad].sort());
  });
});
