import type { Priority, WeeklyHours } from '../model';
import { addDays, DAY_MS, fromMs, HOUR_MS, localToMs, MINUTE_MS, weekdayOf, WEEKDAYS, type LocalDate } from '../time';
import { emailLocal, FIRST_NAMES, LAST_NAMES, randomChicagoAddress } from './chicago';
import { createRng } from './random';
import { createRunner, technicianActor, type GeneratorHooks, type RunCommand } from './run';

/**
 * Large schedules for benchmarks (e.g. 200 providers x 10,000 bookings over two weeks, or a year of history):
 * one organization, providers working Mon–Sat 07:00–19:00, a pool of customers and services, and bookings
 * spread evenly over the working days and providers. Per provider they do not overlap, except a chosen
 * fraction (default 2%) that deliberately does; a fraction (default 5%) is unassigned.
 *
 * Assigned bookings are created with their slot in `createBooking` (one command each) to stay fast.
 */
export interface ScaledScheduleOptions extends GeneratorHooks {
  providers: number;
  bookings: number;
  /** First day of the range (YYYY-MM-DD). */
  startDate: LocalDate;
  /** Length of the range in days (Sundays are days off and get no bookings). */
  days: number;
  seed?: number;
  /** Default America/Chicago. */
  timeZone?: string;
  /** Size of the customer pool; default bookings / 10, between 50 and 2000. */
  customers?: number;
  /** Share of bookings with nobody assigned (half of them with a date, half without). Default 0.05. */
  unassignedFraction?: number;
  /** Share of assigned bookings that overlap their provider's previous job. Default 0.02. */
  overlapFraction?: number;
  /**
   * Share of the *past* assigned bookings (ended before `asOf`) walked through Send to Tech -> En route ->
   * Checked in -> Checked out, so they are Completed, stamped at their real times when `setNow` is given
   * (which archiving by age needs). Default 0: nothing is closed.
   */
  closeFraction?: number;
  /** "Today": bookings ending before this local date's midnight are the past. Default: the day after the range. */
  asOf?: LocalDate;
}

export interface ScaledScheduleSummary {
  providers: number;
  customers: number;
  services: number;
  bookings: number;
  assigned: number;
  unassigned: number;
  unassignedWithDate: number;
  unassignedWithoutDate: number;
  /** Assigned bookings placed to overlap another booking of the same provider. */
  overlapping: number;
  /** Bookings walked to Completed (see `closeFraction`). */
  closed: number;
  providerIds: string[];
  firstDay: LocalDate;
  lastDay: LocalDate;
  commands: number;
}

const SKILLS = ['hvac', 'electrical', 'plumbing', 'cleaning', 'appliance'] as const;

const SCALE_SERVICES: ReadonlyArray<{ name: string; minutes: number; skills: string[] }> = [
  { name: 'HVAC service', minutes: 90, skills: ['hvac'] },
  { name: 'HVAC install', minutes: 180, skills: ['hvac'] },
  { name: 'Electrical repair', minutes: 60, skills: ['electrical'] },
  { name: 'Panel work', minutes: 120, skills: ['electrical'] },
  { name: 'Plumbing repair', minutes: 60, skills: ['plumbing'] },
  { name: 'Drain cleaning', minutes: 45, skills: ['plumbing'] },
  { name: 'House cleaning', minutes: 120, skills: ['cleaning'] },
  { name: 'Appliance repair', minutes: 90, skills: ['appliance'] },
  { name: 'Inspection', minutes: 30, skills: [] },
];

const OPEN = '07:00';
const CLOSE = '19:00';
const DAY_MINUTES = 12 * 60;
const QUARTER = 15;

const WORK_WEEK: WeeklyHours = Object.fromEntries(
  WEEKDAYS.map((d) => [d, d === 'sun' ? [] : [{ start: OPEN, end: CLOSE }]]),
) as WeeklyHours;

interface Planned {
  day: number;
  /** Minutes after 07:00 local. */
  offset: number;
  minutes: number;
  provider: number | null;
  service: number;
  dated: boolean;
  overlap: boolean;
}

