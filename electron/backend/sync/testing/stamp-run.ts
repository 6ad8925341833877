/**
 * One run of the stamp property test (issue #20), on the convergence rig's server and TCP proxies: a fresh
 * organization, three desktops whose clocks are skewed (a: right, b: 3 h slow, c: a day fast), a technician
 * tapping statuses through the server's field API, and a random list of events (offline edits of shared
 * jobs: move, Save with or without notify, cancel, notes; taps; desktops coming and going; time passing).
 * Every desktop starts offline and all come back, in a random order, at the end. Then `check` asserts:
 * identical documents and read tables everywhere; every group with concurrent entries won by what the
 * independent oracle (`rule-oracle.ts`) computes from the documented table; every losing desktop entry
 * marked on its desktop; every fast stamp clamped; every technician status still in history everywhere;
 * every notification request placed and ended sent or skipped with a reason.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { ManualClock } from '../../../../core/clock';
import { getBooking, listBookings, readHistory, scheduleMaps } from '../../../../core/index';
import { contentOf } from '../../../../core/testing/convergence-scenario';
import { dumpReadTables } from '../../store/testing/tables';
import type { ChannelSenders } from '../../../../sync-server/src/notifications/channels';
import type { OutgoingMessage } from '../../../../sync-server/src/notifications/types';
import { everyHistoryId, serverDoc, settledWith, signInAt, until, type ConvergenceRig } from './convergence-rig';
import { oracleEntries, oracleWinner, tableRule } from './rule-oracle';
import { openDesktop, type TestDesktop } from './sync-harness';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** a: right; b: 3 h slow; c: a day fast (its stamps must be clamped by the server). */
export const SKEWS = [0, -3 * HOUR, 24 * HOUR] as const;
const NAMES = ['a', 'b', 'c'] as const;
const PASSWORD = 'stamp-property-password';
const JOBS = 3;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------------------------------------------
// Events

type Ix = 0 | 1 | 2;
export type StampEvent =
  | { t: 'move'; d: Ix; job: number; halfHours: number }
  /** A Save of the job's slot: moved by `halfHours`, with the assignees picked (nobody: an unassign), notify on or off. */
  | { t: 'save'; d: Ix; job: number; halfHours: number; who: 'tess' | 'uma' | 'both' | 'nobody'; notify: boolean }
  /** Send to tech: a planning write of the status (dispatched). */
  | { t: 'send'; d: Ix; job: number }
  | { t: 'cancel'; d: Ix; job: number }
  | { t: 'notes'; d: Ix; job: number }
  /** The technician (Tess) taps the job's next status through the field API. */
  | { t: 'tap'; job: number }
  /** The desktop comes online (and settles) when offline, or settles and goes offline when online. */
  | { t: 'toggle'; d: Ix };

const ix = fc.constantFrom<Ix>(0, 1, 2);
const job = fc.integer({ min: 0, max: JOBS - 1 });
const halfHours = fc.integer({ min: -4, max: 8 }).filter((h) => h !== 0);
const edit: fc.Arbitrary<StampEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('move' as const), d: ix, job, halfHours }) },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('save' as const), d: ix, job, halfHours, who: fc.constantFrom('tess' as const, 'uma' as const, 'both' as const, 'nobody' as const), notify: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('send' as const), d: ix, job }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), d: ix, job }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('notes' as const), d: ix, job }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('tap' as const), job }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('toggle' as const), d: ix }) },
);

export interface StampPlan {
  /** Each event with the minutes that pass before it (every clock moves together). */
  events: Array<{ minutes: number; event: StampEvent }>;
  /** The order in which the desktops come back at the end. */
  reconnect: Ix[];
}

export const stampPlanArb: fc.Arbitrary<StampPlan> = fc.record({
  events: fc.array(fc.record({ minutes: fc.integer({ min: 0, max: 4 }), event: edit }), { minLength: 6, maxLength: 18 }),
  reconnect: fc.shuffledSubarray([0, 1, 2] as Ix[], { minLength: 3, maxLength: 3 }),
});

