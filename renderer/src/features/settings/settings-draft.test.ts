import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../../core/model';
import { draftOf, fieldsOf, speedKmh, zoneNow } from './settings-draft.ts';

const miles: Settings = { ...DEFAULT_SETTINGS, distanceUnit: 'mi' };

describe('settings draft', () => {
  it('round-trips the saved settings unchanged, with no errors', () => {
    const { fields, errors } = fieldsOf(draftOf(DEFAULT_SETTINGS), DEFAULT_SETTINGS);
    expect(errors).toEqual({});
    expect(fields).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps an untouched speed in another unit exactly, and converts a typed one to km/h', () => {
    const draft = draftOf(miles);
    expect(draft.travelSpeedKmh).not.toBe('30');
    expect(speedKmh(draft.travelSpeedKmh, 'mi', miles)).toBe(30);
    expect(speedKmh('20', 'mi', miles)).toBe(32.19);
    expect(speedKmh('', 'mi', miles)).toBeNull();
  });

  it('puts a field-level reason on each bad number', () => {
    const draft = { ...draftOf(DEFAULT_SETTINGS), archiveAfterDays: '', travelSpeedKmh: '500', recurrenceHorizonWeeks: 'x', assistantTravelWeight: 'lots' };
    expect(fieldsOf(draft, DEFAULT_SETTINGS).errors).toEqual({
      archiveAfterDays: 'Required',
      travelSpeedKmh: 'At most 130 km/h',
      recurrenceHorizonWeeks: 'Must be a whole number of weeks, like 8',
      assistantTravelWeight: 'Must be a number from 0 to 10, like 1',
    });
    expect(fieldsOf({ ...draftOf(miles), travelSpeedKmh: '2' }, miles).errors).toEqual({ travelSpeedKmh: 'At least 3.2 mph' });
  });

  it('normalizes typed times', () => {
    expect(fieldsOf({ ...draftOf(DEFAULT_SETTINGS), timelineStart: '7:00' }, DEFAULT_SETTINGS).fields.timelineStart).toBe('07:00');
  });

  it('shows the time now in a zone, and nothing for a zone that does not exist', () => {
    const noonUtc = Date.UTC(2026, 0, 15, 12, 0);
    expect(zoneNow('UTC', noonUtc)).toMatch(/^12:00 UTC$/);
    expect(zoneNow('Not/AZone', noonUtc)).toBeNull();
  });
});
