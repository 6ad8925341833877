import type { ConflictKind } from '../conflicts';
import type { Priority, WeeklyHours } from '../model';
import { addDays, DAY_MS, fromMs, HOUR_MS, localToMs, MINUTE_MS, weekdayOf, WEEKDAYS, type LocalDate, type LocalTime, type Weekday } from '../time';
import { BUSINESSES, emailLocal, FIRST_NAMES, LAST_NAMES, randomChicagoAddress } from './chicago';
import { createRng, type Rng } from './random';
import { createRunner, technicianActor, type GeneratorHooks, type RunCommand } from './run';

/**
 * "Northwind Home Services", a Chicago home-services company with two weeks of schedule, for demos, manual
 * testing and screenshots. Everything is created through the command API (so a store's projection and the
 * booking histories look exactly as if dispatchers had done it), deterministically from a seed.
 */

export interface DemoCompanyOptions extends GeneratorHooks {
  /** The day the demo is "today" (YYYY-MM-DD). The schedule covers the Monday of its week plus 13 days. */
  anchorDate: LocalDate;
  /** Same seed, same company and schedule. Default 1. */
  seed?: number;
  /** Wall-clock "now" on the anchor date (HH:MM, organization zone); jobs before it are history. Default 12:00. */
  anchorTime?: LocalTime;
}

export interface DeliberateConflict {
  kind: ConflictKind;
  bookingId: string;
  /** The provider the conflict is about (null for team-size conflicts). */
  providerId: string | null;
  /** For a double-booking: the booking it overlaps. */
  otherBookingId?: string;
  description: string;
}

export interface DemoCompanySummary {
  providers: number;
  customers: number;
  services: number;
  bookings: number;
  /** Open jobs with no technician: with a date but nobody assigned, or with no date at all. */
  unassigned: number;
  unassignedWithDate: number;
  unassignedWithoutDate: number;
  /** Jobs with two or more assignees. */
  teamJobs: number;
  cancelled: number;
  /** First and last day (inclusive) of the two weeks; the first is a Monday. */
  firstDay: LocalDate;
  lastDay: LocalDate;
  /** The instant treated as "now" (anchorDate at anchorTime, Chicago time). */
  now: string;
  /** The rule breaks put in on purpose, so the board has something red and amber to show. */
  conflicts: DeliberateConflict[];
  /** Commands run, for curiosity and benchmarks. */
  commands: number;
}

export const DEMO_COMPANY_NAME = 'Northwind Home Services';
export const DEMO_TIME_ZONE = 'America/Chicago';
const EMAIL_DOMAIN = 'northwind-hs.example';

// ---------------------------------------------------------------------------------------------------
// Roster

type Interval = readonly [LocalTime, LocalTime];
const MON_FRI: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function weekOf(days: readonly Weekday[], ...intervals: Interval[]): WeeklyHours {
  const hours = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as Array<{ start: string; end: string }>])) as WeeklyHours;
  for (const d of days) hours[d] = intervals.map(([start, end]) => ({ start, end }));
  return hours;
}

type ProviderKey =
  | 'marcus' | 'sofia' | 'darnell' | 'emily' | 'tomasz' | 'aisha' | 'kevin' | 'grace' | 'luis' | 'jamal' | 'hannah' | 'robert';

interface ProviderSpec {
  key: ProviderKey;
  name: string;
  skills: string[];
  hours: WeeklyHours;
  color: string;
  active: boolean;
  channels: { email: boolean; sms: boolean; chat: boolean };
}

const FULL_TIME = weekOf(MON_FRI, ['08:00', '17:00']);

