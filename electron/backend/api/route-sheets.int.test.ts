import { afterEach, describe, expect, it } from 'vitest';
import { effectiveStatus, localDateOf, toMs } from '../../../core/index';
import { tempDir } from '../store/testing/temp-dir';
import { openWorkspace } from '../workspace';
import { BackendApi, directClient } from './backend-api';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** The demo company in a real workspace file, behind the API as the renderer reaches it. */
function demoWorkspace() {
  const tmp = tempDir();
  const { store, demo } = openWorkspace({ dataDir: tmp.dir, seedDemo: true, demoDate: '2026-11-24' });
  cleanups.push(() => {
    store.close();
    tmp.cleanup();
  });
  const client = directClient(new BackendApi(store, { version: 'test', transport: 'websocket' }));
  return { store, client, demo: demo! };
}

describe('routeSheets:get over the local store', () => {
  it('serves the demo company’s sheets for a day from the read tables', async () => {
    const { store, client } = demoWorkspace();
    const date = '2026-11-23';
    const r = await client.request('routeSheets:get', { date });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.company).toBe('Northwind Home Services');
    expect(r.value.unsavedChanges).toBe(0);

    // Independently of the model: who works that day, from the stored bookings.
    const jobs = store.queries
      .list({ limit: 10_000 })
      .filter((b) => b.slot && effectiveStatus(b.status, b.slot) !== 'cancelled' && localDateOf(toMs(b.slot.start), 'America/Chicago') === date);
    const working = new Set(jobs.flatMap((b) => b.slot!.assignees));
    expect(r.value.sheets.map((s) => s.provider.id).sort()).toEqual([...working].sort());
    for (const sheet of r.value.sheets) {
      const mine = jobs.filter((b) => b.slot!.assignees.includes(sheet.provider.id)).sort((a, b) => toMs(a.slot!.start) - toMs(b.slot!.start));
      expect(sheet.stops.map((s) => s.bookingId)).toEqual(mine.map((b) => b.id));
      const customers = mine.map((b) => store.queries.customer(b.customerId!)!.name);
      expect(sheet.stops.map((s) => s.customer?.name)).toEqual(customers);
    }
  });

  it('prints the saved schedule and counts staged board edits it leaves out', async () => {
    const { store, client } = demoWorkspace();
    const date = '2026-11-25';
    const before = await client.request('routeSheets:get', { date });
    if (!before.ok) throw new Error(before.error.message);
    const stop = before.value.sheets[0]!.stops[0]!;
    const booking = store.queries.booking(stop.bookingId)!;
    const staged = await client.request('draft:stage', { id: booking.id, slot: null });
    expect(staged.ok).toBe(true);
    const after = await client.request('routeSheets:get', { date });
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value.unsavedChanges).toBe(1);
    expect(after.value.sheets[0]!.stops.map((s) => s.bookingId)).toContain(booking.id);
  });

  it('answers only the chosen providers, and with empty sheets when asked', async () => {
    const { client } = demoWorkspace();
    const providers = await client.request('providers:list', {});
    if (!providers.ok) throw new Error(providers.error.message);
    // Sunday: nobody works.
    const sunday = await client.request('routeSheets:get', { date: '2026-11-29' });
    if (!sunday.ok) throw new Error(sunday.error.message);
    expect(sunday.value.sheets).toEqual([]);
    expect(sunday.value.skipped.length).toBe(providers.value.filter((p) => p.active).length);
    const two = providers.value.slice(0, 2).map((p) => p.id);
    const chosen = await client.request('routeSheets:get', { date: '2026-11-29', providerIds: two, includeEmpty: true });
    if (!chosen.ok) throw new Error(chosen.error.message);
    expect(chosen.value.sheets.map((s) => [s.provider.id, s.stops.length])).toEqual(two.map((id) => [id, 0]));
  });

  it('refuses bad input with a reason on the field', async () => {
    const { client } = demoWorkspace();
    const badDate = await client.request('routeSheets:get', { date: '2026-13-01' });
    expect(badDate.ok).toBe(false);
    if (!badDate.ok) expect(Object.keys(badDate.error.fieldErrors ?? {})).toEqual(['date']);
    const unknown = '0190ffff-0000-7000-8000-000000000001';
    const notThere = await client.request('routeSheets:get', { date: '2026-11-23', providerIds: [unknown] });
    expect(notThere.ok).toBe(false);
    if (!notThere.ok) {
      expect(notThere.error.code).toBe('not_found');
      expect(notThere.error.fieldErrors?.providerIds).toContain(unknown);
    }
    const notAnId = await client.request('routeSheets:get', { date: '2026-11-23', providerIds: ['robert'] });
    expect(notAnId.ok).toBe(false);
  });

  it('leaves Save as PDF to the desktop shell', async () => {
    const { client } = demoWorkspace();
    const r = await client.request('routeSheets:savePdf', { fileName: 'route-sheets-2026-11-23.pdf' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/desktop app/);
    const bad = await client.request('routeSheets:savePdf', { fileName: '../etc/passwd.pdf' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('validation');
  });
});
