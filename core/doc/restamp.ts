/**
 * An undo or redo is a new intent, not a return to an old write (issue 20): Yjs's UndoManager restores
 * entries with the stamps they had, so a concurrent write stamped between the original and the undo would
 * beat the undo, and a restored entry another writer had already replaced would come back as if it were
 * concurrent. Re-writing each group the revert touched as this replica's one entry, stamped now and
 * replacing every entry it sees, makes the undo settle conflicts exactly as a command's write does.
 */
import type * as Y from 'yjs';
import { ENTRY_META, entriesByGroup, ORIGIN_PATTERN, resolveGroup, writeGroupEntry } from './group-entries';
import type { GroupSpec } from './records';
import { stampWrite } from './replica-clock';

/**
 * Re-writes each of `groups` (of `spec`) in `record` with the value readers see now, stamped by the
 * document's replica clock. A group with no readable entry is left alone: there is no value to keep.
 * The winner's command kind (`_o`, e.g. a restored claim) goes with its value, so the domain rules judge
 * the restored value as they judged it before.
 */
export function restampGroups(record: Y.Map<unknown>, spec: GroupSpec, groups: Iterable<string>): void {
  const doc = record.doc;
  if (!doc) throw new Error('restampGroups: the record is not in a document');
  const wanted = new Set([...groups].filter((group) => Object.hasOwn(spec, group)));
  if (wanted.size === 0) return;
  const entries = entriesByGroup(record, (group) => wanted.has(group));
  for (const group of wanted) {
    const own = entries.get(group) ?? [];
    const winner = resolveGroup(group, own)?.winner;
    if (!winner) continue;
    const next: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(winner.value)) if (!(ENTRY_META as readonly string[]).includes(key)) next[key] = value;
    const origin = typeof winner.value._o === 'string' && ORIGIN_PATTERN.test(winner.value._o) ? winner.value._o : undefined;
    writeGroupEntry(record, group, next, own, (seen) => stampWrite(doc, seen), origin);
  }
}
