import { describe, expect, it } from 'vitest';
import { cardBooking, type CardBooking } from '../../../../core/api/contract';
import { findConflicts } from '../../../../core/conflicts';
import { listProviders, listServices, readSettings } from '../../../../core/doc/roster';
import { listBookings } from '../../../../core/doc/schedule';
import { createWorkspace, type Workspace } from '../../../../core/testing/fixture';
import { bookingsByProvider, daysOf, loadCellId, loadCellOf, loadFigure, loadsOnDay, loadsOnDays, loadSentence } from './board-load';
import { fillClass, loadCellHtml } from './load-html';

/** Chicago local time on a November 2026 day (CST, UTC−6), written out by hand. */
const chi = (hhmm: string, day = 24) => `2026-11-${day}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;

function org(autoResize = false) {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago', autoResize });
  // Default hours: Mon–Fri 08:00–17:00 (9 h).
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  const cy = ws.must('createProvider', { name: 'Cy Moss' }).id;
  return { ws, ana, bo, cy };
}

function boardOf(ws: Workspace) {
  const s = readSettings(ws.roster);
  const providers = listProviders(ws.roster);
  const world = {
    settings: { timeZone: s.timeZone, autoResize: s.autoResize },
    providers: new Map(providers.map((p) => [p.id, p])),
    services: new Map(listServices(ws.roster).map((x) => [x.id, x])),
  };
  const all = listBookings(ws.schedule);
  const conflicts = Object.fromEntries(findConflicts(world, all));
  // What the board store holds: card bookings, conflicts per id.
  const bookings: CardBooking[] = all.map((b) => cardBooking({ ...b, staged: false }));
  return { world, providers, bookings, conflicts };
}

const book = (ws: Workspace, title: string, start: string, end: string, assignees: string[], extra: { teamSize?: number; laborHours?: number } = {}) =>
  ws.must('createBooking', { title, slot: { start, end, assignees }, ...extra }).id;

describe('row label load', () => {
  it('is available hours (working hours minus time off) against booked hours, with the jobs and conflicts of the day', () => {
    const { ws, ana, bo, cy } = org();
    // Ana: 08:00–17:00 minus 13:00–17:00 off = 5 h available; 3 h booked (one job overlaps her time off).
    ws.must('addTimeOff', { providerId: ana, start: chi('13:00'), end: chi('17:00'), reason: 'Dentist' });
    book(ws, 'Furnace', chi('09:00'), chi('11:00'), [ana]);
    book(ws, 'Leak', chi('12:30'), chi('13:30'), [ana]);
    // Bo: 11 h booked on a 9 h day, two jobs double-booked.
    book(ws, 'Roof', chi('07:00'), chi('15:00'), [bo]);
    book(ws, 'Gutter', chi('14:00'), chi('17:00'), [bo]);
    // Another day's job counts nowhere today.
    book(ws, 'Tomorrow', chi('09:00', 25), chi('12:00', 25), [cy]);
    const { world, providers, bookings, conflicts } = boardOf(ws);
    const loads = loadsOnDay(world, providers, '2026-11-24', bookings, conflicts);

    const a = loads.get(ana)!;
    expect(a).toMatchObject({ availableMinutes: 300, bookedMinutes: 180, jobs: 2, conflicts: 1, band: 'normal', percent: '60%', flag: null });
    expect(a.fill).toBeCloseTo(0.6);
    expect(a.hours).toBe('3 of 5 h');
    expect(a.counts).toBe('2 jobs · 1 conflict');

    const b = loads.get(bo)!;
    expect(b).toMatchObject({ availableMinutes: 540, bookedMinutes: 660, jobs: 2, conflicts: 2, band: 'over', percent: '122%', flag: 'Overbooked', fill: 1 });

    const c = loads.get(cy)!;
    expect(c).toMatchObject({ availableMinutes: 540, bookedMinutes: 0, jobs: 0, band: 'idle', percent: '0%', flag: 'Idle', counts: '0 jobs' });
  });

  it('counts a team job for every assignee, by their labor share under auto-resize', () => {
    const { ws, ana, bo } = org(true);
    // 6 labor hours for two: each busy 3 h from 09:00, whatever the slot's end says.
    book(ws, 'Boiler', chi('09:00'), chi('10:00'), [ana, bo], { teamSize: 2, laborHours: 6 });
    const { world, providers, bookings, conflicts } = boardOf(ws);
    const loads = loadsOnDay(world, providers, '2026-11-24', bookings, conflicts);
    expect(loads.get(ana)).toMatchObject({ bookedMinutes: 180, jobs: 1, percent: '33%' });
    expect(loads.get(bo)).toMatchObject({ bookedMinutes: 180, jobs: 1, percent: '33%' });
  });

  it('shows a weekend as Off, and a job on a day off as overbooked', () => {
    const { ws, ana, bo } = org();
    book(ws, 'Saturday call', chi('10:00', 28), chi('12:00', 28), [bo]);
    const { world, providers, bookings, conflicts } = boardOf(ws);
    const loads = loadsOnDay(world, providers, '2026-11-28', bookings, conflicts);
    expect(loads.get(ana)).toMatchObject({ band: 'off', percent: 'Off', flag: 'Off', fill: 0, utilization: null });
    expect(loads.get(bo)).toMatchObject({ band: 'over', percent: 'Booked on a day off', flag: 'Overbooked', fill: 1, conflicts: 1 });
    expect(loadSentence('Bo Chen', 'Sat, Nov 28', loads.get(bo)!)).toBe('Bo Chen, Sat, Nov 28: Booked on a day off, 2 of 0 h, 1 job · 1 conflict. Overbooked.');
  });
});

describe('week overview cells', () => {
  it('gives each provider one figure per day, in order, from one pass over the bookings', () => {
    const { ws, ana, bo } = org();
    ws.must('addTimeOff', { providerId: ana, start: chi('00:00', 25), end: chi('00:00', 26), reason: 'Vacation' });
    book(ws, 'Mon', chi('08:00', 23), chi('12:30', 23), [ana]);
    book(ws, 'Wed', chi('09:00', 25), chi('10:00', 25), [ana]); // on her day off
    const { world, providers, bookings, conflicts } = boardOf(ws);
    const days = daysOf('2026-11-23', '2026-11-29');
    expect(days).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    const week = loadsOnDays(world, providers, days, bookings, conflicts);
    const anaWeek = week.get(ana)!;
    expect(anaWeek.map((f) => f.date)).toEqual(days);
    expect(anaWeek.map((f) => f.percent)).toEqual(['50%', '0%', 'Booked on a day off', '0%', '0%', 'Off', 'Off']);
    expect(anaWeek[2]).toMatchObject({ band: 'over', jobs: 1, conflicts: 1, availableMinutes: 0 });
    expect(week.get(bo)!.map((f) => f.band)).toEqual(['idle', 'idle', 'idle', 'idle', 'idle', 'off', 'off']);
  });

  it('indexes team jobs under each assignee', () => {
    const jobs = [
      { id: 'x', slot: { start: chi('09:00'), end: chi('10:00'), assignees: ['p1', 'p2'] }, status: 'scheduled', teamSize: 2, laborHours: 2 },
      { id: 'y', slot: null, status: 'unscheduled', teamSize: 1, laborHours: 1 },
    ] as const;
    const index = bookingsByProvider(jobs as unknown as CardBooking[]);
    expect([...index.keys()]).toEqual(['p1', 'p2']);
    expect(index.get('p2')!.map((b) => b.id)).toEqual(['x']);
  });

  it('leaves out before any other work only the jobs that cannot touch the window', () => {
    const job = (id: string, start: string, end: string, laborHours = 1) => ({ id, slot: { start, end, assignees: ['p1'] }, status: 'scheduled', teamSize: 1, laborHours });
    const window = [Date.parse('2026-11-24T06:00:00Z'), Date.parse('2026-11-25T06:00:00Z')] as const;
    const jobs = [
      job('before', '2026-11-23T20:00:00Z', '2026-11-23T22:00:00Z'),
      job('overnight', '2026-11-24T04:00:00Z', '2026-11-24T08:00:00Z'),
      // A one-hour slot whose labor (10 h) reaches into the window when a person does it alone.
      job('long-labor', '2026-11-24T00:00:00Z', '2026-11-24T01:00:00Z', 10),
      job('inside', '2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z'),
      job('after', '2026-11-25T06:00:00Z', '2026-11-25T07:00:00Z'),
    ];
    const kept = bookingsByProvider(jobs as unknown as CardBooking[], window).get('p1')!.map((b) => b.id);
    expect(kept).toEqual(['overnight', 'long-labor', 'inside']);
  });

  it('counts an overnight job on both days, each its own part', () => {
    const { ws, ana } = org();
    // Mon 22:00 – Tue 02:00 Chicago: 2 h on Monday (outside her hours), 2 h on Tuesday.
    book(ws, 'Night shift', '2026-11-24T04:00:00Z', '2026-11-24T08:00:00Z', [ana]);
    const { world, providers, bookings, conflicts } = boardOf(ws);
    const week = loadsOnDays(world, providers, ['2026-11-23', '2026-11-24'], bookings, conflicts).get(ana)!;
    expect(week.map((f) => [f.bookedMinutes, f.jobs])).toEqual([[120, 1], [120, 1]]);
    expect(loadsOnDay(world, providers, '2026-11-24', bookings, conflicts).get(ana)).toMatchObject({ bookedMinutes: 120, jobs: 1 });
  });

  it('names a cell by its provider and day, and back', () => {
    const id = loadCellId('3f2a-b', '2026-11-24');
    expect(loadCellOf(id)).toEqual({ providerId: '3f2a-b', day: '2026-11-24' });
    expect(loadCellOf('3f2a-b')).toBeNull();
  });

  it('renders a cell with its figures as text, its band in words, and user text escaped', () => {
    const { ws, bo } = org();
    book(ws, 'Roof', chi('07:00'), chi('15:00'), [bo]);
    book(ws, 'Gutter', chi('14:00'), chi('17:00'), [bo]);
    const { world, providers, bookings, conflicts } = boardOf(ws);
    const f = loadsOnDay(world, providers, '2026-11-24', bookings, conflicts).get(bo)!;
    const html = loadCellHtml(f, loadSentence('<b>Bo</b> & Co', 'Tue, Nov 24', f));
    expect(html).toContain('data-band="over"');
    expect(html).toContain('data-utilization="122%"');
    expect(html).toContain('>Overbooked<');
    expect(html).toContain('2 jobs · 2 conflicts');
    expect(html).toContain('cl-fill-100');
    expect(html).toContain('&lt;b&gt;Bo&lt;/b&gt; &amp; Co, Tue, Nov 24: 122% booked, 11 of 9 h, 2 jobs · 2 conflicts. Overbooked.');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('style=');
  });

  it('rounds a bar to a 5% class, never past full', () => {
    expect(fillClass(0)).toBe('cl-fill-0');
    expect(fillClass(0.6)).toBe('cl-fill-60');
    expect(fillClass(0.62)).toBe('cl-fill-60');
    expect(fillClass(0.63)).toBe('cl-fill-65');
    expect(fillClass(1.4)).toBe('cl-fill-100');
  });

  it('changes its signature exactly when what it shows changes', () => {
    const base = { providerId: 'p', date: '2026-11-24', availableMinutes: 480, bookedMinutes: 240, utilization: 0.5, jobs: 2, conflicts: 0, band: 'normal' } as const;
    expect(loadFigure(base).sig).toBe(loadFigure({ ...base }).sig);
    expect(loadFigure(base).sig).not.toBe(loadFigure({ ...base, conflicts: 1 }).sig);
    expect(loadFigure(base).sig).not.toBe(loadFigure({ ...base, bookedMinutes: 250, utilization: 250 / 480 }).sig);
  });
});
