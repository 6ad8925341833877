import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../testing/fixture';
import { getBooking, listBookings, readHistory, scheduleMaps } from './schedule';
import { getProvider, listProviders, rosterMaps } from './roster';

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
