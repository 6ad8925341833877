/**
 * Checks that what one Yjs transaction added is linked where it claims to belong.
 *
 * Why: Yjs trusts that a struct overlapping clocks it already has repeats what it has. It integrates the
 * unknown rest next to the struct's own predecessor, keeping the parent the struct claims. A forged struct
 * that claims another parent (or map key) therefore lands in one type's list with another type as its
 * parent. Nothing fails at once; later the two disagree (a value shown by one and not the other) and
 * encoding the document can throw. The fuzz barrage found this with seed 692113663: a mutated length made
 * a `bookings` entry overlap text items of `memo`. `update-guard.ts` cannot see it, because it depends on
 * what the room already holds.
 *
 * Structs waiting for missing history integrate later, in the transaction of the update that completes
 * them, so checking each transaction covers them too. The clients of that update are enough: a waiting
 * struct can only overlap history its own client's structs in this update brought, because Yjs merges the
 * waiting structs among themselves and slices their overlaps (a slice names no parent).
 */
import * as Y from 'yjs';

/**
 * The first item the transaction added for these clients whose neighbours or parent entry disagree with it,
 * or null. The caller names the clients (those its update writes for): looking at every client in the state
 * vector costs about 40% of the apply itself in a room with 2,000 past sessions.
 */
export function findMisplacedItem(transaction: Y.Transaction, clients: Iterable<number>): Y.Item | null {
  const { beforeState, afterState, doc } = transaction;
  for (const client of clients) {
    const before = beforeState.get(client) ?? 0;
    const after = afterState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i]!.id.clock < after; i++) {
      const struct = structs[i]!;
      if (struct instanceof Y.Item && !isLinkedInPlace(struct)) return struct;
    }
  }
  return null;
}

/** The clients an update writes structs for. Throws on an update Yjs cannot read. */
export const clientsOf = (update: Uint8Array): number[] => [...Y.parseUpdateMeta(update).to.keys()];

const sameSlot = (a: Y.Item, b: Y.Item) => a.parent === b.parent && a.parentSub === b.parentSub;

/** Its neighbours share its parent and key, and its parent finds it where the ends of lists are kept. */
function isLinkedInPlace(item: Y.Item): boolean {
  if (item.left && !sameSlot(item.left, item)) return false;
  if (item.right && !sameSlot(item.right, item)) return false;
  const parent = item.parent as Y.AbstractType<unknown> | null;
  if (!parent) return true;
  if (item.parentSub !== null) return item.right !== null || parent._map.get(item.parentSub) === item;
  return item.left !== null || parent._start === item;
}
