/**
 * The server's counters, kept as plain numbers on the hot path and rendered as Prometheus text on demand.
 */

/** Updates per second over a sliding window of whole seconds. */
class RateWindow {
  private readonly buckets: number[];
  private readonly seconds: number[];

  constructor(private readonly windowS: number) {
    this.buckets = new Array<number>(windowS).fill(0);
    this.seconds = new Array<number>(windowS).fill(-1);
  }

  add(n: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const i = second % this.windowS;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += n;
  }

  /** Average over the last `windowS` complete seconds. */
  perSecond(nowMs: number): number {
    const current = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.windowS; i++) {
      const second = this.seconds[i]!;
      if (second < current && second >= current - this.windowS) sum += this.buckets[i]!;
    }
    return sum / this.windowS;
  }
}

/** `invalid_record`, `forbidden`: refused by the document rules (`core/doc/update-rules.ts`). */
export type RejectReason =
  | 'malformed'
  | 'unapplicable'
  | 'read_only'
  | 'rate_limited'
  | 'too_large'
  | 'server_busy'
  | 'invalid_record'
  | 'forbidden';

export class SyncMetrics {
  readonly startedAt = Date.now();
  connectionsOpened = 0;
  connectionsClosed = 0;
  upgradesRefused = new Map<number, number>();
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  updatesApplied = 0;
  updatesRejected = new Map<RejectReason, number>();
  roomsLoadedTotal = 0;
  roomsUnloadedTotal = 0;
  roomReloads = 0;
  archivedBookings = 0;
  private readonly updateRate = new RateWindow(10);

  /** Live gauges are read from whoever owns them. */
  constructor(
    private readonly gauges: () => {
      connections: number;
      roomsLoaded: number;
      bytesInFlight: number;
      persistCommits: number;
      persistFailures: number;
    },
  ) {}

  updateApplied(nowMs = Date.now()): void {
    this.updatesApplied++;
    this.updateRate.add(1, nowMs);
  }

  updateRejected(reason: RejectReason): void {
    this.updatesRejected.set(reason, (this.updatesRejected.get(reason) ?? 0) + 1);
  }

  upgradeRefused(status: number): void {
    this.upgradesRefused.set(status, (this.upgradesRefused.get(status) ?? 0) + 1);
  }

  rejectedTotal(): number {
    let sum = 0;
    for (const n of this.updatesRejected.values()) sum += n;
    return sum;
  }

  snapshot(nowMs = Date.now()) {
    const gauges = this.gauges();
    return {
      ...gauges,
      uptimeS: Math.floor((nowMs - this.startedAt) / 1000),
      connectionsOpened: this.connectionsOpened,
      connectionsClosed: this.connectionsClosed,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      messagesIn: this.messagesIn,
      updatesApplied: this.updatesApplied,
      updatesRejected: this.rejectedTotal(),
      updatesPerSecond: this.updateRate.perSecond(nowMs),
      roomsLoadedTotal: this.roomsLoadedTotal,
      roomsUnloadedTotal: this.roomsUnloadedTotal,
      roomReloads: this.roomReloads,
      archivedBookings: this.archivedBookings,
    };
  }

  /** Prometheus text exposition format 0.0.4. */
  prometheus(nowMs = Date.now()): string {
    const s = this.snapshot(nowMs);
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('crewline_sync_connections', 'gauge', 'Open sync WebSocket connections.', [['', s.connections]]);
    metric('crewline_sync_rooms_loaded', 'gauge', 'Rooms whose document is in memory.', [['', s.roomsLoaded]]);
    metric('crewline_sync_bytes_in_flight', 'gauge', 'Bytes of incoming frames held in memory, all connections.', [
      ['', s.bytesInFlight],
    ]);
    metric('crewline_sync_connections_opened_total', 'counter', 'Sync connections accepted.', [['', s.connectionsOpened]]);
    metric(
      'crewline_sync_upgrades_refused_total',
      'counter',
      'Upgrade requests refused before a socket opened, by HTTP status.',
      [...this.upgradesRefused].map(([status, n]) => [`{status="${status}"}`, n]),
    );
    metric('crewline_sync_bytes_in_total', 'counter', 'Bytes received in sync messages.', [['', s.bytesIn]]);
    metric('crewline_sync_bytes_out_total', 'counter', 'Bytes sent in sync messages (per recipient).', [['', s.bytesOut]]);
    metric('crewline_sync_messages_in_total', 'counter', 'Sync messages received.', [['', s.messagesIn]]);
    metric('crewline_sync_updates_applied_total', 'counter', 'Document updates applied (clients and server).', [
      ['', s.updatesApplied],
    ]);
    metric(
      'crewline_sync_updates_rejected_total',
      'counter',
      'Messages refused, by reason.',
      (['malformed', 'unapplicable', 'read_only', 'rate_limited', 'too_large', 'server_busy', 'invalid_record', 'forbidden'] as const).map((reason) => [
        `{reason="${reason}"}`,
        this.updatesRejected.get(reason) ?? 0,
      ]),
    );
    metric('crewline_sync_update_rate', 'gauge', 'Updates applied per second, averaged over the last 10 s.', [
      ['', s.updatesPerSecond],
    ]);
    metric('crewline_sync_persist_commits_total', 'counter', 'SQLite batch commits of the update log.', [
      ['', s.persistCommits],
    ]);
    metric('crewline_sync_persist_failures_total', 'counter', 'SQLite batch commits that failed (retried).', [
      ['', s.persistFailures],
    ]);
    metric('crewline_sync_room_reloads_total', 'counter', 'Rooms reloaded from disk after an update failed mid-apply.', [
      ['', s.roomReloads],
    ]);
    metric('crewline_sync_archived_bookings_total', 'counter', 'Bookings moved out of active schedules.', [
      ['', s.archivedBookings],
    ]);
    metric('crewline_process_uptime_seconds', 'gauge', 'Seconds since the server started.', [['', s.uptimeS]]);
    return `${lines.join('\n')}\n`;
  }
}
