/**
 * Whether a value stored in a shared document is what its place says it is, as a short problem ("slot:
 * expected object, received number") or null. Used by the total readers (a record that fails is passed
 * over) and by the sync server's update rules (an update that leaves one is refused).
 *
 * Checks are cached by value identity: Yjs hands out the same object for a stored value until it is
 * overwritten, so a record read on every request is checked once, and a hot path pays a WeakMap lookup.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { fieldsOf, PROVIDER_TIME_OFF } from './groups';
import { ENTRY_META, ORIGIN_PATTERN, parseGroupKey } from './group-entries';
import { compareStamps, decodeStamp } from './hlc';

/** The format since which groups are stored as stamped entries (`schema-version.ts`). */
const DOC_FORMAT_WITH_STAMPS = 'format 2';
import {
  archiveMarkerSchema,
  historyEntrySchema,
  notificationRequestSchema,
  RECORD_GROUPS,
  SETTING_SCHEMAS,
  timeOffSchema,
  type RecordCollection,
} from './record-schemas';

export type { RecordCollection } from './record-schemas';

/** By the stored object; the schema is kept too, so an object seen in two places is checked for each. */
const objectChecks = new WeakMap<object, { schema: z.ZodType; problem: string | null }>();
const lastPrimitive = new WeakMap<z.ZodType, { value: unknown; problem: string | null }>();

