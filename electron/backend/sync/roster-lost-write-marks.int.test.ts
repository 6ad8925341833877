/**
 * Whoever lost a conflict on a roster record is told (roster-lost-write-marks.ts): two desktops on a real
 * server edit one provider, customer or service offline; the one whose write lost gets a mark on that
 * record (`roster:listLostWrites`) naming what was kept and what was lost, whether the winner reached it
 * by a live update or in its reconnect handshake, and in either order of writing. The other gets none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getCustomer, getProvider, getService } from '../../../core/doc/roster';
import type { RosterLostWrite, RosterRecordKind } from '../../../core/doc/roster-lost-writes';
import { offlinePair, pause, runCommand as run, settled as synced } from './testing/offline-pair';
import { waitFor, type TestDesktop } from './testing/sync-harness';

const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function marks(d: TestDesktop, kind?: RosterRecordKind): Promise<RosterLostWrite[]> {
  const r = await d.client.request('roster:listLostWrites', kind ? { kind } : {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const marksNow = (d: TestDesktop) => d.store.rosterLostWrites.list();

/** a and b linked, with one provider, customer and service; the server halted while both write offline. */
async function offlineRosterPair() {
  const ids = { provider: '', customer: '', service: '' };
  const pair = await offlinePair(
    disposers,
    async (d) => {
      d.store.execute('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
      ids.provider = (await run(d, 'createProvider', { name: 'Tess Tech', phone: '555-0100' })).id;
      ids.customer = (await run(d, 'createCustomer', { name: 'Ada Lovelace', notes: 'Dog in the yard' })).id;
      ids.service = (await run(d, 'createService', { name: 'Boiler service', durationMinutes: 60 })).id;
    },
    (b) => getService(b.store.docs.roster, ids.service) !== undefined,
  );
  return { ...pair, s: pair.server, ids };
}

describe('the losing side of a roster record is marked', () => {
  it('by a live update: a wrote first and reconnects first; the later name from b arrives live', async () => {
    const { s, a, b, ids, bringBackB } = await offlineRosterPair();
    await run(a, 'updateProvider', { id: ids.provider, name: 'Tess Brown' });
    await pause(20);
    await run(b(), 'updateProvider', { id: ids.provider, name: 'Tess Black' });
    b().close();
    await s.start();
    await synced(a);
    expect(await marks(a)).toEqual([]);
    const back = await bringBackB();
    await waitFor(() => getProvider(a.store.docs.roster, ids.provider)?.name === 'Tess Black', 'the later name at a');
    await waitFor(() => marksNow(a).length === 1, 'a marked');
    expect(await marks(a, 'providers')).toEqual([
      expect.objectContaining({ kind: 'providers', recordId: ids.provider, kept: 'Name "Tess Black"', lost: 'Name "Tess Brown"' }),
    ]);
    // Only the field that differs is named: the phone both sides kept is not.
    expect(await marks(a, 'customers')).toEqual([]);
    expect(a.eventsOf('roster:lostWritesChanged').some((e) => e.records.some((r) => r.kind === 'providers' && r.id === ids.provider))).toBe(true);
    expect(getProvider(back.store.docs.roster, ids.provider)?.name).toBe('Tess Black');
    expect(await marks(back)).toEqual([]);
    // The job board's marks do not carry roster marks.
    const jobs = await a.client.request('sync:listOfflineChanges', {});
    expect(jobs.ok && jobs.value).toEqual([]);

    const dismissed = await a.client.request('roster:dismissLostWrite', { kind: 'providers', id: ids.provider });
    expect(dismissed.ok && dismissed.value).toEqual({ dismissed: 1 });
    expect(await marks(a)).toEqual([]);
  });

  it('by a live update, the other order: b wrote first, a later; b reconnects first and a arrives live', async () => {
    const { s, a, b, ids, bringBackB } = await offlineRosterPair();
    await run(b(), 'updateService', { id: ids.service, durationMinutes: 45 });
    await pause(20);
    await run(a, 'updateService', { id: ids.service, durationMinutes: 90, teamSize: 2 });
    b().close();
    // b comes back first this time: a is cut off from the server until b is synced.
    a.sync.close();
    await s.start();
    const back = await bringBackB();
    const reopenedA = await a.reopen();
    disposers.push(() => reopenedA.dispose());
    await synced(reopenedA);
    await waitFor(() => getService(back.store.docs.roster, ids.service)?.durationMinutes === 90, 'the later service at b');
    await waitFor(() => marksNow(back).length === 1, 'b marked');
    expect((await marks(back, 'services'))[0]).toMatchObject({
      kind: 'services',
      recordId: ids.service,
      kept: 'Duration (minutes) 90, Team size 2',
      lost: 'Duration (minutes) 45, Team size 1',
    });
    expect(getService(back.store.docs.roster, ids.service)?.teamSize).toBe(2);
    expect(await marks(reopenedA)).toEqual([]);
  });

  it('in the handshake: a wrote later and is online; b comes back and its earlier notes lost', async () => {
    const { s, a, b, ids, bringBackB } = await offlineRosterPair();
    await run(b(), 'updateCustomer', { id: ids.customer, notes: 'Gate code 1111 (from b)' });
    await pause(20);
    await run(a, 'updateCustomer', { id: ids.customer, notes: 'Gate code 2222 (from a, later)' });
    b().close();
    await s.start();
    await synced(a);
    const back = await bringBackB();
    await waitFor(() => marksNow(back).length === 1, 'b marked');
    expect(await marks(back)).toEqual([
      expect.objectContaining({ kind: 'customers', recordId: ids.customer, kept: 'Notes "Gate code 2222 (from a, later)"', lost: 'Notes "Gate code 1111 (from b)"' }),
    ]);
    expect(getCustomer(back.store.docs.roster, ids.customer)?.notes).toBe('Gate code 2222 (from a, later)');
    await waitFor(() => getCustomer(a.store.docs.roster, ids.customer)?.notes === 'Gate code 2222 (from a, later)', 'a keeps its notes');
    expect(await marks(a)).toEqual([]);
    // The mark survives a restart until "Got it".
    const again = await bringBackB();
    expect((await marks(again)).length).toBe(1);
  });

  it('in the handshake, the other order: b wrote later; a comes back and its earlier phone lost', async () => {
    const { s, a, b, ids } = await offlineRosterPair();
    await run(a, 'updateProvider', { id: ids.provider, phone: '555-0111' });
    await pause(20);
    await run(b(), 'updateProvider', { id: ids.provider, phone: '555-0222' });
    // b stays open and goes online first; a is closed and comes back after.
    a.sync.close();
    await s.start();
    await synced(b());
    const backA = await a.reopen();
    disposers.push(() => backA.dispose());
    await synced(backA);
    await waitFor(() => marksNow(backA).length === 1, 'a marked');
    expect((await marks(backA))[0]).toMatchObject({ kind: 'providers', recordId: ids.provider, kept: 'Phone "555-0222"', lost: 'Phone "555-0111"' });
    expect(getProvider(backA.store.docs.roster, ids.provider)?.phone).toBe('555-0222');
    await waitFor(() => getProvider(b().store.docs.roster, ids.provider)?.phone === '555-0222', 'b keeps its phone');
    expect(await marks(b())).toEqual([]);
  });
});
