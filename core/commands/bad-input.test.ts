import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from '../testing/fixture';
import { COMMANDS, executeCommand, type CommandName } from './index';
import type { Actor, WeeklyHours } from '../model';
import type { ErrorCode } from '../result';

/**
 * Every command refuses bad input with a Result naming the offending field, and a refused command leaves
 * both documents byte-identical (docs/design.md §4: validated, one transaction per action, nothing on failure).
 */

const GHOST = '01900fff-0000-7000-8000-00000000dead'; // well-formed, but nothing has this id
const T0 = '2026-11-24T15:00:00Z';
const T1 = '2026-11-24T16:00:00Z';
const long = (n: number) => 'x'.repeat(n);
const WEEK: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

interface Seed {
  ws: Workspace;
  ana: string;
  bo: string;
  customer: string;
  service: string;
  timeOff: string;
  /** No date, nobody assigned. */
  queued: string;
  /** Ana, T0–T1, Scheduled. */
  scheduled: string;
  completed: string;
  tech: Actor;
}

function seed(fresh: boolean): Seed {
  const ws = createWorkspace({ idPrefix: 3 });
  const blank = { ws, ana: '', bo: '', customer: '', service: '', timeOff: '', queued: '', scheduled: '', completed: '' };
  if (fresh) return { ...blank, tech: { id: 'u', name: 'U', role: 'technician' } };
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago', selfDispatch: true });
  const ana = ws.must('createProvider', { name: 'Ana Silva' }).id;
  const bo = ws.must('createProvider', { name: 'Bo Chen' }).id;
  const customer = ws.must('createCustomer', { name: 'Jo Smith', address: '1 Main St' }).id;
  const service = ws.must('createService', { name: 'AC repair' }).id;
  const timeOff = ws.must('addTimeOff', { providerId: ana, start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z', reason: 'Vacation' }).id;
  const queued = ws.must('createBooking', { title: 'Queued' }).id;
  const scheduled = ws.must('createBooking', { title: 'Scheduled', slot: { start: T0, end: T1, assignees: [ana] } }).id;
  const completed = ws.must('createBooking', { title: 'Done', slot: { start: T0, end: T1, assignees: [bo] } }).id;
  ws.must('sendToTech', { id: completed });
  for (const status of ['en_route', 'in_progress', 'completed'] as const) ws.must('updateStatus', { id: completed, status });
  return {
    ws, ana, bo, customer, service, timeOff, queued, scheduled, completed,
    tech: { id: 'user-ana', name: 'Ana Silva', role: 'technician', providerId: ana },
  };
}

interface Case {
  why: string;
  input: (s: Seed) => unknown;
  /** The honest error code; validation unless the input is well-formed but refers to nothing or breaks a rule. */
  code?: ErrorCode;
  /** The field path that must appear in `error.fieldErrors` (omit for rule refusals without a field). */
  field?: string;
  /** `fieldErrors` must name exactly this field and nothing else (no knock-on errors). */
  exact?: boolean;
  /** Run on a workspace whose organization is not set up yet. */
  fresh?: boolean;
  actor?: (s: Seed) => Actor;
}

const slot = (assignees: string[], start = T0, end = T1) => ({ start, end, assignees });
/** A valid createSeries input, for cases that break one field of it. */
const series = () => ({ title: 'Weekly clean', startDate: '2026-11-23', startTime: '09:00', repeat: { freq: 'weekly', weekdays: ['mon'] } });

const BAD: Record<CommandName, Case[]> = {
  // ---------------------------------------------------------------------------------------- roster
  initializeOrganization: [
    { why: 'empty name', fresh: true, input: () => ({ name: '' }), field: 'name' },
    { why: 'over-long name', fresh: true, input: () => ({ name: long(121) }), field: 'name' },
    { why: 'unknown time zone', fresh: true, input: () => ({ timeZone: 'Mars/Olympus_Mons' }), field: 'timeZone' },
    { why: 'bad time', fresh: true, input: () => ({ timelineStart: '25:00' }), field: 'timelineStart' },
    { why: 'timeline ends before it starts', fresh: true, input: () => ({ timelineStart: '18:00', timelineEnd: '08:00' }), field: 'timelineEnd' },
    { why: 'wrong type', fresh: true, input: () => ({ autoResize: 'yes' }), field: 'autoResize' },
    { why: 'out of range', fresh: true, input: () => ({ archiveAfterDays: 0 }), field: 'archiveAfterDays' },
    { why: 'input is not an object', fresh: true, input: () => 'Acme', field: '_' },
    { why: 'already set up', input: () => ({ name: 'Again' }), code: 'conflict' },
  ],
  updateSettings: [
    { why: 'empty name', input: () => ({ name: '   ' }), field: 'name' },
    { why: 'unknown time zone', input: () => ({ timeZone: 'Central' }), field: 'timeZone' },
    { why: 'timeline end before the stored start', input: () => ({ timelineEnd: '05:00' }), field: 'timelineEnd' },
    { why: 'bad email time', input: () => ({ dailyEmailTime: '5am' }), field: 'dailyEmailTime' },
    { why: 'over-long licence key', input: () => ({ calendarLicenseKey: long(201) }), field: 'calendarLicenseKey' },
    { why: 'wrong type', input: () => ({ selfDispatch: 1 }), field: 'selfDispatch' },
    { why: 'unknown distance unit', input: () => ({ distanceUnit: 'furlongs' }), field: 'distanceUnit' },
    { why: 'unknown clock', input: () => ({ timeFormat: 'am/pm' }), field: 'timeFormat' },
  ],
  createProvider: [
    { why: 'missing name', input: () => ({ email: 'a@b.co' }), field: 'name' },
    { why: 'over-long name', input: () => ({ name: long(121) }), field: 'name' },
    { why: 'bad email', input: () => ({ name: 'Cy', email: 'cy-at-example' }), field: 'email' },
    { why: 'bad phone', input: () => ({ name: 'Cy', phone: 'call me' }), field: 'phone' },
    { why: 'bad color', input: () => ({ name: 'Cy', color: 'blue' }), field: 'color' },
    { why: 'latitude out of range', input: () => ({ name: 'Cy', coordinates: { lat: 91, lng: 0 } }), field: 'coordinates.lat' },
    { why: 'interval ends before it starts', input: () => ({ name: 'Cy', weeklyHours: { ...WEEK, mon: [{ start: '17:00', end: '08:00' }] } }), field: 'weeklyHours.mon.0.end' },
    { why: 'overlapping intervals', input: () => ({ name: 'Cy', weeklyHours: { ...WEEK, mon: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '15:00' }] } }), field: 'weeklyHours.mon' },
    { why: 'a weekday missing', input: () => ({ name: 'Cy', weeklyHours: { mon: [] } }), field: 'weeklyHours.tue' },
    { why: 'empty skill', input: () => ({ name: 'Cy', skills: ['hvac', ''] }), field: 'skills.1' },
    { why: 'wrong type', input: () => ({ name: 'Cy', active: 'true' }), field: 'active' },
  ],
  updateProvider: [
    { why: 'missing id', input: () => ({ name: 'X' }), field: 'id' },
    { why: 'malformed id', input: () => ({ id: 'ana', name: 'X' }), field: 'id' },
    { why: 'unknown id', input: () => ({ id: GHOST, name: 'X' }), code: 'not_found', field: 'id' },
    { why: 'empty name', input: (s) => ({ id: s.ana, name: '' }), field: 'name' },
    { why: 'fractional sort order', input: (s) => ({ id: s.ana, sortOrder: 1.5 }), field: 'sortOrder' },
    { why: 'bad channels', input: (s) => ({ id: s.ana, channels: { email: true, sms: 'no', chat: false } }), field: 'channels.sms' },
  ],
  addTimeOff: [
    { why: 'unknown provider', input: () => ({ providerId: GHOST, start: T0, end: T1 }), code: 'not_found', field: 'providerId' },
    { why: 'end before start', input: (s) => ({ providerId: s.ana, start: T1, end: T0 }), field: 'end' },
    { why: 'end equal to start', input: (s) => ({ providerId: s.ana, start: T0, end: T0 }), field: 'end' },
    { why: 'malformed start', input: (s) => ({ providerId: s.ana, start: 'tomorrow', end: T1 }), field: 'start' },
    { why: 'missing end', input: (s) => ({ providerId: s.ana, start: T0 }), field: 'end' },
    { why: 'over-long reason', input: (s) => ({ providerId: s.ana, start: T0, end: T1, reason: long(201) }), field: 'reason' },
  ],
  removeTimeOff: [
    { why: 'unknown provider', input: (s) => ({ providerId: GHOST, timeOffId: s.timeOff }), code: 'not_found', field: 'providerId' },
    { why: 'unknown time off', input: (s) => ({ providerId: s.ana, timeOffId: GHOST }), code: 'not_found', field: 'timeOffId' },
    { why: 'time off of another provider', input: (s) => ({ providerId: s.bo, timeOffId: s.timeOff }), code: 'not_found', field: 'timeOffId' },
    { why: 'missing time off id', input: (s) => ({ providerId: s.ana }), field: 'timeOffId' },
  ],
  createCustomer: [
    { why: 'missing name', input: () => ({ phone: '555-0100' }), field: 'name' },
    { why: 'over-long name', input: () => ({ name: long(161) }), field: 'name' },
    { why: 'over-long notes', input: () => ({ name: 'Jo', notes: long(4001) }), field: 'notes' },
    { why: 'bad email', input: () => ({ name: 'Jo', email: 'jo@' }), field: 'email' },
    { why: 'incomplete channels', input: () => ({ name: 'Jo', channels: { email: true } }), field: 'channels.sms' },
    { why: 'longitude out of range', input: () => ({ name: 'Jo', coordinates: { lat: 0, lng: 200 } }), field: 'coordinates.lng' },
  ],
  updateCustomer: [
    { why: 'unknown id', input: () => ({ id: GHOST, notes: 'x' }), code: 'not_found', field: 'id' },
    { why: 'empty name', input: (s) => ({ id: s.customer, name: '' }), field: 'name' },
    { why: 'bad phone', input: (s) => ({ id: s.customer, phone: '12' }), field: 'phone' },
    { why: 'over-long address', input: (s) => ({ id: s.customer, address: long(301) }), field: 'address' },
  ],
  createService: [
    { why: 'missing name', input: () => ({ durationMinutes: 60 }), field: 'name' },
    { why: 'too short', input: () => ({ name: 'S', durationMinutes: 4 }), field: 'durationMinutes' },
    { why: 'no labor', input: () => ({ name: 'S', laborHours: 0 }), field: 'laborHours' },
    { why: 'team too big', input: () => ({ name: 'S', teamSize: 21 }), field: 'teamSize' },
    { why: 'fractional team', input: () => ({ name: 'S', teamSize: 1.5 }), field: 'teamSize' },
    { why: 'skills not a list', input: () => ({ name: 'S', requiredSkills: 'hvac' }), field: 'requiredSkills' },
  ],
  updateService: [
    { why: 'unknown id', input: () => ({ id: GHOST, name: 'S' }), code: 'not_found', field: 'id' },
    { why: 'wrong type', input: (s) => ({ id: s.service, durationMinutes: 'sixty' }), field: 'durationMinutes' },
    { why: 'over-long name', input: (s) => ({ id: s.service, name: long(121) }), field: 'name' },
  ],

  // -------------------------------------------------------------------------------------- schedule
  createBooking: [
    { why: 'missing title', input: () => ({ notes: 'x' }), field: 'title' },
    { why: 'over-long title', input: () => ({ title: long(161) }), field: 'title' },
    { why: 'unknown customer', input: () => ({ title: 'T', customerId: GHOST }), code: 'not_found', field: 'customerId' },
    { why: 'malformed customer id', input: () => ({ title: 'T', customerId: 'jo' }), field: 'customerId' },
    { why: 'unknown service', input: () => ({ title: 'T', serviceId: GHOST }), code: 'not_found', field: 'serviceId' },
    { why: 'slot ends before it starts', input: (s) => ({ title: 'T', slot: slot([s.ana], T1, T0) }), field: 'slot.end' },
    { why: 'slot longer than 7 days', input: (s) => ({ title: 'T', slot: slot([s.ana], T0, '2026-12-02T15:00:01Z') }), field: 'slot.end' },
    { why: 'malformed slot start', input: (s) => ({ title: 'T', slot: slot([s.ana], 'tomorrow 9am') }), field: 'slot.start', exact: true },
    { why: 'malformed arrival window end', input: () => ({ title: 'T', arrivalWindow: { start: T0, end: 'noon' } }), field: 'arrivalWindow.end', exact: true },
    { why: 'unknown assignee', input: () => ({ title: 'T', slot: slot([GHOST]) }), code: 'not_found', field: 'slot.assignees' },
    { why: 'duplicate assignee', input: (s) => ({ title: 'T', slot: slot([s.ana, s.ana]) }), field: 'slot.assignees' },
    { why: 'unknown priority', input: () => ({ title: 'T', priority: 'urgent' }), field: 'priority' },
    { why: 'team of zero', input: () => ({ title: 'T', teamSize: 0 }), field: 'teamSize' },
    { why: 'wrong type', input: () => ({ title: 'T', laborHours: 'four' }), field: 'laborHours' },
    { why: 'arrival window ends before it starts', input: () => ({ title: 'T', arrivalWindow: { start: T1, end: T0 } }), field: 'arrivalWindow.end' },
    { why: 'latitude out of range', input: () => ({ title: 'T', location: { address: '', coordinates: { lat: 91, lng: 0 } } }), field: 'location.coordinates.lat' },
    { why: 'over-long notes', input: () => ({ title: 'T', notes: long(4001) }), field: 'notes' },
  ],
  updateBooking: [
    { why: 'missing id', input: () => ({ notes: 'x' }), field: 'id' },
    { why: 'unknown id', input: () => ({ id: GHOST, notes: 'x' }), code: 'not_found', field: 'id' },
    { why: 'empty title', input: (s) => ({ id: s.scheduled, title: ' ' }), field: 'title' },
    { why: 'over-long notes', input: (s) => ({ id: s.scheduled, notes: long(4001) }), field: 'notes' },
    { why: 'unknown customer', input: (s) => ({ id: s.scheduled, customerId: GHOST }), code: 'not_found', field: 'customerId' },
    { why: 'unknown service', input: (s) => ({ id: s.scheduled, serviceId: GHOST }), code: 'not_found', field: 'serviceId' },
    { why: 'unknown priority', input: (s) => ({ id: s.scheduled, priority: 'asap' }), field: 'priority' },
    { why: 'arrival window ends before it starts', input: (s) => ({ id: s.scheduled, arrivalWindow: { start: T1, end: T0 } }), field: 'arrivalWindow.end' },
    { why: 'malformed arrival window start', input: (s) => ({ id: s.scheduled, arrivalWindow: { start: 'soon', end: T0 } }), field: 'arrivalWindow.start', exact: true },
    { why: 'title of a completed job', input: (s) => ({ id: s.completed, title: 'Renamed' }), code: 'illegal_transition' },
  ],
  setSlot: [
    { why: 'unknown booking', input: (s) => ({ id: GHOST, slot: slot([s.ana]) }), code: 'not_found', field: 'id' },
    { why: 'missing slot', input: (s) => ({ id: s.scheduled }), field: 'slot' },
    { why: 'slot ends before it starts', input: (s) => ({ id: s.scheduled, slot: slot([s.ana], T1, T0) }), field: 'slot.end' },
    { why: 'slot longer than 7 days', input: (s) => ({ id: s.scheduled, slot: slot([s.ana], T0, '2026-12-05T00:00:00Z') }), field: 'slot.end' },
    { why: 'unknown assignee', input: (s) => ({ id: s.scheduled, slot: slot([s.ana, GHOST]) }), code: 'not_found', field: 'slot.assignees' },
    { why: 'malformed assignee', input: (s) => ({ id: s.scheduled, slot: slot(['ana']) }), field: 'slot.assignees.0' },
    { why: 'wrong type', input: (s) => ({ id: s.scheduled, slot: { start: 1, end: T1, assignees: [] } }), field: 'slot.start' },
    { why: 'malformed end', input: (s) => ({ id: s.scheduled, slot: slot([s.ana], T0, '2026-11-24T25:00:00Z') }), field: 'slot.end', exact: true },
    { why: 'completed job', input: (s) => ({ id: s.completed, slot: slot([s.ana]) }), code: 'illegal_transition' },
  ],
  assignProvider: [
    { why: 'unknown booking', input: (s) => ({ id: GHOST, providerId: s.ana, start: T0 }), code: 'not_found', field: 'id' },
    { why: 'missing provider', input: (s) => ({ id: s.queued, start: T0 }), field: 'providerId' },
    { why: 'unknown provider', input: (s) => ({ id: s.queued, providerId: GHOST, start: T0 }), code: 'not_found', field: 'providerId' },
    { why: 'unknown provider on a dated job', input: (s) => ({ id: s.scheduled, providerId: GHOST }), code: 'not_found', field: 'providerId' },
    { why: 'end before start', input: (s) => ({ id: s.queued, providerId: s.ana, start: T1, end: T0 }), field: 'end' },
    { why: 'end equal to start', input: (s) => ({ id: s.queued, providerId: s.ana, start: T0, end: T0 }), field: 'end' },
    { why: 'longer than 7 days', input: (s) => ({ id: s.queued, providerId: s.ana, start: T0, end: '2026-12-05T00:00:00Z' }), field: 'end' },
    { why: 'end before the job\'s current start', input: (s) => ({ id: s.scheduled, providerId: s.bo, end: '2026-11-24T14:00:00Z' }), field: 'end' },
    { why: 'no date and no start', input: (s) => ({ id: s.queued, providerId: s.ana }), field: 'start' },
    { why: 'malformed start', input: (s) => ({ id: s.queued, providerId: s.ana, start: '9:00' }), field: 'start' },
    { why: 'already assigned', input: (s) => ({ id: s.scheduled, providerId: s.ana }), code: 'conflict', field: 'providerId' },
  ],
  reassignProvider: [
    { why: 'unknown booking', input: (s) => ({ id: GHOST, fromProviderId: s.ana, toProviderId: s.bo }), code: 'not_found', field: 'id' },
    { why: 'unknown target provider', input: (s) => ({ id: s.scheduled, fromProviderId: s.ana, toProviderId: GHOST }), code: 'not_found', field: 'toProviderId' },
    { why: 'source not assigned', input: (s) => ({ id: s.scheduled, fromProviderId: s.bo, toProviderId: s.ana }), field: 'fromProviderId' },
    { why: 'target already assigned', input: (s) => ({ id: s.scheduled, fromProviderId: s.ana, toProviderId: s.ana }), field: 'toProviderId' },
    { why: 'missing target', input: (s) => ({ id: s.scheduled, fromProviderId: s.ana }), field: 'toProviderId' },
  ],
  unassignProvider: [
    { why: 'unknown booking', input: () => ({ id: GHOST }), code: 'not_found', field: 'id' },
    { why: 'provider not assigned', input: (s) => ({ id: s.scheduled, providerId: s.bo }), field: 'providerId' },
    { why: 'malformed provider id', input: (s) => ({ id: s.scheduled, providerId: 'bo' }), field: 'providerId' },
    { why: 'nobody assigned', input: (s) => ({ id: s.queued }), code: 'conflict' },
  ],
  unscheduleBooking: [
    { why: 'unknown booking', input: () => ({ id: GHOST }), code: 'not_found', field: 'id' },
    { why: 'missing id', input: () => ({}), field: 'id' },
    { why: 'no date', input: (s) => ({ id: s.queued }), code: 'conflict' },
  ],
  moveBooking: [
    { why: 'unknown booking', input: () => ({ id: GHOST, start: T1 }), code: 'not_found', field: 'id' },
    { why: 'missing start', input: (s) => ({ id: s.scheduled }), field: 'start' },
    { why: 'malformed start', input: (s) => ({ id: s.scheduled, start: '2026-11-24 10:00' }), field: 'start' },
    { why: 'no date to move', input: (s) => ({ id: s.queued, start: T1 }), field: 'start' },
  ],
  resizeBooking: [
    { why: 'unknown booking', input: () => ({ id: GHOST, end: T1 }), code: 'not_found', field: 'id' },
    { why: 'end before start', input: (s) => ({ id: s.scheduled, end: '2026-11-24T14:00:00Z' }), field: 'end' },
    { why: 'new start after end', input: (s) => ({ id: s.scheduled, start: '2026-11-24T17:00:00Z', end: T1 }), field: 'end' },
    { why: 'longer than 7 days', input: (s) => ({ id: s.scheduled, end: '2026-12-05T00:00:00Z' }), field: 'end' },
    { why: 'missing end', input: (s) => ({ id: s.scheduled }), field: 'end' },
    { why: 'no date', input: (s) => ({ id: s.queued, end: T1 }), field: 'end' },
  ],
  setTeam: [
    { why: 'unknown booking', input: (s) => ({ id: GHOST, assignees: [s.ana] }), code: 'not_found', field: 'id' },
    { why: 'duplicate member', input: (s) => ({ id: s.scheduled, assignees: [s.bo, s.bo] }), field: 'assignees' },
    { why: 'unknown member', input: (s) => ({ id: s.scheduled, assignees: [s.bo, GHOST] }), code: 'not_found', field: 'assignees' },
    { why: 'too many members', input: (s) => ({ id: s.scheduled, assignees: Array.from({ length: 21 }, (_, i) => `01900fff-0000-7000-8000-${String(i).padStart(12, '0')}`) }), field: 'assignees' },
    { why: 'not a list', input: (s) => ({ id: s.scheduled, assignees: s.ana }), field: 'assignees' },
    { why: 'no date', input: (s) => ({ id: s.queued, assignees: [s.ana] }), field: 'assignees' },
  ],
  sendToTech: [
    { why: 'unknown booking', input: () => ({ id: GHOST }), code: 'not_found', field: 'id' },
    { why: 'malformed id', input: () => ({ id: 42 }), field: 'id' },
    { why: 'not scheduled', input: (s) => ({ id: s.queued }), code: 'illegal_transition' },
  ],
  sendDayToTech: [
    { why: 'missing date', input: () => ({}), field: 'date' },
    { why: 'impossible date', input: () => ({ date: '2026-02-30' }), field: 'date' },
    { why: 'date-time instead of date', input: () => ({ date: T0 }), field: 'date' },
    { why: 'providers not a list', input: (s) => ({ date: '2026-11-24', providerIds: s.ana }), field: 'providerIds' },
    { why: 'malformed provider id', input: () => ({ date: '2026-11-24', providerIds: ['ana'] }), field: 'providerIds.0' },
  ],
  updateStatus: [
    { why: 'unknown booking', input: () => ({ id: GHOST, status: 'en_route' }), code: 'not_found', field: 'id' },
    { why: 'status not settable here', input: (s) => ({ id: s.scheduled, status: 'cancelled' }), field: 'status' },
    { why: 'missing status', input: (s) => ({ id: s.scheduled }), field: 'status' },
    { why: 'over-long note', input: (s) => ({ id: s.scheduled, status: 'en_route', note: long(1001) }), field: 'note' },
    { why: 'illegal transition', input: (s) => ({ id: s.scheduled, status: 'completed' }), code: 'illegal_transition' },
  ],
  reportRunningLate: [
    { why: 'unknown booking', input: () => ({ id: GHOST, note: '10 min' }), code: 'not_found', field: 'id' },
    { why: 'blank note', input: (s) => ({ id: s.scheduled, note: '   ' }), field: 'note' },
    { why: 'missing note', input: (s) => ({ id: s.scheduled }), field: 'note' },
    { why: 'over-long note', input: (s) => ({ id: s.scheduled, note: long(1001) }), field: 'note' },
    { why: 'closed job', input: (s) => ({ id: s.completed, note: '10 min' }), code: 'illegal_transition' },
  ],
  cancelBooking: [
    { why: 'unknown booking', input: () => ({ id: GHOST, reason: 'dup' }), code: 'not_found', field: 'id' },
    { why: 'missing reason', input: (s) => ({ id: s.scheduled }), field: 'reason' },
    { why: 'blank reason', input: (s) => ({ id: s.scheduled, reason: '  ' }), field: 'reason' },
    { why: 'over-long reason', input: (s) => ({ id: s.scheduled, reason: long(501) }), field: 'reason' },
    { why: 'completed job', input: (s) => ({ id: s.completed, reason: 'late' }), code: 'illegal_transition' },
  ],
  claimJob: [
    { why: 'missing id', actor: (s) => s.tech, input: () => ({}), field: 'id' },
    { why: 'malformed id', actor: (s) => s.tech, input: () => ({ id: 123 }), field: 'id' },
    { why: 'unknown booking', actor: (s) => s.tech, input: () => ({ id: GHOST }), code: 'not_found', field: 'id' },
    { why: 'already taken', actor: (s) => s.tech, input: (s) => ({ id: s.scheduled }), code: 'conflict' },
  ],
  saveChanges: [
    { why: 'missing changes', input: () => ({ notifyProviders: false, notifyCustomers: false }), field: 'changes' },
    { why: 'nothing to save', input: () => ({ changes: [], notifyProviders: false, notifyCustomers: false }), field: 'changes' },
    { why: 'missing notify flag', input: (s) => ({ changes: [{ id: s.scheduled, slot: null }], notifyCustomers: false }), field: 'notifyProviders' },
    { why: 'slot ends before it starts', input: (s) => ({ changes: [{ id: s.scheduled, slot: slot([s.ana], T1, T0) }], notifyProviders: true, notifyCustomers: false }), field: 'changes.0.slot.end' },
    { why: 'malformed slot start', input: (s) => ({ changes: [{ id: s.scheduled, slot: slot([s.ana], '2026-02-30T09:00:00Z') }], notifyProviders: true, notifyCustomers: false }), field: 'changes.0.slot.start', exact: true },
    { why: 'second booking unknown (first valid: all or nothing)', input: (s) => ({ changes: [{ id: s.scheduled, slot: null }, { id: GHOST, slot: null }], notifyProviders: true, notifyCustomers: true }), code: 'not_found', field: 'changes.1.id' },
    { why: 'unknown assignee', input: (s) => ({ changes: [{ id: s.queued, slot: slot([s.ana]) }, { id: s.scheduled, slot: slot([GHOST]) }], notifyProviders: true, notifyCustomers: false }), code: 'not_found', field: 'changes.1.slot.assignees' },
    { why: 'same booking twice', input: (s) => ({ changes: [{ id: s.scheduled, slot: null }, { id: s.scheduled, slot: slot([s.bo]) }], notifyProviders: false, notifyCustomers: false }), field: 'changes' },
    { why: 'too many changes', input: (s) => ({ changes: Array.from({ length: 501 }, () => ({ id: s.scheduled, slot: null })), notifyProviders: false, notifyCustomers: false }), field: 'changes' },
    { why: 'completed job in the batch', input: (s) => ({ changes: [{ id: s.queued, slot: slot([s.ana]) }, { id: s.completed, slot: slot([s.ana]) }], notifyProviders: true, notifyCustomers: false }), code: 'illegal_transition' },
  ],
  archiveClosedBookings: [
    { why: 'missing cut-off', input: () => ({}), field: 'closedBefore' },
    { why: 'malformed cut-off', input: () => ({ closedBefore: 'last week' }), field: 'closedBefore' },
    { why: 'local time without zone', input: () => ({ closedBefore: '2026-11-01T00:00:00' }), field: 'closedBefore' },
  ],

  // ---------------------------------------------------------------------------------- series (issue 18)
  createSeries: [
    { why: 'missing title', input: () => ({ ...series(), title: undefined }), field: 'title' },
    { why: 'missing start date', input: () => ({ ...series(), startDate: undefined }), field: 'startDate' },
    { why: 'start time 24:00', input: () => ({ ...series(), startTime: '24:00' }), field: 'startTime', exact: true },
    { why: 'weekly without weekdays', input: () => ({ ...series(), repeat: { freq: 'weekly', weekdays: [] } }), field: 'repeat.weekdays', exact: true },
    { why: 'daily repeat', input: () => ({ ...series(), repeat: { freq: 'daily' } }), field: 'repeat.freq' },
    { why: 'monthly on the 32nd', input: () => ({ ...series(), repeat: { freq: 'monthly', on: { by: 'date', day: 32 } } }), field: 'repeat.on.day' },
    { why: 'ends before it starts', input: () => ({ ...series(), repeat: { freq: 'weekly', weekdays: ['mon'], end: { type: 'until', date: '2026-11-01' } } }), field: 'repeat.end.date' },
    { why: 'unknown customer', input: () => ({ ...series(), customerId: GHOST }), code: 'not_found', field: 'customerId' },
    { why: 'unknown assignee', input: () => ({ ...series(), assignees: [GHOST] }), code: 'not_found', field: 'assignees' },
    { why: 'too short', input: () => ({ ...series(), durationMinutes: 4 }), field: 'durationMinutes' },
    { why: 'horizon of no weeks', input: () => ({ ...series(), horizonWeeks: 0 }), field: 'horizonWeeks' },
  ],
  extendSeriesHorizon: [
    { why: 'malformed until', input: () => ({ until: 'next month' }), field: 'until' },
    { why: 'more than two years ahead', input: () => ({ until: '2099-01-01' }), field: 'until' },
    { why: 'horizon too long', input: () => ({ horizonWeeks: 53 }), field: 'horizonWeeks' },
    { why: 'unknown series', input: () => ({ seriesId: GHOST }), code: 'not_found', field: 'seriesId' },
  ],
  updateSeries: [
    { why: 'missing id', input: () => ({ title: 'X' }), field: 'id' },
    { why: 'unknown series', input: () => ({ id: GHOST, title: 'X' }), code: 'not_found', field: 'id' },
    { why: 'weekly without weekdays', input: () => ({ id: GHOST, repeat: { freq: 'weekly', weekdays: [] } }), field: 'repeat.weekdays' },
    { why: 'empty title', input: () => ({ id: GHOST, title: ' ' }), field: 'title' },
  ],
  updateSeriesFrom: [
    { why: 'missing date', input: () => ({ id: GHOST, title: 'X' }), field: 'date' },
    { why: 'malformed date', input: () => ({ id: GHOST, date: 'monday', title: 'X' }), field: 'date' },
    { why: 'unknown series', input: () => ({ id: GHOST, date: '2026-12-01', title: 'X' }), code: 'not_found', field: 'id' },
  ],
  updateOccurrence: [
    { why: 'unknown booking', input: () => ({ id: GHOST, notes: 'x' }), code: 'not_found', field: 'id' },
    { why: 'not a visit of a series', input: (s) => ({ id: s.scheduled, notes: 'x' }), field: 'id' },
    { why: 'slot ends before it starts', input: (s) => ({ id: s.scheduled, slot: slot([s.ana], T1, T0) }), field: 'slot.end' },
  ],
  skipOccurrence: [
    { why: 'names no visit', input: () => ({}), field: 'id' },
    { why: 'unknown series', input: () => ({ seriesId: GHOST, date: '2026-12-01' }), code: 'not_found', field: 'seriesId' },
    { why: 'not a visit of a series', input: (s) => ({ id: s.scheduled }), field: 'id' },
    { why: 'over-long reason', input: (s) => ({ id: s.scheduled, reason: long(501) }), field: 'reason' },
  ],
  endSeries: [
    { why: 'missing last date', input: () => ({ id: GHOST }), field: 'lastDate' },
    { why: 'malformed last date', input: () => ({ id: GHOST, lastDate: 'soon' }), field: 'lastDate' },
    { why: 'unknown series', input: () => ({ id: GHOST, lastDate: '2026-12-01' }), code: 'not_found', field: 'id' },
  ],
};

