import type Database from 'better-sqlite3';

/**
 * accounts.sqlite: organizations, users, bearer tokens and one-time codes. Kept apart from the document
 * store so the sync persistence and the accounts never share a transaction or a migration.
 */
export const ACCOUNTS_SCHEMA_VERSION = 2;

const DDL_V1 = `
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
-- One account per email on the whole server (stored lower-cased), so sign-in by email finds one user.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations (id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'technician', 'viewer')),
  provider_id TEXT,
  -- NULL until an invited user sets a password.
  password_hash TEXT,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_by_org ON users (org_id, email);
-- A provider record is linked to at most one sign-in.
CREATE UNIQUE INDEX users_by_provider ON users (org_id, provider_id) WHERE provider_id IS NOT NULL;
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX tokens_live_by_user ON tokens (user_id) WHERE revoked_at IS NULL;
-- 'setup' codes create the first admin of an organization; 'invite' codes set a user's password.
CREATE TABLE one_time_codes (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('setup', 'invite')),
  org_id TEXT NOT NULL REFERENCES organizations (id),
  user_id TEXT REFERENCES users (id),
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  CHECK ((kind = 'invite') = (user_id IS NOT NULL))
);
`;

// Sign-in attempts per email + address (a SHA-256 of them: no addresses kept in clear), so the throttle
// survives a restart.
const DDL_V2 = `
CREATE TABLE login_attempts (
  key_hash TEXT PRIMARY KEY,
  attempts INTEGER NOT NULL,
  first_at INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_age ON login_attempts (first_at);
`;

/** Each step takes the file from version N-1 to N; a new file runs them all. */
const STEPS: ReadonlyArray<string> = [DDL_V1, DDL_V2];

export function migrateAccounts(db: Database.Database): void {
  // IMMEDIATE, and the version read inside: two processes opening a new file at once (the server and the
  // admin CLI) must not both run the same step.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === ACCOUNTS_SCHEMA_VERSION) return;
    if (version > ACCOUNTS_SCHEMA_VERSION) {
      throw new Error(
        `accounts.sqlite was written by a newer Crewline server (schema ${version}); update the server to open it`,
      );
    }
    for (let step = version; step < ACCOUNTS_SCHEMA_VERSION; step++) db.exec(STEPS[step]!);
    db.pragma(`user_version = ${ACCOUNTS_SCHEMA_VERSION}`);
  }).immediate();
}
