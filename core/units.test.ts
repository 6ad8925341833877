import { describe, expect, it } from 'vitest';
import { formatDistance, formatSpeed, fromKm, KM_PER_MILE, toKm } from './units';

describe('distance units', () => {
  it('converts with the international mile and back', () => {
    expect(fromKm(KM_PER_MILE, 'mi')).toBe(1);
    expect(fromKm(42.195, 'mi')).toBeCloseTo(26.219, 3); // a marathon
    expect(toKm(26.219, 'mi')).toBeCloseTo(42.195, 2);
    expect(fromKm(7, 'km')).toBe(7);
    expect(toKm(7, 'km')).toBe(7);
  });

  it('formats what a person reads: one decimal for distances, whole speeds stay whole', () => {
    expect(formatDistance(5.2, 'km')).toBe('5.2 km');
    expect(formatDistance(5.2, 'mi')).toBe('3.2 mi');
    expect(formatSpeed(30, 'km')).toBe('30 km/h');
    expect(formatSpeed(30, 'mi')).toBe('18.6 mph');
    expect(formatSpeed(toKm(25, 'mi'), 'mi')).toBe('25 mph');
  });
});
