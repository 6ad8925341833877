/**
 * An organization on a real server for the tests of the document rules and the total readers: the Northwind
 * roster of the notification tests (`seedOrg`), a job for Ana today (sent, customer Dee with email), a job
 * for Ben, Ana and Ben signed in as technicians (field API), the notification worker on an injected clock
 * with every message captured, and the helpers to write what an honest client would not.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import type { OutgoingMessage } from '../../notifications/types';
import { Clock, OrgClient, seedOrg, type SeededOrg } from '../../notifications/testing/org-client';
import { loadDoc } from '../room';
import { ROOMS_FILE, RoomStore } from '../room-store';
import { ORG_A, roomOf, startTestServer, type TestServer } from './harness';
import { freePort } from './server-process';
import type { SyncServerOptions } from '../../server';

export const TODAY = '2026-11-24';
/** Tue 2026-11-24 09:00–11:00 and 12:00–13:00 in Chicago. */
export const MORNING = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' };
export const NOON = { start: '2026-11-24T18:00:00Z', end: '2026-11-24T19:00:00Z' };

export const SCHEDULE = roomOf(ORG_A, 'schedule');
export const ROSTER = roomOf(ORG_A, 'roster');

export interface Reply {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers of every route, read by the tests
  body: any;
}

export interface OrgRig {
  t: TestServer;
  clock: Clock;
  /** The admin's console-like client that seeded the organization (stock providers, core commands). */
  admin: OrgClient;
  ids: SeededOrg & { job: string; bensJob: string };
  /** Every message the worker delivered, any channel. */
  sent: OutgoingMessage[];
  /** The server's live documents. */
  docs(): { roster: Y.Doc; schedule: Y.Doc };
  /** A request to the server as `token` (JSON body if given). */
  call(method: string, path: string, token: string, json?: unknown): Promise<Reply>;
  /** Worker passes until `found` holds (a batch is sealed on one pass and delivered on the next). */
  delivered(found: (m: OutgoingMessage) => boolean): Promise<OutgoingMessage>;
  /**
   * Stops the server (the admin's client first), writes `plant` straight into `rooms.sqlite` (past every
   * check, as data stored by an older server), and starts it again on the same port, files and tokens.
   */
  restartWith(plant: (room: string, doc: Y.Doc) => Uint8Array | null): Promise<void>;
}

export async function startOrgRig(options: Partial<SyncServerOptions> = {}): Promise<OrgRig> {
  const clock = new Clock('2026-11-24T14:00:00Z');
  const sent: OutgoingMessage[] = [];
  const capture = {
    describe: 'capture',
    async send(message: OutgoingMessage) {
      sent.push(message);
      return { ok: true as const };
    },
  };
  const serverOptions: Partial<SyncServerOptions> = {
    clock: clock.now,
    notifications: { now: clock.now, tickMs: 0, batchWindowMs: 0,  senders: { email: capture, sms: capture, chat: capture } },
    port: await freePort(),
    ...options,
  };
  const t = await startTestServer(serverOptions);
  const admin = await new OrgClient(t.wsUrl, ORG_A, 'admin-a', clock).connect();
  const seeded = seedOrg(admin);
  const job = admin.run('createBooking', {
    title: 'Furnace at Dawson',
    customerId: seeded.dee,
    serviceId: seeded.service,
    location: { address: '12 Oak St, Chicago', coordinates: null },
    slot: { ...MORNING, assignees: [seeded.ana] },
  }).id;
  admin.run('sendToTech', { id: job });
  const bensJob = admin.run('createBooking', { title: 'Boiler check', slot: { ...NOON, assignees: [seeded.ben] } }).id;
  admin.run('sendToTech', { id: bensJob });
  t.auth.add('tech-ana', ORG_A, 'technician').providerId = seeded.ana;
  t.auth.add('tech-ben', ORG_A, 'technician').providerId = seeded.ben;

  const docs = () => ({ roster: rig.t.server.rooms.get(ROSTER)!.doc, schedule: rig.t.server.rooms.get(SCHEDULE)!.doc });
  const rig: OrgRig = {
    t,
    clock,
    admin,
    ids: { ...seeded, job, bensJob },
    sent,
    docs,
    async call(method, path, token, json) {
      const res = await fetch(`${rig.t.server.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: res.status, text, body };
    },
    async delivered(found) {
      for (let pass = 0; pass < 10; pass++) {
        await rig.t.server.notifications!.worker.runOnce();
        const message = sent.find(found);
        if (message) return message;
      }
      throw new Error(`No such message among ${sent.length} delivered`);
    },
    async restartWith(plant) {
      admin.disconnect();
      await rig.t.stop(true);
      const store = new RoomStore(join(rig.t.dataDir, ROOMS_FILE));
      try {
        for (const room of [ROSTER, SCHEDULE]) {
          const update = plant(room, loadDoc(store, room));
          if (update) store.append(room, update);
        }
      } finally {
        store.close();
      }
      rig.t = await startTestServer({ ...serverOptions, dataDir: rig.t.dataDir, auth: rig.t.auth });
    },
  };
  await admin.pushedTo(() => (t.server.rooms.get(ROSTER) && t.server.rooms.get(SCHEDULE) ? docs() : null));
  // The worker's first look records what is there; from now on changes are news.
  await t.server.notifications!.worker.runOnce();
  sent.length = 0;
  return rig;
}

/** The update a client holding `doc`'s state would send after making `change` (nothing checks it here). */
export function updateAfter(doc: Y.Doc, change: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(replica);
  change(replica);
  return Y.encodeStateAsUpdate(replica, before);
}
