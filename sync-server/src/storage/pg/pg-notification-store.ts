/**
 * The notification outbox, read position and daily-run records in PostgreSQL, shared by every node
 * (issue 23, 3). The tables are SQLite's (`notify_*`, migration 3 in migrations.ts), and so is the contract
 * (notification-store.contract.test.ts); what differs is that several workers use them at once:
 * - a scan's or daily run's commit holds a per-organization transaction lock, so the event keys (and the
 *   daily (organization, provider, date) key) it checks cannot be inserted meanwhile by another node: a
 *   change both nodes saw is placed once, the daily email enqueued once;
 * - delivery claims rows with `FOR UPDATE SKIP LOCKED` and a lease (owner, until): nodes never take the
 *   same row, and a row whose node died mid-delivery is taken over once its lease lapses;
 * - `seal` applies only to the revision it rendered, and events join a collecting row under its row lock,
 *   so no event lands in a batch another node has just sealed.
 */
import type pg from 'pg';
import type { SlotState } from '../../../../core/notifications/save-audience';
import type { SeenBooking } from '../../notifications/derive';
import type { SharedNotificationStore } from '../../notifications/notifications';
import { organizationsWithSchedules } from '../../sync/archiver';
import { prepareOrgDocs } from '../../sync/org-docs';
import type { RoomRegistry } from '../../sync/room-registry';
import type { PgRoomStore } from './pg-room-store';
import type { ToldItem } from '../../../../core/field/field-notices';
import {
  toldItemOf,
  toRow,
  type DailyEntry,
  type Lease,
  type NotificationStore,
  type OutboxItem,
  type OutboxRow,
  type Placement,
  type RawRow,
  type RowKind,
  type ScanCommit,
  type SealOutcome,
  type ToldRow,
} from '../../notifications/notification-store';
import type { Channel, EventKind, OutboxStatus, RecipientKind, RenderedMessage } from '../../notifications/types';

/** node-postgres reads BIGINT as text (it may exceed 2^53); ids and epoch milliseconds never do. */
const NUMERIC = ['id', 'hold_until', 'attempts', 'next_attempt_at', 'created_at', 'updated_at', 'sent_at', 'revision', 'lease_until'] as const;

function fromPg(raw: Record<string, unknown>): OutboxRow {
  const row = { ...raw };
  for (const key of NUMERIC) if (row[key] !== null && row[key] !== undefined) row[key] = Number(row[key]);
  return toRow(row as unknown as RawRow);
}

const recipientKey = (kind: RecipientKind, id: string) => `${kind}:${id}`;

/** The per-organization lock a scan or daily run commits under (released with its transaction). */
const ORG_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('crewline-notify:' || $1, 0))";

type Db = pg.PoolClient;

export class PgNotificationStore implements NotificationStore {
  private closed = false;

  /** `pool` is the room store's: it has run the migrations and outlives this store. */
  constructor(private readonly pool: pg.Pool) {}

  private async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async rows(sql: string, params: unknown[], db: pg.Pool | Db = this.pool): Promise<OutboxRow[]> {
    const { rows } = await db.query<Record<string, unknown>>(sql, params);
    return rows.map(fromPg);
  }

  // ---------------------------------------------------------------------------------------------------
  // Read position

  async loadSeen(orgId: string): Promise<Map<string, SeenBooking>> {
    const { rows } = await this.pool.query<{ booking_id: string; state: string }>(
      'SELECT booking_id, state FROM notify_seen_bookings WHERE org_id = $1',
      [orgId],
    );
    return new Map(rows.map((r) => [r.booking_id, JSON.parse(r.state) as SeenBooking]));
  }

  async orgScanned(orgId: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM notify_orgs WHERE org_id = $1', [orgId])).rowCount! > 0;
  }

