/**
 * Backend off the UI process (issue 22): the backend in a worker_threads Worker behind its host's router
 * (electron/backend/backend-entry-remote.ts, as the web host and the desktop's utilityProcess run it), on a
 * workspace with a year of history.
 *
 * - launch → board usable: from starting the backend to the first week's board answered over its port
 *   (the backend side of launch; the renderer's paint is measured by board-bench.ts).
 * - longest wait of any request during the open and the schedule-document decode: a probe sends one
 *   request every 25 ms (board week, providers, queue, settings in turn) from launch until 300 ms after the
 *   decode ended, and reports each one's time from send to answer. `sync:getStatus` (not answerable from the
 *   read tables) is probed too, to show what still waits for the decode.
 *
 * Each run alternates the worker's entry: the TypeScript sources under tsx (as `npm run web` runs them) and
 * the bundle electron-vite builds for the desktop (out/main/backend-worker.js; run `npx electron-vite build`
 * first, else only the sources are measured).
 *
 * Then, on the same year store (sources entry, issue 22 item 1):
 * - compaction: `compactEvery` lowered so the next writes start one; reads and writes probed every 25 ms
 *   from its start until 300 ms after its commit (the merge runs in a Worker, the commit on the backend).
 * - a large sync apply: the year store uploaded to a real sync server (sync/testing/sync-harness.ts),
 *   a second workspace linked to it and closed, 3,000 jobs added meanwhile (one write each); the second
 *   backend is started and probed every 25 ms until 300 ms after it reports `synced`.
 * Every probe records which side answered (the worker, or the host's read tables) and the longest stall of
 * the host's own thread while it waited (a 5 ms timer's lateness), so a slow answer can be told apart:
 * a busy host thread (CPU, the read tables' queries) or a worker that did not answer.
 *
 * `npx tsx bench/backend-worker-bench.ts [--quick] [--runs N] [--no-sync] [--store FILE]` (--quick: 20k bookings instead of
 * 100k; --store: keep the built store in FILE and reuse it next time).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays, dayBoundsMs, fromMs, type RequestName } from '../core/index';
import { startBackendWorker } from '../electron/backend/backend-entry-remote';
import { WORKSPACE_FILE } from '../electron/backend/workspace';
import { isReadTableRequest } from '../electron/backend/backend-entry-reader';
import { createPortClient, type ClientPort } from '../renderer/src/api/port-client';
import { buildStore } from './fixtures';
import { openDesktop, startSyncServer, waitFor } from '../electron/backend/sync/testing/sync-harness';
import { cpSync } from 'node:fs';
import type { LogEntry } from '../electron/backend/log';
import Database from 'better-sqlite3';
import { ms, percentile, table } from './stats';

const quick = process.argv.includes('--quick');
const withSync = !process.argv.includes('--no-sync');
// --store FILE: build the year store into FILE once, and copy it from there on later runs (the build takes minutes).
const storeArg = process.argv.indexOf('--store');
const kept = storeArg > 0 ? process.argv[storeArg + 1] : undefined;

/** The host thread's stalls: a 5 ms timer's lateness, kept as [at, late] so a probe can look up its window. */
function stallMonitor() {
  const stalls: Array<[number, number]> = [];
  // The host thread's own garbage collection, to tell it apart from CPU contention.
  const gcs: Array<[number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push([entry.startTime, entry.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > 15) stalls.push([now, now - last - 5]);
    last = now;
  }, 5);
  return {
    /** The longest stall that ended inside [from, to]. */
    worst: (from: number, to: number) => Math.max(0, ...stalls.filter(([at, late]) => at >= from && at - late <= to + 5).map(([, late]) => late)),
    /** Garbage collection on the host thread inside [from, to], in ms. */
    gc: (from: number, to: number) => gcs.filter(([at, d]) => at + d >= from && at <= to).reduce((sum, [, d]) => sum + d, 0),
    stop: () => {
      clearInterval(timer);
      observer.disconnect();
    },
  };
}

