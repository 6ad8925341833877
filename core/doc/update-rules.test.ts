import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { seriesCommands } from '../commands/series-commands';
import { createDemoCompany } from '../demo/demo-company';
import { occurrenceId } from '../recurrence/occurrence';
import { seriesMaps, seriesRecordOf } from '../recurrence/series-doc';
import type { Actor, Role } from '../model';
import { createWorkspace, type Workspace } from '../testing/fixture';
import {
  ACTORS,
  opsArb,
  runScenario,
  workspaceReplica,
  type DocKey,
  type WorkspaceReplica,
} from '../testing/convergence-scenario';
import { isRosterInitialized, rosterMaps } from './roster';
import { scheduleMaps } from './schedule';
import { BOOKING_GROUPS } from './groups';
import { writeGroups } from './records';
import { CLAMPS_MAP } from './clamps';
import { refusalOf, SERIES_WRITERS, type Refusal } from './update-rules';

// eslint-disable-next-line no-restricted-globals -- tests run under Node; core itself never reads the environment
const env = process.env;
const RUNS = Number(env.CONVERGENCE_RUNS ?? 200);
const SEED = env.FC_SEED !== undefined ? Number(env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

/** A server's copy of an organization's two documents: applies updates as a room does and keeps every refusal. */
class CheckedServer {
  readonly roster = new Y.Doc();
  readonly schedule = new Y.Doc();
  readonly refusals: Refusal[] = [];

  /** Applies `update` from a writer with `role`; returns the refusal, if any (the doc keeps the update anyway). */
  receive(kind: DocKey, update: Uint8Array, role: Role): Refusal | null {
    const doc = this[kind];
    const writer = { role, rosterInitialized: kind === 'roster' && isRosterInitialized(doc) };
    let refusal: Refusal | null = null;
    const check = (tr: Y.Transaction) => {
      refusal ??= refusalOf(kind, tr, writer);
    };
    doc.on('afterTransaction', check);
    try {
      Y.applyUpdate(doc, update, 'client');
    } finally {
      doc.off('afterTransaction', check);
    }
    if (refusal) this.refusals.push(refusal);
    return refusal;
  }

  /** Every change `ws` makes from now on goes through this server, as `role`. */
  follow(ws: { roster: Y.Doc; schedule: Y.Doc }, role: Role): void {
    for (const kind of ['roster', 'schedule'] as const) {
      ws[kind].on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'remote') this.receive(kind, update, role);
      });
    }
  }
}

/** The update a client holding `server`'s documents would send after `change`. */
function clientUpdate(server: CheckedServer, kind: DocKey, change: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server[kind]));
  const before = Y.encodeStateVector(replica);
  change(replica);
  return Y.encodeStateAsUpdate(replica, before);
}

const DISPATCHER: Actor = { id: 'user-d', name: 'Dee Dispatcher', role: 'dispatcher' };

/** An organization built by commands on a workspace that sends everything through a checked server. */
function organization() {
  const server = new CheckedServer();
  const ws: Workspace = createWorkspace({ now: '2026-11-23T12:00:00Z' });
  server.follow(ws, 'admin');
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana Silva', email: 'ana@example.com' }).id;
  ws.must('addTimeOff', { providerId: ana, start: '2026-11-30T14:00:00Z', end: '2026-11-30T22:00:00Z', reason: 'Dentist' });
  const customer = ws.must('createCustomer', { name: 'Dee Dawson', email: 'dee@example.com' }).id;
  const service = ws.must('createService', { name: 'Tune-up', durationMinutes: 90 }).id;
  const job = ws.must('createBooking', {
    title: 'Furnace',
    customerId: customer,
    serviceId: service,
    slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:30:00Z', assignees: [ana] },
  }).id;
  ws.must('sendToTech', { id: job });
  expect(server.refusals).toEqual([]);
  return { server, ws, ana, customer, service, job };
}

const entry = (id: string) => ({ id, at: '2026-11-23T12:00:00Z', by: { id: 'u', name: 'U' }, action: 'edit', summary: 'Edited' });
const OTHER_ID = '0190ffff-0000-7000-8000-0000000000aa';

