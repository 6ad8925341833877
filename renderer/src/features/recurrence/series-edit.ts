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

