// Same two documents as the desktop store (electron/backend/store/doc-log.ts DOC_NAMES).

/**
 * Room names double as document ids (docs/design.md §4): `org/<orgId>/roster`, `org/<orgId>/schedule`.
 * Parsing is strict on the raw text: no decoding, no case folding, no dot segments. A name that does not
 * match exactly is refused, so `org/A/../B/roster`, `%2F`-encoded or upper-case variants never reach a room.
 */
export const ROOM_DOCS = ['roster', 'schedule'] as const;
export type RoomDoc = (typeof ROOM_DOCS)[number];

/** Organization ids are lower-case UUIDs (v7 for new ones). */
export const ORG_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROOM_PATTERN = /^org\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(roster|schedule)$/;

export interface RoomName {
  orgId: string;
  doc: RoomDoc;
}

export function roomName(orgId: string, doc: RoomDoc): string {
  if (!ORG_ID_PATTERN.test(orgId)) throw new Error(`Not an organization id: ${JSON.stringify(orgId)}`);
  return `org/${orgId}/${doc}`;
}

export function parseRoomName(name: string): RoomName | null {
  const match = ROOM_PATTERN.exec(name);
  return match ? { orgId: match[1]!, doc: match[2] as RoomDoc } : null;
}

