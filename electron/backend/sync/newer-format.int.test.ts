/**
 * An older desktop meets a newer document over a real sync server (core/doc/schema-version.ts). The server
 * and a desktop know format 3 (injected: the product's DOC_SCHEMA_VERSION is 2), and the organization they
 * set up is format 3. A desktop knowing format 2 signs in: it receives and shows everything, refuses every
 * write with "update Crewline", sends nothing to the server, and says so in its status. Reopened as an
 * updated app (format 3) it writes normally.
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../../core/clock';
import { DOC_SCHEMA_VERSION, docSchemaVersion } from '../../../core/doc/schema-version';
import { roomName } from '../../../core/sync/rooms';
import { openDesktop, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from './testing/sync-harness';

const NEWER = DOC_SCHEMA_VERSION + 1;
const SLOT = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };
const LATER = { start: '2026-11-24T18:00:00Z', end: '2026-11-24T19:00:00Z' };
const RANGE = { from: '2026-11-24T06:00:00Z', to: '2026-11-25T06:00:00Z' };
/** The day before the jobs, running: the same on the server and every desktop, whatever today is. */
const clock = clockStartingAt(Date.parse('2026-11-23T15:00:00Z'));

describe('an older desktop and a newer document, over a real server', () => {
  const disposers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const dispose of disposers.splice(0).reverse()) await dispose();
  });

  /** A server knowing format 3 with an organization a format-3 desktop set up: one provider, one job. */
  async function newerOrganization(): Promise<{ server: TestSyncServer; booking: string; provider: string }> {
    const server = await startSyncServer({ clock, server: { knownDocFormat: NEWER } });
    disposers.push(() => server.dispose());
    const newer = await openDesktop('newer', { clock, knownDocFormat: NEWER });
    disposers.push(() => newer.dispose());
    const run = <T>(name: string, input: unknown) => {
      const result = newer.store.execute(name as never, input as never);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    run('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
    const provider = run<{ id: string }>('createProvider', { name: 'Ana Silva' }).id;
    const booking = run<{ id: string }>('createBooking', { title: 'Boiler service', slot: { ...SLOT, assignees: [provider] } }).id;
    await newer.signIn(server, 'ana', 'upload');
    await waitFor(() => newer.sync.status().state === 'synced', 'newer desktop synced');
    // Nothing else writes while the older desktop is watched.
    newer.close();
    return { server, booking, provider };
  }

  const roomDoc = (server: TestSyncServer, doc: 'roster' | 'schedule') => server.server.rooms.get(roomName(server.orgId, doc))?.doc;
  /** Both rooms' full state: any update a desktop got accepted changes it. */
  const roomState = (server: TestSyncServer) =>
    (['roster', 'schedule'] as const).map((doc) => Buffer.from(Y.encodeStateVector(roomDoc(server, doc) ?? new Y.Doc())).toString('hex'));

  const expectUpdateRequired = (result: { ok: boolean; error?: { code: string; message: string; details?: Record<string, unknown> } }) => {
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('forbidden');
    expect(result.error?.message).toMatch(
      new RegExp(`saved by a newer version of Crewline \\(format ${NEWER}; this app knows format ${DOC_SCHEMA_VERSION}\\)\\. Update Crewline`),
    );
    expect(result.error?.details).toEqual({ updateRequired: true, schemaVersion: NEWER });
  };

  it('reads everything, writes nothing and says update; the updated app then writes', async () => {
    const { server, booking, provider } = await newerOrganization();
    expect(docSchemaVersion(roomDoc(server, 'roster')!)).toBe(NEWER);
    const before = roomState(server);

    const older: TestDesktop = await openDesktop('older', { clock, knownDocFormat: DOC_SCHEMA_VERSION });
    disposers.push(() => older.dispose());
    await older.signIn(server, 'bo', 'replace');
    await waitFor(() => older.sync.status().state === 'synced', 'older desktop synced');

    // Reads work: the job and its technician are there.
    const range = await older.client.request('board:getRange', RANGE);
    expect(range.ok && range.value.bookings.map((b) => b.id)).toEqual([booking]);
    const providers = await older.client.request('providers:list', {});
    expect(providers.ok && providers.value.map((p) => p.name)).toEqual(['Ana Silva']);

    // It says update.
    const status = await older.client.request('workspace:getStatus', {});
    expect(status.ok && status.value.updateRequired).toMatch(/Update Crewline to make changes/);

    // Every way to write is refused with the same reason.
    expectUpdateRequired(
      await older.client.request('commands:run', { name: 'createBooking', input: { title: 'New job', slot: { ...LATER, assignees: [provider] } } }),
    );
    expectUpdateRequired(await older.client.request('commands:run', { name: 'updateProvider', input: { id: provider, name: 'Ana S.' } }));
    expectUpdateRequired(await older.client.request('draft:stage', { id: booking, slot: { ...LATER, assignees: [provider] } }));
    expectUpdateRequired(await older.client.request('history:undo', {}));
    expect(older.store.execute('createProvider', { name: 'Cy' })).toMatchObject({ ok: false, error: { details: { updateRequired: true } } });

    // Give the client every chance to send something (a round trip to the server and back), then check the
    // server's rooms: nothing from the older desktop was accepted.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(older.sync.status().state).toBe('synced');
    expect(roomState(server)).toEqual(before);

    // The same workspace in an updated app writes normally, and the server takes it.
    older.close();
    const updated = await openDesktop('older', { clock, dataDir: older.dataDir, knownDocFormat: NEWER });
    disposers.push(() => updated.dispose());
    await waitFor(() => updated.sync.status().state === 'synced', 'updated desktop synced');
    expect(await updated.client.request('workspace:getStatus', {})).toMatchObject({ ok: true, value: { updateRequired: null } });
    const created = await updated.client.request('commands:run', { name: 'createBooking', input: { title: 'New job', slot: { ...LATER, assignees: [provider] } } });
    expect(created.ok).toBe(true);
    const id = created.ok ? (created.value as { id: string }).id : '';
    await waitFor(() => roomDoc(server, 'schedule')?.getMap('bookings').has(id) === true, 'the server has the updated desktop\'s job');
    expect(docSchemaVersion(roomDoc(server, 'roster')!)).toBe(NEWER);
  });
});
