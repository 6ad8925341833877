import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../../../core/ids';
import { ORG_ID_PATTERN } from '../../../core/sync/rooms';
import type { Authenticator, Principal, Role } from '../auth/principal';
import { AccountError, parseInput } from './account-errors';
import {
  BootstrapInput,
  CreateOrganizationInput,
  InviteUserInput,
  LoginInput,
  RedeemInviteInput,
  ResetPasswordInput,
  SetupInput,
  UpdateUserInput,
} from './account-inputs';
import { migrateAccounts } from './account-schema';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle';
import { SqlAttemptLog } from './sql-attempt-log';
import { SqliteDatabase, type SqlClient, type SqlDatabase } from '../storage/sql-database';
import { PgSqlDatabase } from '../storage/pg/pg-sql-database';
import {
  DEFAULT_SCRYPT,
  hashPassword,
  needsRehash,
  unusableHash,
  verifyPassword,
  type ScryptParams,
} from './passwords';
import { watchForeignCommits } from './foreign-commits';
import type { Log } from '../log';
import { hashSecret, isWellFormedCode, newCode, newToken, normalizeCode, TOKEN_PATTERN } from './secrets';

export const ACCOUNTS_FILE = 'accounts.sqlite';

export interface AccountStoreOptions {
  /** Defaults to DEFAULT_SCRYPT. Tests pass a cheaper cost; hashes record their own parameters either way. */
  scrypt?: ScryptParams;
  /** Clock in epoch ms (tests move it to expire codes and throttles). */
  now?: () => number;
  setupCodeTtlMs?: number;
  inviteCodeTtlMs?: number;
  throttle?: Omit<LoginThrottleOptions, 'now'>;
}

/** The user as sign-in and /me return it (docs/design.md §7), plus the email. */
export interface AccountUser {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  providerId?: string;
}

