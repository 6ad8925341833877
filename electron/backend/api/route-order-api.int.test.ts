import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../store/testing/temp-dir';
import { openWorkspace } from '../workspace';
import { BackendApi, directClient } from './backend-api';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Tuesday 2026-11-24 in America/Chicago (UTC-6), written out by hand. */
const chi = (hhmm: string) => `2026-11-24T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;
/** `k` km north of the home base (0.009° of latitude is 1.0008 km). */
const north = (k: number) => ({ lat: 41.88 + 0.009 * k, lng: -87.63 });

/** A real workspace file with one technician whose Tuesday zig-zags: stops at 1, 4, 2, 5, 3 km north. */
async function zigZag() {
  const tmp = tempDir();
  const { store } = openWorkspace({ dataDir: tmp.dir, clock: () => Date.parse('2026-11-23T12:00:00Z') });
  cleanups.push(() => {
    store.close();
    tmp.cleanup();
  });
  const client = directClient(new BackendApi(store, { version: 'test', transport: 'websocket' }));
  const run = async (name: string, input: unknown) => {
    const r = await client.request('commands:run', { name, input });
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as { id: string };
  };
  await run('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
  const ana = (await run('createProvider', { name: 'Ana Silva', coordinates: north(0) })).id;
  const ids: string[] = [];
  for (const [i, k] of [1, 4, 2, 5, 3].entries()) {
    const customer = (await run('createCustomer', { name: `Customer ${k}`, address: `${k} North St`, coordinates: north(k) })).id;
    const start = chi(`${String(8 + i).padStart(2, '0')}:00`);
    const end = chi(`${String(9 + i).padStart(2, '0')}:00`);
    ids.push((await run('createBooking', { title: `Job ${k} km`, customerId: customer, slot: { start, end, assignees: [ana] } })).id);
  }
  return { store, client, ana, ids };
}

describe('assistant:orderRoute over the local store', () => {
  it('proposes the shorter order with before/after distance, and judges the board with staged edits applied', async () => {
    const { client, ana, ids } = await zigZag();
    const r = await client.request('assistant:orderRoute', { providerId: ana, day: '2026-11-24' });
    if (!r.ok) throw new Error(r.error.message);
    const p = r.value;
    expect(p.outcome).toBe('better');
    expect(p.stops.map((s) => s.title)).toEqual(['Job 1 km', 'Job 2 km', 'Job 3 km', 'Job 4 km', 'Job 5 km']);
    // Customers' coordinates stand for the jobs' (no address of their own): 11 km straight × 1.3 before, 5 × 1.3 after.
    expect(p.before.km).toBeCloseTo(14.3, 1);
    expect(p.after.km).toBeCloseTo(6.5, 1);
    expect(p.slots).toHaveLength(4);
    // Proposing stages nothing.
    const info = await client.request('draft:preview', { notifyProviders: false, notifyCustomers: false });
    if (!info.ok) throw new Error(info.error.message);
    expect(info.value.changes).toEqual([]);

    const staged = await client.request('draft:stageMany', { slots: p.slots });
    if (!staged.ok) throw new Error(staged.error.message);
    expect(staged.value.stagedCount).toBe(4);
    const again = await client.request('assistant:orderRoute', { providerId: ana, day: '2026-11-24' });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.outcome).toBe('nothing_to_gain');
    expect(again.value.before.km).toBeCloseTo(6.5, 1);
    expect(again.value.stops.map((s) => s.bookingId)).toEqual([ids[0], ids[2], ids[4], ids[1], ids[3]]);
  });

  it('answers a day without stops, and refuses bad input with a reason on the field', async () => {
    const { client, ana } = await zigZag();
    const empty = await client.request('assistant:orderRoute', { providerId: ana, day: '2026-11-25' });
    if (!empty.ok) throw new Error(empty.error.message);
    expect(empty.value.outcome).toBe('too_few_stops');
    expect(empty.value.message).toBe('Ana Silva has no stops on 2026-11-25');

    const unknown = await client.request('assistant:orderRoute', { providerId: '01900000-0000-7000-8000-0000000fffff', day: '2026-11-24' });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.error.code).toBe('not_found');
      expect(unknown.error.fieldErrors?.providerId).toBe('No service provider with this id');
    }
    const badDay = await client.request('assistant:orderRoute', { providerId: ana, day: '2026-13-01' });
    expect(badDay.ok).toBe(false);
    if (!badDay.ok) expect(badDay.error.fieldErrors?.day).toMatch(/date like/);
  });
});
