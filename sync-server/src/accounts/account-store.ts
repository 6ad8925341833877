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
import { SqliteAttemptLog } from './sqlite-attempt-log';
import {
  DEFAULT_SCRYPT,
  hashPassword,
  needsRehash,
  unusableHash,
  verifyPassword,
  type ScryptParams,
} from './passwords';
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

function isUniqueViolation(error: unknown, column: string): boolean {
  return error instanceof Error && /UNIQUE constraint failed/.test(error.message) && error.message.includes(column);
}

/**
 * Organizations, users, bearer tokens and one-time codes in `<dataDir>/accounts.sqlite`.
 * Every method that acts for an admin takes the admin's orgId and treats a user of another organization
 * exactly like a user that does not exist.
 */
export class AccountStore implements Authenticator {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly scrypt: ScryptParams;
  private readonly now: () => number;
  private readonly setupCodeTtlMs: number;
  private readonly inviteCodeTtlMs: number;
  private readonly throttle: LoginThrottle;
  /** Prepared once: authenticate runs on every request and connection. */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly revokedListeners = new Set<(event: AccessRevoked) => void>();
  /** Verified against for unknown emails, so they cost the same scrypt work as a wrong password. */
  private readonly unusableHash: string;

  static open(dataDir: string, options: AccountStoreOptions = {}): AccountStore {
    mkdirSync(dataDir, { recursive: true });
    return new AccountStore(join(dataDir, ACCOUNTS_FILE), options);
  }

  private constructor(path: string, options: AccountStoreOptions) {
    this.path = path;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.unusableHash = unusableHash(this.scrypt);
    this.now = options.now ?? Date.now;
    this.setupCodeTtlMs = options.setupCodeTtlMs ?? DAY_MS;
    this.inviteCodeTtlMs = options.inviteCodeTtlMs ?? 7 * DAY_MS;
    this.db = new Database(path);
    // The admin CLI may write while the server runs: wait for its lock rather than fail.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    // A revocation or password change must survive a power cut, not only a crash.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    migrateAccounts(this.db);
    this.throttle = new LoginThrottle({ ...options.throttle, now: this.now }, new SqliteAttemptLog(this.db));
  }

  close(): void {
    this.db.close();
  }