/** Runs a command while recording both documents' bytes and every 'update' event they emit. */
function runWatched(ws: Workspace, name: string, input: unknown, actor?: Actor) {
  const before = [Y.encodeStateAsUpdate(ws.roster), Y.encodeStateAsUpdate(ws.schedule)];
  const events: string[] = [];
  const onRoster = () => events.push('roster');
  const onSchedule = () => events.push('schedule');
  ws.roster.on('update', onRoster);
  ws.schedule.on('update', onSchedule);
  const result = executeCommand(ws.ctx(actor), name as CommandName, input);
  ws.roster.off('update', onRoster);
  ws.schedule.off('update', onSchedule);
  const after = [Y.encodeStateAsUpdate(ws.roster), Y.encodeStateAsUpdate(ws.schedule)];
  return { result, before, after, events };
}

const sameBytes = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((v, i) => v === y[i]);

describe('bad input, for every command', () => {
  it('the table covers every command in COMMANDS (a new command needs cases here)', () => {
    const missing = Object.keys(COMMANDS).filter((n) => !(BAD[n as CommandName]?.length > 0));
    expect(missing).toEqual([]);
    expect(Object.keys(BAD).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  describe.each(Object.keys(COMMANDS))('%s', (name) => {
    const cases = BAD[name as CommandName] ?? [];
    it('has bad-input cases', () => {
      expect(cases.length, `add bad-input cases for ${name}`).toBeGreaterThan(0);
    });
    it.each(cases.map((c) => [c.why, c] as const))('%s', (_why, c) => {
      const s = seed(c.fresh ?? false);
      const { result, before, after, events } = runWatched(s.ws, name, c.input(s), c.actor?.(s));
      expect(result.ok, JSON.stringify(result)).toBe(false);
      if (result.ok) return;
      expect(result.error.code, result.error.message).toBe(c.code ?? 'validation');
      expect(result.error.message.length).toBeGreaterThan(5);
      if (c.field) {
        expect(Object.keys(result.error.fieldErrors ?? {}), result.error.message).toContain(c.field);
        expect(result.error.fieldErrors![c.field]).toMatch(/\w/);
        if (c.exact) expect(Object.keys(result.error.fieldErrors!)).toEqual([c.field]);
      }
      expect(events).toEqual([]);
      expect(sameBytes(after[0]!, before[0]!), 'roster changed').toBe(true);
      expect(sameBytes(after[1]!, before[1]!), 'schedule changed').toBe(true);
    });
  });

  it('the seed itself is writable: a valid command through the same harness does emit an update', () => {
    const s = seed(false);
    const { result, before, after, events } = runWatched(s.ws, 'updateBooking', { id: s.scheduled, notes: 'ok' });
    expect(result.ok).toBe(true);
    expect(events).toEqual(['schedule']);
    expect(sameBytes(after[1]!, before[1]!)).toBe(false);
  });

  it('a failing batch names the booking that failed', () => {
    const s = seed(false);
    const { result } = runWatched(s.ws, 'saveChanges', {
      changes: [{ id: s.queued, slot: slot([s.ana]) }, { id: s.completed, slot: slot([s.ana]) }],
      notifyProviders: true,
      notifyCustomers: false,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^Done: /);
  });

  it.each(['dropEverything', 'toString', 'constructor', '__proto__', ''])('unknown command %j', (name) => {
    const s = seed(false);
    const { result, before, after, events } = runWatched(s.ws, name, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(events).toEqual([]);
    expect(after).toEqual(before);
  });
});
