/**
 * The notification worker (docs/design.md §8). Each tick:
 * 1. **scan** every organization whose schedule changed since the last tick (the room registry reports
 *    every published update; at start every stored organization): compare the schedule document with the
 *    per-booking state last seen and read new Save notification requests (`derive.ts`), place the events
 *    on the recipients' channels, and commit events, read position and processed requests in one
 *    transaction (`notification-store.ts`);
 * 2. **daily**: for each organization whose local `dailyEmailTime` has passed today and whose run for today
 *    is not recorded, enqueue each active provider's schedule email (once per provider per day);
 * 3. **seal** batches whose window closed: render each from the latest documents (`templates.ts`);
 * 4. **deliver** due rows through their channel (`channels.ts`); failures retry with backoff and jitter or
 *    the channel's Retry-After, and are dead-lettered after the cap or on a final refusal.
 * The clock (`now`) and randomness are injected, so tests can stand at 04:59 on a DST day.
 */
import { errorFields, silentLog, type Log } from '../log';
import type * as Y from 'yjs';
import { getCustomer, getProvider, listCustomers, listProviders, listServices, readSettings } from '../../../core/doc/roster';
import { getBooking, listBookings, readHistory, scheduleMaps } from '../../../core/doc/schedule';
import { newId } from '../../../core/ids';
import type { Booking } from '../../../core/model';
import { buildRouteSheets } from '../../../core/route-sheets/route-sheet';
import { roomName } from '../../../core/sync/rooms';
import { dayBoundsMs, toMs } from '../../../core/time';
import { organizationsWithSchedules } from '../sync/archiver';
import { withOrgDocs } from '../sync/org-docs';
import type { Room } from '../sync/room';
import type { RoomRegistry } from '../sync/room-registry';
import type { ChannelSenders } from './channels';
import { dailyDue } from './daily';
import { NOBODY, nextSeen, requestOutcome, sameSeen, transitionEvents, type DeriveContext, type RequestSkip, type SeenBooking } from './derive';
import type { DailyEntry, NotificationStore, OutboxItem, OutboxRow, Placement, SealOutcome } from './notification-store';
import { readNotificationRequest, unreadableRequestReason } from './read-request';
import { noteTouched, type Touched } from './touched';
import { reachCustomer, reachProvider } from './recipients';
import { decideRetry, DEFAULT_RETRY, type RetryPolicy } from './retry';
import { renderBatch, renderDailySchedule, type TemplateWorld } from './templates';
import type { NotifyEvent, SendResult } from './types';

export interface WorkerOptions {
  /** Events for one recipient and channel within this window become one message. Default 60 s. */
  batchWindowMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Requests and stamps older than this when first seen are recorded, not sent. Default 24 h. */
  staleAfterMs?: number;
  /** How often the worker ticks; 0: never by itself (tests call `runOnce`). Default 1 s. */
  tickMs?: number;
  /** Deliveries in flight at once. Default 4. */
  concurrency?: number;
  /** A delivery attempt still running after this is aborted (channels have their own, shorter timeouts). Default 60 s. */
  attemptDeadlineMs?: number;
  now?: () => number;
  random?: () => number;
  /** Each delivery attempt and its outcome, daily runs and problems (no addresses' contents, no bodies); default silent. */
  log?: Log;
  /**
   * How long a claimed delivery is this node's: past it, another node (sharing the database) takes the row
   * over. Longer than an attempt can last (its deadline), so a live node's attempt always ends first.
   * Default: twice the attempt deadline.
   */
  leaseMs?: number;
  /** Reads ahead an organization's rooms before they are read (PostgreSQL); nothing to do on SQLite. */
  prepareOrg?: (orgId: string) => Promise<void>;
  /** Every organization with a schedule in storage (PostgreSQL lists what other nodes stored too). */
  organizations?: () => Promise<string[]>;
  /**
   * With `organizations` (a shared database): how often every organization is compared whole. A node that
   * stored a change and died before scanning it leaves it to the others, which hear of changes only in
   * rooms they have loaded; the sweep finds it (event keys make a change found twice a no-op). Default 5 min;
   * 0: never.
   */
  sweepEveryMs?: number;
}

interface OrgInfo {
  timeZone: string;
  dailyEmailTime: string;
}

export type WorkerResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string; field?: string };

const createdAtOf = (read: ReturnType<typeof readNotificationRequest>) => (read.ok ? read.request.createdAt : read.createdAt);

