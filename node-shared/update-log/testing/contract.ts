/**
 * The one contract every update log keeps (issue 21, 3), modelled on tldraw sync-core's storage contract
 * tests: the desktop's `DocLog`, the server's SQLite `RoomStore` and its PostgreSQL room store each run it
 * through a small adapter. Faults are injected with database triggers that make a write fail in the middle
 * of its transaction, and what a second connection reads afterwards must show nothing half-written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactionDue } from '../../../core/sync/compaction-rule';

export type FaultKind = 'log-insert' | 'log-delete' | 'snapshot-write';

export interface UpdateLogSubject {
  /** Writes `updates` as one unit the way the store's real caller does; true once durable, false if refused. */
  write(key: string, updates: Uint8Array[]): Promise<boolean>;
  /** The document through the store: snapshot and log merged (null: nothing stored). */
  load(key: string): Promise<Uint8Array | null>;
  /** What a second connection reads from the storage: snapshot and log merged. */
  readBack(key: string): Promise<Uint8Array | null>;
  /** The snapshot row as a second connection reads it (an engine may fold more into it than `state`). */
  readSnapshot(key: string): Promise<Uint8Array | null>;
  logLength(key: string): Promise<number>;
  /** Folds the log into `state` (the whole document); false if the transaction was refused. */
  compact(key: string, state: Uint8Array): Promise<boolean>;
  keys(): Promise<string[]>;
  /**
   * Stores that compact by bytes (the sync server's, issue 23, 5): what the store knows of a key's log
   * rows and bytes and of its snapshot's bytes (after `load` on a store that reads ahead), and a fold of
   * the stored log into the snapshot without the live document. The desktop's log has neither.
   */
  sizes?(key: string): Promise<{ rows: number; bytes: number; snapshotBytes: number }>;
  compactStored?(key: string): Promise<boolean>;
  /**
   * Installs a trigger: `log-insert` fails an insert once the log holds `afterRows` rows; `log-delete`
   * fails any delete from the log; `snapshot-write` fails any insert or update of a snapshot. Returns
   * the remover.
   */
  fault(kind: FaultKind, afterRows?: number): Promise<() => Promise<void>>;
  /** Closes this store and opens a new one on the same storage. */
  reopen(): Promise<UpdateLogSubject>;
  close(): Promise<void>;
}

export interface UpdateLogHarness {
  /** A store on fresh, empty storage. */
  open(): Promise<UpdateLogSubject>;
  /** The store compacts by bytes (`sizes` and `compactStored`): the byte-rule cases run. */
  compactsByBytes?: boolean;
}

type ByBytes = UpdateLogSubject & Required<Pick<UpdateLogSubject, 'sizes' | 'compactStored'>>;

function byBytes(log: UpdateLogSubject): ByBytes {
  if (!log.sizes || !log.compactStored) throw new Error('compactsByBytes needs sizes and compactStored');
  return log as ByBytes;
}

const A = 'org/01900000-0000-7000-8000-00000000000a/schedule';
const B = 'org/01900000-0000-7000-8000-00000000000a/roster';

/** A document and the updates it emitted, made by `edit`. */
function edits(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const listen = (u: Uint8Array) => out.push(u);
  doc.on('update', listen);
  edit(doc);
  doc.off('update', listen);
  return out;
}

function content(update: Uint8Array | null): unknown {
  if (update === null) return null;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const json = { m: doc.getMap('m').toJSON(), a: doc.getArray('a').toJSON() };
  doc.destroy();
  return json;
}

function setKeys(from: number, to: number) {
  return (doc: Y.Doc) => {
    for (let i = from; i < to; i++) doc.transact(() => doc.getMap('m').set(`k${i % 7}`, { rev: i }));
  };
}

