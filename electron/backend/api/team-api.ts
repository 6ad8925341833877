import { z } from 'zod';
import { fail, ok, ROLES, type Handlers, type RequestName, type Result } from '../../../core/index';
import type { CalendarFeed, InviteCode, TeamUser } from '../../../core/sync/team';
import type { SyncClient } from '../sync/sync-client';
import { callServer, type ServerCallOptions } from './server-call';

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
/** The server's feed answer; the console builds the address from the server address it signed in to. */
const calendarFeed = z.object({ providerId: z.string(), path: z.string().regex(/^\/api\/calendar\/[A-Za-z0-9_-]+\.ics$/), createdAt: z.string() });


export type TeamApiOptions = ServerCallOptions;

/**
 * The `team:*` requests of the contract: the sync server's user administration and providers' calendar feed
 * addresses (admin endpoints), called
 * with this workspace's server address and the sync client's token, so the Team screen never sees a
 * credential. Server errors keep their message; those naming a field reach that form field.
 */
export function teamHandlers(sync: SyncClient | null, options: TeamApiOptions = {}): Pick<Handlers, TeamRequestName> {
  const call = async <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, answer: z.ZodType<T>): Promise<Result<T>> => {
    const result = await callServer(sync, options, method, path, body, answer);
    return result.ok ? ok(result.value.answer) : result;
  };


  /** A feed with its full address: the path on the server this workspace signed in to (a proxy's https too). */
  const feed = async (method: 'GET' | 'POST', providerId: string): Promise<Result<CalendarFeed>> => {
    const path = `/api/admin/providers/${encodeURIComponent(providerId)}/calendar-feed`;
    const result = await callServer(sync, options, method, path, method === 'POST' ? {} : undefined, calendarFeed);
    if (!result.ok) return result;
    const { answer, serverUrl } = result.value;
    return ok({ providerId: answer.providerId, url: `${serverUrl.replace(/\/+$/, '')}${answer.path}`, createdAt: answer.createdAt });
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
    'team:getCalendarFeed': ({ providerId }) => feed('GET', providerId),
    'team:regenerateCalendarFeed': ({ providerId }) => feed('POST', providerId),
  };
}
