import type { Coordinates } from '../../../../core/model';
import { sameValue } from '../../../../core/same-value';

/** Small conversions between what inputs hold (strings) and what commands take. */

/** "8" -> "08:00", "830" / "8:30" / "0830" -> "08:30"; anything else unchanged (the backend explains it). */
export function normalizeTime(text: string): string {
  const t = text.trim();
  let m = /^(\d{1,2})$/.exec(t);
  if (m) return Number(m[1]) <= 24 ? `${m[1]!.padStart(2, '0')}:00` : t;
  m = /^(\d{1,2})[:.h]?(\d{2})$/.exec(t);
  if (m && Number(m[1]) <= 24 && Number(m[2]) <= 59) return `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return t;
}

/** '' -> null; a number (a decimal comma is accepted) -> number; anything else -> 'invalid'. */
export function parseNumber(text: string): number | null | 'invalid' {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : 'invalid';
}

export const numberText = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

/**
 * Latitude/longitude boxes -> coordinates: both empty is "none" (null); one alone, or text, is an error on
 * that box. Range errors are left to the backend so its message is the one shown.
 */
export function parseCoordinates(
  lat: string,
  lng: string,
): { value: Coordinates | null; errors: Record<string, string> } {
  const la = parseNumber(lat);
  const ln = parseNumber(lng);
  const errors: Record<string, string> = {};
  if (la === null && ln === null) return { value: null, errors };
  if (la === 'invalid') errors['coordinates.lat'] = 'Must be a number like 41.88';
  else if (la === null) errors['coordinates.lat'] = 'Enter the latitude too, or clear both';
  if (ln === 'invalid') errors['coordinates.lng'] = 'Must be a number like -87.63';
  else if (ln === null) errors['coordinates.lng'] = 'Enter the longitude too, or clear both';
  if (typeof la === 'number' && typeof ln === 'number') return { value: { lat: la, lng: ln }, errors };
  return { value: null, errors };
}

/** The one equality helper lives in core; re-exported here for the renderer's forms and board. */
export { sameValue };

/**
 * Only the fields that differ from the saved record: updates send just these, so a colleague's concurrent
 * edit of another field survives the merge (docs/design.md §4).
 */
export function changedFields<T extends object>(saved: T, next: T): Partial<T> {
  const patch: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (!sameValue(saved[key], next[key])) patch[key] = next[key];
  }
  return patch;
}
