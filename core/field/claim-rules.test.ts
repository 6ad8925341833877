import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { conflictWorldOf, listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import { getBooking, listBookings } from '../doc/schedule';
import type { Actor } from '../model';
import { fromMs, localToMs } from '../time';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { claimRefusals, providerLoad } from './claim-rules';
import { availableJobs, type FieldWorld } from './field-jobs';

/**
 * Self-dispatch obeys the hard rules (issue #19 §6): `claimJob` refuses, with the conflict engine's own
 * sentences, a claim that would break one, and the available list marks such jobs with the same reasons.
 * Chicago is UTC-6 in late November; 2026-11-24 is a Tuesday.
 */

const ZONE = 'America/Chicago';
const at = (hhmm: string, date = '2026-11-24') => fromMs(localToMs(date, hhmm, ZONE));

interface Org {
  ws: Workspace;
  eli: string;
  pia: string;
  techEli: Actor;
  techPia: Actor;
  plumbing2: string;
}

function org(): Org {
  const ws = createWorkspace({ now: '2026-11-24T12:00:00Z' });
  ws.must('initializeOrganization', { name: 'Acme', timeZone: ZONE, selfDispatch: true });
  const eli = ws.must('createProvider', { name: 'Eli Volt', skills: ['electrical'] }).id;
  const pia = ws.must('createProvider', { name: 'Pia Pipe', skills: ['plumbing'] }).id;
  const plumbing2 = ws.must('createService', { name: 'Pipe replacement', durationMinutes: 120, laborHours: 4, teamSize: 2, requiredSkills: ['plumbing'] }).id;
  return {
    ws,
    eli,
    pia,
    plumbing2,
    techEli: { id: 'user-eli', name: 'Eli Volt', role: 'technician', providerId: eli },
    techPia: { id: 'user-pia', name: 'Pia Pipe', role: 'technician', providerId: pia },
  };
}

const open = (o: Org, title: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
  o.ws.must('createBooking', { title, slot: { start, end, assignees: [] }, ...extra }).id;

const snapshot = (ws: Workspace) => [Y.encodeStateAsUpdate(ws.roster), Y.encodeStateAsUpdate(ws.schedule)];

function refused(o: Org, id: string, actor: Actor): string[] {
  const before = snapshot(o.ws);
  const r = o.ws.run('claimJob', { id }, actor);
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (r.ok) return [];
  expect(r.error.code).toBe('conflict');
  const reasons = r.error.details?.reasons as string[];
  expect(r.error.message).toBe(`You cannot take this job: ${reasons.join('; ')}`);
  expect(snapshot(o.ws)).toEqual(before); // nothing written
  return reasons;
}

const worldOf = (ws: Workspace): FieldWorld => ({
  settings: readSettings(ws.roster),
  providers: listProviders(ws.roster),
  customers: listCustomers(ws.roster),
  services: listServices(ws.roster),
  bookings: listBookings(ws.schedule),
});

describe('claimJob obeys the hard rules', () => {
  it('refuses an electrician a two-person plumbing job outside his hours, naming every rule it breaks', () => {
    const o = org();
    const id = open(o, 'Burst pipe', at('18:00'), at('20:00'), { serviceId: o.plumbing2 });
    const reasons = refused(o, id, o.techEli);
    expect(reasons).toEqual([
      'Understaffed: needs 2 people, 1 assigned',
      "18:00–20:00 is outside Eli Volt's working hours",
      'Eli Volt lacks the skill plumbing',
    ]);
    expect(getBooking(o.ws.schedule, id)!.slot!.assignees).toEqual([]);
    // A plumber within hours is still refused a two-person job alone: team size is a hard rule too.
    const inHours = open(o, 'Main line', at('09:00'), at('11:00'), { serviceId: o.plumbing2 });
    expect(refused(o, inHours, o.techPia)).toEqual(['Understaffed: needs 2 people, 1 assigned']);
  });

  it('refuses a double-booking and time off; accepts the same technician for a free hour', () => {
    const o = org();
    o.ws.must('createBooking', { title: 'Leaky tap', slot: { start: at('10:00'), end: at('11:00'), assignees: [o.pia] } });
    const overlap = open(o, 'Drain clog', at('10:30'), at('11:30'));
    expect(refused(o, overlap, o.techPia)).toEqual(['Pia Pipe is double-booked with "Leaky tap" 10:00–11:00']);
    o.ws.must('addTimeOff', { providerId: o.pia, start: at('14:00'), end: at('16:00'), reason: 'Dentist' });
    const duringOff = open(o, 'Toilet fix', at('15:00'), at('16:00'));
    expect(refused(o, duringOff, o.techPia)).toEqual([expect.stringMatching(/^Pia Pipe is off \(Dentist\)/)]);

    const free = open(o, 'Shower valve', at('12:00'), at('13:00'));
    const r = o.ws.run('claimJob', { id: free }, o.techPia);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(getBooking(o.ws.schedule, free)).toMatchObject({ status: 'dispatched', slot: { assignees: [o.pia] } });
    // Touching end to start is no overlap: the next hour is still free for her.
    const next = open(o, 'Sink trap', at('13:00'), at('13:30'));
    expect(o.ws.run('claimJob', { id: next }, o.techPia).ok).toBe(true);
  });

  it("does not refuse for a problem the job has with nobody on it (a slot missing its arrival window)", () => {
    const o = org();
    const id = open(o, 'Late window', at('12:00'), at('13:00'), { arrivalWindow: { start: at('08:00'), end: at('09:00') } });
    expect(o.ws.run('claimJob', { id }, o.techPia).ok).toBe(true);
  });

  it('the first valid claim wins; the second technician is refused as before', () => {
    const o = org();
    const id = open(o, 'Either of them', at('09:00'), at('10:00'));
    expect(o.ws.run('claimJob', { id }, o.techEli).ok).toBe(true);
    const second = o.ws.run('claimJob', { id }, o.techPia);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.message).toBe('Someone else already took this job');
  });
});

describe('the available list says why a technician cannot claim', () => {
  it('marks each job with the same reasons the claim would be refused with, and nothing for one they can take', () => {
    const o = org();
    o.ws.must('createBooking', { title: 'Leaky tap', slot: { start: at('10:00'), end: at('11:00'), assignees: [o.pia] } });
    const team = open(o, 'Burst pipe', at('18:00'), at('20:00'), { serviceId: o.plumbing2 });
    const overlap = open(o, 'Drain clog', at('10:30'), at('11:30'));
    const free = open(o, 'Shower valve', at('12:00'), at('13:00'));
    const world = worldOf(o.ws);
    const forPia = new Map(availableJobs(world, '2026-11-24', 14, 200, o.pia).map((j) => [j.id, j.cannotClaim]));
    expect(forPia.get(free)).toEqual([]);
    expect(forPia.get(overlap)).toEqual(['Pia Pipe is double-booked with "Leaky tap" 10:00–11:00']);
    expect(forPia.get(team)).toEqual(['Understaffed: needs 2 people, 1 assigned', "18:00–20:00 is outside Pia Pipe's working hours"]);
    // Eli has no job at 10:00, so the overlap is his to take; he lacks plumbing for the team job.
    const forEli = new Map(availableJobs(world, '2026-11-24', 14, 200, o.eli).map((j) => [j.id, j.cannotClaim]));
    expect(forEli.get(overlap)).toEqual([]);
    expect(forEli.get(team)).toContain('Eli Volt lacks the skill plumbing');
    // Without a provider the list is as before: nobody's verdict.
    expect(availableJobs(world, '2026-11-24', 14).every((j) => j.cannotClaim.length === 0)).toBe(true);

    // The list and the command agree, job by job.
    for (const [id, reasons] of forPia) {
      const r = o.ws.run('claimJob', { id }, o.techPia);
      expect(r.ok ? [] : (r.error.details?.reasons ?? [r.error.message])).toEqual(reasons);
    }
  });

  it('judges one provider against their own overlapping jobs only (indexed once per answer)', () => {
    const o = org();
    const world = conflictWorldOf(o.ws.roster);
    for (let i = 0; i < 50; i++) {
      o.ws.must('createBooking', { title: `Pia ${i}`, slot: { start: at('08:00', `2026-12-${String(1 + (i % 20)).padStart(2, '0')}`), end: at('08:30', `2026-12-${String(1 + (i % 20)).padStart(2, '0')}`), assignees: [o.pia] } });
    }
    const id = open(o, 'Tuesday', at('08:15', '2026-12-01'), at('09:00', '2026-12-01'));
    const bookings = listBookings(o.ws.schedule);
    const load = providerLoad(world, o.pia, bookings);
    expect(load.items).toHaveLength(50);
    const reasons = claimRefusals(world, load, bookings.find((b) => b.id === id)!);
    expect(reasons).toEqual(['Pia Pipe is double-booked with "Pia 0" 08:00–08:30', 'Pia Pipe is double-booked with "Pia 20" 08:00–08:30', 'Pia Pipe is double-booked with "Pia 40" 08:00–08:30']);
  });
});
