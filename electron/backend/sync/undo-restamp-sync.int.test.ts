/**
 * An undo is a new write with a new stamp (electron/backend/store/undo-restamp.ts), through a real server:
 * a desktop that undoes its move after another desktop moved the same job offline wins, because the undo
 * is the later intent; the server takes the undo's update, and the other desktop is told its move lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { offlinePair, pause, runCommand as run, seedOneJob, settled as synced } from './testing/offline-pair';
import { waitFor, type TestDesktop } from './testing/sync-harness';

const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const lostMarks = (d: TestDesktop, bookingId: string) => d.store.offlineChanges.list({ bookingId }).filter((c) => c.action === 'conflict_lost');
const startOf = (d: TestDesktop, id: string) => d.store.queries.booking(id)?.slot?.start;

describe('undo through the sync server', () => {
  it('an undo made after another desktop’s offline move wins on both, and the mover is told', async () => {
    let booking = '';
    const pair = await offlinePair(
      disposers,
      async (d) => {
        booking = await seedOneJob(d, false);
      },
      (b) => startOf(b, booking) === '2026-11-24T15:00:00Z',
    );
    const { server: s, a } = pair;
    let b = pair.b();

    await run(a, 'moveBooking', { id: booking, start: '2026-11-24T16:00:00Z' });
    await pause(20);
    await run(b, 'moveBooking', { id: booking, start: '2026-11-24T18:00:00Z' });
    await pause(20);
    const undone = await a.client.request('history:undo', {});
    expect(undone).toMatchObject({ ok: true, value: { done: true, staged: 0 } });
    expect(startOf(a, booking)).toBe('2026-11-24T15:00:00Z');

    b.close();
    await s.start();
    await synced(a);
    b = await pair.bringBackB();
    await waitFor(() => startOf(b, booking) === '2026-11-24T15:00:00Z', 'the undo at b');
    await waitFor(() => lostMarks(b, booking).length === 1, 'b told its move lost');
    expect(lostMarks(b, booking)[0]!.summary).toMatch(/because it was made later/);
    expect(startOf(a, booking)).toBe('2026-11-24T15:00:00Z');
    expect(lostMarks(a, booking)).toEqual([]);
    // Neither side's update was refused: both are still synced with nothing waiting.
    await synced(a);
    await synced(b);
  });
});
