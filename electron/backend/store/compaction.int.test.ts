// Compaction off the backend thread (issue 22, item 1): the merge runs in a Worker, writes go on
// meanwhile and stay logged, the commit folds in exactly the merged rows, and a crash at any point keeps
// every committed write.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../core/clock';
import { scheduleMaps, type Actor } from '../../../core/index';
import { workerCompactor } from './compaction';
import { DocLog } from './doc-log';
import { LocalStore, type CompactionOutcome } from './local-store';
import { tempDir } from './testing/temp-dir';
import { sqliteFault } from '../../../node-shared/update-log/testing/sqlite-faults';
import { DOC_LOG_TABLES } from './doc-log';

const actor: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'admin' };
const ENTRY = new URL('./compaction-worker.ts', import.meta.url);
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function workspace() {
  const tmp = tempDir('crewline-compaction-');
  const stores: LocalStore[] = [];
  cleanups.push(() => {
    for (const s of stores) if (s.db.open) s.close();
    tmp.cleanup();
  });
  const path = tmp.file('ws.sqlite');
  const open = (options: Partial<Parameters<typeof LocalStore.open>[1]> = {}) => {
    const store = LocalStore.open(path, { actor, clock: fixedClock(Date.parse('2026-11-23T12:00:00Z')), ...options });
    stores.push(store);
    return store;
  };
  return { path, open };
}

const createJob = (store: LocalStore, title: string): string => {
  const result = store.execute('createBooking', { title });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.id;
};

