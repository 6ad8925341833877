import { afterEach, describe, expect, it } from 'vitest';
import { fromMs, localDateOf, localTimeOf, localToMs, toMs, type BackendClient } from '../../../core/index';
import { occurrenceId } from '../../../core/recurrence/occurrence';
import { ADMIN, must, openApiWorkspace } from './testing/api-workspace';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const ZONE = 'America/Chicago';


/** Chicago, Monday 23 Nov 2026 at 06:00; one technician. */
async function seeded() {
  const { store, client, run } = openApiWorkspace(cleanups);
  store.execute('initializeOrganization', { name: 'Acme', timeZone: ZONE }, ADMIN);
  const ana = (await run('createProvider', { name: 'Ana Silva', email: 'ana@acme.example' })).id;
  return { store, client, run, ana };
}

const localStart = (client: BackendClient, id: string) =>
  must(client.request('bookings:get', { id })).then((d) => {
    const ms = toMs(d.booking.slot!.start);
    return `${localDateOf(ms, ZONE)} ${localTimeOf(ms, ZONE)}`;
  });

describe('series requests', () => {
  it('series:ofBooking says which series a visit is of and its rule in words; a one-off job has none', async () => {
    const { client, run, ana } = await seeded();
    const { id } = await run('createSeries', {
      title: 'Window cleaning',
      assignees: [ana],
      startDate: '2026-11-24',
      startTime: '09:00',
      durationMinutes: 90,
      repeat: { freq: 'weekly', weekdays: ['tue', 'thu'], end: { type: 'until', date: '2027-03-31' } },
    });
    const info = await must(client.request('series:ofBooking', { id: occurrenceId(id, '2026-11-26') }));
    expect(info).toMatchObject({
      seriesId: id,
      date: '2026-11-26',
      ruleText: 'Weekly on Tue and Thu until Mar 31, 2027',
      startDate: '2026-11-24',
      startTime: '09:00',
      durationMinutes: 90,
      isFirst: false,
      ownChanges: false,
      lastDate: '2027-03-30',
    });
    expect(await must(client.request('series:ofBooking', { id: occurrenceId(id, '2026-11-24') }))).toMatchObject({ isFirst: true });

    const oneOff = await run('createBooking', { title: 'One-off', slot: null });
    expect(await must(client.request('series:ofBooking', { id: oneOff.id }))).toBeNull();
    const words = await must(client.request('series:rulesFor', { ids: [oneOff.id, occurrenceId(id, '2026-12-01')] }));
    expect(words).toEqual({ [occurrenceId(id, '2026-12-01')]: 'Weekly on Tue and Thu until Mar 31, 2027' });
  });

  it('a visit moved on the board and saved keeps its moved time through a later edit of the whole series', async () => {
    const { client, run, ana } = await seeded();
    const { id } = await run('createSeries', {
      title: 'Window cleaning',
      assignees: [ana],
      startDate: '2026-11-24',
      startTime: '09:00',
      durationMinutes: 60,
      repeat: { freq: 'weekly', weekdays: ['tue'] },
    });
    const moved = occurrenceId(id, '2026-12-08');
    const start = localToMs('2026-12-08', '13:30', ZONE);
    await must(client.request('draft:stage', { id: moved, slot: { start: fromMs(start), end: fromMs(start + 3_600_000), assignees: [ana] } }));
    expect(await must(client.request('draft:save', { notifyProviders: false, notifyCustomers: false }))).toMatchObject({ saved: 1 });
    expect(await must(client.request('series:ofBooking', { id: moved }))).toMatchObject({ ownChanges: true });

    await run('updateSeries', { id, startTime: '10:00', title: 'Window cleaning (new time)' });

    expect(await localStart(client, moved)).toBe('2026-12-08 13:30');
    expect((await must(client.request('bookings:get', { id: moved }))).booking.title).toBe('Window cleaning');
    for (const date of ['2026-11-24', '2026-12-01', '2026-12-15', '2026-12-22']) {
      expect(await localStart(client, occurrenceId(id, date))).toBe(`${date} 10:00`);
      expect((await must(client.request('bookings:get', { id: occurrenceId(id, date) }))).booking.title).toBe('Window cleaning (new time)');
    }
    expect(await must(client.request('series:ofBooking', { id: occurrenceId(id, '2026-12-15') }))).toMatchObject({ startTime: '10:00', ownChanges: false });
  });
});
