import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getBooking, readHistory } from '../../../core/doc/schedule';
import { getProvider, getService, readSettings } from '../../../core/doc/roster';
import { roomName } from '../../../core/sync/rooms';
import { waitUntil } from '../sync/testing/harness';
import { chicago, iso, NOW, PASSWORD, startFieldFixture, TODAY, TOMORROW, type FieldFixture, type Reply } from './testing/field-fixture';

/**
 * The field API against a real server with real accounts: technicians see and move only their own jobs,
 * the state machine's refusals come back as 409 with its reason, other roles are refused, and every
 * accepted change is in rooms.sqlite when the answer arrives and reaches a connected desktop (a stock
 * WebsocketProvider) live.
 */

/** Every key of the field-safe job shape, and nothing else. */
const FIELD_JOB_KEYS = [
  'accessNotes',
  'actions',
  'address',
  'arrivalWindow',
  'coordinates',
  'customer',
  'date',
  'durationMinutes',
  'end',
  'id',
  'notes',
  'priority',
  'service',
  'start',
  'status',
  'statusChangedAt',
  'statusNote',
  'teamMates',
  'timeLabel',
  'title',
];

function expectError(reply: Reply, status: number, code: string, field?: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body.error.code).toBe(code);
  expect(reply.body.error.message.length).toBeGreaterThan(3);
  if (field !== undefined) expect(reply.body.error.field).toBe(field);
}

/** The schedule as rooms.sqlite holds it (snapshot + log), read from the file. */
function scheduleOnDisk(f: FieldFixture): Y.Doc {
  const db = new Database(join(f.dataDir, 'rooms.sqlite'), { readonly: true });
  try {
    const room = roomName(f.orgId, 'schedule');
    const parts = [
      ...(db.prepare('SELECT data FROM room_snapshots WHERE room = ?').pluck().all(room) as Buffer[]),
      ...(db.prepare('SELECT data FROM room_updates WHERE room = ? ORDER BY id').pluck().all(room) as Buffer[]),
    ];
    const doc = new Y.Doc();
    for (const part of parts) Y.applyUpdate(doc, new Uint8Array(part));
    return doc;
  } finally {
    db.close();
  }
}

const status = (f: FieldFixture, token: string, id: string, json: unknown) =>
  f.call('POST', `/api/field/jobs/${id}/status`, { token, json });

