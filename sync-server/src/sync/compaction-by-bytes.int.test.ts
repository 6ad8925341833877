/**
 * Compaction by logged bytes, off the relay path (issue 23, 5), on a real server over rooms.sqlite (the
 * PostgreSQL store keeps the same rule: the update-log contract runs the byte cases on both engines).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { OffThreadMerger } from '../storage/merge-off-thread';
import type { SyncLimits } from './limits';
import { loadDoc } from './room';
import { connectProvider, ORG_A, roomOf, startTestServer, waitUntil, whenSynced, type TestServer } from './testing/harness';

const SCHEDULE = roomOf(ORG_A, 'schedule');
const sameState = (a: Y.Doc, b: Y.Doc) => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('compaction by logged bytes', () => {
  const providers: WebsocketProvider[] = [];
  const servers: TestServer[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const p of providers.splice(0)) p.destroy();
    for (const s of servers.splice(0)) await s.stop();
  });
  const start = async (limits: Partial<SyncLimits>) => {
    const t = await startTestServer({ limits: { compactIdleMs: 600_000, ...limits } });
    servers.push(t);
    return t;
  };
  const client = (t: TestServer) => {
    const p = connectProvider(t.wsUrl, SCHEDULE, 'dispatcher-a', new Y.Doc());
    providers.push(p);
    return p;
  };

  it('folds when the log reaches its share of the snapshot, so an ageing room’s log stays in proportion', async () => {
    const t = await start({ compactLogRatio: 1, compactMinLogBytes: 16 * 1024, compactAfterUpdates: 1_000_000 });
    const p = client(t);
    await whenSynced(p);
    const store = t.server.store;
    // A room that grows (new keys) while most writes overwrite: ~500 bytes per update.
    const real = store.compactStored.bind(store);
    const folds: { logBytes: number; snapshotBytes: number }[] = [];
    vi.spyOn(store, 'compactStored').mockImplementation(async (room) => {
      const at = { logBytes: store.logBytes(room), snapshotBytes: store.snapshotBytes(room) };
      const folded = await real(room);
      if (folded) folds.push(at);
      return folded;
    });
    const m = p.doc.getMap('jobs');
    for (let i = 0; i < 600; i++) {
      m.set(i % 3 === 0 ? `new-${i}` : `hot-${i % 10}`, `${i}:${'z'.repeat(480)}`);
      await tick();
    }
    await waitUntil(() => sameState(t.server.rooms.get(SCHEDULE)!.doc, p.doc), 5000, 'server has everything');
    await waitUntil(() => !t.server.rooms.get(SCHEDULE)!.compactScheduled, 5000, 'last fold done');
    // Once folds are done the log is below the rule (a fold re-checks what was logged while it ran).
    expect(store.logBytes(SCHEDULE)).toBeLessThan(Math.max(16 * 1024, store.snapshotBytes(SCHEDULE)));
    // ~300 KB logged over a snapshot growing to ~100 KB: a handful of folds, not one per N updates, each
    // started once the log had reached the snapshot's size.
    expect(folds.length).toBeGreaterThanOrEqual(2);
    expect(folds.length).toBeLessThan(20);
    for (const fold of folds) expect(fold.logBytes).toBeGreaterThanOrEqual(Math.max(16 * 1024, fold.snapshotBytes));
    expect(folds.at(-1)!.snapshotBytes).toBeGreaterThan(folds[0]!.snapshotBytes);
    expect(store.snapshotBytes(SCHEDULE) + store.logBytes(SCHEDULE)).toBeGreaterThan(200 * 480);
    expect(sameState(loadDoc(store, SCHEDULE), p.doc)).toBe(true);
  });

  it('relays go on while a fold is merging; what is logged meanwhile stays in the log', async () => {
    const t = await start({ compactLogRatio: 1, compactMinLogBytes: 8 * 1024, compactAfterUpdates: 1_000_000 });
    const writer = client(t);
    const reader = client(t);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    // Hold the worker's answer: the fold is mid-way for as long as the test wants.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = OffThreadMerger.prototype.merge;
    const merge = vi.spyOn(OffThreadMerger.prototype, 'merge').mockImplementation(async function (this: OffThreadMerger, parts) {
      await gate;
      return real.call(this, parts);
    });
    const m = writer.doc.getMap('m');
    for (let i = 0; i < 40 && merge.mock.calls.length === 0; i++) {
      m.set(`k${i}`, 'q'.repeat(500));
      await tick();
    }
    await waitUntil(() => merge.mock.calls.length === 1, 5000, 'a fold started');
    const room = t.server.rooms.get(SCHEDULE)!;
    expect(room.compactScheduled).toBe(true);
    const store = t.server.store;
    const rowsBefore = store.logLength(SCHEDULE);
    // While it merges, edits are relayed, stored and acknowledged as ever.
    for (let i = 0; i < 5; i++) m.set(`during${i}`, i);
    await waitUntil(() => reader.doc.getMap('m').get('during4') === 4, 5000, 'relayed during the fold');
    await waitUntil(() => store.settled() && store.logLength(SCHEDULE) === rowsBefore + 5, 5000, 'logged during the fold');
    expect(room.compactScheduled).toBe(true);
    release();
    await waitUntil(() => !room.compactScheduled, 5000, 'fold done');
    // The fold took what was stored when it began; the five later rows are still in the log.
    expect(store.logLength(SCHEDULE)).toBe(5);
    expect(store.snapshotBytes(SCHEDULE)).toBeGreaterThan(0);
    expect(sameState(loadDoc(store, SCHEDULE), writer.doc)).toBe(true);
  });

  it('a room that went quiet is folded on the worker too, whatever its log’s size', async () => {
    const t = await start({ compactIdleMs: 400 });
    const p = client(t);
    await whenSynced(p);
    const merge = vi.spyOn(OffThreadMerger.prototype, 'merge');
    for (let i = 0; i < 10; i++) p.doc.getMap('m').set(`k${i}`, i);
    const store = t.server.store;
    await waitUntil(() => store.settled() && store.logLength(SCHEDULE) === 10, 5000, 'logged');
    await waitUntil(() => store.logLength(SCHEDULE) === 0, 5000, 'folded once quiet');
    expect(merge).toHaveBeenCalled();
    expect(t.server.rooms.get(SCHEDULE)).toBeDefined();
    expect(sameState(loadDoc(store, SCHEDULE), p.doc)).toBe(true);
  });
});
