import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { executeCommand, type CommandName } from '../../../core/commands/index';
import type { CommandContext } from '../../../core/commands/define';
import { scheduleMaps } from '../../../core/doc/schedule';
import { newId } from '../../../core/ids';
import {
  connectProvider,
  ORG_A,
  ORG_B,
  roomOf,
  startTestServer,
  waitUntil,
  whenSynced,
  type TestServer,
} from './testing/harness';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A desktop-like client: roster and schedule providers, writing only through core commands. */
async function client(t: TestServer, orgId: string, token: string) {
  const roster = connectProvider(t.wsUrl, roomOf(orgId, 'roster'), token);
  const schedule = connectProvider(t.wsUrl, roomOf(orgId, 'schedule'), token);
  await Promise.all([whenSynced(roster), whenSynced(schedule)]);
  let clock = NOW;
  const ctx = (): CommandContext => ({
    roster: roster.doc,
    schedule: schedule.doc,
    actor: { id: 'u-admin', name: 'Ana Admin', role: 'admin' },
    now: () => iso(clock),
    newId,
  });
  const run = <T = unknown>(name: CommandName, input: unknown, atMs = NOW): T => {
    clock = atMs;
    const result = executeCommand(ctx(), name, input, 'local');
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as T;
  };
  return { roster, schedule, run };
}

describe('archiver', () => {
  let t: TestServer;
  const providers: WebsocketProvider[] = [];
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await t.stop();
  });

  it("moves bookings closed more than archiveAfterDays ago out of every org's schedule, with markers, live", async () => {
    const a = await client(t, ORG_A, 'admin-a');
    const b = await client(t, ORG_B, 'admin-b');
    providers.push(a.roster, a.schedule, b.roster, b.schedule);
    a.run('initializeOrganization', { name: 'A', archiveAfterDays: 30 });
    b.run('initializeOrganization', { name: 'B', archiveAfterDays: 60 });

    const oldCancelled = a.run<{ id: string }>('createBooking', { title: 'old, cancelled' }, NOW - 90 * DAY).id;
    a.run('cancelBooking', { id: oldCancelled, reason: 'customer moved' }, NOW - 40 * DAY);
    const recentCancelled = a.run<{ id: string }>('createBooking', { title: 'recent, cancelled' }, NOW - 90 * DAY).id;
    a.run('cancelBooking', { id: recentCancelled, reason: 'rain' }, NOW - 5 * DAY);
    const oldOpen = a.run<{ id: string }>('createBooking', { title: 'old but open' }, NOW - 200 * DAY).id;
    // Org B keeps 60 days: a booking cancelled 40 days ago stays there.
    const bCancelled = b.run<{ id: string }>('createBooking', { title: 'B cancelled' }, NOW - 90 * DAY).id;
    b.run('cancelBooking', { id: bCancelled, reason: 'duplicate' }, NOW - 40 * DAY);

    // A second client of org A watches the archive arrive.
    const watcher = connectProvider(t.wsUrl, roomOf(ORG_A, 'schedule'), 'dispatcher-a');
    providers.push(watcher);
    await whenSynced(watcher);
    const serverSchedule = () => t.server.rooms.get(roomOf(ORG_A, 'schedule'))!.doc;
    await waitUntil(() => scheduleMaps(serverSchedule()).bookings.size === 3, 5000, 'bookings at the server');
    await waitUntil(() => scheduleMaps(watcher.doc).bookings.size === 3, 5000, 'bookings at the watcher');
    await waitUntil(() => scheduleMaps(t.server.rooms.get(roomOf(ORG_B, 'schedule'))!.doc).bookings.size === 1);

    const runs = t.server.archiver.runOnce(NOW);
    expect(runs).toEqual([
      { orgId: ORG_A, archived: [oldCancelled] },
      { orgId: ORG_B, archived: [] },
    ]);

    const server = scheduleMaps(serverSchedule());
    expect(server.bookings.has(oldCancelled)).toBe(false);
    expect(server.history.has(oldCancelled)).toBe(false);
    expect(server.archived.get(oldCancelled)).toEqual({ archivedAt: iso(NOW) });
    expect([...server.bookings.keys()].sort()).toEqual([recentCancelled, oldOpen].sort());

    for (const replica of [a.schedule.doc, watcher.doc]) {
      await waitUntil(() => !scheduleMaps(replica).bookings.has(oldCancelled), 5000, 'archive at a client');
      expect(scheduleMaps(replica).archived.get(oldCancelled)).toEqual({ archivedAt: iso(NOW) });
      expect(scheduleMaps(replica).bookings.has(recentCancelled)).toBe(true);
    }
    expect(scheduleMaps(b.schedule.doc).bookings.has(bCancelled)).toBe(true);
    expect(t.server.metrics().archivedBookings).toBe(1);

    // Idempotent: nothing more to archive, and no empty update is written.
    const rows = t.server.store.logLength(roomOf(ORG_A, 'schedule'));
    expect(t.server.archiver.runOnce(NOW)[0]).toEqual({ orgId: ORG_A, archived: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.server.store.logLength(roomOf(ORG_A, 'schedule'))).toBe(rows);
  });

  it('archives rooms that are not loaded, persists the result, and later loads see it', async () => {
    const a = await client(t, ORG_A, 'admin-a');
    a.run('initializeOrganization', { name: 'A', archiveAfterDays: 30 });
    const id = a.run<{ id: string }>('createBooking', { title: 'done long ago' }, NOW - 100 * DAY).id;
    a.run('cancelBooking', { id, reason: 'no access' }, NOW - 50 * DAY);
    await waitUntil(() => t.server.rooms.get(roomOf(ORG_A, 'schedule'))?.doc.getMap('bookings').has(id) === true);
    a.roster.destroy();
    a.schedule.destroy();
    await t.stop(true);

    t = await startTestServer({ dataDir: t.dataDir });
    expect(t.server.rooms.loadedCount).toBe(0);
    expect(t.server.archiver.runOnce(NOW)).toEqual([{ orgId: ORG_A, archived: [id] }]);
    await t.stop(true);

    t = await startTestServer({ dataDir: t.dataDir });
    const reader = connectProvider(t.wsUrl, roomOf(ORG_A, 'schedule'), 'viewer-a');
    providers.push(reader);
    await whenSynced(reader);
    await waitUntil(() => scheduleMaps(reader.doc).archived.has(id), 5000, 'marker after restart');
    expect(scheduleMaps(reader.doc).bookings.has(id)).toBe(false);
  });
});
