/**
 * The notification log for admins (own organization only; sync-server/README.md "Notifications"):
 * - `GET /api/admin/notifications?bookingId=<id>&limit=<n>` — what was sent about a job (or the latest
 *   messages), to whom, on which channel, status, attempts, last error, when sent. Dispatchers may read it
 *   too: the job panel shows it to whoever plans the job;
 * - `GET /api/admin/notifications/dead-letters` — messages given up on, with the reason;
 * - `POST /api/admin/notifications/<id>/retry` — a dead letter back in the queue (same idempotency key);
 * - `POST /api/admin/daily-schedule/resend {providerId, date}` — one provider's daily schedule again.
 */
import { listText, pluralWord } from '../../../core/format';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ID_PATTERN } from '../../../core/ids';
import { localDateSchema } from '../../../core/model';
import type { Authenticator, Principal } from '../auth/principal';
import { HttpError, readJsonBody, sendJson } from '../http/http-util';
import { createRouter, requirePrincipal, type Route } from '../http/router';
import type { OutboxItem, OutboxRow } from './notification-store';
import type { NotificationWorker } from './worker';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A message as the API describes it (never its idempotency key's secrets: there are none, it is shown). */
export function publicNotification(row: OutboxRow & { items?: OutboxItem[] }) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    channel: row.channel,
    recipient: { kind: row.recipientKind, id: row.recipientId, name: row.recipientName, address: row.address },
    subject: row.subject,
    text: row.text,
    bookings: (row.items ?? []).map((item) => ({ bookingId: item.bookingId, kinds: item.kinds })),
    attempts: row.attempts,
    lastError: row.lastError,
    idempotencyKey: row.idempotencyKey,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    holdUntil: iso(row.holdUntil),
    nextAttemptAt: iso(row.nextAttemptAt),
    sentAt: iso(row.sentAt),
    sentVia: row.sentVia,
  };
}

const resendInput = z.strictObject({
  providerId: z.string().regex(ID_PATTERN, 'Must be a provider id'),
  date: localDateSchema,
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : undefined;
  const message = issue.code === 'unrecognized_keys' ? `Unknown ${pluralWord(issue.keys.length, 'field')}: ${listText(issue.keys)}` : issue.message;
  throw new HttpError(400, 'validation', field ? `${field}: ${message}` : message, field);
}

export function createNotificationRoutes(auth: Authenticator, worker: NotificationWorker) {
  const planner = async (req: IncomingMessage): Promise<Principal> => {
    const principal = await requirePrincipal(req, auth);
    if (principal.role !== 'admin' && principal.role !== 'dispatcher') {
      throw new HttpError(403, 'forbidden', 'Only admins and dispatchers can read the notification log');
    }
    return principal;
  };
  const admin = async (req: IncomingMessage): Promise<Principal> => {
    const principal = await requirePrincipal(req, auth);
    if (principal.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only admins can do this');
    return principal;
  };
  const query = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').searchParams;

  const routes: Route[] = [
    {
      pattern: /^\/api\/admin\/notifications$/,
      methods: {
        GET: async (req, res) => {
          const principal = await planner(req);
          const params = query(req);
          const bookingId = params.get('bookingId');
          const limitText = params.get('limit');
          const limit = limitText === null ? 100 : Number(limitText);
          if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
            throw new HttpError(400, 'validation', 'limit: Must be a whole number from 1 to 500', 'limit');
          }
          if (bookingId !== null && !ID_PATTERN.test(bookingId)) {
            throw new HttpError(400, 'validation', 'bookingId: Must be a booking id', 'bookingId');
          }
          const rows = bookingId
            ? await worker.store.listForBooking(principal.orgId, bookingId, limit)
            : await worker.store.listRecent(principal.orgId, limit);
          sendJson(res, 200, { notifications: rows.map(publicNotification) });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/notifications\/dead-letters$/,
      methods: {
        GET: async (req, res) => {
          const principal = await admin(req);
          sendJson(res, 200, { notifications: (await worker.store.listRecent(principal.orgId, 500, 'dead')).map(publicNotification) });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/notifications\/([^/]+)\/retry$/,
      methods: {
        POST: async (req, res, params) => {
          const principal = await admin(req);
          const id = /^[1-9]\d{0,15}$/.test(params[0] ?? '') ? Number(params[0]) : null;
          const result = id === null ? 'not_found' : await worker.retryDead(principal.orgId, id);
          if (result === 'not_found') throw new HttpError(404, 'not_found', 'No such notification in your organization');
          if (result === 'not_dead') throw new HttpError(409, 'conflict', 'Only a dead letter can be retried');
          sendJson(res, 200, { notification: publicNotification(result) });
        },
      },
    },
    {
      pattern: /^\/api\/admin\/daily-schedule\/resend$/,
      methods: {
        POST: async (req, res) => {
          const principal = await admin(req);
          const input = parseBody(resendInput, await readJsonBody(req));
          const result = await worker.resendDaily(principal.orgId, input.providerId, input.date);
          if (!result.ok) {
            throw new HttpError(result.status, result.code, result.field ? `${result.field}: ${result.message}` : result.message, result.field);
          }
          sendJson(res, 202, { notification: publicNotification(result.value) });
        },
      },
    },
  ];
  return createRouter(routes);
}