export class NotificationWorker {
  private readonly batchWindowMs: number;
  private readonly retry: RetryPolicy;
  private readonly staleAfterMs: number;
  private readonly concurrency: number;
  private readonly attemptDeadlineMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly log: Log;
  private readonly dirty = new Set<string>();
  private readonly rosterDirty = new Set<string>();
  private readonly orgInfo = new Map<string, OrgInfo>();
  private readonly seenCache = new Map<string, Map<string, SeenBooking>>();
  private readonly requestCache = new Map<string, Set<string>>();
  private readonly dailyDone = new Set<string>();
  private readonly scannedOrgs = new Set<string>();
  /** Schedule documents whose transactions are watched. */
  private readonly observed = new WeakSet<Y.Doc>();
  /** Per organization, what changed since its last scan; `all` (or nothing known) compares everything. */
  private readonly touched = new Map<string, Touched | 'all'>();
  private readonly inflight = new Set<Promise<void>>();
  /** Deliveries being claimed (slots reserved while the claim is under way). */
  private claiming = 0;
  private ticking: Promise<void> | null = null;
  /** This process's name on the leases it takes. */
  readonly nodeId = newId();
  private readonly leaseMs: number;
  private readonly controllers = new Set<AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;
  private started = false;
  private closed = false;
  /** Counters for tests and logs. */
  readonly stats = { scans: 0, eventsPlaced: 0, sealed: 0, attempts: 0, sent: 0, retried: 0, dead: 0 };

  constructor(
    private readonly registry: RoomRegistry,
    readonly store: NotificationStore,
    private readonly senders: ChannelSenders,
    private readonly options: WorkerOptions = {},
  ) {
    this.batchWindowMs = options.batchWindowMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.staleAfterMs = options.staleAfterMs ?? 24 * 60 * 60_000;
    this.concurrency = options.concurrency ?? 4;
    this.attemptDeadlineMs = options.attemptDeadlineMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? silentLog;
    this.leaseMs = options.leaseMs ?? 2 * this.attemptDeadlineMs;
  }

