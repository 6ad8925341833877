import type { RouteLeg, RouteSheets } from '../../../../core/route-sheets/route-sheet';
import { formatDistance, formatSpeed, type DistanceUnit } from '../../../../core/units';

/** "45 min", "1 h", "7 h 30 min" */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** What a leg line says: an estimate, and plainly so. */
export function legText(leg: RouteLeg, unit: DistanceUnit): string {
  const from = leg.from === 'home' ? 'home base' : `stop ${leg.from}`;
  if (leg.km === null || leg.minutes === null) return `From ${from}: no coordinates, travel not estimated`;
  return `From ${from}: ≈ ${formatDistance(leg.km, unit)}, about ${formatMinutes(leg.minutes)} (estimate)`;
}

/** How the estimates are made, printed on every sheet so nobody mistakes them for directions. */
export function estimateNote(travel: RouteSheets['travel']): string {
  return `Travel is estimated from the straight-line distance × ${travel.distanceFactor} at ${formatSpeed(travel.speedKmh, travel.unit)}, not from a road map.`;
}

/** Longest note a stop prints: a sheet is read at the door, the whole note is in the job. */
export const PRINTED_NOTE_CHARS = 600;

/** A note as printed: cut at a word near the limit, and saying so. */
export function printedNote(text: string): string {
  if (text.length <= PRINTED_NOTE_CHARS) return text;
  const cut = text.slice(0, PRINTED_NOTE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > PRINTED_NOTE_CHARS * 0.8 ? cut.slice(0, space) : cut).trimEnd()}… (cut: the whole note is in the job)`;
}

export const PRIORITY_LABELS = { low: 'Low priority', normal: 'Normal', high: 'High priority', emergency: 'EMERGENCY' } as const;
