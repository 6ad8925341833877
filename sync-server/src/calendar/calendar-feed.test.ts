import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { executeCommand, type CommandName } from '../../../core/commands/index';
import { calendarUid } from '../../../core/field/calendar-entries';
import { newId } from '../../../core/ids';
import type { Actor } from '../../../core/model';
import { fromMs, localToMs } from '../../../core/time';
import { buildCalendarFeed } from './calendar-feed';
import { parseIcs, type ParsedEvent } from './testing/parse-ics';

/**
 * The provider feed read back with ical.js: times round-trip in the organization's zone (DST days
 * included), UIDs are stable, SEQUENCE grows with every change and only then, cancelled jobs are marked
 * and later dropped.
 */

const ZONE = 'America/Chicago';
const DAY = 86_400_000;
const NOW = Date.parse('2026-10-25T12:00:00Z');
const ADMIN: Actor = { id: 'u-admin', name: 'Ana Admin', role: 'admin' };

function workspace() {
  const docs = { roster: new Y.Doc(), schedule: new Y.Doc() };
  let clock = NOW - 10 * DAY;
  const run = <T = unknown>(name: CommandName, input: unknown, actor: Actor = ADMIN): T => {
    const result = executeCommand({ ...docs, actor, now: () => fromMs(clock), newId }, name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as T;
  };
  return { docs, run, at: (ms: number) => (clock = ms) };
}

const local = (date: string, time: string) => fromMs(localToMs(date, time, ZONE));
/** The instant as a wall clock in the organization's zone, with its offset. */
const wall = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONE).toString({ timeZoneName: 'never' });

function setup() {
  const w = workspace();
  w.run('initializeOrganization', { name: 'Northwind', timeZone: ZONE });
  const ana = w.run<{ id: string }>('createProvider', { name: 'Ana Silva' }).id;
  const bo = w.run<{ id: string }>('createProvider', { name: 'Bo Chen' }).id;
  const dana = w.run<{ id: string }>('createCustomer', {
    name: 'Dana Whitfield',
    phone: '+1 312 555 0101',
    address: '12 Elm St, Chicago',
    coordinates: { lat: 41.9, lng: -87.65 },
    notes: 'Gate code 4411',
  }).id;
  const job = (title: string, date: string, from: string, to: string, assignees: string[], extra: Record<string, unknown> = {}) => {
    const start = local(date, from);
    // An end "before" the start is on the next day.
    const end = to > from ? local(date, to) : local(Temporal.PlainDate.from(date).add({ days: 1 }).toString(), to);
    return w.run<{ id: string }>('createBooking', { title, slot: { start, end, assignees }, customerId: dana, ...extra }).id;
  };
  const ids = {
    beforeDst: job('Saturday tune-up', '2026-10-31', '09:00', '10:00', [ana]),
    // 01:30 happens twice on 2026-11-01 in Chicago; the job starts at the first (CDT) and ends at 03:00 CST.
    fallBack: job('Night boiler check', '2026-11-01', '01:30', '03:00', [ana]),
    afterDst: job('Sunday furnace repair', '2026-11-01', '09:00', '10:30', [ana, bo], { arrivalWindow: { start: local('2026-11-01', '09:00'), end: local('2026-11-01', '09:30') } }),
    // 02:00–03:00 does not exist on 2027-03-14: 01:30 CST to 03:30 CDT is one hour.
    springForward: job('Early meter read', '2027-03-14', '01:30', '03:30', [ana]),
    bos: job('Water heater flush', '2026-10-28', '11:00', '12:00', [bo]),
    recentlyCancelled: job('Gutter cleaning', '2026-10-27', '15:00', '16:00', [ana]),
    longCancelled: job('Roof inspection', '2026-11-05', '15:00', '16:00', [ana]),
  };
  w.at(NOW - 20 * DAY);
  w.run('cancelBooking', { id: ids.longCancelled, reason: 'Sold the house' });
  w.at(NOW - 2 * DAY);
  w.run('cancelBooking', { id: ids.recentlyCancelled, reason: 'Customer away' });
  w.run('sendToTech', { id: ids.beforeDst });
  w.at(NOW);
  return { ...w, ana, bo, ids };
}

const byUid = (events: ParsedEvent[], bookingId: string) => events.find((e) => e.uid === calendarUid(bookingId));

