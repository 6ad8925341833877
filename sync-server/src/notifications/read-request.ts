/**
 * A Save's notification request as the worker reads it (pure): checked with core's one schema
 * (`notificationRequestSchema` through `notificationRequestProblem`, the same check the server's update
 * rules make), so the worker, the rules and the desktop agree on what a request is. A request that does not
 * read is never a stopped worker: it comes back with the reason, and the jobs it names (when they can be
 * made out) get a `skipped` entry in their notification log saying why nothing was sent.
 */
import { notificationRequestProblem } from '../../../core/doc/record-checks';
import type { NotificationRequest } from '../../../core/doc/schedule';
import { ID_PATTERN } from '../../../core/ids';

export type ReadRequest =
  | { ok: true; request: NotificationRequest }
  | { ok: false; reason: string; bookingIds: string[]; createdAt: string };

export function readNotificationRequest(id: string, raw: unknown): ReadRequest {
  const problem = notificationRequestProblem(id, raw);
  if (problem === null) return { ok: true, request: raw as NotificationRequest };
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const listed = Array.isArray(value.bookingIds) ? (value.bookingIds as unknown[]).slice(0, 500) : [];
  const bookingIds = [...new Set(listed.filter((b): b is string => typeof b === 'string' && ID_PATTERN.test(b)))];
  const createdAt = typeof value.createdAt === 'string' ? value.createdAt.slice(0, 40) : '';
  return { ok: false, reason: problem, bookingIds, createdAt };
}

/** The job log's words for a request that could not be read. */
export const unreadableRequestReason = (reason: string) => `Not sent: this Save's notification request could not be read (${reason})`;
