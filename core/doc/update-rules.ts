/**
 * What a client may change in an organization's documents, checked on the transaction its update made
 * (the sync server refuses the whole update on the first problem, `sync-server/src/sync/room.ts`).
 *
 * - Every record, setting, history entry, archive marker and notification request the update added or
 *   changed must pass its schema (`record-checks.ts`): readers everywhere trust what they read, and one bad
 *   value used to take down a whole organization's feeds and worker.
 * - Only what the update touched is checked: a record holding something bad from before can still be
 *   edited (and repaired) group by group.
 * - Settings are changed by admins only, except while the organization has none yet (its first upload).
 * - History is append-only for everyone: an entry or a booking's log that existed cannot be removed or
 *   replaced. (The server's own archiver removes archived bookings' logs; its writes are not checked here.)
 * - Top-level types that are not the organization's documents' own are not looked at: nothing reads them.
 *
 * Honest concurrent edits always pass: each group, setting and entry is written whole by a command that
 * validated it, and a merge keeps one of the whole values.
 */
import * as Y from 'yjs';
import { ID_PATTERN } from '../ids';
import type { Role } from '../model';
import { changedPlaces, type AnyType, type ChangedPlace } from './changes';
import { PROVIDER_TIME_OFF } from './groups';
import { DOC_SCHEMA_VERSION, SCHEMA_MAP } from './schema-version';
import {
  archiveMarkerProblem,
  historyEntryProblem,
  notificationRequestProblem,
  settingProblem,
  timeOffProblem,
  writtenGroupProblem,
  writtenRecordProblem,
  type RecordCollection,
} from './record-checks';

export interface Writer {
  role: Role;
  /** Whether the roster had its settings before this update (see `isRosterInitialized`). */
  rosterInitialized: boolean;
}

export interface Refusal {
  /** `invalid`: something written does not pass its schema; `forbidden`: the writer may not make this change. */
  rule: 'invalid' | 'forbidden';
  /** What and why, e.g. `booking <id>: slot: expected object, received number`. */
  message: string;
}

const RECORD_LABELS: Record<RecordCollection, string> = {
  providers: 'provider',
  customers: 'customer',
  services: 'service',
  bookings: 'booking',
};
const RECORDS_OF: Record<'roster' | 'schedule', readonly RecordCollection[]> = {
  roster: ['providers', 'customers', 'services'],
  schedule: ['bookings'],
};

const invalid = (what: string, problem: string): Refusal => ({ rule: 'invalid', message: `${what}: ${problem}` });

/** The first reason to refuse the transaction a client's update made in a `docKind` document, or null. */
export function refusalOf(docKind: 'roster' | 'schedule', tr: Y.Transaction, writer: Writer): Refusal | null {
  for (const place of changedPlaces(tr)) {
    const refusal = placeRefusal(docKind, place, tr, writer);
    if (refusal) return refusal;
  }
  return docKind === 'schedule' ? historyRemoval(tr) : null;
}

function placeRefusal(docKind: 'roster' | 'schedule', place: ChangedPlace, tr: Y.Transaction, writer: Writer): Refusal | null {
  const collection = RECORDS_OF[docKind].find((c) => c === place.top);
  if (collection) return recordRefusal(collection, place);
  if (docKind === 'roster' && place.top === 'settings') return settingsRefusal(place, writer);
  if (docKind === 'roster' && place.top === SCHEMA_MAP) return schemaVersionRefusal(place, writer);
  if (docKind !== 'schedule') return null;
  switch (place.top) {
    case 'history':
      return historyRefusal(place, tr);
    case 'archived':
      return entryRefusal(place, 'archive marker', (_key, value) => archiveMarkerProblem(value));
    case 'notificationRequests':
      return entryRefusal(place, 'notification request', notificationRequestProblem);
    default:
      return null;
  }
}

/**
 * What a changed place's top-level map holds under `key` (undefined: deleted). Through `getMap`: a
 * top-level type nobody on this side asked for yet is a plain AbstractType until then.
 */
const topValue = (place: ChangedPlace, key: string): unknown => place.type.doc!.getMap<unknown>(place.top).get(key);

/** Records of a map whose entries are records (providers, customers, services, bookings). */
function recordRefusal(collection: RecordCollection, place: ChangedPlace): Refusal | null {
  const label = RECORD_LABELS[collection];
  if (place.path.length === 0) {
    for (const key of place.keys) {
      if (key === null) return invalid(place.top, 'list content in a map of records');
      const value = topValue(place, key);
      if (value === undefined) continue;
      if (!ID_PATTERN.test(key)) return invalid(`${label} ${key}`, 'not a record id');
      const problem = writtenRecordProblem(collection, value);
      if (problem) return invalid(`${label} ${key}`, problem);
    }
    return null;
  }
  const id = place.path[0];
  if (id === null || id === undefined) return invalid(place.top, 'list content in a map of records');
  const record = place.record;
  if (!(record instanceof Y.Map)) return invalid(`${label} ${id}`, 'not a record');
  if (record._item?.deleted) return null;
  if (place.path.length === 1) {
    for (const group of place.keys) {
      if (group === null) return invalid(`${label} ${id}`, 'list content in a record');
      const problem = writtenGroupProblem(collection, group, record.get(group));
      if (problem) return invalid(`${label} ${id}`, problem);
    }
    return null;
  }
  const group = place.path[1] ?? '(in a list)';
  if (collection === 'providers' && group === PROVIDER_TIME_OFF && place.path.length === 2) {
    // Only the entries this update set: time off written before is not this writer's doing.
    for (const key of place.keys) {
      if (key === null) return invalid(`${label} ${id}`, `${PROVIDER_TIME_OFF}: not a map of entries`);
      const entry = (place.type as Y.Map<unknown>).get(key);
      if (entry === undefined) continue;
      const problem = timeOffProblem(key, entry);
      if (problem) return invalid(`${label} ${id}`, problem);
    }
    return null;
  }
  // A shared type below a group is never right; the group's own check says what is wrong.
  const problem = writtenGroupProblem(collection, group, record.get(group)) ?? `${group}: a shared type where a plain value belongs`;
  return invalid(`${label} ${id}`, problem);
}

