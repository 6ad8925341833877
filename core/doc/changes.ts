/**
 * Where the changes of one Yjs transaction sit in the document: each changed type traced up to its
 * top-level map and the record under it. The desktop store re-projects the records a change touched
 * (`collectDirty`); the sync server checks them before it keeps a client's update (`update-rules.ts`).
 */
import type * as Y from 'yjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
export type AnyType = Y.AbstractType<any>;

export interface ChangedPlace {
  /** The name of the top-level type the change is under ('' if it is not a named one). */
  top: string;
  /**
   * Keys from the top-level type down to the changed type: [] when the top-level type itself changed (its
   * entries `keys` were set or deleted), [record] when a record's groups changed, [record, 'timeOff'] for
   * a map inside a record. A type inside a list has no key: null.
   */
  path: Array<string | null>;
  /** The changed type and its changed keys (null: list content changed). */
  type: AnyType;
  keys: Set<string | null>;
  /** The type directly under the top-level one that holds the change (the record), or null for `path` []. */
  record: AnyType | null;
}

export function changedPlaces(tr: Y.Transaction): ChangedPlace[] {
  const names = new Map<AnyType, string>();
  for (const [name, type] of tr.doc.share) names.set(type, name);
  const places: ChangedPlace[] = [];
  for (const [type, keys] of tr.changed) {
    const path: Array<string | null> = [];
    let record: AnyType | null = null;
    let current: AnyType = type;
    while (current._item !== null) {
      path.unshift(current._item.parentSub);
      record = current;
      current = current._item.parent as AnyType;
    }
    places.push({ top: names.get(current) ?? '', path, type, keys, record });
  }
  return places;
}
