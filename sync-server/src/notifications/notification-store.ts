/**
 * The worker's durable state, in `rooms.sqlite` next to the room logs (its own connection, tables prefixed
 * `notify_`, its own schema version in `notify_meta`):
 * - `notify_seen_bookings` / `notify_seen_requests`: how far the worker has read — per booking the state it
 *   last saw, and the notification requests already turned into messages;
 * - `notify_outbox` (+ `notify_outbox_items`, the bookings each row is about): one row per message, with
 *   its idempotency key, status, attempts, next attempt and last error;
 * - `notify_event_keys`: every (event, booking, recipient, channel) already placed in a row;
 * - `notify_daily` / `notify_daily_runs`: daily schedule emails enqueued, per provider and local date;
 * - `notify_orgs`: organizations scanned at least once.
 *
 * A scan's outbox rows and its read position are written in one transaction, so a crash leaves either
 * both or neither, and a change seen twice derives keys that are already there. Being in the same file as
 * the room logs, and so the same write-ahead log, the worker's commits can never survive a power cut that
 * the document commits they were derived from did not (SQLite keeps a prefix of the WAL).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ToldItem } from '../../../core/field/field-notices';
import type { SlotState } from '../../../core/notifications/save-audience';
import type { SeenBooking } from './derive';
import type { Channel, EventKind, NotifyEvent, OutboxStatus, RecipientKind, RenderedMessage } from './types';

const SCHEMA_VERSION = 3;

export type RowKind = 'batch' | 'daily';

export interface OutboxRow {
  id: number;
  orgId: string;
  idempotencyKey: string;
  kind: RowKind;
  recipientKind: RecipientKind;
  recipientId: string;
  recipientName: string;
  channel: Channel | 'none';
  address: string;
  status: OutboxStatus;
  holdUntil: number | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  short: string | null;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  sentVia: string | null;
  /** Bumped by every event that joins the row: a seal rendered from older items does not apply. */
  revision: number;
  /** The node delivering it (`sending`) and until when; past that, another node may take it over. */
  leaseOwner: string | null;
  leaseUntil: number | null;
}

/** A claim on due rows: who takes them, until when, and the cap past which a lapsed attempt is dead. */
export interface Lease {
  owner: string;
  untilMs: number;
  maxAttempts: number;
}

export type SealOutcome = { name: string; address: string; message: RenderedMessage } | { skip: string; name?: string };

/**
 * The worker's durable state (issue 23): this SQLite store, or PostgreSQL shared by many nodes
 * (storage/pg/pg-notification-store.ts). Both pass one contract suite (notification-store.contract.test.ts).
 * Every write that several nodes could race on is made exactly once by a database key or a lease: event
 * keys, the daily (organization, provider, date) key, `seal` guarded by the row's revision, and the
 * `mark*` calls guarded by the lease owner.
 */
/** One outbox item as `toldProvider` selects it, on either engine. */
export interface ToldRow {
  id: number | string;
  created_at: number | string;
  booking_id: string;
  kinds: string;
  before_slot: string | null;
}

export const toldItemOf = (r: ToldRow): ToldItem => ({
  id: `${r.id}:${r.booking_id}`,
  bookingId: r.booking_id,
  kinds: JSON.parse(r.kinds) as EventKind[],
  atMs: Number(r.created_at),
  ...(r.before_slot !== null ? { before: JSON.parse(r.before_slot) as SlotState | null } : {}),
});