  async seenRequestIds(orgId: string): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ request_id: string }>('SELECT request_id FROM notify_seen_requests WHERE org_id = $1', [orgId]);
    return new Set(rows.map((r) => r.request_id));
  }

  async commitScan(orgId: string, scan: ScanCommit, nowMs: number, batchWindowMs: number): Promise<number> {
    return this.tx(async (db) => {
      await db.query(ORG_LOCK, [orgId]);
      if (scan.seen.length > 0) {
        await db.query(
          `INSERT INTO notify_seen_bookings (org_id, booking_id, state) SELECT $1, b, s FROM unnest($2::text[], $3::text[]) AS t(b, s)
           ON CONFLICT (org_id, booking_id) DO UPDATE SET state = excluded.state`,
          [orgId, scan.seen.map(([id]) => id), scan.seen.map(([, state]) => JSON.stringify(state))],
        );
      }
      if (scan.unseen.length > 0) {
        await db.query('DELETE FROM notify_seen_bookings WHERE org_id = $1 AND booking_id = ANY($2::text[])', [orgId, scan.unseen]);
      }
      if (scan.requestIds.length > 0) {
        await db.query(
          'INSERT INTO notify_seen_requests (org_id, request_id, seen_at) SELECT $1, r, $3 FROM unnest($2::text[]) AS r ON CONFLICT DO NOTHING',
          [orgId, scan.requestIds, nowMs],
        );
      }
      await db.query('INSERT INTO notify_orgs (org_id, first_scan_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [orgId, nowMs]);
      let placed = 0;
      for (const placement of scan.placements) if (await this.place(db, orgId, placement, nowMs, batchWindowMs)) placed++;
      return placed;
    });
  }

  private async place(db: Db, orgId: string, placement: Placement, nowMs: number, batchWindowMs: number): Promise<boolean> {
    const { event, channel } = placement;
    const who = recipientKey(event.recipient.kind, event.recipient.id);
    const eventKey = `${event.key}#${event.bookingId}|${who}|${channel}`;
    // Under the organization's lock: a key not here now is not inserted by another node before we commit.
    if ((await db.query('SELECT 1 FROM notify_event_keys WHERE key = $1', [eventKey])).rowCount! > 0) return false;
    const rowKey = `${event.key}|${who}|${channel}`;
    let outboxId: number | undefined;
    if ('problem' in placement) {
      const { rows } = await db.query<{ id: string }>("SELECT id FROM notify_outbox WHERE idem_key = $1 AND status = 'skipped'", [rowKey]);
      outboxId = rows[0] ? Number(rows[0].id) : undefined;
      outboxId ??= await this.insertRow(db, orgId, rowKey, event.bookingId, {
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
      // The row lock orders this against a seal on another node: either the seal sees the new revision and
      // leaves the row, or this finds the row sealed and starts a new batch.
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM notify_outbox WHERE org_id = $1 AND recipient_kind = $2 AND recipient_id = $3 AND channel = $4 AND status = 'collecting'
         ORDER BY id LIMIT 1 FOR UPDATE`,
        [orgId, event.recipient.kind, event.recipient.id, channel],
      );
      outboxId = rows[0] ? Number(rows[0].id) : undefined;
      outboxId ??= await this.insertRow(db, orgId, rowKey, event.bookingId, {
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
    const { rows: existingRows } = await db.query<{ kinds: string; before_slot: string | null }>(
      'SELECT kinds, before_slot FROM notify_outbox_items WHERE outbox_id = $1 AND booking_id = $2',
      [outboxId, event.bookingId],
    );
    const existing = existingRows[0];
    const kinds = existing ? (JSON.parse(existing.kinds) as EventKind[]) : [];
    kinds.push(event.kind);
    // The earliest "before" in the batch: three moves in a minute read as one change from where it was.
    const before = existing ? existing.before_slot : event.before !== undefined ? JSON.stringify(event.before) : null;
    await db.query(
      `INSERT INTO notify_outbox_items (outbox_id, booking_id, kinds, before_slot) VALUES ($1, $2, $3, $4)
       ON CONFLICT (outbox_id, booking_id) DO UPDATE SET kinds = excluded.kinds, before_slot = excluded.before_slot`,
      [outboxId, event.bookingId, JSON.stringify(kinds), before],
    );
    await db.query('INSERT INTO notify_event_keys (key, outbox_id) VALUES ($1, $2)', [eventKey, outboxId]);
    await db.query('UPDATE notify_outbox SET updated_at = $1, revision = revision + 1 WHERE id = $2', [nowMs, outboxId]);
    return true;
  }

  private async insertRow(
    db: Db,
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
  ): Promise<number> {
    let idemKey = key;
    for (let n = 1; (await db.query('SELECT 1 FROM notify_outbox WHERE idem_key = $1', [idemKey])).rowCount! > 0; n++) {
      idemKey = `${key}#${bookingId}${n > 1 ? `#${n}` : ''}`;
    }
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO notify_outbox (org_id, idem_key, kind, recipient_kind, recipient_id, recipient_name, channel, address, status,
         hold_until, subject, body_text, body_html, body_short, next_attempt_at, last_error, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id`,
      [
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
      ],
    );
    return Number(rows[0]!.id);
  }

  // ---------------------------------------------------------------------------------------------------
  // Batches and delivery

  async closedBatches(nowMs: number, limit = 500): Promise<OutboxRow[]> {
    return this.rows("SELECT * FROM notify_outbox WHERE status = 'collecting' AND hold_until <= $1 ORDER BY hold_until, id LIMIT $2", [nowMs, limit]);
  }

  async items(outboxId: number): Promise<OutboxItem[]> {
    return (await this.itemsOf([outboxId])).get(outboxId) ?? [];
  }

  private async itemsOf(ids: number[]): Promise<Map<number, OutboxItem[]>> {
    const out = new Map<number, OutboxItem[]>();
    if (ids.length === 0) return out;
    const { rows } = await this.pool.query<{ outbox_id: string; booking_id: string; kinds: string; before_slot: string | null }>(
      'SELECT outbox_id, booking_id, kinds, before_slot FROM notify_outbox_items WHERE outbox_id = ANY($1::bigint[]) ORDER BY outbox_id, booking_id COLLATE "C"',
      [ids],
    );
    for (const r of rows) {
      const id = Number(r.outbox_id);
      const list = out.get(id) ?? [];
      list.push({
        bookingId: r.booking_id,
        kinds: JSON.parse(r.kinds) as EventKind[],
        ...(r.before_slot !== null ? { before: JSON.parse(r.before_slot) as SlotState | null } : {}),
      });
      out.set(id, list);
    }
    return out;
  }

  async seal(row: Pick<OutboxRow, 'id' | 'revision'>, nowMs: number, outcome: SealOutcome): Promise<boolean> {
    if ('skip' in outcome) {
      const result = await this.pool.query(
        `UPDATE notify_outbox SET status = 'skipped', last_error = $1, recipient_name = coalesce($2, recipient_name), updated_at = $3
         WHERE id = $4 AND status = 'collecting' AND revision = $5`,
        [outcome.skip, outcome.name ?? null, nowMs, row.id, row.revision],
      );
      return result.rowCount === 1;
    }
    const { message } = outcome;
    const result = await this.pool.query(
      `UPDATE notify_outbox SET status = 'pending', recipient_name = $1, address = $2, subject = $3, body_text = $4, body_html = $5,
         body_short = $6, next_attempt_at = $7, updated_at = $7 WHERE id = $8 AND status = 'collecting' AND revision = $9`,
      [outcome.name, outcome.address, message.subject, message.text, message.html, message.short, nowMs, row.id, row.revision],
    );
    return result.rowCount === 1;
  }

  /**
   * Other nodes may be mid-delivery: only attempts whose lease has lapsed are interrupted ones (claimDue
   * takes those over too; this makes them visible as due at start).
   */
  async recoverInterrupted(nowMs: number, maxAttempts: number): Promise<number> {
    return this.tx(async (db) => {
      const dead = await db.query(
        `UPDATE notify_outbox SET status = 'dead', last_error = coalesce(last_error || '; ', '') || 'interrupted: its node stopped mid-delivery',
           lease_owner = NULL, lease_until = NULL, next_attempt_at = NULL, updated_at = $1
         WHERE id IN (SELECT id FROM notify_outbox WHERE status = 'sending' AND lease_until <= $1 AND attempts >= $2 FOR UPDATE SKIP LOCKED)`,
        [nowMs, maxAttempts],
      );
      const again = await db.query(
        `UPDATE notify_outbox SET status = 'pending', next_attempt_at = $1, lease_owner = NULL, lease_until = NULL, updated_at = $1
         WHERE id IN (SELECT id FROM notify_outbox WHERE status = 'sending' AND lease_until <= $1 FOR UPDATE SKIP LOCKED)`,
        [nowMs],
      );
      return dead.rowCount! + again.rowCount!;
    });
  }

  async claimDue(nowMs: number, limit: number, lease: Lease): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    return this.tx(async (db) => {
      // A lapsed attempt that was the last allowed is dead: it may have reached the receiver, and the cap holds.
      await db.query(
        `UPDATE notify_outbox SET status = 'dead', last_error = coalesce(last_error || '; ', '') || 'interrupted: its node stopped mid-delivery',
           lease_owner = NULL, lease_until = NULL, next_attempt_at = NULL, updated_at = $1
         WHERE id IN (SELECT id FROM notify_outbox WHERE status = 'sending' AND lease_until <= $1 AND attempts >= $2 FOR UPDATE SKIP LOCKED)`,
        [nowMs, lease.maxAttempts],
      );
      const rows = await this.rows(
        `WITH due AS (
           SELECT id FROM notify_outbox
           WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1 AND attempts < $5)
           ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
         )
         UPDATE notify_outbox o SET status = 'sending', attempts = o.attempts + 1, lease_owner = $3, lease_until = $4, updated_at = $1
         FROM due WHERE o.id = due.id RETURNING o.*`,
        [nowMs, limit, lease.owner, lease.untilMs, lease.maxAttempts],
        db,
      );
      return rows.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.id - b.id);
    });
  }

  async nextDueAt(): Promise<number | null> {
    const { rows } = await this.pool.query<{ at: string | null }>("SELECT min(next_attempt_at) AS at FROM notify_outbox WHERE status = 'pending'");
    return rows[0]?.at == null ? null : Number(rows[0].at);
  }

  async markSent(id: number, owner: string, nowMs: number, via: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE notify_outbox SET status = 'sent', sent_at = $1, sent_via = $2, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE id = $3 AND status = 'sending' AND lease_owner = $4`,
      [nowMs, via, id, owner],
    );
    return result.rowCount === 1;
  }

  async markRetry(id: number, owner: string, nowMs: number, error: string, nextAttemptAt: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE notify_outbox SET status = 'pending', last_error = $1, next_attempt_at = $2, lease_owner = NULL, lease_until = NULL, updated_at = $3
       WHERE id = $4 AND status = 'sending' AND lease_owner = $5`,
      [error, nextAttemptAt, nowMs, id, owner],
    );
    return result.rowCount === 1;
  }

  async markDead(id: number, owner: string, nowMs: number, error: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE notify_outbox SET status = 'dead', last_error = $1, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $2
       WHERE id = $3 AND status = 'sending' AND lease_owner = $4`,
      [error, nowMs, id, owner],
    );
    return result.rowCount === 1;
  }

  // ---------------------------------------------------------------------------------------------------
  // Daily schedule

  async dailyRunDone(orgId: string, date: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM notify_daily_runs WHERE org_id = $1 AND date = $2', [orgId, date])).rowCount! > 0;
  }

  async commitDaily(orgId: string, date: string, entries: DailyEntry[], nowMs: number): Promise<number[]> {
    return this.tx(async (db) => {
      await db.query(ORG_LOCK, [orgId]);
      const ids: number[] = [];
      for (const entry of entries) {
        const taken = await db.query('SELECT 1 FROM notify_daily WHERE org_id = $1 AND provider_id = $2 AND date = $3', [orgId, entry.providerId, date]);
        if (taken.rowCount! > 0) continue;
        const id = await this.insertDailyRow(db, orgId, `daily:${orgId}:${entry.providerId}:${date}|email`, entry, nowMs);
        // The primary key is the guarantee: a second node's enqueue of the same (provider, date) fails here.
        await db.query('INSERT INTO notify_daily (org_id, provider_id, date, outbox_id) VALUES ($1, $2, $3, $4)', [orgId, entry.providerId, date, id]);
        ids.push(id);
      }
      await db.query('INSERT INTO notify_daily_runs (org_id, date, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [orgId, date, nowMs]);
      return ids;
    });
  }

  async insertDailyResend(orgId: string, date: string, entry: DailyEntry, resendId: string, nowMs: number): Promise<number> {
    return this.tx((db) => this.insertDailyRow(db, orgId, `daily-resend:${orgId}:${entry.providerId}:${date}:${resendId}|email`, entry, nowMs));
  }

  private insertDailyRow(db: Db, orgId: string, key: string, entry: DailyEntry, nowMs: number): Promise<number> {
    return this.insertRow(db, orgId, key, entry.providerId, {
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
    return (await this.rows('SELECT * FROM notify_outbox WHERE org_id = $1 AND id = $2', [orgId, id]))[0] ?? null;
  }

  private async withItems(rows: OutboxRow[]): Promise<Array<OutboxRow & { items: OutboxItem[] }>> {
    const items = await this.itemsOf(rows.map((r) => r.id));
    return rows.map((row) => ({ ...row, items: items.get(row.id) ?? [] }));
  }

  async listForBooking(orgId: string, bookingId: string, limit = 200): Promise<Array<OutboxRow & { items: OutboxItem[] }>> {
    return this.withItems(
      await this.rows(
        `SELECT o.* FROM notify_outbox_items i JOIN notify_outbox o ON o.id = i.outbox_id
         WHERE i.booking_id = $1 AND o.org_id = $2 ORDER BY o.created_at DESC, o.id DESC LIMIT $3`,
        [bookingId, orgId, limit],
      ),
    );
  }

  async listRecent(orgId: string, limit = 100, status?: OutboxStatus): Promise<Array<OutboxRow & { items: OutboxItem[] }>> {
    return this.withItems(
      status
        ? await this.rows('SELECT * FROM notify_outbox WHERE org_id = $1 AND status = $2 ORDER BY updated_at DESC, id DESC LIMIT $3', [orgId, status, limit])
        : await this.rows('SELECT * FROM notify_outbox WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [orgId, limit]),
    );
  }

  async toldProvider(orgId: string, providerId: string, sinceMs: number, limit = 200): Promise<ToldItem[]> {
    const { rows } = await this.pool.query<ToldRow>(
      `SELECT o.id, o.created_at, i.booking_id, i.kinds, i.before_slot FROM notify_outbox o JOIN notify_outbox_items i ON i.outbox_id = o.id
       WHERE o.org_id = $1 AND o.kind = 'batch' AND o.recipient_kind = 'provider' AND o.recipient_id = $2 AND o.created_at >= $3
         AND NOT (o.status = 'skipped' AND coalesce(o.last_error, '') LIKE 'Not sent:%')
       ORDER BY o.id DESC LIMIT $4`,
      [orgId, providerId, sinceMs, limit],
    );
    return rows.map(toldItemOf);
  }

  async retry(orgId: string, id: number, nowMs: number): Promise<OutboxRow | 'not_found' | 'not_dead'> {
    const [updated] = await this.rows(
      `UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1
       WHERE org_id = $2 AND id = $3 AND status = 'dead' RETURNING *`,
      [nowMs, orgId, id],
    );
    if (updated) return updated;
    return (await this.get(orgId, id)) ? 'not_dead' : 'not_found';
  }

  async countByStatus(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM notify_outbox GROUP BY status');
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async allRows(): Promise<OutboxRow[]> {
    return this.rows('SELECT * FROM notify_outbox ORDER BY id', []);
  }

  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** The worker's store on the room store's database, one per node; rooms are read ahead before use. */
export function pgNotifications(rooms: PgRoomStore, registry: RoomRegistry): SharedNotificationStore {
  return {
    store: new PgNotificationStore(rooms.pool),
    prepareOrg: (orgId) => prepareOrgDocs(registry, orgId),
    organizations: async () => {
      await rooms.storedRooms();
      return organizationsWithSchedules(registry);
    },
  };
}