interface Probe {
  name: string;
  ms: number;
  sent: number;
  fromTables: boolean;
  hostStall: number;
  /** Of the host thread's time while it waited: spent in the read tables (opening, querying). */
  tablesMs: number;
  /** ... and in its garbage collector. */
  gcMs?: number;
}
const slow = (probes: Probe[]) => probes.filter((p) => p.ms > 100);
/** Why the slow ones were slow: the host's own thread stalled for most of it, or the answer came late. */
function explain(label: string, probes: Probe[]): string {
  const late = slow(probes);
  if (late.length === 0) return `${label}: none over 100 ms`;
  const tables = late.filter((p) => p.tablesMs >= p.ms / 2).length;
  const host = late.filter((p) => p.tablesMs < p.ms / 2 && p.hostStall >= p.ms / 2).length;
  const worker = late.length - host - tables;
  const worst = late.reduce((a, b) => (b.ms > a.ms ? b : a));
  const gc = late.reduce((sum, p) => sum + (p.gcMs ?? 0), 0);
  const waited = late.reduce((sum, p) => sum + p.ms, 0);
  return `${label}: ${late.length} over 100 ms — host thread in the read tables for most of it: ${tables}, host thread stalled otherwise: ${host}, waiting for the worker: ${worker}; host GC ${((100 * gc) / waited).toFixed(0)}% of their wait; worst ${worst.name} ${worst.ms.toFixed(0)} ms (host stall ${worst.hostStall.toFixed(0)} ms, host GC ${(worst.gcMs ?? 0).toFixed(0)} ms, read tables ${worst.tablesMs.toFixed(0)} ms, answered by ${worst.fromTables ? 'the read tables' : 'the worker'})`;
}
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const START = '2025-11-24';
const DAYS = 364;