export function updateLogContract(name: string, harness: UpdateLogHarness): void {
  describe(`update log contract: ${name}`, () => {
    const open: UpdateLogSubject[] = [];
    const start = async () => {
      const subject = await harness.open();
      open.push(subject);
      return subject;
    };
    afterEach(async () => {
      for (const subject of open.splice(0)) await subject.close();
    });

    it('an unknown document loads as nothing, with an empty log', async () => {
      const log = await start();
      expect(await log.load(A)).toBeNull();
      expect(await log.readBack(A)).toBeNull();
      expect(await log.logLength(A)).toBe(0);
      expect(await log.keys()).toEqual([]);
    });

    it('written updates load back as the writer’s document, per key, and are on disk for a second reader', async () => {
      const log = await start();
      const a = new Y.Doc();
      const b = new Y.Doc();
      expect(await log.write(A, edits(a, setKeys(0, 30)))).toBe(true);
      expect(await log.write(B, edits(b, (d) => d.getArray('a').push(['x', 'y'])))).toBe(true);
      expect(await log.write(A, edits(a, (d) => d.getArray('a').push(['z'])))).toBe(true);
      expect(content(await log.load(A))).toEqual(content(Y.encodeStateAsUpdate(a)));
      expect(content(await log.readBack(A))).toEqual(content(Y.encodeStateAsUpdate(a)));
      expect(content(await log.readBack(B))).toEqual({ m: {}, a: ['x', 'y'] });
      expect(await log.logLength(A)).toBe(31);
      expect(await log.logLength(B)).toBe(1);
      expect(await log.keys()).toEqual([B, A].sort());
    });

    it('compaction empties the log into a snapshot of the state; later writes stack on top; reopening gives it back', async () => {
      let log = await start();
      const a = new Y.Doc();
      await log.write(A, edits(a, setKeys(0, 20)));
      const state = Y.encodeStateAsUpdate(a);
      expect(await log.compact(A, state)).toBe(true);
      expect(await log.logLength(A)).toBe(0);
      expect(content(await log.readSnapshot(A))).toEqual(content(state));
      await log.write(A, edits(a, setKeys(20, 25)));
      expect(await log.logLength(A)).toBe(5);
      log = await log.reopen();
      open.push(log);
      expect(content(await log.load(A))).toEqual(content(Y.encodeStateAsUpdate(a)));
      expect(await log.keys()).toEqual([A]);
      // A second compaction replaces the first snapshot.
      const later = Y.encodeStateAsUpdate(a);
      expect(await log.compact(A, later)).toBe(true);
      expect(content(await log.readSnapshot(A))).toEqual(content(later));
      expect(content(await log.readBack(A))).toEqual(content(later));
    });

    it('a write refused in the middle of its transaction leaves nothing of it on disk, and the next write lands', async () => {
      const log = await start();
      const a = new Y.Doc();
      await log.write(A, edits(a, setKeys(0, 3)));
      const before = await log.readBack(A);
      // The unit's first row goes in, its second is refused: the whole unit must roll back.
      const remove = await log.fault('log-insert', 4);
      const b = new Y.Doc();
      expect(await log.write(B, edits(b, setKeys(100, 104)))).toBe(false);
      expect(content(await log.readBack(A))).toEqual(content(before));
      expect(await log.readBack(B)).toBeNull();
      await remove();
      const c = new Y.Doc();
      expect(await log.write('c', edits(c, (d) => d.getArray('a').push(['after'])))).toBe(true);
      expect(content(await log.readBack('c'))).toEqual({ m: {}, a: ['after'] });
      expect(content(await log.readBack(A))).toEqual(content(before));
    });

    for (const kind of ['log-delete', 'snapshot-write'] as const) {
      it(`a compaction refused at the ${kind} keeps the old snapshot and the whole log`, async () => {
        const log = await start();
        const a = new Y.Doc();
        await log.write(A, edits(a, setKeys(0, 10)));
        const first = Y.encodeStateAsUpdate(a);
        expect(await log.compact(A, first)).toBe(true);
        await log.write(A, edits(a, setKeys(10, 16)));
        const remove = await log.fault(kind);
        expect(await log.compact(A, Y.encodeStateAsUpdate(a))).toBe(false);
        expect(content(await log.readSnapshot(A))).toEqual(content(first));
        expect(await log.logLength(A)).toBe(6);
        expect(content(await log.readBack(A))).toEqual(content(Y.encodeStateAsUpdate(a)));
        await remove();
        const second = Y.encodeStateAsUpdate(a);
        expect(await log.compact(A, second)).toBe(true);
        expect(content(await log.readSnapshot(A))).toEqual(content(second));
        expect(await log.logLength(A)).toBe(0);
      });
    }

    if (!harness.compactsByBytes) return;
    const bytesOf = (updates: Uint8Array[]) => updates.reduce((n, u) => n + u.byteLength, 0);
    const bulky = (from: number, to: number) => (doc: Y.Doc) => {
      for (let i = from; i < to; i++) doc.transact(() => doc.getMap('m').set(`k${i % 7}`, `${i}:${'x'.repeat(400)}`));
    };

    it('knows its log’s bytes and its snapshot’s: writes add theirs, compaction moves them into the snapshot, reopening reads them back', async () => {
      let log: ByBytes = byBytes(await start());
      const a = new Y.Doc();
      const first = edits(a, bulky(0, 40));
      await log.write(A, first);
      expect(await log.sizes(A)).toEqual({ rows: 40, bytes: bytesOf(first), snapshotBytes: 0 });
      expect(await log.compact(A, Y.encodeStateAsUpdate(a))).toBe(true);
      const snapshotBytes = (await log.readSnapshot(A))!.byteLength;
      // Overwritten values are gone from the snapshot: it is far smaller than what was logged.
      expect(snapshotBytes).toBeLessThan(bytesOf(first) / 2);
      expect(await log.sizes(A)).toEqual({ rows: 0, bytes: 0, snapshotBytes });
      const more = edits(a, bulky(40, 43));
      await log.write(A, more);
      log = byBytes(await log.reopen());
      open.push(log);
      await log.load(A);
      expect(await log.sizes(A)).toEqual({ rows: 3, bytes: bytesOf(more), snapshotBytes });
    });

    it('a log grown to its share of the snapshot is due; folding the stored log keeps the document, and a write landing meanwhile stays', async () => {
      const log = byBytes(await start());
      const policy = { logRatio: 0.5, minLogBytes: 0, maxLogRows: 1_000_000 };
      const a = new Y.Doc();
      // A room with history: many keys, then compacted.
      await log.write(A, edits(a, (d) => d.transact(() => { for (let i = 0; i < 200; i++) d.getMap('m').set(`live${i}`, 'y'.repeat(100)); })));
      expect(await log.compact(A, Y.encodeStateAsUpdate(a))).toBe(true);
      const snapshot = (await log.sizes(A)).snapshotBytes;
      expect(snapshot).toBeGreaterThan(20_000);
      let i = 0;
      while (!compactionDue({ ...(await log.sizes(A)) }, policy)) {
        await log.write(A, edits(a, bulky(i, i + 1)));
        i++;
      }
      // Due exactly when the log's bytes reached half the snapshot's, not before.
      const due = await log.sizes(A);
      expect(due.bytes).toBeGreaterThanOrEqual(snapshot / 2);
      expect(due.bytes - bytesOf(edits(new Y.Doc(), bulky(0, 1)))).toBeLessThan(snapshot / 2 + 50);
      expect(due.rows).toBe(i);
      const folding = log.compactStored(A);
      const late = edits(a, bulky(1000, 1003));
      const wrote = log.write(A, late);
      expect(await folding).toBe(true);
      expect(await wrote).toBe(true);
      expect(content(await log.readBack(A))).toEqual(content(Y.encodeStateAsUpdate(a)));
      // What the store says matches the storage: the rows left are the late ones (or none, folded too).
      const after = await log.sizes(A);
      expect(after.rows).toBe(await log.logLength(A));
      expect([0, late.length]).toContain(after.rows);
      expect(after.bytes).toBe(after.rows === 0 ? 0 : bytesOf(late));
      expect(after.snapshotBytes).toBe((await log.readSnapshot(A))!.byteLength);
      expect(compactionDue(after, policy)).toBe(false);
    });

    it('a fold of the stored log never writes an older document over a compaction that overtook it', async () => {
      const log = byBytes(await start());
      const a = new Y.Doc();
      await log.write(A, edits(a, setKeys(0, 10)));
      const folding = log.compactStored(A);
      // The live document is ahead of the stored log (what a compaction at unload hands over).
      edits(a, setKeys(10, 20));
      const live = Y.encodeStateAsUpdate(a);
      const compacting = log.compact(A, live);
      await folding;
      expect(await compacting).toBe(true);
      expect(content(await log.readSnapshot(A))).toEqual(content(live));
      expect(content(await log.readBack(A))).toEqual(content(live));
    });
  });
}