const PROVIDERS: readonly ProviderSpec[] = [
  { key: 'marcus', name: 'Marcus Johnson', skills: ['hvac', 'lead', 'ladder-30ft'], hours: FULL_TIME, color: '#2563eb', active: true, channels: { email: true, sms: true, chat: true } },
  { key: 'sofia', name: 'Sofia Ramirez', skills: ['electrical', 'lead', 'ladder-30ft'], hours: FULL_TIME, color: '#dc2626', active: true, channels: { email: true, sms: true, chat: false } },
  // Early shift.
  { key: 'darnell', name: 'Darnell Washington', skills: ['plumbing', 'lead'], hours: weekOf(MON_FRI, ['06:00', '14:30']), color: '#16a34a', active: true, channels: { email: true, sms: true, chat: false } },
  { key: 'emily', name: 'Emily Kowalski', skills: ['cleaning', 'lead'], hours: FULL_TIME, color: '#9333ea', active: true, channels: { email: true, sms: false, chat: true } },
  // Split shift: 07–11 and 13–17.
  { key: 'tomasz', name: 'Tomasz Nowak', skills: ['electrical', 'appliance'], hours: weekOf(MON_FRI, ['07:00', '11:00'], ['13:00', '17:00']), color: '#d97706', active: true, channels: { email: true, sms: true, chat: false } },
  { key: 'aisha', name: 'Aisha Patel', skills: ['appliance', 'hvac'], hours: weekOf(MON_FRI, ['09:00', '18:00']), color: '#0891b2', active: true, channels: { email: true, sms: false, chat: true } },
  // Tuesday to Saturday.
  { key: 'kevin', name: "Kevin O'Brien", skills: ['hvac', 'plumbing'], hours: weekOf(['tue', 'wed', 'thu', 'fri', 'sat'], ['08:00', '17:00']), color: '#4f46e5', active: true, channels: { email: true, sms: true, chat: false } },
  // Part-timer: Tuesday, Thursday, Saturday.
  { key: 'grace', name: 'Grace Kim', skills: ['cleaning'], hours: weekOf(['tue', 'thu', 'sat'], ['09:00', '15:00']), color: '#db2777', active: true, channels: { email: false, sms: true, chat: false } },
  { key: 'luis', name: 'Luis Hernandez', skills: ['cleaning', 'appliance'], hours: FULL_TIME, color: '#65a30d', active: true, channels: { email: true, sms: true, chat: false } },
  // Early shift.
  { key: 'jamal', name: 'Jamal Carter', skills: ['plumbing', 'hvac', 'ladder-30ft'], hours: weekOf(MON_FRI, ['07:00', '15:30']), color: '#0d9488', active: true, channels: { email: true, sms: false, chat: true } },
  // Four long days.
  { key: 'hannah', name: 'Hannah Schmidt', skills: ['electrical', 'cleaning'], hours: weekOf(['mon', 'tue', 'wed', 'thu'], ['07:00', '17:30']), color: '#ea580c', active: true, channels: { email: true, sms: false, chat: false } },
  // On leave: inactive, still in the roster.
  { key: 'robert', name: 'Robert Chen', skills: ['electrical', 'hvac'], hours: FULL_TIME, color: '#64748b', active: false, channels: { email: true, sms: false, chat: false } },
];

/** Time off relative to the first Monday (day 0). */
const TIME_OFF: ReadonlyArray<{ key: ProviderKey; day: number; from: LocalTime; to: LocalTime; reason: string }> = [
  { key: 'marcus', day: 3, from: '00:00', to: '24:00', reason: 'Vacation day' },
  { key: 'kevin', day: 2, from: '08:00', to: '12:00', reason: 'Car in the shop' },
  { key: 'sofia', day: 8, from: '14:00', to: '15:30', reason: 'Dentist appointment' },
  { key: 'jamal', day: 11, from: '13:00', to: '15:30', reason: "Kid's school play" },
];

type ServiceKey = 'ac' | 'furnace' | 'panel' | 'deepclean' | 'waterheater' | 'drain' | 'appliance' | 'electrical' | 'emergency';

interface ServiceSpec {
  key: ServiceKey;
  name: string;
  durationMinutes: number;
  laborHours: number;
  teamSize: number;
  requiredSkills: string[];
  /** How often it is booked, relatively. */
  weight: number;
  /** At most this many a day (team jobs are rarer). */
  perDay: number;
  notes: string[];
}