const root = mkdtempSync(join(tmpdir(), 'crewline-backend-bench-'));
try {
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  const bookings = quick ? 20_000 : 100_000;
  const workspaceFile = join(dataDir, WORKSPACE_FILE);
  if (kept && existsSync(kept)) {
    copyFileSync(kept, workspaceFile);
    console.log(`copied the store built earlier from ${kept}`);
  } else {
    const built = buildStore(workspaceFile, { providers: 200, bookings, startDate: START, days: DAYS, closeFraction: 0.97, archiveAfterDays: 30 });
    const active = built.store.db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
    built.store.close();
    console.log(`built ${bookings} bookings over a year (${active} active) in ${built.seconds.toFixed(1)} s`);
    if (kept) copyFileSync(workspaceFile, kept);
  }

  const [weekFrom] = dayBoundsMs(addDays(START, DAYS - 7), 'America/Chicago');
  const week = { from: fromMs(weekFrom), to: fromMs(weekFrom + 7 * 86_400_000) };
  const nowMs = weekFrom + 2 * 86_400_000 + 15 * 3_600_000;
  const bundle = resolve(import.meta.dirname, '../out/main/backend-worker.js');
  const entries: Array<{ label: string; entry?: URL }> = [{ label: 'sources (tsx)' }];
  if (existsSync(bundle)) entries.push({ label: 'built bundle', entry: pathToFileURL(bundle) });
  const usableBy = new Map<string, number[]>(entries.map((e) => [e.label, []]));
  const readyBy = new Map<string, number[]>(entries.map((e) => [e.label, []]));
  const decode: number[] = [];
  // Each read probe by phase: before the decode (the worker answers), during it (the read tables), and in
  // the 300 ms after it (the worker again, now also starting the horizon keeper, sync and backups).
  const readWaits = { before: [] as number[], during: [] as number[], after: [] as number[] };
  const otherWaits: number[] = [];
  const detail = { before: [] as Probe[], during: [] as Probe[], after: [] as Probe[] };
  const monitor = stallMonitor();
  for (let run = 0; run < runs * entries.length; run++) {
    const { label, entry } = entries[run % entries.length]!;
    const t0 = performance.now();
    const backend = startBackendWorker({ dataDir, version: 'bench', transport: 'ipc', nowMs, ...(entry ? { entry } : {}) });
    void backend.ready.then(() => readyBy.get(label)!.push(performance.now() - t0));
    const client = createPortClient({ transport: 'ipc' });
    client.attach(backend.connect() as unknown as ClientPort);
    let loadingAt = 0;
    let loadedAt = 0;
    const watchLoading = setInterval(() => {
      if (!loadingAt && backend.loading) loadingAt = performance.now();
    }, 1);
    void backend.loaded.then(() => (loadedAt = performance.now()));
    const probes: Promise<void>[] = [];
    const reads: RequestName[] = ['board:getRange', 'providers:list', 'queue:list', 'settings:get'];
    const inputs: Record<string, unknown> = { 'board:getRange': week, 'providers:list': {}, 'queue:list': {}, 'settings:get': {} };
    let i = 0;
    const probe = (name: RequestName, into: number[] | null) => {
      const sent = performance.now();
      const tablesBefore = backend.readTableAnswers;
      const busyBefore = backend.readTableBusyMs;
      probes.push(
        (client.request as (n: RequestName, input: unknown) => Promise<{ ok: boolean }>)(name, inputs[name] ?? {}).then((result) => {
          if (!result.ok) throw new Error(`${name} failed during the bench`);
          const phase = !loadingAt || sent < loadingAt ? 'before' : !loadedAt || sent < loadedAt ? 'during' : 'after';
          const answered = performance.now();
          (into ?? readWaits[phase]).push(answered - sent);
          if (!into) detail[phase].push({ name, ms: answered - sent, sent, fromTables: isReadTableRequest(name) && backend.readTableAnswers > tablesBefore, hostStall: 0, tablesMs: backend.readTableBusyMs - busyBefore });
        }),
      );
    };
    const first = await (client.request as (n: RequestName, input: unknown) => Promise<{ ok: boolean }>)('board:getRange', week);
    if (!first.ok) throw new Error('first board request failed');
    usableBy.get(label)!.push(performance.now() - t0);
    const readTimer = setInterval(() => probe(reads[i++ % reads.length]!, null), 25);
    const otherTimer = setInterval(() => probe('sync:getStatus', otherWaits), 100);
    await backend.loaded;
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(readTimer);
    clearInterval(otherTimer);
    clearInterval(watchLoading);
    await Promise.all(probes);
    if (loadingAt) decode.push(loadedAt - loadingAt);
    client.close();
    await backend.close();
  }
  for (const list of Object.values(detail)) for (const p of list) {
    p.hostStall = monitor.worst(p.sent, p.sent + p.ms);
    p.gcMs = monitor.gc(p.sent, p.sent + p.ms);
  }
  monitor.stop();
  const row = (measure: string, samples: number[], target: string) => ({
    measure,
    n: samples.length,
    p50: ms(percentile(samples, 50)),
    p95: ms(percentile(samples, 95)),
    max: ms(Math.max(...samples)),
    target,
  });
  console.log(
    table([
      ...entries.flatMap(({ label }) => [
        row(`backend start → workspace open (${label})`, readyBy.get(label)!, ''),
        row(`launch → first week board answered (${label})`, usableBy.get(label)!, '≤ 1.5 s'),
      ]),
      row('schedule-document decode in the worker', decode, ''),
      row('reads before the decode (board, providers, queue, settings)', readWaits.before, 'max ≤ 100 ms'),
      row('reads during the decode (answered from the read tables)', readWaits.during, 'max ≤ 100 ms'),
      row('reads in the 300 ms after the decode (worker: horizon, sync, backups start)', readWaits.after, 'max ≤ 100 ms'),
      row('sync:getStatus from launch to 300 ms after the decode', otherWaits, 'max ≤ 100 ms'),
    ]),
  );
  console.log(explain('reads before the decode', detail.before));
  console.log(explain('reads during the decode', detail.during));
  console.log(explain('reads after the decode', detail.after));

  const compaction = await benchCompaction(dataDir, week, nowMs);
  const syncApply = withSync ? await benchSyncApply(root, dataDir, week) : null;
  console.log(
    table([
      row('compaction: merge (Worker) start → commit', compaction.mergeMs, ''),
      row('reads during a compaction (+300 ms)', compaction.reads.map((p) => p.ms), 'max ≤ 100 ms'),
      row('writes during a compaction (+300 ms)', compaction.writes.map((p) => p.ms), 'max ≤ 100 ms'),
      ...(syncApply
        ? [
            row('sync reconnect: launch → synced (3,000 jobs in step 2)', syncApply.syncedMs, ''),
            row('reads from launch to 300 ms after synced', syncApply.reads.map((p) => p.ms), 'max ≤ 100 ms'),
          ]
        : []),
    ]),
  );
  console.log(explain('reads during a compaction', compaction.reads));
  console.log(explain('writes during a compaction', compaction.writes));
  if (syncApply) console.log(explain('reads around a large sync apply', syncApply.reads));
} finally {
  rmSync(root, { recursive: true, force: true });
}

