import type { IncomingMessage, ServerResponse } from 'node:http';
import { ID_PATTERN } from '../../../core/ids';
import { ACCOUNT_ERROR_STATUS, AccountError, parseInput } from '../accounts/account-errors';
import {
  InviteUserInput,
  LoginInput,
  RedeemInviteInput,
  SetupInput,
  UpdateUserInput,
} from '../accounts/account-inputs';
import type { AccountStore, AccountUser, ClientContext, UserRecord } from '../accounts/account-store';
import type { Principal } from '../auth/principal';
import { clientIp, HttpError, readJsonBody, sendJson } from './http-util';
import { createRouter, requirePrincipal, type Route } from './router';
import { silentLog, type Log } from '../log';

/** What the API says about a user: the docs/design.md §7 sign-in shape plus email. */
const publicUser = (user: AccountUser): AccountUser => ({
  id: user.id,
  orgId: user.orgId,
  email: user.email,
  name: user.name,
  role: user.role,
  ...(user.providerId === undefined ? {} : { providerId: user.providerId }),
});

const adminUser = (user: UserRecord) => ({
  ...publicUser(user),
  disabled: user.disabled,
  hasPassword: user.hasPassword,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});

function toHttpError(error: AccountError): HttpError {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (ACCOUNT_ERROR_STATUS[error.code] === 401) headers['WWW-Authenticate'] = 'Bearer';
  return new HttpError(ACCOUNT_ERROR_STATUS[error.code], error.code, error.message, error.field, headers);
}

const context = (req: IncomingMessage, label: string): ClientContext => {
  const agent = req.headers['user-agent'];
  return { ip: clientIp(req), label: typeof agent === 'string' && agent ? `${label}: ${agent}` : label };
};

// Bodies are parsed here for their types and again inside the store, which also serves the admin CLI.

/**
 * The accounts HTTP API (docs/design.md §7 sign-in, plus user administration). The returned function answers
 * the paths it owns and resolves true; for any other path it resolves false and touches nothing, so the
 * server composition can try its own routes next.
 */
export function createAccountRoutes(
  store: AccountStore,
  log: Log = silentLog,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const authenticated = (req: IncomingMessage): Promise<Principal> => requirePrincipal(req, store);

  const admin = async (req: IncomingMessage): Promise<Principal> => {
    const principal = await authenticated(req);
    if (principal.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only admins can manage users');
    return principal;
  };

  /** A user id from the path; a malformed one is simply a user that does not exist. */
  const targetUser = (params: readonly string[]): string => {
    const id = params[0] ?? '';
    if (!ID_PATTERN.test(id)) throw toHttpError(new AccountError('not_found', 'No such user in your organization'));
    return id;
  };

  const routes: Route[] = [
    {
      pattern: /^\/api\/auth\/login$/,
      methods: {
        POST: async (req, res) => {
          const body = await readJsonBody(req);
          const input = parseInput(LoginInput, body);
          let result;
          try {
            result = await store.login(input, context(req, 'sign-in'));
          } catch (error) {
            // Which email and from where, never the password typed.
            if (error instanceof AccountError) log.warn({ event: 'login_failed', code: error.code, email: input.email, ip: clientIp(req) }, 'sign-in refused');
            throw error;
          }
          log.info({ event: 'login', userId: result.user.id, ip: clientIp(req) }, 'signed in');
          sendJson(res, 200, { token: result.token, user: publicUser(result.user) });
        },
      },
    },
    {
      pattern: /^\/api\/auth\/logout$/,
      methods: {
        POST: async (req, res) => {
          const principal = await authenticated(req);
          await store.logout(principal.tokenId);
          sendJson(res, 200, { ok: true });
        },
      },
    },
    {
      pattern: /^\/api\/auth\/me$/,
      methods: {
        GET: async (req, res) => {
          const principal = await authenticated(req);
          const { userId: id, orgId, email, name, role, providerId } = principal;
          sendJson(res, 200, { user: publicUser({ id, orgId, email, name, role, providerId }) });
        },
      },
    },
    {
      pattern: /^\/api\/auth\/setup$/,
      methods: {
        POST: async (req, res) => {
          const body = await readJsonBody(req);
          const result = await store.redeemSetupCode(parseInput(SetupInput, body), context(req, 'setup'));
          sendJson(res, 201, { token: result.token, user: publicUser(result.user) });
        },
      },
    },
    {
      pattern: /^\/api\/auth\/redeem-invite$/,
      methods: {
        POST: async (req, res) => {
          const body = await readJsonBody(req);
          const result = await store.redeemInviteCode(parseInput(RedeemInviteInput, body), context(req, 'invite'));
          sendJson(res, 200, { token: result.token, user: publicUser(result.user) });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/users$/,
      methods: {
        GET: async (req, res) => {
          const principal = await admin(req);
          sendJson(res, 200, { users: (await store.listUsers(principal.orgId)).map(adminUser) });
        },
        POST: async (req, res) => {
          const principal = await admin(req);
          const body = await readJsonBody(req);
          const { user, invite } = await store.inviteUser(principal.orgId, parseInput(InviteUserInput, body));
          sendJson(res, 201, {
            user: adminUser(user),
            ...(invite ? { inviteCode: invite.code, inviteExpiresAt: invite.expiresAt } : {}),
          });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/users\/([^/]+)$/,
      methods: {
        PATCH: async (req, res, params) => {
          const principal = await admin(req);
          const userId = targetUser(params);
          const body = await readJsonBody(req);
          const user = await store.updateUser(principal.orgId, userId, parseInput(UpdateUserInput, body));
          sendJson(res, 200, { user: adminUser(user) });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/users\/([^/]+)\/revoke-tokens$/,
      methods: {
        POST: async (req, res, params) => {
          const principal = await admin(req);
          const revoked = await store.revokeAllForUser(principal.orgId, targetUser(params));
          sendJson(res, 200, { revoked });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/users\/([^/]+)\/invite-code$/,
      methods: {
        POST: async (req, res, params) => {
          const principal = await admin(req);
          const invite = await store.issueInviteCode(principal.orgId, targetUser(params));
          sendJson(res, 200, { inviteCode: invite.code, inviteExpiresAt: invite.expiresAt });
        },
      },
    },
  ];

  return createRouter(routes, (error) => (error instanceof AccountError ? toHttpError(error) : null));
}
