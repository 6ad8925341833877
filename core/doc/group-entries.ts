/**
 * How a field group of a record is stored since document format 2, so that concurrent writes are settled
 * by a rule people can predict (the later hybrid-clock stamp, or a domain rule) from the document alone.
 *
 * Each writer stores the group under its own key, `<group>@<replica>`, as `{ ...fields, _s, _b, _o? }`:
 * `_s` its stamp, `_b` the stamp of the value it replaced (the one it read, as compared: clamped), `_o` the kind of command when
 * a domain rule needs it (`claim`). In the same transaction it deletes every other entry of the group it
 * has seen. Yjs deletes only the items a writer saw, so a concurrent write survives next to it, and every
 * replica reads the same set of entries and picks the same winner. A plain `<group>` value, written before
 * format 2, reads as stamp 0; the first stamped write supersedes it.
 *
 * A write LOST when its entry is still there and is not the winner (entries a writer saw are deleted, so
 * what is left was written concurrently): `lostWrites` lists them so the losing side can be told.
 */
import type * as Y from 'yjs';
import { effectiveStamp } from './clamps';
import { ruleBetween, type ConflictRule } from './conflict-rules';
import { compareStamps, decodeStamp, encodeStamp, REPLICA_PATTERN, ZERO, type Stamp } from './hlc';

/** The keys an entry holds besides its group's fields. */
export const ENTRY_META = ['_s', '_b', '_o'] as const;
export const ORIGIN_PATTERN = /^[a-z_]{1,24}$/;

export interface GroupEntry {
  key: string;
  /** '' for a value written before stamps. */
  replica: string;
  /** As stored. */
  stamp: Stamp;
  /** As compared (clamped, `clamps.ts`). */
  effective: Stamp;
  /** What the writer had read and replaced (ZERO: nothing). */
  before: Stamp;
  value: Readonly<Record<string, unknown>>;
}

/** `<group>@<replica>` -> [group, replica]; a plain group key -> [group, '']; null: not a group key. */
export function parseGroupKey(key: string): [string, string] | null {
  const at = key.indexOf('@');
  if (at < 0) return [key, ''];
  const replica = key.slice(at + 1);
  return at > 0 && REPLICA_PATTERN.test(replica) ? [key.slice(0, at), replica] : null;
}

export const entryKey = (group: string, replica: string): string => `${group}@${replica}`;

/** The entries of every group of `record` that `isGroup` accepts, by group, unreadable ones left out. */
export function entriesByGroup(record: Y.Map<unknown>, isGroup: (group: string) => boolean): Map<string, GroupEntry[]> {
  const doc = record.doc;
  const out = new Map<string, GroupEntry[]>();
  for (const [key, value] of record.entries()) {
    const parsed = parseGroupKey(key);
    if (!parsed || !isGroup(parsed[0]) || !value || typeof value !== 'object') continue;
    const [group, replica] = parsed;
    const v = value as Record<string, unknown>;
    let stamp = ZERO;
    let before = ZERO;
    if (replica !== '') {
      const s = decodeStamp(v._s);
      if (!s || s.r !== replica) continue;
      stamp = s;
      before = v._b === undefined ? ZERO : (decodeStamp(v._b) ?? ZERO);
    }
    const entry: GroupEntry = { key, replica, stamp, effective: effectiveStamp(doc, stamp), before, value: v };
    const list = out.get(group);
    if (list) list.push(entry);
    else out.set(group, [entry]);
  }
  return out;
}

const byEffective = (a: GroupEntry, b: GroupEntry) => compareStamps(a.effective, b.effective) || compareStamps(a.stamp, b.stamp);

/**
 * The winning entry of one group. Every entry still in the document is concurrent with the others: a
 * writer deletes each entry it has seen, and Yjs keeps only the ones it did not see. (`_b` cannot tell
 * causality: a stamp is not a version vector.) Two steps, so the answer does not depend on the order the
 * entries are taken in (docs/design.md §4.1): an entry that a domain rule (`conflict-rules.ts`) makes lose
 * to any other entry is out; among the rest the later stamp wins. The rules only ever rank field work over
 * a cancel over an en route, field statuses over planning, and the office over a claim, so they form no
 * cycle and at least one entry is always left; a pairwise sweep would not be enough: a cancel beats an en
 * route that beats a later unassign, and the unassign's later stamp would then beat the cancel.
 */
