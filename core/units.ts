/**
 * Distances for people: the organization picks kilometres or miles (`Settings.distanceUnit`); everything
 * is computed and stored in km and km/h, and converted only where a person reads or types it.
 */
export const DISTANCE_UNITS = ['km', 'mi'] as const;
export type DistanceUnit = (typeof DISTANCE_UNITS)[number];

/** The international mile. */
export const KM_PER_MILE = 1.609344;

export const DISTANCE_UNIT_LABELS: Record<DistanceUnit, string> = { km: 'Kilometres (km, km/h)', mi: 'Miles (mi, mph)' };

/** The unit's name for a speed: "km/h", "mph". */
export const speedUnitLabel = (unit: DistanceUnit): string => (unit === 'km' ? 'km/h' : 'mph');

/** Kilometres (or km/h) in the unit. */
export const fromKm = (km: number, unit: DistanceUnit): number => (unit === 'km' ? km : km / KM_PER_MILE);

/** The unit's distance (or speed) in kilometres (km/h). */
export const toKm = (value: number, unit: DistanceUnit): number => (unit === 'km' ? value : value * KM_PER_MILE);

/** "4.2 km", "2.6 mi": one decimal, as estimates deserve. */
export const formatDistance = (km: number, unit: DistanceUnit): string => `${fromKm(km, unit).toFixed(1)} ${unit}`;

/** A speed as people read and type it in the unit: to 0.1, so whole numbers stay whole (30, 18.6). */
export const speedIn = (kmh: number, unit: DistanceUnit): number => Math.round(fromKm(kmh, unit) * 10) / 10;

/** "30 km/h", "18.6 mph" */
export const formatSpeed = (kmh: number, unit: DistanceUnit): string => `${speedIn(kmh, unit)} ${speedUnitLabel(unit)}`;
