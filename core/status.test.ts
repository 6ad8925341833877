import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from './testing/fixture';
import { COMMANDS, type CommandName } from './commands/index';
import { getBooking, readHistory, scheduleMaps } from './doc/schedule';
import { STATUSES, type Actor, type Slot, type Status } from './model';
import { checkTransition, effectiveStatus, STATUS_LABELS, statusAfterSlotChange, TRANSITIONS } from './status';

// ---------------------------------------------------------------------------------------------------
// Fixture

const DISPATCHER: Actor = { id: 'user-dispatch', name: 'Dana Dispatcher', role: 'dispatcher' };
const VIEWER: Actor = { id: 'user-viewer', name: 'Vic Viewer', role: 'viewer' };
const T0 = '2026-11-24T15:00:00Z'; // Tue 09:00 in America/Chicago
const T1 = '2026-11-24T16:00:00Z';

interface Crew {
  ws: Workspace;
  ana: string;
  bo: string;
  techAna: Actor;
  techBo: Actor;
}

function crew(opts: { selfDispatch?: boolean; idPrefix?: number } = {}): Crew {
  const ws = createWorkspace({ idPrefix: opts.idPrefix ?? 0 });
  ws.must('initializeOrganization', {
    name: 'Acme HVAC',
    timeZone: 'America/Chicago',
    selfDispatch: opts.selfDispatch ?? false,
  });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  return {
    ws,
    ana,
    bo,
    techAna: { id: 'user-ana', name: 'Ana Silva', role: 'technician', providerId: ana },
    techBo: { id: 'user-bo', name: 'Bo Chen', role: 'technician', providerId: bo },
  };
}

const OPEN: readonly Status[] = ['unscheduled', 'scheduled', 'dispatched', 'en_route', 'in_progress'];

/** Creates a job and drives it to `status` through the real commands (never by writing the doc). */
function jobIn(c: Crew, status: Status, assignees: string[] = [c.ana]): string {
  const { ws } = c;
  const id = ws.must('createBooking', { title: `Job ${status}`, teamSize: Math.max(1, assignees.length) }).id;
  if (status === 'unscheduled') return id;
  ws.must('setSlot', { id, slot: { start: T0, end: T1, assignees } });
  if (status === 'scheduled') return id;
  if (status === 'cancelled') {
    ws.must('cancelBooking', { id, reason: 'Customer called off' });
    return id;
  }
  ws.must('sendToTech', { id });
  if (status === 'dispatched') return id;
  ws.must('updateStatus', { id, status: 'en_route' });
  if (status === 'en_route') return id;
  ws.must('updateStatus', { id, status: 'in_progress' });
  if (status === 'in_progress') return id;
  ws.must('updateStatus', { id, status: 'completed' });
  return id;
}

const status = (ws: Workspace, id: string) => getBooking(ws.schedule, id)!.status;

function snapshot(ws: Workspace) {
  return [Y.encodeStateAsUpdate(ws.roster), Y.encodeStateAsUpdate(ws.schedule)];
}

function syncBoth(a: Workspace, b: Workspace) {
  for (const key of ['roster', 'schedule'] as const) {
    Y.applyUpdate(b[key], Y.encodeStateAsUpdate(a[key], Y.encodeStateVector(b[key])), 'remote');
    Y.applyUpdate(a[key], Y.encodeStateAsUpdate(b[key], Y.encodeStateVector(a[key])), 'remote');
  }
}

function expectFailure(result: { ok: boolean; error?: { code: string; message: string } }, code: string, message?: RegExp) {
  expect(result.ok, `expected ${code}, got ${JSON.stringify(result)}`).toBe(false);
  expect(result.error!.code).toBe(code);
  if (message) expect(result.error!.message).toMatch(message);
}

// ---------------------------------------------------------------------------------------------------
// The transition table itself