export interface NotificationStore {
  loadSeen(orgId: string): Promise<Map<string, SeenBooking>>;
  /** Whether the worker has scanned this organization before (its first scan only records the state). */
  orgScanned(orgId: string): Promise<boolean>;
  seenRequestIds(orgId: string): Promise<Set<string>>;
  /** The read position and every event placed, in one transaction; events already placed are skipped. */
  commitScan(orgId: string, scan: ScanCommit, nowMs: number, batchWindowMs: number): Promise<number>;
  closedBatches(nowMs: number, limit?: number): Promise<OutboxRow[]>;
  items(outboxId: number): Promise<OutboxItem[]>;
  /** A closed batch, rendered, unless events joined it since `row` was read (then false: seal it again). */
  seal(row: Pick<OutboxRow, 'id' | 'revision'>, nowMs: number, outcome: SealOutcome): Promise<boolean>;
  /** At start: attempts a stop interrupted are due again (or dead at the cap). */
  recoverInterrupted(nowMs: number, maxAttempts: number): Promise<number>;
  /** Takes up to `limit` due rows (and attempts whose lease lapsed) for delivery under `lease`. */
  claimDue(nowMs: number, limit: number, lease: Lease): Promise<OutboxRow[]>;
  nextDueAt(): Promise<number | null>;
  /** Each applies only while `owner` still holds the row's lease; false otherwise. */
  markSent(id: number, owner: string, nowMs: number, via: string): Promise<boolean>;
  markRetry(id: number, owner: string, nowMs: number, error: string, nextAttemptAt: number): Promise<boolean>;
  markDead(id: number, owner: string, nowMs: number, error: string): Promise<boolean>;
  dailyRunDone(orgId: string, date: string): Promise<boolean>;
  /** Each provider's email for the date, once per (organization, provider, date), and the run's mark. */
  commitDaily(orgId: string, date: string, entries: DailyEntry[], nowMs: number): Promise<number[]>;
  insertDailyResend(orgId: string, date: string, entry: DailyEntry, resendId: string, nowMs: number): Promise<number>;
  get(orgId: string, id: number): Promise<OutboxRow | null>;
  listForBooking(orgId: string, bookingId: string, limit?: number): Promise<Array<OutboxRow & { items: OutboxItem[] }>>;
  listRecent(orgId: string, limit?: number, status?: OutboxStatus): Promise<Array<OutboxRow & { items: OutboxItem[] }>>;
  /**
   * What the worker told (or tried to tell) one technician about their jobs since `sinceMs`, newest first:
   * the technician page's notices (`core/field/field-notices.ts`). Messages a Save's request chose not to
   * send ("Not sent: ...") are not news for them; a technician without any channel still is.
   */
  toldProvider(orgId: string, providerId: string, sinceMs: number, limit?: number): Promise<ToldItem[]>;
  retry(orgId: string, id: number, nowMs: number): Promise<OutboxRow | 'not_found' | 'not_dead'>;
  countByStatus(): Promise<Record<string, number>>;
  allRows(): Promise<OutboxRow[]>;
  close(): void | Promise<void>;
  readonly isClosed: boolean;
}

export interface OutboxItem {
  bookingId: string;
  kinds: EventKind[];
  /** The job's slot before the Save that caused the first of these events (Saves only). */
  before?: SlotState | null;
}

/** One event placed on a channel, or the reason it cannot be. */
export type Placement =
  | { event: NotifyEvent; channel: Channel }
  | { event: NotifyEvent; channel: Channel | 'none'; problem: string; name?: string };

export interface ScanCommit {
  seen: Array<[bookingId: string, state: SeenBooking]>;
  unseen: string[];
  requestIds: string[];
  placements: Placement[];
}

export interface DailyEntry {
  providerId: string;
  name: string;
  address: string;
  message: RenderedMessage;
}

export interface RawRow {
  id: number;
  org_id: string;
  idem_key: string;
  kind: RowKind;
  recipient_kind: RecipientKind;
  recipient_id: string;
  recipient_name: string;
  channel: Channel | 'none';
  address: string;
  status: OutboxStatus;
  hold_until: number | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  body_short: string | null;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  sent_via: string | null;
  revision: number;
  lease_owner: string | null;
  lease_until: number | null;
}

export const toRow = (r: RawRow): OutboxRow => ({
  id: r.id,
  orgId: r.org_id,
  idempotencyKey: r.idem_key,
  kind: r.kind,
  recipientKind: r.recipient_kind,
  recipientId: r.recipient_id,
  recipientName: r.recipient_name,
  channel: r.channel,
  address: r.address,
  status: r.status,
  holdUntil: r.hold_until,
  subject: r.subject,
  text: r.body_text,
  html: r.body_html,
  short: r.body_short,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  sentAt: r.sent_at,
  sentVia: r.sent_via,
  revision: Number(r.revision),
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
});

const recipientKey = (kind: RecipientKind, id: string) => `${kind}:${id}`;

