import { describe, expect, it } from 'vitest';
import { fieldLabel, fieldList, readableSummary } from './field-labels';

describe('field labels', () => {
  it('names a field path with the form’s words, never the path', () => {
    expect(fieldLabel('arrivalWindow.end')).toBe('Arrival to');
    expect(fieldLabel('arrivalWindow')).toBe('Arrival window');
    expect(fieldLabel('changes.2.slot.assignees')).toBe('Technicians');
    expect(fieldLabel('location.coordinates.lat')).toBe('Lat');
    expect(fieldLabel('workingHours')).toBe('Working hours');
  });

  it('lists fields as a sentence reads them', () => {
    expect(fieldList(['arrivalWindow', 'notes'])).toBe('arrival window and notes');
    expect(fieldList(['title', 'teamSize', 'arrivalWindow'])).toBe('title, team size, and arrival window');
    expect(fieldList([])).toBe('nothing');
  });

  it('reads older history lines that named fields by their keys with the form’s words', () => {
    expect(readableSummary('Edited arrivalWindow, notes')).toBe('Edited arrival window and notes');
    expect(readableSummary('Edited title, assignees, time from now on (Weekly on Mon, Thu)')).toBe('Edited title, technicians, and time from now on (Weekly on Mon, Thu)');
    expect(readableSummary('Moved to 2026-11-24 09:00–11:00 with Ana')).toBe('Moved to 2026-11-24 09:00–11:00 with Ana');
    expect(readableSummary('Edited arrival window and notes')).toBe('Edited arrival window and notes');
  });
});
