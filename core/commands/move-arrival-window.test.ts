import { describe, expect, it } from 'vitest';
import { getBooking, readHistory } from '../doc/schedule';
import { createWorkspace } from '../testing/fixture';

// Tuesday in Chicago: 09:00–10:00 is 15:00–16:00 UTC; 13:00 is 19:00 UTC.
const WINDOW = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z' };

function world() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana' }).id;
  const job = ws.must('createBooking', {
    title: 'Furnace',
    arrivalWindow: WINDOW,
    slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] },
  }).id;
  return { ws, ana, job };
}

describe('saveChanges with moveArrivalWindows', () => {
  it('moves the window with a job whose new start leaves it, in the Save, with a history line in local time', () => {
    const { ws, ana, job } = world();
    const saved = ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [ana] } }],
      notifyProviders: false,
      notifyCustomers: true,
      moveArrivalWindows: true,
    });
    expect(saved.saved).toBe(1);
    expect(getBooking(ws.schedule, job)!.arrivalWindow).toEqual({ start: '2026-11-24T19:00:00Z', end: '2026-11-24T20:00:00Z' });
    expect(readHistory(ws.schedule, job).map((e) => e.summary).at(-1)).toBe('Arrival window moved with the job: 2026-11-24 13:00–14:00');
  });

  it('leaves the window where it is without the choice, and when the job still starts inside it', () => {
    const a = world();
    a.ws.must('saveChanges', {
      changes: [{ id: a.job, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [a.ana] } }],
      notifyProviders: false,
      notifyCustomers: true,
    });
    expect(getBooking(a.ws.schedule, a.job)!.arrivalWindow).toEqual(WINDOW);

    const b = world();
    b.ws.must('saveChanges', {
      changes: [{ id: b.job, slot: { start: '2026-11-24T15:45:00Z', end: '2026-11-24T17:45:00Z', assignees: [b.ana] } }],
      notifyProviders: false,
      notifyCustomers: true,
      moveArrivalWindows: true,
    });
    expect(getBooking(b.ws.schedule, b.job)!.arrivalWindow).toEqual(WINDOW);
    expect(readHistory(b.ws.schedule, b.job).some((e) => e.summary.startsWith('Arrival window moved'))).toBe(false);
  });
});
