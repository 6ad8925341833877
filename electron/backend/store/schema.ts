import type Database from 'better-sqlite3';

/**
 * One SQLite file per workspace (docs/design.md §5). `doc_updates` + `doc_snapshots` are the source of truth for
 * the Yjs documents; the read tables below them are a projection, except `archive_bookings`, which holds
 * bookings that have left the active document and so cannot be rebuilt from it.
 */
export const SCHEMA_VERSION = 3;
/** Bump when the projection's shape or meaning changes: the next open rebuilds the read tables. */
export const PROJECTION_VERSION = '2';

const DDL = `
CREATE TABLE doc_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc TEXT NOT NULL,
  data BLOB NOT NULL,
  origin TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX doc_updates_by_doc ON doc_updates (doc, id);
CREATE TABLE doc_snapshots (
  doc TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  through_id INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  active INTEGER NOT NULL,
  sort_order INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE services (id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  customer_id TEXT,
  status TEXT NOT NULL,
  start_ms INTEGER,
  end_ms INTEGER,
  assignee_count INTEGER NOT NULL,
  address TEXT NOT NULL,
  data TEXT NOT NULL,
  history TEXT NOT NULL
);
-- Covering: a range query reads ids from the index alone and takes the rows from the parsed cache.
CREATE INDEX bookings_by_start ON bookings (start_ms, end_ms, id);
CREATE INDEX bookings_queue ON bookings (start_ms)
  WHERE assignee_count = 0 AND status NOT IN ('completed', 'cancelled');
CREATE TABLE booking_assignees (
  provider_id TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  booking_id TEXT NOT NULL,
  end_ms INTEGER NOT NULL,
  PRIMARY KEY (provider_id, start_ms, booking_id)
) WITHOUT ROWID;
CREATE INDEX booking_assignees_by_booking ON booking_assignees (booking_id);
CREATE TABLE archive_bookings (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  customer_id TEXT,
  status TEXT NOT NULL,
  start_ms INTEGER,
  end_ms INTEGER,
  archived_at TEXT NOT NULL,
  data TEXT NOT NULL,
  history TEXT NOT NULL
);
CREATE INDEX archive_by_start ON archive_bookings (start_ms);
`;

/** Board edits staged until Save: local to this desktop, never synced, kept across restarts. */
const DDL_V2 = `
CREATE TABLE draft_changes (
  booking_id TEXT PRIMARY KEY,
  slot TEXT,
  staged_at INTEGER NOT NULL
);
`;

/**
 * Sync bookkeeping (electron/backend/sync): local actions the server has not confirmed yet, one row per
 * document an action changed, holding the Yjs client id and its clock after the action (an ack's state
 * vector confirms it once it covers that clock); and history entries that arrived from other desktops in a
 * reconnect, shown as "changed by X while you were offline" until the user dismisses them.
 */
const DDL_V3 = `
CREATE TABLE sync_pending (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  action INTEGER NOT NULL,
  doc TEXT NOT NULL,
  client_id INTEGER NOT NULL,
  clock INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX sync_pending_by_client ON sync_pending (doc, client_id, clock);
CREATE TABLE offline_changes (
  entry_id TEXT PRIMARY KEY,
  booking_id TEXT NOT NULL,
  by_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX offline_changes_by_booking ON offline_changes (booking_id, at);
`;

/** Each step takes the file from version N-1 to N; a new file runs them all. */
const STEPS: ReadonlyArray<string> = [DDL, DDL_V2, DDL_V3];

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new Error(`This workspace was written by a newer Crewline (schema ${version}); update the app to open it`);
  }
  db.transaction(() => {
    for (let step = version; step < SCHEMA_VERSION; step++) db.exec(STEPS[step]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** Tables rebuilt from the documents; `archive_bookings` is deliberately absent. */
export const PROJECTION_TABLES = ['providers', 'customers', 'services', 'bookings', 'booking_assignees'] as const;