export interface StampStats {
  edits: number;
  refused: number;
  taps: number;
  tapsRefused: number;
  /** Groups that ended with concurrent entries, and those a domain rule decided. */
  conflicts: number;
  ruled: number;
  /** Per rule of the table: how often it decided a group. */
  rules: Record<string, number>;
  marks: number;
  /** Technician statuses that lost (to a cancel) and the technician was told. */
  techTold: number;
  clamped: number;
  requests: number;
  sent: number;
  skipped: number;
}

export const emptyStampStats = (): StampStats => ({
  edits: 0, refused: 0, taps: 0, tapsRefused: 0, conflicts: 0, ruled: 0, rules: {}, marks: 0, techTold: 0, clamped: 0, requests: 0, sent: 0, skipped: 0,
});

export function addStampStats(into: StampStats, from: StampStats): void {
  for (const key of Object.keys(into) as Array<keyof StampStats>) {
    if (key === 'rules') for (const [rule, count] of Object.entries(from.rules)) into.rules[rule] = (into.rules[rule] ?? 0) + count;
    else into[key] += from[key];
  }
}

/** The in-process channels: every message the worker sends is kept, and every send succeeds. */
export function memorySenders(): { senders: ChannelSenders; sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  const sender = (describe: string) => ({
    describe,
    send: (message: OutgoingMessage) => {
      sent.push(message);
      return Promise.resolve({ ok: true as const });
    },
  });
  return { senders: { email: sender('memory:email'), sms: sender('memory:sms'), chat: sender('memory:chat') }, sent };
}

// ---------------------------------------------------------------------------------------------------
// The run

interface Seat {
  name: string;
  desktop: TestDesktop;
  offline: boolean;
}

export class StampRun {
  private seats: Seat[] = [];
  private orgId = '';
  private jobs: string[] = [];
  private providers = { tess: '', uma: '' };
  private techToken = '';
  /** History entries the technician's taps wrote (on the server). */
  private readonly tapHistory = new Set<string>();
  /** Every history entry any replica had after any event. */
  private readonly history = new Set<string>();
  /** Save requests with notify on that were committed. */
  private readonly requests: string[] = [];
  private readonly stats = emptyStampStats();
  /**
   * The jobs start an hour or more after the run does (the clock goes on from run to run), so none is over
   * before the run ends: the worker tells nobody about a job whose planned end has passed (see `check`).
   */
  private firstStart = 0;
  private jobStart(j: number): number {
    return this.firstStart + j * 2 * HOUR;
  }

  constructor(
    private readonly rig: ConvergenceRig,
    private readonly clock: ManualClock,
    private readonly n: number,
    private readonly root: string,
  ) {}

  private get server() {
    return this.rig.server;
  }

  async run(plan: StampPlan): Promise<StampStats> {
    try {
      await this.setUp();
      for (const { minutes, event } of plan.events) {
        this.clock.advance(minutes * MINUTE);
        await this.apply(event);
      }
      for (const d of plan.reconnect) await this.online(d);
      await this.settle('after every desktop came back');
      await this.check();
      return this.stats;
    } finally {
      for (const [i, seat] of this.seats.entries()) {
        this.rig.proxies[i]!.heal();
        seat.desktop.dispose();
      }
    }
  }

