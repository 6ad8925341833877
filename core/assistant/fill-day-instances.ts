import { createRng } from '../demo/random';
import { DEFAULT_SETTINGS, type Booking, type Provider, type Service, type WeeklyHours } from '../model';
import { fromMs, localToMs, MINUTE_MS } from '../time';
import type { FillDayInput } from './fill-day';

/**
 * Seeded "fill a day" instances for property tests and benchmarks: providers around Chicago with varied
 * hours, skills, time off and jobs already on their day; unassigned jobs with and without dates, arrival
 * windows, skills, crews and locations. Same seed, same instance.
 */
export interface InstanceShape {
  jobs: number;
  providers: number;
  /** Existing jobs per provider, at most. */
  existing?: number;
  /** Share of jobs needing a crew of two. */
  teamShare?: number;
  /** Share of jobs with an arrival window. */
  windowShare?: number;
  /** Radius of the service area, degrees (0.15 ≈ 17 km). */
  spread?: number;
  autoResize?: boolean;
  /** Skills, time off, inactive providers and jobs without a location (property tests); off for the MILP. */
  rules?: boolean;
  balanceWeight?: number;
}

export const INSTANCE_DAY = '2026-11-24';
const ZONE = 'America/Chicago';
const SKILLS = ['gas', 'electric', 'roofing'];

const hours = (start: string, end: string): WeeklyHours => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};
const split = (): WeeklyHours => {
  const day = [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};

export function fillInstance(seed: number, shape: InstanceShape): FillDayInput {
  const rng = createRng(seed);
  const rules = shape.rules ?? true;
  const spread = shape.spread ?? 0.15;
  const at = () => ({ lat: 41.88 + (rng.next() * 2 - 1) * spread, lng: -87.63 + (rng.next() * 2 - 1) * spread });
  const t = (hhmm: string) => localToMs(INSTANCE_DAY, hhmm, ZONE);
  const created = { at: '2026-11-20T12:00:00Z', by: { id: 'u', name: 'U' } };
  const pad = (n: number, w = 4) => String(n).padStart(w, '0');

  const services: Service[] = SKILLS.map((skill, i) => ({
    id: `s${i}`, name: skill, durationMinutes: 60 + 30 * i, laborHours: 1 + 0.5 * i, teamSize: 1, requiredSkills: [skill], active: true,
  }));

  const providers: Provider[] = [];
  for (let i = 0; i < shape.providers; i++) {
    const week = rules ? rng.pick([hours('08:00', '17:00'), hours('07:00', '15:00'), hours('10:00', '19:00'), split()]) : hours('08:00', '17:00');
    const timeOff = rules && rng.chance(0.15)
      ? [{ id: `off${i}`, start: fromMs(t(rng.pick(['08:00', '11:00', '13:30']))), end: fromMs(t(rng.pick(['12:00', '15:00', '18:00']))), reason: 'Appointment' }]
      : [];
    providers.push({
      id: `p${pad(i)}`, name: `Tech ${pad(i, 3)}`, email: '', phone: '', address: '', coordinates: at(), color: '#336699', chatHandle: '',
      skills: rules ? rng.sample(SKILLS, rng.int(0, 3)) : [...SKILLS],
      channels: { email: false, sms: false, chat: false },
      active: !rules || !rng.chance(0.05), weeklyHours: week, sortOrder: i, timeOff,
    });
  }

  const booking = (id: string, fields: Partial<Booking>): Booking => ({
    id, title: `Job ${id}`, customerId: null, serviceId: null, priority: 'normal', teamSize: 1, laborHours: 1,
    location: { address: '', coordinates: at() }, arrivalWindow: null, notes: '', slot: null, status: 'unscheduled',
    statusChanged: null, statusNote: '', dispatched: null, created, slotMove: null, ...fields,
  });

  const bookings: Booking[] = [];
  for (const p of providers) {
    const n = rng.int(0, shape.existing ?? 2);
    let cursor = t('08:00') + rng.int(0, 8) * 15 * MINUTE_MS;
    for (let k = 0; k < n; k++) {
      const len = rng.int(2, 6) * 15 * MINUTE_MS;
      bookings.push(booking(`e${p.id}-${k}`, {
        laborHours: len / 3_600_000,
        status: rules ? rng.pick(['scheduled', 'scheduled', 'dispatched'] as const) : 'scheduled',
        slot: { start: fromMs(cursor), end: fromMs(cursor + len), assignees: [p.id] },
      }));
      cursor += len + rng.int(2, 12) * 15 * MINUTE_MS;
    }
  }

  const jobs: Booking[] = [];
  for (let i = 0; i < shape.jobs; i++) {
    const team = rng.chance(shape.teamShare ?? 0.1) ? 2 : 1;
    const quarter = rng.int(2, 8);
    const labor = (quarter / 4) * team;
    const minutes = quarter * 15;
    const dated = rng.chance(0.5);
    const start = t('08:00') + rng.int(0, 28) * 15 * MINUTE_MS;
    const windowed = rng.chance(shape.windowShare ?? 0.3);
    const wStart = t('08:00') + rng.int(0, 6) * HOUR;
    jobs.push(booking(`j${pad(i)}`, {
      title: `Job ${i}`,
      teamSize: team,
      laborHours: labor,
      serviceId: rules && rng.chance(0.3) ? rng.pick(services).id : null,
      priority: rng.pick(['low', 'normal', 'normal', 'high', 'emergency'] as const),
      location: { address: '', coordinates: rules && rng.chance(0.08) ? null : at() },
      arrivalWindow: windowed ? { start: fromMs(wStart), end: fromMs(wStart + rng.int(2, 4) * HOUR) } : null,
      slot: dated ? { start: fromMs(start), end: fromMs(start + minutes * MINUTE_MS), assignees: [] } : null,
      status: dated ? 'scheduled' : 'unscheduled',
    }));
  }

  return {
    day: INSTANCE_DAY,
    settings: {
      timeZone: ZONE,
      autoResize: shape.autoResize ?? false,
      travelSpeedKmh: DEFAULT_SETTINGS.travelSpeedKmh,
      travelDistanceFactor: DEFAULT_SETTINGS.travelDistanceFactor,
      assistantTravelWeight: 1,
      assistantBalanceWeight: shape.balanceWeight ?? 1,
    },
    providers,
    services,
    customers: [],
    jobs,
    bookings,
  };
}

const HOUR = 3_600_000;
