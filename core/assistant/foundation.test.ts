import { describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { findConflicts } from '../conflicts';
import { listBookings, getBooking } from '../doc/schedule';
import { listProviders, listServices, readSettings } from '../doc/roster';
import { availableMinutes, bandOf, dayLoad, utilizationLabel } from './capacity';
import { breaksWith, memberBreaks, reasonsOf } from './hard-rules';

/** Tuesday 2026-11-24 in America/Chicago (CST, UTC-6); hours written out by hand, not by core. */
const chi = (hhmm: string, day = 24) => `2026-11-${day}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;

function org(autoResize = false) {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago', autoResize });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id; // Mon–Fri 08:00–17:00
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  return { ws, ana, bo };
}
function worldOf(ws: Workspace) {
  const s = readSettings(ws.roster);
  return {
    settings: { timeZone: s.timeZone, autoResize: s.autoResize },
    providers: new Map(listProviders(ws.roster).map((p) => [p.id, p])),
    services: new Map(listServices(ws.roster).map((x) => [x.id, x])),
  };
}
const book = (ws: Workspace, title: string, start: string, end: string, assignees: string[], teamSize = Math.max(1, assignees.length), laborHours?: number) =>
  ws.must('createBooking', { title, teamSize, ...(laborHours ? { laborHours } : {}), slot: { start, end, assignees } }).id;

describe('hard rules are the engine’s rules', () => {
  it('reports what the engine would say for a candidate slot, and nothing for a free one', () => {
    const { ws, ana, bo } = org();
    book(ws, 'Furnace', chi('09:00'), chi('11:00'), [ana]);
    const job = getBooking(ws.schedule, book(ws, 'Leak', chi('13:00'), chi('14:00'), []))!;
    const world = worldOf(ws);
    const all = listBookings(ws.schedule);
    const clash = breaksWith(world, all, job, { start: chi('10:00'), end: chi('11:30'), assignees: [ana] });
    expect(clash.map((c) => c.kind)).toEqual(['double_booking']);
    expect(reasonsOf(clash)[0]).toMatch(/Ana Silva is double-booked with "Furnace"/);
    expect(breaksWith(world, all, job, { start: chi('10:00'), end: chi('11:30'), assignees: [bo] })).toEqual([]);
    const late = breaksWith(world, all, job, { start: chi('16:30'), end: chi('17:30'), assignees: [bo] });
    expect(late.map((c) => c.kind)).toEqual(['outside_hours']);
  });

  it('judges a crew member on their own share, without the team-size verdict', () => {
    const { ws, ana } = org(true);
    // Four labor hours for two people: each is busy two hours from 15:00, inside Ana's day.
    const job = getBooking(ws.schedule, book(ws, 'Roof', chi('15:00'), chi('17:00'), [], 2, 4))!;
    const world = worldOf(ws);
    const all = listBookings(ws.schedule);
    expect(memberBreaks(world, all, job, job.slot!, ana)).toEqual([]);
    expect(breaksWith(world, all, job, { ...job.slot!, assignees: [ana] }).map((c) => c.kind).sort()).toEqual(['outside_hours', 'understaffed']);
  });
});

describe('capacity of a day', () => {
  it('is working hours minus time off, against booked hours of live jobs', () => {
    const { ws, ana, bo } = org();
    ws.must('addTimeOff', { providerId: ana, start: chi('08:00'), end: chi('12:00'), reason: 'Dentist' });
    // Overlapping time off counts once.
    ws.must('addTimeOff', { providerId: ana, start: chi('11:00'), end: chi('13:00'), reason: 'Errand' });
    book(ws, 'A', chi('13:00'), chi('15:00'), [ana]);
    book(ws, 'B', chi('14:00'), chi('15:30'), [ana]);
    const cancelled = book(ws, 'C', chi('15:30'), chi('16:30'), [ana]);
    ws.must('cancelBooking', { id: cancelled, reason: 'Customer called' });
    const world = worldOf(ws);
    const all = listBookings(ws.schedule);
    const conflicts = findConflicts(world, all);
    const load = dayLoad(world, world.providers.get(ana)!, '2026-11-24', all, conflicts);
    expect(load).toMatchObject({ availableMinutes: 240, bookedMinutes: 210, jobs: 2, conflicts: 2, band: 'full' });
    expect(utilizationLabel(load)).toBe('88%');
    const boLoad = dayLoad(world, world.providers.get(bo)!, '2026-11-24', all, conflicts);
    expect(boLoad).toMatchObject({ availableMinutes: 540, bookedMinutes: 0, jobs: 0, band: 'idle', utilization: 0 });
    // Saturday: no hours.
    expect(availableMinutes(world.providers.get(bo)!, '2026-11-28', 'America/Chicago')).toBe(0);
    expect(utilizationLabel(dayLoad(world, world.providers.get(bo)!, '2026-11-28', all, conflicts))).toBe('Off');
  });

  it('names the bands at their edges', () => {
    expect(bandOf(0, 0)).toBe('off');
    expect(bandOf(0, 30)).toBe('over');
    expect(bandOf(100, 101)).toBe('over');
    expect(bandOf(100, 85)).toBe('full');
    expect(bandOf(100, 84)).toBe('normal');
    expect(bandOf(100, 25)).toBe('normal');
    expect(bandOf(100, 24)).toBe('idle');
  });
});

describe('time freedom', () => {
  it('free within the day, bounded by the arrival window, fixed once sent', async () => {
    const { timeFreedom } = await import('./time-freedom');
    const { ws, ana, bo } = org();
    const loose = getBooking(ws.schedule, book(ws, 'Loose', chi('10:00'), chi('11:00'), [ana]))!;
    expect(timeFreedom(loose, '2026-11-24', 'America/Chicago')).toEqual({ kind: 'free', from: Date.parse(chi('00:00')), to: Date.parse('2026-11-25T06:00:00Z') - 1 });
    const windowed = getBooking(ws.schedule, ws.must('createBooking', {
      title: 'Windowed', teamSize: 1, slot: { start: chi('10:00'), end: chi('11:00'), assignees: [ana] },
      arrivalWindow: { start: chi('09:00'), end: chi('12:00') },
    }).id)!;
    expect(timeFreedom(windowed, '2026-11-24', 'America/Chicago')).toEqual({ kind: 'free', from: Date.parse(chi('09:00')), to: Date.parse(chi('12:00')) });
    ws.must('sendToTech', { id: loose.id });
    const sent = getBooking(ws.schedule, loose.id)!;
    expect(timeFreedom(sent, '2026-11-24', 'America/Chicago')).toMatchObject({ kind: 'fixed', start: Date.parse(chi('10:00')) });
    const undated = getBooking(ws.schedule, ws.must('createBooking', { title: 'Undated', teamSize: 1 }).id)!;
    expect(timeFreedom(undated, '2026-11-25', 'America/Chicago')).toMatchObject({ kind: 'free', from: Date.parse('2026-11-25T06:00:00Z') });
    const crew = getBooking(ws.schedule, book(ws, 'Crew', chi('13:00'), chi('14:00'), [ana, bo], 2))!;
    expect(timeFreedom(crew, '2026-11-24', 'America/Chicago', true)).toMatchObject({ kind: 'fixed' });
  });
});
