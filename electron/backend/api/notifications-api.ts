import { z } from 'zod';
import { ok, type Handlers, type RequestName, type Result } from '../../../core/index';
import { NOTIFICATION_STATUSES, type NotificationEntry } from '../../../core/sync/notification-log';
import type { SyncClient } from '../sync/sync-client';
import { callServer, type ServerCallOptions } from './server-call';

type NotificationRequestName = Extract<RequestName, `notifications:${string}`>;

/** A notification as the server's admin API answers it (sync-server/README.md); extra fields are ignored. */
const entry = z.object({
  id: z.number().int(),
  kind: z.enum(['batch', 'daily']),
  status: z.enum(NOTIFICATION_STATUSES),
  channel: z.enum(['email', 'sms', 'chat', 'none']),
  recipient: z.object({ kind: z.enum(['provider', 'customer']), id: z.string(), name: z.string(), address: z.string() }),
  subject: z.string().nullable(),
  bookings: z.array(z.object({ bookingId: z.string(), kinds: z.array(z.string()) })),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  holdUntil: z.string().nullable(),
}) satisfies z.ZodType<NotificationEntry>;

const list = z.object({ notifications: z.array(entry) });
const one = z.object({ notification: entry });

/**
 * The `notifications:*` requests: the sync server's notification log, called with this workspace's server
 * address and the sync client's token (the renderer never holds it), like the Team screen's requests.
 */
export function notificationHandlers(sync: SyncClient | null, options: ServerCallOptions = {}): Pick<Handlers, NotificationRequestName> {
  const call = async <T>(method: 'GET' | 'POST', path: string, body: unknown, answer: z.ZodType<T>): Promise<Result<T>> => {
    const result = await callServer(sync, options, method, path, body, answer);
    return result.ok ? ok(result.value.answer) : result;
  };

  return {
    'notifications:listForBooking': ({ bookingId }) =>
      call('GET', `/api/admin/notifications?bookingId=${encodeURIComponent(bookingId)}`, undefined, list),
    'notifications:listDeadLetters': () => call('GET', '/api/admin/notifications/dead-letters', undefined, list),
    'notifications:retry': ({ id }) => call('POST', `/api/admin/notifications/${id}/retry`, {}, one),
    'notifications:resendDaily': ({ providerId, date }) => call('POST', '/api/admin/daily-schedule/resend', { providerId, date }, one),
  };
}