export class SqliteNotificationStore implements NotificationStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  constructor(file: string, options: { synchronous?: 'normal' | 'full' } = {}) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // The room store writes to the same file from this process; a short wait covers the admin CLI or a backup.
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  /** A prepared statement, prepared once. */
  private q(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS notify_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const stored = this.db.prepare("SELECT value FROM notify_meta WHERE key = 'schema'").pluck().get() as string | undefined;
    const version = stored === undefined ? 0 : Number(stored);
    if (version > SCHEMA_VERSION) {
      throw new Error(`rooms.sqlite has notification tables of a newer server (schema ${version}); this one knows ${SCHEMA_VERSION}`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS notify_seen_bookings (
        org_id TEXT NOT NULL, booking_id TEXT NOT NULL, state TEXT NOT NULL,
        PRIMARY KEY (org_id, booking_id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS notify_seen_requests (
        org_id TEXT NOT NULL, request_id TEXT NOT NULL, seen_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, request_id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS notify_outbox (
        id INTEGER PRIMARY KEY,
        org_id TEXT NOT NULL,
        idem_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        recipient_kind TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        recipient_name TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        hold_until INTEGER,
        subject TEXT, body_text TEXT, body_html TEXT, body_short TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        sent_at INTEGER,
        sent_via TEXT
      );
      CREATE INDEX IF NOT EXISTS notify_outbox_due ON notify_outbox (status, next_attempt_at);
      CREATE INDEX IF NOT EXISTS notify_outbox_hold ON notify_outbox (status, hold_until);
      CREATE INDEX IF NOT EXISTS notify_outbox_batch ON notify_outbox (org_id, recipient_kind, recipient_id, channel, status);
      CREATE TABLE IF NOT EXISTS notify_outbox_items (
        outbox_id INTEGER NOT NULL, booking_id TEXT NOT NULL, kinds TEXT NOT NULL,
        PRIMARY KEY (outbox_id, booking_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS notify_items_by_booking ON notify_outbox_items (booking_id, outbox_id);
      CREATE TABLE IF NOT EXISTS notify_event_keys (key TEXT PRIMARY KEY, outbox_id INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS notify_daily (
        org_id TEXT NOT NULL, provider_id TEXT NOT NULL, date TEXT NOT NULL, outbox_id INTEGER NOT NULL,
        PRIMARY KEY (org_id, provider_id, date)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS notify_orgs (org_id TEXT PRIMARY KEY, first_scan_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS notify_daily_runs (
        org_id TEXT NOT NULL, date TEXT NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (org_id, date)
      ) WITHOUT ROWID;
    `);
    // 2: the slot before a Save, per item (what changed, for the message).
    const itemColumns = this.db.prepare('PRAGMA table_info(notify_outbox_items)').all() as Array<{ name: string }>;
    if (!itemColumns.some((c) => c.name === 'before_slot')) this.db.exec('ALTER TABLE notify_outbox_items ADD COLUMN before_slot TEXT');
    // 3: the revision seals check, and the delivery lease (the same contract as PostgreSQL's).
    const rowColumns = this.db.prepare('PRAGMA table_info(notify_outbox)').all() as Array<{ name: string }>;
    if (!rowColumns.some((c) => c.name === 'revision')) {
      this.db.exec(`
        ALTER TABLE notify_outbox ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE notify_outbox ADD COLUMN lease_owner TEXT;
        ALTER TABLE notify_outbox ADD COLUMN lease_until INTEGER;`);
    }
    this.db.prepare("INSERT INTO notify_meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      String(SCHEMA_VERSION),
    );
  }

  // ---------------------------------------------------------------------------------------------------
  // Read position

  async loadSeen(orgId: string): Promise<Map<string, SeenBooking>> {
    const rows = this.q('SELECT booking_id, state FROM notify_seen_bookings WHERE org_id = ?').all(orgId) as Array<{
      booking_id: string;
      state: string;
    }>;
    return new Map(rows.map((r) => [r.booking_id, JSON.parse(r.state) as SeenBooking]));
  }

  async orgScanned(orgId: string): Promise<boolean> {
    return this.q('SELECT 1 FROM notify_orgs WHERE org_id = ?').get(orgId) !== undefined;
  }

  async seenRequestIds(orgId: string): Promise<Set<string>> {
    return new Set(this.q('SELECT request_id FROM notify_seen_requests WHERE org_id = ?').pluck().all(orgId) as string[]);
  }

  /**
   * One transaction: the new read position and every event placed. An event whose key is already recorded
   * is skipped (seen before); one for a recipient and channel with a batch still collecting joins it.
   * Returns the number of events newly placed.
   */
  async commitScan(orgId: string, scan: ScanCommit, nowMs: number, batchWindowMs: number): Promise<number> {
    return this.db.transaction(() => {
      const upsertSeen = this.q(
        'INSERT INTO notify_seen_bookings (org_id, booking_id, state) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET state = excluded.state',
      );
      for (const [bookingId, state] of scan.seen) upsertSeen.run(orgId, bookingId, JSON.stringify(state));
      const deleteSeen = this.q('DELETE FROM notify_seen_bookings WHERE org_id = ? AND booking_id = ?');
      for (const bookingId of scan.unseen) deleteSeen.run(orgId, bookingId);
      const seenRequest = this.q('INSERT OR IGNORE INTO notify_seen_requests (org_id, request_id, seen_at) VALUES (?, ?, ?)');
      for (const id of scan.requestIds) seenRequest.run(orgId, id, nowMs);
      this.q('INSERT OR IGNORE INTO notify_orgs (org_id, first_scan_at) VALUES (?, ?)').run(orgId, nowMs);
      let placed = 0;
      for (const placement of scan.placements) if (this.place(orgId, placement, nowMs, batchWindowMs)) placed++;
      return placed;
    })();
  }

  private place(orgId: string, placement: Placement, nowMs: number, batchWindowMs: number): boolean {
    const { event, channel } = placement;
    const who = recipientKey(event.recipient.kind, event.recipient.id);
    const eventKey = `${event.key}#${event.bookingId}|${who}|${channel}`;
    if (this.q('SELECT 1 FROM notify_event_keys WHERE key = ?').get(eventKey)) return false;
    const rowKey = `${event.key}|${who}|${channel}`;
    let outboxId: number | undefined;
    if ('problem' in placement) {
      // Nothing to send: one visible row per cause (its bookings attached), so the job log says why.
      outboxId = this.q("SELECT id FROM notify_outbox WHERE idem_key = ? AND status = 'skipped'").pluck().get(rowKey) as
        | number
        | undefined;
      outboxId ??= this.insertRow(orgId, rowKey, event.bookingId, {
        kind: 'batch',
        recipientKind: event.recipient.kind,
        recipientId: event.recipient.id,
        channel,
        status: 'skipped',
        holdUntil: null,
        lastError: placement.problem,
        nowMs,
        ...(placement.name ? { name: placement.name } : {}),
      });
    } else {
      outboxId = this.db
        .prepare(
          "SELECT id FROM notify_outbox WHERE org_id = ? AND recipient_kind = ? AND recipient_id = ? AND channel = ? AND status = 'collecting' ORDER BY id LIMIT 1",
        )
        .pluck()
        .get(orgId, event.recipient.kind, event.recipient.id, channel) as number | undefined;
      outboxId ??= this.insertRow(orgId, rowKey, event.bookingId, {
        kind: 'batch',
        recipientKind: event.recipient.kind,
        recipientId: event.recipient.id,
        channel,
        status: 'collecting',
        holdUntil: nowMs + batchWindowMs,
        lastError: null,
        nowMs,
      });
    }
    const existing = this.q('SELECT kinds, before_slot FROM notify_outbox_items WHERE outbox_id = ? AND booking_id = ?').get(outboxId, event.bookingId) as
      | { kinds: string; before_slot: string | null }
      | undefined;
    const kinds = existing ? (JSON.parse(existing.kinds) as EventKind[]) : [];
    kinds.push(event.kind);
    // The earliest "before" in the batch: three moves in a minute read as one change from where it was.
    const before = existing ? existing.before_slot : event.before !== undefined ? JSON.stringify(event.before) : null;
    this.db
      .prepare(
        'INSERT INTO notify_outbox_items (outbox_id, booking_id, kinds, before_slot) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET kinds = excluded.kinds, before_slot = excluded.before_slot',
      )
      .run(outboxId, event.bookingId, JSON.stringify(kinds), before);
    this.q('INSERT INTO notify_event_keys (key, outbox_id) VALUES (?, ?)').run(eventKey, outboxId);
    this.q('UPDATE notify_outbox SET updated_at = ?, revision = revision + 1 WHERE id = ?').run(nowMs, outboxId);
    return true;
  }

  private insertRow(
    orgId: string,
    key: string,
    bookingId: string,
    row: {
      kind: RowKind;
      recipientKind: RecipientKind;
      recipientId: string;
      channel: Channel | 'none';
      status: OutboxStatus;
      holdUntil: number | null;
      lastError: string | null;
      nowMs: number;
      name?: string;
      address?: string;
      message?: RenderedMessage;
    },
  ): number {
    // The first event names the row; a later batch from the same cause (rare) gets a distinct key.
    let idemKey = key;
    for (let n = 1; this.q('SELECT 1 FROM notify_outbox WHERE idem_key = ?').get(idemKey); n++) {
      idemKey = `${key}#${bookingId}${n > 1 ? `#${n}` : ''}`;
    }
    const info = this.db
      .prepare(
        `INSERT INTO notify_outbox (org_id, idem_key, kind, recipient_kind, recipient_id, recipient_name, channel, address, status,
           hold_until, subject, body_text, body_html, body_short, next_attempt_at, last_error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        orgId,
        idemKey,
        row.kind,
        row.recipientKind,
        row.recipientId,
        row.name ?? '',
        row.channel,
        row.address ?? '',
        row.status,
        row.holdUntil,
        row.message?.subject ?? null,
        row.message?.text ?? null,
        row.message?.html ?? null,
        row.message?.short ?? null,
        row.status === 'pending' ? row.nowMs : null,
        row.lastError,
        row.nowMs,
        row.nowMs,
      );
    return Number(info.lastInsertRowid);
  }

  // ---------------------------------------------------------------------------------------------------
  // Batches and delivery

  /** Batches whose window has closed, oldest first. */
  async closedBatches(nowMs: number, limit = 500): Promise<OutboxRow[]> {
    return (
      this.db
        .prepare("SELECT * FROM notify_outbox WHERE status = 'collecting' AND hold_until <= ? ORDER BY hold_until, id LIMIT ?")
        .all(nowMs, limit) as RawRow[]
    ).map(toRow);
  }

  async items(outboxId: number): Promise<OutboxItem[]> {
    return this.itemsOf(outboxId);
  }

  private itemsOf(outboxId: number): OutboxItem[] {
    return (
      this.q('SELECT booking_id, kinds, before_slot FROM notify_outbox_items WHERE outbox_id = ? ORDER BY booking_id').all(outboxId) as Array<{
        booking_id: string;
        kinds: string;
        before_slot: string | null;
      }>
    ).map((r) => ({
      bookingId: r.booking_id,
      kinds: JSON.parse(r.kinds) as EventKind[],
      ...(r.before_slot !== null ? { before: JSON.parse(r.before_slot) as SlotState | null } : {}),
    }));
  }

  /** A closed batch, rendered: ready for its first attempt (or skipped with the reason). */
  async seal(row: Pick<OutboxRow, 'id' | 'revision'>, nowMs: number, outcome: SealOutcome): Promise<boolean> {
    if ('skip' in outcome) {
      return (
        this.db
          .prepare(
            "UPDATE notify_outbox SET status = 'skipped', last_error = ?, recipient_name = coalesce(?, recipient_name), updated_at = ? WHERE id = ? AND status = 'collecting' AND revision = ?",
          )
          .run(outcome.skip, outcome.name ?? null, nowMs, row.id, row.revision).changes === 1
      );
    }
    const { message } = outcome;
    return (
      this.db
        .prepare(
          `UPDATE notify_outbox SET status = 'pending', recipient_name = ?, address = ?, subject = ?, body_text = ?, body_html = ?,
             body_short = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'collecting' AND revision = ?`,
        )
        .run(outcome.name, outcome.address, message.subject, message.text, message.html, message.short, nowMs, nowMs, row.id, row.revision).changes === 1
    );
  }

  /**
   * After a crash: attempts that were under way did not report back. They are due again (same key, so a
   * receiver that saw the first recognises the retry); one interrupted at the cap is dead.
   */
  async recoverInterrupted(nowMs: number, maxAttempts: number): Promise<number> {
    return this.db.transaction(() => {
      const dead = this.db
        .prepare(
          "UPDATE notify_outbox SET status = 'dead', last_error = coalesce(last_error || '; ', '') || 'interrupted by a server stop', updated_at = ? WHERE status = 'sending' AND attempts >= ?",
        )
        .run(nowMs, maxAttempts).changes;
      const again = this.db
        .prepare("UPDATE notify_outbox SET status = 'pending', next_attempt_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE status = 'sending'")
        .run(nowMs, nowMs).changes;
      return dead + again;
    })();
  }

  /**
   * Takes up to `limit` due rows for delivery: each becomes `sending` under `lease`, its attempt counted.
   * An attempt whose lease lapsed (its process died) is due again, or dead if it was the last allowed.
   */
  async claimDue(nowMs: number, limit: number, lease: Lease): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    return this.db.transaction(() => {
      this.q(
        `UPDATE notify_outbox SET status = 'dead', last_error = coalesce(last_error || '; ', '') || 'interrupted: its node stopped mid-delivery',
           lease_owner = NULL, lease_until = NULL, next_attempt_at = NULL, updated_at = ?
         WHERE status = 'sending' AND lease_until <= ? AND attempts >= ?`,
      ).run(nowMs, nowMs, lease.maxAttempts);
      const rows = (
        this.q(
          `SELECT * FROM notify_outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ?`,
        ).all(nowMs, nowMs, limit) as RawRow[]
      ).map(toRow);
      const claim = this.q("UPDATE notify_outbox SET status = 'sending', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?");
      for (const row of rows) {
        claim.run(lease.owner, lease.untilMs, nowMs, row.id);
        row.status = 'sending';
        row.attempts += 1;
        row.leaseOwner = lease.owner;
        row.leaseUntil = lease.untilMs;
      }
      return rows;
    })();
  }

  /** When the earliest pending row is due, or null. */
  async nextDueAt(): Promise<number | null> {
    return (this.q("SELECT min(next_attempt_at) FROM notify_outbox WHERE status = 'pending'").pluck().get() as number | null) ?? null;
  }

  async markSent(id: number, owner: string, nowMs: number, via: string): Promise<boolean> {
    return (
      this.q(
        "UPDATE notify_outbox SET status = 'sent', sent_at = ?, sent_via = ?, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_owner = ?",
      ).run(nowMs, via, nowMs, id, owner).changes === 1
    );
  }

  async markRetry(id: number, owner: string, nowMs: number, error: string, nextAttemptAt: number): Promise<boolean> {
    return (
      this.q(
        "UPDATE notify_outbox SET status = 'pending', last_error = ?, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_owner = ?",
      ).run(error, nextAttemptAt, nowMs, id, owner).changes === 1
    );
  }

  async markDead(id: number, owner: string, nowMs: number, error: string): Promise<boolean> {
    return (
      this.q(
        "UPDATE notify_outbox SET status = 'dead', last_error = ?, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_owner = ?",
      ).run(error, nowMs, id, owner).changes === 1
    );
  }

  // ---------------------------------------------------------------------------------------------------
  // Daily schedule

  async dailyRunDone(orgId: string, date: string): Promise<boolean> {
    return this.q('SELECT 1 FROM notify_daily_runs WHERE org_id = ? AND date = ?').get(orgId, date) !== undefined;
  }

  /**
   * One transaction: each provider's email for the date (unless one was already enqueued for them: once per
   * provider per day) and the mark that the organization's run for that date is done. Returns the rows added.
   */
  async commitDaily(orgId: string, date: string, entries: DailyEntry[], nowMs: number): Promise<number[]> {
    return this.db.transaction(() => {
      const ids: number[] = [];
      for (const entry of entries) {
        if (this.q('SELECT 1 FROM notify_daily WHERE org_id = ? AND provider_id = ? AND date = ?').get(orgId, entry.providerId, date)) {
          continue;
        }
        const id = this.insertDailyRow(orgId, `daily:${orgId}:${entry.providerId}:${date}|email`, entry, nowMs);
        this.q('INSERT INTO notify_daily (org_id, provider_id, date, outbox_id) VALUES (?, ?, ?, ?)').run(orgId, entry.providerId, date, id);
        ids.push(id);
      }
      this.q('INSERT OR IGNORE INTO notify_daily_runs (org_id, date, at) VALUES (?, ?, ?)').run(orgId, date, nowMs);
      return ids;
    })();
  }

  /** An admin's explicit resend: a new message with a key of its own. */
  async insertDailyResend(orgId: string, date: string, entry: DailyEntry, resendId: string, nowMs: number): Promise<number> {
    return this.db.transaction(() => this.insertDailyRow(orgId, `daily-resend:${orgId}:${entry.providerId}:${date}:${resendId}|email`, entry, nowMs))();
  }

  private insertDailyRow(orgId: string, key: string, entry: DailyEntry, nowMs: number): number {
    return this.insertRow(orgId, key, entry.providerId, {
      kind: 'daily',
      recipientKind: 'provider',
      recipientId: entry.providerId,
      channel: 'email',
      status: 'pending',
      holdUntil: null,
      lastError: null,
      nowMs,
      name: entry.name,
      address: entry.address,
      message: entry.message,
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Admin

  async get(orgId: string, id: number): Promise<OutboxRow | null> {
    return this.getSync(orgId, id);
  }

  private getSync(orgId: string, id: number): OutboxRow | null {
    const raw = this.q('SELECT * FROM notify_outbox WHERE org_id = ? AND id = ?').get(orgId, id) as RawRow | undefined;
    return raw ? toRow(raw) : null;
  }

  async listForBooking(orgId: string, bookingId: string, limit = 200): Promise<Array<OutboxRow & { items: OutboxItem[] }>> {
    const rows = (
      this.db
        .prepare(
          `SELECT o.* FROM notify_outbox_items i JOIN notify_outbox o ON o.id = i.outbox_id
           WHERE i.booking_id = ? AND o.org_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?`,
        )
        .all(bookingId, orgId, limit) as RawRow[]
    ).map(toRow);
    return rows.map((row) => ({ ...row, items: this.itemsOf(row.id) }));
  }

  async toldProvider(orgId: string, providerId: string, sinceMs: number, limit = 200): Promise<ToldItem[]> {
    const rows = this.q(
      `SELECT o.id, o.created_at, i.booking_id, i.kinds, i.before_slot FROM notify_outbox o JOIN notify_outbox_items i ON i.outbox_id = o.id
       WHERE o.org_id = ? AND o.kind = 'batch' AND o.recipient_kind = 'provider' AND o.recipient_id = ? AND o.created_at >= ?
         AND NOT (o.status = 'skipped' AND coalesce(o.last_error, '') LIKE 'Not sent:%')
       ORDER BY o.id DESC LIMIT ?`,
    ).all(orgId, providerId, sinceMs, limit) as ToldRow[];
    return rows.map(toldItemOf);
  }

  async listRecent(orgId: string, limit = 100, status?: OutboxStatus): Promise<Array<OutboxRow & { items: OutboxItem[] }>> {
    const rows = (
      status
        ? this.q('SELECT * FROM notify_outbox WHERE org_id = ? AND status = ? ORDER BY updated_at DESC, id DESC LIMIT ?').all(orgId, status, limit)
        : this.q('SELECT * FROM notify_outbox WHERE org_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(orgId, limit)
    ) as RawRow[];
    return rows.map(toRow).map((row) => ({ ...row, items: this.itemsOf(row.id) }));
  }

  /** A dead letter back in the queue: due now, attempts counted afresh, same idempotency key. */
  async retry(orgId: string, id: number, nowMs: number): Promise<OutboxRow | 'not_found' | 'not_dead'> {
    const row = this.getSync(orgId, id);
    if (!row) return 'not_found';
    if (row.status !== 'dead') return 'not_dead';
    this.db
      .prepare("UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'dead'")
      .run(nowMs, nowMs, id);
    return this.getSync(orgId, id)!;
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = this.q('SELECT status, count(*) AS n FROM notify_outbox GROUP BY status').all() as Array<{ status: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  async allRows(): Promise<OutboxRow[]> {
    return (this.q('SELECT * FROM notify_outbox ORDER BY id').all() as RawRow[]).map(toRow);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