  /** Called after tokens stop being valid (logout, revoke, disable, role or password change). */
  onAccessRevoked(listener: (event: AccessRevoked) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  // --- Authentication ----------------------------------------------------------------------------------

  authenticate(token: string): Principal | null {
    const row = this.tokenRow(token);
    if (!row) return null;
    const now = this.now();
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
      this.stmt('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(now, row.token_id);
    }
    return toPrincipal(row);
  }

  /**
   * Who a token is now, like `authenticate` but without recording a use: re-checking the open connections
   * after another process changed accounts is not the user doing anything.
   */
  lookup(token: string): Principal | null {
    const row = this.tokenRow(token);
    return row ? toPrincipal(row) : null;
  }

  /**
   * SQLite's `PRAGMA data_version`: it changes when another connection — the admin CLI, any other process —
   * commits to accounts.sqlite, and never for this store's own writes, which emit `onAccessRevoked` directly.
   */
  foreignCommitVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /**
   * Unknown email, a user with no password yet and a wrong password give the same error after the same
   * scrypt work, so the answer and its timing do not tell which emails have accounts.
   */
  async login(input: LoginInput, context: ClientContext = {}): Promise<LoginResult> {
    const { email, password } = parseInput(LoginInput, input);
    const throttleKey = `${email}\n${context.ip ?? ''}`;
    // Counted before scrypt runs, so parallel guesses cannot all be checked before the first one fails.
    this.throttle.begin(throttleKey);
    const row = this.userByEmail(email);
    const storedHash = row?.password_hash ?? this.unusableHash;
    const matches = await verifyPassword(password, storedHash);
    if (!row || row.password_hash === null || !matches) throw invalidCredentials();
    this.throttle.succeeded(throttleKey);
    let expectedHash = storedHash;
    if (needsRehash(storedHash, this.scrypt)) {
      const rehashed = await hashPassword(password, this.scrypt);
      const sql = 'UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?';
      const { changes } = this.stmt(sql).run(rehashed, row.id, storedHash);
      if (changes === 1) expectedHash = rehashed;
    }
    return this.db.transaction(() => {
      // Re-read: the user may have been disabled or given a new password while scrypt ran.
      const current = this.userById(row.id);
      if (!current || current.password_hash !== expectedHash) throw invalidCredentials();
      if (current.disabled) throw new AccountError('account_disabled', 'This account is disabled; ask your admin');
      return this.issueToken(current, context.label ?? 'sign-in');
    })();
  }

  /** Revokes one token (the one a request signed in with). False if it was already revoked or unknown. */
  logout(tokenId: string): boolean {
    const owner = this.one<{ user_id: string }>(
      'SELECT user_id FROM tokens WHERE id = ? AND revoked_at IS NULL',
      tokenId,
    );
    if (!owner) return false;
    this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), tokenId);
    this.emitRevoked({ userId: owner.user_id, reason: 'logout' });
    return true;
  }

  /** Signs a user out everywhere. Org-scoped: another organization's user is `not_found`. */
  revokeAllForUser(orgId: string, userId: string): number {
    this.requireUser(orgId, userId);
    const count = this.revokeTokensOf(userId);
    this.emitRevoked({ userId, reason: 'revoked' });
    return count;
  }

  // --- Organizations and first start -------------------------------------------------------------------

  async createOrganization(input: CreateOrganizationInput): Promise<{ org: Organization; admin?: AccountUser }> {
    const { name, admin } = parseInput(CreateOrganizationInput, input);
    const passwordHash = admin ? await hashPassword(admin.password, this.scrypt) : null;
    try {
      return this.db.transaction(() => {
        const org = this.insertOrganization(name);
        if (!admin || passwordHash === null) return { org };
        const user = this.insertUser(org.id, { email: admin.email, name: admin.name, role: 'admin' }, passwordHash);
        return { org: { ...org, userCount: 1 }, admin: toUser(user) };
      })();
    } catch (error) {
      // Name the field as the caller gave it: the admin's email is `admin.email` here.
      if (error instanceof AccountError && error.field) {
        throw new AccountError(error.code, error.message, `admin.${error.field}`);
      }
      throw error;
    }
  }

  listOrganizations(): Organization[] {
    return this.many<{ id: string; name: string; created_at: number; user_count: number }>(
      `SELECT o.id, o.name, o.created_at, (SELECT count(*) FROM users u WHERE u.org_id = o.id) AS user_count
         FROM organizations o ORDER BY o.created_at, o.id`,
    ).map((row) => ({ id: row.id, name: row.name, createdAt: iso(row.created_at), userCount: row.user_count }));
  }

  getOrganization(orgId: string): Organization | null {
    return this.listOrganizations().find((org) => org.id === orgId) ?? null;
  }

  /**
   * First start: with no organization yet, create one — with the given admin, or with a one-time setup
   * code for the first admin. Later starts change nothing once the server has a user. Until then (the
   * printed code was lost or expired) each start adds the given admin, or issues a fresh code and voids
   * the old ones.
   */
  async ensureFirstOrganization(
    input: BootstrapInput = {},
  ): Promise<{ orgId: string; created: boolean; setupCode?: OneTimeCode }> {
    const options = parseInput(BootstrapInput, input);
    const existing = this.listOrganizations()[0];
    if (existing && this.stmt('SELECT 1 FROM users LIMIT 1').get()) return { orgId: existing.id, created: false };
    const admin =
      options.adminEmail !== undefined && options.adminPassword !== undefined
        ? { email: options.adminEmail, name: options.adminName ?? 'Admin', password: options.adminPassword }
        : undefined;
    if (!existing) {
      const { org } = await this.createOrganization({ name: options.orgName ?? 'My organization', admin });
      return { orgId: org.id, created: true, ...(admin ? {} : { setupCode: this.issueSetupCode(org.id) }) };
    }
    if (!admin) return { orgId: existing.id, created: false, setupCode: this.issueSetupCode(existing.id) };
    const passwordHash = await hashPassword(admin.password, this.scrypt);
    this.db.transaction(() => {
      this.insertUser(existing.id, { email: admin.email, name: admin.name, role: 'admin' }, passwordHash);
      this.voidSetupCodes(existing.id);
    })();
    return { orgId: existing.id, created: false };
  }

  /** A setup code for an organization's first admin; earlier unused setup codes of that organization stop working. */
  issueSetupCode(orgId: string): OneTimeCode {
    if (!this.getOrganization(orgId)) throw new AccountError('not_found', 'No such organization');
    return this.db.transaction(() => {
      this.voidSetupCodes(orgId);
      return this.insertCode('setup', orgId, null, this.setupCodeTtlMs);
    })();
  }

  /** Creates the organization's admin named in the code and signs them in. */
  async redeemSetupCode(input: SetupInput, context: ClientContext = {}): Promise<LoginResult> {
    const { code, email, name, password } = parseInput(SetupInput, input);
    // Check before the slow hash so a wrong code fails fast, and again inside the transaction.
    this.liveCode(code, 'setup');
    const passwordHash = await hashPassword(password, this.scrypt);
    return this.db.transaction(() => {
      const found = this.liveCode(code, 'setup');
      this.stmt('UPDATE one_time_codes SET used_at = ? WHERE id = ?').run(this.now(), found.id);
      const user = this.insertUser(found.org_id, { email, name, role: 'admin' }, passwordHash);
      return this.issueToken(user, context.label ?? 'setup');
    })();
  }

  // --- Users (admin) -----------------------------------------------------------------------------------

  listUsers(orgId: string): UserRecord[] {
    return this.many<UserRow>('SELECT * FROM users WHERE org_id = ? ORDER BY name COLLATE NOCASE, email', orgId)
      .map(toRecord);
  }

  getUser(orgId: string, userId: string): UserRecord {
    return toRecord(this.requireUser(orgId, userId));
  }

  /**
   * Adds a user to `orgId`. With a password they can sign in at once; without one the answer carries an
   * invite code that they redeem to choose their password.
   */
  async inviteUser(orgId: string, input: InviteUserInput): Promise<{ user: UserRecord; invite?: OneTimeCode }> {
    const { password, ...fields } = parseInput(InviteUserInput, input);
    if (!this.getOrganization(orgId)) throw new AccountError('not_found', 'No such organization', 'org');
    const passwordHash = password === undefined ? null : await hashPassword(password, this.scrypt);
    return this.db.transaction(() => {
      const row = this.insertUser(orgId, fields, passwordHash);
      const invite = passwordHash === null ? this.insertCode('invite', orgId, row.id, this.inviteCodeTtlMs) : undefined;
      return { user: toRecord(row), ...(invite ? { invite } : {}) };
    })();
  }

  /**
   * A fresh invite code for a user (a lost invite, or a password reset an admin hands over). Earlier unused
   * codes of that user stop working.
   */
  issueInviteCode(orgId: string, userId: string): OneTimeCode {
    this.requireUser(orgId, userId);
    return this.db.transaction(() => {
      this.voidInviteCodes(userId);
      return this.insertCode('invite', orgId, userId, this.inviteCodeTtlMs);
    })();
  }

  /** Sets the password named by an invite code, signs the user out elsewhere and signs them in here. */
  async redeemInviteCode(input: RedeemInviteInput, context: ClientContext = {}): Promise<LoginResult> {
    const { code, password } = parseInput(RedeemInviteInput, input);
    this.liveCode(code, 'invite');
    const passwordHash = await hashPassword(password, this.scrypt);
    const result = this.db.transaction(() => {
      const found = this.liveCode(code, 'invite');
      const user = this.userById(found.user_id!);
      if (!user) throw CODE_REFUSALS.unknown();
      if (user.disabled) throw new AccountError('account_disabled', 'This account is disabled; ask your admin');
      this.stmt('UPDATE one_time_codes SET used_at = ? WHERE id = ?').run(this.now(), found.id);
      this.setPasswordHash(user.id, passwordHash);
      this.revokeTokensOf(user.id);
      return this.issueToken({ ...user, password_hash: passwordHash }, context.label ?? 'invite');
    })();
    this.emitRevoked({ userId: result.user.id, reason: 'password_changed' });
    return result;
  }

  /**
   * Changes role, name, provider link and/or the disabled flag in one transaction. Disabling revokes the
   * user's tokens. The last active admin of an organization can be neither demoted nor disabled.
   */
  updateUser(orgId: string, userId: string, patch: UpdateUserInput): UserRecord {
    const changes = parseInput(UpdateUserInput, patch);
    const { row, revoked } = this.db.transaction(() => {
      const before = this.requireUser(orgId, userId);
      const role = changes.role ?? before.role;
      const disabled = changes.disabled === undefined ? before.disabled === 1 : changes.disabled;
      const wasActiveAdmin = before.role === 'admin' && before.disabled === 0 && before.password_hash !== null;
      const losesAdmin = wasActiveAdmin && (role !== 'admin' || disabled);
      if (losesAdmin && this.otherActiveAdmins(orgId, userId) === 0) {
        throw new AccountError(
          'conflict',
          'An organization needs at least one active admin: add or promote another admin first',
          changes.role !== undefined && role !== 'admin' ? 'role' : 'disabled',
        );
      }
      const providerId = changes.providerId === undefined ? before.provider_id : changes.providerId;
      try {
        const sql = 'UPDATE users SET role = ?, disabled = ?, name = ?, provider_id = ?, updated_at = ? WHERE id = ?';
        this.stmt(sql).run(role, disabled ? 1 : 0, changes.name ?? before.name, providerId, this.now(), userId);
      } catch (error) {
        if (isUniqueViolation(error, 'provider_id')) throw providerTaken();
        throw error;
      }
      const becameDisabled = disabled && before.disabled === 0;
      if (becameDisabled) this.revokeTokensOf(userId);
      const reason: AccessRevoked['reason'] | null = becameDisabled
        ? 'disabled'
        : role !== before.role
          ? 'role_changed'
          : null;
      return { row: this.userById(userId)!, revoked: reason };
    })();
    // Role changes keep the tokens (the next lookup sees the new role) but live connections must re-check.
    if (revoked) this.emitRevoked({ userId, reason: revoked });
    return toRecord(row);
  }

  disableUser(orgId: string, userId: string): UserRecord {
    return this.updateUser(orgId, userId, { disabled: true });
  }

  enableUser(orgId: string, userId: string): UserRecord {
    return this.updateUser(orgId, userId, { disabled: false });
  }

  changeRole(orgId: string, userId: string, role: Role): UserRecord {
    return this.updateUser(orgId, userId, { role });
  }

  /** Operator reset from the admin CLI: sets the password, clears pending codes and signs the user out. */
  async resetPassword(input: ResetPasswordInput): Promise<AccountUser> {
    const { email, password } = parseInput(ResetPasswordInput, input);
    const user = this.userByEmail(email);
    if (!user) throw new AccountError('not_found', `No user with email ${email}`, 'email');
    const passwordHash = await hashPassword(password, this.scrypt);
    this.db.transaction(() => {
      this.setPasswordHash(user.id, passwordHash);
      this.voidInviteCodes(user.id);
      this.revokeTokensOf(user.id);
    })();
    this.emitRevoked({ userId: user.id, reason: 'password_changed' });
    return toUser(user);
  }

  // --- Internals ---------------------------------------------------------------------------------------

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private one<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  private many<T>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  private tokenRow(token: string): TokenRow | undefined {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
    return this.one<TokenRow>(
      `SELECT t.id AS token_id, t.last_used_at, u.*
         FROM tokens t JOIN users u ON u.id = t.user_id
        WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`,
      hashSecret(token),
    );
  }

  private userByEmail(email: string): UserRow | undefined {
    return this.one<UserRow>('SELECT * FROM users WHERE email = ?', email);
  }

  private userById(id: string): UserRow | undefined {
    return this.one<UserRow>('SELECT * FROM users WHERE id = ?', id);
  }

  private requireUser(orgId: string, userId: string): UserRow {
    const row = this.userById(userId);
    if (!row || row.org_id !== orgId) throw userNotFound();
    return row;
  }

  private otherActiveAdmins(orgId: string, userId: string): number {
    return this.one<{ n: number }>(
      `SELECT count(*) AS n FROM users
        WHERE org_id = ? AND id != ? AND role = 'admin' AND disabled = 0 AND password_hash IS NOT NULL`,
      orgId,
      userId,
    )!.n;
  }

  private insertOrganization(name: string): Organization {
    const id = newId();
    // The id becomes part of room names (org/<id>/roster): it must pass the same strict pattern.
    if (!ORG_ID_PATTERN.test(id)) throw new Error(`Generated organization id does not match ORG_ID_PATTERN: ${id}`);
    const now = this.now();
    this.stmt('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)').run(id, name, now);
    return { id, name, createdAt: iso(now), userCount: 0 };
  }

  private insertUser(
    orgId: string,
    fields: { email: string; name: string; role: Role; providerId?: string },
    passwordHash: string | null,
  ): UserRow {
    const id = newId();
    const now = this.now();
    try {
      this.stmt(
        `INSERT INTO users (id, org_id, email, name, role, provider_id, password_hash, disabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      ).run(id, orgId, fields.email, fields.name, fields.role, fields.providerId ?? null, passwordHash, now, now);
    } catch (error) {
      if (isUniqueViolation(error, 'users.email')) {
        throw new AccountError('conflict', 'An account with this email already exists', 'email');
      }
      if (isUniqueViolation(error, 'provider_id')) throw providerTaken();
      throw error;
    }
    return this.userById(id)!;
  }

  private issueToken(user: UserRow, label: string): LoginResult {
    const token = newToken();
    const tokenId = newId();
    const sql = 'INSERT INTO tokens (id, user_id, hash, label, created_at) VALUES (?, ?, ?, ?, ?)';
    this.stmt(sql).run(tokenId, user.id, hashSecret(token), label.slice(0, 200), this.now());
    return { token, tokenId, user: toUser(user) };
  }

  private setPasswordHash(userId: string, passwordHash: string): void {
    this.stmt('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, this.now(), userId);
  }

  private voidSetupCodes(orgId: string): void {
    const sql = "UPDATE one_time_codes SET used_at = ? WHERE kind = 'setup' AND org_id = ? AND used_at IS NULL";
    this.stmt(sql).run(this.now(), orgId);
  }

  private voidInviteCodes(userId: string): void {
    const sql = "UPDATE one_time_codes SET used_at = ? WHERE kind = 'invite' AND user_id = ? AND used_at IS NULL";
    this.stmt(sql).run(this.now(), userId);
  }

  private revokeTokensOf(userId: string): number {
    const sql = 'UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL';
    return this.stmt(sql).run(this.now(), userId).changes;
  }

  private insertCode(kind: CodeRow['kind'], orgId: string, userId: string | null, ttlMs: number): OneTimeCode {
    const code = newCode();
    const now = this.now();
    this.stmt(
      `INSERT INTO one_time_codes (id, kind, org_id, user_id, hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(newId(), kind, orgId, userId, hashSecret(normalizeCode(code)), now, now + ttlMs);
    return { code, expiresAt: iso(now + ttlMs) };
  }

  /**
   * The unused, unexpired code of this kind, or why not: `code_unknown`, `code_used` (also a code voided by
   * a newer one), `code_expired`, then `code_is_setup` / `code_is_invite` for a live code of the other kind
   * (checked last, so a dead code of the other kind is simply dead, and nothing is asked for in vain).
   */
  private liveCode(typed: string, kind: CodeRow['kind']): CodeRow {
    const normalized = normalizeCode(typed);
    if (!isWellFormedCode(normalized)) throw CODE_REFUSALS.unknown();
    const row = this.one<CodeRow>(
      'SELECT id, kind, org_id, user_id, expires_at, used_at FROM one_time_codes WHERE hash = ?',
      hashSecret(normalized),
    );
    if (!row) throw CODE_REFUSALS.unknown();
    if (row.used_at !== null) throw CODE_REFUSALS.used(row.kind);
    if (row.expires_at <= this.now()) throw CODE_REFUSALS.expired(row.kind);
    if (row.kind !== kind) throw CODE_REFUSALS.wrongKind(row.kind);
    return row;
  }

  private emitRevoked(event: AccessRevoked): void {
    for (const listener of this.revokedListeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not undo or hide a revocation that is already committed.
        console.error('accounts: access-revoked listener failed', error);
      }
    }
  }
}

const providerTaken = () =>
  new AccountError('conflict', 'Another user of this organization is already linked to this provider', 'providerId');
