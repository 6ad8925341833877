import type { Coordinates } from '../model';
import type { Rng } from './random';

/**
 * Real-looking Chicago addresses with matching coordinates, from the city's address grid: State St and
 * Madison St are 0, and house numbers grow by 800 a mile (south of Madison the mile lines are 1200, 2200,
 * 3100, 3900, 4700 ... S). Only straight streets are used, over stretches that are inside the city and on
 * land, and everything stays inside the box lat 41.75–42.02, lng -87.85 to -87.60.
 */
export const CHICAGO_BOX = { minLat: 41.75, maxLat: 42.02, minLng: -87.85, maxLng: -87.6 } as const;

const ORIGIN = { lat: 41.88206, lng: -87.62779 };
const LAT_PER_MILE = 0.014483;
const LNG_PER_MILE = 0.01975;
/** Miles south of Madison at the south side's mile streets (Roosevelt, Cermak, 31st, Pershing, 47th ...). */
const SOUTH_MILES: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [1200, 1], [2200, 2], [3100, 3], [3900, 4], [4700, 5], [5500, 6], [6300, 7], [7100, 8], [7900, 9],
];

function latOf(number: number, dir: 'N' | 'S'): number {
  if (dir === 'N') return ORIGIN.lat + (number / 800) * LAT_PER_MILE;
  for (let i = 1; i < SOUTH_MILES.length; i++) {
    const [n1, m1] = SOUTH_MILES[i]!;
    const [n0, m0] = SOUTH_MILES[i - 1]!;
    if (number <= n1) return ORIGIN.lat - (m0 + ((number - n0) / (n1 - n0)) * (m1 - m0)) * LAT_PER_MILE;
  }
  return ORIGIN.lat - (9 + (number - 7900) / 800) * LAT_PER_MILE;
}

const lngOf = (number: number, dir: 'E' | 'W'): number =>
  ORIGIN.lng + (dir === 'E' ? 1 : -1) * (number / 800) * LNG_PER_MILE;

interface NorthSouthStreet {
  name: string;
  /** Its fixed grid position east or west of State St. */
  at: readonly [number, 'E' | 'W'];
  north?: readonly [number, number];
  south?: readonly [number, number];
}
interface EastWestStreet {
  name: string;
  /** Its fixed grid position north or south of Madison St (0 for Madison itself). */
  at: readonly [number, 'N' | 'S'];
  west?: readonly [number, number];
  east?: readonly [number, number];
}

const NORTH_SOUTH: readonly NorthSouthStreet[] = [
  { name: 'Wentworth Ave', at: [200, 'W'], south: [2200, 7100] },
  { name: 'Halsted St', at: [800, 'W'], north: [200, 3700], south: [200, 7100] },
  { name: 'Sheffield Ave', at: [1000, 'W'], north: [1400, 3800] },
  { name: 'Racine Ave', at: [1200, 'W'], north: [1000, 4400], south: [1000, 7100] },
  { name: 'Southport Ave', at: [1400, 'W'], north: [1800, 4000] },
  { name: 'Ashland Ave', at: [1600, 'W'], north: [200, 7400], south: [200, 7100] },
  { name: 'Damen Ave', at: [2000, 'W'], north: [200, 7000], south: [200, 7100] },
  { name: 'Western Ave', at: [2400, 'W'], north: [200, 7500], south: [200, 7100] },
  { name: 'California Ave', at: [2800, 'W'], north: [200, 7000], south: [200, 7100] },
  { name: 'Kedzie Ave', at: [3200, 'W'], north: [200, 6400], south: [200, 7100] },
  { name: 'Kimball Ave', at: [3400, 'W'], north: [1200, 5000] },
  { name: 'Pulaski Rd', at: [4000, 'W'], north: [200, 6400], south: [200, 7100] },
  { name: 'Kostner Ave', at: [4400, 'W'], north: [200, 5000], south: [200, 7100] },
  { name: 'Cicero Ave', at: [4800, 'W'], north: [200, 6400], south: [200, 7100] },
  { name: 'Laramie Ave', at: [5200, 'W'], north: [200, 5000] },
  { name: 'Central Ave', at: [5600, 'W'], north: [200, 6400] },
  { name: 'Austin Ave', at: [6000, 'W'], north: [800, 6400] },
  { name: 'Narragansett Ave', at: [6400, 'W'], north: [1600, 6400], south: [5500, 6500] },
  { name: 'Oak Park Ave', at: [6800, 'W'], north: [2400, 4800] },
  { name: 'Harlem Ave', at: [7200, 'W'], north: [2400, 4800] },
  { name: 'Martin Luther King Dr', at: [400, 'E'], south: [2200, 7100] },
  { name: 'Cottage Grove Ave', at: [800, 'E'], south: [2600, 7100] },
];