function settingsRefusal(place: ChangedPlace, writer: Writer): Refusal | null {
  const keys = place.path.length === 0 ? [...place.keys] : [place.path[0] ?? null];
  for (const key of keys) {
    if (key === null) return invalid('settings', 'list content in the settings map');
    if (writer.role !== 'admin' && writer.rosterInitialized) {
      return { rule: 'forbidden', message: `setting ${key}: only admins change settings` };
    }
    if (place.path.length > 0) return invalid('setting', `${key}: a shared type where a plain value belongs`);
    const value = topValue(place, key);
    const problem = value === undefined ? null : settingProblem(key, value);
    if (problem) return invalid('setting', problem);
  }
  return null;
}

/**
 * The documents' format mark (`schema-version.ts`): set when an organization is set up, and later only
 * raised by an app that migrates. A format this server does not know is refused (its rules could not check
 * it), and so is removing the mark: either would make every desktop stop writing or write blind.
 */
function schemaVersionRefusal(place: ChangedPlace, writer: Writer): Refusal | null {
  const keys = place.path.length === 0 ? [...place.keys] : [place.path[0] ?? null];
  for (const key of keys) {
    if (key !== 'version' || place.path.length > 0) return invalid('document format', `${String(key)}: not part of the format mark`);
    if (writer.role !== 'admin' && writer.rosterInitialized) {
      return { rule: 'forbidden', message: 'document format: only admins set up or migrate the organization' };
    }
    const value = topValue(place, key);
    if (value === undefined) return { rule: 'forbidden', message: 'document format: the mark cannot be removed' };
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return invalid('document format', 'must be a whole number from 1');
    if (value > DOC_SCHEMA_VERSION) {
      return { rule: 'forbidden', message: `document format ${value}: this server knows format ${DOC_SCHEMA_VERSION} at most; update the server first` };
    }
  }
  return null;
}

/** A map of plain entries keyed by id (archive markers, notification requests). */
function entryRefusal(place: ChangedPlace, label: string, problemOf: (key: string, value: unknown) => string | null): Refusal | null {
  const keys = place.path.length === 0 ? [...place.keys] : [place.path[0] ?? null];
  for (const key of keys) {
    if (key === null) return invalid(place.top, 'list content in a map');
    if (!ID_PATTERN.test(key)) return invalid(`${label} ${key}`, 'not an id');
    const value = place.path.length === 0 ? topValue(place, key) : place.record;
    if (value === undefined) continue;
    const problem = problemOf(key, value);
    if (problem) return invalid(`${label} ${key}`, problem);
  }
  return null;
}

function historyRefusal(place: ChangedPlace, tr: Y.Transaction): Refusal | null {
  if (place.path.length === 0) {
    for (const key of place.keys) {
      if (key === null) return invalid('history', 'list content in the map of logs');
      const log = topValue(place, key);
      if (log === undefined) continue;
      if (!ID_PATTERN.test(key)) return invalid(`history of booking ${key}`, 'not a booking id');
      if (!(log instanceof Y.Array)) return invalid(`history of booking ${key}`, 'not a history log');
      for (const entry of log.toArray() as unknown[]) {
        const problem = historyEntryProblem(entry);
        if (problem) return invalid(`history of booking ${key}`, problem);
      }
    }
    return null;
  }
  const bookingId = place.path[0] ?? '(in a list)';
  if (place.path.length > 1 || !(place.type instanceof Y.Array)) {
    return invalid(`history of booking ${bookingId}`, 'entry: a shared type where a plain value belongs');
  }
  if (place.type._item?.deleted) return null;
  // Only the entries this update added: a log can be long, and what it held before is not this writer's.
  for (let item = place.type._start; item !== null; item = item.right) {
    if (item.deleted || existedBefore(item, tr)) continue;
    for (const entry of item.content.getContent() as unknown[]) {
      const problem = historyEntryProblem(entry);
      if (problem) return invalid(`history of booking ${bookingId}`, problem);
    }
  }
  return null;
}

const existedBefore = (item: Y.Item, tr: Y.Transaction): boolean => item.id.clock < (tr.beforeState.get(item.id.client) ?? 0);

/** A history entry, or a booking's whole log, that existed before the update and was removed by it. */
function historyRemoval(tr: Y.Transaction): Refusal | null {
  const history = tr.doc.share.get('history');
  if (!history) return null;
  let refusal: Refusal | null = null;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (refusal || !(struct instanceof Y.Item) || !existedBefore(struct, tr)) return;
    const parent = struct.parent as AnyType | null;
    if (parent === history && struct.content instanceof Y.ContentType && struct.content.type instanceof Y.Array) {
      refusal = { rule: 'forbidden', message: `history of booking ${struct.parentSub}: a booking's history cannot be removed or replaced` };
    } else if (parent instanceof Y.Array && parent._item?.parent === history) {
      refusal = { rule: 'forbidden', message: `history of booking ${parent._item.parentSub}: history entries cannot be removed` };
    }
  });
  return refusal;
}
