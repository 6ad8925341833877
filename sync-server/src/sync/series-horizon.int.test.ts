/**
 * The server's daily series extension (series-horizon.ts) on a real server with a manual clock: it creates
 * the visits a closed desktop would have, connected consoles receive them, a desktop that extended offline
 * merges with it into one visit a day with identical content (through the server's document rules), and it
 * leaves organizations without series, past visits and archived ones alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { executeCommand } from '../../../core/commands/index';
import { sequentialIds } from '../../../core/testing/fixture';
import type { Actor } from '../../../core/model';
import { getBooking, listBookings, scheduleMaps } from '../../../core/doc/schedule';
import { occurrenceId } from '../../../core/recurrence/occurrence';
import { linksBySeries, seriesMaps } from '../../../core/recurrence/series-doc';
import { addDays, localDateOf, toMs, type LocalDate } from '../../../core/time';
import { Clock, OrgClient, seedOrg } from '../notifications/testing/org-client';
import { connectProvider, ORG_A, ORG_B, roomOf, startTestServer, waitUntil, whenSynced, type TestServer } from './testing/harness';
import type { SyncServerOptions } from '../server';

const ZONE = 'America/Chicago';
const DAY_MS = 24 * 60 * 60 * 1000;
const SCHEDULE = roomOf(ORG_A, 'schedule');
const DESKTOP_ACTOR: Actor = { id: 'user-dispatcher-a', name: 'Dana Dispatcher', role: 'dispatcher' };

describe('series horizon: the server extends every organization once a day', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * A server on a manual clock (Mon 2026-11-16 08:00 in Chicago unless told) and Northwind's admin console,
   * which sets a two-week horizon and creates a weekly series (Mon, Thu 09:00, Ana), then closes.
   */
  async function organization(options: Partial<SyncServerOptions> = {}, start = '2026-11-16T14:00:00Z') {
    const clock = new Clock(start);
    const t: TestServer = await startTestServer({ clock: clock.now, notifications: false, seriesHorizonCheckEveryMs: 0, ...options });
    cleanups.push(() => t.stop());
    const admin = await new OrgClient(t.wsUrl, ORG_A, 'admin-a', clock).connect();
    const ids = seedOrg(admin);
    admin.run('updateSettings', { recurrenceHorizonWeeks: 2, archiveAfterDays: 1 });
    const series = admin.run('createSeries', {
      title: 'Office cleaning',
      customerId: ids.dee,
      assignees: [ids.ana],
      startDate: localDateOf(clock.now(), ZONE),
      startTime: '09:00',
      durationMinutes: 120,
      repeat: { freq: 'weekly', weekdays: ['mon', 'thu'] },
    }).id;
    const docs = () => ({ roster: t.server.rooms.get(roomOf(ORG_A, 'roster'))!.doc, schedule: t.server.rooms.get(SCHEDULE)!.doc });
    await admin.pushedTo(() => (t.server.rooms.get(SCHEDULE) ? docs() : null));
    return { clock, t, admin, ids, series, docs };
  }

  /** Booking ids of the series' visits in `doc`, by original date. */
  const visitsByDate = (doc: Y.Doc, seriesId: string): Map<LocalDate, string[]> => {
    const out = new Map<LocalDate, string[]>();
    for (const [id, link] of linksBySeries(doc).get(seriesId) ?? []) {
      if (!getBooking(doc, id)) continue;
      out.set(link.date, [...(out.get(link.date) ?? []), id]);
    }
    return out;
  };
  // What every reader sees of a visit (who stamped each group, and when, differs by writer).
  const record = (doc: Y.Doc, id: string) => JSON.stringify(getBooking(doc, id));

  it('creates the next days’ visits when the clock passes midnight in the org’s zone, and a connected console receives them', async () => {
    const { clock, t, admin, series, docs } = await organization({ seriesHorizonCheckEveryMs: 20 });
    // The desktop that made the series closes; a viewer's console stays open.
    const viewer = await new OrgClient(t.wsUrl, ORG_A, 'viewer-a', clock).connect();
    cleanups.push(() => viewer.disconnect());
    admin.disconnect();
    // Two weeks from Mon Nov 16, both ends included: the last visit is Mon Nov 30.
    expect([...visitsByDate(viewer.schedule, series).keys()].sort().at(-1)).toBe('2026-11-30');
    // The timer's first look (every 20 ms) finds today's visits there and records the day: nothing is due after it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.server.seriesHorizon.runDue()).toEqual([]);

    // Days pass with the desktop closed: on Sun Nov 29 the horizon ends Sun Dec 13.
    clock.set('2026-11-29T15:00:00Z');
    const sunday = ['2026-12-03', '2026-12-07', '2026-12-10'];
    await waitUntil(() => sunday.every((d) => visitsByDate(viewer.schedule, series).has(d)), 5000, 'the new visits at the console');
    // Mon Nov 30 05:59 UTC is still Sunday 23:59 in Chicago: the org's day has not begun, nothing more.
    clock.set('2026-11-30T05:59:00Z');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(t.server.seriesHorizon.runDue()).toEqual([]);
    expect(visitsByDate(docs().schedule, series).has('2026-12-14')).toBe(false);
    // 06:00 UTC is midnight in Chicago: Monday's pass reaches Mon Dec 14.
    clock.set('2026-11-30T06:00:00Z');
    await waitUntil(() => visitsByDate(viewer.schedule, series).has('2026-12-14'), 5000, 'Monday’s visit at the console');
    const expected = [...sunday, '2026-12-14'];
    const atServer = visitsByDate(docs().schedule, series);
    expect([...atServer.keys()].filter((d) => d > '2026-11-30').sort()).toEqual(expected);
    for (const date of expected) {
      const id = occurrenceId(series, date);
      expect(atServer.get(date)).toEqual([id]);
      expect(record(viewer.schedule, id)).toBe(record(docs().schedule, id));
      const booking = getBooking(viewer.schedule, id)!;
      expect(booking).toMatchObject({ title: 'Office cleaning', status: 'scheduled' });
      expect(localDateOf(toMs(booking.slot!.start), ZONE)).toBe(date);
    }
    // Visits are the series' work, not a person's: no history written.
    for (const date of expected) expect(scheduleMaps(docs().schedule).history.has(occurrenceId(series, date))).toBe(false);
    // Once that day: the timer's next looks find nothing due.
    expect(t.server.seriesHorizon.runDue(clock.now())).toEqual([]);
  });

  it('a desktop that extended offline and the server, merged: one visit a day, identical records, no refusal', async () => {
    const { clock, t, admin, series, docs } = await organization();
    // The desktop's own copy, offline from here: plain Y.Docs and the core command runner, its clock a day
    // behind the server's (it last ran on Tue Nov 24; the server runs on Wed Nov 25).
    const desktop = { roster: new Y.Doc(), schedule: new Y.Doc() };
    Y.applyUpdate(desktop.roster, Y.encodeStateAsUpdate(admin.roster));
    Y.applyUpdate(desktop.schedule, Y.encodeStateAsUpdate(admin.schedule));
    admin.disconnect();
    const offline = executeCommand(
      { ...desktop, actor: DESKTOP_ACTOR, now: () => '2026-11-24T15:00:00Z', newId: sequentialIds(0x77) },
      'extendSeriesHorizon',
      {},
      'local',
    );
    expect(offline.ok).toBe(true);
    const fromDesktop = offline.ok ? offline.value.created : [];

    clock.set('2026-11-25T15:00:00Z');
    const [run] = t.server.seriesHorizon.runDue();
    expect(run).toMatchObject({ orgId: ORG_A, date: '2026-11-25', ran: true });
    expect(run!.error).toBeUndefined();
    // Tue Nov 24 + 2 weeks = Tue Dec 8; Wed Nov 25 + 2 weeks = Wed Dec 9: the same new visits (Nov 30 to Dec 7).
    expect(fromDesktop.length).toBeGreaterThan(0);
    expect([...run!.created].sort()).toEqual([...fromDesktop].sort());
    for (const id of fromDesktop) {
      expect(record(desktop.schedule, id)).toBe(record(docs().schedule, id));
      expect(JSON.stringify(seriesMaps(desktop.schedule).occurrences.get(id))).toBe(JSON.stringify(seriesMaps(docs().schedule).occurrences.get(id)));
    }

    // The desktop comes back online as its dispatcher: its update goes through the document rules.
    const provider = connectProvider(t.wsUrl, SCHEDULE, 'dispatcher-a', desktop.schedule);
    let closedWith: number | null = null;
    provider.on('connection-close', (event: { code: number } | null) => {
      closedWith = event?.code ?? closedWith;
    });
    cleanups.push(() => provider.destroy());
    await whenSynced(provider, 10_000);
    const covers = (server: Y.Doc, mine: Y.Doc) =>
      [...Y.decodeStateVector(Y.encodeStateVector(mine))].every(([c, n]) => (Y.decodeStateVector(Y.encodeStateVector(server)).get(c) ?? 0) >= n);
    await waitUntil(() => covers(docs().schedule, desktop.schedule) && covers(desktop.schedule, docs().schedule), 5000, 'the merge');
    expect(closedWith).toBeNull();

    for (const doc of [docs().schedule, desktop.schedule]) {
      const byDate = visitsByDate(doc, series);
      for (const [date, ids] of byDate) expect(ids, date).toEqual([occurrenceId(series, date)]);
      // And by the day the visits are on, every booking of the organization counted.
      const perDay = new Map<string, number>();
      for (const b of listBookings(doc)) {
        const day = localDateOf(toMs(b.slot!.start), ZONE);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      expect([...perDay.values()].every((n) => n === 1)).toBe(true);
      expect([...byDate.keys()].sort()).toEqual(['2026-11-16', '2026-11-19', '2026-11-23', '2026-11-26', '2026-11-30', '2026-12-03', '2026-12-07']);
    }
    expect(JSON.stringify(scheduleMaps(desktop.schedule).bookings.toJSON())).toBe(JSON.stringify(scheduleMaps(docs().schedule).bookings.toJSON()));
  });

  it('does nothing for an organization without series, and leaves past and archived visits alone', async () => {
    const { clock, t, admin, series, docs } = await organization();
    // Org B: an organization with a job and no series.
    const other = await new OrgClient(t.wsUrl, ORG_B, 'admin-b', clock).connect();
    cleanups.push(() => other.disconnect());
    other.run('initializeOrganization', { name: 'Other', timeZone: 'Europe/Berlin' });
    other.run('createBooking', { title: 'One-off', slot: { start: '2026-11-17T09:00:00Z', end: '2026-11-17T10:00:00Z', assignees: [] } });
    const otherSchedule = () => t.server.rooms.get(roomOf(ORG_B, 'schedule'))!.doc;
    await other.pushedTo(() => (t.server.rooms.get(roomOf(ORG_B, 'schedule')) ? { roster: t.server.rooms.get(roomOf(ORG_B, 'roster'))!.doc, schedule: otherSchedule() } : null));

    // Monday's visit is done and, a day later, archived; Thursday's was never touched and is past.
    const monday = occurrenceId(series, '2026-11-16');
    const thursday = occurrenceId(series, '2026-11-19');
    admin.run('sendToTech', { id: monday });
    for (const status of ['en_route', 'in_progress', 'completed'] as const) admin.run('updateStatus', { id: monday, status });
    await admin.pushedTo(docs);
    admin.disconnect();
    clock.set('2026-11-24T14:00:00Z');
    expect(t.server.archiver.runOnce().flatMap((r) => r.archived)).toEqual([monday]);
    const pastBefore = record(docs().schedule, thursday);

    const stateOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex');
    const otherBefore = stateOf(otherSchedule());
    let otherUpdates = 0;
    otherSchedule().on('update', () => otherUpdates++);

    clock.set('2026-11-27T14:00:00Z');
    const runs = t.server.seriesHorizon.runDue();
    expect(runs.find((r) => r.orgId === ORG_B)).toEqual({ orgId: ORG_B, date: '2026-11-27', ran: false, created: [], updated: [], removed: [] });
    expect(stateOf(otherSchedule())).toBe(otherBefore);
    expect(otherUpdates).toBe(0);
    expect(seriesMaps(otherSchedule()).series.size).toBe(0);

    const own = runs.find((r) => r.orgId === ORG_A)!;
    expect(own).toMatchObject({ ran: true, updated: [], removed: [] });
    // From today (Fri Nov 27) through Fri Dec 11: only what was missing past the first horizon.
    const createdDates = own.created.map((id) => linksBySeries(docs().schedule).get(series)!.get(id)!.date).sort();
    expect(createdDates).toEqual(['2026-12-03', '2026-12-07', '2026-12-10']);
    expect(createdDates.every((d) => d >= '2026-11-27' && d <= addDays('2026-11-27', 14))).toBe(true);
    // The archived visit stays archived (not made again), the past one is as it was.
    expect(scheduleMaps(docs().schedule).bookings.has(monday)).toBe(false);
    expect(scheduleMaps(docs().schedule).archived.has(monday)).toBe(true);
    expect(record(docs().schedule, thursday)).toBe(pastBefore);
    // The next day's pass has nothing new (Sat Nov 28 + 2 weeks: Dec 10 is there) and still leaves it archived.
    clock.advance(DAY_MS);
    expect(t.server.seriesHorizon.runDue().find((r) => r.orgId === ORG_A)!.created).toEqual([]);
    expect(scheduleMaps(docs().schedule).bookings.has(monday)).toBe(false);
  });
});
