import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../testing/fixture';
import { getBooking, listBookings, readHistory, scheduleMaps } from './schedule';
import { getProvider, listProviders, readSettings, rosterMaps } from './roster';
import { watchUnreadableRecords, type UnreadableRecord } from './unreadable';

/** What any client holding a token could write into the shared documents: values of the wrong kind. */
function withJunk() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
  const job = ws.must('createBooking', { title: 'Boiler service' }).id;
  const junkId = '0190ffff-0000-7000-8000-000000000001';
  ws.schedule.transact(() => {
    scheduleMaps(ws.schedule).bookings.set(junkId, 'not a record' as never);
    scheduleMaps(ws.schedule).history.set(job, 42 as never);
  });
  ws.roster.transact(() => {
    rosterMaps(ws.roster).providers.set(junkId, [1, 2] as never);
    rosterMaps(ws.roster).providers.get(ana)!.set('timeOff', 'junk');
  });
  return { ws, ana, job, junkId };
}

describe('readers pass over values that are not records', () => {
  it('lists and lookups skip them instead of throwing', () => {
    const { ws, ana, job, junkId } = withJunk();
    expect(listBookings(ws.schedule).map((b) => b.id)).toEqual([job]);
    expect(getBooking(ws.schedule, junkId)).toBeUndefined();
    expect(readHistory(ws.schedule, job)).toEqual([]);
    expect(listProviders(ws.roster).map((p) => p.id)).toEqual([ana]);
    expect(getProvider(ws.roster, ana)!.timeOff).toEqual([]);
  });

  it('commands treat them as missing, and a new history entry replaces a broken log', () => {
    const { ws, job, junkId } = withJunk();
    const refused = ws.run('updateBooking', { id: junkId, title: 'x' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('not_found');
    ws.must('updateBooking', { id: job, notes: 'Gate code 1234' });
    const history = readHistory(ws.schedule, job);
    expect(history).toHaveLength(1);
    expect(history[0]!.action).toBe('edit');
    expect(scheduleMaps(ws.schedule).history.get(job)).toBeInstanceOf(Y.Array);
  });
});

describe('readers pass over records whose fields have the wrong types', () => {
  /** Values any client could have stored before the server checked updates (`update-rules.ts`). */
  function poisoned() {
    const ws = createWorkspace();
    ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago', dailyEmailTime: '06:00' });
    const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
    const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
    const slot = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z', assignees: [ana] };
    const good = ws.must('createBooking', { title: 'Good job', slot }).id;
    const badSlot = ws.must('createBooking', { title: 'Bad slot', slot }).id;
    const badStatus = ws.must('createBooking', { title: 'Bad status', slot }).id;
    const smuggled = ws.must('createBooking', { title: 'Smuggled slot', slot }).id;
    const timeOffId = '0190ffff-0000-7000-8000-000000000002';
    ws.schedule.transact(() => {
      const { bookings, history } = scheduleMaps(ws.schedule);
      bookings.get(badSlot)!.set('slot', 5);
      bookings.get(badStatus)!.set('status', { status: 'teleported', statusChanged: null });
      // A group carrying a field of another group: readers take each group's own fields only.
      const record = bookings.get(smuggled)!;
      const notesKey = [...record.keys()].find((key) => key.startsWith('notes@'))!;
      record.set(notesKey, { ...(record.get(notesKey) as object), notes: 'fine', slot: 'junk', id: 'someone-else' });
      history.get(good)!.push([null as never, { id: 'not an entry' } as never]);
    });
    ws.roster.transact(() => {
      const { providers, settings } = rosterMaps(ws.roster);
      providers.get(bo)!.set('profile', { name: 42 });
      (providers.get(ana)!.get('timeOff') as Y.Map<unknown>).set(timeOffId, { id: timeOffId, start: 5 });
      settings.set('timeZone', 5);
    });
    return { ws, ana, bo, good, badSlot, badStatus, smuggled };
  }

  it('lists and lookups leave them out; the rest reads as before', () => {
    const { ws, ana, bo, good, badSlot, badStatus, smuggled } = poisoned();
    expect(listBookings(ws.schedule).map((b) => b.id).sort()).toEqual([good, smuggled].sort());
    expect(getBooking(ws.schedule, badSlot)).toBeUndefined();
    expect(getBooking(ws.schedule, badStatus)).toBeUndefined();
    expect(getBooking(ws.schedule, smuggled)).toMatchObject({ id: smuggled, notes: 'fine', slot: { assignees: [ana] } });
    expect(readHistory(ws.schedule, good).map((h) => h.action)).toEqual(['create']);
    expect(listProviders(ws.roster).map((p) => p.id)).toEqual([ana]);
    expect(getProvider(ws.roster, bo)).toBeUndefined();
    expect(getProvider(ws.roster, ana)!.timeOff).toEqual([]);
    expect(readSettings(ws.roster)).toMatchObject({ name: 'Acme', timeZone: 'America/Chicago', dailyEmailTime: '06:00' });
  });

  it('tells a watcher about each one once, however often it is read', () => {
    const { ws, badSlot, good } = poisoned();
    const seen: UnreadableRecord[] = [];
    const stop = watchUnreadableRecords((record) => seen.push(record));
    try {
      for (let i = 0; i < 3; i++) {
        listBookings(ws.schedule);
        readHistory(ws.schedule, good);
      }
    } finally {
      stop();
    }
    expect(seen.filter((r) => r.id === badSlot)).toEqual([
      { kind: 'booking', id: badSlot, problem: 'slot: expected object, received number' },
    ]);
    expect(seen.map((r) => r.kind).sort()).toEqual(['booking', 'booking', 'history of booking', 'history of booking']);
  });
});