const EAST_WEST: readonly EastWestStreet[] = [
  { name: 'Madison St', at: [0, 'N'], west: [200, 5900] },
  { name: 'Chicago Ave', at: [800, 'N'], west: [200, 5900] },
  { name: 'Division St', at: [1200, 'N'], west: [200, 5500] },
  { name: 'North Ave', at: [1600, 'N'], west: [200, 7100] },
  { name: 'Armitage Ave', at: [2000, 'N'], west: [400, 7100] },
  { name: 'Fullerton Ave', at: [2400, 'N'], west: [400, 7100] },
  { name: 'Diversey Ave', at: [2800, 'N'], west: [600, 7100] },
  { name: 'Belmont Ave', at: [3200, 'N'], west: [600, 8300] },
  { name: 'Addison St', at: [3600, 'N'], west: [600, 8300] },
  { name: 'Irving Park Rd', at: [4000, 'N'], west: [800, 8300] },
  { name: 'Montrose Ave', at: [4400, 'N'], west: [800, 7100] },
  { name: 'Lawrence Ave', at: [4800, 'N'], west: [1000, 8300] },
  { name: 'Foster Ave', at: [5200, 'N'], west: [1000, 8300] },
  { name: 'Bryn Mawr Ave', at: [5600, 'N'], west: [1200, 6000] },
  { name: 'Peterson Ave', at: [6000, 'N'], west: [1400, 7100] },
  { name: 'Devon Ave', at: [6400, 'N'], west: [1200, 7100] },
  { name: 'Touhy Ave', at: [7200, 'N'], west: [1200, 3000] },
  { name: 'Roosevelt Rd', at: [1200, 'S'], west: [200, 4700] },
  { name: 'Cermak Rd', at: [2200, 'S'], west: [200, 4700] },
  { name: '31st St', at: [3100, 'S'], west: [200, 4700] },
  { name: '35th St', at: [3500, 'S'], west: [200, 4700] },
  { name: '43rd St', at: [4300, 'S'], west: [200, 4700], east: [200, 1000] },
  { name: '47th St', at: [4700, 'S'], west: [200, 7100], east: [200, 1000] },
  { name: '55th St', at: [5500, 'S'], west: [200, 7100] },
  { name: '59th St', at: [5900, 'S'], west: [200, 6500] },
  { name: '63rd St', at: [6300, 'S'], west: [200, 7100], east: [200, 1000] },
  { name: '71st St', at: [7100, 'S'], west: [200, 4000] },
];

/** Approximate centres of Chicago ZIP codes; an address gets the nearest one. */
const ZIPS: ReadonlyArray<readonly [string, number, number]> = [
  ['60601', 41.886, -87.623], ['60602', 41.883, -87.629], ['60603', 41.880, -87.626], ['60604', 41.878, -87.629],
  ['60605', 41.867, -87.619], ['60606', 41.882, -87.637], ['60607', 41.873, -87.651], ['60608', 41.847, -87.670],
  ['60609', 41.810, -87.655], ['60610', 41.904, -87.634], ['60611', 41.895, -87.620], ['60612', 41.880, -87.688],
  ['60613', 41.954, -87.657], ['60614', 41.922, -87.653], ['60615', 41.802, -87.603], ['60616', 41.845, -87.626],
  ['60617', 41.725, -87.555], ['60618', 41.947, -87.703], ['60619', 41.745, -87.605], ['60620', 41.741, -87.654],
  ['60621', 41.776, -87.640], ['60622', 41.902, -87.677], ['60623', 41.849, -87.717], ['60624', 41.881, -87.723],
  ['60625', 41.971, -87.702], ['60626', 42.009, -87.669], ['60629', 41.776, -87.712], ['60630', 41.970, -87.760],
  ['60631', 41.995, -87.812], ['60632', 41.810, -87.711], ['60634', 41.945, -87.806], ['60636', 41.776, -87.668],
  ['60637', 41.781, -87.604], ['60638', 41.786, -87.770], ['60639', 41.920, -87.756], ['60640', 41.972, -87.662],
  ['60641', 41.946, -87.746], ['60642', 41.901, -87.656], ['60644', 41.881, -87.757], ['60645', 42.008, -87.695],
  ['60646', 41.993, -87.760], ['60647', 41.921, -87.701], ['60651', 41.902, -87.741], ['60653', 41.820, -87.612],
  ['60654', 41.892, -87.637], ['60656', 41.974, -87.828], ['60657', 41.940, -87.656], ['60659', 41.992, -87.704],
  ['60660', 41.990, -87.663], ['60661', 41.882, -87.644],
];

function nearestZip(lat: number, lng: number): string {
  let best = ZIPS[0]!;
  let bestD = Infinity;
  for (const z of ZIPS) {
    const d = (z[1] - lat) ** 2 + ((z[2] - lng) * 0.745) ** 2;
    if (d < bestD) {
      bestD = d;
      best = z;
    }
  }
  return best[0];
}

