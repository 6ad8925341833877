/**
 * A sync server with real accounts and one organization a desktop (a stock WebsocketProvider signed in as
 * its admin) has filled through core commands: three providers, customers, a service and a day of jobs
 * in Chicago. Technicians, a dispatcher, a viewer and an unlinked technician sign in over HTTP. Used by
 * the field API and calendar feed tests.
 */
import { rmSync } from 'node:fs';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { executeCommand, type CommandName } from '../../../../core/commands/index';
import { listProviders } from '../../../../core/doc/roster';
import { getBooking } from '../../../../core/doc/schedule';
import { newId } from '../../../../core/ids';
import type { Actor } from '../../../../core/model';
import { roomName } from '../../../../core/sync/rooms';
import { AccountStore } from '../../accounts/account-store';
import { createSyncServer, type SyncServer } from '../../server';
import { connectProvider, tempDir, waitUntil, whenSynced } from '../../sync/testing/harness';

/** 08:00 in Chicago on the fixture's day. */
export const NOW = Date.parse('2026-11-24T14:00:00Z');
export const TODAY = '2026-11-24';
export const TOMORROW = '2026-11-25';
export const ZONE = 'America/Chicago';
export const PASSWORD = 'field-password-1';
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const HOUR = 3_600_000;

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Chicago is UTC-6 in late November. */
export const chicago = (date: string, hhmm: string) => `${date}T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, checked by each test
}

export interface FieldFixture {
  server: SyncServer;
  dataDir: string;
  url: string;
  orgId: string;
  providers: { ana: string; bo: string; cy: string };
  customers: { dana: string; eli: string; fay: string };
  jobs: {
    /** Ana and Bo, 09:00–10:30 today, Dispatched, with customer Dana, an arrival window and notes. */
    team: string;
    /** Ana alone, 13:00–14:00 today, Scheduled (not sent). */
    anaLater: string;
    /** Bo alone, 11:00–12:00 today, Dispatched, customer Eli. */
    bo: string;
    /** Ana, 15:00–16:00 today, Cancelled. */
    cancelled: string;
    /** Ana, 09:00 tomorrow, Scheduled. */
    tomorrow: string;
    /** Nobody, 10:00–11:00 tomorrow: open for self-dispatch (customer Fay). */
    open: string;
    /** Nobody and no date: not offered. */
    undated: string;
  };
  tokens: { ana: string; bo: string; cy: string; admin: string; dispatcher: string; viewer: string; unlinked: string };
  /** The admin's desktop: a stock provider per room, writing through core commands. */
  desk: { roster: WebsocketProvider; schedule: WebsocketProvider; run<T = unknown>(name: CommandName, input: unknown, actor?: Actor): T };
  /** The server's live schedule document. */
  schedule(): Y.Doc;
  call(method: string, path: string, options?: { token?: string; json?: unknown; body?: string; contentType?: string }): Promise<Reply>;
  setNow(ms: number): void;
  stop(): Promise<void>;
}

export async function startFieldFixture(options: { selfDispatch?: boolean } = {}): Promise<FieldFixture> {
  const dataDir = tempDir('crewline-field-');
  let clock = NOW;
  const accounts = AccountStore.open(dataDir, { scrypt: FAST_SCRYPT });
  const { org } = await accounts.createOrganization({
    name: 'Northwind',
    admin: { email: 'admin@northwind.example', name: 'Ana Admin', password: PASSWORD },
  });
  const server = await createSyncServer({ dataDir, port: 0, accounts, archiveEveryMs: 0, clock: () => clock });
  const url = server.url;
  const wsUrl = `ws://127.0.0.1:${server.port}/sync`;

  const call: FieldFixture['call'] = async (method, path, { token, json, body, contentType } = {}) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (json !== undefined || body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const res = await fetch(url + path, { method, headers, body: json !== undefined ? JSON.stringify(json) : body });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  const login = async (email: string) => {
    const reply = await call('POST', '/api/auth/login', { json: { email, password: PASSWORD } });
    if (reply.status !== 200) throw new Error(`login ${email}: ${reply.text}`);
    return reply.body.token as string;
  };

  const adminToken = await login('admin@northwind.example');
  const roster = connectProvider(wsUrl, roomName(org.id, 'roster'), adminToken);
  const schedule = connectProvider(wsUrl, roomName(org.id, 'schedule'), adminToken);
  await Promise.all([whenSynced(roster), whenSynced(schedule)]);
  const admin: Actor = { id: 'u-admin', name: 'Ana Admin', role: 'admin' };
  const run = <T = unknown>(name: CommandName, input: unknown, actor: Actor = admin): T => {
    const result = executeCommand({ roster: roster.doc, schedule: schedule.doc, actor, now: () => iso(clock), newId }, name, input, 'local');
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as T;
  };

  clock = NOW - 48 * HOUR;
  run('initializeOrganization', { name: 'Northwind', timeZone: ZONE, selfDispatch: options.selfDispatch ?? true });
  const provider = (name: string, phone: string) => run<{ id: string }>('createProvider', { name, phone }).id;
  const providers = { ana: provider('Ana Silva', '+1 312 555 0001'), bo: provider('Bo Chen', '+1 312 555 0002'), cy: provider('Cy Park', '+1 312 555 0003') };
  const customer = (name: string, phone: string, address: string, notes = '') => run<{ id: string }>('createCustomer', { name, phone, address, notes }).id;
  const customers = {
    dana: customer('Dana Whitfield', '+1 312 555 0101', '12 Elm St, Chicago', 'Gate code 4411'),
    eli: customer('Eli Moreno', '+1 312 555 0102', '40 Oak Ave, Chicago', 'Dog in yard'),
    fay: customer('Fay Lin', '+1 312 555 0103', '7 Pine Rd, Chicago', 'Side door'),
  };
  const tuneUp = run<{ id: string }>('createService', { name: 'Furnace tune-up', durationMinutes: 90 }).id;
  const booking = (title: string, slot: { start: string; end: string; assignees: string[] } | null, extra: Record<string, unknown> = {}) =>
    run<{ id: string }>('createBooking', { title, slot, ...extra }).id;

  const jobs = {
    team: booking('Furnace tune-up', { start: chicago(TODAY, '09:00'), end: chicago(TODAY, '10:30'), assignees: [providers.ana, providers.bo] }, {
      customerId: customers.dana,
      serviceId: tuneUp,
      teamSize: 2,
      notes: 'Bring two filters',
      arrivalWindow: { start: chicago(TODAY, '09:00'), end: chicago(TODAY, '10:00') },
    }),
    anaLater: booking('Outlet repair', { start: chicago(TODAY, '13:00'), end: chicago(TODAY, '14:00'), assignees: [providers.ana] }, { customerId: customers.eli }),
    bo: booking('Water heater flush', { start: chicago(TODAY, '11:00'), end: chicago(TODAY, '12:00'), assignees: [providers.bo] }, { customerId: customers.eli }),
    cancelled: booking('Gutter cleaning', { start: chicago(TODAY, '15:00'), end: chicago(TODAY, '16:00'), assignees: [providers.ana] }, { customerId: customers.fay }),
    tomorrow: booking('Thermostat install', { start: chicago(TOMORROW, '09:00'), end: chicago(TOMORROW, '10:00'), assignees: [providers.ana] }, { customerId: customers.dana }),
    open: booking('Dryer vent cleaning', { start: chicago(TOMORROW, '10:00'), end: chicago(TOMORROW, '11:00'), assignees: [] }, { customerId: customers.fay }),
    undated: booking('Quote visit', null, { customerId: customers.fay }),
  };
  clock = NOW - 24 * HOUR;
  run('sendToTech', { id: jobs.team });
  run('sendToTech', { id: jobs.bo });
  run('cancelBooking', { id: jobs.cancelled, reason: 'Customer away' });
  clock = NOW;

  const room = () => server.rooms.get(roomName(org.id, 'schedule'));
  // Updates travel in order on one socket: the last command's change arriving means all of them have.
  await waitUntil(() => (room() ? getBooking(room()!.doc, jobs.cancelled)?.status === 'cancelled' : false), 5000, 'bookings at the server');
  const rosterRoom = () => server.rooms.get(roomName(org.id, 'roster'));
  await waitUntil(() => (rosterRoom() ? listProviders(rosterRoom()!.doc).length === 3 : false), 5000, 'providers at the server');

  const user = async (email: string, name: string, role: 'technician' | 'dispatcher' | 'viewer', providerId?: string) => {
    await accounts.inviteUser(org.id, { email, name, role, password: PASSWORD, ...(providerId ? { providerId } : {}) });
    return login(email);
  };
  const tokens = {
    admin: adminToken,
    ana: await user('ana@northwind.example', 'Ana Silva', 'technician', providers.ana),
    bo: await user('bo@northwind.example', 'Bo Chen', 'technician', providers.bo),
    cy: await user('cy@northwind.example', 'Cy Park', 'technician', providers.cy),
    dispatcher: await user('dee@northwind.example', 'Dee Dispatch', 'dispatcher'),
    viewer: await user('vic@northwind.example', 'Vic Viewer', 'viewer'),
    unlinked: await user('una@northwind.example', 'Una Unlinked', 'technician'),
  };

  return {
    server,
    dataDir,
    url,
    orgId: org.id,
    providers,
    customers,
    jobs,
    tokens,
    desk: { roster, schedule, run },
    schedule: () => server.rooms.get(roomName(org.id, 'schedule'))!.doc,
    call,
    setNow: (ms) => {
      clock = ms;
    },
    async stop() {
      roster.destroy();
      schedule.destroy();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
