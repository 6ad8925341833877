import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../../core/index';
import { ADMIN, chicago, openApiWorkspace, unwrap } from './testing/api-workspace';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const chi = chicago;
const DAY = '2026-11-24';

function seeded(providers = 2) {
  const { store, client } = openApiWorkspace(cleanups);
  store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }, ADMIN);
  const must = unwrap;
  const ids: string[] = [];
  for (let i = 0; i < providers; i++) {
    ids.push((must(store.execute('createProvider', { name: `Tech ${i}`, coordinates: { lat: 41.8 + i * 0.02, lng: -87.65 } }, ADMIN)) as { id: string }).id);
  }
  const job = (title: string, fields: Record<string, unknown> = {}) =>
    (must(store.execute('createBooking', { title, location: { address: '', coordinates: { lat: 41.81, lng: -87.64 } }, ...fields })) as { id: string }).id;
  return { store, client, providers: ids, job, must };
}

describe('assistant:fillDay', () => {
  it('fills the queue of the day as the board shows it (staged edits applied) and leaves other days alone', async () => {
    const { client, providers, job } = seeded();
    const [ana, bo] = providers;
    const undated = [job('Leak'), job('Boiler')];
    const dated = job('Tap', { slot: { start: chi('13:00'), end: chi('14:00'), assignees: [] } });
    const wednesday = job('Wednesday', { slot: { start: chi('13:00', 25), end: chi('14:00', 25), assignees: [] } });
    // Ana's morning is taken by a staged edit: the fill must see it.
    const moved = job('Staged', { slot: { start: chi('08:00'), end: chi('12:00'), assignees: [bo!] } });
    expect((await client.request('draft:stage', { id: moved, slot: { start: chi('08:00'), end: chi('17:00'), assignees: [ana!] } })).ok).toBe(true);

    const r = await client.request('assistant:fillDay', { day: DAY });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.unplaced).toEqual([]);
    expect(r.value.placed.map((p) => p.id).sort()).toEqual([...undated, dated].sort());
    expect(r.value.placed.map((p) => p.id)).not.toContain(wednesday);
    // Ana is busy all day (staged): everything goes to Bo.
    for (const p of r.value.placed) expect(p.slot.assignees).toEqual([bo]);
    expect(r.value.placed.every((p) => /^Tech 1: /.test(p.why))).toBe(true);

    // Staged as one edit, the board finds nothing wrong with them.
    const staged = await client.request('draft:stageMany', { slots: r.value.placed.map((p) => ({ id: p.id, slot: p.slot })) });
    expect(staged.ok).toBe(true);
    const board = await client.request('board:getRange', { from: chi('00:00'), to: '2026-11-25T06:00:00Z' });
    if (!board.ok) throw new Error(board.error.message);
    for (const p of r.value.placed) expect(board.value.conflicts[p.id] ?? []).toEqual([]);
  });

  it('fills only a selection, and names an unknown job', async () => {
    const { client, job } = seeded();
    const a = job('A');
    job('B');
    const r = await client.request('assistant:fillDay', { day: DAY, bookingIds: [a] });
    expect(r.ok && r.value.placed.map((p) => p.id)).toEqual([a]);
    const bad = await client.request('assistant:fillDay', { day: DAY, bookingIds: ['01900000-0000-7000-8000-00000000ffff'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'not_found', fieldErrors: { bookingIds: expect.stringMatching(/No booking/) } } });
    const invalid = await client.request('assistant:fillDay', { day: 'Tuesday' });
    expect(invalid.ok).toBe(false);
  });

  it('runs in slices: reports progress, answers other requests meanwhile, and stops on cancel', async () => {
    const { client, job } = seeded(12);
    for (let i = 0; i < 90; i++) job(`Job ${i}`, { location: { address: '', coordinates: { lat: 41.75 + (i % 10) * 0.02, lng: -87.7 + Math.floor(i / 10) * 0.02 } } });
    const progress: Array<EventPayloads['assistant:progress']> = [];
    client.on('assistant:progress', (p) => progress.push(p));

    const full = client.request('assistant:fillDay', { day: DAY, runId: 'one' });
    let fillAnswered = false;
    void full.then(() => (fillAnswered = true));
    // Another request is answered while the fill runs.
    const settings = await client.request('settings:get', {});
    expect(settings.ok).toBe(true);
    expect(fillAnswered).toBe(false);
    const done = await full;
    if (!done.ok) throw new Error(done.error.message);
    expect(done.value.placed.length + done.value.unplaced.length).toBe(90);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.runId === 'one' && p.done <= p.total)).toBe(true);
    expect(progress.at(-1)!.done).toBeGreaterThan(progress[0]!.done);

    const cancelled = client.request('assistant:fillDay', { day: DAY, runId: 'two' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await client.request('assistant:cancel', { runId: 'two' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Cancelled' } });
    expect(await client.request('assistant:cancel', {})).toEqual({ ok: true, value: { cancelled: false } });
  }, 60_000);
});