type Week = { from: string; to: string };
type AnyRequest = (n: RequestName, input: unknown) => Promise<{ ok: boolean; error?: { message: string } }>;

/** Reads and writes while the schedule document compacts (its merge in a Worker), runs times. */
async function benchCompaction(dataDir: string, week: Week, nowMs: number) {
  const mergeMs: number[] = [];
  const reads: Probe[] = [];
  const writes: Probe[] = [];
  const monitor = stallMonitor();
  for (let run = 0; run < runs; run++) {
    const entries: LogEntry[] = [];
    const backend = startBackendWorker({ dataDir, version: 'bench', transport: 'ipc', nowMs, compactEvery: 100 });
    backend.onEntry((e) => entries.push(e));
    const client = createPortClient({ transport: 'ipc' });
    client.attach(backend.connect() as unknown as ClientPort);
    const request = client.request as AnyRequest;
    await backend.loaded;
    const at = (event: string) => entries.find((e) => e.event === event);
    const job = (i: number) => request('commands:run', { name: 'createBooking', input: { title: `Compaction bench ${run}.${i}` } });
    for (let i = 0; !at('store.compaction_started'); i++) {
      if (i > 200) throw new Error('no compaction started');
      const made = await job(i);
      if (!made.ok) throw new Error(made.error?.message);
    }
    const started = performance.now();
    let committedAt = 0;
    const probes: Promise<void>[] = [];
    const reading: RequestName[] = ['board:getRange', 'providers:list', 'queue:list', 'settings:get'];
    let i = 0;
    const probe = (name: RequestName, input: unknown, into: Probe[]) => {
      const sent = performance.now();
      const tablesBefore = backend.readTableAnswers;
      const busyBefore = backend.readTableBusyMs;
      probes.push(
        request(name, input).then((result) => {
          if (!result.ok) throw new Error(`${name} failed: ${result.error?.message}`);
          into.push({ name, ms: performance.now() - sent, sent, fromTables: isReadTableRequest(name) && backend.readTableAnswers > tablesBefore, hostStall: 0, tablesMs: backend.readTableBusyMs - busyBefore });
        }),
      );
    };
    const readTimer = setInterval(() => {
      const name = reading[i++ % reading.length]!;
      probe(name, name === 'board:getRange' ? week : {}, reads);
    }, 25);
    const writeTimer = setInterval(() => probe('commands:run', { name: 'createBooking', input: { title: `During compaction ${run}.${i}` } }, writes), 100);
    while (!at('store.compaction_committed')) {
      if (at('store.compaction_failed') || at('store.compaction_dropped')) throw new Error('the compaction did not commit');
      await new Promise((r) => setTimeout(r, 5));
    }
    committedAt = performance.now();
    mergeMs.push(committedAt - started);
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(readTimer);
    clearInterval(writeTimer);
    await Promise.all(probes);
    client.close();
    await backend.close();
  }
  for (const p of [...reads, ...writes]) {
    p.hostStall = monitor.worst(p.sent, p.sent + p.ms);
    p.gcMs = monitor.gc(p.sent, p.sent + p.ms);
  }
  monitor.stop();
  return { mergeMs, reads, writes };
}

