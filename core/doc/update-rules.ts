/**
 * What a client may change in an organization's documents, checked on the transaction its update made
 * (the sync server refuses the whole update on the first problem, `sync-server/src/sync/room.ts`).
 *
 * - Every record, setting, history entry, archive marker and notification request the update added or
 *   changed must pass its schema (`record-checks.ts`): readers everywhere trust what they read, and one bad
 *   value used to take down a whole organization's feeds and worker.
 * - Only what the update touched is checked: a record holding something bad from before can still be
 *   edited (and repaired) group by group.
 * - Field groups are stamped entries `<group>@<replica>` (`group-entries.ts`): `_s` a stamp of the replica
 *   the key names, `_b` an earlier stamp; a plain `<group>` value (the layout before format 2) is refused
 *   in a record that exists, taken in a whole record the update adds (a workspace's first upload).
 *   Which replica a connection is cannot be checked (a replica id is not a credential); what a forged stamp
 *   could win is bounded by the clamps only the server writes (`clamps.ts`).
 * - Settings are changed by admins only, except while the organization has none yet (its first upload).
 * - History is append-only for everyone: an entry or a booking's log that existed cannot be removed or
 *   replaced. (The server's own archiver removes archived bookings' logs; its writes are not checked here.)
 * - Recurring series (`series`, `seriesOccurrences`, `core/recurrence/series-doc.ts`): every part of a
 *   series record the update wrote (template, rule — its RRULE read by core's own parser, within its
 *   bounds —, created, each exception, end and log entry) and every occurrence link passes its schema; only
 *   admins and dispatchers write them (the series commands' roles). A series' log is append-only while the
 *   series exists. A whole series may be removed (undoing its creation), never replaced; an end may be
 *   removed (undoing End series or a split brings the visits back; two desktops never write the same end
 *   key, each is a new id).
 * - Top-level types that are not the organization's documents' own are not looked at: nothing reads them.
 *
 * Honest concurrent edits always pass: each group, setting and entry is written whole by a command that
 * validated it, and a merge keeps one of the whole values.
 */
import * as Y from 'yjs';
import { ID_PATTERN } from '../ids';
import { localDateSchema, type Role } from '../model';
import { parseRRule } from '../recurrence/rule';
import {
  occurrenceLinkSchema,
  OCCURRENCES_MAP,
  seriesCreatedSchema,
  seriesEndSchema,
  seriesExceptionSchema,
  SERIES_MAP,
  seriesRuleSchema,
  seriesTemplateSchema,
} from '../recurrence/series-doc';
import { changedPlaces, type AnyType, type ChangedPlace } from './changes';
import { CLAMPS_MAP } from './clamps';
import { PROVIDER_TIME_OFF } from './groups';
import { DOC_SCHEMA_VERSION, isNewerFormat, SCHEMA_MAP } from './schema-version';
import {
  archiveMarkerProblem,
  historyEntryProblem,
  notificationRequestProblem,
  schemaProblem,
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
  /** The document format the checking server knows (default `DOC_SCHEMA_VERSION`): a higher mark is refused. */
  knownDocFormat?: number;
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
  // Removals first: a series replaced by a blank one is refused for the replacing, not for being blank.
  const removal = docKind === 'schedule' ? removalRefusal(tr) : null;
  if (removal) return removal;
  for (const place of changedPlaces(tr)) {
    const refusal = placeRefusal(docKind, place, tr, writer);
    if (refusal) return refusal;
  }
  return null;
}