describe('checkTransition over every pair of statuses', () => {
  it('TRANSITIONS is the lifecycle of docs/design.md §3', () => {
    // The written spec, independent of the implementation's table.
    const legal = new Set([
      'unscheduled>scheduled',
      'unscheduled>cancelled',
      'scheduled>unscheduled',
      'scheduled>dispatched',
      'scheduled>cancelled',
      'dispatched>unscheduled',
      'dispatched>en_route',
      'dispatched>cancelled',
      'en_route>in_progress',
      'en_route>cancelled',
      'in_progress>completed',
      'in_progress>cancelled',
    ]);
    const table = STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => `${from}>${to}`));
    expect(new Set(table)).toEqual(legal);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATUSES].sort());
  });

  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s -> %s', (from, to) => {
    const result = checkTransition(from, to);
    if (TRANSITIONS[from].includes(to)) {
      expect(result).toEqual({ ok: true, value: undefined });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('illegal_transition');
    expect(result.error.message).toContain(STATUS_LABELS[from]);
    expect(result.error.message).toContain(STATUS_LABELS[to]);
    expect(result.error.message).not.toMatch(/undefined|Not allowed/);
    expect(result.error.details).toEqual({ from, to });
  });

  it('closed statuses allow nothing and say so', () => {
    for (const from of ['completed', 'cancelled'] as const) {
      for (const to of STATUSES.filter((s) => s !== from)) {
        const r = checkTransition(from, to);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.message).toMatch(/can no longer change/);
      }
    }
  });
});

