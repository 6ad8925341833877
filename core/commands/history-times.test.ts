import { describe, expect, it } from 'vitest';
import { formatterFor } from '../format';
import { historySummaryText } from '../history-text';
import { readHistory } from '../doc/schedule';
import { createWorkspace } from '../testing/fixture';

// Tuesday in Chicago: 15:00 UTC is 09:00, 19:00 UTC is 13:00.
function world() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  const job = ws.must('createBooking', {
    title: 'Furnace',
    arrivalWindow: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z' },
    slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] },
  }).id;
  return { ws, ana, bo, job };
}

const twelve = formatterFor({ timeZone: 'America/Chicago', timeFormat: '12h' });
const twentyFour = formatterFor({ timeZone: 'America/Chicago', timeFormat: '24h' });

describe('history keeps times as facts (issue #22)', () => {
  it('a creation and a Save store their slot, shown in either clock; the text stays for older readers', () => {
    const { ws, ana, bo, job } = world();
    ws.must('saveChanges', {
      changes: [{ id: job, slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [ana, bo] } }],
      notifyProviders: false,
      notifyCustomers: false,
      moveArrivalWindows: true,
    });
    const [created, saved, window] = readHistory(ws.schedule, job);
    expect(created!.times).toMatchObject({ start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', with: ['Ana Silva'] });
    expect(saved!.summary).toBe('Saved: 2026-11-24 13:00–15:00 with Ana Silva and Bo Chen');
    expect(saved!.times).toEqual({ text: '2026-11-24 13:00–15:00 with Ana Silva and Bo Chen', start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', with: ['Ana Silva', 'Bo Chen'] });
    expect(historySummaryText(saved!, twelve)).toBe('Saved: Tue, Nov 24, 1:00 PM–3:00 PM with Ana Silva and Bo Chen');
    expect(historySummaryText(saved!, twentyFour)).toBe('Saved: Tue, Nov 24, 13:00–15:00 with Ana Silva and Bo Chen');
    expect(historySummaryText(window!, twelve)).toBe('Arrival window moved with the job: Tue, Nov 24, 1:00 PM–2:00 PM');
  });

  it('an entry without a slot has no times', () => {
    const { ws, job } = world();
    ws.must('updateBooking', { id: job, notes: 'Gate code 1234' });
    expect(readHistory(ws.schedule, job).at(-1)!.times).toBeUndefined();
  });
});
