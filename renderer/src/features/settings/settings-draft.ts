import { TRAVEL_SPEED_KMH, type Settings } from '../../../../core/model';
import { fromKm, speedIn, speedUnitLabel, toKm, type DistanceUnit } from '../../../../core/units';
import { formatTime, zoneAbbreviation } from '../forms/time-zone';
import { normalizeTime, numberText, parseNumber } from '../forms/values';

// The settings form's draft (what is being typed) and its way back to `Settings`, apart from React so it is
// unit-tested (settings-draft.test.ts).

/**
 * Number settings are edited as text, so a half-typed value is not lost or reformatted. The travel speed is
 * stored in km/h and typed in the organization's unit (`distanceUnit`): its text is in the draft's unit.
 */
export type NumberKey = 'archiveAfterDays' | 'travelSpeedKmh' | 'travelDistanceFactor' | 'recurrenceHorizonWeeks' | 'assistantTravelWeight' | 'assistantBalanceWeight';
export type Draft = Omit<Settings, NumberKey> & Record<NumberKey, string>;

export const speedText = (kmh: number, unit: DistanceUnit): string => numberText(speedIn(kmh, unit));
/** The accepted range in the unit, rounded inwards so a value typed at a bound converts inside it. */
const speedRange = (unit: DistanceUnit) => ({
  min: Math.ceil(fromKm(TRAVEL_SPEED_KMH.min, unit) * 10) / 10,
  max: Math.floor(fromKm(TRAVEL_SPEED_KMH.max, unit) * 10) / 10,
});

export const draftOf = (s: Settings): Draft => ({
  ...s,
  archiveAfterDays: numberText(s.archiveAfterDays),
  travelSpeedKmh: speedText(s.travelSpeedKmh, s.distanceUnit),
  travelDistanceFactor: numberText(s.travelDistanceFactor),
  recurrenceHorizonWeeks: numberText(s.recurrenceHorizonWeeks),
  assistantTravelWeight: numberText(s.assistantTravelWeight),
  assistantBalanceWeight: numberText(s.assistantBalanceWeight),
});

/** The typed speed in km/h; an untouched one keeps the saved value exactly (18.6 mph is not quite 30 km/h). */
export function speedKmh(text: string, unit: DistanceUnit, saved: Settings): number | null {
  if (text === speedText(saved.travelSpeedKmh, unit)) return saved.travelSpeedKmh;
  const value = parseNumber(text);
  if (typeof value !== 'number') return null;
  return unit === 'km' ? value : Math.round(toKm(value, unit) * 100) / 100;
}

export function fieldsOf(d: Draft, saved: Settings): { fields: Settings; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const days = parseNumber(d.archiveAfterDays);
  if (days === null) errors.archiveAfterDays = 'Required';
  else if (days === 'invalid') errors.archiveAfterDays = 'Must be a whole number of days';
  const unit = d.distanceUnit;
  const speedLabel = speedUnitLabel(unit);
  const speed = parseNumber(d.travelSpeedKmh);
  const range = speedRange(unit);
  if (speed === null) errors.travelSpeedKmh = 'Required';
  else if (speed === 'invalid') errors.travelSpeedKmh = `Must be a number of ${speedLabel}, like ${speedText(30, unit)}`;
  else if (speed < range.min) errors.travelSpeedKmh = `At least ${range.min} ${speedLabel}`;
  else if (speed > range.max) errors.travelSpeedKmh = `At most ${range.max} ${speedLabel}`;
  const weeks = parseNumber(d.recurrenceHorizonWeeks);
  if (weeks === null) errors.recurrenceHorizonWeeks = 'Required';
  else if (weeks === 'invalid') errors.recurrenceHorizonWeeks = 'Must be a whole number of weeks, like 8';
  const factor = parseNumber(d.travelDistanceFactor);
  if (factor === null) errors.travelDistanceFactor = 'Required';
  else if (factor === 'invalid') errors.travelDistanceFactor = 'Must be a number, like 1.3';
  const weights = assistantWeights(d, errors);
  const fields: Settings = {
    ...d,
    ...weights,
    timeZone: d.timeZone.trim(),
    timelineStart: normalizeTime(d.timelineStart),
    timelineEnd: normalizeTime(d.timelineEnd),
    dailyEmailTime: normalizeTime(d.dailyEmailTime),
    archiveAfterDays: typeof days === 'number' ? days : 0,
    travelSpeedKmh: speedKmh(d.travelSpeedKmh, unit, saved) ?? 0,
    travelDistanceFactor: typeof factor === 'number' ? factor : 0,
    recurrenceHorizonWeeks: typeof weeks === 'number' ? weeks : 0,
  };
  return { fields, errors };
}

/** Fill a day's two weights (0–10; the range itself is checked by the settings schema, with its words). */
function assistantWeights(d: Draft, errors: Record<string, string>) {
  const out = { assistantTravelWeight: 0, assistantBalanceWeight: 0 };
  for (const key of ['assistantTravelWeight', 'assistantBalanceWeight'] as const) {
    const value = parseNumber(d[key]);
    if (value === null) errors[key] = 'Required';
    else if (value === 'invalid') errors[key] = 'Must be a number from 0 to 10, like 1';
    else out[key] = value;
  }
  return out;
}

export function zoneNow(zone: string, nowMs: number): string | null {
  const at = new Date(nowMs).toISOString();
  try {
    return `${formatTime(at, zone)} ${zoneAbbreviation(zone, at)}`;
  } catch {
    return null;
  }
}