  /**
   * Recovers attempts a crash interrupted (SQLite: the only process; on a shared database lapsed leases are
   * taken over by `claimDue` instead), schedules a scan of every stored organization, starts ticking.
   */
  async start(recoverInterrupted = true): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopListening = this.registry.onPublish((room) => this.published(room));
    if (recoverInterrupted) {
      const recovered = await this.store.recoverInterrupted(this.now(), this.retry.maxAttempts);
      if (recovered > 0) this.log.warn({ event: 'notification_recovered', count: recovered }, 'delivery attempts interrupted by the last stop are due again');
    }
    // The node's name on its leases: which node took (or lost) a row, in the log.
    this.log.info({ event: 'notification_worker_started', node: this.nodeId }, 'notification worker started');
    const orgs = this.options.organizations ? await this.options.organizations() : organizationsWithSchedules(this.registry);
    for (const orgId of orgs) this.dirty.add(orgId);
    const sweepEveryMs = this.options.sweepEveryMs ?? 5 * 60_000;
    if (this.options.organizations && sweepEveryMs > 0 && !this.closed) {
      this.sweepTimer = setInterval(() => {
        this.sweep().catch((error: unknown) => this.log.error({ event: 'notification_sweep_failed', ...errorFields(error) }, 'listing organizations failed (will retry)'));
      }, sweepEveryMs);
      this.sweepTimer.unref();
    }
    const tickMs = this.options.tickMs ?? 1000;
    if (tickMs > 0 && !this.closed) {
      this.timer = setInterval(() => void this.tick(), tickMs);
      this.timer.unref();
      setImmediate(() => void this.tick());
    }
  }

  private published(room: Room): void {
    const id = room.id;
    if (id.doc === 'roster') {
      this.rosterDirty.add(id.orgId);
      return;
    }
    if (id.doc !== 'schedule') return;
    this.dirty.add(id.orgId);
    if (!this.observed.has(room.doc)) {
      // A document not watched yet (just loaded, or reloaded): what this first change touched is unknown,
      // so its organization is compared whole once; from now on its transactions name what they touch.
      this.observed.add(room.doc);
      const orgId = id.orgId;
      room.doc.on('afterTransaction', (tr: Y.Transaction) => this.noteTransaction(orgId, tr));
      this.touched.set(orgId, 'all');
    }
  }

  /** Notes what a schedule transaction touched, for the next pass (`touched.ts`). */
  private noteTransaction(orgId: string, tr: Y.Transaction): void {
    const scope = this.touched.get(orgId) ?? { bookings: new Set<string>(), requests: false };
    if (scope === 'all') return;
    noteTouched(tr, scope);
    this.touched.set(orgId, scope);
  }

  /** Marks every stored organization for a whole comparison at the next pass. */
  async sweep(): Promise<void> {
    const orgs = this.options.organizations ? await this.options.organizations() : organizationsWithSchedules(this.registry);
    for (const orgId of orgs) {
      this.dirty.add(orgId);
      this.touched.set(orgId, 'all');
    }
  }

  /** One pass of everything, then waits for the deliveries it started (tests, with an injected clock). */
  async runOnce(): Promise<void> {
    // A pass already running may have begun before the caller's latest change, and a pass scans only what
    // the room store has committed (PostgreSQL commits in the background): finish that pass, wait for the
    // commit, then run one that sees everything.
    if (this.ticking) await this.ticking;
    for (let waited = 0; !this.registry.store.settled() && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.tick();
    await this.drain();
  }

  /** Waits until no delivery is in flight. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0 || this.claiming > 0) {
      await Promise.allSettled([...this.inflight]);
      if (this.claiming > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One pass; a tick asked for while one runs waits for it (store calls are asynchronous). */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.ticking) return this.ticking;
    this.ticking = this.pass().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async pass(): Promise<void> {
    const nowMs = this.now();
    try {
      await this.scanDirty(nowMs);
      await this.runDaily(nowMs);
      await this.sealBatches(nowMs);
      await this.deliverDue(nowMs);
    } catch (error) {
      this.log.error({ event: 'notification_tick_failed', ...errorFields(error) }, 'tick failed (will try again)');
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Scan

  private async scanDirty(nowMs: number): Promise<void> {
    for (const orgId of [...this.rosterDirty]) {
      this.rosterDirty.delete(orgId);
      if (!this.dirty.has(orgId)) this.refreshOrgInfo(orgId);
    }
    if (this.dirty.size === 0) return;
    // Only what is committed to rooms.sqlite is notified: a change the disk refused is not news yet.
    if (!this.registry.store.settled()) return;
    for (const orgId of [...this.dirty]) {
      this.dirty.delete(orgId);
      try {
        await this.scanOrg(orgId, nowMs);
      } catch (error) {
        this.dirty.add(orgId);
        this.touched.set(orgId, 'all');
        this.log.error({ event: 'notification_scan_failed', orgId, ...errorFields(error) }, 'scanning the organization failed (will retry)');
      }
    }
  }

  private refreshOrgInfo(orgId: string): void {
    const room = this.registry.get(roomName(orgId, 'roster'));
    if (!room) return;
    const settings = readSettings(room.doc);
    this.orgInfo.set(orgId, { timeZone: settings.timeZone, dailyEmailTime: settings.dailyEmailTime });
  }

  private async seenOf(orgId: string): Promise<Map<string, SeenBooking>> {
    let seen = this.seenCache.get(orgId);
    if (!seen) this.seenCache.set(orgId, (seen = await this.store.loadSeen(orgId)));
    return seen;
  }

  private async requestsSeen(orgId: string): Promise<Set<string>> {
    let ids = this.requestCache.get(orgId);
    if (!ids) this.requestCache.set(orgId, (ids = await this.store.seenRequestIds(orgId)));
    return ids;
  }

  /**
   * Compares one organization's schedule with what was last seen, and commits the difference. Nodes sharing
   * a database each scan what they see: the events' keys make a second node's commit of the same change a
   * no-op, and a node's caches may run behind another's without harm for the same reason.
   */
  async scanOrg(orgId: string, nowMs = this.now()): Promise<number> {
    const seen = await this.seenOf(orgId);
    const requestsSeen = await this.requestsSeen(orgId);
    const storedScan = this.scannedOrgs.has(orgId) || (await this.store.orgScanned(orgId));
    await this.options.prepareOrg?.(orgId);
    const scan = withOrgDocs(this.registry, orgId, ({ roster: rosterDoc, schedule: scheduleDoc }) => {
      this.stats.scans++;
      const settings = readSettings(rosterDoc);
      this.orgInfo.set(orgId, { timeZone: settings.timeZone, dailyEmailTime: settings.dailyEmailTime });

      const scope = this.touched.get(orgId) ?? 'all';
      this.touched.delete(orgId);
      // Bookings read on demand: a scan of a few touched bookings does not read 15,000.
      const loaded = new Map<string, Booking | undefined>();
      const bookingOf = (id: string) => {
        if (!loaded.has(id)) loaded.set(id, getBooking(scheduleDoc, id));
        return loaded.get(id);
      };
      let candidates: Set<string>;
      if (scope === 'all') {
        for (const booking of listBookings(scheduleDoc)) loaded.set(booking.id, booking);
        candidates = new Set([...loaded.keys(), ...seen.keys()]);
      } else candidates = scope.bookings;
      const ctx: DeriveContext = {
        nowMs,
        staleAfterMs: this.staleAfterMs,
        moveAction: (bookingId, moveId) => readHistory(scheduleDoc, bookingId).find((e) => e.id === moveId)?.action,
      };

      // The first look at an organization (a workspace just uploaded, or a server upgraded to this worker)
      // records what is there: jobs sent to technicians before there was a server are not news, and Save
      // requests it carries were made before the workspace synced (logged as skipped, with that reason).
      const firstScan = !storedScan;
      const events: NotifyEvent[] = [];
      const skips: RequestSkip[] = [];
      const requestIds: string[] = [];
      const requests = (scope === 'all' || scope.requests ? [...scheduleMaps(scheduleDoc).notificationRequests.entries()] : [])
        .filter(([id]) => !requestsSeen.has(id))
        .map(([id, raw]) => ({ id, read: readNotificationRequest(id, raw) }))
        .sort((a, b) => createdAtOf(a.read).localeCompare(createdAtOf(b.read)) || a.id.localeCompare(b.id));
      for (const { id, read } of requests) {
        requestIds.push(id);
        if (!read.ok) {
          // Recorded as seen (it will not read better next time) and skipped, with the reason, on each job it names.
          this.log.warn({ event: 'notification_request_malformed', orgId, requestId: id, reason: read.reason }, 'a notification request could not be read and was skipped');
          for (const bookingId of read.bookingIds) {
            skips.push({ event: { key: `req:${id}`, kind: 'updated', bookingId, recipient: NOBODY }, reason: unreadableRequestReason(read.reason) });
          }
          continue;
        }
        const request = read.request;
        // Seen now for the first time (ids already processed are filtered out above): this is its receipt.
        // The desktop says whether it was linked when it saved; for older requests, being there at the first
        // look is the best sign (a brand-new organization's first Save can arrive in that look too, and is
        // sent: the flag tells them apart).
        const beforeLink = request.beforeLink ?? firstScan;
        const outcome = requestOutcome(request, bookingOf, (b) => seen.get(b), { ...ctx, receivedAtMs: nowMs, beforeLink });
        events.push(...outcome.events);
        skips.push(...outcome.skips);
      }
      const changed: Array<[string, SeenBooking]> = [];
      const unseen: string[] = [];
      for (const id of candidates) {
        const booking = bookingOf(id);
        const prev = seen.get(id);
        if (!booking) {
          if (prev) unseen.push(id);
          continue;
        }
        const next = nextSeen(booking, prev);
        if (prev && sameSeen(prev, next)) continue;
        if (!firstScan) {
          const transition = transitionEvents(booking, prev, ctx);
          events.push(...transition.events);
          skips.push(...transition.skips);
        }
        changed.push([id, next]);
      }
      if (!firstScan && requestIds.length === 0 && changed.length === 0 && unseen.length === 0) return null;

      const placements = [...this.place(events, rosterDoc), ...this.placeSkips(skips, rosterDoc)];
      return { seen: changed, unseen, requestIds, placements };
    });
    if (!scan) return 0;
    const placed = await this.store.commitScan(orgId, scan, nowMs, this.batchWindowMs);
    // The caches follow the committed state only.
    for (const [id, state] of scan.seen) seen.set(id, state);
    for (const id of scan.unseen) seen.delete(id);
    for (const id of scan.requestIds) requestsSeen.add(id);
    this.scannedOrgs.add(orgId);
    this.stats.eventsPlaced += placed;
    return placed;
  }

  /** Requests' recipients that will not be told, with the reason (one `skipped` row each, channel `none`). */
  private placeSkips(skips: RequestSkip[], rosterDoc: Y.Doc): Placement[] {
    return skips.map(({ event, reason }) => {
      const { kind, id } = event.recipient;
      const name =
        event.recipient === NOBODY || id === ''
          ? 'Nobody'
          : ((kind === 'provider' ? getProvider(rosterDoc, id) : getCustomer(rosterDoc, id))?.name ?? `Unknown ${kind}`);
      return { event, channel: 'none' as const, problem: reason, name };
    });
  }

  /** Each event on each channel its recipient chose, or the reason it cannot go anywhere. */
  private place(events: NotifyEvent[], rosterDoc: Y.Doc): Placement[] {
    const placements: Placement[] = [];
    for (const event of events) {
      const person = event.recipient.kind === 'provider' ? getProvider(rosterDoc, event.recipient.id) : getCustomer(rosterDoc, event.recipient.id);
      if (!person) {
        placements.push({ event, channel: 'none', problem: `This ${event.recipient.kind} is no longer in the roster` });
        continue;
      }
      const reach = 'skills' in person ? reachProvider(person) : reachCustomer(person);
      for (const r of reach.reach) placements.push({ event, channel: r.channel });
      for (const p of reach.problems) placements.push({ event, channel: p.channel, problem: p.reason, name: person.name });
    }
    return placements;
  }

  // -------------------------------------------------------------------------------------------------
  // Daily schedule

  private async runDaily(nowMs: number): Promise<void> {
    for (const [orgId, info] of this.orgInfo) {
      let due;
      try {
        due = dailyDue(nowMs, info.timeZone, info.dailyEmailTime);
      } catch {
        continue;
      }
      if (!due.due) continue;
      const key = `${orgId}|${due.date}`;
      if (this.dailyDone.has(key)) continue;
      try {
        if (!(await this.store.dailyRunDone(orgId, due.date))) {
          const ids = await this.enqueueDaily(orgId, due.date, nowMs);
          this.log.info({ event: 'daily_schedule_queued', orgId, date: due.date, emails: ids.length }, 'daily schedule emails queued');
        }
        this.dailyDone.add(key);
      } catch (error) {
        this.log.error({ event: 'daily_schedule_failed', orgId, date: due.date, ...errorFields(error) }, 'daily schedule failed (will retry)');
      }
    }
  }

  private async dayInput(orgId: string, date: string) {
    await this.options.prepareOrg?.(orgId);
    return withOrgDocs(this.registry, orgId, ({ roster, schedule }) => {
      const settings = readSettings(roster);
      const [dayStart, dayEnd] = dayBoundsMs(date, settings.timeZone);
      const overlaps = (b: Booking) => {
        try {
          return b.slot !== null && toMs(b.slot.start) < dayEnd && toMs(b.slot.end) > dayStart;
        } catch {
          return false;
        }
      };
      return {
        settings,
        providers: listProviders(roster),
        customers: listCustomers(roster),
        services: listServices(roster),
        bookings: listBookings(schedule).filter(overlaps),
      };
    });
  }

  /** Every active provider with jobs that day and an email address they chose to be reached at. */
  private async enqueueDaily(orgId: string, date: string, nowMs: number): Promise<number[]> {
    const input = await this.dayInput(orgId, date);
    const sheets = buildRouteSheets(input, { date });
    const byId = new Map(input.providers.map((p) => [p.id, p]));
    const entries: DailyEntry[] = [];
    for (const sheet of sheets.sheets) {
      const provider = byId.get(sheet.provider.id);
      if (!provider?.active || !provider.channels.email || !provider.email || sheet.stops.length === 0) continue;
      entries.push({ providerId: provider.id, name: provider.name, address: provider.email, message: renderDailySchedule(sheets, sheet) });
    }
    return this.store.commitDaily(orgId, date, entries, nowMs);
  }

  /** An admin's "send again": today's (or any date's) schedule for one provider, as a new message. */
  async resendDaily(orgId: string, providerId: string, date: string): Promise<WorkerResult<OutboxRow>> {
    const input = await this.dayInput(orgId, date);
    const provider = input.providers.find((p) => p.id === providerId);
    if (!provider) return { ok: false, status: 404, code: 'not_found', message: 'No such provider in your organization', field: 'providerId' };
    if (!provider.email) {
      return { ok: false, status: 400, code: 'validation', message: `${provider.name} has no email address`, field: 'providerId' };
    }
    const sheets = buildRouteSheets(input, { date, providerIds: [providerId], includeEmpty: true });
    const sheet = sheets.sheets[0]!;
    const nowMs = this.now();
    const entry: DailyEntry = { providerId, name: provider.name, address: provider.email, message: renderDailySchedule(sheets, sheet) };
    const id = await this.store.insertDailyResend(orgId, date, entry, newId(), nowMs);
    const row = (await this.store.get(orgId, id))!;
    setImmediate(() => void this.deliverDue(this.now()));
    return { ok: true, value: row };
  }

  /** A dead letter back in the queue (same idempotency key), tried at once. */
  async retryDead(orgId: string, id: number): Promise<OutboxRow | 'not_found' | 'not_dead'> {
    const result = await this.store.retry(orgId, id, this.now());
    if (typeof result !== 'string') setImmediate(() => void this.deliverDue(this.now()));
    return result;
  }

  // -------------------------------------------------------------------------------------------------
  // Batches

  private async sealBatches(nowMs: number): Promise<void> {
    const rows = await this.store.closedBatches(nowMs);
    if (rows.length === 0) return;
    const byOrg = new Map<string, OutboxRow[]>();
    for (const row of rows) byOrg.set(row.orgId, [...(byOrg.get(row.orgId) ?? []), row]);
    for (const [orgId, list] of byOrg) {
      try {
        await this.sealOrg(orgId, list, nowMs);
      } catch (error) {
        this.log.error({ event: 'notification_render_failed', orgId, ...errorFields(error) }, 'rendering messages failed (will retry)');
      }
    }
  }

  /** Renders from the latest documents; a row that events joined meanwhile is left for the next pass. */
  private async sealOrg(orgId: string, rows: OutboxRow[], nowMs: number): Promise<void> {
    const itemsOf = new Map<number, OutboxItem[]>();
    for (const row of rows) itemsOf.set(row.id, await this.store.items(row.id));
    await this.options.prepareOrg?.(orgId);
    const outcomes = withOrgDocs(this.registry, orgId, ({ roster, schedule }) => {
      const sealed: Array<[OutboxRow, SealOutcome]> = [];
      const world: TemplateWorld = {
        settings: readSettings(roster),
        providers: new Map(listProviders(roster).map((p) => [p.id, p])),
        customers: new Map(listCustomers(roster).map((c) => [c.id, c])),
        services: new Map(listServices(roster).map((s) => [s.id, s])),
      };
      for (const row of rows) {
        const person = row.recipientKind === 'provider' ? world.providers.get(row.recipientId) : world.customers.get(row.recipientId);
        if (!person) {
          sealed.push([row, { skip: `This ${row.recipientKind} is no longer in the roster` }]);
          continue;
        }
        const reach = 'skills' in person ? reachProvider(person) : reachCustomer(person);
        const target = reach.reach.find((r) => r.channel === row.channel);
        if (!target) {
          sealed.push([row, { skip: `${person.name} can no longer be reached by ${row.channel}`, name: person.name }]);
          continue;
        }
        const items = itemsOf.get(row.id)!.map((item) => ({ ...item, booking: getBooking(schedule, item.bookingId) }));
        let message;
        try {
          message = renderBatch(world, { kind: row.recipientKind, id: row.recipientId }, items);
        } catch (error) {
          sealed.push([row, { skip: `Could not render: ${error instanceof Error ? error.message : String(error)}`, name: person.name }]);
          continue;
        }
        if (!message) {
          sealed.push([row, { skip: 'Nothing left to tell: the batched changes cancelled each other out', name: person.name }]);
          continue;
        }
        sealed.push([row, { name: person.name, address: target.address, message }]);
      }
      return sealed;
    });
    for (const [row, outcome] of outcomes) {
      if ((await this.store.seal(row, nowMs, outcome)) && !('skip' in outcome)) this.stats.sealed++;
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Delivery

  private async deliverDue(nowMs: number): Promise<void> {
    if (this.closed) return;
    const free = this.concurrency - this.inflight.size - this.claiming;
    if (free <= 0) return;
    this.claiming += free;
    let rows: OutboxRow[];
    try {
      rows = await this.store.claimDue(nowMs, free, { owner: this.nodeId, untilMs: nowMs + this.leaseMs, maxAttempts: this.retry.maxAttempts });
    } catch (error) {
      this.log.error({ event: 'notification_claim_failed', ...errorFields(error) }, 'claiming due notifications failed (will retry)');
      return;
    } finally {
      this.claiming -= free;
    }
    for (const row of rows) {
      const attempt: Promise<void> = this.attempt(row)
        .catch((error: unknown) => this.log.error({ event: 'notification_record_failed', id: row.id, ...errorFields(error) }, 'recording a delivery failed (its lease will lapse and it is tried again)'))
        .finally(() => {
          this.inflight.delete(attempt);
          // A freed slot takes the next due row now rather than at the next tick.
          if (!this.closed && !this.store.isClosed) void this.deliverDue(this.now());
        });
      this.inflight.add(attempt);
    }
  }

  private async attempt(row: OutboxRow): Promise<void> {
    this.stats.attempts++;
    const controller = new AbortController();
    this.controllers.add(controller);
    let result: SendResult;
    let via = 'none';
    try {
      if (row.channel === 'none') throw new Error('No channel');
      const sender = this.senders[row.channel];
      via = sender.describe;
      // Whatever a channel does, an attempt ends: past the deadline it is aborted and counts as a timeout.
      const deadline = setTimeout(() => controller.abort(new Error('Delivery attempt timed out')), this.attemptDeadlineMs);
      const aborted = new Promise<SendResult>((resolve) =>
        controller.signal.addEventListener('abort', () => resolve({ ok: false, retryable: true, error: String(controller.signal.reason) }), { once: true }),
      );
      const sending = sender.send(
        {
          id: row.id,
          idempotencyKey: row.idempotencyKey,
          channel: row.channel,
          to: row.address,
          recipientName: row.recipientName,
          subject: row.subject ?? '',
          text: row.text ?? '',
          html: row.html ?? '',
          short: row.short ?? '',
        },
        controller.signal,
      );
      result = await Promise.race([sending, aborted]).finally(() => clearTimeout(deadline));
    } catch (error) {
      result = { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
    } finally {
      this.controllers.delete(controller);
    }
    if (this.store.isClosed) return;
    // Aborted by a shutdown: left `sending`, so the next start makes it due again at once.
    if (this.closed && !result.ok) return;
    const nowMs = this.now();
    // Who and how, never the address or the text (docs/design.md §8).
    const attempt = { event: 'notification_attempt', id: row.id, orgId: row.orgId, kind: row.kind, recipient: `${row.recipientKind}:${row.recipientId}`, channel: row.channel, via, attempt: row.attempts, node: this.nodeId };
    // A lease another node took over (this one stalled past it): that node reports the outcome, not this one.
    const lost = (recorded: boolean) => {
      if (!recorded) this.log.warn({ ...attempt, outcome: 'lease_lost' }, 'the delivery lease lapsed before the outcome was recorded');
      return !recorded;
    };
    if (result.ok) {
      if (lost(await this.store.markSent(row.id, this.nodeId, nowMs, via))) return;
      this.stats.sent++;
      this.log.info({ ...attempt, outcome: 'sent' }, 'notification sent');
      return;
    }
    const error = `attempt ${row.attempts} via ${via}: ${result.error}`;
    const decision = result.retryable ? decideRetry(row.attempts, nowMs, this.retry, this.random, result.retryAfterMs) : { dead: true as const };
    if (decision.dead) {
      if (lost(await this.store.markDead(row.id, this.nodeId, nowMs, result.retryable ? `gave up after ${row.attempts} attempts; last: ${error}` : `refused: ${error}`))) return;
      this.stats.dead++;
      this.log.error({ ...attempt, outcome: 'dead', error: result.error }, 'notification failed for good (dead letter)');
    } else {
      if (lost(await this.store.markRetry(row.id, this.nodeId, nowMs, error, decision.nextAttemptAt))) return;
      this.stats.retried++;
      this.log.warn({ ...attempt, outcome: 'retry', error: result.error, nextAttemptAt: new Date(decision.nextAttemptAt).toISOString() }, 'notification failed; will retry');
    }
  }

  /** Stops ticking; in-flight deliveries get `graceMs` to finish, then are aborted (and retried next start). */
  async close(graceMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.stopListening?.();
    await this.ticking;
    const settled = this.drain();
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([settled, timer]);
    for (const controller of this.controllers) controller.abort(new Error('Server shutting down'));
    await this.drain();
    for (const sender of Object.values(this.senders)) sender.close?.();
  }
}
