/**
 * Undo and redo as new writes (issue 20, docs/design.md §4.1): the UndoManager reverts, then, in the same
 * Y transaction, every booking and roster record group the revert touched is re-written by this replica
 * with a fresh stamp (`core/doc/restamp.ts`). One transaction, so the UndoManager captures revert and
 * re-stamp as one step: redo after an undo (and undo after a redo) reverts both and is re-stamped in turn.
 */
import * as Y from 'yjs';
import { parseGroupKey } from '../../../core/doc/group-entries';
import { RECORD_GROUPS, type RecordCollection } from '../../../core/doc/record-schemas';
import { restampGroups } from '../../../core/doc/restamp';
import type { GroupSpec } from '../../../core/doc/records';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
type AnyType = Y.AbstractType<any>;

/** The top-level maps of record collections, by the name Yjs knows them under. */
const COLLECTIONS: readonly RecordCollection[] = ['bookings', 'providers', 'customers', 'services'];

/**
 * Runs `um`'s undo or redo and re-stamps what it touched; returns whether it changed anything.
 * The UndoManager files a transaction on its redo stack only while `undoing` is set (on its undo stack
 * without clearing the redo stack while `redoing`), and `undo()`/`redo()` clear that flag before the
 * enclosing transaction ends: it is held here until then, so the whole step is filed as undo() would.
 */
export function replayAsNewWrite(um: Y.UndoManager, kind: 'undo' | 'redo'): boolean {
  let done = false;
  try {
    um.doc.transact((tr) => {
      done = (kind === 'undo' ? um.undo() : um.redo()) !== null;
      if (kind === 'undo') um.undoing = true;
      else um.redoing = true;
      if (done) restampTouched(tr);
    }, um);
  } finally {
    um.undoing = false;
    um.redoing = false;
  }
  return done;
}

/** Re-stamps each record group the transaction changed so far; a record it restored whole, every group. */
function restampTouched(tr: Y.Transaction): void {
  const touched = new Map<Y.Map<unknown>, { spec: GroupSpec; groups: Set<string> }>();
  const note = (record: Y.Map<unknown>, collection: RecordCollection, groups: Iterable<string>) => {
    let entry = touched.get(record);
    if (!entry) touched.set(record, (entry = { spec: RECORD_GROUPS[collection].spec, groups: new Set() }));
    for (const group of groups) entry.groups.add(group);
  };
  const collectionOf = (type: AnyType | null): RecordCollection | null => {
    for (const name of COLLECTIONS) if (type !== null && tr.doc.share.get(name) === type) return name;
    return null;
  };
  for (const [type, keys] of tr.changed) {
    const own = collectionOf(type as AnyType);
    if (own) {
      // A record put back whole (the undo of a delete): Yjs does not list changes inside a type made in
      // this transaction, so all of its groups count as touched.
      for (const id of keys) {
        const record = id === null || !(type instanceof Y.Map) ? undefined : (type as Y.Map<unknown>).get(id);
        if (record instanceof Y.Map) note(record, own, groupsIn(record));
      }
      continue;
    }
    const parent = type._item?.parent as AnyType | undefined;
    const collection = parent ? collectionOf(parent) : null;
    if (collection && type instanceof Y.Map && !type._item?.deleted) {
      note(type as Y.Map<unknown>, collection, groupsOf(keys));
    }
  }
  for (const [record, { spec, groups }] of touched) restampGroups(record, spec, groups);
}

const groupsIn = (record: Y.Map<unknown>): string[] => groupsOf(record.keys());

function groupsOf(keys: Iterable<string | null>): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const parsed = key === null ? null : parseGroupKey(key);
    if (parsed) out.push(parsed[0]);
  }
  return out;
}
