import type Database from 'better-sqlite3';
import type * as Y from 'yjs';
import {
  dayBoundsMs,
  findConflicts,
  readSettings,
  type Booking,
  type Conflict,
  type Customer,
  type HistoryEntry,
  type Provider,
  type Service,
  type Settings,
} from '../../../core/index';

export interface ArchivedBooking extends Booking {
  archivedAt: string;
}

export interface SearchHit {
  kind: 'booking' | 'customer' | 'provider';
  id: string;
  label: string;
  detail: string;
}

const parse = <T>(rows: unknown[]): T[] => (rows as string[]).map((r) => JSON.parse(r) as T);
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Read-side of the store: everything the UI asks, answered from the read tables. */
export class StoreQueries {
  private readonly stmts;

  constructor(
    private readonly db: Database.Database,
    private readonly roster: Y.Doc,
    private readonly maxDurationMs: () => number,
    private readonly cache: Map<string, Booking>,
  ) {
    this.stmts = {
      providers: db.prepare('SELECT data FROM providers ORDER BY sort_order, name').pluck(),
      activeProviders: db.prepare('SELECT data FROM providers WHERE active = 1 ORDER BY sort_order, name').pluck(),
      provider: db.prepare('SELECT data FROM providers WHERE id = ?').pluck(),
      customers: db.prepare('SELECT data FROM customers ORDER BY name').pluck(),
      customer: db.prepare('SELECT data FROM customers WHERE id = ?').pluck(),
      services: db.prepare('SELECT data FROM services ORDER BY name').pluck(),
      booking: db.prepare('SELECT data FROM bookings WHERE id = ?').pluck(),
      history: db.prepare('SELECT history FROM bookings WHERE id = ?').pluck(),
      // start_ms >= from - longest booking lets the start index do the work while still catching
      // bookings that began before the range and run into it.
      range: db
        .prepare('SELECT id FROM bookings WHERE start_ms >= ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms')
        .pluck(),
      providerRange: db
        .prepare(
          `SELECT booking_id FROM booking_assignees
           WHERE provider_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms`,
        )
        .pluck(),
      unassigned: db
        .prepare(
          `SELECT data FROM bookings WHERE assignee_count = 0 AND status NOT IN ('completed', 'cancelled')
           ORDER BY start_ms IS NULL, start_ms, id`,
        )
        .pluck(),
      searchBookings: db
        .prepare(
          `SELECT b.data FROM bookings b LEFT JOIN customers c ON c.id = b.customer_id
           WHERE b.title LIKE ? ESCAPE '\\' OR b.address LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\'
           ORDER BY b.start_ms DESC LIMIT ?`,
        )
        .pluck(),
      searchCustomers: db
        .prepare(`SELECT data FROM customers WHERE name LIKE ? ESCAPE '\\' OR data LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?`)
        .pluck(),
      searchProviders: db.prepare(`SELECT data FROM providers WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?`).pluck(),
      archiveRange: db
        .prepare('SELECT data, archived_at FROM archive_bookings WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms'),
      archiveCount: db.prepare('SELECT count(*) FROM archive_bookings').pluck(),
      isArchived: db.prepare('SELECT 1 FROM archive_bookings WHERE id = ?').pluck(),
    };
  }

  settings(): Settings {
    return readSettings(this.roster);
  }

  providers(opts: { includeInactive?: boolean } = {}): Provider[] {
    return parse<Provider>((opts.includeInactive === false ? this.stmts.activeProviders : this.stmts.providers).all());
  }

  provider(id: string): Provider | undefined {
    const row = this.stmts.provider.get(id) as string | undefined;
    return row ? (JSON.parse(row) as Provider) : undefined;
  }

  customers(): Customer[] {
    return parse<Customer>(this.stmts.customers.all());
  }

  customer(id: string): Customer | undefined {
    const row = this.stmts.customer.get(id) as string | undefined;
    return row ? (JSON.parse(row) as Customer) : undefined;
  }

  services(): Service[] {
    return parse<Service>(this.stmts.services.all());
  }

  /** Returned objects are shared with the cache: treat them as read-only. */
  booking(id: string): Booking | undefined {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = this.stmts.booking.get(id) as string | undefined;
    if (!row) return undefined;
    const booking = JSON.parse(row) as Booking;
    this.cache.set(id, booking);
    return booking;
  }

  private bookingsById(ids: unknown[]): Booking[] {
    return (ids as string[]).map((id) => this.booking(id)!);
  }

  history(id: string): HistoryEntry[] {
    const row = this.stmts.history.get(id) as string | undefined;
    return row ? (JSON.parse(row) as HistoryEntry[]) : [];
  }

