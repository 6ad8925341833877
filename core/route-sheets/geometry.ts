import type { Coordinates } from '../model';
import { fromKm, toKm, type DistanceUnit } from '../units';

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle (haversine) distance: the straight line a route sheet's travel estimates start from. */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A route sketch in SVG user units (no map tiles): the home base and the numbered stops in route order,
 * projected flat around their centre (a day's route spans a few km, where that is accurate to the pixel)
 * and fitted into a fixed box with north up.
 */
export interface RouteSketch {
  width: number;
  height: number;
  /** In route order: home base first when it has coordinates, then every stop that has them. */
  points: Array<{ kind: 'home' | 'stop'; number: number | null; x: number; y: number }>;
  /** Stops without coordinates: not drawn. */
  missing: number[];
  /** A scale bar `length` units long standing for `km`, read as `label` ("500 m", "2 km", "0.5 mi"). */
  scale: { km: number; length: number; label: string };
}

export const SKETCH_WIDTH = 160;
export const SKETCH_HEIGHT = 120;
const PAD = 12;
/** A sketch of one place (or several at one address) still shows a couple of km around it. */
const MIN_SPAN_KM = 2;
/** Round bar lengths, in the organization's unit. */
const NICE = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export function sketchOf(
  home: Coordinates | null,
  stops: ReadonlyArray<{ number: number; at: Coordinates | null }>,
  unit: DistanceUnit = 'km',
): RouteSketch | null {
  const placed: Array<{ kind: 'home' | 'stop'; number: number | null; at: Coordinates }> = [];
  if (home) placed.push({ kind: 'home', number: null, at: home });
  for (const s of stops) if (s.at) placed.push({ kind: 'stop', number: s.number, at: s.at });
  if (placed.length === 0) return null;

  const lat0 = placed.reduce((sum, p) => sum + p.at.lat, 0) / placed.length;
  const lng0 = placed.reduce((sum, p) => sum + p.at.lng, 0) / placed.length;
  const kmPerDegLat = rad(1) * EARTH_RADIUS_KM;
  const kmPerDegLng = kmPerDegLat * Math.cos(rad(lat0));
  const flat = placed.map((p) => ({ ...p, x: (p.at.lng - lng0) * kmPerDegLng, y: (lat0 - p.at.lat) * kmPerDegLat }));

  const xs = flat.map((p) => p.x);
  const ys = flat.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = Math.max(maxX - minX, MIN_SPAN_KM);
  const spanY = Math.max(maxY - minY, MIN_SPAN_KM);
  const unitsPerKm = Math.min((SKETCH_WIDTH - 2 * PAD) / spanX, (SKETCH_HEIGHT - 2 * PAD) / spanY);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const round = (n: number) => Math.round(n * 10) / 10;

  const target = fromKm((SKETCH_WIDTH - 2 * PAD) / 4 / unitsPerKm, unit);
  const nice = [...NICE].reverse().find((k) => k <= target) ?? NICE[0]!;
  const km = toKm(nice, unit);
  const label = unit === 'km' && nice < 1 ? `${Math.round(nice * 1000)} m` : `${nice} ${unit}`;

  return {
    width: SKETCH_WIDTH,
    height: SKETCH_HEIGHT,
    points: flat.map((p) => ({
      kind: p.kind,
      number: p.number,
      x: round(SKETCH_WIDTH / 2 + (p.x - cx) * unitsPerKm),
      y: round(SKETCH_HEIGHT / 2 + (p.y - cy) * unitsPerKm),
    })),
    missing: stops.filter((s) => !s.at).map((s) => s.number),
    scale: { km, length: round(km * unitsPerKm), label },
  };
}
