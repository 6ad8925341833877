/**
 * Every reader on the server is total: documents stored before updates were checked may hold records of
 * the wrong types (here written straight into rooms.sqlite, past every check). The field API, the calendar
 * feeds, the notification worker and the archiver pass over each such record, log it once, and keep
 * serving everything else: no 500 for the other technicians, no stopped worker.
 */
import { writeGroups } from '../../../core/doc/records';
import { BOOKING_GROUPS } from '../../../core/doc/groups';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rosterMaps } from '../../../core/doc/roster';
import { readHistory, scheduleMaps } from '../../../core/doc/schedule';
import { OrgClient } from '../notifications/testing/org-client';
import { ORG_A } from './testing/harness';
import { NOON, ROSTER, SCHEDULE, startOrgRig, TODAY, updateAfter, type OrgRig } from './testing/org-rig';
import { captureLog, type CapturedLog } from '../testing/capture-log';

const JUNK_ID = '0190ffff-0000-7000-8000-0000000000bb';
const stamp = { at: '2026-10-01T15:00:00Z', by: { id: 'u', name: 'U' } };

describe('readers pass over records stored before updates were checked', () => {
  let r: OrgRig | null = null;
  let said: CapturedLog = captureLog();
  afterEach(async () => {
    vi.restoreAllMocks();
    await r?.t.stop();
    r = null;
  });

  /** Ana's good job and two of hers broken on disk; Ben's job; a job closed long ago, due for the archive. */
  async function poisonedOrganization() {
    said = captureLog();
    const rig = (r = await startOrgRig({ log: said.log }));
    const { admin, ids, clock } = rig;
    const badSlot = admin.run('createBooking', { title: 'Broken slot', slot: { ...NOON, assignees: [ids.ana] } }).id;
    const badStatus = admin.run('createBooking', { title: 'Broken status', slot: { ...NOON, assignees: [ids.ana] } }).id;
    clock.set('2026-10-01T14:00:00Z');
    const old = admin.run('createBooking', {
      title: 'Closed in October',
      slot: { start: '2026-10-01T15:00:00Z', end: '2026-10-01T16:00:00Z', assignees: [ids.ben] },
    }).id;
    admin.run('sendToTech', { id: old });
    for (const status of ['en_route', 'in_progress', 'completed'] as const) admin.run('updateStatus', { id: old, status });
    clock.set('2026-11-24T14:00:00Z');
    await admin.pushedTo(() => rig.docs());

    const goodHistory = readHistory(rig.docs().schedule, ids.job).length;
    await rig.restartWith((room, doc) =>
      room === SCHEDULE
        ? updateAfter(doc, (d) => {
            const { bookings, history, notificationRequests } = scheduleMaps(d);
            bookings.get(badSlot)!.set('slot', 5);
            // Closed, with a stamp the archiver's date arithmetic cannot read.
            bookings.get(badStatus)!.set('status', { status: 'completed', statusChanged: { ...stamp, at: 5 } });
            bookings.set(JUNK_ID, 'junk' as never);
            history.get(ids.job)!.push([null as never, { id: 'not an entry' } as never]);
            notificationRequests.set(JUNK_ID, { bookingIds: 'all' } as never);
          })
        : room === ROSTER
          ? updateAfter(doc, (d) => {
              const { providers, customers, settings } = rosterMaps(d);
              providers.get(ids.cat)!.set('profile', { name: 42 });
              customers.get(ids.dee)!.set('notes', { notes: ['not', 'text'] });
              settings.set('dailyEmailTime', 7);
            })
          : null,
    );
    return { rig, ids, badSlot, badStatus, old, goodHistory };
  }

  it('the field API answers every technician, without the broken jobs', async () => {
    const { rig, ids, badSlot, badStatus } = await poisonedOrganization();

    for (let i = 0; i < 3; i++) {
      const ana = await rig.call('GET', `/api/field/jobs?date=${TODAY}`, 'tech-ana');
      expect(ana.status).toBe(200);
      expect(ana.body.jobs.map((j: { id: string }) => j.id)).toEqual([ids.job]);
      const ben = await rig.call('GET', `/api/field/jobs?date=${TODAY}`, 'tech-ben');
      expect(ben.status).toBe(200);
      expect(ben.body.jobs.map((j: { id: string }) => j.id)).toEqual([ids.bensJob]);
    }
    expect((await rig.call('GET', `/api/field/jobs/${badSlot}`, 'tech-ana')).status).toBe(404);
    expect((await rig.call('POST', `/api/field/jobs/${badStatus}/status`, 'tech-ana', { status: 'en_route' })).status).toBe(404);
    // Dee's record is broken (her notes), so the job shows no customer rather than failing.
    expect((await rig.call('GET', `/api/field/jobs/${ids.job}`, 'tech-ana')).body.job.customer).toBeNull();

    // Each broken record is logged once, however many requests read it.
    const passedOver = said.events('unreadable_record').map(({ kind, id, problem }) => `${kind} ${id}: ${problem}`);
    expect(passedOver.filter((line) => line.includes(badSlot))).toEqual([`booking ${badSlot}: slot: expected object, received number`]);
    expect(passedOver.filter((line) => line.startsWith('setting dailyEmailTime'))).toHaveLength(1);
    expect(new Set(passedOver).size).toBe(passedOver.length);
  });

  it('the calendar feeds serve every provider, counting only history entries that read as entries', async () => {
    const { rig, ids, badSlot, goodHistory } = await poisonedOrganization();
    const feedOf = async (providerId: string) => {
      const address = await rig.call('GET', `/api/admin/providers/${providerId}/calendar-feed`, 'admin-a');
      return rig.call('GET', address.body.path, '');
    };
    const ana = await feedOf(ids.ana);
    expect(ana.status).toBe(200);
    expect(ana.text).toContain(`UID:${ids.job}@crewline`);
    expect(ana.text).not.toContain(badSlot);
    expect(ana.text).toContain(`SEQUENCE:${goodHistory}`);
    const ben = await feedOf(ids.ben);
    expect(ben.status).toBe(200);
    expect(ben.text).toContain(`UID:${ids.bensJob}@crewline`);
    // Cat's own record is broken: no such provider, like one that was never there.
    expect((await rig.call('GET', `/api/admin/providers/${ids.cat}/calendar-feed`, 'admin-a')).status).toBe(404);
  });

  it('the worker keeps scanning and sending (en route still tells the customer), and the archiver archives the rest', async () => {
    const { rig, ids, old } = await poisonedOrganization();
    // Dee's record is broken, so she is out of reach; a customer whose record reads is told.
    const desk = await new OrgClient(rig.t.wsUrl, ORG_A, 'admin-a', rig.clock).connect();
    try {
      const eli = desk.run('createCustomer', { name: 'Eli Moreno', email: 'eli@example.com', channels: { email: true, sms: false } }).id;
      desk.run('updateBooking', { id: ids.job, customerId: eli });
      await desk.pushedTo(() => rig.docs());
    } finally {
      desk.disconnect();
    }
    expect((await rig.call('POST', `/api/field/jobs/${ids.job}/status`, 'tech-ana', { status: 'en_route' })).status).toBe(200);
    const mail = await rig.delivered((m) => m.channel === 'email' && m.to === 'eli@example.com');
    expect(mail.subject).toContain('on the way');
    expect(rig.t.server.notifications!.worker.stats.scans).toBeGreaterThan(0);

    expect(rig.t.server.archiver.runOnce()).toEqual([{ orgId: ORG_A, archived: [old] }]);
    expect(scheduleMaps(rig.docs().schedule).archived.has(old)).toBe(true);
    expect(said.entries().filter((e) => e.level === 'error' || e.level === 'fatal')).toEqual([]);
  });

  it('an admin can repair a broken record group by group, and it reads again', async () => {
    const { rig, ids, badSlot } = await poisonedOrganization();
    const desk = await new OrgClient(rig.t.wsUrl, ORG_A, 'admin-a', rig.clock).connect();
    try {
      // A group write, as a console's "set the slot" would after the fix: only this group is checked.
      desk.schedule.transact(() => {
        writeGroups(scheduleMaps(desk.schedule).bookings.get(badSlot)!, BOOKING_GROUPS, { slot: { ...NOON, assignees: [ids.ana] } });
      });
      await desk.pushedTo(() => rig.docs());
    } finally {
      desk.disconnect();
    }
    const day = await rig.call('GET', `/api/field/jobs?date=${TODAY}`, 'tech-ana');
    expect(day.body.jobs.map((j: { id: string }) => j.id).sort()).toEqual([ids.job, badSlot].sort());
  });
});