export function createScaledSchedule(run: RunCommand, options: ScaledScheduleOptions): ScaledScheduleSummary {
  const {
    providers: providerCount,
    bookings: bookingCount,
    startDate,
    days,
    seed = 1,
    timeZone = 'America/Chicago',
    unassignedFraction = 0.05,
    overlapFraction = 0.02,
    closeFraction = 0,
  } = options;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`createScaledSchedule: ${what}`);
  };
  check(Number.isInteger(providerCount) && providerCount >= 1, 'providers must be a whole number >= 1');
  check(Number.isInteger(bookingCount) && bookingCount >= 0, 'bookings must be a whole number >= 0');
  check(Number.isInteger(days) && days >= 1, 'days must be a whole number >= 1');
  check(/^\d{4}-\d{2}-\d{2}$/.test(startDate), `startDate must be YYYY-MM-DD, got ${startDate}`);
  for (const [name, value] of Object.entries({ unassignedFraction, overlapFraction, closeFraction })) {
    check(value >= 0 && value <= 1, `${name} must be between 0 and 1`);
  }
  const customerCount = options.customers ?? Math.min(2000, Math.max(50, Math.round(bookingCount / 10)));
  const rng = createRng(seed);
  const runner = createRunner(run, options, 'createScaledSchedule');

  const allDates = Array.from({ length: days }, (_, i) => addDays(startDate, i));
  const workDates = allDates.filter((d) => weekdayOf(d) !== 'sun');
  const dates = workDates.length > 0 ? workDates : allDates;
  const lastDay = allDates[allDates.length - 1]!;
  const nowMs = localToMs(options.asOf ?? addDays(lastDay, 1), '00:00', timeZone);
  const openMs = dates.map((d) => localToMs(d, OPEN, timeZone));

  runner.at(localToMs(addDays(startDate, -30), '09:00', timeZone));
  runner.must('initializeOrganization', { name: 'Scale Test Services', timeZone, timelineStart: '06:00', timelineEnd: '20:00' });

  // -- roster -----------------------------------------------------------------------------------------
  const rosterRng = rng.fork();
  const providerSkills: string[][] = [];
  const providerNames: string[] = [];
  const providerIds: string[] = [];
  const names = new Set<string>();
  for (let i = 0; i < providerCount; i++) {
    let name = '';
    for (let tries = 0; name === '' || names.has(name); tries++) {
      name = `${rosterRng.pick(FIRST_NAMES)} ${rosterRng.pick(LAST_NAMES)}${tries > 20 ? ` ${i + 1}` : ''}`;
    }
    names.add(name);
    providerNames.push(name);
    const skills = rosterRng.sample(SKILLS, rosterRng.int(1, 3));
    providerSkills.push(skills);
    const home = randomChicagoAddress(rosterRng);
    providerIds.push(
      runner.must('createProvider', {
        name,
        email: `${emailLocal(name)}.${i + 1}@scale-test.example`,
        address: home.address,
        coordinates: home.coordinates,
        color: colorFor(i),
        skills,
        weeklyHours: WORK_WEEK,
        sortOrder: i + 1,
      }).id,
    );
  }
  const serviceIds = SCALE_SERVICES.map(
    (s) => runner.must('createService', { name: s.name, durationMinutes: s.minutes, laborHours: s.minutes / 60, requiredSkills: s.skills }).id,
  );
  const servicesFor = providerSkills.map((skills) =>
    SCALE_SERVICES.map((s, i) => [s, i] as const)
      .filter(([s]) => s.skills.every((k) => skills.includes(k)))
      .map(([, i]) => i),
  );
  const customerNames: string[] = [];
  const customerIds: string[] = [];
  for (let i = 0; i < customerCount; i++) {
    const last = rosterRng.pick(LAST_NAMES);
    const name = `${rosterRng.pick(FIRST_NAMES)} ${last}`;
    const address = randomChicagoAddress(rosterRng, { unitChance: 0.2 });
    customerNames.push(last);
    customerIds.push(
      runner.must('createCustomer', { name, email: `customer${i + 1}@example.com`, address: address.address, coordinates: address.coordinates }).id,
    );
  }

  // -- plan -------------------------------------------------------------------------------------------
  const planRng = rng.fork();
  const unassigned = Math.round(bookingCount * unassignedFraction);
  const assigned = bookingCount - unassigned;
  const cells = dates.length * providerCount;
  const perCell = Math.floor(assigned / cells);
  const extraCells = new Set(planRng.sample(Array.from({ length: cells }, (_, i) => i), assigned - perCell * cells));

  const plan: Planned[] = [];
  for (let day = 0; day < dates.length; day++) {
    for (let p = 0; p < providerCount; p++) {
      const k = perCell + (extraCells.has(day * providerCount + p) ? 1 : 0);
      if (k === 0) continue;
      const services = Array.from({ length: k }, () => planRng.pick(servicesFor[p]!));
      let minutes = services.map((s) => SCALE_SERVICES[s]!.minutes);
      let gap = QUARTER;
      if (minutes.reduce((a, b) => a + b, 0) + gap * (k - 1) > DAY_MINUTES) {
        // Too many for one day at their usual length: shorten them all to fit (down to 15 minutes, no gaps).
        gap = k * 2 * QUARTER <= DAY_MINUTES ? QUARTER : 0;
        const each = Math.max(QUARTER, Math.floor((DAY_MINUTES - gap * (k - 1)) / k / QUARTER) * QUARTER);
        minutes = minutes.map(() => each);
      }
      const used = minutes.reduce((a, b) => a + b, 0) + gap * (k - 1);
      // Spread the spare quarters randomly before, between and after the jobs.
      const spare = Math.max(0, Math.floor((DAY_MINUTES - used) / QUARTER));
      const cuts = Array.from({ length: k }, () => planRng.int(0, spare)).sort((a, b) => a - b);
      let cursor = 0;
      for (let i = 0; i < k; i++) {
        const offset = (cursor + cuts[i]! * QUARTER) % DAY_MINUTES; // wraps (overlapping) only when k > 48
        plan.push({ day, offset, minutes: minutes[i]!, provider: p, service: services[i]!, dated: true, overlap: false });
        cursor += minutes[i]! + gap;
      }
    }
  }

  // Overlaps: move a job so it starts 15 minutes after the previous job of the same provider and day.
  const movable = plan
    .map((b, i) => [b, i] as const)
    .filter(([b, i]) => i > 0 && plan[i - 1]!.provider === b.provider && plan[i - 1]!.day === b.day)
    .map(([, i]) => i);
  const overlapCount = Math.min(movable.length, Math.round(assigned * overlapFraction));
  for (const i of planRng.sample(movable, overlapCount).sort((a, b) => a - b)) {
    const prev = plan[i - 1]!;
    const b = plan[i]!;
    b.offset = prev.offset + (prev.minutes > QUARTER ? QUARTER : 0);
    b.overlap = true;
  }

  // Unassigned: half with a date and nobody on them, half with no date.
  const withDate = Math.ceil(unassigned / 2);
  for (let i = 0; i < unassigned; i++) {
    const service = planRng.int(0, SCALE_SERVICES.length - 1);
    const minutes = SCALE_SERVICES[service]!.minutes;
    plan.push({
      day: planRng.int(0, dates.length - 1),
      offset: planRng.int(0, (DAY_MINUTES - minutes) / QUARTER) * QUARTER,
      minutes,
      provider: null,
      service,
      dated: i < withDate,
      overlap: false,
    });
  }
  // Create in date order, as a real office would have (undated ones last).
  const order = plan.map((_, i) => i).sort((a, b) => {
    const x = plan[a]!;
    const y = plan[b]!;
    return Number(!x.dated) - Number(!y.dated) || x.day - y.day || a - b;
  });

  // -- execute ----------------------------------------------------------------------------------------
  const execRng = rng.fork();
  let closed = 0;
  const priorities: ReadonlyArray<readonly [Priority, number]> = [['normal', 80], ['high', 10], ['low', 8], ['emergency', 2]];
  for (const index of order) {
    const b = plan[index]!;
    const customer = execRng.int(0, customerCount - 1);
    const title = `${SCALE_SERVICES[b.service]!.name} – ${customerNames[customer]}`;
    const start = openMs[b.day]! + b.offset * MINUTE_MS;
    const end = start + b.minutes * MINUTE_MS;
    const createdMs = Math.min(nowMs, start - execRng.int(1, 10) * DAY_MS - execRng.int(0, 32) * QUARTER * MINUTE_MS);
    runner.at(createdMs);
    const windowStart = start - execRng.int(0, 3) * QUARTER * MINUTE_MS;
    const input = {
      title,
      customerId: customerIds[customer]!,
      serviceId: serviceIds[b.service]!,
      priority: execRng.weighted(priorities),
      arrivalWindow: execRng.chance(0.3) ? { start: fromMs(windowStart), end: fromMs(windowStart + 2 * HOUR_MS) } : null,
    };
    if (!b.dated) {
      runner.must('createBooking', input);
      continue;
    }
    const slot = { start: fromMs(start), end: fromMs(end), assignees: b.provider === null ? [] : [providerIds[b.provider]!] };
    const { id } = runner.must('createBooking', { ...input, slot });
    if (b.provider === null || end > nowMs || closeFraction === 0 || !execRng.chance(closeFraction)) continue;
    const tech = technicianActor(providerIds[b.provider]!, providerNames[b.provider]!);
    const step = (ms: number) => runner.at(Math.min(nowMs, Math.max(createdMs, ms)));
    step(start - 2 * HOUR_MS);
    runner.must('sendToTech', { id });
    step(start - 20 * MINUTE_MS);
    runner.must('updateStatus', { id, status: 'en_route' }, tech);
    step(start);
    runner.must('updateStatus', { id, status: 'in_progress' }, tech);
    step(end);
    runner.must('updateStatus', { id, status: 'completed' }, tech);
    closed++;
  }
  runner.at(nowMs);

  return {
    providers: providerCount,
    customers: customerCount,
    services: SCALE_SERVICES.length,
    bookings: plan.length,
    assigned,
    unassigned,
    unassignedWithDate: withDate,
    unassignedWithoutDate: unassigned - withDate,
    overlapping: overlapCount,
    closed,
    providerIds,
    firstDay: startDate,
    lastDay,
    commands: runner.commands,
  };
}

/** Well-spread distinct colours: golden-angle hues at fixed saturation and lightness. */
function colorFor(i: number): string {
  const h = (i * 137.508) % 360;
  const s = 0.62;
  const l = 0.45;
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

