import { describe, expect, it } from 'vitest';
import { findConflicts } from '../conflicts';
import { conflictWorldOf, listCustomers, listProviders } from '../doc/roster';
import { listBookings, scheduleMaps } from '../doc/schedule';
import { addDays, fromMs, localDateOf, localTimeOf, localToMs, toMs, weekdayOf } from '../time';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { createScaledSchedule, type ScaledScheduleOptions } from './scale';

const ZONE = 'America/Chicago';
const SMALL = { providers: 20, bookings: 500, startDate: '2026-11-23', days: 14, seed: 5 } as const;

function build(options: Partial<ScaledScheduleOptions> = {}) {
  const ws = createWorkspace();
  const summary = createScaledSchedule(ws.run, { ...SMALL, setNow: ws.setNow, ...options });
  return { ws, summary };
}

const conflictsOf = (ws: Workspace) => findConflicts(conflictWorldOf(ws.roster), listBookings(ws.schedule));

describe('createScaledSchedule', () => {
  it('creates the requested counts, with ~5% unassigned (with and without a date)', () => {
    const { ws, summary } = build();
    const bookings = listBookings(ws.schedule);
    expect(listProviders(ws.roster)).toHaveLength(20);
    expect(listCustomers(ws.roster)).toHaveLength(summary.customers);
    expect(bookings).toHaveLength(500);
    expect(summary.bookings).toBe(500);
    const unassigned = bookings.filter((b) => !b.slot || b.slot.assignees.length === 0);
    expect(unassigned).toHaveLength(summary.unassigned);
    expect(unassigned.length / bookings.length).toBeGreaterThanOrEqual(0.04);
    expect(unassigned.length / bookings.length).toBeLessThanOrEqual(0.06);
    expect(unassigned.filter((b) => b.slot)).toHaveLength(summary.unassignedWithDate);
    expect(unassigned.filter((b) => !b.slot)).toHaveLength(summary.unassignedWithoutDate);
    expect(summary.unassignedWithDate).toBeGreaterThan(0);
    expect(summary.unassignedWithoutDate).toBeGreaterThan(0);
    for (const b of unassigned) expect(b.status).toBe('unscheduled');
    expect(bookings.filter((b) => b.status === 'scheduled')).toHaveLength(500 - unassigned.length);
  });

  it('spreads bookings over the working days and every provider, inside working hours', () => {
    const { ws, summary } = build();
    const bookings = listBookings(ws.schedule).filter((b) => b.slot);
    const days = new Set<string>();
    const perProvider = new Map<string, number>();
    for (const b of bookings) {
      const start = toMs(b.slot!.start);
      const date = localDateOf(start, ZONE);
      days.add(date);
      expect(date >= SMALL.startDate && date <= summary.lastDay).toBe(true);
      expect(weekdayOf(date)).not.toBe('sun');
      expect(localTimeOf(start, ZONE) >= '07:00' && localTimeOf(toMs(b.slot!.end), ZONE) <= '19:00').toBe(true);
      for (const a of b.slot!.assignees) perProvider.set(a, (perProvider.get(a) ?? 0) + 1);
    }
    expect(summary.lastDay).toBe(addDays(SMALL.startDate, 13));
    expect(days.size).toBe(12); // 14 days minus two Sundays
    expect(perProvider.size).toBe(20);
    const counts = [...perProvider.values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(12);
  });

  it('overlaps about 2% of assigned bookings per provider and nothing else conflicts', () => {
    const { ws, summary } = build();
    expect(summary.overlapping).toBe(Math.round(summary.assigned * 0.02));
    const found = conflictsOf(ws);
    const kinds = new Set([...found.values()].flat().map((c) => c.kind));
    expect([...kinds]).toEqual(['double_booking']);
    // Each overlap involves the moved booking and the one before it (chains can share one).
    expect(found.size).toBeGreaterThan(summary.overlapping);
    expect(found.size).toBeLessThanOrEqual(2 * summary.overlapping);
    expect(build({ overlapFraction: 0 }).summary.overlapping).toBe(0);
    expect(conflictsOf(build({ overlapFraction: 0 }).ws).size).toBe(0);
  });

  it('is deterministic per seed', () => {
    const a = build();
    const b = build();
    expect(JSON.stringify(listBookings(b.ws.schedule))).toBe(JSON.stringify(listBookings(a.ws.schedule)));
    expect(JSON.stringify(listBookings(build({ seed: 6 }).ws.schedule))).not.toBe(JSON.stringify(listBookings(a.ws.schedule)));
  });

  it('closes a fraction of past bookings through the real lifecycle, stamped in the past, so archiving works', () => {
    const asOf = '2026-11-30'; // the second Monday: the first week is history
    const { ws, summary } = build({ closeFraction: 0.5, asOf });
    const now = localToMs(asOf, '00:00', ZONE);
    const bookings = listBookings(ws.schedule);
    const pastAssigned = bookings.filter((b) => b.slot && b.slot.assignees.length > 0 && toMs(b.slot.end) <= now);
    const completed = bookings.filter((b) => b.status === 'completed');
    expect(completed).toHaveLength(summary.closed);
    expect(completed.length / pastAssigned.length).toBeGreaterThan(0.35);
    expect(completed.length / pastAssigned.length).toBeLessThan(0.65);
    for (const b of completed) {
      expect(toMs(b.slot!.end)).toBeLessThanOrEqual(now);
      expect(b.statusChanged!.at).toBe(b.slot!.end);
      expect(b.dispatched).not.toBeNull();
    }
    for (const b of bookings) if (b.slot && toMs(b.slot.end) > now) expect(b.status).not.toBe('completed');
    // Archiving by age sees the real completion times: only jobs closed before the cut-off leave.
    const cutoff = localToMs('2026-11-26', '00:00', ZONE);
    const expected = completed.filter((b) => toMs(b.slot!.end) < cutoff).map((b) => b.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    const archived = ws.must('archiveClosedBookings', { closedBefore: fromMs(cutoff) }).archived;
    expect([...archived].sort()).toEqual(expected);
    expect(scheduleMaps(ws.schedule).archived.size).toBe(expected.length);
  });

  it('closes everything in the past with closeFraction 1 and nothing by default', () => {
    expect(build().summary.closed).toBe(0);
    const { ws, summary } = build({ closeFraction: 1 }); // asOf defaults to after the range
    expect(summary.closed).toBe(summary.assigned);
    expect(listBookings(ws.schedule).filter((b) => b.status === 'completed')).toHaveLength(summary.assigned);
  });

  it('rejects impossible options', () => {
    expect(() => build({ providers: 0 })).toThrow(/providers/);
    expect(() => build({ closeFraction: 2 })).toThrow(/closeFraction/);
    expect(() => build({ startDate: '2026/11/23' })).toThrow(/YYYY-MM-DD/);
  });

  // How long it takes is the benches' business (bench/board-bench.ts builds these stores); a wall-clock bound
  // here failed CI on a loaded machine.
  it('creates 10,000 bookings for 200 providers', () => {
    const ws = createWorkspace();
    const summary = createScaledSchedule(ws.run, { providers: 200, bookings: 10_000, startDate: '2026-11-23', days: 14, seed: 1 });
    expect(scheduleMaps(ws.schedule).bookings.size).toBe(10_000);
    expect(summary.unassigned).toBe(500);
  });
});