/** The user as the admin list shows it. */
export interface UserRecord extends AccountUser {
  disabled: boolean;
  /** False while an invited user has not set a password yet. */
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Organization {
  id: string;
  name: string;
  createdAt: string;
  userCount: number;
}

export interface LoginResult {
  token: string;
  tokenId: string;
  user: AccountUser;
}

export interface OneTimeCode {
  code: string;
  expiresAt: string;
}

/** Where a sign-in came from: the throttle keys on the address; the label names the token in listings. */
export interface ClientContext {
  ip?: string;
  label?: string;
}

/** Tokens that stopped being valid, so live connections opened with them can be closed. */
export interface AccessRevoked {
  userId: string;
  reason: 'logout' | 'revoked' | 'disabled' | 'role_changed' | 'password_changed';
}

interface UserRow {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: Role;
  provider_id: string | null;
  password_hash: string | null;
  disabled: 0 | 1;
  created_at: number;
  updated_at: number;
}

interface CodeRow {
  id: string;
  kind: 'setup' | 'invite';
  org_id: string;
  user_id: string | null;
  expires_at: number;
  used_at: number | null;
}

const DAY_MS = 24 * 60 * 60_000;
/** last_used_at is a hint for admins; writing it on every request would turn each lookup into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

const iso = (ms: number): string => new Date(ms).toISOString();

function toUser(row: UserRow): AccountUser {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.name,
    role: row.role,
    ...(row.provider_id === null ? {} : { providerId: row.provider_id }),
  };
}

type TokenRow = UserRow & { token_id: string; last_used_at: number | null };

function toPrincipal(row: TokenRow): Principal {
  const user = toUser(row);
  return {
    userId: user.id,
    orgId: user.orgId,
    role: user.role,
    name: user.name,
    email: user.email,
    ...(user.providerId === undefined ? {} : { providerId: user.providerId }),
    tokenId: row.token_id,
  };
}

function toRecord(row: UserRow): UserRecord {
  return {
    ...toUser(row),
    disabled: row.disabled === 1,
    hasPassword: row.password_hash !== null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const invalidCredentials = () => new AccountError('invalid_credentials', 'Email or password is wrong');
/**
 * Why a typed code does not work, in words for the person holding it (field `code`), so a form can say what
 * to do next. Codes are 125 random bits: telling "used" from "unknown" reveals nothing anyone could guess.
 */
const CODE_REFUSALS = {
  unknown: () =>
    new AccountError('code_unknown', 'This server does not know this code: check it for typing mistakes', 'code'),
  used: (kind: CodeRow['kind']) =>
    kind === 'invite'
      ? new AccountError('code_used', 'This code was already used or replaced by a newer one: ask your admin for a new one', 'code')
      : new AccountError(
          'code_used',
          'This setup code was already used or replaced by a newer one: sign in instead, or use the code the server printed last',
          'code',
        ),
  expired: (kind: CodeRow['kind']) =>
    kind === 'invite'
      ? new AccountError('code_expired', 'This code has expired: ask your admin for a new one', 'code')
      : new AccountError('code_expired', 'This setup code has expired: restart the server to print a new one', 'code'),
  wrongKind: (kind: CodeRow['kind']) =>
    kind === 'setup'
      ? new AccountError(
          'code_is_setup',
          'This is a setup code, for the organization’s first admin: redeem it with an email and a name',
          'code',
        )
      : new AccountError('code_is_invite', 'This is an invite code, not a setup code: redeem it as an invite', 'code'),
};
const userNotFound = () => new AccountError('not_found', 'No such user in your organization');

/**
 * Organizations, users, bearer tokens and one-time codes: the account rules, written once over
 * `SqlDatabase`, on `<dataDir>/accounts.sqlite` (`AccountStore.open`) or on the PostgreSQL every node shares
 * (`AccountStore.openPostgres`, issue 23). Every method that acts for an admin takes the admin's orgId and
 * treats a user of another organization exactly like a user that does not exist.
 */
export class AccountStore implements Authenticator {
  /** The SQLite file, or null on PostgreSQL. */
  readonly path: string | null;
  readonly engine: SqlDatabase['engine'];
  private readonly scrypt: ScryptParams;
  private readonly now: () => number;
  private readonly setupCodeTtlMs: number;
  private readonly inviteCodeTtlMs: number;
  private readonly throttleOptions: LoginThrottleOptions;
  private readonly revokedListeners = new Set<(event: AccessRevoked) => void>();
  /** Verified against for unknown emails, so they cost the same scrypt work as a wrong password. */
  private readonly unusableHash: string;
  /** Names this store in the PostgreSQL notices it sends, so it can pass over its own. */
  private readonly origin = randomUUID();

  static open(dataDir: string, options: AccountStoreOptions = {}): AccountStore {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, ACCOUNTS_FILE);
    const db = new Database(path);
    // The admin CLI may write while the server runs: wait for its lock rather than fail.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // A revocation or password change must survive a power cut, not only a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrateAccounts(db);
    return new AccountStore(new SqliteDatabase(db), path, options);
  }

  /** On the PostgreSQL at `databaseUrl` when there is one (every node shares it), else in the data dir. */
  static async openFor(dataDir: string, databaseUrl: string | undefined, options: AccountStoreOptions = {}): Promise<AccountStore> {
    return databaseUrl === undefined ? AccountStore.open(dataDir, options) : AccountStore.openPostgres(databaseUrl, options);
  }

  /** The accounts in a shared PostgreSQL (schema by storage/pg/migrations.ts). */
  static async openPostgres(url: string, options: AccountStoreOptions = {}): Promise<AccountStore> {
    return new AccountStore(await PgSqlDatabase.open(url), null, options);
  }

