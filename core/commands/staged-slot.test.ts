import { describe, expect, it } from 'vitest';
import type { Actor, Booking } from '../model';
import { getBooking, scheduleMaps } from '../doc/schedule';
import { createWorkspace } from '../testing/fixture';
import { checkStagedSlot, planCommand } from './index';

// The board stages a move with `checkStagedSlot` on the booking as the read tables hold it; Save runs
// `setSlot` on the document. A move staged must be one Save takes, and one refused must be refused the same way.
const VIEWER: Actor = { id: 'user-viewer', name: 'Val Viewer', role: 'viewer' };

function world() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana' }).id;
  const slot = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] };
  const job = ws.must('createBooking', { title: 'Furnace', slot }).id;
  const cancelled = ws.must('createBooking', { title: 'Gutter', slot }).id;
  ws.must('cancelBooking', { id: cancelled, reason: 'Customer called' });
  const onSite = ws.must('createBooking', { title: 'Boiler', slot }).id;
  ws.must('sendToTech', { id: onSite });
  ws.must('updateStatus', { id: onSite, status: 'en_route' });
  const archived = ws.must('createBooking', { title: 'Old', slot }).id;
  ws.schedule.transact(() => {
    scheduleMaps(ws.schedule).bookings.delete(archived);
    scheduleMaps(ws.schedule).archived.set(archived, { archivedAt: '2026-11-23T12:00:00Z' });
  });
  // What the read tables answer for an id.
  const lookup = (id: string): Booking | 'archived' | undefined =>
    getBooking(ws.schedule, id) ?? (scheduleMaps(ws.schedule).archived.has(id) ? 'archived' : undefined);
  return { ws, ana, slot, job, cancelled, onSite, archived, lookup };
}

describe('checkStagedSlot', () => {
  it('refuses what setSlot refuses, with the same code and message, and admits what it admits', () => {
    const w = world();
    const later = { start: '2026-11-25T15:00:00Z', end: '2026-11-25T17:00:00Z', assignees: [w.ana] };
    const cases: Array<{ name: string; input: unknown; actor?: Actor; code: string | null }> = [
      { name: 'a move', input: { id: w.job, slot: later }, code: null },
      { name: 'back to the queue', input: { id: w.job, slot: null }, code: null },
      { name: 'a viewer', input: { id: w.job, slot: later }, actor: VIEWER, code: 'forbidden' },
      { name: 'no such job', input: { id: '0190ffff-0000-7000-8000-000000000001', slot: later }, code: 'not_found' },
      { name: 'an archived job', input: { id: w.archived, slot: later }, code: 'conflict' },
      { name: 'a cancelled job', input: { id: w.cancelled, slot: later }, code: 'illegal_transition' },
      { name: 'a job en route, to the queue', input: { id: w.onSite, slot: null }, code: 'illegal_transition' },
      { name: 'an unknown technician', input: { id: w.job, slot: { ...later, assignees: ['0190ffff-0000-7000-8000-000000000002'] } }, code: 'not_found' },
      { name: 'an end before its start', input: { id: w.job, slot: { ...later, end: later.start } }, code: 'validation' },
      { name: 'not an id', input: { id: 'nope', slot: later }, code: 'validation' },
    ];
    for (const c of cases) {
      const staged = checkStagedSlot(w.ws.ctx(c.actor), w.lookup, c.input);
      const planned = planCommand(w.ws.ctx(c.actor), 'setSlot', c.input);
      expect({ case: c.name, code: staged.ok ? null : staged.error.code }).toEqual({ case: c.name, code: c.code });
      expect({ case: c.name, planned: planned.ok ? null : planned.error }).toEqual({ case: c.name, planned: staged.ok ? null : staged.error });
    }
  });

  it('never reads the schedule document', () => {
    const w = world();
    const ctx = w.ws.ctx();
    const withoutSchedule = {
      roster: ctx.roster,
      actor: ctx.actor,
      get schedule(): never {
        throw new Error('the schedule document was read');
      },
    };
    const later = { start: '2026-11-25T15:00:00Z', end: '2026-11-25T17:00:00Z', assignees: [w.ana] };
    expect(checkStagedSlot(withoutSchedule, w.lookup, { id: w.job, slot: later })).toEqual({ ok: true, value: undefined });
  });
});