function placeRefusal(docKind: 'roster' | 'schedule', place: ChangedPlace, tr: Y.Transaction, writer: Writer): Refusal | null {
  const collection = RECORDS_OF[docKind].find((c) => c === place.top);
  if (collection) return recordRefusal(collection, place);
  if (docKind === 'roster' && place.top === 'settings') return settingsRefusal(place, writer);
  if (docKind === 'roster' && place.top === SCHEMA_MAP) return schemaVersionRefusal(place, writer);
  if (place.top === CLAMPS_MAP) return { rule: 'forbidden', message: 'clamps: only the server clamps stamps set ahead' };
  if (docKind !== 'schedule') return null;
  switch (place.top) {
    case 'history':
      return historyRefusal(place, tr);
    case 'archived':
      return entryRefusal(place, 'archive marker', (_key, value) => archiveMarkerProblem(value));
    case 'notificationRequests':
      return entryRefusal(place, 'notification request', notificationRequestProblem);
    case SERIES_MAP:
      return seriesWriterRefusal(writer) ?? seriesRefusal(place, tr);
    case OCCURRENCES_MAP:
      return seriesWriterRefusal(writer) ?? entryRefusal(place, 'series occurrence', (_key, value) => occurrenceLinkProblem(value));
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
    const known = writer.knownDocFormat ?? DOC_SCHEMA_VERSION;
    if (isNewerFormat(value, known)) {
      return { rule: 'forbidden', message: `document format ${value}: this server knows format ${known} at most; update the server first` };
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

/**
 * Something append-only that existed before the update and was removed (or replaced) by it: a history
 * entry or a booking's whole log (`history`), a series replaced, a live series' log or one of its entries.
 * Exceptions may be rewritten: two desktops may both decide about one date, and one decision wins.
 */
function removalRefusal(tr: Y.Transaction): Refusal | null {
  if (tr.deleteSet.clients.size === 0) return null;
  const history = tr.doc.share.get('history');
  const series = tr.doc.share.get(SERIES_MAP);
  if (!history && !series) return null;
  let refusal: Refusal | null = null;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (refusal || !(struct instanceof Y.Item) || !existedBefore(struct, tr)) return;
    const parent = struct.parent as AnyType | null;
    if (history) refusal = historyRemoval(struct, parent, history);
    if (!refusal && series) refusal = seriesRemoval(struct, parent, series);
  });
  return refusal;
}

function historyRemoval(struct: Y.Item, parent: AnyType | null, history: AnyType): Refusal | null {
  if (parent === history && struct.content instanceof Y.ContentType && struct.content.type instanceof Y.Array) {
    return { rule: 'forbidden', message: `history of booking ${struct.parentSub}: a booking's history cannot be removed or replaced` };
  }
  if (parent instanceof Y.Array && parent._item?.parent === history) {
    return { rule: 'forbidden', message: `history of booking ${parent._item.parentSub}: history entries cannot be removed` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Recurring series (core/recurrence/series-doc.ts)

/** Who runs the series commands (`OFFICE` in core/commands/define.ts; a test keeps the two in step). */
export const SERIES_WRITERS: readonly Role[] = ['admin', 'dispatcher'];

function seriesWriterRefusal(writer: Writer): Refusal | null {
  if (SERIES_WRITERS.includes(writer.role)) return null;
  return { rule: 'forbidden', message: `series: only admins and dispatchers change recurring series` };
}

const occurrenceLinkProblem = (value: unknown): string | null => schemaProblem(occurrenceLinkSchema, value, 'link');

/** `label: problem`, unless the problem already starts with the label (a problem about the value itself). */
const within = (label: string, problem: string | null): string | null =>
  problem === null ? null : problem.startsWith(`${label}:`) ? problem : `${label}: ${problem}`;

/** The rule's RRULE is read by the parser the commands use, which holds the bounds (intervals, counts). */
function seriesRuleProblem(value: unknown): string | null {
  const rrule = (value as { rrule?: unknown } | null)?.rrule;
  if (typeof value === 'object' && value !== null && typeof rrule === 'string' && rrule.length <= 200) {
    const parsed = parseRRule(rrule);
    if (!parsed.ok) return `rule: rrule: ${parsed.error.message}`;
  }
  return within('rule', schemaProblem(seriesRuleSchema, value, 'rule'));
}

const exceptionProblem = (date: string, value: unknown): string | null =>
  localDateSchema.safeParse(date).success
    ? within(`exception ${date}`, schemaProblem(seriesExceptionSchema, value, `exception ${date}`))
    : `exception ${date}: not a date`;

const endProblem = (key: string, value: unknown): string | null =>
  ID_PATTERN.test(key) ? within(`end ${key}`, schemaProblem(seriesEndSchema, value, `end ${key}`)) : `end ${key}: not an id`;

const logEntryProblem = (entry: unknown): string | null => within('log', historyEntryProblem(entry));

/** A map of entries of a series record (its exceptions or ends), each checked by `problemOf`. */
function entriesProblem(part: string, value: unknown, problemOf: (key: string, entry: unknown) => string | null): string | null {
  if (!(value instanceof Y.Map)) return `${part}: not a map of entries`;
  for (const [key, entry] of value.entries()) {
    const problem = problemOf(key, entry);
    if (problem) return problem;
  }
  return null;
}

/** What a record's part must be, checked whole (a part written or rewritten by the update). */
const SERIES_PARTS: Record<string, (value: unknown) => string | null> = {
  template: (value) => within('template', schemaProblem(seriesTemplateSchema, value, 'template')),
  rule: seriesRuleProblem,
  created: (value) => within('created', schemaProblem(seriesCreatedSchema, value, 'created')),
  exceptions: (value) => entriesProblem('exceptions', value, exceptionProblem),
  ends: (value) => entriesProblem('ends', value, endProblem),
  log: (value) => {
    if (!(value instanceof Y.Array)) return 'log: not a history log';
    for (const entry of value.toArray() as unknown[]) {
      const problem = logEntryProblem(entry);
      if (problem) return problem;
    }
    return null;
  },
};
/** Readers pass over a series without these: a record the update makes must have them. */
const REQUIRED_PARTS = ['template', 'rule', 'created'] as const;

function seriesPartProblem(part: string, value: unknown): string | null {
  const check = Object.hasOwn(SERIES_PARTS, part) ? SERIES_PARTS[part] : undefined;
  if (!check) return `${part}: not a part of a series`;
  if (value === undefined) return `${part}: a series cannot lose its ${part}`;
  return check(value);
}

function newSeriesProblem(value: unknown): string | null {
  if (!(value instanceof Y.Map)) return 'not a series record';
  for (const part of REQUIRED_PARTS) if (value.get(part) === undefined) return `${part}: missing`;
  for (const [part, stored] of value.entries()) {
    const problem = seriesPartProblem(part, stored);
    if (problem) return problem;
  }
  return null;
}

/** One changed place under `series`: a record added, a part written, or entries of a nested part. */
function seriesRefusal(place: ChangedPlace, tr: Y.Transaction): Refusal | null {
  if (place.path.length === 0) {
    for (const key of place.keys) {
      if (key === null) return invalid(SERIES_MAP, 'list content in a map of series');
      const value = topValue(place, key);
      if (value === undefined) continue; // a removal: `seriesRemoval` decides
      if (!ID_PATTERN.test(key)) return invalid(`series ${key}`, 'not a series id');
      const problem = newSeriesProblem(value);
      if (problem) return invalid(`series ${key}`, problem);
    }
    return null;
  }
  const id = place.path[0];
  if (id === null || id === undefined) return invalid(SERIES_MAP, 'list content in a map of series');
  const record = place.record;
  if (!(record instanceof Y.Map)) return invalid(`series ${id}`, 'not a series record');
  if (record._item?.deleted) return null;
  if (place.path.length === 1) {
    for (const part of place.keys) {
      if (part === null) return invalid(`series ${id}`, 'list content in a series record');
      const problem = seriesPartProblem(part, record.get(part));
      if (problem) return invalid(`series ${id}`, problem);
    }
    return null;
  }
  const part = place.path[1] ?? '(in a list)';
  if (place.type._item?.deleted) return null;
  if (place.path.length > 2) return invalid(`series ${id}`, `${part}: a shared type where a plain value belongs`);
  if ((part === 'exceptions' || part === 'ends') && place.type instanceof Y.Map) {
    const problemOf = part === 'exceptions' ? exceptionProblem : endProblem;
    for (const key of place.keys) {
      if (key === null) return invalid(`series ${id}`, `${part}: not a map of entries`);
      const entry = (place.type as Y.Map<unknown>).get(key);
      if (entry === undefined) continue; // an end removed: `seriesRemoval`; an exception may go
      const problem = problemOf(key, entry);
      if (problem) return invalid(`series ${id}`, problem);
    }
    return null;
  }
  if (part === 'log' && place.type instanceof Y.Array) {
    // Only the entries this update added, as for a booking's history.
    for (let item = place.type._start; item !== null; item = item.right) {
      if (item.deleted || existedBefore(item, tr)) continue;
      for (const entry of item.content.getContent() as unknown[]) {
        const problem = logEntryProblem(entry);
        if (problem) return invalid(`series ${id}`, problem);
      }
    }
    return null;
  }
  return invalid(`series ${id}`, seriesPartProblem(part, record.get(part)) ?? `${part}: a shared type where a plain value belongs`);
}

/** The series record a type sits in (a record directly under `series`), with its id. */
function seriesRecordAbove(type: AnyType | null, series: AnyType): { id: string; part: string | null } | null {
  const item = type?._item;
  if (!item) return null;
  if (item.parent === series) return { id: item.parentSub ?? '', part: null };
  const parentItem = (item.parent as AnyType)._item;
  if (parentItem?.parent === series) return { id: parentItem.parentSub ?? '', part: item.parentSub };
  return null;
}

/** A removed item under `series` that held something append-only (see `removalRefusal`). */
function seriesRemoval(struct: Y.Item, parent: AnyType | null, series: AnyType): Refusal | null {
  const forbidden = (id: string, what: string): Refusal => ({ rule: 'forbidden', message: `series ${id}: ${what}` });
  if (parent === series) {
    // A whole series may go (undoing its creation takes its visits with it); one may not be put in its place.
    const replaced = struct.content instanceof Y.ContentType && (series as Y.Map<unknown>).get(struct.parentSub ?? '') !== undefined;
    return replaced ? forbidden(struct.parentSub ?? '', 'a series cannot be replaced') : null;
  }
  const above = seriesRecordAbove(parent, series);
  if (!above) return null;
  // What a removed series held goes with it.
  if ((series as Y.Map<unknown>).get(above.id) === undefined) return null;
  if (above.part === null) {
    // A part of the record itself: its log holds what happened, its ends are entries of their own (made
    // with the record, never twice); the other parts are rewritten whole.
    if (struct.parentSub === 'log') return forbidden(above.id, 'its log cannot be removed or replaced');
    return struct.parentSub === 'ends' ? forbidden(above.id, 'its ends cannot be removed or replaced') : null;
  }
  if (above.part === 'log') return forbidden(above.id, 'log entries cannot be removed');
  // An end may be taken back (undoing End series or a split brings its visits back), never rewritten.
  if (above.part === 'ends' && parent instanceof Y.Map && parent.get(struct.parentSub ?? '') !== undefined) {
    return forbidden(above.id, `end ${struct.parentSub}: an end cannot be replaced`);
  }
  return null;
}
