import { z } from 'zod';
import { fail, ok, ROLES, type ErrorCode, type Handlers, type RequestName, type Result } from '../../../core/index';
import type { InviteCode, TeamUser } from '../../../core/sync/team';
import type { SyncClient } from '../sync/sync-client';

type TeamRequestName = Extract<RequestName, `team:${string}`>;

/** A user as the server's admin API answers it (sync-server/README.md); unknown extra fields are ignored. */
const adminUser = z
  .object({
    id: z.string().min(1),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    providerId: z.string().optional(),
    disabled: z.boolean(),
    hasPassword: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .transform(({ providerId, ...user }): TeamUser => ({ ...user, providerId: providerId ?? null }));

const inviteCode = z.object({ inviteCode: z.string().min(1), inviteExpiresAt: z.string() });
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

/** What the server's HTTP status means for the console (its message is kept). */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
};

export interface TeamApiOptions {
  timeoutMs?: number;
}

/**
 * The `team:*` requests of the contract: the sync server's user administration (admin endpoints), called
 * with this workspace's server address and the sync client's token, so the Team screen never sees a
 * credential. Server errors keep their message; those naming a field reach that form field.
 */
export function teamHandlers(sync: SyncClient | null, options: TeamApiOptions = {}): Pick<Handlers, TeamRequestName> {
  const call = async <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, answer: z.ZodType<T>): Promise<Result<T>> => {
    const session = sync?.serverSession() ?? null;
    if (!session) return fail('unauthenticated', 'Sign in to a Crewline server first (Sync)');
    let response: Response;
    try {
      response = await fetch(`${session.serverUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${session.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        redirect: 'error',
      });
    } catch {
      return fail('unavailable', `Cannot reach the server at ${session.serverUrl}: try again when it is back`);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) return serverError(response.status, json);
    const parsed = answer.safeParse(json);
    if (!parsed.success) return fail('unavailable', 'The server answered with something unexpected');
    return ok(parsed.data);
  };

  return {
    'team:listUsers': () => call('GET', '/api/admin/users', undefined, z.object({ users: z.array(adminUser) })),
    'team:invite': ({ email, name, role, providerId }) =>
      call(
        'POST',
        '/api/admin/users',
        { email, name, role, ...(providerId ? { providerId } : {}) },
        // Without a password the server always answers an invite code; its absence is a broken server.
        z.object({ user: adminUser }).and(inviteCode),
      ),
    'team:updateUser': ({ id, role, disabled }) => {
      if (role === undefined && disabled === undefined) return fail('validation', 'Nothing to change: give role or disabled');
      return call('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { role, disabled }, z.object({ user: adminUser }));
    },
    'team:revokeSessions': ({ id }) =>
      call('POST', `/api/admin/users/${encodeURIComponent(id)}/revoke-tokens`, {}, z.object({ revoked: z.number().int().min(0) })),
    'team:newInviteCode': ({ id }) =>
      call('POST', `/api/admin/users/${encodeURIComponent(id)}/invite-code`, {}, inviteCode) as Promise<Result<InviteCode>>,
  };
}

function serverError(status: number, json: unknown): Result<never> {
  const parsed = errorBody.safeParse(json);
  const code = STATUS_CODES[status] ?? 'unavailable';
  if (!parsed.success) return fail(code, `The server answered ${status}`);
  const { message, field } = parsed.data.error;
  if (status === 401) return fail(code, `The server no longer accepts this sign-in (${message}): sign in again`);
  if (!field) return fail(code, message);
  // The server prefixes validation messages with their field ("email: Must be ..."); the form shows the field.
  const prefix = `${field}: `;
  return fail(code, message, { fieldErrors: { [field]: message.startsWith(prefix) ? message.slice(prefix.length) : message } });
}