const SERVICES: readonly ServiceSpec[] = [
  { key: 'ac', name: 'AC tune-up', durationMinutes: 90, laborHours: 1.5, teamSize: 1, requiredSkills: ['hvac'], weight: 14, perDay: 6,
    notes: ['Annual maintenance plan', 'Customer says the AC blows warm air upstairs', 'Condenser on the garage roof', 'Replace filter (16x25x1), customer has spares'] },
  { key: 'furnace', name: 'Furnace repair', durationMinutes: 120, laborHours: 2, teamSize: 1, requiredSkills: ['hvac'], weight: 12, perDay: 5,
    notes: ['No heat since last night', 'Furnace short-cycles; igniter suspected', 'Burning smell when the burner starts', 'Thermostat replaced last year, still no heat upstairs'] },
  { key: 'panel', name: 'Electrical panel upgrade', durationMinutes: 180, laborHours: 6, teamSize: 2, requiredSkills: ['electrical'], weight: 3, perDay: 1,
    notes: ['100 A to 200 A upgrade, permit on file', 'ComEd disconnect booked for the morning', 'Old fuse box in the basement'] },
  { key: 'deepclean', name: 'Deep clean', durationMinutes: 240, laborHours: 12, teamSize: 3, requiredSkills: ['cleaning'], weight: 3, perDay: 1,
    notes: ['Move-out clean, 3 bed / 2 bath', 'Post-renovation dust: bring the HEPA vacuums', 'Includes inside of oven and fridge'] },
  { key: 'waterheater', name: 'Water heater install', durationMinutes: 180, laborHours: 6, teamSize: 2, requiredSkills: ['plumbing'], weight: 3, perDay: 1,
    notes: ['Replace 40 gal gas tank, haul away the old one', 'Tank leaking at the base; water is shut off', '50 gal in a tight closet: measure first'] },
  { key: 'drain', name: 'Drain cleaning', durationMinutes: 60, laborHours: 1, teamSize: 1, requiredSkills: ['plumbing'], weight: 12, perDay: 5,
    notes: ['Kitchen sink backs up', 'Basement floor drain overflowed', 'Recurring clog in the upstairs tub'] },
  { key: 'appliance', name: 'Appliance repair', durationMinutes: 90, laborHours: 1.5, teamSize: 1, requiredSkills: ['appliance'], weight: 12, perDay: 5,
    notes: ['Dishwasher does not drain (Bosch)', 'Dryer runs but does not heat', 'Ice maker leaking', 'Washer shows error E21'] },
  { key: 'electrical', name: 'Electrical repair', durationMinutes: 90, laborHours: 1.5, teamSize: 1, requiredSkills: ['electrical'], weight: 10, perDay: 4,
    notes: ['Half the kitchen outlets are dead', 'Bathroom GFCI keeps tripping', 'Flickering lights in the living room', 'Install two ceiling fans'] },
  { key: 'emergency', name: 'Emergency call-out', durationMinutes: 120, laborHours: 2, teamSize: 1, requiredSkills: [], weight: 3, perDay: 1,
    notes: ['Burst pipe: water shut off at the main', 'No power to half the house after the storm', 'Sewage backing up into the basement'] },
];

/** What sits in the queue waiting for a date or a technician: anything but an emergency. */
const ROUTINE_SERVICES = SERVICES.filter((s) => s.key !== 'emergency');

const CUSTOMER_NOTES: ReadonlyArray<(rng: Rng) => string> = [
  (r) => `Gate code ${r.int(1000, 9999)}#`,
  (r) => `Dog on premises (friendly ${r.pick(['golden retriever', 'lab', 'beagle', 'boxer'])}): text before entering the yard`,
  () => 'Large dog in the back yard: use the front door only',
  (r) => `Park in the alley behind the garage; garage code ${r.int(1000, 9999)}`,
  () => 'Call 15 minutes before arrival',
  () => 'Elderly resident: knock loudly and allow time to answer',
  () => 'Building manager has the key: ask at the front desk',
  () => 'Street parking only (permit zone): put the visitor pass on the dashboard',
  () => 'Prefers morning appointments',
  () => 'Spanish-speaking household',
  (r) => `Lockbox on the back door, code ${r.int(100, 999)}`,
];
const BUSINESS_NOTES = ['Use the rear entrance on the alley', 'Ask for the office manager on arrival', 'Open 7:00–18:00; avoid the lunch rush'];

// ---------------------------------------------------------------------------------------------------
// Schedule plan

interface PlannedJob {
  day: number;
  service: ServiceSpec;
  customer: number;
  /** Epoch ms; null for a job with no date. */
  start: number | null;
  end: number | null;
  /** Provider indexes into PROVIDERS. */
  team: number[];
  priority: Priority;
  window: { start: number; end: number } | null;
  notes: string;
  role: 'regular' | 'unassigned' | 'special';
  /** Which deliberate conflict this job carries (set on the job the conflict is reported against). */
  conflict?: { kind: ConflictKind; provider: number | null; other?: PlannedJob; description: string };
  id?: string;
}

interface DayPlanner {
  date: LocalDate;
  weekday: Weekday;
  busy: Map<number, Array<[number, number]>>;
}

const QUARTER = 15 * MINUTE_MS;
const TRAVEL_BUFFER = 15 * MINUTE_MS;
const DAY_OPEN: LocalTime = '07:00';
const DAY_CLOSE: LocalTime = '17:00';

