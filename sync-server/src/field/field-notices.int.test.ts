import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getBooking } from '../../../core/doc/schedule';
import { chicago, startFieldFixture, TODAY, type FieldFixture } from './testing/field-fixture';

/**
 * The technician page's notices (`GET /api/field/notices`): a technician who had been sent a job and then
 * lost it (reassigned away or moved by a Save that notified nobody, or cancelled) reads it on /tech/, from
 * the notification worker's log, on a real server with real accounts and the worker running on its own.
 */
describe('field notices', () => {
  let f: FieldFixture;
  beforeEach(async () => {
    f = await startFieldFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  const notices = async (token: string) => {
    const reply = await f.call('GET', '/api/field/notices', { token });
    expect(reply.status, reply.text).toBe(200);
    return reply.body.notices as Array<{ kind: string; bookingId: string; title: string; message: string }>;
  };
  // What the worker last saw of a job (read through `await`: the store answers later on other backends).
  const seen = async (id: string) => (await f.server.notifications!.store.loadSeen(f.orgId)).get(id);
  const settle = (what: () => Promise<unknown>, expected: unknown) => expect.poll(what, { timeout: 10_000, interval: 20 }).toEqual(expected);

  it('tells a technician on their way that the job was given to someone else, and one whose job moved where it went', async () => {
    const onTheWay = await f.call('POST', `/api/field/jobs/${f.jobs.bo}/status`, { token: f.tokens.bo, json: { status: 'en_route' } });
    expect(onTheWay.status, onTheWay.text).toBe(200);
    await settle(async () => [(await seen(f.jobs.bo))?.status, (await seen(f.jobs.team))?.status], ['en_route', 'dispatched']);
    expect(await notices(f.tokens.bo)).toEqual([]);

    // The office saves, telling nobody: Bo's job goes to Cy, the team job moves to 13:00, Ana's unsent job is cancelled.
    const team = getBooking(f.desk.schedule.doc, f.jobs.team)!;
    f.desk.run('saveChanges', {
      changes: [
        { id: f.jobs.bo, slot: { start: chicago(TODAY, '11:00'), end: chicago(TODAY, '12:00'), assignees: [f.providers.cy] } },
        { id: f.jobs.team, slot: { ...team.slot!, start: chicago(TODAY, '13:00'), end: chicago(TODAY, '14:30') } },
      ],
      notifyProviders: false,
      notifyCustomers: false,
    });
    f.desk.run('cancelBooking', { id: f.jobs.anaLater, reason: 'Customer called' });
    await settle(async () => [(await seen(f.jobs.anaLater))?.status, (await seen(f.jobs.bo))?.assignees, (await seen(f.jobs.team))?.start], [
      'cancelled',
      [f.providers.cy],
      chicago(TODAY, '13:00'),
    ]);

    const moved = 'Moved to Tue, Nov 24, 2026, 13:00–14:30 CST (was Tue, Nov 24, 2026, 09:00–10:30 CST).';
    const bo = await notices(f.tokens.bo);
    expect(bo.find((n) => n.bookingId === f.jobs.bo)).toEqual({
      id: expect.any(String),
      bookingId: f.jobs.bo,
      kind: 'removed',
      title: 'Water heater flush',
      message: 'You are no longer on this job. Do not go.',
      at: '2026-11-24T14:00:00Z',
    });
    // Bo is on the team job too: it moved.
    expect(bo.map((n) => [n.kind, n.bookingId]).sort()).toEqual([['moved', f.jobs.team], ['removed', f.jobs.bo]]);
    const ana = await notices(f.tokens.ana);
    // The team job moved; the job she had not been sent yet tells her nothing.
    expect(ana.map((n) => [n.kind, n.bookingId, n.message])).toEqual([
      ['moved', f.jobs.team, moved],
    ]);
    // Cy was added by a Save that chose not to notify: that choice stands for him, and he learns nothing was taken.
    expect(await notices(f.tokens.cy)).toEqual([]);
    // Nobody else's notices, and not for other roles.
    expect((await f.call('GET', '/api/field/notices', { token: f.tokens.dispatcher })).status).toBe(403);
  });

  it('tells the technicians of a dispatched job that it was cancelled', async () => {
    await settle(async () => (await seen(f.jobs.team))?.status, 'dispatched');
    f.desk.run('cancelBooking', { id: f.jobs.team, reason: 'Customer away' });
    await settle(async () => (await seen(f.jobs.team))?.status, 'cancelled');
    for (const token of [f.tokens.ana, f.tokens.bo]) {
      expect((await notices(token)).map((n) => [n.kind, n.title, n.message])).toEqual([['cancelled', 'Furnace tune-up', 'Cancelled by the office. Do not go.']]);
    }
  });
});
