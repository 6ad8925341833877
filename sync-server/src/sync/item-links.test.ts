/**
 * `findMisplacedItem`: silent on every honest edit (seeded concurrent editing of maps, lists, text and nested
 * types, delivered out of order), and it finds a forged struct that overlaps known history under another
 * parent, whether it integrates at once or after waiting for missing history.
 *
 * Replay: FC_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRng } from '../../../core/demo/random';
import { findMisplacedItem } from './item-links';
import { forgedListStruct } from './testing/forged-update';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

/** A document that records what the check says of each of its transactions. */
function checkedDoc(): { doc: Y.Doc; misplaced: Y.Item[] } {
  const doc = new Y.Doc({ gc: true });
  const misplaced: Y.Item[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    const item = findMisplacedItem(transaction, transaction.afterState.keys());
    if (item) misplaced.push(item);
  });
  return { doc, misplaced };
}

function docOf(clientID: number, edit: (doc: Y.Doc) => void): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  edit(doc);
  return doc;
}

describe('findMisplacedItem', () => {
  it(`says nothing of honest concurrent edits, in any delivery order (seed ${SEED})`, () => {
    console.log(`item-links: seed ${SEED} (replay with FC_SEED=${SEED})`);
    const rng = createRng(SEED);
    const writers = [1, 2, 3].map((id) => docOf(id, () => {}));
    const updates: Uint8Array[] = [];
    writers.forEach((w) => w.on('update', (u: Uint8Array) => updates.push(u)));
    for (let step = 0; step < 400; step++) {
      const w = rng.pick(writers);
      const bookings = w.getMap<unknown>('bookings');
      const list = w.getArray<number>('history');
      const text = w.getText('memo');
      switch (rng.int(0, 6)) {
        case 0:
          bookings.set(`job-${rng.int(0, 8)}`, { n: step });
          break;
        case 1:
          bookings.delete(`job-${rng.int(0, 8)}`);
          break;
        case 2: {
          const nested = new Y.Map<unknown>();
          bookings.set(`nested-${rng.int(0, 3)}`, nested);
          nested.set('notes', `n${step}`);
          break;
        }
        case 3:
          list.insert(rng.int(0, list.length), [step, step + 1]);
          break;
        case 4:
          if (list.length > 0) list.delete(rng.int(0, list.length - 1), 1);
          break;
        case 5:
          text.insert(rng.int(0, text.length), `t${step}`);
          break;
        default:
          if (text.length > 1) text.delete(rng.int(0, text.length - 2), rng.int(1, 2));
      }
      // Writers sync with each other now and then, so their edits interleave and conflict.
      if (rng.chance(0.2)) {
        const [a, b] = rng.sample(writers, 2);
        Y.applyUpdate(b!, Y.encodeStateAsUpdate(a!, Y.encodeStateVector(b!)));
      }
    }
    // Delivered in a shuffled order (some wait for missing history), then merged and in one piece.
    const shuffled = checkedDoc();
    for (const update of rng.shuffle(updates)) Y.applyUpdate(shuffled.doc, update);
    const merged = checkedDoc();
    Y.applyUpdate(merged.doc, Y.mergeUpdates(updates));
    const converged = contentOf(everyone(writers));
    expect(converged.memo.length).toBeGreaterThan(0);
    for (const { doc, misplaced } of [shuffled, merged]) {
      expect(doc.store.pendingStructs).toBeNull();
      expect(misplaced).toEqual([]);
      expect(contentOf(doc)).toEqual(converged);
    }
  });

  it('finds a struct that overlaps known history under another parent', () => {
    // Client 7 typed "ab" into memo (clocks 0-1). A forged update from "client 7" claims clocks 0-3 for a
    // list under bookings: Yjs skips 0-1 as known and links 2-3 after memo's "b" with bookings as parent.
    const honest = docOf(7, (d) => d.getText('memo').insert(0, 'ab'));
    const forged = docOf(7, (d) => d.getArray('bookings').insert(0, [1, 2, 3, 4]));
    const { doc, misplaced } = checkedDoc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(honest));
    expect(misplaced).toEqual([]);

    Y.applyUpdate(doc, Y.encodeStateAsUpdate(forged));
    expect(misplaced.map((item) => [item.id.client, item.id.clock])).toEqual([[7, 2]]);
  });

  it('finds one that waited for missing history, in the transaction that completes it', () => {
    // Forged clocks 3-6 wait for 2; client 7's honest "cdef" (clocks 2-5) arrives and completes them.
    const honest = docOf(7, (d) => d.getText('memo').insert(0, 'ab'));
    const { doc, misplaced } = checkedDoc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(honest));
    const forged = forgedListStruct({ client: 7, clock: 3, parent: 'bookings', values: [0, 1, 2, 3] });
    Y.applyUpdate(doc, forged);
    expect(doc.store.pendingStructs).not.toBeNull();
    expect(misplaced).toEqual([]);

    honest.getText('memo').insert(2, 'cdef');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(honest, Y.encodeStateVector(doc)));
    // Clock 6 lands after "f" with bookings as parent; the check meets "cdef" first, whose right it now is.
    expect(doc.store.pendingStructs).toBeNull();
    expect(misplaced).toHaveLength(1);
  });
});

const contentOf = (doc: Y.Doc) => ({
  bookings: doc.getMap('bookings').toJSON(),
  history: doc.getArray('history').toArray(),
  memo: doc.getText('memo').toString(),
});

/** What the writers converge on once each has everyone's updates. */
function everyone(writers: Y.Doc[]): Y.Doc {
  const all = new Y.Doc();
  for (const w of writers) Y.applyUpdate(all, Y.encodeStateAsUpdate(w));
  return all;
}