export function createDemoCompany(run: RunCommand, options: DemoCompanyOptions): DemoCompanySummary {
  const { anchorDate, seed = 1, anchorTime = '12:00' } = options;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchorDate)) throw new Error(`createDemoCompany: anchorDate must be YYYY-MM-DD, got ${anchorDate}`);
  const zone = DEMO_TIME_ZONE;
  const rng = createRng(seed);
  const runner = createRunner(run, options, 'createDemoCompany');
  const firstDay = addDays(anchorDate, -WEEKDAYS.indexOf(weekdayOf(anchorDate)));
  const dates = Array.from({ length: 14 }, (_, i) => addDays(firstDay, i));
  const nowMs = localToMs(anchorDate, anchorTime, zone);
  const ms = (day: number, time: LocalTime) => localToMs(dates[day]!, time, zone);

  // The office set up the roster three weeks before the schedule starts.
  runner.at(localToMs(addDays(firstDay, -21), '09:00', zone));
  runner.must('initializeOrganization', {
    name: DEMO_COMPANY_NAME,
    timeZone: zone,
    timelineStart: '06:00',
    timelineEnd: '19:00',
    autoResize: false,
    selfDispatch: false,
    distanceUnit: 'mi', // a Chicago company reads miles
    timeFormat: '12h', // and its clocks in 12 h
  });

  // -- providers --------------------------------------------------------------------------------------
  const providerRng = rng.fork();
  const phoneNumbers = providerRng.shuffle(Array.from({ length: 100 }, (_, i) => i)); // 555-01xx is reserved for fiction
  const providerIds: string[] = [];
  PROVIDERS.forEach((p, index) => {
    const home = randomChicagoAddress(providerRng);
    const local = emailLocal(p.name);
    const { id } = runner.must('createProvider', {
      name: p.name,
      email: `${local}@${EMAIL_DOMAIN}`,
      phone: `+1 312 555 01${String(phoneNumbers[index]).padStart(2, '0')}`,
      address: home.address,
      coordinates: home.coordinates,
      color: p.color,
      chatHandle: p.channels.chat ? `@${local.split('.')[0]}` : '',
      skills: p.skills,
      channels: p.channels,
      active: p.active,
      weeklyHours: p.hours,
      sortOrder: index + 1,
    });
    providerIds.push(id);
  });
  const providerIndex = (key: ProviderKey) => PROVIDERS.findIndex((p) => p.key === key);
  const timeOff = new Map<number, Array<[number, number]>>();
  for (const t of TIME_OFF) {
    const p = providerIndex(t.key);
    const span: [number, number] = [ms(t.day, t.from), ms(t.day, t.to)];
    runner.must('addTimeOff', { providerId: providerIds[p]!, start: iso(span[0]), end: iso(span[1]), reason: t.reason });
    timeOff.set(p, [...(timeOff.get(p) ?? []), span]);
  }

  // -- services ---------------------------------------------------------------------------------------
  const serviceIds = new Map<ServiceKey, string>();
  for (const s of SERVICES) {
    const { id } = runner.must('createService', {
      name: s.name,
      durationMinutes: s.durationMinutes,
      laborHours: s.laborHours,
      teamSize: s.teamSize,
      requiredSkills: s.requiredSkills,
    });
    serviceIds.set(s.key, id);
  }
  const serviceByKey = (key: ServiceKey) => SERVICES.find((s) => s.key === key)!;

  // -- customers --------------------------------------------------------------------------------------
  const customerRng = rng.fork();
  const customers = makeCustomers(customerRng, 80);
  const customerIds = customers.map(({ shortName: _short, ...fields }) => runner.must('createCustomer', fields).id);

  // -- schedule plan ----------------------------------------------------------------------------------
  const planRng = rng.fork();
  const jobs: PlannedJob[] = [];
  const P = providerIndex;

  const canWork = (p: number, date: LocalDate, start: number, end: number): boolean => {
    const spec = PROVIDERS[p]!;
    if (!spec.active) return false;
    const covered = spec.hours[weekdayOf(date)].some((i) => localToMs(date, i.start, zone) <= start && localToMs(date, i.end, zone) >= end);
    if (!covered) return false;
    return !(timeOff.get(p) ?? []).some(([s, e]) => s < end && e > start);
  };
  const isFree = (planner: DayPlanner, p: number, start: number, end: number): boolean =>
    !(planner.busy.get(p) ?? []).some(([s, e]) => s < end + TRAVEL_BUFFER && e + TRAVEL_BUFFER > start);
  const book = (planner: DayPlanner, team: number[], start: number, end: number) => {
    for (const p of team) planner.busy.set(p, [...(planner.busy.get(p) ?? []), [start, end]]);
  };
  const load = (planner: DayPlanner, p: number) => (planner.busy.get(p) ?? []).reduce((sum, [s, e]) => sum + e - s, 0);

  const arrivalWindow = (date: LocalDate, start: number): PlannedJob['window'] => {
    if (!planRng.chance(0.6)) return null;
    const open = localToMs(date, DAY_OPEN, zone);
    const hourFloor = open + Math.floor((start - open) / HOUR_MS) * HOUR_MS;
    const from = Math.max(open, hourFloor - planRng.pick([0, 0, HOUR_MS]));
    return { start: from, end: from + planRng.pick([2, 2, 3, 4]) * HOUR_MS };
  };
  const priorityFor = (service: ServiceSpec): Priority =>
    service.key === 'emergency' ? 'emergency' : planRng.weighted<Priority>([['normal', 70], ['high', 15], ['low', 15]]);
  const jobNotes = (service: ServiceSpec) => (planRng.chance(0.55) ? planRng.pick(service.notes) : '');

  const usedCustomers = new Map<number, Set<number>>();
  const customerFor = (day: number): number => {
    const used = usedCustomers.get(day) ?? new Set<number>();
    usedCustomers.set(day, used);
    let c = planRng.int(0, customers.length - 1);
    while (used.has(c)) c = (c + 1) % customers.length;
    used.add(c);
    return c;
  };

  const job = (day: number, service: ServiceSpec, role: PlannedJob['role'], start: number | null, team: number[]): PlannedJob => {
    const j: PlannedJob = {
      day,
      service,
      customer: customerFor(day),
      start,
      end: start === null ? null : start + service.durationMinutes * MINUTE_MS,
      team,
      priority: priorityFor(service),
      window: start === null ? null : arrivalWindow(dates[day]!, start),
      notes: jobNotes(service),
      role,
    };
    jobs.push(j);
    return j;
  };

  // Deliberate conflicts, all in the second week (always after the anchor date, so still Scheduled).
  const specials: Record<number, (planner: DayPlanner) => void> = {
    7: (planner) => {
      const start = ms(7, planRng.pick(['08:00', '08:30', '09:00']));
      const team = [P('emily'), P('luis')];
      const j = job(7, serviceByKey('deepclean'), 'special', start, team);
      j.conflict = { kind: 'understaffed', provider: null, description: 'Deep clean needs 3 cleaners, only 2 are assigned' };
      book(planner, team, start, j.end!);
    },
    8: (planner) => {
      const dentist = job(8, serviceByKey('electrical'), 'special', ms(8, planRng.pick(['14:00', '14:15', '14:30'])), [P('sofia')]);
      dentist.conflict = { kind: 'time_off', provider: P('sofia'), description: 'Booked during Sofia’s dentist appointment' };
      book(planner, dentist.team, dentist.start!, dentist.end!);
      const first = job(8, serviceByKey('ac'), 'special', ms(8, planRng.pick(['09:00', '09:15', '09:30'])), [P('marcus')]);
      const second = job(8, serviceByKey('furnace'), 'special', first.start! + HOUR_MS, [P('marcus')]);
      second.conflict = { kind: 'double_booking', provider: P('marcus'), other: first, description: 'Marcus has two overlapping jobs' };
      book(planner, [P('marcus')], first.start!, second.end!);
    },
    9: (planner) => {
      const start = ms(9, planRng.pick(['10:00', '10:30', '11:00']));
      const j = job(9, serviceByKey('drain'), 'special', start, [P('luis')]);
      j.conflict = { kind: 'missing_skill', provider: P('luis'), description: 'Drain cleaning given to Luis, who is not a plumber' };
      book(planner, j.team, j.start!, j.end!);
      const first = job(9, serviceByKey('drain'), 'special', ms(9, '08:00'), [P('darnell')]);
      const second = job(9, serviceByKey('drain'), 'special', ms(9, '08:30'), [P('darnell')]);
      second.conflict = { kind: 'double_booking', provider: P('darnell'), other: first, description: 'Darnell has two overlapping drain jobs' };
      book(planner, [P('darnell')], first.start!, second.end!);
    },
    10: (planner) => {
      const j = job(10, serviceByKey('appliance'), 'special', ms(10, '11:30'), [P('tomasz')]);
      j.conflict = { kind: 'outside_hours', provider: P('tomasz'), description: 'Squeezed into Tomasz’s 11:00–13:00 break' };
      book(planner, j.team, j.start!, j.end!);
    },
    11: (planner) => {
      const first = job(11, serviceByKey('appliance'), 'special', ms(11, '13:00'), [P('aisha')]);
      const second = job(11, serviceByKey('ac'), 'special', ms(11, '14:00'), [P('aisha')]);
      second.conflict = { kind: 'double_booking', provider: P('aisha'), other: first, description: 'Aisha has two overlapping jobs' };
      book(planner, [P('aisha')], first.start!, second.end!);
    },
  };

  // Unassigned jobs: some with a date (after today) but nobody on them, the rest with no date at all.
  const unassignedTotal = planRng.int(8, 12);
  const unassignedDated = Math.floor(unassignedTotal / 2);
  const anchorIndex = dates.indexOf(anchorDate);
  const futureWeekdays = dates
    .map((d, i) => [d, i] as const)
    .filter(([d, i]) => i > anchorIndex && MON_FRI.includes(weekdayOf(d)))
    .map(([, i]) => i);
  const datedUnassignedPerDay = new Map<number, number>();
  for (let k = 0; k < unassignedDated; k++) {
    const day = futureWeekdays[(k * 3 + planRng.int(0, 1)) % futureWeekdays.length]!;
    datedUnassignedPerDay.set(day, (datedUnassignedPerDay.get(day) ?? 0) + 1);
  }

  for (let day = 0; day < 14; day++) {
    const date = dates[day]!;
    const weekday = weekdayOf(date);
    if (weekday === 'sun') continue;
    const planner: DayPlanner = { date, weekday, busy: new Map() };
    const before = jobs.length;
    specials[day]?.(planner);
    const unassignedToday = datedUnassignedPerDay.get(day) ?? 0;
    for (let k = 0; k < unassignedToday; k++) {
      const service = planRng.weighted(ROUTINE_SERVICES.map((s) => [s, s.weight] as const));
      const latest = localToMs(date, DAY_CLOSE, zone) - service.durationMinutes * MINUTE_MS;
      const open = localToMs(date, DAY_OPEN, zone);
      job(day, service, 'unassigned', open + planRng.int(0, (latest - open) / QUARTER) * QUARTER, []);
    }
    const target = weekday === 'sat' ? planRng.int(2, 4) : planRng.int(8, 14);
    const perDay = new Map<ServiceKey, number>();
    const closed = new Set<ServiceKey>();
    let attempts = 0;
    while (jobs.length - before < target && attempts++ < 200) {
      // Emergency call-outs are booked the day they happen, never a week ahead.
      const open = SERVICES.filter(
        (s) => !closed.has(s.key) && (perDay.get(s.key) ?? 0) < s.perDay && (s.key !== 'emergency' || day <= anchorIndex),
      );
      if (open.length === 0) break;
      const service = planRng.weighted(open.map((s) => [s, s.weight] as const));
      const placed = placeJob(planner, service);
      if (!placed) {
        closed.add(service.key);
        continue;
      }
      perDay.set(service.key, (perDay.get(service.key) ?? 0) + 1);
      const j = job(day, service, 'regular', placed.start, placed.team);
      book(planner, placed.team, placed.start, j.end!);
    }
  }

  function placeJob(planner: DayPlanner, service: ServiceSpec): { start: number; team: number[] } | null {
    const duration = service.durationMinutes * MINUTE_MS;
    const candidates = PROVIDERS.map((_, i) => i).filter(
      (p) => PROVIDERS[p]!.active && service.requiredSkills.every((s) => PROVIDERS[p]!.skills.includes(s)),
    );
    if (candidates.length < service.teamSize) return null;
    const open = localToMs(planner.date, DAY_OPEN, zone);
    const latest = localToMs(planner.date, DAY_CLOSE, zone) - duration;
    // Try start times in a random order that favours the morning, the way customers ask for them.
    const starts: Array<readonly [number, number]> = [];
    for (let t = open; t <= latest; t += QUARTER) {
      const hour = (t - open) / HOUR_MS + 7;
      starts.push([t, hour < 9 ? 4 : hour < 12 ? 3 : hour < 14 ? 2 : 1]);
    }
    while (starts.length > 0) {
      const start = planRng.weighted(starts);
      starts.splice(starts.findIndex(([t]) => t === start), 1);
      const free = candidates.filter((p) => canWork(p, planner.date, start, start + duration) && isFree(planner, p, start, start + duration));
      if (free.length < service.teamSize) continue;
      const ranked = planRng.shuffle(free).sort((a, b) => load(planner, a) - load(planner, b));
      return { start, team: ranked.slice(0, service.teamSize) };
    }
    return null;
  }

  for (let k = unassignedDated; k < unassignedTotal; k++) {
    const service = planRng.weighted(ROUTINE_SERVICES.map((s) => [s, s.weight] as const));
    job(anchorIndex >= 0 ? anchorIndex : 0, service, 'unassigned', null, []);
  }

  // Which jobs get cancelled: one from the past (the customer was not home), one from the future.
  const regularSingles = jobs.filter((j) => j.role === 'regular' && j.team.length === 1);
  const past = regularSingles.filter((j) => j.end! <= nowMs);
  const future = regularSingles.filter((j) => j.start! > nowMs + DAY_MS);
  const cancelled = new Map<PlannedJob, 'not_home' | 'customer'>();
  if (past.length >= 4) cancelled.set(planRng.pick(past), 'not_home'); // keep some completed work when "today" is a Monday
  if (future.length > 0) cancelled.set(planRng.pick(future), 'customer');

  // -- execute the plan through commands --------------------------------------------------------------
  const execRng = rng.fork();
  for (const j of jobs) executeJob(j);

  function executeJob(j: PlannedJob) {
    const customer = customers[j.customer]!;
    const title = `${j.service.name} – ${customer.shortName}`;
    let clock = createdAt(j);
    const tick = (candidate: number) => {
      clock = Math.max(clock, Math.min(candidate, nowMs));
      runner.at(clock);
    };
    tick(clock);
    const team = j.team.map((p) => providerIds[p]!);
    const base = {
      title,
      customerId: customerIds[j.customer]!,
      serviceId: serviceIds.get(j.service.key)!,
      priority: j.priority,
      arrivalWindow: j.window ? { start: iso(j.window.start), end: iso(j.window.end) } : null,
      notes: j.notes,
    };
    if (j.start === null || j.end === null) {
      j.id = runner.must('createBooking', base).id;
      return;
    }
    const start = iso(j.start);
    const end = iso(j.end);
    if (team.length === 0) {
      j.id = runner.must('createBooking', { ...base, slot: { start, end, assignees: [] } }).id;
      return;
    }
    const style = team.length > 1 ? execRng.pick(['team', 'one_by_one'] as const) : execRng.weighted([['assign', 55], ['direct', 20], ['reassign', 15], ['move', 10]] as const);
    if (style === 'direct') {
      j.id = runner.must('createBooking', { ...base, slot: { start, end, assignees: team } }).id;
    } else {
      const id = runner.must('createBooking', base).id;
      j.id = id;
      tick(clock + execRng.int(1, 30) * MINUTE_MS);
      if (style === 'reassign') {
        const others = PROVIDERS.map((_, i) => i).filter(
          (p) => p !== j.team[0] && PROVIDERS[p]!.active && j.service.requiredSkills.every((s) => PROVIDERS[p]!.skills.includes(s)),
        );
        const other = others.length > 0 ? providerIds[execRng.pick(others)]! : null;
        if (other) {
          runner.must('assignProvider', { id, providerId: other, start, end });
          tick(clock + execRng.int(1, 30) * HOUR_MS);
          runner.must('reassignProvider', { id, fromProviderId: other, toProviderId: team[0]! });
        } else {
          runner.must('assignProvider', { id, providerId: team[0]!, start, end });
        }
      } else if (style === 'move') {
        const shifted = j.start + execRng.pick([-2, -1, 1, 2, 24]) * HOUR_MS;
        runner.must('assignProvider', { id, providerId: team[0]!, start: iso(shifted), end: iso(shifted + (j.end - j.start)) });
        tick(clock + execRng.int(1, 30) * HOUR_MS);
        runner.must('moveBooking', { id, start });
      } else if (style === 'team') {
        runner.must('assignProvider', { id, providerId: team[0]!, start, end });
        tick(clock + execRng.int(5, 120) * MINUTE_MS);
        runner.must('setTeam', { id, assignees: team });
      } else {
        for (const providerId of team) runner.must('assignProvider', { id, providerId, start, end });
      }
    }
    progress(j, team, tick);
  }

  function progress(j: PlannedJob, team: string[], tick: (candidate: number) => void) {
    const id = j.id!;
    const start = j.start!;
    const end = j.end!;
    const tech = technicianActor(team[0]!, PROVIDERS[j.team[0]!]!.name);
    const cancel = cancelled.get(j);
    if (cancel === 'customer') {
      tick(start - execRng.int(1, 3) * DAY_MS);
      runner.must('cancelBooking', { id, reason: execRng.pick(['Customer cancelled: fixed it themselves', 'Customer cancelled: selling the house', 'Customer cancelled: will call back to reschedule']) });
      return;
    }
    if (end > nowMs && dates[j.day] !== anchorDate) return; // a later day: stays Scheduled
    const dispatchAt = execRng.chance(0.3) ? localToMs(addDays(dates[j.day]!, -1), '16:30', zone) : ms(j.day, '06:45');
    tick(dispatchAt + execRng.int(0, 3) * QUARTER);
    runner.must('sendToTech', { id });
    if (start > nowMs + HOUR_MS) return; // Dispatched, later today
    tick(start - execRng.int(20, 40) * MINUTE_MS);
    runner.must('updateStatus', { id, status: 'en_route' }, tech);
    if (cancel === 'not_home') {
      tick(start + execRng.int(10, 25) * MINUTE_MS);
      runner.must('cancelBooking', { id, reason: 'Customer not home: left a door tag, will call to reschedule' });
      return;
    }
    if (start > nowMs) return; // En route
    tick(start + execRng.int(-5, 10) * MINUTE_MS);
    runner.must('updateStatus', { id, status: 'in_progress' }, tech);
    if (end > nowMs) return; // In progress
    tick(end + execRng.int(-10, 20) * MINUTE_MS);
    const note = execRng.chance(0.4) ? execRng.pick(['All done, customer signed off', 'Replaced worn part, tested OK', 'Follow-up visit recommended', 'Left invoice with customer']) : '';
    runner.must('updateStatus', { id, status: 'completed', note }, tech);
  }

  function createdAt(j: PlannedJob): number {
    const quarterJitter = execRng.int(0, 35) * QUARTER;
    if (j.start === null) return nowMs - execRng.int(1, 6) * DAY_MS + quarterJitter - 4 * HOUR_MS;
    if (j.service.key === 'emergency') return Math.min(nowMs, j.start - execRng.int(1, 3) * HOUR_MS);
    const day = addDays(dates[j.day]!, -execRng.int(1, 9));
    return Math.min(nowMs - QUARTER, localToMs(day, '08:00', zone) + quarterJitter);
  }

  runner.at(nowMs);

  // -- summary ----------------------------------------------------------------------------------------
  const conflicts: DeliberateConflict[] = jobs
    .filter((j) => j.conflict)
    .map((j) => ({
      kind: j.conflict!.kind,
      bookingId: j.id!,
      providerId: j.conflict!.provider === null ? null : providerIds[j.conflict!.provider]!,
      ...(j.conflict!.other ? { otherBookingId: j.conflict!.other.id! } : {}),
      description: j.conflict!.description,
    }));
  const withDate = jobs.filter((j) => j.role === 'unassigned' && j.start !== null).length;
  const withoutDate = jobs.filter((j) => j.role === 'unassigned' && j.start === null).length;
  return {
    providers: PROVIDERS.length,
    customers: customers.length,
    services: SERVICES.length,
    bookings: jobs.length,
    unassigned: withDate + withoutDate,
    unassignedWithDate: withDate,
    unassignedWithoutDate: withoutDate,
    teamJobs: jobs.filter((j) => j.team.length > 1).length,
    cancelled: cancelled.size,
    firstDay,
    lastDay: dates[13]!,
    now: iso(nowMs),
    conflicts,
    commands: runner.commands,
  };
}

