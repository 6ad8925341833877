import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRng } from '../../../core/demo/random';
import { checkStateVector, checkUpdate } from './update-guard';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const FUZZ_RUNS = Number(process.env.GUARD_FUZZ_RUNS ?? 3000);

/** Updates of every kind Yjs writes: maps of plain values, arrays, text with formats, XML, deletes. */
function sampleUpdates(): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const bookings = doc.getMap<unknown>('bookings');
  bookings.set('job-1', { title: 'Fix boiler', slot: { start: '2026-11-23T14:00:00Z', assignees: ['p1', 'p2'] }, n: 3.5 });
  bookings.set('big', 2n ** 40n);
  bookings.set('nothing', null);
  bookings.set('bytes', new Uint8Array([1, 2, 3]));
  const record = new Y.Map<unknown>();
  bookings.set('job-2', record);
  record.set('notes', 'Ring twice — ünïcödé ✓');
  const log = doc.getArray<unknown>('history');
  log.push([{ at: 1, who: 'ana' }, 'text', 42, -7, true, false, null]);
  log.delete(1, 2);
  const text = doc.getText('memo');
  text.insert(0, 'Hello world');
  text.format(0, 5, { bold: true });
  text.insertEmbed(5, { image: 'x.png' });
  text.delete(2, 3);
  const xml = doc.getXmlFragment('xml');
  const element = new Y.XmlElement('p');
  xml.insert(0, [element, new Y.XmlText('plain')]);
  element.setAttribute('class', 'x');
  bookings.delete('job-1');
  updates.push(Y.encodeStateAsUpdate(doc));
  updates.push(Y.encodeStateAsUpdate(new Y.Doc())); // empty
  // Merged, non-contiguous updates contain Skip structs.
  updates.push(Y.mergeUpdates([updates[0]!, updates[3]!]));
  return updates;
}

describe('checkUpdate', () => {
  const samples = sampleUpdates();

  it('accepts every update Yjs writes', () => {
    expect(samples.length).toBeGreaterThan(10);
    for (const update of samples) expect(checkUpdate(update)).toBeNull();
  });

  it('refuses every strict prefix of a real update and trailing garbage', () => {
    const full = samples.at(-3)!;
    for (let end = 0; end < full.length; end++) {
      expect(checkUpdate(full.subarray(0, end)), `prefix ${end}`).not.toBeNull();
    }
    expect(checkUpdate(new Uint8Array([...full, 0]))).toBe('Trailing bytes after the update');
  });

  it('refuses forged counts at once instead of looping', () => {
    const forged = (build: (e: encoding.Encoder) => void) => {
      const e = encoding.createEncoder();
      build(e);
      return encoding.toUint8Array(e);
    };
    const cases = [
      forged((e) => encoding.writeVarUint(e, 2 ** 40)), // clients
      forged((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 2 ** 50); // structs
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 0);
      }),
      forged((e) => {
        // one Any item claiming 2^31 values
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 7);
        encoding.writeVarUint(e, 0);
        encoding.writeUint8(e, 8);
        encoding.writeVarUint(e, 1);
        encoding.writeVarString(e, 'root');
        encoding.writeVarUint(e, 2 ** 31);
        encoding.writeUint8(e, 126);
      }),
      forged((e) => {
        // empty structs, then a delete set with 2^45 ranges
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 5);
        encoding.writeVarUint(e, 2 ** 45);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 1);
      }),
      forged((e) => {
        // a GC struct of length 0 and a clock past 2^53
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 0);
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, 0);
      }),
    ];
    for (const update of cases) {
      const started = performance.now();
      expect(checkUpdate(update)).not.toBeNull();
      expect(performance.now() - started).toBeLessThan(50);
    }
  });

  it('refuses sub-documents and unknown content', () => {
    const doc = new Y.Doc();
    let update: Uint8Array | null = null;
    doc.on('update', (u: Uint8Array) => (update = u));
    doc.getMap('m').set('sub', new Y.Doc());
    expect(checkUpdate(update!)).toBe('Sub-documents are not accepted');
  });

  it(`fuzz (seed ${SEED}): mutations are judged quickly; Yjs never runs off the end of an accepted one`, () => {
    console.log(`update-guard fuzz: seed ${SEED}, ${FUZZ_RUNS} runs (replay with FC_SEED=${SEED})`);
    const rng = createRng(SEED);
    let accepted = 0;
    let slowest = 0;
    for (let run = 0; run < FUZZ_RUNS; run++) {
      const bytes = new Uint8Array(rng.pick(samples));
      const mutations = rng.int(1, 4);
      for (let m = 0; m < mutations && bytes.length > 0; m++) {
        const at = rng.int(0, bytes.length - 1);
        bytes[at] = rng.chance(0.5) ? rng.int(0, 255) : bytes[at]! ^ (1 << rng.int(0, 7));
      }
      const input = rng.chance(0.2) ? bytes.subarray(0, rng.int(0, bytes.length)) : bytes;
      const started = performance.now();
      const verdict = checkUpdate(input);
      slowest = Math.max(slowest, performance.now() - started);
      if (verdict !== null) continue;
      accepted++;
      // The guard skips string contents; Yjs decodes them while reading (invalid UTF-8 or JSON throws there,
      // before anything is integrated). Any other read failure — running off the end, an unknown type — the
      // guard must have caught.
      try {
        Y.decodeUpdate(input);
      } catch (error) {
        const message = String(error);
        expect(/not valid for encoding utf-8|JSON|Unexpected token|Bad control character/.test(message), `run ${run}: ${message}`).toBe(true);
      }
    }
    expect(slowest).toBeLessThan(100);
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('checkStateVector', () => {
  it('accepts real state vectors and refuses forged counts and truncation', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const sv = Y.encodeStateVector(doc);
    expect(checkStateVector(sv)).toBeNull();
    expect(checkStateVector(Y.encodeStateVector(new Y.Doc()))).toBeNull();
    expect(checkStateVector(sv.subarray(0, sv.length - 1))).not.toBeNull();
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2 ** 40);
    expect(checkStateVector(encoding.toUint8Array(e))).not.toBeNull();
  });
});
