/**
 * Whoever lost a conflict is told (electron/backend/sync/lost-write-marks.ts): two desktops on a real
 * server write one field group offline; the one whose write lost gets a mark on the job (the board's and
 * job panel's `offline_changes`) naming both sides, whether the winner reached it by a live update or in
 * its reconnect handshake. The other gets none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readHistory } from '../../../core/doc/schedule';
import { offlinePair, pause, runCommand as run, seedOneJob, settled as synced } from './testing/offline-pair';
import { waitFor, type TestDesktop } from './testing/sync-harness';

const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const lostMarks = (d: TestDesktop, bookingId: string) => d.store.offlineChanges.list({ bookingId }).filter((c) => c.action === 'conflict_lost');

/** a and b linked with one job sent to a technician; the server halted while both write offline. */
async function offlineJobPair() {
  let booking = '';
  const pair = await offlinePair(
    disposers,
    async (d) => {
      booking = await seedOneJob(d, true);
    },
    (b) => b.store.queries.booking(booking) !== undefined,
  );
  return { ...pair, s: pair.server, booking };
}

describe('the losing side is marked', () => {
  it('by a live update: a reconnects first, then the later write from b arrives live', async () => {
    const { s, a, b, booking, bringBackB } = await offlineJobPair();
    await run(a, 'updateBooking', { id: booking, notes: 'Gate code 1234 (from a)' });
    await pause(20);
    await run(b(), 'updateBooking', { id: booking, notes: 'Gate code 9876 (from b, later)' });
    b().close();
    await s.start();
    await synced(a);
    expect(lostMarks(a, booking)).toEqual([]);
    const back = await bringBackB();
    await waitFor(() => a.store.queries.booking(booking)?.notes === 'Gate code 9876 (from b, later)', 'the later note at a');
    await waitFor(() => lostMarks(a, booking).length === 1, 'a marked');
    expect(lostMarks(a, booking)[0]!.summary).toBe(
      'Your change of the notes ("Gate code 1234 (from a)") was not kept: "Gate code 9876 (from b, later)" won, because it was made later.',
    );
    expect(a.eventsOf('sync:offlineChangesChanged').some((e) => e.bookingIds.includes(booking))).toBe(true);
    expect(back.store.queries.booking(booking)?.notes).toBe('Gate code 9876 (from b, later)');
    expect(lostMarks(back, booking)).toEqual([]);
  });

  it('in the handshake, by the rule table: an en route tapped later loses to an earlier cancel', async () => {
    const { s, a, b, booking, bringBackB } = await offlineJobPair();
    await run(a, 'cancelBooking', { id: booking, reason: 'Customer called' });
    await pause(20);
    await run(b(), 'updateStatus', { id: booking, status: 'en_route' });
    b().close();
    await s.start();
    await synced(a);
    const back = await bringBackB();
    await waitFor(() => lostMarks(back, booking).length === 1, 'b marked');
    expect(lostMarks(back, booking)[0]!.summary).toMatch(/^Your change of the status \(En route\) was not kept: Cancelled won, because the office called the visit off/);
    await waitFor(() => a.store.queries.booking(booking)?.status === 'cancelled', 'a cancelled');
    expect(back.store.queries.booking(booking)?.status).toBe('cancelled');
    expect(lostMarks(a, booking)).toEqual([]);
    // The en route stays in the job's history, where the office sees it.
    expect(readHistory(a.store.docs.schedule, booking).map((h) => h.action)).toEqual(expect.arrayContaining(['cancel', 'en_route']));
  });
});
