import { afterEach, describe, expect, it } from 'vitest';
import { listSeries, readSeriesLog } from '../../../core/recurrence/series-doc';
import { openLinkedDesktops, startSyncServer, waitFor, type TestDesktop } from './testing/sync-harness';

/**
 * Undo is a user's honest edit: undoing a repeating job, a series edit or an End series must pass the sync
 * server's document rules (a refused update would stop the desktop syncing for good), and reach the others.
 */
const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function run<T = { id: string }>(d: TestDesktop, name: string, input: unknown): Promise<T> {
  const result = await d.client.request('commands:run', { name, input });
  if (!result.ok) throw new Error(`${d.name} ${name}: ${result.error.message}`);
  return result.value as T;
}

const synced = (d: TestDesktop) => waitFor(() => d.sync.status().state === 'synced' && d.sync.status().pending === 0, `${d.name} synced`);

async function undo(d: TestDesktop): Promise<void> {
  const undone = await d.client.request('history:undo', {});
  expect(undone).toMatchObject({ ok: true, value: { done: true } });
}

describe('undo of series commands, through the sync server', () => {
  it('passes the document rules and reaches the other desktop: create, edit, end, each undone', async () => {
    const server = await startSyncServer();
    disposers.push(() => server.dispose());
    const [a, b] = await openLinkedDesktops(server, ['a', 'b'], {
      users: ['ana', 'bo'],
      seed: (d) => {
        d.store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
      },
    });
    disposers.push(() => a!.dispose(), () => b!.dispose());
    const seriesOn = (d: TestDesktop) => listSeries(d.store.docs.schedule).map((s) => ({ id: s.id, title: s.template.title, ends: s.ends.length }));
    const repeat = { freq: 'weekly', weekdays: ['tue', 'thu'] };

    await run(a!, 'createSeries', { title: 'Window cleaning', startDate: '2026-11-24', startTime: '09:00', repeat, horizonWeeks: 3 });
    await synced(a!);
    await waitFor(() => seriesOn(b!).length === 1, 'b sees the series');
    await undo(a!);
    await synced(a!);
    await waitFor(() => seriesOn(b!).length === 0, 'b sees the series undone');
    expect(b!.store.queries.list({}).filter((x) => x.title === 'Window cleaning')).toEqual([]);

    const kept = await run(a!, 'createSeries', { title: 'Gutters', startDate: '2026-11-24', startTime: '09:00', repeat, horizonWeeks: 3 });
    await run(a!, 'updateSeries', { id: kept.id, title: 'Gutters and windows' });
    await synced(a!);
    await waitFor(() => seriesOn(b!)[0]?.title === 'Gutters and windows', 'b sees the edit');
    await undo(a!);
    await synced(a!);
    await waitFor(() => seriesOn(b!)[0]?.title === 'Gutters', 'b sees the edit undone');
    // The series' own log still says what happened, on both desktops: undo never removes its entries.
    for (const d of [a!, b!]) expect(readSeriesLog(d.store.docs.schedule, kept.id).map((e) => e.action)).toEqual(['create', 'edit']);

    await run(a!, 'endSeries', { id: kept.id, lastDate: '2026-12-01' });
    await synced(a!);
    await waitFor(() => seriesOn(b!)[0]?.ends === 1, 'b sees the end');
    await undo(a!);
    await synced(a!);
    await waitFor(() => seriesOn(b!)[0]?.ends === 0, 'b sees the end undone');

    expect(a!.sync.status().state).toBe('synced');
    expect(b!.sync.status().state).toBe('synced');
    expect(a!.store.docs.schedule.toJSON()).toEqual(b!.store.docs.schedule.toJSON());
  });
});