/** The first issue zod finds, as `path: message` (`label: message` when it is about the value itself). */
function firstIssue(schema: z.ZodType, value: unknown, label: string): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.') || label;
  return `${path}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

/** Any other stored value against its schema (the series maps' parts, `update-rules.ts`), cached the same way. */
export const schemaProblem = (schema: z.ZodType, value: unknown, label: string): string | null => valueProblem(schema, value, label);

function valueProblem(schema: z.ZodType, value: unknown, label: string): string | null {
  if (typeof value === 'object' && value !== null) {
    const cached = objectChecks.get(value);
    if (cached?.schema === schema) return cached.problem;
    const problem =
      value instanceof Y.AbstractType ? `${label}: a shared type where a plain value belongs` : firstIssue(schema, value, label);
    objectChecks.set(value, { schema, problem });
    return problem;
  }
  const last = lastPrimitive.get(schema);
  if (last && Object.is(last.value, value)) return last.problem;
  const problem = firstIssue(schema, value, label);
  lastPrimitive.set(schema, { value, problem });
  return problem;
}

/** A group's value (undefined: not there, which readers fill with defaults). Fields outside the group are not looked at. */
export function groupProblem(collection: RecordCollection, group: string, value: unknown): string | null {
  const schema = RECORD_GROUPS[collection].schemas[group];
  if (!schema) return `${group}: not a field group of a ${collection.slice(0, -1)}`;
  return value === undefined ? null : valueProblem(schema, value, group);
}

/** Whether readers can read the record: a Y.Map whose known groups' entries hold what they should. */
export function recordProblem(collection: RecordCollection, value: unknown): string | null {
  if (!(value instanceof Y.Map)) return 'not a record';
  const { schemas } = RECORD_GROUPS[collection];
  for (const [key, stored] of value.entries()) {
    const parsed = parseGroupKey(key);
    if (!parsed) continue;
    const schema = Object.hasOwn(schemas, parsed[0]) ? schemas[parsed[0]] : undefined;
    if (!schema || stored === undefined) continue;
    const problem = valueProblem(schema, stored, parsed[0]) ?? entryMetaProblem(parsed[0], parsed[1], stored);
    if (problem) return problem;
  }
  return null;
}

const metaChecks = new WeakMap<object, string | null>();

/**
 * A stamped entry's own keys (`group-entries.ts`): `_s` a stamp of the replica its key names, `_b` an
 * earlier stamp, `_o` a command kind. A plain (pre-stamp) group value has none of them.
 */
export function entryMetaProblem(group: string, replica: string, value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const cached = metaChecks.get(value);
  if (cached !== undefined) return cached;
  const v = value as Record<string, unknown>;
  let problem: string | null = null;
  if (replica === '') {
    if (ENTRY_META.some((k) => Object.hasOwn(v, k))) problem = `${group}: a stamp on a value stored without one`;
  } else {
    const stamp = decodeStamp(v._s);
    if (!stamp) problem = `${group}@${replica}: _s: not a stamp`;
    else if (stamp.r !== replica) problem = `${group}@${replica}: _s: stamped by another replica (${stamp.r})`;
    else if (v._b !== undefined && (!decodeStamp(v._b) || compareStamps(decodeStamp(v._b)!, stamp) >= 0)) {
      problem = `${group}@${replica}: _b: not a stamp before _s`;
    } else if (v._o !== undefined && !(typeof v._o === 'string' && ORIGIN_PATTERN.test(v._o))) {
      problem = `${group}@${replica}: _o: not a command kind`;
    }
  }
  metaChecks.set(value, problem);
  return problem;
}

/**
 * Stricter than `recordProblem`, for what a client writes: no groups or fields that are not in the
 * record's spec (readers ignore them, but nobody writes them), and a provider's time off entries valid.
 */
export function writtenRecordProblem(collection: RecordCollection, value: unknown): string | null {
  const problem = recordProblem(collection, value);
  if (problem) return problem;
  for (const key of (value as Y.Map<unknown>).keys()) {
    // A whole record written before format 2 may arrive (a workspace's first upload): its plain groups read
    // as older than any stamped write, and the first stamped write replaces them.
    const written = writtenGroupProblem(collection, key, (value as Y.Map<unknown>).get(key), true);
    if (written) return written;
  }
  return null;
}

/**
 * One group entry (or a provider's time off map) as a client wrote it, under `key`: `<group>@<replica>`
 * since format 2. A plain `<group>` value is the format before stamps: refused in a record that exists
 * (an older app writing it there would lose every conflict silently), unless `plainAllowed` (a whole
 * record from before, uploaded).
 */
export function writtenGroupProblem(collection: RecordCollection, key: string, value: unknown, plainAllowed = false): string | null {
  if (collection === 'providers' && key === PROVIDER_TIME_OFF) {
    if (value === undefined) return null;
    if (!(value instanceof Y.Map)) return `${PROVIDER_TIME_OFF}: not a map of entries`;
    for (const [id, entry] of value.entries()) {
      const problem = timeOffProblem(id, entry);
      if (problem) return problem;
    }
    return null;
  }
  const parsed = parseGroupKey(key);
  if (!parsed) return `${key}: not a field group of a ${collection.slice(0, -1)}`;
  const [group, replica] = parsed;
  const problem = groupProblem(collection, group, value);
  if (problem || value === undefined) return problem;
  const { spec, legacy } = RECORD_GROUPS[collection];
  const fields = fieldsOf(group, spec[group] ?? [], legacy);
  for (const field of Object.keys(value as object)) {
    if (!fields.includes(field) && !(replica !== '' && (ENTRY_META as readonly string[]).includes(field))) {
      return `${group}: ${field} is not a field of this group`;
    }
  }
  const meta = entryMetaProblem(group, replica, value);
  if (meta) return meta;
  return replica === '' && !plainAllowed ? `${group}: written without a stamp (the layout before document ${DOC_FORMAT_WITH_STAMPS}); update Crewline` : null;
}

export function timeOffProblem(id: string, value: unknown): string | null {
  const problem = valueProblem(timeOffSchema, value, 'entry');
  if (problem) return `${PROVIDER_TIME_OFF} ${id}: ${problem}`;
  return (value as { id: string }).id === id ? null : `${PROVIDER_TIME_OFF} ${id}: its id differs from its key`;
}

export function settingProblem(key: string, value: unknown): string | null {
  const schema = Object.hasOwn(SETTING_SCHEMAS, key) ? SETTING_SCHEMAS[key] : undefined;
  if (!schema) return `${key}: not a setting`;
  return valueProblem(schema, value, key);
}

export const historyEntryProblem = (value: unknown): string | null => valueProblem(historyEntrySchema, value, 'entry');

export const archiveMarkerProblem = (value: unknown): string | null => valueProblem(archiveMarkerSchema, value, 'marker');

export function notificationRequestProblem(key: string, value: unknown): string | null {
  const problem = valueProblem(notificationRequestSchema, value, 'request');
  if (problem) return problem;
  return (value as { id: string }).id === key ? null : 'request: its id differs from its key';
}
