/**
 * Conflicts settled by the stamps and the rule table (core/doc/group-entries.ts, conflict-rules.ts) over a
 * real server: an office cancel made offline against a technician's en route tapped on the field API, and
 * a desktop whose clock is a day ahead, clamped by the server's clock (core/doc/clamps.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CLAMPS_MAP } from '../../../core/doc/clamps';
import { lostWrites } from '../../../core/doc/group-entries';
import { getBooking, readHistory, scheduleMaps } from '../../../core/doc/schedule';
import { decodeStamp } from '../../../core/doc/hlc';
import { Clock, OrgClient } from '../notifications/testing/org-client';
import { ORG_A, waitUntil } from './testing/harness';
import { ROSTER, startOrgRig, TODAY, updateAfter, type OrgRig } from './testing/org-rig';
import { DOC_SCHEMA_VERSION, docSchemaVersion, SCHEMA_MAP } from '../../../core/doc/schema-version';

const DISPATCHER = { id: 'user-d', name: 'Dee Dispatcher', role: 'dispatcher' as const };

describe('conflicts settled by stamps at the server', () => {
  let r: OrgRig | null = null;
  const clients: OrgClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    r?.admin.disconnect();
    await r?.t.stop();
    r = null;
  });

  it('an offline cancel and an en route tapped meanwhile: the cancel wins everywhere, the en route is kept and marked lost', async () => {
    const rig = (r = await startOrgRig());
    const office = await new OrgClient(rig.t.wsUrl, ORG_A, 'admin-a', rig.clock).connect();
    clients.push(office);
    await waitUntil(() => getBooking(office.schedule, rig.ids.bensJob) !== undefined, 10_000, 'the job at the office');
    office.disconnect();
    rig.clock.advance(60_000);
    office.run('cancelBooking', { id: rig.ids.bensJob, reason: 'Customer called' }, DISPATCHER);
    // The technician taps En route a minute after the cancel, unaware of it.
    rig.clock.advance(60_000);
    const tap = await rig.call('POST', `/api/field/jobs/${rig.ids.bensJob}/status`, 'tech-ben', { status: 'en_route' });
    expect(tap.status).toBe(200);
    await office.connect();
    await office.pushedTo(() => rig.docs());
    await waitUntil(() => getBooking(rig.admin.schedule, rig.ids.bensJob)?.status === 'cancelled', 10_000, 'the cancel at the admin');
    for (const doc of [rig.docs().schedule, office.schedule, rig.admin.schedule]) {
      expect(getBooking(doc, rig.ids.bensJob)!.status).toBe('cancelled');
      const lost = lostWrites(scheduleMaps(doc).bookings.get(rig.ids.bensJob)!, ['status']);
      expect(lost.map((l) => [l.rule?.id, l.loser.value.status])).toEqual([['cancel-beats-en-route', 'en_route']]);
      expect(readHistory(doc, rig.ids.bensJob).map((h) => h.action)).toEqual(expect.arrayContaining(['cancel', 'en_route']));
    }
  });

  it('an organization stored in format 1 is marked format 2 when its roster loads, so older desktops go read-only', async () => {
    const rig = (r = await startOrgRig());
    await rig.restartWith((room, doc) => (room === ROSTER ? updateAfter(doc, (d) => d.getMap(SCHEMA_MAP).set('version', 1)) : null));
    const day = await rig.call('GET', `/api/field/jobs?date=${TODAY}`, 'tech-ana');
    expect(day.status).toBe(200);
    expect(docSchemaVersion(rig.docs().roster)).toBe(DOC_SCHEMA_VERSION);
    expect(DOC_SCHEMA_VERSION).toBe(2);
  });

  it('a desktop with its clock a day ahead is clamped to the server clock, and a later edit wins', async () => {
    const rig = (r = await startOrgRig());
    const ahead = new Clock('2026-11-25T14:00:00Z');
    const skewed = await new OrgClient(rig.t.wsUrl, ORG_A, 'admin-a', ahead).connect();
    clients.push(skewed);
    skewed.run('updateBooking', { id: rig.ids.job, notes: 'from the clock set a day ahead' });
    await skewed.pushedTo(() => rig.docs());
    const clamps = () => rig.docs().schedule.getMap<number>(CLAMPS_MAP);
    await waitUntil(() => clamps().size > 0, 10_000, 'the clamp at the server');
    const [stamp, wall] = [...clamps().entries()][0]!;
    expect(decodeStamp(stamp)!.wall).toBe(Date.parse('2026-11-25T14:00:00Z'));
    expect(wall).toBe(rig.clock.now());
    await waitUntil(() => skewed.schedule.getMap(CLAMPS_MAP).size > 0, 10_000, 'the clamp at the skewed desktop');
    await waitUntil(() => getBooking(rig.admin.schedule, rig.ids.job)?.notes === 'from the clock set a day ahead', 10_000, 'the edit at the admin');
    // Both go offline. The skewed desktop edits again and comes back at 14:05 (server clock): clamped to it.
    skewed.disconnect();
    rig.admin.disconnect();
    skewed.run('updateBooking', { id: rig.ids.job, notes: 'skewed again, offline' });
    rig.clock.advance(5 * 60_000);
    await skewed.connect();
    await skewed.pushedTo(() => rig.docs());
    await waitUntil(() => clamps().size === 2, 10_000, 'the second clamp');
    // The office, offline meanwhile, edits at 14:07: later than the clamped 14:05, though a day before the raw stamp.
    rig.clock.advance(2 * 60_000);
    rig.admin.run('updateBooking', { id: rig.ids.job, notes: 'the office, at 14:07' });
    await rig.admin.connect();
    await rig.admin.pushedTo(() => rig.docs());
    await waitUntil(() => getBooking(skewed.schedule, rig.ids.job)?.notes === 'the office, at 14:07', 10_000, 'the later edit at the skewed desktop');
    for (const doc of [rig.docs().schedule, rig.admin.schedule, skewed.schedule]) {
      expect(getBooking(doc, rig.ids.job)!.notes).toBe('the office, at 14:07');
      expect(lostWrites(scheduleMaps(doc).bookings.get(rig.ids.job)!, ['notes']).map((l) => l.loser.value.notes)).toEqual(['skewed again, offline']);
    }
  });
});