describe('provider calendar feed', () => {
  it("round-trips every job's times in the organization's zone, across both DST changes", () => {
    const { docs, ana, ids } = setup();
    const calendar = parseIcs(buildCalendarFeed(docs, ana, NOW));
    expect(calendar.timeZone).toBe(ZONE);
    expect(calendar.name).toBe('Northwind: Ana Silva');
    expect(calendar.method).toBe('PUBLISH');
    const times = (id: string) => {
      const event = byUid(calendar.events, id)!;
      expect(event.utc).toBe(true);
      return [wall(event.startMs), wall(event.endMs)];
    };
    expect(times(ids.beforeDst)).toEqual(['2026-10-31T09:00:00-05:00', '2026-10-31T10:00:00-05:00']);
    expect(times(ids.fallBack)).toEqual(['2026-11-01T01:30:00-05:00', '2026-11-01T03:00:00-06:00']);
    expect(times(ids.afterDst)).toEqual(['2026-11-01T09:00:00-06:00', '2026-11-01T10:30:00-06:00']);
    expect(times(ids.springForward)).toEqual(['2027-03-14T01:30:00-06:00', '2027-03-14T03:30:00-05:00']);
    const fallBack = byUid(calendar.events, ids.fallBack)!;
    expect(fallBack.endMs - fallBack.startMs).toBe(2.5 * 3_600_000);
    const spring = byUid(calendar.events, ids.springForward)!;
    expect(spring.endMs - spring.startMs).toBe(3_600_000);
  });

  it("holds only the provider's jobs, with what the day needs; scheduled is tentative, cancelled is marked and later dropped", () => {
    const { docs, ana, bo, ids, run } = setup();
    const events = parseIcs(buildCalendarFeed(docs, ana, NOW)).events;
    expect(events.map((e) => e.uid).sort()).toEqual(
      [ids.beforeDst, ids.fallBack, ids.afterDst, ids.springForward, ids.recentlyCancelled].map(calendarUid).sort(),
    );
    expect(byUid(events, ids.beforeDst)!.status).toBe('CONFIRMED');
    expect(byUid(events, ids.fallBack)!.status).toBe('TENTATIVE');
    const cancelled = byUid(events, ids.recentlyCancelled)!;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.summary).toBe('Cancelled: Gutter cleaning');
    const team = byUid(events, ids.afterDst)!;
    expect(team.summary).toBe('Sunday furnace repair');
    expect(team.location).toBe('12 Elm St, Chicago');
    expect(team.geo).toEqual([41.9, -87.65]);
    expect(team.description.split('\n')).toEqual([
      'Status: Scheduled',
      'Customer: Dana Whitfield, +1 312 555 0101',
      'Arrival window: 09:00–09:30',
      'With: Bo Chen',
      'Access: Gate code 4411',
    ]);
    // Events are ordered by start, and the feed is what a calendar shows: DTSTAMP is when it was made.
    expect(events.map((e) => e.startMs)).toEqual([...events.map((e) => e.startMs)].sort((a, b) => a - b));
    expect(events.every((e) => e.stampMs === NOW)).toBe(true);

    // Bo's feed: his own job and the shared one.
    const bos = parseIcs(buildCalendarFeed(docs, bo, NOW)).events.map((e) => e.uid).sort();
    expect(bos).toEqual([ids.bos, ids.afterDst].map(calendarUid).sort());

    // Texts are escaped, the calendar's name too.
    run('updateSettings', { name: 'Smith, Jones; Heating\\Cooling' });
    expect(parseIcs(buildCalendarFeed(docs, ana, NOW)).name).toBe('Smith, Jones; Heating\\Cooling: Ana Silva');

    // Two weeks after the cancellation (two days ago) it leaves the feed.
    const later = parseIcs(buildCalendarFeed(docs, ana, NOW + 11 * DAY)).events;
    expect(byUid(later, ids.recentlyCancelled)).toBeDefined();
    expect(byUid(parseIcs(buildCalendarFeed(docs, ana, NOW + 13 * DAY)).events, ids.recentlyCancelled)).toBeUndefined();
  });

  it('keeps UIDs and bumps SEQUENCE when time, place, team or status change, and only then', () => {
    const { docs, ana, bo, ids, run, at } = setup();
    const sequenceOf = (id: string, now = NOW) => byUid(parseIcs(buildCalendarFeed(docs, ana, now)).events, id)!.sequence;
    const first = sequenceOf(ids.fallBack);
    const untouched = sequenceOf(ids.beforeDst);
    expect(first).toBeGreaterThan(0);
    // Fetching again, later, changes nothing.
    expect(sequenceOf(ids.fallBack, NOW + 3_600_000)).toBe(first);

    const changes: Array<() => void> = [
      () => run('moveBooking', { id: ids.fallBack, start: local('2026-11-01', '04:00') }),
      () => run('updateBooking', { id: ids.fallBack, location: { address: '99 Lake Shore Dr, Chicago', coordinates: null } }),
      () => run('assignProvider', { id: ids.fallBack, providerId: bo }),
      () => run('sendToTech', { id: ids.fallBack }),
      () => run('updateStatus', { id: ids.fallBack, status: 'en_route' }, { id: 'u-ana', name: 'Ana Silva', role: 'technician', providerId: ana }),
      () => run('cancelBooking', { id: ids.fallBack, reason: 'Boiler replaced' }),
    ];
    let last = first;
    for (const [index, change] of changes.entries()) {
      at(NOW + (index + 1) * 60_000);
      change();
      const next = sequenceOf(ids.fallBack);
      expect(next, `after change ${index}`).toBeGreaterThan(last);
      last = next;
    }
    const event = byUid(parseIcs(buildCalendarFeed(docs, ana, NOW)).events, ids.fallBack)!;
    expect(event.status).toBe('CANCELLED');
    expect(event.location).toBe('99 Lake Shore Dr, Chicago');
    expect(wall(event.startMs)).toBe('2026-11-01T04:00:00-06:00');
    // Another job did not change, and neither did its SEQUENCE.
    expect(sequenceOf(ids.beforeDst)).toBe(untouched);
  });
});
