import * as Y from 'yjs';
import { fail } from '../result';

/**
 * The organization's document format. Each change of how the documents are laid out (a new map, a value
 * stored differently) raises `DOC_SCHEMA_VERSION`, and the first write in the new format records it in the
 * roster document. An app that meets a format newer than its own reads what it can (readers are total) and
 * writes nothing, so it never writes a layout it does not know; the console says "update Crewline".
 *
 * Format 1 is the layout as it was when the version was introduced: documents without the mark are format 1.
 */
export const DOC_SCHEMA_VERSION = 2;

/** The roster document's top-level map holding the format; one key, `version`, only ever raised. */
export const SCHEMA_MAP = 'schema';
const VERSION_KEY = 'version';

/** The format the organization's documents are in (1 when unmarked; an unreadable mark counts as unknown-newer). */
export function docSchemaVersion(roster: Y.Doc): number {
  const value = roster.getMap<unknown>(SCHEMA_MAP).get(VERSION_KEY);
  if (value === undefined) return 1;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : Number.POSITIVE_INFINITY;
}

/**
 * Whether documents in `version` are newer than an app (or server) knowing format `known` can read safely:
 * the one comparison every refusal and mark below goes through. `known` is `DOC_SCHEMA_VERSION` in the
 * product; tests inject another (a desktop or server "from the future") to play an older app against a
 * newer document over the real code paths.
 */
export const isNewerFormat = (version: number, known: number = DOC_SCHEMA_VERSION): boolean => version > known;

/** Records this app's format on a new organization (inside the write that sets it up). */
export function markSchemaVersion(roster: Y.Doc, known: number = DOC_SCHEMA_VERSION): void {
  const map = roster.getMap<unknown>(SCHEMA_MAP);
  if (isNewerFormat(known, docSchemaVersion(roster)) || !map.has(VERSION_KEY)) map.set(VERSION_KEY, known);
}

/** What this app says when the documents are newer than it: every write is refused with it. */
export function newerFormatRefusal(roster: Y.Doc, known: number = DOC_SCHEMA_VERSION) {
  const version = docSchemaVersion(roster);
  if (!isNewerFormat(version, known)) return null;
  const which = Number.isFinite(version) ? ` (format ${version}; this app knows format ${known})` : '';
  return fail(
    'forbidden',
    `Your organization's schedule was saved by a newer version of Crewline${which}. Update Crewline to make changes; until then you can look but not change anything.`,
    { details: { updateRequired: true, schemaVersion: Number.isFinite(version) ? version : null } },
  );
}