  /** Bookings overlapping [fromMs, toMs): what the board shows for its visible range. */
  bookingsInRange(fromMs: number, toMs: number): Booking[] {
    return this.bookingsById(this.stmts.range.all(fromMs - this.maxDurationMs(), toMs, fromMs));
  }

  providerBookings(providerId: string, fromMs: number, toMs: number): Booking[] {
    return this.bookingsById(this.stmts.providerRange.all(providerId, fromMs - this.maxDurationMs(), toMs, fromMs));
  }

  /** One provider's local day, in the organization's zone. */
  providerDay(providerId: string, date: string): Booking[] {
    const [from, to] = dayBoundsMs(date, this.settings().timeZone);
    return this.providerBookings(providerId, from, to);
  }

  /** The queue: open jobs nobody is assigned to, dated ones first. */
  unassigned(filter: { text?: string } = {}): Booking[] {
    return this.matchingText(parse<Booking>(this.stmts.unassigned.all()), filter.text);
  }

  /** The queue's text filter: title, address or customer name, case-insensitive. */
  matchingText<B extends Booking>(bookings: B[], text: string | undefined): B[] {
    const needle = text?.trim().toLowerCase();
    if (!needle) return bookings;
    const customers = new Map(this.customers().map((c) => [c.id, c.name.toLowerCase()]));
    return bookings.filter(
      (b) =>
        b.title.toLowerCase().includes(needle) ||
        b.location.address.toLowerCase().includes(needle) ||
        (b.customerId !== null && customers.get(b.customerId)?.includes(needle)),
    );
  }

  search(text: string, limit = 20): SearchHit[] {
    const q = text.trim();
    if (!q) return [];
    const like = likePattern(q);
    const bookings = parse<Booking>(this.stmts.searchBookings.all(like, like, like, limit)).map(
      (b): SearchHit => ({ kind: 'booking', id: b.id, label: b.title, detail: b.slot?.start ?? 'no date' }),
    );
    const customers = parse<Customer>(this.stmts.searchCustomers.all(like, like, limit)).map(
      (c): SearchHit => ({ kind: 'customer', id: c.id, label: c.name, detail: c.address }),
    );
    const providers = parse<Provider>(this.stmts.searchProviders.all(like, limit)).map(
      (p): SearchHit => ({ kind: 'provider', id: p.id, label: p.name, detail: p.skills.join(', ') }),
    );
    return [...providers, ...customers, ...bookings].slice(0, limit);
  }

  /** The bookings list screen: newest first, filtered in SQL, at most `limit` rows. */
  list(filter: { text?: string; status?: string; providerId?: string; fromMs?: number; toMs?: number; limit?: number }): Booking[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      where.push('b.status = ?');
      params.push(filter.status);
    }
    if (filter.fromMs !== undefined) {
      where.push('b.end_ms > ?');
      params.push(filter.fromMs);
    }
    if (filter.toMs !== undefined) {
      where.push('b.start_ms < ?');
      params.push(filter.toMs);
    }
    if (filter.providerId) {
      where.push('b.id IN (SELECT booking_id FROM booking_assignees WHERE provider_id = ?)');
      params.push(filter.providerId);
    }
    const text = filter.text?.trim();
    if (text) {
      const like = likePattern(text);
      where.push("(b.title LIKE ? ESCAPE '\\' OR b.address LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\')");
      params.push(like, like, like);
    }
    const sql = `SELECT b.id FROM bookings b LEFT JOIN customers c ON c.id = b.customer_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.start_ms IS NULL, b.start_ms DESC LIMIT ?`;
    params.push(filter.limit ?? 500);
    return this.bookingsById(this.db.prepare(sql).pluck().all(...params));
  }

  archived(fromMs: number, toMs: number): ArchivedBooking[] {
    return (this.stmts.archiveRange.all(fromMs, toMs) as Array<{ data: string; archived_at: string }>).map((r) => ({
      ...(JSON.parse(r.data) as Booking),
      archivedAt: r.archived_at,
    }));
  }

  /** The booking, `'archived'` once it is archived (read-only), or undefined when there is none. */
  bookingOrArchived(id: string): Booking | 'archived' | undefined {
    return this.booking(id) ?? (this.stmts.isArchived.get(id) ? 'archived' : undefined);
  }

  archivedCount(): number {
    return this.stmts.archiveCount.get() as number;
  }

  /** Conflicts for a set of bookings, judged with everything else that overlaps them. */
  conflictsInRange(fromMs: number, toMs: number): Map<string, Conflict[]> {
    const settings = this.settings();
    return findConflicts(
      {
        settings,
        providers: new Map(this.providers().map((p) => [p.id, p])),
        services: new Map(this.services().map((s) => [s.id, s])),
      },
      this.bookingsInRange(fromMs, toMs),
    );
  }
}
