import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../model';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { getBooking, listBookings } from '../doc/schedule';
import { listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import { breaksWith, memberBreaks, reasonsOf } from './hard-rules';
import { planningDay, servedBefore, suggest, SuggestIndex, type SuggestInput } from './suggest';

/** Tuesday 2026-11-24 in America/Chicago (CST, UTC-6); hours written out by hand, not by core. */
const chi = (hhmm: string, day = 24) => `2026-11-${day}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;
const DAY = '2026-11-24';
/** Places about 5 km apart along a street of Chicago (0.045° of latitude ≈ 5 km). */
const at = (km: number) => ({ lat: 41.8 + (km / 5) * 0.045, lng: -87.7 });

function org(autoResize = false) {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago', autoResize });
  return ws;
}
function worldOf(ws: Workspace): SuggestInput['world'] {
  const s = readSettings(ws.roster);
  return {
    settings: s,
    providers: new Map(listProviders(ws.roster).map((p) => [p.id, p])),
    services: new Map(listServices(ws.roster).map((x) => [x.id, x])),
  };
}
/** Ranks every provider of the workspace for `id`, reading the whole schedule (no index). */
function rank(ws: Workspace, id: string, day = DAY) {
  const all = listBookings(ws.schedule);
  const booking = getBooking(ws.schedule, id)!;
  return suggest({
    world: worldOf(ws),
    booking,
    day,
    providers: listProviders(ws.roster).filter((p) => p.active),
    bookingsOf: () => all,
    customers: new Map(listCustomers(ws.roster).map((c) => [c.id, c])),
    served: servedBefore(all, booking.customerId, Date.parse(chi('00:00')), booking.id),
  });
}
const book = (ws: Workspace, title: string, start: string, end: string, assignees: string[], extra: Record<string, unknown> = {}) =>
  ws.must('createBooking', { title, teamSize: Math.max(1, assignees.length), slot: { start, end, assignees }, ...extra }).id;

describe('suggest a technician', () => {
  it('plans an undated job in the free gap that adds the least travel, explaining travel and load', () => {
    const ws = org();
    const ana = ws.must('createProvider', { name: 'Ana Silva', coordinates: at(0) }).id;
    ws.must('createProvider', { name: 'Bo Chen', coordinates: at(20) });
    const near = ws.must('createCustomer', { name: 'Jo Near', address: '1 Near St', coordinates: at(1) }).id;
    book(ws, 'Furnace', chi('08:00'), chi('10:00'), [ana], { customerId: near });
    const job = ws.must('createBooking', { title: 'Leak', teamSize: 1, customerId: near }).id;
    const { ranked, time, durationMinutes } = rank(ws, job);
    expect(time).toEqual({ kind: 'chosen', day: DAY });
    expect(durationMinutes).toBe(60);
    expect(ranked.map((s) => s.name)).toEqual(['Ana Silva', 'Bo Chen']);
    const [first, second] = ranked;
    // Right after the furnace job at the same address: no driving at all.
    expect(first!.slot.assignees).toEqual([ana]);
    expect(Date.parse(first!.slot.start)).toBe(Date.parse(chi('10:00')));
    expect(first!.travel.minutes).toBe(0);
    expect(first!.travel.reason).toBe('Travel 0 min (0.0 km) from "Furnace"');
    expect(first!.load.reason).toBe('Day 22% booked (2 h of 9 h), 33% with this job');
    // The furnace job is the same day, not an earlier visit.
    expect(first!.customer.reason).toBe('Has not served this customer before');
    expect(first!.priority.reason).toBe('Normal priority: any free time that day fits');
    // Bo starts at 08:00 from home, 19 km away as the crow flies, times the roads' factor 1.3.
    expect(Date.parse(second!.slot.start)).toBe(Date.parse(chi('08:00')));
    expect(second!.travel.reason).toMatch(/^Travel 4\d min \(2\d\.\d km\) from their home base$/);
    expect(second!.customer.reason).toBe('Has not served this customer before');

    expect(ranked.every((s) => s.ok)).toBe(true);
  });

  it('between two stops counts the detour, not the two legs', () => {
    const ws = org();
    const ana = ws.must('createProvider', { name: 'Ana Silva', coordinates: at(0) }).id;
    book(ws, 'North', chi('08:00'), chi('09:00'), [ana], { location: { address: 'North', coordinates: at(0) } });
    book(ws, 'South', chi('11:00'), chi('12:00'), [ana], { location: { address: 'South', coordinates: at(10) } });
    const job = ws.must('createBooking', { title: 'Middle', teamSize: 1, location: { address: 'Middle', coordinates: at(5) } }).id;
    const [only] = rank(ws, job).ranked;
    // On the way from North to South: 13 min each leg (6.5 road km at 30 km/h), nothing added.
    expect(Date.parse(only!.slot.start)).toBe(Date.parse(chi('09:00')));
    expect(only!.travel.reason).toMatch(/^Travel 13 min \(6\.5 km\) from "North", 13 min \(6\.5 km\) on to "South": 0 min added$/);
    expect(only!.travel.minutes).toBeLessThan(0.5);
    // An organization in miles reads the legs in miles.
    ws.must('updateSettings', { distanceUnit: 'mi' });
    expect(rank(ws, job).ranked[0]!.travel.reason).toMatch(/^Travel 13 min \(4\.0 mi\) from "North", 13 min \(4\.0 mi\) on to "South": 0 min added$/);
  });

  it('an undated job whose arrival window is on another day is planned on that day, inside the window', () => {
    const ws = org();
    const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
    book(ws, 'Wednesday job', chi('09:00', 25), chi('11:00', 25), [ana]);
    const job = getBooking(ws.schedule, ws.must('createBooking', { title: 'Windowed', teamSize: 1, arrivalWindow: { start: chi('10:00', 25), end: chi('12:00', 25) } }).id)!;
    expect(planningDay(job, DAY, 'America/Chicago')).toBe('2026-11-25');
    // The board shows Tuesday; the window says Wednesday: after Ana's Wednesday job, still inside the window.
    const [only] = rank(ws, job.id, DAY).ranked;
    expect(only).toMatchObject({ ok: true, slot: { start: chi('11:00', 25) } });
    expect(only!.load.reason).toMatch(/^Day 22% booked/);
  });

  it('does not plan an undated job in the past: the next quarter hour from now, on today', () => {
    const ws = org();
    ws.must('createProvider', { name: 'Ana Silva' });
    const job = getBooking(ws.schedule, ws.must('createBooking', { title: 'Leak', teamSize: 1 }).id)!;
    const all = listBookings(ws.schedule);
    const input = { world: worldOf(ws), booking: job, day: DAY, providers: listProviders(ws.roster), bookingsOf: () => all, customers: new Map(), served: new Map() };
    expect(suggest({ ...input, notBefore: Date.parse(chi('10:07')) }).ranked[0]!.slot.start).toBe(chi('10:15'));
    // Planning a day already over: as asked, from the start of the working day.
    expect(suggest({ ...input, notBefore: Date.parse(chi('10:07', 27)) }).ranked[0]!.slot.start).toBe(chi('08:00'));
  });

  it('lists providers who break a hard rule last, with the engine’s reasons', () => {
    const ws = org();
    const svc = ws.must('createService', { name: 'Gas fitting', requiredSkills: ['gas'] }).id;
    const ana = ws.must('createProvider', { name: 'Ana Silva', skills: ['gas'] }).id;
    ws.must('createProvider', { name: 'Bo Chen', skills: [] });
    const cy = ws.must('createProvider', { name: 'Cy Park', skills: ['gas'] }).id;
    const di = ws.must('createProvider', { name: 'Di Ng', skills: ['gas'] }).id;
    ws.must('addTimeOff', { providerId: di, start: chi('08:00'), end: chi('17:00'), reason: 'Training' });
    book(ws, 'Boiler', chi('09:00'), chi('11:00'), [cy]);
    const job = ws.must('createBooking', { title: 'Gas line', teamSize: 1, serviceId: svc, slot: { start: chi('10:00'), end: chi('11:00'), assignees: [] } }).id;
    const { ranked, time } = rank(ws, job);
    expect(time).toEqual({ kind: 'kept', start: chi('10:00') });
    expect(ranked[0]).toMatchObject({ providerId: ana, ok: true, hardReasons: [] });
    const out = Object.fromEntries(ranked.slice(1).map((s) => [s.name, s.hardReasons]));
    expect(out).toEqual({
      'Bo Chen': ['Bo Chen lacks the skill gas'],
      'Cy Park': [expect.stringMatching(/^Cy Park is double-booked with "Boiler"/)],
      'Di Ng': [expect.stringMatching(/^Di Ng is off \(Training\)/)],
    });
    // A job with a time keeps it for everyone.
    expect(ranked.every((s) => Date.parse(s.slot.start) === Date.parse(chi('10:00')))).toBe(true);
    expect(ranked.slice(1).every((s) => !s.ok)).toBe(true);
  });

  it('says when no working time is free, and what is outside the hours', () => {
    const ws = org();
    const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
    book(ws, 'All day', chi('08:00'), chi('17:00'), [ana]);
    const job = ws.must('createBooking', { title: 'Leak', teamSize: 1 }).id;
    const [only] = rank(ws, job).ranked;
    expect(only!.ok).toBe(false);
    expect(only!.hardReasons[0]).toMatch(/double-booked with "All day"/);
    expect(only!.load.reason).toBe('Day 100% booked (9 h of 9 h), 111% with this job: over capacity');
    // Saturday: no hours at all.
    const [sat] = rank(ws, job, '2026-11-28').ranked;
    expect(sat!.ok).toBe(false);
    expect(sat!.load.reason).toBe('No working time on this day');
    expect(sat!.hardReasons[0]).toMatch(/outside Ana Silva's working hours/);
  });

  it('prefers the earliest start for an emergency, and says by how much another is later', () => {
    const ws = org();
    const ana = ws.must('createProvider', { name: 'Ana Silva', coordinates: at(0) }).id;
    ws.must('createProvider', { name: 'Bo Chen', coordinates: at(0) });
    const far = ws.must('createCustomer', { name: 'Far Co', address: '9 Far Rd', coordinates: at(0) }).id;
    book(ws, 'Morning', chi('08:00'), chi('11:00'), [ana]);
    const job = ws.must('createBooking', { title: 'Flood', teamSize: 1, priority: 'emergency', customerId: far }).id;
    const { ranked } = rank(ws, job);
    expect(ranked.map((s) => s.name)).toEqual(['Bo Chen', 'Ana Silva']);
    expect(ranked[0]!.priority.reason).toBe('Emergency: the earliest start of anyone (08:00)');
    expect(ranked[1]!.priority.reason).toBe('Emergency: starts 11:00, 3 h after the earliest possible (08:00)');
    expect(ranked[1]!.priority.points).toBeGreaterThan(0);
    // A 12 h organization reads its own clock in the reasons.
    ws.must('updateSettings', { timeFormat: '12h' });
    const twelve = rank(ws, job).ranked;
    expect(twelve[0]!.priority.reason).toBe('Emergency: the earliest start of anyone (8:00 AM)');
    expect(twelve[1]!.priority.reason).toBe('Emergency: starts 11:00 AM, 3 h after the earliest possible (8:00 AM)');
  });

  it('rewards having served the customer before, counting only their earlier live jobs', () => {
    const ws = org();
    const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
    const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
    const cust = ws.must('createCustomer', { name: 'Jo Smith', address: '1 Main St' }).id;
    book(ws, 'Old 1', chi('09:00', 10), chi('10:00', 10), [bo], { customerId: cust });
    book(ws, 'Old 2', chi('09:00', 17), chi('10:00', 17), [bo], { customerId: cust });
    const gone = book(ws, 'Old 3', chi('09:00', 18), chi('10:00', 18), [ana], { customerId: cust });
    ws.must('cancelBooking', { id: gone, reason: 'Moved away' });
    book(ws, 'Later', chi('09:00', 26), chi('10:00', 26), [ana], { customerId: cust });
    const job = ws.must('createBooking', { title: 'Tune-up', teamSize: 1, customerId: cust }).id;
    const { ranked } = rank(ws, job);
    expect(ranked[0]).toMatchObject({ providerId: bo, customer: { jobs: 2, reason: 'Served this customer before (2 jobs)' } });
    expect(ranked[1]).toMatchObject({ providerId: ana, customer: { jobs: 0 } });
    expect(ranked[0]!.score).toBeLessThan(ranked[1]!.score);
  });

  it('suggests a crew for a team job, each member free and the whole crew breaking no rule', () => {
    const ws = org(true);
    const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
    const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
    const cy = ws.must('createProvider', { name: 'Cy Park' }).id;
    book(ws, 'Cy busy', chi('08:00'), chi('17:00'), [cy], { laborHours: 9 });
    const job = ws.must('createBooking', { title: 'Roof', teamSize: 2, laborHours: 4 }).id;
    const result = rank(ws, job);
    expect(result.crew).toMatchObject({ providerIds: [ana, bo], names: ['Ana Silva', 'Bo Chen'] });
    expect(result.crew!.reason).toBe('Ana Silva and Bo Chen: the 2 best-scored technicians free together at 08:00 (chosen greedily)');
    const booking = getBooking(ws.schedule, job)!;
    expect(breaksWith(worldOf(ws), listBookings(ws.schedule), booking, result.crew!.slot)).toEqual([]);
    // Alone, each member is judged on their share; Cy is busy all day.
    expect(result.ranked.map((s) => [s.name, s.ok])).toEqual([['Ana Silva', true], ['Bo Chen', true], ['Cy Park', false]]);
    // Free alone but never together: Ana in the morning only, Bo in the afternoon only.
    const apart = org();
    const a = apart.must('createProvider', { name: 'Ana Silva' }).id;
    const b = apart.must('createProvider', { name: 'Bo Chen' }).id;
    book(apart, 'Ana pm', chi('12:00'), chi('17:00'), [a]);
    book(apart, 'Bo am', chi('08:00'), chi('12:00'), [b]);
    const split = apart.must('createBooking', { title: 'Roof', teamSize: 2, laborHours: 6 }).id;
    expect(rank(apart, split)).toMatchObject({ crew: null, crewReason: 'No crew of 2: the 2 technicians who could take it alone are never free together that day' });
    // A crew found at a start that is neither member's own best: Ana's best is 08:00, Bo's 12:00; together 13:00.
    const both = org();
    const x = both.must('createProvider', { name: 'Ana Silva' }).id;
    const y = both.must('createProvider', { name: 'Bo Chen' }).id;
    book(both, 'Ana late morning', chi('10:00'), chi('13:00'), [x]);
    book(both, 'Bo morning', chi('08:00'), chi('12:00'), [y]);
    const pair = both.must('createBooking', { title: 'Roof', teamSize: 2, laborHours: 4 }).id;
    const found = rank(both, pair);
    expect(found.ranked.map((s) => [s.name, Date.parse(s.slot.start)])).toEqual([['Ana Silva', Date.parse(chi('08:00'))], ['Bo Chen', Date.parse(chi('12:00'))]]);
    expect(found.crew).toMatchObject({ providerIds: [x, y] });
    expect(Date.parse(found.crew!.slot.start)).toBe(Date.parse(chi('13:00')));
    const three = ws.must('createBooking', { title: 'Big roof', teamSize: 3, laborHours: 6 }).id;
    expect(rank(ws, three)).toMatchObject({ crew: null, crewReason: 'No crew of 3: only 2 technicians are free without breaking a rule' });
  });
});

// eslint-disable-next-line no-restricted-globals -- tests run under Node; core itself never reads the environment
const env = process.env;
const RUNS = Number(env.SUGGEST_RUNS ?? 60);
const SEED = env.FC_SEED !== undefined ? Number(env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('suggest on random boards (seeded)', () => {
  it(`never calls a provider fine whom the engine would fault, is deterministic, and the index changes nothing (${RUNS} runs)`, () => {
    console.log(`suggest properties: seed ${SEED}, ${RUNS} runs (replay with FC_SEED=${SEED} SUGGEST_RUNS=${RUNS})`);
    const jobArb = fc.record({
      start: fc.integer({ min: 0, max: 56 }), // quarter hours from 04:00
      length: fc.integer({ min: 1, max: 16 }),
      who: fc.subarray([0, 1, 2, 3], { minLength: 0, maxLength: 2 }),
      customer: fc.integer({ min: 0, max: 2 }),
      day: fc.constantFrom(23, 24, 25),
    });
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(jobArb, { maxLength: 14 }),
        fc.record({
          dated: fc.boolean(),
          start: fc.integer({ min: 0, max: 56 }),
          teamSize: fc.integer({ min: 1, max: 3 }),
          priority: fc.constantFrom('low', 'normal', 'high', 'emergency'),
          skilled: fc.boolean(),
          window: fc.boolean(),
        }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (autoResize, jobs, target, offs) => {
          const ws = org(autoResize);
          const svc = ws.must('createService', { name: 'Gas', requiredSkills: ['gas'] }).id;
          const names = ['Ana', 'Bo', 'Cy', 'Di'];
          const ids = names.map((name, i) => ws.must('createProvider', { name, skills: i % 2 ? ['gas'] : [], coordinates: at(i * 3) }).id);
          offs.forEach((off, i) => off && ws.must('addTimeOff', { providerId: ids[i]!, start: chi('12:00'), end: chi('14:00'), reason: '' }));
          const customers = [0, 1, 2].map((i) => ws.must('createCustomer', { name: `C${i}`, address: `${i} St`, coordinates: at(i * 7) }).id);
          const hhmm = (q: number) => `${String(4 + Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
          const iso = (q: number, day: number) => new Date(Date.parse(chi(hhmm(0), day)) + q * 15 * 60_000).toISOString();
          jobs.forEach((j, n) => {
            const assignees = j.who.map((w) => ids[w]!);
            ws.must('createBooking', {
              title: `J${n}`,
              teamSize: Math.max(1, assignees.length),
              customerId: customers[j.customer]!,
              slot: { start: iso(j.start, j.day), end: iso(j.start + j.length, j.day), assignees },
            });
          });
          const job = ws.must('createBooking', {
            title: 'Target',
            teamSize: target.teamSize,
            priority: target.priority as Booking['priority'],
            customerId: customers[0]!,
            ...(target.skilled ? { serviceId: svc } : {}),
            ...(target.window ? { arrivalWindow: { start: chi('10:00'), end: chi('13:00') } } : {}),
            ...(target.dated ? { slot: { start: iso(target.start, 24), end: iso(target.start + 4, 24), assignees: [] } } : {}),
          }).id;
          const world = worldOf(ws);
          const all = listBookings(ws.schedule);
          const booking = getBooking(ws.schedule, job)!;
          const first = rank(ws, job);
          // Every provider is listed once, the fine ones first.
          expect(first.ranked.map((s) => s.providerId).sort()).toEqual([...ids].sort());
          const firstBad = first.ranked.findIndex((s) => !s.ok);
          if (firstBad >= 0) expect(first.ranked.slice(firstBad).every((s) => !s.ok)).toBe(true);
          for (const s of first.ranked) {
            // A crew member is judged on their own share (no team-size verdict for a crew of one).
            const verdict = booking.teamSize > 1 ? memberBreaks(world, all, booking, s.slot, s.providerId) : breaksWith(world, all, booking, s.slot);
            expect(s.hardReasons).toEqual(reasonsOf(verdict));
            expect(s.ok).toBe(s.hardReasons.length === 0);
            if (s.ok) expect(s.slot.assignees).toEqual([s.providerId]);
            if (target.dated) expect(Date.parse(s.slot.start)).toBe(Date.parse(booking.slot!.start));
          }
          if (first.crew) {
            expect(first.crew.providerIds).toHaveLength(booking.teamSize);
            expect(breaksWith(world, all, booking, first.crew.slot)).toEqual([]);
          }
          // The same input, providers in another order, read through the per-day index: the same answer.
          const index = new SuggestIndex(all, world.settings.timeZone);
          const again = suggest({
            world,
            booking,
            day: DAY,
            providers: listProviders(ws.roster).reverse(),
            bookingsOf: (p) => index.bookingsOf(p, DAY),
            customers: new Map(listCustomers(ws.roster).map((c) => [c.id, c])),
            served: index.served(booking.customerId, Date.parse(chi('00:00')), booking.id),
          });
          expect(again).toEqual(first);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
