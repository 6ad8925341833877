import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, chicago, must, openApiWorkspace } from './testing/api-workspace';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const chi = chicago;

/** A real SQLite workspace, Monday 23 Nov 2026; Ana and Bo work Mon–Fri 08:00–17:00. */
async function seeded() {
  const { store, client, run } = openApiWorkspace(cleanups);
  store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }, ADMIN);
  const ana = (await run('createProvider', { name: 'Ana Silva' })).id;
  const bo = (await run('createProvider', { name: 'Bo Chen' })).id;
  const cust = (await run('createCustomer', { name: 'Jo Smith', address: '1 Main St' })).id;
  return { client, run, ana, bo, cust };
}

describe('assistant:suggest', () => {
  it('ranks on the board as the dispatcher sees it: staged edits count, saved history is served-before', async () => {
    const { client, run, ana, bo, cust } = await seeded();
    await run('createBooking', { title: 'Earlier visit', teamSize: 1, customerId: cust, slot: { start: chi('09:00', 23), end: chi('10:00', 23), assignees: [bo] } });
    const big = (await run('createBooking', { title: 'Big job', teamSize: 1, slot: null })).id;
    const job = (await run('createBooking', { title: 'Leak', teamSize: 1, customerId: cust })).id;

    const before = await must(client.request('assistant:suggest', { id: job, day: '2026-11-24' }));
    expect(before.time).toEqual({ kind: 'chosen', day: '2026-11-24' });
    expect(before.ranked.map((s) => [s.name, s.ok, s.customer.jobs])).toEqual([['Bo Chen', true, 1], ['Ana Silva', true, 0]]);
    expect(before.ranked[0]!.customer.reason).toBe('Served this customer before (1 job)');

    // Staged, not saved: Ana's whole Tuesday and Bo's too. Both are now ruled out, with the engine's reason.
    await must(client.request('draft:stage', { id: big, slot: { start: chi('08:00'), end: chi('17:00'), assignees: [ana, bo] } }));
    const after = await must(client.request('assistant:suggest', { id: job, day: '2026-11-24' }));
    expect(after.ranked.every((s) => !s.ok)).toBe(true);
    expect(after.ranked[0]!.hardReasons[0]).toMatch(/double-booked with "Big job"/);
    // Another day is free again.
    const wednesday = await must(client.request('assistant:suggest', { id: job, day: '2026-11-25' }));
    expect(wednesday.ranked.every((s) => s.ok)).toBe(true);
  });

  it('keeps the time of a dated job, as staged; an inactive provider is left out unless on the job', async () => {
    const { client, run, ana, bo } = await seeded();
    const cy = (await run('createProvider', { name: 'Cy Park', active: false })).id;
    const job = (await run('createBooking', { title: 'Tune-up', teamSize: 1, slot: { start: chi('09:00'), end: chi('10:00'), assignees: [ana] } })).id;
    await must(client.request('draft:stage', { id: job, slot: { start: chi('14:00'), end: chi('15:00'), assignees: [ana] } }));
    const r = await must(client.request('assistant:suggest', { id: job }));
    expect(r.time).toEqual({ kind: 'kept', start: chi('14:00') });
    expect(r.ranked.map((s) => s.providerId).sort()).toEqual([ana, bo].sort());
    expect(r.ranked.find((s) => s.providerId === ana)!.current).toBe(true);
    await must(client.request('draft:stage', { id: job, slot: { start: chi('14:00'), end: chi('15:00'), assignees: [cy] } }));
    const withCy = await must(client.request('assistant:suggest', { id: job }));
    const cyRow = withCy.ranked.find((s) => s.providerId === cy)!;
    expect(cyRow).toMatchObject({ ok: false, current: true, hardReasons: ['Cy Park is inactive'] });
    expect(withCy.ranked.at(-1)!.providerId).toBe(cy);
    // The roster is remembered between requests, until it changes: Bo leaves, a customer moves.
    await run('updateProvider', { id: bo, active: false });
    const withoutBo = await must(client.request('assistant:suggest', { id: job }));
    expect(withoutBo.ranked.map((s) => s.providerId).sort()).toEqual([ana, cy].sort());
  });

  it('reads a customer’s new map position at once (the roster cache follows changes)', async () => {
    const { client, run, ana, cust } = await seeded();
    await run('updateProvider', { id: ana, coordinates: { lat: 41.8, lng: -87.7 } });
    const job = (await run('createBooking', { title: 'Leak', teamSize: 1, customerId: cust, location: { address: '1 Main St', coordinates: null } })).id;
    const before = await must(client.request('assistant:suggest', { id: job, day: '2026-11-24' }));
    expect(before.ranked.find((s) => s.providerId === ana)!.travel.reason).toBe('Travel unknown: the job has no map position');
    await run('updateCustomer', { id: cust, coordinates: { lat: 41.845, lng: -87.7 } });
    const after = await must(client.request('assistant:suggest', { id: job, day: '2026-11-24' }));
    expect(after.ranked.find((s) => s.providerId === ana)!.travel.reason).toMatch(/^Travel 13 min \(6\.5 km\) from their home base$/);
  });

  it('an undated job whose arrival window is on another day is planned against that day’s jobs', async () => {
    const { client, run, ana } = await seeded();
    await run('createBooking', { title: 'Wednesday job', teamSize: 1, slot: { start: chi('09:00', 25), end: chi('11:00', 25), assignees: [ana] } });
    const job = (await run('createBooking', { title: 'Windowed', teamSize: 1, arrivalWindow: { start: chi('10:00', 25), end: chi('12:00', 25) } })).id;
    const r = await must(client.request('assistant:suggest', { id: job, day: '2026-11-24' }));
    const anaRow = r.ranked.find((s) => s.providerId === ana)!;
    // Not at 10:00, the window's first (and nearest) start: Ana's Wednesday job is read, though the board shows Tuesday.
    expect(anaRow).toMatchObject({ ok: true, slot: { start: chi('11:00', 25) } });
  });

  it('refuses with a reason: an unknown job, a closed job, a day that is not a date', async () => {
    const { client, run, ana } = await seeded();
    const missing = await client.request('assistant:suggest', { id: '01900000-0000-7000-8000-00000000ffff' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const job = (await run('createBooking', { title: 'Done', teamSize: 1, slot: { start: chi('09:00', 23), end: chi('10:00', 23), assignees: [ana] } })).id;
    await run('cancelBooking', { id: job, reason: 'Not needed' });
    const closed = await client.request('assistant:suggest', { id: job });
    expect(closed).toMatchObject({ ok: false, error: { message: '"Done" is cancelled: there is nobody to suggest for it' } });
    const bad = await client.request('assistant:suggest', { id: job, day: 'Tuesday' } as never);
    expect(bad).toMatchObject({ ok: false, error: { fieldErrors: { day: 'Must be a date like 2026-11-23' } } });
  });
});