/**
 * A reconnect bringing 3,000 jobs in one handshake (sync step 2) into a workspace holding the year store:
 * the year uploaded by desktop a, desktop b linked (replace) and closed, a adds the jobs, b's backend starts.
 */
async function benchSyncApply(root: string, dataDir: string, week: Week) {
  const server = await startSyncServer();
  const aDir = join(root, 'sync-a');
  cpSync(dataDir, aDir, { recursive: true });
  const a = await openDesktop('a', { dataDir: aDir });
  const syncedMs: number[] = [];
  const reads: Probe[] = [];
  const monitor = stallMonitor();
  try {
    await a.signIn(server, 'ana', 'upload');
    await waitFor(() => a.sync.status().state === 'synced', 'a synced', 300_000);
    for (let run = 0; run < runs; run++) {
      const b = await openDesktop(`b${run}`);
      await b.signIn(server, 'bo', 'replace');
      await waitFor(() => b.sync.status().state === 'synced', 'b synced', 300_000);
      b.close();
      for (let i = 0; i < 3000; i++) {
        const made = a.store.execute('createBooking', { title: `Added while b was away ${run}.${i}` });
        if (!made.ok) throw new Error(made.error.message);
      }
      await waitFor(() => a.sync.status().state === 'synced', 'a synced', 300_000);

      const t0 = performance.now();
      const backend = startBackendWorker({ dataDir: b.dataDir, version: 'bench', transport: 'ipc' });
      const client = createPortClient({ transport: 'ipc' });
      client.attach(backend.connect() as unknown as ClientPort);
      const request = client.request as AnyRequest;
      let synced = false;
      client.on('sync:statusChanged', (status) => {
        if (status.state === 'synced') synced = true;
      });
      const probes: Promise<void>[] = [];
      const reading: RequestName[] = ['board:getRange', 'providers:list', 'queue:list', 'settings:get', 'sync:getStatus'];
      let i = 0;
      const readTimer = setInterval(() => {
        const name = reading[i++ % reading.length]!;
        const sent = performance.now();
        const tablesBefore = backend.readTableAnswers;
      const busyBefore = backend.readTableBusyMs;
        probes.push(
          request(name, name === 'board:getRange' ? week : {}).then((result) => {
            if (!result.ok) throw new Error(`${name} failed: ${result.error?.message}`);
            reads.push({ name, ms: performance.now() - sent, sent, fromTables: isReadTableRequest(name) && backend.readTableAnswers > tablesBefore, hostStall: 0, tablesMs: backend.readTableBusyMs - busyBefore });
          }),
        );
      }, 25);
      await waitFor(() => synced, 'b synced again', 300_000);
      syncedMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 300));
      clearInterval(readTimer);
      await Promise.all(probes);
      client.close();
      await backend.close();
      const file = new Database(join(b.dataDir, WORKSPACE_FILE), { readonly: true });
      const landed = file.prepare('SELECT count(*) FROM bookings WHERE data LIKE ?').pluck().get(`%Added while b was away ${run}.%`) as number;
      file.close();
      if (landed !== 3000) throw new Error(`${landed} of the 3,000 jobs arrived`);
      b.dispose();
    }
  } finally {
    a.close();
    await server.dispose();
  }
  for (const p of reads) {
    p.hostStall = monitor.worst(p.sent, p.sent + p.ms);
    p.gcMs = monitor.gc(p.sent, p.sent + p.ms);
  }
  monitor.stop();
  return { syncedMs, reads };
}
