import { toMs } from '../../../../core/time';

/**
 * A visit's field edit (what the job panel's details form sends for one booking) as the patch of a series
 * template: the arrival window, a pair of instants on one visit, becomes offsets from that visit's start,
 * which every visit of the series then gets.
 */
export function templatePatchOf(patch: Record<string, unknown>, slotStart: string | null): Record<string, unknown> {
  const { arrivalWindow, ...rest } = patch;
  if (arrivalWindow === undefined) return rest;
  if (arrivalWindow === null || !slotStart) return { ...rest, arrival: null };
  const window = arrivalWindow as { start: string; end: string };
  const start = toMs(slotStart);
  return { ...rest, arrival: { fromMinutes: Math.round((toMs(window.start) - start) / 60_000), toMinutes: Math.round((toMs(window.end) - start) / 60_000) } };
}


/** The series section's time form: a visit time and a length in minutes, as typed. */
export interface SeriesTimeDraft {
  time: string;
  minutes: string;
}

/** The typed time and length, or why not (keyed by the fields' paths). */
export function seriesTimeOf(d: SeriesTimeDraft): { value: { time: string; minutes: number }; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(d.time)) errors['series.startTime'] = 'A time like 09:00';
  const minutes = Number(d.minutes);
  if (!/^\s*\d+\s*$/.test(d.minutes) || minutes <= 0) errors['series.durationMinutes'] = 'A whole number of minutes, like 90';
  return { value: { time: d.time, minutes }, errors };
}
