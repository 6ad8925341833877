import { describe, expect, it } from 'vitest';
import { seriesTimeOf, templatePatchOf } from './series-edit';

describe('templatePatchOf', () => {
  it('turns an arrival window into offsets from the visit’s start, and keeps the other fields', () => {
    expect(
      templatePatchOf({ title: 'New', arrivalWindow: { start: '2026-12-02T15:45:00Z', end: '2026-12-02T16:30:00Z' } }, '2026-12-02T16:00:00Z'),
    ).toEqual({ title: 'New', arrival: { fromMinutes: -15, toMinutes: 30 } });
  });

  it('a cleared window, or one on a visit without a start, is no window; no window in the edit is no change', () => {
    expect(templatePatchOf({ arrivalWindow: null }, '2026-12-02T16:00:00Z')).toEqual({ arrival: null });
    expect(templatePatchOf({ arrivalWindow: { start: '2026-12-02T15:45:00Z', end: '2026-12-02T16:30:00Z' } }, null)).toEqual({ arrival: null });
    expect(templatePatchOf({ notes: 'Ring twice' }, '2026-12-02T16:00:00Z')).toEqual({ notes: 'Ring twice' });
  });
});

describe('seriesTimeOf', () => {
  it('takes a time and a whole number of minutes', () => {
    expect(seriesTimeOf({ time: '09:30', minutes: ' 90 ' })).toEqual({ value: { time: '09:30', minutes: 90 }, errors: {} });
  });
  it('says which one is wrong', () => {
    expect(seriesTimeOf({ time: '9', minutes: '1.5' }).errors).toEqual({
      'series.startTime': 'A time like 09:00',
      'series.durationMinutes': 'A whole number of minutes, like 90',
    });
    expect(seriesTimeOf({ time: '24:00', minutes: '0' }).errors).toHaveProperty('series.durationMinutes');
    expect(seriesTimeOf({ time: '24:00', minutes: '30' }).errors).toHaveProperty('series.startTime');
  });
});