describe('update rules: honest writes pass', () => {
  it('every command of the demo company, sent as it is written', () => {
    const server = new CheckedServer();
    const ws = createWorkspace({ now: '2026-11-23T12:00:00Z' });
    server.follow(ws, 'admin');
    createDemoCompany(ws.run, { anchorDate: '2026-11-24', setNow: ws.setNow, technicianActors: true });
    expect(server.refusals).toEqual([]);
  });

  it(`random concurrent commands of an admin and a dispatcher, merged through the server (${RUNS} runs)`, () => {
    console.log(`update rules: seed ${SEED}, ${RUNS} runs (replay with FC_SEED=${SEED} CONVERGENCE_RUNS=${RUNS})`);
    fc.assert(
      fc.property(opsArb, (ops) => {
        const server = new CheckedServer();
        // Whatever one replica receives from the other went through the server first, as the sender.
        const through = (replica: WorkspaceReplica, senderRole: Role): WorkspaceReplica => ({
          ...replica,
          receive(doc, update) {
            server.receive(doc, update, senderRole);
            replica.receive(doc, update);
          },
        });
        runScenario(ops, () => {
          const a = workspaceReplica(1, 100, ACTORS[0]);
          const b = workspaceReplica(2, 200, ACTORS[1]);
          return [through(a, ACTORS[1].role), through(b, ACTORS[0].role)];
        });
        expect(server.refusals).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it('a record written before format 2 may be uploaded whole; a plain group into an existing record is refused', () => {
    const { server, job } = organization();
    const upload = clientUpdate(server, 'schedule', (doc) => {
      const record = new Y.Map<unknown>();
      scheduleMaps(doc).bookings.set(OTHER_ID, record);
      record.set('details', { title: 'Made before stamps' });
      record.set('notes', { notes: 'old' });
    });
    expect(server.receive('schedule', upload, 'dispatcher')).toBeNull();
    const plain = clientUpdate(server, 'schedule', (doc) => scheduleMaps(doc).bookings.get(job)!.set('notes', { notes: 'old app' }));
    expect(server.receive('schedule', plain, 'dispatcher')?.message).toMatch(/notes: written without a stamp/);
  });

  it('a dispatcher may fill the settings of an organization that has none (its first upload)', () => {
    const server = new CheckedServer();
    const ws = createWorkspace();
    server.follow(ws, 'dispatcher');
    ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
    expect(server.refusals).toEqual([]);
  });

  it('an admin changes settings; history grows for anyone', () => {
    const { server, ws, job } = organization();
    ws.must('updateSettings', { selfDispatch: true });
    ws.must('updateBooking', { id: job, notes: 'Gate code 1234' }, DISPATCHER);
    expect(server.refusals).toEqual([]);
  });

  it('a record holding something bad from before can still be edited group by group', () => {
    const { server, job } = organization();
    // Planted past the rules, as data stored before they existed.
    Y.applyUpdate(
      server.schedule,
      clientUpdate(server, 'schedule', (doc) => scheduleMaps(doc).bookings.get(job)!.set('notes', { notes: 42 })),
    );
    const repair = clientUpdate(server, 'schedule', (doc) => writeGroups(scheduleMaps(doc).bookings.get(job)!, BOOKING_GROUPS, { notes: 'fixed' }));
    expect(server.receive('schedule', repair, 'dispatcher')).toBeNull();
  });
});

describe('update rules: what is refused', () => {
  type Case = [string, DocKey, (doc: Y.Doc, ids: ReturnType<typeof organization>) => void, string];
  const group = (doc: Y.Doc, map: 'providers' | 'customers' | 'services', id: string) => rosterMaps(doc)[map].get(id)!;
  const booking = (doc: Y.Doc, id: string) => scheduleMaps(doc).bookings.get(id)!;
  const cases: Case[] = [
    ['a setting of the wrong type', 'roster', (doc) => rosterMaps(doc).settings.set('timeZone', 5), 'setting: timeZone: expected string, received number'],
    ['a key that is no setting', 'roster', (doc) => rosterMaps(doc).settings.set('colour', 'red'), 'setting: colour: not a setting'],
    [
      "a provider's profile",
      'roster',
      (doc, { ana }) => group(doc, 'providers', ana).set('profile', { name: 42 }),
      'provider <ana>: name: expected string, received number',
    ],
    [
      "a provider's time off",
      'roster',
      (doc, { ana }) => (group(doc, 'providers', ana).get('timeOff') as Y.Map<unknown>).set(OTHER_ID, { id: OTHER_ID, start: 'soon' }),
      `provider <ana>: timeOff ${OTHER_ID}: start:`,
    ],
    [
      "a customer's channels",
      'roster',
      (doc, { customer }) => group(doc, 'customers', customer).set('channels', { channels: 'yes' }),
      'customer <customer>: channels: expected object, received string',
    ],
    [
      "a service's duration",
      'roster',
      (doc, { service }) => group(doc, 'services', service).set('details', { name: 'Tune-up', durationMinutes: 'long' }),
      'service <service>: durationMinutes: expected number, received string',
    ],
    ['a slot that is a number', 'schedule', (doc, { job }) => booking(doc, job).set('slot', 5), 'booking <job>: slot: expected object, received number'],
    [
      'a slot without an end',
      'schedule',
      (doc, { job }) => booking(doc, job).set('slot', { slot: { start: '2026-11-24T15:00:00Z', assignees: [] } }),
      'booking <job>: slot.end: Must be an ISO date-time in UTC',
    ],
    [
      'a status that is not one',
      'schedule',
      (doc, { job }) => booking(doc, job).set('status', { status: 'teleported', statusChanged: null }),
      'booking <job>: status: Invalid option',
    ],
    [
      "a booking's details",
      'schedule',
      (doc, { job }) => booking(doc, job).set('details', { title: 7 }),
      'booking <job>: title: expected string, received number',
    ],
    [
      'a field slipped into another group',
      'schedule',
      (doc, { job }) => booking(doc, job).set('status', { status: 'scheduled', statusChanged: null, slot: 5 }),
      'booking <job>: status: slot is not a field of this group',
    ],
    [
      'a group nobody reads',
      'schedule',
      (doc, { job }) => booking(doc, job).set('extras', { anything: true }),
      'booking <job>: extras: not a field group of a booking',
    ],
    [
      'a new booking with a bad group',
      'schedule',
      (doc) => {
        const record = new Y.Map<unknown>();
        scheduleMaps(doc).bookings.set(OTHER_ID, record);
        record.set('details', { title: 'ok' });
        record.set('created', { created: { at: 'yesterday', by: { id: 'u', name: 'U' } } });
      },
      `booking ${OTHER_ID}: created.at:`,
    ],
    [
      'a group written without a stamp (the layout before format 2)',
      'schedule',
      (doc, { job }) => booking(doc, job).set('notes', { notes: 'fine' }),
      'booking <job>: notes: written without a stamp (the layout before document format 2); update Crewline',
    ],
    [
      'an entry whose stamp is not one',
      'schedule',
      (doc, { job }) => booking(doc, job).set('notes@x1', { notes: 'fine', _s: 'tomorrow' }),
      'booking <job>: notes@x1: _s: not a stamp',
    ],
    [
      "an entry under another replica's key",
      'schedule',
      (doc, { job }) => booking(doc, job).set('notes@x1', { notes: 'fine', _s: '001795000000000.000000.x2' }),
      'booking <job>: notes@x1: _s: stamped by another replica (x2)',
    ],
    [
      'an entry claiming to have replaced a later one',
      'schedule',
      (doc, { job }) => booking(doc, job).set('notes@x1', { notes: 'fine', _s: '001795000000000.000000.x1', _b: '001795000000001.000000.x2' }),
      'booking <job>: notes@x1: _b: not a stamp before _s',
    ],
    ['a value that is not a record', 'schedule', (doc) => scheduleMaps(doc).bookings.set(OTHER_ID, 'junk' as never), `booking ${OTHER_ID}: not a record`],
    [
      'a history entry of the wrong shape',
      'schedule',
      (doc, { job }) => scheduleMaps(doc).history.get(job)!.push([{ id: 'x' } as never]),
      'history of booking <job>: id: Must be a valid id',
    ],
    [
      'a history log that is not one',
      'schedule',
      (doc) => scheduleMaps(doc).history.set(OTHER_ID, 7 as never),
      `history of booking ${OTHER_ID}: not a history log`,
    ],
    [
      'a notification request of the wrong shape',
      'schedule',
      (doc) => scheduleMaps(doc).notificationRequests.set(OTHER_ID, { id: OTHER_ID, bookingIds: 'all' } as never),
      `notification request ${OTHER_ID}: createdAt:`,
    ],
    [
      'an archive marker of the wrong shape',
      'schedule',
      (doc) => scheduleMaps(doc).archived.set(OTHER_ID, { archivedAt: 12 } as never),
      `archive marker ${OTHER_ID}: archivedAt: Must be an ISO date-time in UTC`,
    ],
  ];

  it.each(cases)('%s', (_name, kind, change, expected) => {
    const org = organization();
    const message = expected.replace(/<(\w+)>/g, (_, key: 'ana' | 'customer' | 'service' | 'job') => org[key]);
    const refusal = org.server.receive(kind, clientUpdate(org.server, kind, (doc) => change(doc, org)), 'admin');
    expect(refusal?.rule).toBe('invalid');
    expect(refusal?.message.startsWith(message), `${refusal?.message} starts with ${message}`).toBe(true);
  });

  it('settings from anyone but an admin, once the organization has them', () => {
    const { server } = organization();
    const update = clientUpdate(server, 'roster', (doc) => rosterMaps(doc).settings.set('selfDispatch', true));
    expect(server.receive('roster', update, 'dispatcher')).toEqual({
      rule: 'forbidden',
      message: 'setting selfDispatch: only admins change settings',
    });
  });

  it.each(['roster', 'schedule'] as const)('clamps in the %s from any client, even an admin: only the server writes them', (kind) => {
    const { server } = organization();
    const update = clientUpdate(server, kind, (doc) => doc.getMap(CLAMPS_MAP).set('001795000000000.000000.x1', 1));
    expect(server.receive(kind, update, 'admin')).toEqual({ rule: 'forbidden', message: 'clamps: only the server clamps stamps set ahead' });
  });

  it.each(['admin', 'dispatcher'] as const)('removing or rewriting history, even by an %s', (role) => {
    const { server, job } = organization();
    const removeEntry = clientUpdate(server, 'schedule', (doc) => scheduleMaps(doc).history.get(job)!.delete(0, 1));
    expect(server.receive('schedule', removeEntry, role)).toEqual({
      rule: 'forbidden',
      message: `history of booking ${job}: history entries cannot be removed`,
    });
    const { server: other, job: otherJob } = organization();
    const replaceLog = clientUpdate(other, 'schedule', (doc) => {
      const log = new Y.Array<unknown>();
      scheduleMaps(doc).history.set(otherJob, log as never);
      log.push([entry(OTHER_ID)]);
    });
    expect(other.receive('schedule', replaceLog, role)).toEqual({
      rule: 'forbidden',
      message: `history of booking ${otherJob}: a booking's history cannot be removed or replaced`,
    });
  });

  it('looks only at what the update touched, and not at top-level types nobody reads', () => {
    const { server } = organization();
    const update = clientUpdate(server, 'schedule', (doc) => doc.getMap('scratch').set('x', 5));
    expect(server.receive('schedule', update, 'dispatcher')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// Recurring series (`series`, `seriesOccurrences`)

/** The organization above with a weekly series (Mon, Thu 09:00, Ana) made by its admin. */
function withSeries() {
  const org = organization();
  const series = org.ws.must('createSeries', {
    title: 'Office cleaning',
    customerId: org.customer,
    assignees: [org.ana],
    startDate: '2026-11-23',
    startTime: '09:00',
    durationMinutes: 120,
    repeat: { freq: 'weekly', weekdays: ['mon', 'thu'] },
    horizonWeeks: 2,
  }).id;
  expect(org.server.refusals).toEqual([]);
  return { ...org, series, visit: occurrenceId(series, '2026-11-26') };
}

const seriesRecord = (doc: Y.Doc, id: string) => seriesRecordOf(doc, id)!;
const part = <T>(doc: Y.Doc, id: string, name: string) => seriesRecord(doc, id).get(name) as T;
const GOOD_STAMP = { at: '2026-11-23T12:00:00Z', by: { id: 'u', name: 'U' } };
const goodRule = { rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO', dtstart: '2026-11-23T09:00', changed: null };

describe('update rules: recurring series, honest writes pass', () => {
  it('every series command, by an admin and by a dispatcher', () => {
    const { server, ws, series, visit, ana } = withSeries();
    ws.must('updateSeries', { id: series, title: 'Deep cleaning' }, DISPATCHER);
    ws.must('updateSeries', { id: series, startTime: '10:00', repeat: { freq: 'weekly', weekdays: ['mon', 'wed', 'thu'] } });
    ws.must('updateOccurrence', { id: visit, notes: 'Side door', slot: { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z', assignees: [ana] } }, DISPATCHER);
    ws.must('skipOccurrence', { seriesId: series, date: '2026-11-30' }, DISPATCHER);
    const successor = ws.must('updateSeriesFrom', { id: series, date: '2026-12-03', notes: 'New contract' }, DISPATCHER).id;
    ws.setNow('2026-12-01T12:00:00Z');
    ws.must('extendSeriesHorizon', { horizonWeeks: 6 }, DISPATCHER);
    ws.must('endSeries', { id: successor, lastDate: '2026-12-31' });
    ws.must('moveBooking', { id: occurrenceId(successor, '2026-12-07'), start: '2026-12-07T17:00:00Z' }, DISPATCHER);
    expect(server.refusals).toEqual([]);
    expect(seriesMaps(server.schedule).series.size).toBe(2);
  });

  it('the rules let exactly the roles of the series commands write series', () => {
    for (const command of Object.values(seriesCommands)) expect([...command.roles].sort()).toEqual([...SERIES_WRITERS].sort());
  });

  it('an exception may be rewritten and a link removed; a part holding something bad from before can be repaired', () => {
    const { server, series, visit } = withSeries();
    const skip = clientUpdate(server, 'schedule', (doc) =>
      part<Y.Map<unknown>>(doc, series, 'exceptions').set('2026-11-30', { type: 'skipped', by: GOOD_STAMP }),
    );
    expect(server.receive('schedule', skip, 'dispatcher')).toBeNull();
    const covered = clientUpdate(server, 'schedule', (doc) =>
      part<Y.Map<unknown>>(doc, series, 'exceptions').set('2026-11-30', { type: 'covered', seriesId: series, by: GOOD_STAMP }),
    );
    expect(server.receive('schedule', covered, 'dispatcher')).toBeNull();
    expect(server.receive('schedule', clientUpdate(server, 'schedule', (doc) => seriesMaps(doc).occurrences.delete(visit)), 'admin')).toBeNull();
    // Planted past the rules, as data stored before they existed; then repaired by a whole write.
    Y.applyUpdate(server.schedule, clientUpdate(server, 'schedule', (doc) => seriesRecord(doc, series).set('rule', { rrule: 5 })));
    const repair = clientUpdate(server, 'schedule', (doc) => seriesRecord(doc, series).set('rule', goodRule));
    expect(server.receive('schedule', repair, 'dispatcher')).toBeNull();
  });
});

describe('update rules: recurring series, what is refused', () => {
  type SeriesCase = [string, (doc: Y.Doc, ids: ReturnType<typeof withSeries>) => void, string];
  const newRecord = (doc: Y.Doc, fill: (record: Y.Map<unknown>) => void) => {
    const record = new Y.Map<unknown>();
    seriesMaps(doc).series.set(OTHER_ID, record);
    fill(record);
  };
  const cases: SeriesCase[] = [
    [
      'a template with a wrong-typed field',
      (doc, { series }) => seriesRecord(doc, series).set('template', { ...part<object>(doc, series, 'template'), durationMinutes: 'long' }),
      'series <series>: template: durationMinutes: Say how long each visit takes',
    ],
    ['a template that is not an object', (doc, { series }) => seriesRecord(doc, series).set('template', 7), 'series <series>: template: expected object, received number'],
    [
      'an RRULE the parser does not take',
      (doc, { series }) => seriesRecord(doc, series).set('rule', { ...goodRule, rrule: 'FREQ=DAILY;INTERVAL=1' }),
      'series <series>: rule: rrule: Repeat weekly or monthly',
    ],
    [
      'an RRULE past its bounds',
      (doc, { series }) => seriesRecord(doc, series).set('rule', { ...goodRule, rrule: 'FREQ=WEEKLY;INTERVAL=60;BYDAY=MO' }),
      'series <series>: rule: rrule: Repeat: at most every 52 weeks',
    ],
    [
      'an RRULE with too many visits',
      (doc, { series }) => seriesRecord(doc, series).set('rule', { ...goodRule, rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=5000' }),
      'series <series>: rule: rrule: Repeat: at most 999 times',
    ],
    [
      'a start that is not a local date-time',
      (doc, { series }) => seriesRecord(doc, series).set('rule', { ...goodRule, dtstart: '2026-11-23T09:00:00Z' }),
      'series <series>: rule: dtstart: Must be a local date and time like 2026-12-01T09:00',
    ],
    [
      'a creation stamp',
      (doc, { series }) => seriesRecord(doc, series).set('created', { ...GOOD_STAMP, at: 'yesterday', splitFrom: null }),
      'series <series>: created: at:',
    ],
    ['a part nobody reads', (doc, { series }) => seriesRecord(doc, series).set('colour', 'red'), 'series <series>: colour: not a part of a series'],
    ['a part removed', (doc, { series }) => seriesRecord(doc, series).delete('template'), 'series <series>: template: a series cannot lose its template'],
    [
      'an exception under a key that is no date',
      (doc, { series }) => part<Y.Map<unknown>>(doc, series, 'exceptions').set('soon', { type: 'skipped', by: GOOD_STAMP }),
      'series <series>: exception soon: not a date',
    ],
    [
      'an exception of no known kind',
      (doc, { series }) => part<Y.Map<unknown>>(doc, series, 'exceptions').set('2026-11-30', { type: 'moved', by: GOOD_STAMP }),
      'series <series>: exception 2026-11-30: type:',
    ],
    [
      'a changed visit lasting a month',
      (doc, { series }) => {
        const fields: Record<string, unknown> = { ...part<Record<string, unknown>>(doc, series, 'template'), arrivalWindow: null };
        for (const key of ['assignees', 'durationMinutes', 'arrival', 'changed']) delete fields[key];
        part<Y.Map<unknown>>(doc, series, 'exceptions').set('2026-11-30', {
          type: 'changed',
          start: '2026-11-30T15:00:00Z',
          durationMinutes: 60 * 24 * 30,
          assignees: [],
          fields,
          by: GOOD_STAMP,
        });
      },
      'series <series>: exception 2026-11-30: durationMinutes: A visit can last at most 7 days',
    ],
    [
      'an end of the wrong shape',
      (doc, { series }) => part<Y.Map<unknown>>(doc, series, 'ends').set(OTHER_ID, { lastDate: 'never', kind: 'end', successorId: null, by: GOOD_STAMP }),
      `series <series>: end ${OTHER_ID}: lastDate: Must be a date like 2026-11-23`,
    ],
    [
      'an end under a key that is no id',
      (doc, { series }) => part<Y.Map<unknown>>(doc, series, 'ends').set('x', { lastDate: '2026-12-31', kind: 'end', successorId: null, by: GOOD_STAMP }),
      'series <series>: end x: not an id',
    ],
    ['a log entry', (doc, { series }) => part<Y.Array<unknown>>(doc, series, 'log').push([{ id: 'x' }]), 'series <series>: log: id: Must be a valid id'],
    [
      'a new series whose ends are not a map',
      (doc, { series }) =>
        newRecord(doc, (record) => {
          for (const name of ['template', 'rule', 'created']) record.set(name, part(doc, series, name));
          record.set('ends', [1, 2]);
        }),
      `series ${OTHER_ID}: ends: not a map of entries`,
    ],
    ['a value that is not a series', (doc) => seriesMaps(doc).series.set(OTHER_ID, { template: {} }), `series ${OTHER_ID}: not a series record`],
    ['a series under a key that is no id', (doc) => seriesMaps(doc).series.set('weekly', new Y.Map()), 'series weekly: not a series id'],
    [
      'a new series without its rule',
      (doc, { series }) =>
        newRecord(doc, (record) => {
          record.set('template', part(doc, series, 'template'));
          record.set('created', part(doc, series, 'created'));
        }),
      `series ${OTHER_ID}: rule: missing`,
    ],
    [
      'a new series with a bad exception',
      (doc, { series }) =>
        newRecord(doc, (record) => {
          for (const name of ['template', 'rule', 'created']) record.set(name, part(doc, series, name));
          const exceptions = new Y.Map<unknown>();
          record.set('exceptions', exceptions);
          exceptions.set('2026-11-30', { type: 'skipped' });
        }),
      `series ${OTHER_ID}: exception 2026-11-30: by:`,
    ],
    [
      'a shared type in a template',
      (doc, { series }) => seriesRecord(doc, series).set('template', new Y.Map()),
      'series <series>: template: a shared type where a plain value belongs',
    ],
    [
      'an occurrence link of the wrong shape',
      (doc, { visit, series }) => seriesMaps(doc).occurrences.set(visit, { seriesId: series, date: '30 Nov' }),
      'series occurrence <visit>: date: Must be a date like 2026-11-23',
    ],
    [
      'an occurrence link under a key that is no id',
      (doc, { series }) => seriesMaps(doc).occurrences.set('visit', { seriesId: series, date: '2026-11-30', fingerprint: 'f' }),
      'series occurrence visit: not an id',
    ],
    ['an occurrence link that is a shared type', (doc, { visit }) => seriesMaps(doc).occurrences.set(visit, new Y.Map()), 'series occurrence <visit>: link: a shared type'],
  ];

  it.each(cases)('%s', (_name, change, expected) => {
    const org = withSeries();
    const message = expected.replace(/<(\w+)>/g, (_, key: 'series' | 'visit') => org[key]);
    const refusal = org.server.receive('schedule', clientUpdate(org.server, 'schedule', (doc) => change(doc, org)), 'dispatcher');
    expect(refusal?.rule).toBe('invalid');
    expect(refusal?.message.startsWith(message), `${refusal?.message} starts with ${message}`).toBe(true);
  });

  it.each(['technician', 'viewer'] as const)('any series write by a %s', (role) => {
    const { server, series, visit } = withSeries();
    const forbidden = { rule: 'forbidden', message: 'series: only admins and dispatchers change recurring series' };
    const rename = clientUpdate(server, 'schedule', (doc) =>
      seriesRecord(doc, series).set('template', { ...part<object>(doc, series, 'template'), title: 'Renamed' }),
    );
    expect(server.receive('schedule', rename, role)).toEqual(forbidden);
    const link = clientUpdate(server, 'schedule', (doc) => seriesMaps(doc).occurrences.set(visit, { seriesId: series, date: '2026-11-26', fingerprint: 'x' }));
    expect(server.receive('schedule', link, role)).toEqual(forbidden);
  });

  it.each(['admin', 'dispatcher'] as const)('replacing a series, removing its log or its entries, replacing an end, even by an %s', (role) => {
    const removals: Array<[(doc: Y.Doc, series: string) => void, string]> = [
      [(doc, series) => seriesMaps(doc).series.set(series, new Y.Map()), 'a series cannot be replaced'],
      [(doc, series) => part<Y.Array<unknown>>(doc, series, 'log').delete(0, 1), 'log entries cannot be removed'],
      [(doc, series) => seriesRecord(doc, series).set('log', new Y.Array()), 'its log cannot be removed or replaced'],
      [(doc, series) => seriesRecord(doc, series).set('ends', new Y.Map()), 'its ends cannot be removed or replaced'],
    ];
    for (const [change, reason] of removals) {
      const { server, series } = withSeries();
      const refusal = server.receive('schedule', clientUpdate(server, 'schedule', (doc) => change(doc, series)), role);
      expect(refusal).toEqual({ rule: 'forbidden', message: `series ${series}: ${reason}` });
    }
    // An end made by a command cannot be rewritten (the server keeps what it receives: one org each).
    const ended = () => {
      const org = withSeries();
      org.ws.must('endSeries', { id: org.series, lastDate: '2026-12-31' });
      const ends = (doc: Y.Doc) => part<Y.Map<unknown>>(doc, org.series, 'ends');
      return { ...org, ends, endKey: [...ends(org.server.schedule).keys()][0]! };
    };
    const later = { lastDate: '2099-12-31', kind: 'end', successorId: null, by: GOOD_STAMP };
    const { server, series, ends, endKey } = ended();
    expect(server.refusals).toEqual([]);
    expect(server.receive('schedule', clientUpdate(server, 'schedule', (doc) => ends(doc).set(endKey, later)), role)).toEqual({
      rule: 'forbidden',
      message: `series ${series}: end ${endKey}: an end cannot be replaced`,
    });
  });

  it.each(['admin', 'dispatcher'] as const)('an %s may take back what undo takes back: a whole series, an end', (role) => {
    const { server, series } = withSeries();
    // Undoing the creation removes the record with everything in it (its log included).
    expect(server.receive('schedule', clientUpdate(server, 'schedule', (doc) => seriesMaps(doc).series.delete(series)), role)).toBeNull();
    const ended = withSeries();
    ended.ws.must('endSeries', { id: ended.series, lastDate: '2026-12-31' });
    const endKey = [...part<Y.Map<unknown>>(ended.server.schedule, ended.series, 'ends').keys()][0]!;
    expect(ended.server.receive('schedule', clientUpdate(ended.server, 'schedule', (doc) => part<Y.Map<unknown>>(doc, ended.series, 'ends').delete(endKey)), role)).toBeNull();
  });
});