export interface Resolution {
  winner: GroupEntry;
  /** Every other entry: writes that lost, with the domain rule that decided, if one did. */
  lost: Array<{ entry: GroupEntry; rule: ConflictRule | null }>;
}

export function resolveGroup(group: string, entries: readonly GroupEntry[]): Resolution | null {
  if (entries.length === 0) return null;
  const sorted = [...entries].sort(byEffective);
  const ruledOut = new Map<GroupEntry, ConflictRule>();
  for (const entry of sorted) {
    for (const other of sorted) {
      if (other === entry) continue;
      const ruled = ruleBetween(group, other.value, entry.value);
      if (ruled?.winner === 'a') {
        ruledOut.set(entry, ruled.rule);
        break;
      }
    }
  }
  const left = sorted.filter((entry) => !ruledOut.has(entry));
  const winner = (left.length > 0 ? left : sorted).at(-1)!;
  // A plain value from before stamps is an old version, not a concurrent write (the first stamped write
  // of format 2 replaces it where it is seen).
  const lost = sorted.filter((e) => e !== winner && e.replica !== '').map((entry) => ({ entry, rule: ruledOut.get(entry) ?? null }));
  return { winner, lost };
}

/** The group's value as readers see it (the winner's fields, meta keys included). */
export function groupValue(record: Y.Map<unknown>, group: string): Readonly<Record<string, unknown>> | undefined {
  return resolveGroup(group, entriesByGroup(record, (g) => g === group).get(group) ?? [])?.winner.value;
}

/**
 * Writes `next` (the group's fields) as this replica's entry, replacing every entry of the group it sees.
 * `stampFor` makes the stamp from the stamps replaced (`replica-clock.ts`).
 */
export function writeGroupEntry(
  record: Y.Map<unknown>,
  group: string,
  next: Record<string, unknown>,
  entries: readonly GroupEntry[],
  stampFor: (seen: Stamp[]) => Stamp,
  origin?: string,
): void {
  const winner = resolveGroup(group, entries)?.winner;
  const stamp = stampFor(entries.map((e) => e.effective));
  const key = entryKey(group, stamp.r);
  // Every entry of the group it sees goes, unreadable ones too: a write repairs a broken group.
  for (const other of [...record.keys()]) if (other !== key && parseGroupKey(other)?.[0] === group) record.delete(other);
  const value: Record<string, unknown> = { ...next, _s: encodeStamp(stamp) };
  if (winner && winner.replica !== '') value._b = encodeStamp(winner.effective);
  if (origin !== undefined) value._o = origin;
  record.set(key, value);
}

export interface LostWrite {
  group: string;
  /** The entry that lost and the one that won (neither saw the other). */
  loser: GroupEntry;
  winner: GroupEntry;
  /** The domain rule that decided (`conflict-rules.ts`); null: the later stamp. */
  rule: ConflictRule | null;
}

/** Every group of `record` among `groups` settled: its winner and the writes that lost. */
export function resolveRecord(record: Y.Map<unknown>, groups: readonly string[]): Map<string, Resolution> {
  const out = new Map<string, Resolution>();
  const entries = entriesByGroup(record, (group) => groups.includes(group));
  for (const group of groups) {
    const resolved = resolveGroup(group, entries.get(group) ?? []);
    if (resolved) out.set(group, resolved);
  }
  return out;
}

/**
 * Every write of `record` that lost to a concurrent one, still in the document until a later write of the
 * group replaces both (whoever makes it has seen the conflict). The losing side is told from this.
 */
export function lostWrites(record: Y.Map<unknown>, groups: readonly string[], resolved = resolveRecord(record, groups)): LostWrite[] {
  const out: LostWrite[] = [];
  for (const [group, { winner, lost }] of resolved) for (const { entry, rule } of lost) out.push({ group, loser: entry, winner, rule });
  return out;
}

/**
 * The entries of `replica` in `record` that win their group now. A mark saying one of them lost is wrong:
 * it was made before a clamp (`clamps.ts`) or a later entry turned the comparison round, and is withdrawn.
 */
export function winningWritesOf(record: Y.Map<unknown>, groups: readonly string[], replica: string, resolved = resolveRecord(record, groups)): Array<{ group: string; entry: GroupEntry }> {
  const out: Array<{ group: string; entry: GroupEntry }> = [];
  for (const [group, { winner }] of resolved) if (winner.replica === replica) out.push({ group, entry: winner });
  return out;
}