describe('effectiveStatus and statusAfterSlotChange', () => {
  const full: Slot = { start: T0, end: T1, assignees: ['01900000-0000-7000-8000-000000000001'] };
  const empty: Slot = { start: T0, end: T1, assignees: [] };

  it.each(STATUSES)('stored %s with no slot, an empty slot and a complete slot', (stored) => {
    for (const slot of [null, empty]) {
      const expected = stored === 'scheduled' || stored === 'dispatched' ? 'unscheduled' : stored;
      expect(effectiveStatus(stored, slot)).toBe(expected);
    }
    expect(effectiveStatus(stored, full)).toBe(stored === 'unscheduled' ? 'scheduled' : stored);
  });

  it('planning edits: complete slot schedules, incomplete unschedules, field jobs keep someone, closed jobs refuse', () => {
    expect(statusAfterSlotChange('unscheduled', full)).toEqual({ ok: true, value: 'scheduled' });
    expect(statusAfterSlotChange('scheduled', empty)).toEqual({ ok: true, value: 'unscheduled' });
    expect(statusAfterSlotChange('dispatched', null)).toEqual({ ok: true, value: 'unscheduled' });
    expect(statusAfterSlotChange('dispatched', full)).toEqual({ ok: true, value: 'dispatched' });
    expect(statusAfterSlotChange('en_route', full)).toEqual({ ok: true, value: 'en_route' });
    for (const s of ['en_route', 'in_progress'] as const) {
      const r = statusAfterSlotChange(s, empty);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/needs a date and at least one technician/);
    }
    for (const s of ['completed', 'cancelled'] as const) {
      const r = statusAfterSlotChange(s, full);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('illegal_transition');
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Commands along every legal path

describe('legal paths through commands', () => {
  it('unscheduled -> scheduled by assigning a technician', () => {
    const c = crew();
    const id = jobIn(c, 'unscheduled');
    expect(status(c.ws, id)).toBe('unscheduled');
    c.ws.setNow('2026-11-23T13:00:00Z');
    c.ws.must('assignProvider', { id, providerId: c.ana, start: T0 }, DISPATCHER);
    const b = getBooking(c.ws.schedule, id)!;
    expect(b.status).toBe('scheduled');
    expect(b.slot?.assignees).toEqual([c.ana]);
    expect(b.statusChanged).toEqual({ at: '2026-11-23T13:00:00Z', by: { id: DISPATCHER.id, name: DISPATCHER.name } });
    expect(readHistory(c.ws.schedule, id).map((h) => h.action)).toEqual(['create', 'assign']);
  });

  it('a date without a technician stays unscheduled', () => {
    const c = crew();
    const id = jobIn(c, 'unscheduled');
    c.ws.must('setSlot', { id, slot: { start: T0, end: T1, assignees: [] } });
    expect(status(c.ws, id)).toBe('unscheduled');
  });

  it('scheduled -> dispatched by sendToTech, with a dispatch stamp {at, by}', () => {
    const c = crew();
    const id = jobIn(c, 'scheduled');
    expect(getBooking(c.ws.schedule, id)!.dispatched).toBeNull();
    c.ws.setNow('2026-11-23T14:30:00Z');
    c.ws.must('sendToTech', { id }, DISPATCHER);
    const b = getBooking(c.ws.schedule, id)!;
    expect(b.status).toBe('dispatched');
    expect(b.dispatched).toEqual({ at: '2026-11-23T14:30:00Z', by: { id: 'user-dispatch', name: 'Dana Dispatcher' } });
    expect(readHistory(c.ws.schedule, id).at(-1)).toMatchObject({ action: 'send_to_tech', summary: 'Sent to Ana Silva' });
  });

  it('dispatched -> en_route -> in_progress -> completed by updateStatus', () => {
    const c = crew();
    const id = jobIn(c, 'dispatched');
    const steps = ['en_route', 'in_progress', 'completed'] as const;
    for (const [i, next] of steps.entries()) {
      c.ws.setNow(`2026-11-24T15:0${i}:00Z`);
      const r = c.ws.run('updateStatus', { id, status: next, note: i === 0 ? 'leaving now' : '' }, c.techAna);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const b = getBooking(c.ws.schedule, id)!;
      expect(b.status).toBe(next);
      expect(b.statusChanged).toEqual({ at: `2026-11-24T15:0${i}:00Z`, by: { id: 'user-ana', name: 'Ana Silva' } });
    }
    expect(readHistory(c.ws.schedule, id).map((h) => h.action)).toEqual([
      'create', 'reschedule', 'send_to_tech', 'en_route', 'in_progress', 'completed',
    ]);
    expect(readHistory(c.ws.schedule, id)[3]!.summary).toBe('En route: leaving now');
  });

  it.each(OPEN)('cancel from %s', (from) => {
    const c = crew();
    const id = jobIn(c, from);
    expect(status(c.ws, id)).toBe(from);
    const r = c.ws.run('cancelBooking', { id, reason: 'Customer sold the house' }, DISPATCHER);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const b = getBooking(c.ws.schedule, id)!;
    expect(b.status).toBe('cancelled');
    expect(b.statusNote).toBe('Customer sold the house');
    expect(readHistory(c.ws.schedule, id).at(-1)).toMatchObject({ action: 'cancel', summary: 'Cancelled: Customer sold the house' });
  });

  it('dispatched -> unscheduled by unassigning everyone (and by unscheduling)', () => {
    const c = crew();
    const id = jobIn(c, 'dispatched', [c.ana, c.bo]);
    c.ws.must('unassignProvider', { id, providerId: c.ana });
    expect(status(c.ws, id)).toBe('dispatched'); // Bo is still on it
    c.ws.must('unassignProvider', { id });
    const b = getBooking(c.ws.schedule, id)!;
    expect(b.status).toBe('unscheduled');
    expect(b.slot).toEqual({ start: T0, end: T1, assignees: [] });

    const other = jobIn(c, 'dispatched');
    c.ws.must('unscheduleBooking', { id: other });
    expect(getBooking(c.ws.schedule, other)).toMatchObject({ status: 'unscheduled', slot: null });
  });

  it('scheduled -> unscheduled when the last technician is removed, and back by assigning', () => {
    const c = crew();
    const id = jobIn(c, 'scheduled');
    c.ws.must('setTeam', { id, assignees: [] });
    expect(status(c.ws, id)).toBe('unscheduled');
    c.ws.must('assignProvider', { id, providerId: c.bo });
    expect(status(c.ws, id)).toBe('scheduled');
    expect(getBooking(c.ws.schedule, id)!.slot).toEqual({ start: T0, end: T1, assignees: [c.bo] });
  });

  it('field jobs may be re-planned while someone stays on them', () => {
    const c = crew();
    const id = jobIn(c, 'in_progress', [c.ana, c.bo]);
    c.ws.must('unassignProvider', { id, providerId: c.bo });
    c.ws.must('moveBooking', { id, start: T1 });
    expect(getBooking(c.ws.schedule, id)).toMatchObject({
      status: 'in_progress',
      slot: { start: T1, end: '2026-11-24T17:00:00Z', assignees: [c.ana] },
    });
  });
});

describe('sendDayToTech (bulk send)', () => {
  it('dispatches only Scheduled jobs starting on that local day, in the organization zone', () => {
    const c = crew();
    const mk = (title: string, start: string, end: string, assignees: string[]) =>
      c.ws.must('createBooking', { title, slot: { start, end, assignees } }).id;
    const morning = mk('Morning', T0, T1, [c.ana]);
    const lateNight = mk('Late night', '2026-11-25T05:30:00Z', '2026-11-25T05:50:00Z', [c.bo]); // Tue 23:30 CST
    const nextDay = mk('Next day', '2026-11-25T06:30:00Z', '2026-11-25T07:00:00Z', [c.ana]); // Wed 00:30 CST
    const noTech = mk('No tech', T0, T1, []);
    const already = jobIn(c, 'en_route');
    const r = c.ws.run('sendDayToTech', { date: '2026-11-24' });
    expect(r.ok).toBe(true);
    if (r.ok) expect([...r.value.sent].sort()).toEqual([morning, lateNight].sort());
    expect(status(c.ws, morning)).toBe('dispatched');
    expect(status(c.ws, lateNight)).toBe('dispatched');
    expect(status(c.ws, nextDay)).toBe('scheduled');
    expect(status(c.ws, noTech)).toBe('unscheduled');
    expect(status(c.ws, already)).toBe('en_route');
    expect(getBooking(c.ws.schedule, morning)!.dispatched).not.toBeNull();
  });

  it('can be limited to some providers', () => {
    const c = crew();
    const anas = jobIn(c, 'scheduled', [c.ana]);
    const bos = jobIn(c, 'scheduled', [c.bo]);
    const r = c.ws.run('sendDayToTech', { date: '2026-11-24', providerIds: [c.bo] });
    expect(r.ok && r.value.sent).toEqual([bos]);
    expect(status(c.ws, anas)).toBe('scheduled');
  });
});

// ---------------------------------------------------------------------------------------------------
// Illegal moves

describe('illegal moves are refused with the reason', () => {
  it('sendToTech on an unscheduled job says it needs a date and a technician', () => {
    const c = crew();
    const undated = jobIn(c, 'unscheduled');
    const dateOnly = jobIn(c, 'unscheduled');
    c.ws.must('setSlot', { id: dateOnly, slot: { start: T0, end: T1, assignees: [] } });
    for (const id of [undated, dateOnly]) {
      const before = snapshot(c.ws);
      const r = c.ws.run('sendToTech', { id });
      expectFailure(r, 'illegal_transition');
      if (!r.ok) {
        expect(r.error.message).toMatch(/date/);
        expect(r.error.message).toMatch(/technician/);
      }
      expect(snapshot(c.ws)).toEqual(before);
      expect(getBooking(c.ws.schedule, id)!.dispatched).toBeNull();
    }
  });

  it('sendToTech twice or on a field job is refused', () => {
    const c = crew();
    expectFailure(c.ws.run('sendToTech', { id: jobIn(c, 'dispatched') }), 'illegal_transition', /already Dispatched/);
    expectFailure(c.ws.run('sendToTech', { id: jobIn(c, 'en_route') }), 'illegal_transition', /En route.*Dispatched/);
  });

  it('updateStatus completed on a scheduled job is refused', () => {
    const c = crew();
    const id = jobIn(c, 'scheduled');
    const before = snapshot(c.ws);
    expectFailure(c.ws.run('updateStatus', { id, status: 'completed' }), 'illegal_transition', /Scheduled to Completed/);
    expectFailure(c.ws.run('updateStatus', { id, status: 'en_route' }), 'illegal_transition', /must be Dispatched/);
    expect(snapshot(c.ws)).toEqual(before);
    expect(status(c.ws, id)).toBe('scheduled');
  });

  it('statuses cannot be skipped: dispatched -> in_progress, en_route -> completed', () => {
    const c = crew();
    expectFailure(c.ws.run('updateStatus', { id: jobIn(c, 'dispatched'), status: 'in_progress' }), 'illegal_transition');
    expectFailure(c.ws.run('updateStatus', { id: jobIn(c, 'en_route'), status: 'completed' }), 'illegal_transition');
  });

  it.each(['completed', 'cancelled'] as const)('nothing but notes changes on a %s job', (closed) => {
    const c = crew();
    const id = jobIn(c, closed);
    const attempts: Array<[CommandName, Record<string, unknown>]> = [
      ['assignProvider', { id, providerId: c.bo }],
      ['reassignProvider', { id, fromProviderId: c.ana, toProviderId: c.bo }],
      ['unassignProvider', { id }],
      ['unscheduleBooking', { id }],
      ['moveBooking', { id, start: T1 }],
      ['resizeBooking', { id, end: '2026-11-24T18:00:00Z' }],
      ['setTeam', { id, assignees: [c.bo] }],
      ['setSlot', { id, slot: { start: T1, end: '2026-11-24T17:00:00Z', assignees: [c.ana] } }],
      ['setSlot', { id, slot: null }],
      ['saveChanges', { changes: [{ id, slot: { start: T1, end: '2026-11-24T17:00:00Z', assignees: [c.ana] } }], notifyProviders: true, notifyCustomers: false }],
      ['sendToTech', { id }],
      ['updateStatus', { id, status: 'en_route' }],
      ['updateStatus', { id, status: 'in_progress' }],
      ['updateStatus', { id, status: 'completed' }],
      ['cancelBooking', { id, reason: 'again' }],
      ['reportRunningLate', { id, note: '10 min' }],
      ['updateBooking', { id, title: 'Renamed' }],
      ['updateBooking', { id, priority: 'high', notes: 'x' }],
    ];
    const label = STATUS_LABELS[closed];
    for (const [name, input] of attempts) {
      const before = snapshot(c.ws);
      const r = c.ws.run(name, input as never);
      expect(r.ok, `${name} ${JSON.stringify(input)} on a ${closed} job`).toBe(false);
      if (!r.ok) {
        expect(r.error.code, name).toBe('illegal_transition');
        expect(r.error.message, name).toContain(label);
      }
      expect(snapshot(c.ws), name).toEqual(before);
    }
    expect(status(c.ws, id)).toBe(closed);
    // Notes stay editable on closed jobs (a documented exception in updateBooking).
    c.ws.must('updateBooking', { id, notes: 'Left a spare filter' });
    expect(getBooking(c.ws.schedule, id)!.notes).toBe('Left a spare filter');
    expect(status(c.ws, id)).toBe(closed);
  });

  it.each(['en_route', 'in_progress'] as const)('slot changes that would leave a %s job with nobody are refused', (field) => {
    const c = crew();
    const id = jobIn(c, field, [c.ana, c.bo]);
    const attempts: Array<[CommandName, Record<string, unknown>]> = [
      ['unassignProvider', { id }],
      ['setTeam', { id, assignees: [] }],
      ['setSlot', { id, slot: null }],
      ['setSlot', { id, slot: { start: T0, end: T1, assignees: [] } }],
      ['unscheduleBooking', { id }],
      ['saveChanges', { changes: [{ id, slot: null }], notifyProviders: false, notifyCustomers: false }],
    ];
    for (const [name, input] of attempts) {
      const before = snapshot(c.ws);
      const r = c.ws.run(name, input as never);
      expectFailure(r, 'illegal_transition', /needs a date and at least one technician/);
      expect(snapshot(c.ws), name).toEqual(before);
    }
    expect(getBooking(c.ws.schedule, id)).toMatchObject({ status: field, slot: { assignees: [c.ana, c.bo] } });
  });
});

// ---------------------------------------------------------------------------------------------------
// Merges

describe('effectiveStatus after merges', () => {
  function pair() {
    const a = crew({ idPrefix: 1 });
    const b = createWorkspace({ idPrefix: 2 });
    syncBoth(a.ws, b);
    return { a, b };
  }

  it('send-to-tech on one desktop and unassign-everyone on the other end up Unscheduled on both', () => {
    const { a, b } = pair();
    const id = jobIn(a, 'scheduled');
    syncBoth(a.ws, b);
    a.ws.must('sendToTech', { id });
    b.must('unassignProvider', { id });
    syncBoth(a.ws, b);
    const ja = getBooking(a.ws.schedule, id)!;
    const jb = getBooking(b.schedule, id)!;
    expect(ja).toEqual(jb);
    expect(ja.slot?.assignees).toEqual([]);
    expect(effectiveStatus(ja.status, ja.slot)).toBe('unscheduled');
    // Commands check the effective status: the job cannot be sent again until someone is on it...
    expectFailure(a.ws.run('sendToTech', { id }), 'illegal_transition', /date and at least one assigned technician/);
    // ...and assigning makes it Scheduled again (not Dispatched: the stamp belongs to the old crew).
    a.ws.must('assignProvider', { id, providerId: a.bo });
    expect(status(a.ws, id)).toBe('scheduled');
  });

  it('unassign on one desktop and reassign on the other: status always agrees with the merged slot', () => {
    for (let round = 0; round < 6; round++) {
      const { a, b } = pair();
      const id = jobIn(a, 'scheduled');
      syncBoth(a.ws, b);
      // Alternate which replica writes last so both LWW outcomes are exercised.
      const [first, second] = round % 2 ? [a.ws, b] : [b, a.ws];
      first.must('unassignProvider', { id });
      second.must('reassignProvider', { id, fromProviderId: a.ana, toProviderId: a.bo });
      syncBoth(a.ws, b);
      const ja = getBooking(a.ws.schedule, id)!;
      expect(getBooking(b.schedule, id)).toEqual(ja);
      const eff = effectiveStatus(ja.status, ja.slot);
      expect(eff).toBe(ja.slot!.assignees.length > 0 ? 'scheduled' : 'unscheduled');
    }
  });

  it('a running-late note sent while the office cancels never un-cancels the job', () => {
    for (const [ca, cb] of [[10, 20], [20, 10]] as const) {
      const a = crew({ idPrefix: 1 });
      a.ws.schedule.clientID = ca;
      const b = createWorkspace({ idPrefix: 2 });
      b.schedule.clientID = cb;
      const id = jobIn(a, 'dispatched');
      syncBoth(a.ws, b);
      a.ws.must('reportRunningLate', { id, note: '10 min, traffic' }, a.techAna);
      b.must('cancelBooking', { id, reason: 'Customer cancelled' });
      syncBoth(a.ws, b);
      for (const ws of [a.ws, b]) {
        expect(status(ws, id), `client ids ${ca}/${cb}`).toBe('cancelled');
        expect(readHistory(ws.schedule, id).map((h) => h.action)).toEqual(expect.arrayContaining(['running_late', 'cancel']));
      }
      expect(getBooking(b.schedule, id)).toEqual(getBooking(a.ws.schedule, id));
    }
  });

  it('bookings written when the status note shared the status group still read and update correctly', () => {
    const c = crew();
    const id = jobIn(c, 'dispatched');
    // Rewrite the record the way earlier versions stored it: one plain, unstamped `status` group (format 1),
    // with the note inside it.
    const record = scheduleMaps(c.ws.schedule).bookings.get(id)!;
    const { status, statusChanged } = getBooking(c.ws.schedule, id)!;
    c.ws.schedule.transact(() => {
      for (const key of [...record.keys()]) if (/^status(Note)?(@|$)/.test(key)) record.delete(key);
      record.set('status', { status, statusChanged, statusNote: 'Old note' });
    });
    expect(getBooking(c.ws.schedule, id)).toMatchObject({ status: 'dispatched', statusNote: 'Old note' });
    c.ws.must('reportRunningLate', { id, note: '5 min' });
    expect(getBooking(c.ws.schedule, id)).toMatchObject({ status: 'dispatched', statusNote: 'Running late: 5 min' });
    c.ws.must('updateStatus', { id, status: 'en_route', note: 'on my way' });
    expect(getBooking(c.ws.schedule, id)).toMatchObject({ status: 'en_route', statusNote: 'on my way' });
  });

  it('a technician checking in while the office removes them keeps the job in the field', () => {
    const { a, b } = pair();
    const id = jobIn(a, 'dispatched');
    syncBoth(a.ws, b);
    a.ws.must('updateStatus', { id, status: 'en_route' }, a.techAna);
    b.must('unassignProvider', { id });
    syncBoth(a.ws, b);
    const ja = getBooking(a.ws.schedule, id)!;
    expect(getBooking(b.schedule, id)).toEqual(ja);
    expect(['en_route', 'unscheduled']).toContain(effectiveStatus(ja.status, ja.slot));
    expect(effectiveStatus(ja.status, ja.slot)).toBe(effectiveStatus(getBooking(b.schedule, id)!.status, getBooking(b.schedule, id)!.slot));
  });
});

// ---------------------------------------------------------------------------------------------------
// Roles

describe('roles', () => {
  it('a technician moves only their own jobs along', () => {
    const c = crew();
    const mine = jobIn(c, 'dispatched', [c.ana]);
    const team = jobIn(c, 'dispatched', [c.bo, c.ana]);
    const theirs = jobIn(c, 'dispatched', [c.bo]);
    c.ws.must('updateStatus', { id: mine, status: 'en_route' }, c.techAna);
    c.ws.must('updateStatus', { id: team, status: 'en_route' }, c.techAna);
    const before = snapshot(c.ws);
    expectFailure(c.ws.run('updateStatus', { id: theirs, status: 'en_route' }, c.techAna), 'forbidden', /assigned to you/);
    expectFailure(c.ws.run('reportRunningLate', { id: theirs, note: '5 min' }, c.techAna), 'forbidden');
    const unlinked: Actor = { id: 'user-x', name: 'New Hire', role: 'technician' };
    expectFailure(c.ws.run('updateStatus', { id: mine, status: 'in_progress' }, unlinked), 'forbidden');
    expect(snapshot(c.ws)).toEqual(before);
    expect(status(c.ws, theirs)).toBe('dispatched');
    c.ws.must('updateStatus', { id: theirs, status: 'en_route' }, c.techBo);
    c.ws.must('reportRunningLate', { id: mine, note: '20 min, traffic' }, c.techAna);
    expect(getBooking(c.ws.schedule, mine)!.statusNote).toBe('Running late: 20 min, traffic');
  });

  it('a technician may not call office commands', () => {
    const c = crew();
    const id = jobIn(c, 'scheduled', [c.ana]);
    const officeOnly = (Object.keys(COMMANDS) as CommandName[]).filter((n) => !COMMANDS[n].roles.includes('technician'));
    expect(officeOnly).toEqual(expect.arrayContaining(['assignProvider', 'sendToTech', 'cancelBooking', 'createBooking', 'setSlot', 'updateSettings']));
    const before = snapshot(c.ws);
    for (const name of officeOnly) {
      const r = c.ws.run(name, { id } as never, c.techAna);
      expectFailure(r, 'forbidden');
      // A sentence about what they can do, not the command's internal name.
      if (!r.ok) {
        expect(r.error.message).toBe(
          COMMANDS[name].roles.includes('dispatcher')
            ? 'Only the office (admins and dispatchers) can do that: technicians update their own jobs from the technician page.'
            : 'Only an admin can do that.',
        );
      }
    }
    expect(snapshot(c.ws)).toEqual(before);
    // Explicitly the inputs a technician could plausibly send:
    expectFailure(c.ws.run('sendToTech', { id }, c.techAna), 'forbidden');
    expectFailure(c.ws.run('moveBooking', { id, start: T1 }, c.techAna), 'forbidden');
    expectFailure(c.ws.run('cancelBooking', { id, reason: 'sick' }, c.techAna), 'forbidden');
  });

  it('a viewer may do nothing at all', () => {
    const c = crew();
    const id = jobIn(c, 'dispatched', [c.ana]);
    const before = snapshot(c.ws);
    for (const name of Object.keys(COMMANDS) as CommandName[]) {
      const r = c.ws.run(name, { id, status: 'en_route' } as never, VIEWER);
      expectFailure(r, 'forbidden');
      if (!r.ok) expect(r.error.message).toMatch(/^You have view-only access: you can see the schedule but not change it\./);
    }
    expect(snapshot(c.ws)).toEqual(before);
  });

  it('office roles may not claim jobs; only admins archive', () => {
    const c = crew({ selfDispatch: true });
    const id = c.ws.must('createBooking', { title: 'Open', slot: { start: T0, end: T1, assignees: [] } }).id;
    expectFailure(c.ws.run('claimJob', { id }, DISPATCHER), 'forbidden', /^Only technicians claim jobs/);
    expectFailure(c.ws.run('archiveClosedBookings', { closedBefore: T0 }, DISPATCHER), 'forbidden', /^Only an admin can do that\.$/);
  });
});

describe('claimJob (technician self-dispatch)', () => {
  const openJob = (c: Crew) => c.ws.must('createBooking', { title: 'Open job', slot: { start: T0, end: T1, assignees: [] } }).id;

  it('is refused while self-dispatch is off', () => {
    const c = crew({ selfDispatch: false });
    const id = openJob(c);
    const before = snapshot(c.ws);
    expectFailure(c.ws.run('claimJob', { id }, c.techAna), 'forbidden', /Self-dispatch is turned off/);
    expect(snapshot(c.ws)).toEqual(before);
  });

  it('with self-dispatch on: assigns, schedules and dispatches in one step; a second technician is refused', () => {
    const c = crew({ selfDispatch: true });
    const id = openJob(c);
    expect(status(c.ws, id)).toBe('unscheduled');
    c.ws.setNow('2026-11-24T07:45:00Z');
    const r = c.ws.run('claimJob', { id }, c.techAna);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const b = getBooking(c.ws.schedule, id)!;
    expect(b.status).toBe('dispatched');
    expect(b.slot).toEqual({ start: T0, end: T1, assignees: [c.ana] });
    expect(b.dispatched).toEqual({ at: '2026-11-24T07:45:00Z', by: { id: 'user-ana', name: 'Ana Silva' } });
    expect(readHistory(c.ws.schedule, id).at(-1)).toMatchObject({ action: 'claim', summary: 'Claimed by Ana Silva' });

    const before = snapshot(c.ws);
    const second = c.ws.run('claimJob', { id }, c.techBo);
    expectFailure(second, 'conflict', /Someone else already took this job/);
    expect(snapshot(c.ws)).toEqual(before);
    // The claimer then works it like any dispatched job.
    c.ws.must('updateStatus', { id, status: 'en_route' }, c.techAna);
  });

  it('only dated, unassigned, open jobs can be claimed', () => {
    const c = crew({ selfDispatch: true });
    const undated = c.ws.must('createBooking', { title: 'No date' }).id;
    expectFailure(c.ws.run('claimJob', { id: undated }, c.techAna), 'conflict', /not available/);
    const cancelled = openJob(c);
    c.ws.must('cancelBooking', { id: cancelled, reason: 'dup' });
    expectFailure(c.ws.run('claimJob', { id: cancelled }, c.techAna), 'conflict', /not available/);
    const unlinked: Actor = { id: 'user-x', name: 'New Hire', role: 'technician' };
    expectFailure(c.ws.run('claimJob', { id: openJob(c) }, unlinked), 'forbidden', /not linked/);
  });
});
