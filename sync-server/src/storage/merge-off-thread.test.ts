import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OffThreadMerger } from './merge-off-thread';

const merger = new OffThreadMerger();
afterAll(() => merger.close());

function updatesOf(edit: (doc: Y.Doc) => void, doc = new Y.Doc()): Uint8Array[] {
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  edit(doc);
  return out;
}

describe('merging a document off the thread', () => {
  it('gives the document the parts make, with deleted content collected', async () => {
    const doc = new Y.Doc();
    const parts = updatesOf((d) => {
      for (let i = 0; i < 200; i++) d.getMap('m').set(`k${i % 5}`, 'x'.repeat(100) + i);
      d.getArray('a').push(['kept']);
    }, doc);
    const state = await merger.merge(parts);
    const back = new Y.Doc();
    Y.applyUpdate(back, state);
    expect(back.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    expect(back.getArray('a').toJSON()).toEqual(['kept']);
    // 200 overwritten values of ~100 bytes: only the 5 live ones are left in the state.
    expect(state.byteLength).toBeLessThan(5 * 100 + 2000);
    expect(parts.reduce((n, p) => n + p.byteLength, 0)).toBeGreaterThan(200 * 100);
  });

  it('answers each caller with its own document, and a bad part rejects only its merge', async () => {
    const a = updatesOf((d) => d.getMap('m').set('who', 'a'));
    const b = updatesOf((d) => d.getMap('m').set('who', 'b'));
    const [sa, bad, sb] = await Promise.allSettled([merger.merge(a), merger.merge([new Uint8Array([255, 255, 255])]), merger.merge(b)]);
    const who = (r: PromiseSettledResult<Uint8Array>) => {
      const d = new Y.Doc();
      Y.applyUpdate(d, (r as PromiseFulfilledResult<Uint8Array>).value);
      return d.getMap('m').get('who');
    };
    expect(who(sa)).toBe('a');
    expect(who(sb)).toBe('b');
    expect(bad.status).toBe('rejected');
  });
});