  private constructor(
    private readonly db: SqlDatabase,
    path: string | null,
    options: AccountStoreOptions,
  ) {
    this.path = path;
    this.engine = db.engine;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.unusableHash = unusableHash(this.scrypt);
    this.now = options.now ?? Date.now;
    this.setupCodeTtlMs = options.setupCodeTtlMs ?? DAY_MS;
    this.inviteCodeTtlMs = options.inviteCodeTtlMs ?? 7 * DAY_MS;
    this.throttleOptions = { ...options.throttle, now: this.now };
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Called after tokens stop being valid (logout, revoke, disable, role or password change). */
  onAccessRevoked(listener: (event: AccessRevoked) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  // --- Authentication ----------------------------------------------------------------------------------

  async authenticate(token: string): Promise<Principal | null> {
    const row = await this.tokenRow(token);
    if (!row) return null;
    const now = this.now();
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
      await this.db.run('UPDATE tokens SET last_used_at = ? WHERE id = ?', [now, row.token_id]);
    }
    return toPrincipal(row);
  }

  /**
   * Who a token is now, like `authenticate` but without recording a use: re-checking the open connections
   * after another process changed accounts is not the user doing anything.
   */
  async lookup(token: string): Promise<Principal | null> {
    const row = await this.tokenRow(token);
    return row ? toPrincipal(row) : null;
  }

  /**
   * SQLite's `PRAGMA data_version`: it changes when another connection — the admin CLI, any other process —
   * commits to accounts.sqlite, and never for this store's own writes, which emit `onAccessRevoked` directly.
   */
  foreignCommitVersion(): number {
    if (!(this.db instanceof SqliteDatabase)) throw new Error('foreignCommitVersion is for accounts.sqlite');
    return this.db.db.pragma('data_version', { simple: true }) as number;
  }

  /**
   * Calls `onChange` when another process — the admin CLI, another node — may have revoked someone's
   * access: on SQLite after each poll (every `everyMs`) that saw `foreignCommitVersion` move, not knowing
   * whose; on PostgreSQL on the notice each store sends after a revocation, naming the user. Returns the
   * stop function.
   */
  watchOtherWriters(everyMs: number, log: Log, onChange: (userId?: string) => void): () => void {
    if (this.db instanceof PgSqlDatabase) {
      return this.db.listen(
        ACCESS_CHANNEL,
        (payload) => {
          const notice = parseNotice(payload);
          if (notice?.origin !== this.origin) onChange(notice?.userId);
        },
        log,
      );
    }
    return watchForeignCommits(this, everyMs, log, () => onChange());
  }

  /**
   * Unknown email, a user with no password yet and a wrong password give the same error after the same
   * scrypt work, so the answer and its timing do not tell which emails have accounts.
   */
  async login(input: LoginInput, context: ClientContext = {}): Promise<LoginResult> {
    const { email, password } = parseInput(LoginInput, input);
    const throttleKey = `${email}\n${context.ip ?? ''}`;
    // Counted before scrypt runs, so parallel guesses cannot all be checked before the first one fails;
    // in one transaction, so parallel guesses on other nodes cannot read the same count either.
    await this.db.transaction((tx) => this.throttleIn(tx).begin(throttleKey));
    const row = await this.userByEmail(this.db, email);
    const storedHash = row?.password_hash ?? this.unusableHash;
    const matches = await verifyPassword(password, storedHash);
    if (!row || row.password_hash === null || !matches) throw invalidCredentials();
    await this.throttleIn(this.db).succeeded(throttleKey);
    let expectedHash = storedHash;
    if (needsRehash(storedHash, this.scrypt)) {
      const rehashed = await hashPassword(password, this.scrypt);
      const sql = 'UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?';
      if ((await this.db.run(sql, [rehashed, row.id, storedHash])) === 1) expectedHash = rehashed;
    }
    return this.db.transaction(async (tx) => {
      // Re-read: the user may have been disabled or given a new password while scrypt ran.
      const current = await this.userById(tx, row.id);
      if (!current || current.password_hash !== expectedHash) throw invalidCredentials();
      if (current.disabled) throw new AccountError('account_disabled', 'This account is disabled; ask your admin');
      return this.issueToken(tx, current, context.label ?? 'sign-in');
    });
  }

  /** Revokes one token (the one a request signed in with). False if it was already revoked or unknown. */
  async logout(tokenId: string): Promise<boolean> {
    const owner = await this.db.transaction(async (tx) => {
      const found = await tx.one<{ user_id: string }>('SELECT user_id FROM tokens WHERE id = ? AND revoked_at IS NULL', [tokenId]);
      if (found) await tx.run('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.now(), tokenId]);
      return found;
    });
    if (!owner) return false;
    await this.emitRevoked({ userId: owner.user_id, reason: 'logout' });
    return true;
  }

  /** Signs a user out everywhere. Org-scoped: another organization's user is `not_found`. */
  async revokeAllForUser(orgId: string, userId: string): Promise<number> {
    const count = await this.db.transaction(async (tx) => {
      await this.requireUser(tx, orgId, userId);
      return this.revokeTokensOf(tx, userId);
    });
    await this.emitRevoked({ userId, reason: 'revoked' });
    return count;
  }

  // --- Organizations and first start -------------------------------------------------------------------

  async createOrganization(input: CreateOrganizationInput): Promise<{ org: Organization; admin?: AccountUser }> {
    const { name, admin } = parseInput(CreateOrganizationInput, input);
    const passwordHash = admin ? await hashPassword(admin.password, this.scrypt) : null;
    try {
      return await this.db.transaction(async (tx) => {
        const org = await this.insertOrganization(tx, name);
        if (!admin || passwordHash === null) return { org };
        const user = await this.insertUser(tx, org.id, { email: admin.email, name: admin.name, role: 'admin' }, passwordHash);
        return { org: { ...org, userCount: 1 }, admin: toUser(user) };
      });
    } catch (error) {
      // Name the field as the caller gave it: the admin's email is `admin.email` here.
      if (error instanceof AccountError && error.field) {
        throw new AccountError(error.code, error.message, `admin.${error.field}`);
      }
      throw error;
    }
  }

  listOrganizations(): Promise<Organization[]> {
    return this.organizations(this.db);
  }

  async getOrganization(orgId: string): Promise<Organization | null> {
    return (await this.listOrganizations()).find((org) => org.id === orgId) ?? null;
  }

  /**
   * First start: with no organization yet, create one — with the given admin, or with a one-time setup
   * code for the first admin. Later starts change nothing once the server has a user. Until then (the
   * printed code was lost or expired) each start adds the given admin, or issues a fresh code and voids
   * the old ones. One transaction decides, so nodes starting together on one database create one organization.
   */
  async ensureFirstOrganization(
    input: BootstrapInput = {},
  ): Promise<{ orgId: string; created: boolean; setupCode?: OneTimeCode }> {
    const options = parseInput(BootstrapInput, input);
    const settled = await this.settledOrganization(this.db);
    if (settled) return { orgId: settled, created: false };
    const admin =
      options.adminEmail !== undefined && options.adminPassword !== undefined
        ? { email: options.adminEmail, name: options.adminName ?? 'Admin', password: options.adminPassword }
        : undefined;
    const passwordHash = admin ? await hashPassword(admin.password, this.scrypt) : null;
    return this.db.transaction(async (tx) => {
      const already = await this.settledOrganization(tx);
      if (already) return { orgId: already, created: false };
      const existing = (await this.organizations(tx))[0];
      const orgId = existing?.id ?? (await this.insertOrganization(tx, options.orgName ?? 'My organization')).id;
      const created = !existing;
      if (!admin || passwordHash === null) return { orgId, created, setupCode: await this.newSetupCode(tx, orgId) };
      await this.insertUser(tx, orgId, { email: admin.email, name: admin.name, role: 'admin' }, passwordHash);
      await this.voidSetupCodes(tx, orgId);
      return { orgId, created };
    });
  }

  /** A setup code for an organization's first admin; earlier unused setup codes of that organization stop working. */
  async issueSetupCode(orgId: string): Promise<OneTimeCode> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.one('SELECT id FROM organizations WHERE id = ?', [orgId]))) {
        throw new AccountError('not_found', 'No such organization');
      }
      return this.newSetupCode(tx, orgId);
    });
  }

  /** Creates the organization's admin named in the code and signs them in. */
  async redeemSetupCode(input: SetupInput, context: ClientContext = {}): Promise<LoginResult> {
    const { code, email, name, password } = parseInput(SetupInput, input);
    // Check before the slow hash so a wrong code fails fast, and again inside the transaction.
    await this.liveCode(this.db, code, 'setup');
    const passwordHash = await hashPassword(password, this.scrypt);
    return this.db.transaction(async (tx) => {
      const found = await this.liveCode(tx, code, 'setup');
      await this.useCode(tx, found);
      const user = await this.insertUser(tx, found.org_id, { email, name, role: 'admin' }, passwordHash);
      return this.issueToken(tx, user, context.label ?? 'setup');
    });
  }

  // --- Users (admin) -----------------------------------------------------------------------------------

  async listUsers(orgId: string): Promise<UserRecord[]> {
    const rows = await this.db.many<UserRow>('SELECT * FROM users WHERE org_id = ? ORDER BY lower(name), email', [orgId]);
    return rows.map(toRecord);
  }

  async getUser(orgId: string, userId: string): Promise<UserRecord> {
    return toRecord(await this.requireUser(this.db, orgId, userId));
  }

  /**
   * Adds a user to `orgId`. With a password they can sign in at once; without one the answer carries an
   * invite code that they redeem to choose their password.
   */
  async inviteUser(orgId: string, input: InviteUserInput): Promise<{ user: UserRecord; invite?: OneTimeCode }> {
    const { password, ...fields } = parseInput(InviteUserInput, input);
    if (!(await this.getOrganization(orgId))) throw new AccountError('not_found', 'No such organization', 'org');
    const passwordHash = password === undefined ? null : await hashPassword(password, this.scrypt);
    return this.db.transaction(async (tx) => {
      const row = await this.insertUser(tx, orgId, fields, passwordHash);
      const invite = passwordHash === null ? await this.insertCode(tx, 'invite', orgId, row.id, this.inviteCodeTtlMs) : undefined;
      return { user: toRecord(row), ...(invite ? { invite } : {}) };
    });
  }

  /**
   * A fresh invite code for a user (a lost invite, or a password reset an admin hands over). Earlier unused
   * codes of that user stop working.
   */
  async issueInviteCode(orgId: string, userId: string): Promise<OneTimeCode> {
    return this.db.transaction(async (tx) => {
      await this.requireUser(tx, orgId, userId);
      await this.voidInviteCodes(tx, userId);
      return this.insertCode(tx, 'invite', orgId, userId, this.inviteCodeTtlMs);
    });
  }

  /** Sets the password named by an invite code, signs the user out elsewhere and signs them in here. */
  async redeemInviteCode(input: RedeemInviteInput, context: ClientContext = {}): Promise<LoginResult> {
    const { code, password } = parseInput(RedeemInviteInput, input);
    await this.liveCode(this.db, code, 'invite');
    const passwordHash = await hashPassword(password, this.scrypt);
    const result = await this.db.transaction(async (tx) => {
      const found = await this.liveCode(tx, code, 'invite');
      const user = await this.userById(tx, found.user_id!);
      if (!user) throw CODE_REFUSALS.unknown();
      if (user.disabled) throw new AccountError('account_disabled', 'This account is disabled; ask your admin');
      await this.useCode(tx, found);
      await this.setPasswordHash(tx, user.id, passwordHash);
      await this.revokeTokensOf(tx, user.id);
      return this.issueToken(tx, { ...user, password_hash: passwordHash }, context.label ?? 'invite');
    });
    await this.emitRevoked({ userId: result.user.id, reason: 'password_changed' });
    return result;
  }

  /**
   * Changes role, name, provider link and/or the disabled flag in one transaction. Disabling revokes the
   * user's tokens. The last active admin of an organization can be neither demoted nor disabled.
   */
  async updateUser(orgId: string, userId: string, patch: UpdateUserInput): Promise<UserRecord> {
    const changes = parseInput(UpdateUserInput, patch);
    const { row, revoked } = await this.db.transaction(async (tx) => {
      const before = await this.requireUser(tx, orgId, userId);
      const role = changes.role ?? before.role;
      const disabled = changes.disabled === undefined ? before.disabled === 1 : changes.disabled;
      const wasActiveAdmin = before.role === 'admin' && before.disabled === 0 && before.password_hash !== null;
      const losesAdmin = wasActiveAdmin && (role !== 'admin' || disabled);
      if (losesAdmin && (await this.otherActiveAdmins(tx, orgId, userId)) === 0) {
        throw new AccountError(
          'conflict',
          'An organization needs at least one active admin: add or promote another admin first',
          changes.role !== undefined && role !== 'admin' ? 'role' : 'disabled',
        );
      }
      const providerId = changes.providerId === undefined ? before.provider_id : changes.providerId;
      try {
        const sql = 'UPDATE users SET role = ?, disabled = ?, name = ?, provider_id = ?, updated_at = ? WHERE id = ?';
        await tx.run(sql, [role, disabled ? 1 : 0, changes.name ?? before.name, providerId, this.now(), userId]);
      } catch (error) {
        if (this.violates(error, 'provider_id')) throw providerTaken();
        throw error;
      }
      const becameDisabled = disabled && before.disabled === 0;
      if (becameDisabled) await this.revokeTokensOf(tx, userId);
      const reason: AccessRevoked['reason'] | null = becameDisabled
        ? 'disabled'
        : role !== before.role
          ? 'role_changed'
          : null;
      return { row: (await this.userById(tx, userId))!, revoked: reason };
    });
    // Role changes keep the tokens (the next lookup sees the new role) but live connections must re-check.
    if (revoked) await this.emitRevoked({ userId, reason: revoked });
    return toRecord(row);
  }

  disableUser(orgId: string, userId: string): Promise<UserRecord> {
    return this.updateUser(orgId, userId, { disabled: true });
  }

  enableUser(orgId: string, userId: string): Promise<UserRecord> {
    return this.updateUser(orgId, userId, { disabled: false });
  }

  changeRole(orgId: string, userId: string, role: Role): Promise<UserRecord> {
    return this.updateUser(orgId, userId, { role });
  }

  /** Operator reset from the admin CLI: sets the password, clears pending codes and signs the user out. */
  async resetPassword(input: ResetPasswordInput): Promise<AccountUser> {
    const { email, password } = parseInput(ResetPasswordInput, input);
    const user = await this.userByEmail(this.db, email);
    if (!user) throw new AccountError('not_found', `No user with email ${email}`, 'email');
    const passwordHash = await hashPassword(password, this.scrypt);
    await this.db.transaction(async (tx) => {
      await this.setPasswordHash(tx, user.id, passwordHash);
      await this.voidInviteCodes(tx, user.id);
      await this.revokeTokensOf(tx, user.id);
    });
    await this.emitRevoked({ userId: user.id, reason: 'password_changed' });
    return toUser(user);
  }

  // --- Internals ---------------------------------------------------------------------------------------

  private throttleIn(db: SqlClient): LoginThrottle {
    return new LoginThrottle(this.throttleOptions, new SqlAttemptLog(db));
  }

  private violates(error: unknown, column: string): boolean {
    const columns = this.db.uniqueViolation(error);
    return columns !== null && columns.split(/,\s*/).includes(column);
  }

  private async organizations(db: SqlClient): Promise<Organization[]> {
    const rows = await db.many<{ id: string; name: string; created_at: number; user_count: number }>(
      `SELECT o.id, o.name, o.created_at, CAST((SELECT count(*) FROM users u WHERE u.org_id = o.id) AS INTEGER) AS user_count
         FROM organizations o ORDER BY o.created_at, o.id`,
    );
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: iso(row.created_at), userCount: row.user_count }));
  }

  /** The first organization's id once the server has any user (first start is over), else null. */
  private async settledOrganization(db: SqlClient): Promise<string | null> {
    const first = (await this.organizations(db))[0];
    if (!first) return null;
    return (await db.one('SELECT id FROM users LIMIT 1')) ? first.id : null;
  }

  private async tokenRow(token: string): Promise<TokenRow | undefined> {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
    return this.db.one<TokenRow>(
      `SELECT t.id AS token_id, t.last_used_at, u.*
         FROM tokens t JOIN users u ON u.id = t.user_id
        WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`,
      [hashSecret(token)],
    );
  }

  private userByEmail(db: SqlClient, email: string): Promise<UserRow | undefined> {
    return db.one<UserRow>('SELECT * FROM users WHERE email = ?', [email]);
  }

  private userById(db: SqlClient, id: string): Promise<UserRow | undefined> {
    return db.one<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  }

  private async requireUser(db: SqlClient, orgId: string, userId: string): Promise<UserRow> {
    const row = await this.userById(db, userId);
    if (!row || row.org_id !== orgId) throw userNotFound();
    return row;
  }

  private async otherActiveAdmins(db: SqlClient, orgId: string, userId: string): Promise<number> {
    const row = await db.one<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM users
        WHERE org_id = ? AND id != ? AND role = 'admin' AND disabled = 0 AND password_hash IS NOT NULL`,
      [orgId, userId],
    );
    return row!.n;
  }

  private async insertOrganization(db: SqlClient, name: string): Promise<Organization> {
    const id = newId();
    // The id becomes part of room names (org/<id>/roster): it must pass the same strict pattern.
    if (!ORG_ID_PATTERN.test(id)) throw new Error(`Generated organization id does not match ORG_ID_PATTERN: ${id}`);
    const now = this.now();
    await db.run('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)', [id, name, now]);
    return { id, name, createdAt: iso(now), userCount: 0 };
  }

  private async insertUser(
    db: SqlClient,
    orgId: string,
    fields: { email: string; name: string; role: Role; providerId?: string },
    passwordHash: string | null,
  ): Promise<UserRow> {
    const id = newId();
    const now = this.now();
    try {
      await db.run(
        `INSERT INTO users (id, org_id, email, name, role, provider_id, password_hash, disabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        [id, orgId, fields.email, fields.name, fields.role, fields.providerId ?? null, passwordHash, now, now],
      );
    } catch (error) {
      if (this.violates(error, 'email')) {
        throw new AccountError('conflict', 'An account with this email already exists', 'email');
      }
      if (this.violates(error, 'provider_id')) throw providerTaken();
      throw error;
    }
    return (await this.userById(db, id))!;
  }

  private async issueToken(db: SqlClient, user: UserRow, label: string): Promise<LoginResult> {
    const token = newToken();
    const tokenId = newId();
    const sql = 'INSERT INTO tokens (id, user_id, hash, label, created_at) VALUES (?, ?, ?, ?, ?)';
    await db.run(sql, [tokenId, user.id, hashSecret(token), label.slice(0, 200), this.now()]);
    return { token, tokenId, user: toUser(user) };
  }

  private async setPasswordHash(db: SqlClient, userId: string, passwordHash: string): Promise<void> {
    await db.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [passwordHash, this.now(), userId]);
  }

  private async newSetupCode(db: SqlClient, orgId: string): Promise<OneTimeCode> {
    await this.voidSetupCodes(db, orgId);
    return this.insertCode(db, 'setup', orgId, null, this.setupCodeTtlMs);
  }

  private async voidSetupCodes(db: SqlClient, orgId: string): Promise<void> {
    const sql = "UPDATE one_time_codes SET used_at = ? WHERE kind = 'setup' AND org_id = ? AND used_at IS NULL";
    await db.run(sql, [this.now(), orgId]);
  }

  private async voidInviteCodes(db: SqlClient, userId: string): Promise<void> {
    const sql = "UPDATE one_time_codes SET used_at = ? WHERE kind = 'invite' AND user_id = ? AND used_at IS NULL";
    await db.run(sql, [this.now(), userId]);
  }

  private revokeTokensOf(db: SqlClient, userId: string): Promise<number> {
    return db.run('UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [this.now(), userId]);
  }

  private async insertCode(
    db: SqlClient,
    kind: CodeRow['kind'],
    orgId: string,
    userId: string | null,
    ttlMs: number,
  ): Promise<OneTimeCode> {
    const code = newCode();
    const now = this.now();
    await db.run(
      `INSERT INTO one_time_codes (id, kind, org_id, user_id, hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [newId(), kind, orgId, userId, hashSecret(normalizeCode(code)), now, now + ttlMs],
    );
    return { code, expiresAt: iso(now + ttlMs) };
  }

  /** Marks a live code used. Conditional, so of two redeems that both saw it live only one can take it. */
  private async useCode(db: SqlClient, code: CodeRow): Promise<void> {
    const taken = await db.run('UPDATE one_time_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [this.now(), code.id]);
    if (taken !== 1) throw CODE_REFUSALS.used(code.kind);
  }

  /**
   * The unused, unexpired code of this kind, or why not: `code_unknown`, `code_used` (also a code voided by
   * a newer one), `code_expired`, then `code_is_setup` / `code_is_invite` for a live code of the other kind
   * (checked last, so a dead code of the other kind is simply dead, and nothing is asked for in vain).
   */
  private async liveCode(db: SqlClient, typed: string, kind: CodeRow['kind']): Promise<CodeRow> {
    const normalized = normalizeCode(typed);
    if (!isWellFormedCode(normalized)) throw CODE_REFUSALS.unknown();
    const row = await db.one<CodeRow>(
      'SELECT id, kind, org_id, user_id, expires_at, used_at FROM one_time_codes WHERE hash = ?',
      [hashSecret(normalized)],
    );
    if (!row) throw CODE_REFUSALS.unknown();
    if (row.used_at !== null) throw CODE_REFUSALS.used(row.kind);
    if (row.expires_at <= this.now()) throw CODE_REFUSALS.expired(row.kind);
    if (row.kind !== kind) throw CODE_REFUSALS.wrongKind(row.kind);
    return row;
  }

  private async emitRevoked(event: AccessRevoked): Promise<void> {
    for (const listener of this.revokedListeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not undo or hide a revocation that is already committed.
        console.error('accounts: access-revoked listener failed', error);
      }
    }
    // Other processes on the shared database (the admin CLI, other nodes without Redis) re-check their sockets.
    if (this.db instanceof PgSqlDatabase) {
      const notice: AccessNotice = { origin: this.origin, userId: event.userId };
      await this.db.notify(ACCESS_CHANNEL, JSON.stringify(notice)).catch((error: unknown) => console.error('accounts: could not notify other nodes', error));
    }
  }
}

/** The PostgreSQL channel on which stores say that someone's access was revoked. */
const ACCESS_CHANNEL = 'crewline_access_revoked';

interface AccessNotice {
  /** The sending store, which passes over its own notices. */
  origin: string;
  userId: string;
}

/** A notice's payload, or null for one this version does not read (every connection is then rechecked). */
function parseNotice(payload: string): AccessNotice | null {
  try {
    const value = JSON.parse(payload) as Partial<AccessNotice> | null;
    return typeof value?.origin === 'string' && typeof value.userId === 'string' ? { origin: value.origin, userId: value.userId } : null;
  } catch {
    return null;
  }
}

const providerTaken = () =>
  new AccountError('conflict', 'Another user of this organization is already linked to this provider', 'providerId');
