import { describe, expect, it } from 'vitest';
import { getBooking } from '../doc/schedule';
import { createWorkspace } from '../testing/fixture';
import { toMs } from '../time';
import { fieldNotices, type ToldItem } from './field-notices';

const SETTINGS = { timeZone: 'America/Chicago', timeFormat: '24h' as const };
const NINE = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };

function world() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana' }).id;
  const ben = ws.must('createProvider', { name: 'Ben' }).id;
  const job = ws.must('createBooking', { title: 'Furnace', slot: { ...NINE, assignees: [ana] } }).id;
  ws.must('sendToTech', { id: job });
  const bookingOf = (id: string) => getBooking(ws.schedule, id);
  return { ws, ana, ben, job, bookingOf };
}

const told = (bookingId: string, kinds: string[], at: string, before?: ToldItem['before']): ToldItem => ({
  id: `${at}:${bookingId}`,
  bookingId,
  kinds,
  atMs: toMs(at),
  ...(before !== undefined ? { before } : {}),
});

describe('fieldNotices', () => {
  it('says a job was cancelled, or taken off the technician, in words that say not to go', () => {
    const { ws, ana, ben, job, bookingOf } = world();
    ws.must('setTeam', { id: job, assignees: [ben] });
    const removed = fieldNotices([told(job, ['unassigned'], '2026-11-23T13:00:00Z')], bookingOf, ana, SETTINGS);
    expect(removed).toEqual([
      { id: `2026-11-23T13:00:00Z:${job}`, bookingId: job, kind: 'removed', title: 'Furnace', message: 'You are no longer on this job. Do not go.', at: '2026-11-23T13:00:00Z' },
    ]);
    ws.must('cancelBooking', { id: job, reason: 'Customer called' });
    expect(fieldNotices([told(job, ['cancelled'], '2026-11-23T14:00:00Z')], bookingOf, ben, SETTINGS).map((n) => [n.kind, n.message])).toEqual([
      ['cancelled', 'Cancelled by the office. Do not go.'],
    ]);
  });

  it('says where a job moved and where it was, in the organization’s time; only the latest news per job counts', () => {
    const { ws, ana, job, bookingOf } = world();
    ws.must('moveBooking', { id: job, start: '2026-11-24T19:00:00Z' });
    const items = [told(job, ['updated'], '2026-11-23T13:00:00Z', { ...NINE }), told(job, ['dispatched'], '2026-11-23T12:00:00Z')];
    expect(fieldNotices(items, bookingOf, ana, SETTINGS).map((n) => n.message)).toEqual([
      'Moved to Tue, Nov 24, 2026, 13:00–15:00 CST (was Tue, Nov 24, 2026, 09:00–11:00 CST).',
    ]);
    // Moved back since: the latest news no longer holds, and an older one does not stand in for it.
    ws.must('moveBooking', { id: job, start: NINE.start });
    expect(fieldNotices(items, bookingOf, ana, SETTINGS)).toEqual([]);
  });

  it('leaves out news that no longer holds: put back on the job, or the job gone', () => {
    const { ana, job, bookingOf } = world();
    // Ana is on the job again (taken off, then put back): nothing to warn about.
    expect(fieldNotices([told(job, ['unassigned'], '2026-11-23T13:00:00Z')], bookingOf, ana, SETTINGS)).toEqual([]);
    expect(fieldNotices([told('01900000-0000-7000-8000-0000000000ff', ['cancelled'], '2026-11-23T13:00:00Z')], bookingOf, ana, SETTINGS)).toEqual([]);
  });
});