const until = async (check: () => boolean, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const titles = (store: LocalStore) =>
  [...scheduleMaps(store.docs.schedule).bookings.values()].map((b) => b.get('title') as string).sort();

describe('compaction in a Worker', () => {
  it('writes land while the merge runs; the commit keeps them logged and folds in only what was merged', async () => {
    const { open } = workspace();
    const outcomes: Array<{ doc: string } & CompactionOutcome> = [];
    // The merge is held 1.5 s after it read the log: the writes below land while it runs.
    const store = open({
      compactEvery: 30,
      compactor: workerCompactor({ entry: ENTRY, delayMs: 1500 }),
      onCompaction: (doc, outcome) => outcomes.push({ doc, ...outcome }),
    });
    for (let i = 0; i < 30; i++) createJob(store, `before ${i}`);
    expect(store.compactionRunning).toBe(true);
    expect(outcomes).toEqual([{ doc: 'schedule', kind: 'started', through: expect.any(Number) }]);
    const through = outcomes[0]!.through;

    for (let i = 0; i < 10; i++) createJob(store, `during ${i}`);
    // Each write committed at once, with the merge still running: none waited for it.
    expect(store.compactionRunning).toBe(true);
    expect(store.docs.schedule.share.size).toBeGreaterThan(0);

    await until(() => !store.compactionRunning, 'the compaction');
    expect(outcomes.at(-1)).toEqual({ doc: 'schedule', kind: 'committed', through });
    // The snapshot covers the merged rows; the 10 writes made meanwhile are still in the log, after it.
    const snapshotThrough = store.db.prepare("SELECT through_id FROM doc_snapshots WHERE doc = 'schedule'").pluck().get();
    expect(snapshotThrough).toBe(through);
    const left = store.db.prepare("SELECT min(id) AS first, count(*) AS n FROM doc_updates WHERE doc = 'schedule'").get() as { first: number; n: number };
    expect(left.n).toBe(10);
    expect(left.first).toBeGreaterThan(through);

    // The file alone (snapshot + log) is the whole live document.
    const live = titles(store);
    expect(live).toHaveLength(40);
    const fileState = new DocLog(store.db).load('schedule')!;
    const fromFile = new Y.Doc();
    Y.applyUpdate(fromFile, fileState);
    expect(Y.encodeStateVector(fromFile)).toEqual(Y.encodeStateVector(store.docs.schedule));
    store.close();
    expect(titles(open())).toEqual(live);
  });

  it('drops a merge whose snapshot changed meanwhile (a compaction on this thread committed first)', async () => {
    const { open } = workspace();
    const outcomes: CompactionOutcome[] = [];
    const store = open({ compactEvery: 20, compactor: workerCompactor({ entry: ENTRY, delayMs: 1000 }), onCompaction: (_doc, o) => outcomes.push(o) });
    for (let i = 0; i < 20; i++) createJob(store, `job ${i}`);
    expect(store.compactionRunning).toBe(true);
    for (let i = 0; i < 5; i++) createJob(store, `more ${i}`);
    store.compact('schedule'); // covers all 25
    await until(() => !store.compactionRunning, 'the compaction');
    expect(outcomes.map((o) => o.kind)).toEqual(['started', 'dropped']);
    expect(store.db.prepare("SELECT count(*) FROM doc_updates WHERE doc = 'schedule'").pluck().get()).toBe(0);
    const live = titles(store);
    store.close();
    expect(titles(open())).toEqual(live);
    expect(live).toHaveLength(25);
  });

  it('a commit that fails (the log delete, the snapshot write) rolls back: snapshot and log stay as they were', async () => {
    for (const kind of ['log-delete', 'snapshot-write'] as const) {
      const { open } = workspace();
      const outcomes: CompactionOutcome[] = [];
      const store = open({ compactEvery: 10, compactor: workerCompactor({ entry: ENTRY, delayMs: 300 }), onCompaction: (_d, o) => outcomes.push(o) });
      for (let i = 0; i < 10; i++) createJob(store, `job ${i}`);
      // Installed while the merge runs: only the commit on this thread meets it.
      const remove = sqliteFault(store.db, DOC_LOG_TABLES, kind);
      await until(() => !store.compactionRunning, 'the compaction');
      expect(outcomes.map((o) => o.kind)).toEqual(['started', 'failed']);
      expect(String((outcomes[1] as { error: unknown }).error)).toMatch(/injected fault/);
      remove();
      expect(store.db.prepare("SELECT count(*) FROM doc_snapshots WHERE doc = 'schedule'").pluck().get()).toBe(0);
      expect(store.db.prepare("SELECT count(*) FROM doc_updates WHERE doc = 'schedule'").pluck().get()).toBe(10);
      const live = titles(store);
      store.close();
      expect(titles(open())).toEqual(live);
    }
  });

  it('a merge that fails leaves the log as it was, and says so', async () => {
    const { open } = workspace();
    const outcomes: CompactionOutcome[] = [];
    const store = open({ compactEvery: 10, compactor: workerCompactor({ entry: new URL('./no-such-worker.ts', import.meta.url) }), onCompaction: (_d, o) => outcomes.push(o) });
    for (let i = 0; i < 10; i++) createJob(store, `job ${i}`);
    await until(() => !store.compactionRunning, 'the failed compaction');
    expect(outcomes.map((o) => o.kind)).toEqual(['started', 'failed']);
    expect(store.db.prepare("SELECT count(*) FROM doc_updates WHERE doc = 'schedule'").pluck().get()).toBe(10);
    expect(titles(store)).toHaveLength(10);
  });

  it('keeps every committed write across a crash (SIGKILL) in the middle of a compaction', async () => {
    const { path, open } = workspace();
    open().close(); // the schema
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/crash-compactor.ts', import.meta.url)), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: string[] = [];
    let compacting = -1;
    let afterStart = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('compacting ')) compacting = Number(line.split(' ')[2]);
          else if (/^(committed|dropped|failed) /.test(line)) reject(new Error(`the merge ended before the crash: ${line}`));
          else {
            committed.push(line);
            if (compacting >= 0) afterStart++;
          }
        }
        // Well inside the (minute-long) merge, with writes committed since it began.
        if (afterStart >= 50 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(stderr).toBe('');
    expect(compacting).toBeGreaterThan(0);
    expect(afterStart).toBeGreaterThanOrEqual(50);

    const reopened = open();
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const id of committed) expect(reopened.queries.booking(id)?.id).toBe(id);
    // Nothing was folded in: the log holds every write, and the next compaction (here, on this thread) works.
    expect(reopened.db.prepare("SELECT count(*) FROM doc_snapshots WHERE doc = 'schedule'").pluck().get()).toBe(0);
    const before = titles(reopened);
    expect(before.length).toBeGreaterThanOrEqual(committed.length);
    reopened.compact('schedule');
    reopened.close();
    expect(titles(open())).toEqual(before);
  });
});
