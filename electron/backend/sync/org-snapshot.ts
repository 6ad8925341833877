import * as Y from 'yjs';
import { fail, ok, rosterMaps, scheduleMaps, type Result } from '../../../core/index';
import { roomName } from '../../../core/sync/rooms';
import { DOC_NAMES, type DocName } from '../store/doc-log';
import { RoomConnection } from './room-connection';

export interface OrgSnapshot {
  states: Record<DocName, Uint8Array>;
  /** No settings, providers, customers, services or bookings on the server. */
  empty: boolean;
}

/** Nothing a dispatcher would miss: no settings, providers, customers, services or bookings. */
export function isOrgEmpty(docs: Record<DocName, Y.Doc>): boolean {
  const roster = rosterMaps(docs.roster);
  return (
    roster.settings.size === 0 &&
    roster.providers.size === 0 &&
    roster.customers.size === 0 &&
    roster.services.size === 0 &&
    scheduleMaps(docs.schedule).bookings.size === 0
  );
}

/**
 * The organization's documents as the server has them now: both rooms joined with throwaway documents
 * until their handshakes finish, then left. Used to decide between upload and replace, and as the new
 * content of a replaced workspace.
 */
export async function fetchOrgSnapshot(options: {
  syncUrl: string;
  token: string;
  orgId: string;
  timeoutMs?: number;
}): Promise<Result<OrgSnapshot>> {
  const docs: Record<DocName, Y.Doc> = { roster: new Y.Doc(), schedule: new Y.Doc() };
  const rooms: RoomConnection[] = [];
  try {
    const outcome = await new Promise<Result<null>>((resolve) => {
      const timer = setTimeout(
        () => resolve(fail('unavailable', 'The server did not send the organization in time; try again')),
        options.timeoutMs ?? 30_000,
      );
      const check = () => {
        const refused = rooms.find((r) => r.refusedWith !== null);
        if (refused) {
          clearTimeout(timer);
          resolve(fail('unauthenticated', `The server refused the organization's documents (${refused.refusedWith})`));
        } else if (rooms.length === DOC_NAMES.length && rooms.every((r) => r.synced)) {
          clearTimeout(timer);
          resolve(ok(null));
        }
      };
      for (const name of DOC_NAMES) {
        rooms.push(
          new RoomConnection({
            syncUrl: options.syncUrl,
            room: roomName(options.orgId, name),
            token: options.token,
            doc: docs[name],
            apply: (_kind, apply) => apply(),
            onChange: check,
          }),
        );
      }
      // Nobody needs to see a console that is only looking.
      for (const room of rooms) room.awareness.setLocalState(null);
      for (const room of rooms) room.connect();
    });
    if (!outcome.ok) return outcome;
    return ok({
      states: { roster: Y.encodeStateAsUpdate(docs.roster), schedule: Y.encodeStateAsUpdate(docs.schedule) },
      empty: isOrgEmpty(docs),
    });
  } finally {
    for (const room of rooms) room.destroy();
    for (const doc of Object.values(docs)) doc.destroy();
  }
}
