import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../core/clock';
import { getBooking } from '../../../core/doc/schedule';
import { occurrenceId } from '../../../core/recurrence/occurrence';
import { linksBySeries, listSeries } from '../../../core/recurrence/series-doc';
import type { Actor } from '../../../core/index';
import { LocalStore } from '../store/local-store';
import { tempDir } from '../store/testing/temp-dir';
import { SeriesHorizonKeeper } from './series-horizon';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const DAY = 86_400_000;
const dispatcher: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'dispatcher' };
const viewer: Actor = { id: 'v1', name: 'Vic Viewer', role: 'viewer' };

/** Chicago, Monday 23 Nov 2026 at 06:00, a 2-week horizon, and a job every Tuesday from that Monday on. */
function seeded() {
  const tmp = tempDir();
  const clock = manualClock(Date.parse('2026-11-23T12:00:00Z'));
  const store = LocalStore.open(tmp.file('ws.sqlite'), { actor: dispatcher, clock: clock.now });
  cleanups.push(() => {
    if (store.db.open) store.close();
    tmp.cleanup();
  });
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  must(store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }, { ...dispatcher, role: 'admin' }));
  must(store.execute('updateSettings', { recurrenceHorizonWeeks: 2 }, { ...dispatcher, role: 'admin' }));
  const { id } = must(
    store.execute('createSeries', { title: 'Window cleaning', startDate: '2026-11-23', startTime: '09:00', repeat: { freq: 'weekly', weekdays: ['tue'] } }),
  );
  store.clearUndoHistory();
  const dates = () => [...(linksBySeries(store.docs.schedule).get(id)?.values() ?? [])].map((l) => l.date).sort();
  return { store, clock, id, dates, must };
}

describe('SeriesHorizonKeeper', () => {
  it('extends the horizon when the workspace opens and each time the organization’s date changes, by the store’s clock', () => {
    const { store, clock, id, dates } = seeded();
    expect(dates()).toEqual(['2026-11-24', '2026-12-01']);
    const keeper = new SeriesHorizonKeeper(store);

    expect(keeper.check()).toEqual({ date: '2026-11-23', created: 0, updated: 0, removed: 0 });
    // 18:00 in Chicago is the same local day, though UTC has moved on to the 24th.
    clock.advance(12 * 3_600_000);
    expect(keeper.check()).toBeNull();

    // 00:30 on Tuesday the 24th: the horizon reaches Tuesday 8 Dec.
    clock.advance(6.5 * 3_600_000);
    expect(keeper.check()).toMatchObject({ date: '2026-11-24', created: 1 });
    expect(dates()).toEqual(['2026-11-24', '2026-12-01', '2026-12-08']);
    expect(getBooking(store.docs.schedule, occurrenceId(id, '2026-12-08'))).toMatchObject({ title: 'Window cleaning', slot: { start: '2026-12-08T15:00:00Z' } });
    expect(store.queries.booking(occurrenceId(id, '2026-12-08'))).toBeDefined();

    clock.advance(7 * DAY);
    expect(keeper.check()).toMatchObject({ date: '2026-12-01', created: 1 });
    expect(dates().at(-1)).toBe('2026-12-15');
    // Nothing new on the next days until the next Tuesday comes into range.
    clock.advance(DAY);
    expect(keeper.check()).toMatchObject({ date: '2026-12-02', created: 0 });
  });

  it('is no undo step: Ctrl+Z undoes the user’s last action and leaves the new visits; redo survives it', () => {
    const { store, clock, dates, must } = seeded();
    const keeper = new SeriesHorizonKeeper(store);
    keeper.check();
    const booking = must(store.execute('createBooking', { title: 'One-off', slot: null }));
    expect(store.undo()).toBe(true);
    expect(store.queries.booking(booking.id)).toBeUndefined();

    clock.advance(DAY);
    expect(keeper.check()).toMatchObject({ created: 1 });
    expect(store.canUndo()).toBe(false);
    expect(store.canRedo()).toBe(true);
    expect(store.redo()).toBe(true);
    expect(store.queries.booking(booking.id)).toBeDefined();
    expect(store.undo()).toBe(true);
    expect(store.queries.booking(booking.id)).toBeUndefined();
    expect(dates()).toHaveLength(3);
  });

  it('Ctrl+Z after creating a repeating job removes the series with its visits: the keeper does not make them again', () => {
    const { store, clock, must } = seeded();
    const keeper = new SeriesHorizonKeeper(store);
    keeper.check();
    const { id } = must(
      store.execute('createSeries', { title: 'Gutters', startDate: '2026-11-23', startTime: '13:00', repeat: { freq: 'weekly', weekdays: ['fri'] } }),
    );
    expect(store.queries.list({ text: 'Gutters' })).toHaveLength(2);
    expect(store.undo()).toBe(true);
    expect(store.queries.list({ text: 'Gutters' })).toHaveLength(0);
    expect(listSeries(store.docs.schedule).map((s) => s.id)).not.toContain(id);
    expect(linksBySeries(store.docs.schedule).get(id)).toBeUndefined();
    clock.advance(DAY);
    keeper.check();
    expect(store.queries.list({ text: 'Gutters' })).toHaveLength(0);
    // Redo brings the series back, and the keeper keeps it from then on.
    expect(store.redo()).toBe(true);
    expect(store.queries.list({ text: 'Gutters' })).toHaveLength(2);
    clock.advance(7 * DAY);
    keeper.check();
    // Fridays 27 Nov and 4 Dec, and now 11 Dec.
    expect(store.queries.list({ text: 'Gutters' })).toHaveLength(3);
  });

  it('skips a viewer, and runs once an office user is at the desk that day', () => {
    const { store, clock, dates } = seeded();
    const keeper = new SeriesHorizonKeeper(store);
    store.setActor(viewer);
    clock.advance(DAY);
    expect(keeper.check()).toBeNull();
    expect(dates()).toHaveLength(2);
    store.setActor(dispatcher);
    expect(keeper.check()).toMatchObject({ date: '2026-11-24', created: 1 });
  });

  it('a longer horizon in the settings is filled at once', async () => {
    const { store, dates, must } = seeded();
    const keeper = new SeriesHorizonKeeper(store, { checkEveryMs: 3_600_000 });
    keeper.start();
    cleanups.push(() => keeper.stop());
    expect(dates()).toHaveLength(2);
    must(store.execute('updateSettings', { recurrenceHorizonWeeks: 4 }, { ...dispatcher, role: 'admin' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(dates()).toEqual(['2026-11-24', '2026-12-01', '2026-12-08', '2026-12-15']);
  });
});
