import { describe, expect, it } from 'vitest';
import { formatterFor } from './format';
import { historySummaryText } from './history-text';
import type { HistoryEntry } from './model';

const zone = 'America/Chicago';
const twelve = formatterFor({ timeZone: zone, timeFormat: '12h' });
const twentyFour = formatterFor({ timeZone: zone, timeFormat: '24h' });

// 2026-11-24 15:00Z is 09:00 in Chicago (CST).
const moved: Pick<HistoryEntry, 'summary' | 'times'> = {
  summary: 'Moved to 2026-11-24 09:00–13:30 with Ana Silva, Bo Chen',
  times: { text: '2026-11-24 09:00–13:30 with Ana Silva, Bo Chen', start: '2026-11-24T15:00:00Z', end: '2026-11-24T19:30:00Z', with: ['Ana Silva', 'Bo Chen'] },
};

describe('historySummaryText', () => {
  it('writes the same entry in the 12 h and the 24 h clock, names as a list', () => {
    expect(historySummaryText(moved, twelve)).toBe('Moved to Tue, Nov 24, 9:00 AM–1:30 PM with Ana Silva and Bo Chen');
    expect(historySummaryText(moved, twentyFour)).toBe('Moved to Tue, Nov 24, 09:00–13:30 with Ana Silva and Bo Chen');
  });

  it('says nobody for a slot without people, and nothing about people for times without a team', () => {
    const nobody = { summary: 'Scheduled 2026-11-24 09:00–13:30 with nobody', times: { ...moved.times!, text: '2026-11-24 09:00–13:30 with nobody', with: [] } };
    expect(historySummaryText(nobody, twelve)).toBe('Scheduled Tue, Nov 24, 9:00 AM–1:30 PM with nobody');
    const window = { summary: 'Arrival window moved with the job: 2026-11-24 09:00–13:30', times: { text: '2026-11-24 09:00–13:30', start: moved.times!.start, end: moved.times!.end } };
    expect(historySummaryText(window, twelve)).toBe('Arrival window moved with the job: Tue, Nov 24, 9:00 AM–1:30 PM');
  });

  it('shows old entries, which hold only text, as written', () => {
    expect(historySummaryText({ summary: 'Moved to 2026-11-24 09:00–11:00 with Ana' }, twelve)).toBe('Moved to 2026-11-24 09:00–11:00 with Ana');
    expect(historySummaryText({ summary: 'Edited notes', times: moved.times }, twelve)).toBe('Edited notes');
  });
});
