import * as Y from 'yjs';
import { fieldsOf, type LegacyFields } from './groups';
import { recordProblem, type RecordCollection } from './record-checks';
import { passOver } from './unreadable';
import { sameValue } from '../same-value';
import { entriesByGroup, parseGroupKey, resolveGroup, writeGroupEntry } from './group-entries';
import { stampWrite } from './replica-clock';

/**
 * A record is a Y.Map whose keys are *field groups*; each group holds one plain object written as a whole.
 * Concurrent edits of different groups merge (notes vs. reassignment), edits of the same group resolve
 * as one unit by the later hybrid-clock stamp or a domain rule (`group-entries.ts`, `conflict-rules.ts`),
 * so a group's fields are never mixed from two writers.
 */
export type GroupSpec = Readonly<Record<string, readonly string[]>>;

export function groupOf(spec: GroupSpec, field: string): string | undefined {
  for (const [group, fields] of Object.entries(spec)) if (fields.includes(field)) return group;
  return undefined;
}

/**
 * Each group's own fields only: a value a client stored with extra keys must not override a field of
 * another group (a `status` group carrying `slot`, or anything carrying `id`). Of a group's entries the
 * winner by stamp and domain rule (`group-entries.ts`) is read.
 */
export function readGroups(record: Y.Map<unknown>, spec: GroupSpec, legacy: LegacyFields = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const entries = entriesByGroup(record, (group) => Object.hasOwn(spec, group));
  for (const [group, fields] of Object.entries(spec)) {
    const value = resolveGroup(group, entries.get(group) ?? [])?.winner.value;
    if (!value) continue;
    for (const field of fieldsOf(group, fields, legacy)) {
      if (Object.hasOwn(value, field)) out[field] = value[field];
    }
  }
  return out;
}

/**
 * Writes only the groups that `patch` touches, each merged with its current value, as this replica's
 * stamped entry (`group-entries.ts`). `origin` names the command kind where a domain rule needs it (`claim`).
 */
export function writeGroups(record: Y.Map<unknown>, spec: GroupSpec, patch: Record<string, unknown>, origin?: string): void {
  const doc = record.doc;
  if (!doc) throw new Error('writeGroups: the record is not in a document');
  const entries = entriesByGroup(record, (group) => Object.hasOwn(spec, group));
  for (const [group, fields] of Object.entries(spec)) {
    const touched = fields.filter((f) => f in patch);
    if (touched.length === 0) continue;
    const own = entries.get(group) ?? [];
    const stored = resolveGroup(group, own)?.winner.value ?? {};
    const current: Record<string, unknown> = {};
    for (const f of fields) if (stored[f] !== undefined) current[f] = stored[f];
    const next: Record<string, unknown> = {};
    for (const f of fields) {
      const value = f in patch ? patch[f] : current[f];
      if (value !== undefined) next[f] = value;
    }
    // Writing the value it already has would settle a conflict nobody decided (and drop the loser's mark).
    // An unreadable value of the group is not skipped over: the write replaces it (a repair).
    const unreadable = [...record.keys()].some((key) => parseGroupKey(key)?.[0] === group && !own.some((e) => e.key === key));
    if (!unreadable && sameValue(current, next) && (own.length === 0 || origin === undefined || stored._o === origin)) continue;
    writeGroupEntry(record, group, next, own, (seen) => stampWrite(doc, seen), origin);
  }
}

export function newRecord(parent: Y.Map<Y.Map<unknown>>, id: string, spec: GroupSpec, fields: Record<string, unknown>) {
  const record = new Y.Map<unknown>();
  parent.set(id, record);
  writeGroups(record, spec, fields);
  return record;
}

/** A top-level map of records, whatever its declared value type: only reads are needed here. */
type SharedMap = { get(key: string): unknown; entries(): IterableIterator<[string, unknown]> };

/**
 * A record from a shared map, if it is one. Documents are shared: any client holding a token can put any
 * value under any key, so readers take only what has the shape of a record and pass over the rest rather
 * than throw (one bad value must not stop a desktop's store or the server's worker).
 */
export function recordOf(map: SharedMap, id: string): Y.Map<unknown> | undefined {
  const value = map.get(id);
  return value instanceof Y.Map ? value : undefined;
}

export function recordEntries(map: SharedMap): Array<[string, Y.Map<unknown>]> {
  const out: Array<[string, Y.Map<unknown>]> = [];
  for (const [id, value] of map.entries()) if (value instanceof Y.Map) out.push([id, value]);
  return out;
}

/**
 * The record under `id` if readers can read it. One that fails its schema (written by a client before the
 * server checked updates, or by a peer of a desktop) is passed over and reported, never thrown on: one bad
 * record must not take down a feed, a worker or a store for everyone else.
 */
export function readableRecord(collection: RecordCollection, map: SharedMap, id: string): Y.Map<unknown> | undefined {
  const value = map.get(id);
  return value !== undefined && isReadable(collection, id, value) ? value : undefined;
}

export function readableEntries(collection: RecordCollection, map: SharedMap): Array<[string, Y.Map<unknown>]> {
  const out: Array<[string, Y.Map<unknown>]> = [];
  for (const [id, value] of map.entries()) if (isReadable(collection, id, value)) out.push([id, value]);
  return out;
}

function isReadable(collection: RecordCollection, id: string, value: unknown): value is Y.Map<unknown> {
  const problem = recordProblem(collection, value);
  if (problem) passOver(collection.slice(0, -1), id, problem);
  return problem === null;
}