describe('field API', () => {
  let f: FieldFixture;
  beforeEach(async () => {
    f = await startFieldFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  it("lists the caller's own jobs of a local day in route order, in the field-safe shape", async () => {
    const reply = await f.call('GET', `/api/field/jobs?date=${TODAY}`, { token: f.tokens.ana });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ date: TODAY, dateLabel: 'Tuesday, November 24, 2026', timeZone: 'America/Chicago', selfDispatch: true });
    // Bo's job, the cancelled job and tomorrow's are not in it.
    expect(reply.body.jobs.map((j: { id: string }) => j.id)).toEqual([f.jobs.team, f.jobs.anaLater]);
    const [team, later] = reply.body.jobs;
    expect(Object.keys(team).sort()).toEqual(FIELD_JOB_KEYS);
    expect(team).toMatchObject({
      title: 'Furnace tune-up',
      status: 'dispatched',
      date: TODAY,
      timeLabel: '09:00–10:30',
      arrivalWindow: { label: '09:00–10:00' },
      address: '12 Elm St, Chicago',
      customer: { name: 'Dana Whitfield', phone: '+1 312 555 0101' },
      service: 'Furnace tune-up',
      teamMates: ['Bo Chen'],
      accessNotes: 'Gate code 4411',
      notes: 'Bring two filters',
      actions: ['en_route', 'running_late'],
      statusChangedAt: iso(NOW - 24 * 3_600_000),
    });
    // Planned but not sent: nothing to do in the field yet but report being late.
    expect(later).toMatchObject({ title: 'Outlet repair', status: 'scheduled', actions: ['running_late'], teamMates: [] });
    // Nothing dispatcher-only: no history, no stamps' authors, no other technician's job or customer.
    for (const secret of ['history', 'Ana Admin', 'u-admin', 'slotMove', '"dispatched":', '"created":', '"by":', 'Water heater flush', 'Customer away', 'Fay Lin', 'conflicts']) {
      expect(reply.text).not.toContain(secret);
    }

    // Without a date: today in the organization's zone (08:00 in Chicago is 14:00 UTC).
    const today = await f.call('GET', '/api/field/jobs', { token: f.tokens.ana });
    expect(today.body.date).toBe(TODAY);
    expect(today.body.jobs).toHaveLength(2);
    const tomorrow = await f.call('GET', `/api/field/jobs?date=${TOMORROW}`, { token: f.tokens.ana });
    expect(tomorrow.body.jobs.map((j: { id: string }) => j.id)).toEqual([f.jobs.tomorrow]);
    // After 18:00 Chicago time, UTC is already on the next day; the organization's day is still today.
    f.setNow(Date.parse(`${TOMORROW}T02:00:00Z`));
    expect((await f.call('GET', '/api/field/jobs', { token: f.tokens.ana })).body.date).toBe(TODAY);

    const bo = await f.call('GET', `/api/field/jobs?date=${TODAY}`, { token: f.tokens.bo });
    expect(bo.body.jobs.map((j: { id: string }) => j.id)).toEqual([f.jobs.team, f.jobs.bo]);
    expect(bo.body.jobs[0].teamMates).toEqual(['Ana Silva']);

    expectError(await f.call('GET', '/api/field/jobs?date=2026-02-30', { token: f.tokens.ana }), 400, 'validation', 'date');
    expectError(await f.call('GET', '/api/field/jobs?date=tomorrow', { token: f.tokens.ana }), 400, 'validation', 'date');
  });

  it("answers one own job; another technician's job is 404 exactly like a missing one; a cancelled one is 410", async () => {
    const own = await f.call('GET', `/api/field/jobs/${f.jobs.team}`, { token: f.tokens.ana });
    expect(own.status).toBe(200);
    expect(Object.keys(own.body.job).sort()).toEqual(FIELD_JOB_KEYS);
    const others = await f.call('GET', `/api/field/jobs/${f.jobs.bo}`, { token: f.tokens.ana });
    const missing = await f.call('GET', '/api/field/jobs/01900000-0000-7000-8000-0000000000ff', { token: f.tokens.ana });
    const malformed = await f.call('GET', '/api/field/jobs/not-an-id', { token: f.tokens.ana });
    expectError(others, 404, 'not_found');
    expect(others.body).toEqual(missing.body);
    expect(malformed.body).toEqual(missing.body);
    expectError(await f.call('GET', `/api/field/jobs/${f.jobs.cancelled}`, { token: f.tokens.ana }), 410, 'cancelled');
  });

  it('moves a job en route, in, out along the state machine: on disk when answered, live at a connected desktop', async () => {
    const steps = [
      { status: 'en_route', actions: ['in_progress', 'running_late'], history: 'En route' },
      { status: 'in_progress', actions: ['completed', 'running_late'], history: 'Checked in' },
      { status: 'completed', actions: [], history: 'Checked out: Filters replaced' },
    ] as const;
    for (const [index, step] of steps.entries()) {
      const at = NOW + index * 30 * 60_000;
      f.setNow(at);
      const reply = await status(f, f.tokens.ana, f.jobs.team, step.status === 'completed' ? { status: step.status, note: 'Filters replaced' } : { status: step.status });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.job).toMatchObject({ id: f.jobs.team, status: step.status, actions: step.actions, statusChangedAt: iso(at) });
      // Committed before the answer: the file already holds the change.
      const disk = getBooking(scheduleOnDisk(f), f.jobs.team)!;
      expect(disk.status).toBe(step.status);
      expect(disk.statusChanged).toEqual({ at: iso(at), by: { id: expect.any(String), name: 'Ana Silva' } });
      // Live at the admin's desktop (a stock WebsocketProvider on the schedule room).
      await waitUntil(() => getBooking(f.desk.schedule.doc, f.jobs.team)?.status === step.status, 5000, `${step.status} at the desktop`);
      const history = readHistory(f.desk.schedule.doc, f.jobs.team);
      expect(history.at(-1)).toMatchObject({ action: step.status, summary: step.history, by: { name: 'Ana Silva' }, at: iso(at) });
    }
    expect(getBooking(f.desk.schedule.doc, f.jobs.team)!.statusNote).toBe('Filters replaced');
    // Bo, on the same job, sees it done.
    const bo = await f.call('GET', `/api/field/jobs/${f.jobs.team}`, { token: f.tokens.bo });
    expect(bo.body.job).toMatchObject({ status: 'completed', actions: [] });

    const again = await status(f, f.tokens.ana, f.jobs.team, { status: 'completed' });
    expectError(again, 409, 'illegal_transition');
    expect(again.body.error.message).toBe('The job is already Completed');
  });

  it('reports running late with a note; the status stays', async () => {
    const reply = await status(f, f.tokens.ana, f.jobs.team, { status: 'running_late', note: '20 min, traffic on I-90' });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.job).toMatchObject({ status: 'dispatched', statusNote: 'Running late: 20 min, traffic on I-90' });
    await waitUntil(() => getBooking(f.desk.schedule.doc, f.jobs.team)?.statusNote === 'Running late: 20 min, traffic on I-90', 5000, 'late note at the desktop');
    expect(readHistory(f.desk.schedule.doc, f.jobs.team).at(-1)).toMatchObject({ action: 'running_late', by: { name: 'Ana Silva' } });
    expectError(await status(f, f.tokens.ana, f.jobs.team, { status: 'running_late' }), 400, 'validation', 'note');
    expectError(await status(f, f.tokens.ana, f.jobs.team, { status: 'running_late', note: '   ' }), 400, 'validation', 'note');
  });

  it("refuses another technician's job (404), cancelled jobs and illegal transitions (409 with the state machine's reason), and bad input", async () => {
    const before = Y.encodeStateAsUpdate(f.schedule());
    const others = await status(f, f.tokens.ana, f.jobs.bo, { status: 'en_route' });
    const missing = await status(f, f.tokens.ana, '01900000-0000-7000-8000-0000000000ff', { status: 'en_route' });
    expectError(others, 404, 'not_found');
    expect(others.body).toEqual(missing.body);
    expectError(await status(f, f.tokens.ana, f.jobs.bo, { status: 'running_late', note: 'late' }), 404, 'not_found');

    const cancelled = await status(f, f.tokens.ana, f.jobs.cancelled, { status: 'en_route' });
    expectError(cancelled, 409, 'illegal_transition');
    expect(cancelled.body.error.message).toBe('Cannot go from Cancelled to En route: The job is Cancelled and can no longer change');
    expectError(await status(f, f.tokens.ana, f.jobs.cancelled, { status: 'running_late', note: 'late' }), 409, 'illegal_transition');

    const notSent = await status(f, f.tokens.ana, f.jobs.anaLater, { status: 'en_route' });
    expectError(notSent, 409, 'illegal_transition');
    expect(notSent.body.error.message).toBe('Cannot go from Scheduled to En route: A job must be Dispatched before the technician can be en route');
    const skip = await status(f, f.tokens.ana, f.jobs.team, { status: 'in_progress' });
    expectError(skip, 409, 'illegal_transition');
    expect(skip.body.error.message).toBe('Cannot go from Dispatched to In progress: A technician checks in only after being en route');

    expectError(await status(f, f.tokens.ana, f.jobs.team, { status: 'cancelled' }), 400, 'validation', 'status');
    expectError(await status(f, f.tokens.ana, f.jobs.team, {}), 400, 'validation', 'status');
    expectError(await status(f, f.tokens.ana, f.jobs.team, { status: 'en_route', by: 'someone' }), 400, 'validation', 'by');
    expectError(await status(f, f.tokens.ana, f.jobs.team, { status: 'en_route', note: 'x'.repeat(1001) }), 400, 'validation', 'note');
    expectError(await status(f, f.tokens.ana, f.jobs.team, ['en_route']), 400, 'validation');
    expectError(await f.call('POST', `/api/field/jobs/${f.jobs.team}/status`, { token: f.tokens.ana, body: '{"status":' }), 400, 'bad_json');
    expectError(
      await f.call('POST', `/api/field/jobs/${f.jobs.team}/status`, { token: f.tokens.ana, body: 'en_route', contentType: 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    expectError(await f.call('GET', `/api/field/jobs/${f.jobs.team}/status`, { token: f.tokens.ana }), 405, 'method_not_allowed');
    // Nothing of it reached the document.
    expect(Y.encodeStateAsUpdate(f.schedule())).toEqual(before);
  });

  it('refuses dispatchers, admins, viewers (403), unlinked technicians (403) and missing or bad tokens (401)', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/field/jobs?date=${TODAY}`],
      ['GET', `/api/field/jobs/${f.jobs.team}`],
      ['POST', `/api/field/jobs/${f.jobs.team}/status`, { status: 'en_route' }],
      ['GET', '/api/field/available'],
      ['POST', `/api/field/jobs/${f.jobs.open}/claim`],
    ];
    for (const [method, path, json] of routes) {
      for (const token of [f.tokens.dispatcher, f.tokens.admin, f.tokens.viewer]) {
        expectError(await f.call(method, path, { token, json }), 403, 'forbidden');
      }
      const unlinked = await f.call(method, path, { token: f.tokens.unlinked, json });
      expectError(unlinked, 403, 'forbidden');
      expect(unlinked.body.error.message).toContain('not linked to a service provider');
      expectError(await f.call(method, path, { json }), 401, 'unauthenticated');
      expectError(await f.call(method, path, { token: 'A'.repeat(43), json }), 401, 'unauthenticated');
    }
    expect(getBooking(f.schedule(), f.jobs.team)!.status).toBe('dispatched');
    expect(getBooking(f.schedule(), f.jobs.open)!.slot!.assignees).toEqual([]);
  });

  it("keeps organizations apart: a technician of another organization linked to the same provider id sees and moves nothing", async () => {
    const accounts = f.server.accounts!;
    const { org } = await accounts.createOrganization({ name: 'Elsewhere' });
    await accounts.inviteUser(org.id, { email: 'zed@elsewhere.example', name: 'Zed', role: 'technician', providerId: f.providers.ana, password: PASSWORD });
    const login = await f.call('POST', '/api/auth/login', { json: { email: 'zed@elsewhere.example', password: PASSWORD } });
    const zed = login.body.token as string;
    const day = await f.call('GET', `/api/field/jobs?date=${TODAY}`, { token: zed });
    expect(day.status).toBe(200);
    expect(day.body.jobs).toEqual([]);
    expectError(await f.call('GET', `/api/field/jobs/${f.jobs.team}`, { token: zed }), 404, 'not_found');
    expectError(await status(f, zed, f.jobs.team, { status: 'en_route' }), 404, 'not_found');
    expect(getBooking(f.schedule(), f.jobs.team)!.status).toBe('dispatched');
  });
});

describe('self-dispatch', () => {
  let f: FieldFixture;
  afterEach(async () => {
    await f.stop();
  });

  it('offers open jobs without their customer; of three technicians claiming at once exactly one wins', async () => {
    f = await startFieldFixture({ selfDispatch: true });
    const offered = await f.call('GET', '/api/field/available', { token: f.tokens.cy });
    expect(offered.status, offered.text).toBe(200);
    expect(offered.body.jobs.map((j: { id: string }) => j.id)).toEqual([f.jobs.open]);
    expect(offered.body.jobs[0]).toEqual({
      id: f.jobs.open,
      title: 'Dryer vent cleaning',
      priority: 'normal',
      service: null,
      date: TOMORROW,
      start: '2026-11-25T16:00:00Z',
      end: '2026-11-25T17:00:00Z',
      timeLabel: '10:00–11:00',
      durationMinutes: 60,
      arrivalWindow: null,
      address: '7 Pine Rd, Chicago',
      teamSize: 1,
      cannotClaim: [],
    });
    expect(offered.text).not.toContain('Fay Lin');

    const racers = [
      { name: 'Ana Silva', token: f.tokens.ana, provider: f.providers.ana },
      { name: 'Bo Chen', token: f.tokens.bo, provider: f.providers.bo },
      { name: 'Cy Park', token: f.tokens.cy, provider: f.providers.cy },
    ];
    const replies = await Promise.all(racers.map((r) => f.call('POST', `/api/field/jobs/${f.jobs.open}/claim`, { token: r.token })));
    const winners = replies.flatMap((reply, i) => (reply.status === 200 ? [racers[i]!] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expectError(reply, 409, 'conflict');
      expect(reply.body.error.message).toBe('Someone else already took this job');
    }
    const won = replies.find((r) => r.status === 200)!;
    expect(won.body.job).toMatchObject({ id: f.jobs.open, status: 'dispatched', customer: { name: 'Fay Lin' }, actions: ['en_route', 'running_late'] });

    // One assignee in the document, dispatched in the same step, live at the desktop.
    const booking = getBooking(f.schedule(), f.jobs.open)!;
    expect(booking.slot!.assignees).toEqual([winner.provider]);
    expect(booking.status).toBe('dispatched');
    expect(booking.dispatched?.by.name).toBe(winner.name);
    await waitUntil(() => getBooking(f.desk.schedule.doc, f.jobs.open)?.status === 'dispatched', 5000, 'claim at the desktop');
    expect(getBooking(f.desk.schedule.doc, f.jobs.open)!.slot!.assignees).toEqual([winner.provider]);
    expect(getBooking(scheduleOnDisk(f), f.jobs.open)!.slot!.assignees).toEqual([winner.provider]);

    const mine = await f.call('GET', `/api/field/jobs?date=${TOMORROW}`, { token: winner.token });
    expect(mine.body.jobs.map((j: { id: string }) => j.id)).toContain(f.jobs.open);
    const twice = await f.call('POST', `/api/field/jobs/${f.jobs.open}/claim`, { token: winner.token });
    expectError(twice, 409, 'conflict');
    expect(twice.body.error.message).toBe('You already have this job');
    expect((await f.call('GET', '/api/field/available', { token: f.tokens.cy })).body.jobs).toEqual([]);

    // More rounds on fresh open jobs: every time exactly one of the three gets it.
    const more = Array.from({ length: 5 }, (_, i) =>
      f.desk.run<{ id: string }>('createBooking', {
        title: `Open job ${i}`,
        slot: { start: `2026-11-25T${18 + i}:00:00Z`, end: `2026-11-25T${18 + i}:30:00Z`, assignees: [] },
      }).id,
    );
    await waitUntil(() => more.every((id) => getBooking(f.schedule(), id) !== undefined), 5000, 'open jobs at the server');
    for (const id of more) {
      const round = await Promise.all(racers.map((r) => f.call('POST', `/api/field/jobs/${id}/claim`, { token: r.token })));
      expect(round.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const taker = racers[round.findIndex((r) => r.status === 200)]!;
      expect(getBooking(f.schedule(), id)!.slot!.assignees).toEqual([taker.provider]);
    }

    // Jobs that are someone's, undated or unknown are not claimable.
    expectError(await f.call('POST', `/api/field/jobs/${f.jobs.bo}/claim`, { token: f.tokens.cy }), 409, 'conflict');
    expectError(await f.call('POST', `/api/field/jobs/${f.jobs.undated}/claim`, { token: f.tokens.cy }), 409, 'conflict');
    expectError(await f.call('POST', '/api/field/jobs/01900000-0000-7000-8000-0000000000ff/claim', { token: f.tokens.cy }), 404, 'not_found');
  });

  it('refuses, with 409 and the engine\'s reasons, a claim that breaks a hard rule; the list says why; a valid claim still wins the race', async () => {
    f = await startFieldFixture({ selfDispatch: true });
    // An electrician, a plumber and a two-person plumbing job running past everyone's hours.
    f.desk.run('updateProvider', { id: f.providers.cy, skills: ['electrical'] });
    const pipes = f.desk.run<{ id: string }>('createService', { name: 'Pipe replacement', durationMinutes: 120, laborHours: 4, teamSize: 2, requiredSkills: ['plumbing'] }).id;
    const evening = f.desk.run<{ id: string }>('createBooking', {
      title: 'Burst pipe',
      serviceId: pipes,
      slot: { start: chicago(TOMORROW, '15:30'), end: chicago(TOMORROW, '17:30'), assignees: [] },
    }).id;
    // Overlaps Ana's 09:00–10:00 job tomorrow; Bo and Cy are free then.
    const overlapping = f.desk.run<{ id: string }>('createBooking', {
      title: 'Smoke detector check',
      slot: { start: chicago(TOMORROW, '09:30'), end: chicago(TOMORROW, '10:00'), assignees: [] },
    }).id;
    await waitUntil(() => getBooking(f.schedule(), overlapping) !== undefined, 5000, 'jobs at the server');
    const roster = () => f.server.rooms.get(roomName(f.orgId, 'roster'))!.doc;
    await waitUntil(() => getService(roster(), pipes) !== undefined && getProvider(roster(), f.providers.cy)!.skills.length === 1, 5000, 'roster at the server');

    const claim = await f.call('POST', `/api/field/jobs/${evening}/claim`, { token: f.tokens.cy });
    expectError(claim, 409, 'conflict');
    const reasons = [
      'Understaffed: needs 2 people, 1 assigned',
      "15:30–17:30 is outside Cy Park's working hours",
      'Cy Park lacks the skill plumbing',
    ];
    expect(claim.body.error.reasons).toEqual(reasons);
    expect(claim.body.error.message).toBe(`You cannot take this job: ${reasons.join('; ')}`);
    expect(getBooking(f.schedule(), evening)!.slot!.assignees).toEqual([]);
    expect(readHistory(f.schedule(), evening).map((e) => e.action)).not.toContain('claim');

    // The list marks what Cy cannot take, with the same reasons; the rest is his to claim.
    const offered = await f.call('GET', '/api/field/available', { token: f.tokens.cy });
    const verdicts = Object.fromEntries(offered.body.jobs.map((j: { id: string; cannotClaim: string[] }) => [j.id, j.cannotClaim]));
    expect(verdicts).toEqual({ [f.jobs.open]: [], [overlapping]: [], [evening]: reasons });
    const forAna = await f.call('GET', '/api/field/available', { token: f.tokens.ana });
    const anaVerdict = forAna.body.jobs.find((j: { id: string }) => j.id === overlapping).cannotClaim;
    expect(anaVerdict).toEqual(['Ana Silva is double-booked with "Thermostat install" 09:00–10:00']);

    // Three claim the overlapping job at once: Ana is refused by the rules, of Bo and Cy exactly one wins.
    const racers = [
      { token: f.tokens.ana, provider: f.providers.ana },
      { token: f.tokens.bo, provider: f.providers.bo },
      { token: f.tokens.cy, provider: f.providers.cy },
    ];
    const replies = await Promise.all(racers.map((r) => f.call('POST', `/api/field/jobs/${overlapping}/claim`, { token: r.token })));
    expectError(replies[0]!, 409, 'conflict');
    expect(replies[0]!.body.error.reasons).toEqual(anaVerdict);
    const rest = replies.slice(1);
    expect(rest.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = racers[1 + rest.findIndex((r) => r.status === 200)]!;
    expect(rest.find((r) => r.status === 409)!.body.error.message).toBe('Someone else already took this job');
    expect(getBooking(f.schedule(), overlapping)!.slot!.assignees).toEqual([winner.provider]);
    await waitUntil(() => getBooking(f.desk.schedule.doc, overlapping)?.status === 'dispatched', 5000, 'claim at the desktop');
  });

  it('refuses a claim outside the available window (day over, or beyond 14 days) by the server’s clock', async () => {
    f = await startFieldFixture({ selfDispatch: true });
    const open = (title: string, date: string) =>
      f.desk.run<{ id: string }>('createBooking', { title, slot: { start: chicago(date, '10:00'), end: chicago(date, '11:00'), assignees: [] } }).id;
    const yesterday = open('Yesterday’s job', '2026-11-23');
    const lastDay = open('Last day of the window', '2026-12-07');
    const beyond = open('Too far ahead', '2026-12-08');
    await waitUntil(() => [yesterday, lastDay, beyond].every((id) => getBooking(f.schedule(), id) !== undefined), 5000, 'jobs at the server');

    const offered = await f.call('GET', '/api/field/available', { token: f.tokens.cy });
    expect(offered.body.jobs.map((j: { id: string }) => j.id)).toEqual([f.jobs.open, lastDay]);

    const over = await f.call('POST', `/api/field/jobs/${yesterday}/claim`, { token: f.tokens.cy });
    expectError(over, 409, 'conflict');
    expect(over.body.error.message).toBe('This job was on Monday, November 23; that day is over, so it can no longer be claimed');
    const early = await f.call('POST', `/api/field/jobs/${beyond}/claim`, { token: f.tokens.cy });
    expectError(early, 409, 'conflict');
    expect(early.body.error.message).toBe('This job on Tuesday, December 8 is not open for claiming yet: it can be claimed from Wednesday, November 25');
    for (const id of [yesterday, beyond]) expect(getBooking(f.schedule(), id)!.slot!.assignees).toEqual([]);
    expect((await f.call('POST', `/api/field/jobs/${lastDay}/claim`, { token: f.tokens.cy })).status).toBe(200);

    // The server's clock moves on two days (the desktop's clock plays no part): tomorrow's open job is now
    // over, and the far one has come into the window.
    f.setNow(Date.parse(chicago('2026-11-26', '08:00')));
    const missed = await f.call('POST', `/api/field/jobs/${f.jobs.open}/claim`, { token: f.tokens.bo });
    expectError(missed, 409, 'conflict');
    expect(missed.body.error.message).toBe('This job was on Wednesday, November 25; that day is over, so it can no longer be claimed');
    const now = await f.call('POST', `/api/field/jobs/${beyond}/claim`, { token: f.tokens.bo });
    expect(now.status, now.text).toBe(200);
    expect(getBooking(f.schedule(), beyond)!.slot!.assignees).toEqual([f.providers.bo]);
  });

  it('is refused while the organization has self-dispatch turned off', async () => {
    f = await startFieldFixture({ selfDispatch: false });
    const day = await f.call('GET', `/api/field/jobs?date=${TODAY}`, { token: f.tokens.cy });
    expect(day.body.selfDispatch).toBe(false);
    expectError(await f.call('GET', '/api/field/available', { token: f.tokens.cy }), 403, 'forbidden');
    const claim = await f.call('POST', `/api/field/jobs/${f.jobs.open}/claim`, { token: f.tokens.cy });
    expectError(claim, 403, 'forbidden');
    expect(claim.body.error.message).toBe('Self-dispatch is turned off for this organization');
    expect(getBooking(f.schedule(), f.jobs.open)!.slot!.assignees).toEqual([]);

    // An admin turns it on from a desktop: the server follows the roster document.
    f.desk.run('updateSettings', { selfDispatch: true });
    await waitUntil(() => readSettings(f.server.rooms.get(roomName(f.orgId, 'roster'))!.doc).selfDispatch, 5000, 'setting at the server');
    expect((await f.call('GET', '/api/field/available', { token: f.tokens.cy })).body.jobs).toHaveLength(1);
    expect((await f.call('POST', `/api/field/jobs/${f.jobs.open}/claim`, { token: f.tokens.cy })).status).toBe(200);
  });
});