export interface Address {
  /** One line, e.g. "3419 N Western Ave, Apt 2R, Chicago, IL 60618". */
  address: string;
  coordinates: Coordinates;
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
const UNITS = ['Apt 1F', 'Apt 2R', 'Apt 3', 'Unit 2B', 'Unit 1', 'Apt 3N', 'Unit 4C', 'Apt G', 'Unit 305', 'Apt 2'];

/** A random street address somewhere in the city, with coordinates that match it. */
export function randomChicagoAddress(rng: Rng, opts: { unitChance?: number } = {}): Address {
  let number: number;
  let street: string;
  let lat: number;
  let lng: number;
  if (rng.chance(0.5)) {
    const s = rng.pick(NORTH_SOUTH);
    const sides = [...(s.north ? [['N', s.north] as const] : []), ...(s.south ? [['S', s.south] as const] : [])];
    const [dir, [lo, hi]] = rng.pick(sides);
    number = rng.int(lo, hi);
    street = `${number} ${dir} ${s.name}`;
    lat = latOf(number, dir);
    lng = lngOf(s.at[0], s.at[1]);
  } else {
    const s = rng.pick(EAST_WEST);
    const sides = [...(s.west ? [['W', s.west] as const] : []), ...(s.east ? [['E', s.east] as const] : [])];
    const [dir, [lo, hi]] = rng.pick(sides);
    number = rng.int(lo, hi);
    street = `${number} ${dir} ${s.name}`;
    lat = latOf(s.at[0], s.at[1]);
    lng = lngOf(number, dir);
  }
  // Houses sit a few metres off the centre line.
  lat = round5(lat + (rng.next() - 0.5) * 0.0004);
  lng = round5(lng + (rng.next() - 0.5) * 0.0004);
  const unit = rng.chance(opts.unitChance ?? 0) ? `, ${rng.pick(UNITS)}` : '';
  return { address: `${street}${unit}, Chicago, IL ${nearestZip(lat, lng)}`, coordinates: { lat, lng } };
}

export const insideChicagoBox = (c: Coordinates | null | undefined): boolean =>
  !!c && c.lat >= CHICAGO_BOX.minLat && c.lat <= CHICAGO_BOX.maxLat && c.lng >= CHICAGO_BOX.minLng && c.lng <= CHICAGO_BOX.maxLng;

// ---------------------------------------------------------------------------------------------------
// People and businesses

export const FIRST_NAMES = [
  'James', 'Maria', 'Michael', 'Jennifer', 'David', 'Patricia', 'Jose', 'Linda', 'Robert', 'Elizabeth', 'Anthony',
  'Barbara', 'Daniel', 'Susan', 'Christopher', 'Jessica', 'Brian', 'Karen', 'Kevin', 'Nancy', 'Juan', 'Lisa',
  'Andre', 'Monica', 'Piotr', 'Agnieszka', 'Wei', 'Mei', 'Raj', 'Priya', 'Omar', 'Fatima', 'Tyrone', 'Keisha',
  'Sean', 'Colleen', 'Giovanni', 'Francesca', 'Dmitri', 'Olena', 'Carlos', 'Guadalupe', 'Hiroshi', 'Yuki',
  'Marcus', 'Latoya', 'Ethan', 'Olivia', 'Noah', 'Ava', 'Liam', 'Sophia', 'Mateo', 'Camila', 'Jamal', 'Imani',
  'Stanislaw', 'Krystyna', 'Nguyen', 'Thu', 'Samuel', 'Ruth', 'Isaac', 'Miriam',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White',
  'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Kowalczyk', 'Nowak',
  'Wisniewski', 'Wojcik', 'Kaminski', 'Lewandowski', 'Zielinski', 'Murphy', 'Sullivan', 'Kelly', 'Ryan', 'Byrne',
  'Reilly', 'Daley', 'Russo', 'Romano', 'Esposito', 'Bianchi', 'Nguyen', 'Tran', 'Patel', 'Shah', 'Khan', 'Ahmed',
  'Kim', 'Park', 'Chen', 'Wang', 'Liu', 'Tanaka', 'Sato', 'Ivanov', 'Petrenko', 'Schultz', 'Becker', 'Hoffmann',
  'Olsen', 'Lindqvist', 'Okafor', 'Adeyemi', 'Washington', 'Jefferson', 'Banks', 'Coleman', 'Ramirez', 'Flores',
  'Castillo', 'Morales', 'Reyes', 'Cruz', 'Ortiz', 'Vega',
];

export const BUSINESSES = [
  'Lakeview Dental Group', 'Sunrise Bakery', 'Logan Square Yoga', 'Bridgeport Coffee House', 'Pilsen Family Clinic',
  'Andersonville Books', 'Ravenswood Veterinary Clinic', 'Humboldt Park Daycare', 'Irving Park Lutheran Church',
  'Portage Park Laundromat', 'Wicker Park Condominium Association', 'Rogers Park Community Center',
];

/** "ana.silva" from "Ana Silva": lower-case ASCII letters and dots only. */
export const emailLocal = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .split(/\s+/)
    .join('.');