// ---------------------------------------------------------------------------------------------------

interface CustomerDraft {
  name: string;
  email: string;
  phone: string;
  address: string;
  coordinates: { lat: number; lng: number };
  notes: string;
  channels: { email: boolean; sms: boolean };
  /** For job titles: a surname or the business name. */
  shortName: string;
}

function makeCustomers(rng: Rng, count: number): Array<CustomerDraft> {
  const businessNames = rng.sample(BUSINESSES, Math.round(count / 8));
  const businessSlots = rng.sample(Array.from({ length: count }, (_, i) => i), businessNames.length);
  const businessAt = new Map(businessSlots.map((slot, k) => [slot, businessNames[k]!]));
  const phones = rng.shuffle(['773', '312', '872'].flatMap((area) => Array.from({ length: 100 }, (_, i) => `(${area}) 555-01${String(i).padStart(2, '0')}`)));
  // About a third of households have notes; every kind of note occurs (a gate code, a dog ...).
  const households = Array.from({ length: count }, (_, i) => i).filter((i) => !businessAt.has(i));
  const noteDeck = rng.shuffle(CUSTOMER_NOTES);
  const noted = new Map(rng.sample(households, Math.max(noteDeck.length, Math.round(households.length * 0.35))).map((i, k) => [i, noteDeck[k % noteDeck.length]!]));
  const names = new Set<string>();
  const out: CustomerDraft[] = [];
  for (let i = 0; i < count; i++) {
    const business = businessAt.get(i);
    let name = business ?? '';
    let last = '';
    while (!business && (name === '' || names.has(name))) {
      last = rng.pick(LAST_NAMES);
      name = `${rng.pick(FIRST_NAMES)} ${last}`;
    }
    names.add(name);
    const address = randomChicagoAddress(rng, { unitChance: business ? 0 : 0.25 });
    const domain = rng.pick(['example.com', 'example.net', 'example.org']);
    const email = business
      ? `${rng.pick(['office', 'frontdesk', 'manager'])}@${emailLocal(business).replace(/\./g, '')}.example`
      : rng.chance(0.85)
        ? `${emailLocal(name)}${rng.chance(0.3) ? rng.int(1, 99) : ''}@${domain}`
        : '';
    const notes = business
      ? rng.chance(0.6) ? rng.pick(BUSINESS_NOTES) : ''
      : (noted.get(i)?.(rng) ?? '');
    out.push({
      name,
      email,
      phone: phones[i]!,
      address: address.address,
      coordinates: address.coordinates,
      notes,
      channels: { email: email !== '', sms: rng.chance(0.4) },
      shortName: business ?? last,
    });
  }
  return out;
}

const iso = fromMs;
