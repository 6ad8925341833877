import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createScaledSchedule } from '../../../core/demo/scale';
import { openDesktop, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from './testing/sync-harness';

const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const bookingCount = (d: TestDesktop) => d.store.db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;

describe('a real-sized workspace', () => {
  it('uploads in one handshake with the server defaults and reaches a second desktop whole', async () => {
    const server: TestSyncServer = await startSyncServer();
    disposers.push(() => server.dispose());
    const a = await openDesktop('a');
    disposers.push(() => a.dispose());
    a.store.batch(() =>
      createScaledSchedule((name, input, actor) => a.store.execute(name, input, actor), {
        providers: 60,
        bookings: 4000,
        startDate: '2026-11-23',
        days: 14,
      }),
    );
    // Bigger than one frame of the old 2 MiB limit: the handshake answer carries all of it at once.
    expect(Y.encodeStateAsUpdate(a.store.docs.schedule).byteLength).toBeGreaterThan(2 * 1024 * 1024);

    await a.signIn(server, 'ana', 'upload');
    await waitFor(() => a.sync.status().state === 'synced', 'a synced', 30_000);
    expect(a.sync.status()).toMatchObject({ state: 'synced', pending: 0 });

    const b = await openDesktop('b');
    disposers.push(() => b.dispose());
    await b.signIn(server, 'bo', 'replace');
    await waitFor(() => b.sync.status().state === 'synced', 'b synced', 30_000);
    expect(bookingCount(b)).toBe(bookingCount(a));
    expect(bookingCount(b)).toBeGreaterThanOrEqual(4000);
    // Building 4,000 bookings and two 30 s waits: on a loaded 2-core machine this takes more than the default 30 s.
  }, 120_000);
});
