/**
 * Who may open which room, decided on the raw HTTP upgrade request before any WebSocket exists.
 *
 * `ws://host:port/sync/<room>?token=...`. The path is taken exactly as sent (no percent-decoding, no dot
 * segments resolved) and must be a room name `parseRoomName` accepts, so `org/<A>/../<B>/roster`,
 * `org%2F...`, upper-case ids, extra or trailing slashes never name a room. Order of checks and answers:
 * not under `/sync/` 404; no or unknown/revoked token 401; not a room name 404; another organization's
 * room 403; a technician (they use the field API, not the documents) 403. Viewers get the room read-only.
 */
import type { Duplex } from 'node:stream';
import { parseRoomName, type RoomName } from '../../../core/sync/rooms';
import type { Authenticator, Principal } from '../auth/principal';

export const SYNC_PATH_PREFIX = '/sync/';

export type UpgradeDecision =
  | { ok: true; principal: Principal; room: RoomName; name: string; token: string }
  | { ok: false; status: 401 | 403 | 404 | 503; reason: string };

export async function authorizeUpgrade(rawUrl: string, auth: Authenticator): Promise<UpgradeDecision> {
  const query = rawUrl.indexOf('?');
  const path = query === -1 ? rawUrl : rawUrl.slice(0, query);
  if (!path.startsWith(SYNC_PATH_PREFIX)) return { ok: false, status: 404, reason: 'Not found' };
  const tokens = new URLSearchParams(query === -1 ? '' : rawUrl.slice(query + 1)).getAll('token');
  if (tokens.length !== 1 || tokens[0] === '') return { ok: false, status: 401, reason: 'A token is required' };
  let principal: Principal | null;
  try {
    principal = await auth.authenticate(tokens[0]!);
  } catch {
    // The server logs the refusal (503) with its reason; the store's own error is not ours to explain here.
    return { ok: false, status: 503, reason: 'Sign-in is unavailable' };
  }
  if (!principal) return { ok: false, status: 401, reason: 'Unknown, expired or revoked token' };
  const name = path.slice(SYNC_PATH_PREFIX.length);
  const room = parseRoomName(name);
  if (!room) return { ok: false, status: 404, reason: 'No such room' };
  if (room.orgId !== principal.orgId) return { ok: false, status: 403, reason: 'This room belongs to another organization' };
  if (principal.role === 'technician') {
    return { ok: false, status: 403, reason: 'Technicians use the field API, not the sync rooms' };
  }
  return { ok: true, principal, room, name, token: tokens[0]! };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with a plain HTTP response and destroys the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const retry = status === 503 ? 'Retry-After: 5\r\n' : '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\n${retry}` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}