  private async setUp(): Promise<void> {
    const accounts = this.server.server.accounts!;
    const email = (name: string) => `${name}.stamps${this.n}@stamps.example`;
    const { org } = await accounts.createOrganization({ name: `Stamps run ${this.n}`, admin: { email: email('a'), name: 'Ana', password: PASSWORD } });
    this.orgId = org.id;
    this.firstStart = Math.ceil(this.clock.now() / HOUR) * HOUR + 2 * HOUR;
    for (const [name, display] of [['b', 'Bo'], ['c', 'Cy']] as const) {
      await accounts.inviteUser(org.id, { email: email(name), name: display, role: 'dispatcher', password: PASSWORD });
    }
    for (const [i, name] of NAMES.entries()) {
      const skew = SKEWS[i]!;
      const desktop = await openDesktop(name, { dataDir: join(this.root, `stamps${this.n}-${name}`), maxBackoffMs: 40, clock: () => this.clock.now() + skew });
      this.seats.push({ name, desktop, offline: false });
    }
    const [first, ...others] = this.seats as [Seat, Seat, Seat];
    const a = first.desktop;
    await this.command(a, 'initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
    this.providers.tess = (await this.command<{ id: string }>(a, 'createProvider', { name: 'Tess Tech', email: `tess.${this.n}@stamps.example` })).id;
    this.providers.uma = (await this.command<{ id: string }>(a, 'createProvider', { name: 'Uma Tech', email: `uma.${this.n}@stamps.example` })).id;
    for (let j = 0; j < JOBS; j++) {
      const start = this.jobStart(j);
      const { id } = await this.command<{ id: string }>(a, 'createBooking', {
        title: `Job ${j}`,
        slot: { start: iso(start), end: iso(start + HOUR), assignees: [this.providers.tess] },
      });
      await this.command(a, 'sendToTech', { id });
      this.jobs.push(id);
    }
    await signInAt(a, this.rig.proxies[0]!.url, email('a'), PASSWORD, 'upload');
    await this.settle('upload', [first]);
    for (const [i, seat] of others.entries()) await signInAt(seat.desktop, this.rig.proxies[i + 1]!.url, email(seat.name), PASSWORD, 'replace');
    await this.settle('set-up');
    await accounts.inviteUser(org.id, { email: email('tess'), name: 'Tess Tech', role: 'technician', password: PASSWORD, providerId: this.providers.tess });
    const login = await fetch(`${this.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email('tess'), password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`technician login: ${login.status} ${await login.text()}`);
    this.techToken = ((await login.json()) as { token: string }).token;
    // The worker's first look at an organization only records it.
    await this.server.server.notifications!.worker.runOnce();
    // Every desktop starts offline: the edits below are offline edits unless a toggle brings one back.
    for (let i = 0; i < 3; i++) this.rig.proxies[i]!.partition();
    for (const seat of this.seats) seat.offline = true;
    this.noteHistory();
  }

  private async command<T = unknown>(desktop: TestDesktop, name: string, input: unknown): Promise<T> {
    const result = await desktop.client.request('commands:run', { name, input });
    if (!result.ok) throw new Error(`${desktop.name} ${name}: ${result.error.message}`);
    return result.value as T;
  }

  private async apply(event: StampEvent): Promise<void> {
    if (event.t === 'tap') return this.tap(this.jobs[event.job]!);
    if (event.t === 'toggle') {
      const seat = this.seats[event.d]!;
      if (seat.offline) return this.online(event.d);
      await this.settle(`before ${seat.name} goes offline`);
      this.rig.proxies[event.d]!.partition();
      seat.offline = true;
      return;
    }
    const seat = this.seats[event.d]!;
    const id = this.jobs[event.job]!;
    const booking = getBooking(seat.desktop.store.docs.schedule, id);
    let name: string;
    let input: Record<string, unknown>;
    switch (event.t) {
      case 'move': {
        const start = booking?.slot ? Date.parse(booking.slot.start) + event.halfHours * 30 * MINUTE : this.jobStart(event.job);
        [name, input] = ['moveBooking', { id, start: iso(start) }];
        break;
      }
      case 'save': {
        const start = (booking?.slot ? Date.parse(booking.slot.start) : this.jobStart(event.job)) + event.halfHours * 30 * MINUTE;
        const assignees = event.who === 'both' ? [this.providers.tess, this.providers.uma] : event.who === 'nobody' ? [] : [this.providers[event.who]];
        [name, input] = ['saveChanges', { changes: [{ id, slot: { start: iso(start), end: iso(start + HOUR), assignees } }], notifyProviders: event.notify, notifyCustomers: false }];
        break;
      }
      case 'send':
        [name, input] = ['sendToTech', { id }];
        break;
      case 'cancel':
        [name, input] = ['cancelBooking', { id, reason: `Called off from ${seat.name}` }];
        break;
      case 'notes':
        [name, input] = ['updateBooking', { id, notes: `Gate code from ${seat.name} at ${iso(seat.desktop.store.clock())}` }];
        break;
    }
    const result = await seat.desktop.client.request('commands:run', { name, input });
    if (!result.ok) {
      expect(result.error.code, `${seat.name} ${name}: ${result.error.message}`).not.toBe('internal');
      this.stats.refused++;
      return;
    }
    this.stats.edits++;
    const requestId = (result.value as { notificationRequestId?: string | null } | undefined)?.notificationRequestId;
    if (requestId) this.requests.push(requestId);
    this.noteHistory();
  }

  /** The technician taps the next status the server's copy of the job allows. */
  private async tap(id: string): Promise<void> {
    const doc = serverDoc(this.server, this.orgId, 'schedule');
    const status = doc ? getBooking(doc, id)?.status : undefined;
    const next = status === 'en_route' ? 'in_progress' : status === 'in_progress' ? 'completed' : 'en_route';
    const before = new Set(doc ? readHistory(doc, id).map((h) => h.id) : []);
    const reply = await fetch(`${this.server.url}/api/field/jobs/${id}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.techToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: next }),
    });
    const text = await reply.text();
    // A tap the job's state refuses (cancelled, completed, taken off) is a clear 4xx, never a server error.
    expect(reply.status, `tap ${next} on ${status}: ${text}`).toBeLessThan(500);
    if (reply.status !== 200) {
      expect(JSON.parse(text), `tap refusal names its reason: ${text}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      this.stats.tapsRefused++;
      return;
    }
    this.stats.taps++;
    const after = serverDoc(this.server, this.orgId, 'schedule')!;
    const added = readHistory(after, id).filter((h) => !before.has(h.id));
    expect(added.length, `the ${next} tap wrote history`).toBeGreaterThan(0);
    for (const h of added) this.tapHistory.add(h.id);
    this.noteHistory();
  }

  private async online(d: Ix): Promise<void> {
    const seat = this.seats[d]!;
    if (!seat.offline) return;
    this.rig.proxies[d]!.heal();
    seat.offline = false;
    await this.settle(`after ${seat.name} came back`);
    this.noteHistory();
  }

  private noteHistory(): void {
    const docs = [...this.seats.map((s) => s.desktop.store.docs.schedule), serverDoc(this.server, this.orgId, 'schedule')];
    for (const doc of docs) if (doc) for (const id of everyHistoryId({ schedule: doc })) this.history.add(id);
  }

  private async settle(label: string, seats: readonly Seat[] = this.seats): Promise<void> {
    const online = seats.filter((s) => !s.offline).map((s) => s.desktop);
    await until(() => settledWith(this.server, this.orgId, online), `${label} (run ${this.n})`, 20_000);
  }

  async check(): Promise<void> {
    const desktops = this.seats.map((s) => s.desktop);
    const schedule = serverDoc(this.server, this.orgId, 'schedule')!;
    const roster = serverDoc(this.server, this.orgId, 'roster')!;

    // 1. The same documents and read tables everywhere, the server's included.
    const content = contentOf({ roster, schedule });
    for (const d of desktops) {
      expect(d.sync.status(), `${d.name} status`).toMatchObject({ state: 'synced', pending: 0, error: null });
      expect(contentOf(d.store.docs), `${d.name} documents`).toEqual(content);
    }
    const tables = dumpReadTables(desktops[0]!.store.db);
    for (const d of desktops.slice(1)) expect(dumpReadTables(d.store.db), `${d.name} read tables`).toEqual(tables);

    // 2. Every group with concurrent entries is won by what the documented table says, and every losing
    //    desktop entry is marked on that desktop. 3. Every stamp of the fast desktop was clamped.
    const replicaOf = new Map(desktops.map((d) => [d.store.replica.id, d]));
    const fast = desktops[2]!.store.replica.id;
    const bookings = scheduleMaps(schedule).bookings;
    const toldTech: Array<{ id: string; describe: string }> = [];
    for (const id of this.jobs) {
      const record = bookings.get(id);
      if (!(record instanceof Y.Map)) throw new Error(`job ${id} is not a record on the server`);
      const shown = getBooking(schedule, id)! as unknown as Record<string, unknown>;
      for (const [group, entries] of oracleEntries(schedule, record)) {
        for (const e of entries) {
          if (e.replica !== fast) continue;
          expect(e.effective.wall, `${group}@${e.replica}: a stamp a day ahead compares as the server's time`).toBeLessThan(e.stamp.wall - 23 * HOUR);
          this.stats.clamped++;
        }
        if (entries.length < 2) continue;
        this.stats.conflicts++;
        const verdict = oracleWinner(group, entries);
        const describe = `${group} of job ${this.jobs.indexOf(id)}: ${JSON.stringify(entries.map((e) => ({ r: e.replica, s: e.value._s, eff: e.effective.wall, v: e.value })))}`;
        // The table's rows never cycle (§4.1), so the oracle always names a winner.
        if (verdict.kind === 'cycle') throw new Error(`the oracle found no winner: ${describe}`);
        const rules = verdict.losers.map((l) => tableRule(group, verdict.winner, l)?.rule).filter((r) => r !== undefined);
        if (rules.length > 0) this.stats.ruled++;
        for (const rule of rules) this.stats.rules[rule] = (this.stats.rules[rule] ?? 0) + 1;
        expect(shows(shown, verdict.winner.value), `winner by the documented rule: ${describe}`).toBe(true);
        for (const loser of verdict.losers) {
          const desktop = replicaOf.get(loser.replica);
          if (!desktop) {
            // The technician's status lost (to a cancel): it stays in history (below), and she is told.
            toldTech.push({ id, describe });
            continue;
          }
          const marks = desktop.store.offlineChanges.list({ bookingId: id }).filter((c) => c.action === 'conflict_lost');
          expect(marks.map((m) => m.entryId), `${desktop.name}'s lost ${group} is marked: ${describe}`).toContain(`lost-${group}-${loser.value._s as string}`);
          this.stats.marks++;
        }
      }
    }

    // 4. Every history entry, the technician's statuses included, everywhere.
    for (const doc of [schedule, ...desktops.map((d) => d.store.docs.schedule)]) {
      const ids = new Set(everyHistoryId({ schedule: doc }));
      expect([...this.tapHistory].filter((h) => !ids.has(h)), 'technician statuses missing from history').toEqual([]);
      expect([...this.history].filter((h) => !ids.has(h)), 'history entries missing').toEqual([]);
    }

    // 5. Every notification request placed, and every message of this organization sent or skipped with a reason.
    const notifications = this.server.server.notifications!;
    for (let pass = 0; pass < 3; pass++) await notifications.worker.runOnce();
    const seen = await notifications.store.seenRequestIds(this.orgId);
    const told = await notifications.store.toldProvider(this.orgId, this.providers.tess, 0);
    for (const { id, describe } of toldTech) {
      const kinds = told.filter((t) => t.bookingId === id).flatMap((t) => t.kinds);
      const log = (await notifications.store.listForBooking(this.orgId, id)).map((r) => ({ to: r.recipientName, status: r.status, error: r.lastError, kinds: r.items.map((i) => i.kinds) }));
      const slot = getBooking(schedule, id)?.slot;
      expect(kinds, `the technician whose status lost is told: ${describe}; slot ${JSON.stringify(slot)}; messages ${JSON.stringify(log)}`).toContain('cancelled');
      this.stats.techTold++;
    }
    const db = new Database(join(this.server.dataDir, 'rooms.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT id, status, last_error AS lastError FROM notify_outbox WHERE org_id = ?').all(this.orgId) as Array<{ id: number; status: string; lastError: string | null }>;
      expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'skipped'), 'messages neither sent nor skipped').toEqual([]);
      expect(rows.filter((r) => r.status === 'skipped' && !r.lastError), 'skipped without a reason').toEqual([]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const keys = db.prepare('SELECT key, outbox_id AS outboxId FROM notify_event_keys').all() as Array<{ key: string; outboxId: number }>;
      for (const request of this.requests) {
        expect(seen.has(request), `request ${request} seen by the worker`).toBe(true);
        const placed = keys.filter((k) => k.key.startsWith(`req:${request}`));
        expect(placed.length, `request ${request} ended in a message or a skip`).toBeGreaterThan(0);
        for (const k of placed) expect(byId.get(k.outboxId)?.status, `request ${request}'s message ${k.outboxId}`).toMatch(/^(sent|skipped)$/);
      }
      this.stats.requests += this.requests.length;
      this.stats.sent += rows.filter((r) => r.status === 'sent').length;
      this.stats.skipped += rows.filter((r) => r.status === 'skipped').length;
    } finally {
      db.close();
    }
    expect(listBookings(schedule).length).toBe(JOBS);
  }
}

/** The record shows `value` for its group: every field of the entry (meta keys aside) equals the reading. */
function shows(shown: Record<string, unknown>, value: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(value).every(([k, v]) => k.startsWith('_') || JSON.stringify(shown[k] ?? null) === JSON.stringify(v ?? null));
}

