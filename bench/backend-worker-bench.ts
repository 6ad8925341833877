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
 * - a large sync apply: the year store uploaded by desktop a to a real sync server, a second workspace
 *   (desktop b) linked to it and closed, 3,000 jobs added by a meanwhile (one write each); b's backend is
 *   started and probed every 25 ms until 300 ms after it reports `synced`. The server and the desktops
 *   run in child processes of their own (bench/sync-servers.ts, bench/sync-desktop-child.ts): this thread
 *   is only b's host, as in the app, where the server is another machine.
 * - writes: each phase is run again with a small write every 100 ms as well (`draft:stage` of a card 15 min
 *   later, then back, as a drag does), reported apart: a read sent after a write waits for it (it never
 *   overtakes it), so the reads of those runs are reported apart too.
 * Every probe records which side answered (the worker, or the host's read tables) and the longest stall of
 * the host's own thread while it waited (a 5 ms timer's lateness), so a slow answer can be told apart:
 * a busy host thread (CPU, the read tables' queries) or a worker that did not answer.
 *
 * `npx tsx bench/backend-worker-bench.ts [--quick] [--runs N] [--no-sync | --sync-only] [--store FILE [--build-only]]`
 * (--quick: 20k bookings instead of 100k; --store: keep the built store in FILE and reuse it next time;
 * --build-only: build it and stop). Any failed request or step throws: a stopped run never prints a table.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays, dayBoundsMs, fromMs, toMs, type BoardView, type RequestName } from '../core/index';
import { startBackendWorker } from '../electron/backend/backend-entry-remote';
import { WORKSPACE_FILE } from '../electron/backend/workspace';
import { isReadTableRequest } from '../electron/backend/backend-entry-reader';
import { isDraftRequest } from '../electron/backend/api/draft-staging';
import { createPortClient, type ClientPort } from '../renderer/src/api/port-client';
import { buildStore } from './fixtures';
import { waitFor } from '../electron/backend/sync/testing/sync-harness';
import { ADMIN, addUser, startServer } from './sync-servers';
import { DesktopProcess } from './sync-convergence';
import { cpSync } from 'node:fs';
import type { LogEntry } from '../electron/backend/log';
import Database from 'better-sqlite3';
import { ms, percentile, table } from './stats';

const quick = process.argv.includes('--quick');
const withSync = !process.argv.includes('--no-sync');
// --store FILE: build the year store into FILE once, and copy it from there on later runs (the build takes minutes).
const storeArg = process.argv.indexOf('--store');
const kept = storeArg > 0 ? process.argv[storeArg + 1] : undefined;
// --build-only: build the store into --store FILE (or find it there) and stop (measure later, on a quiet machine).
const buildOnly = process.argv.includes('--build-only');
// --sync-only: only the large sync apply phase.
const syncOnly = process.argv.includes('--sync-only');

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
/** Desktop b's user (a signs in as the server's admin). */
const DISPATCHER = { email: 'bench-b@example.com', name: 'Bench B', role: 'dispatcher' as const, password: 'bench-b-password-1' };
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
  if (buildOnly) {
    if (!kept) throw new Error('--build-only needs --store FILE');
    console.log(`kept in ${kept}`);
    process.exitCode = 0;
  } else {

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
  // The same launches again with a small write every 100 ms too (a card staged 15 min later, then back, as a
  // drag does): what a write waits before, during and after the decode, and what the reads sent meanwhile wait.
  const writeDetail = { first: [] as Probe[], before: [] as Probe[], during: [] as Probe[], after: [] as Probe[] };
  const readsWithWrites = { before: [] as Probe[], during: [] as Probe[], after: [] as Probe[] };
  const monitor = stallMonitor();
  const launches = syncOnly ? 0 : runs;
  for (let run = 0; run < 2 * launches * entries.length; run++) {
    const { label, entry } = entries[run % entries.length]!;
    const withWrites = run >= launches * entries.length;
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
    // Writes-pass probes are sorted into phases once the run is over (the decode's start and end are known then).
    const ran: Probe[] = [];
    const wrote: Probe[] = [];
    const probe = (name: RequestName, into: number[] | null, input: unknown = inputs[name] ?? {}) => {
      const sent = performance.now();
      const tablesBefore = backend.readTableAnswers;
      const busyBefore = backend.readTableBusyMs;
      probes.push(
        (client.request as AnyRequest)(name, input).then((result) => {
          if (!result.ok) throw new Error(`${name} failed during the bench: ${result.error?.message}`);
          const answered = performance.now();
          const one: Probe = { name, ms: answered - sent, sent, fromTables: (isReadTableRequest(name) || isDraftRequest(name)) && backend.readTableAnswers > tablesBefore, hostStall: 0, tablesMs: backend.readTableBusyMs - busyBefore };
          if (withWrites) {
            if (!into) (name === 'draft:stage' ? wrote : ran).push(one);
            return;
          }
          const phase = !loadingAt || sent < loadingAt ? 'before' : !loadedAt || sent < loadedAt ? 'during' : 'after';
          (into ?? readWaits[phase]).push(answered - sent);
          if (!into) detail[phase].push(one);
        }),
      );
    };
    const first = await (client.request as AnyRequest)('board:getRange', week);
    if (!first.ok) throw new Error('first board request failed');
    usableBy.get(label)!.push(performance.now() - t0);
    const readTimer = setInterval(() => probe(reads[i++ % reads.length]!, null), 25);
    const otherTimer = setInterval(() => probe('sync:getStatus', otherWaits), 100);
    const stage = withWrites ? stager(first as BoardAnswer, week, nowMs) : null;
    const writeTimer = stage ? setInterval(() => probe('draft:stage', null, stage()), 100) : null;
    await backend.loaded;
    while (withWrites && wrote.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(readTimer);
    clearInterval(otherTimer);
    if (writeTimer) clearInterval(writeTimer);
    clearInterval(watchLoading);
    await Promise.all(probes);
    if (withWrites) {
      // A write never decodes the document (staging reads the read tables): the decode runs from the router's
      // `loading` to `loaded`, as in the reads pass.
      const firstWrite = wrote.reduce((a, b) => (b.sent < a.sent ? b : a));
      const decodeFrom = loadingAt || Infinity;
      const decodeTo = loadedAt || Infinity;
      const phaseOf = (p: Probe) => (p.sent < decodeFrom ? 'before' : p.sent < decodeTo ? 'during' : 'after');
      for (const p of wrote) writeDetail[p === firstWrite ? 'first' : phaseOf(p)].push(p);
      for (const p of ran) readsWithWrites[phaseOf(p)].push(p);
      if (loadingAt) decode.push(loadedAt - loadingAt);
      const cleared = await (client.request as AnyRequest)('draft:discard', {});
      if (!cleared.ok) throw new Error(`draft:discard failed: ${cleared.error?.message}`);
    } else if (loadingAt) decode.push(loadedAt - loadingAt);
    client.close();
    await backend.close();
  }
  for (const list of [...Object.values(detail), ...Object.values(writeDetail), ...Object.values(readsWithWrites)]) for (const p of list) {
    p.hostStall = monitor.worst(p.sent, p.sent + p.ms);
    p.gcMs = monitor.gc(p.sent, p.sent + p.ms);
  }
  monitor.stop();

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
      row('first write (draft:stage, 100 ms after the first board)', writeDetail.first.map((p) => p.ms), 'max ≤ 100 ms'),
      row('writes before the decode (one every 100 ms)', writeDetail.before.map((p) => p.ms), 'max ≤ 100 ms'),
      row('writes during the decode', writeDetail.during.map((p) => p.ms), 'max ≤ 100 ms'),
      row('writes in the 300 ms after the decode', writeDetail.after.map((p) => p.ms), 'max ≤ 100 ms'),
      row('reads before the decode, writes also sent', readsWithWrites.before.map((p) => p.ms), 'max ≤ 100 ms'),
      row('reads during the decode, writes also sent', readsWithWrites.during.map((p) => p.ms), 'max ≤ 100 ms'),
      row('reads after the decode, writes also sent', readsWithWrites.after.map((p) => p.ms), 'max ≤ 100 ms'),
    ]),
  );
  console.log(explain('reads before the decode', detail.before));
  console.log(explain('reads during the decode', detail.during));
  console.log(explain('reads after the decode', detail.after));
  console.log(explain('first write', writeDetail.first));
  console.log(explain('writes before the decode', writeDetail.before));
  console.log(explain('writes during the decode', writeDetail.during));
  console.log(explain('writes after the decode', writeDetail.after));
  console.log(explain('reads during the decode, writes also sent', readsWithWrites.during));

  const compaction = syncOnly ? { mergeMs: [], reads: [], writes: [] } : await benchCompaction(dataDir, week, nowMs);
  const syncApply = withSync ? await benchSyncApply(root, dataDir, week, nowMs) : null;
  console.log(
    table([
      row('compaction: merge (Worker) start → commit', compaction.mergeMs, ''),
      row('reads during a compaction (+300 ms)', compaction.reads.map((p) => p.ms), 'max ≤ 100 ms'),
      row('writes during a compaction (+300 ms)', compaction.writes.map((p) => p.ms), 'max ≤ 100 ms'),
      ...(syncApply
        ? [
            row('sync reconnect: launch → synced (3,000 jobs in step 2)', syncApply.syncedMs, ''),
            row('reads from launch to 300 ms after synced', [...syncApply.reads.decode, ...syncApply.reads.apply].map((p) => p.ms), 'max ≤ 100 ms'),
            row('  of which: until the document is decoded', syncApply.reads.decode.map((p) => p.ms), 'max ≤ 100 ms'),
            row('  of which: decoded → 300 ms after synced (the apply)', syncApply.reads.apply.map((p) => p.ms), 'max ≤ 100 ms'),
            row('writes until the document is decoded', syncApply.writes.decode.map((p) => p.ms), 'max ≤ 100 ms'),
            row('writes, decoded → 300 ms after synced (the apply)', syncApply.writes.apply.map((p) => p.ms), 'max ≤ 100 ms'),
            row('reads until decoded, writes also sent', syncApply.readsWithWrites.decode.map((p) => p.ms), 'max ≤ 100 ms'),
            row('reads, decoded → synced + 300 ms, writes also sent', syncApply.readsWithWrites.apply.map((p) => p.ms), 'max ≤ 100 ms'),
          ]
        : []),
    ]),
  );
  console.log(explain('reads during a compaction', compaction.reads));
  console.log(explain('writes during a compaction', compaction.writes));
  if (syncApply) {
    console.log(explain('reads around a large sync apply', [...syncApply.reads.decode, ...syncApply.reads.apply]));
    console.log(explain('reads until b decoded', syncApply.reads.decode));
    console.log(explain('reads, decoded → synced + 300 ms', syncApply.reads.apply));
    console.log(explain('writes until b decoded', syncApply.writes.decode));
    console.log(explain('writes, decoded → synced + 300 ms', syncApply.writes.apply));
    console.log(explain('reads, decoded → synced + 300 ms, writes also sent', syncApply.readsWithWrites.apply));
  }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

function row(measure: string, samples: number[], target: string) {
  const none = samples.length === 0;
  return {
    measure,
    n: samples.length,
    p50: none ? '' : ms(percentile(samples, 50)),
    p95: none ? '' : ms(percentile(samples, 95)),
    max: none ? '' : ms(Math.max(...samples)),
    target,
  };
}

type Week = { from: string; to: string };
type AnyRequest = (n: RequestName, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
type BoardAnswer = { ok: boolean; value?: BoardView };

/**
 * The board's small write, as a drag makes it: `draft:stage` of a scheduled card of the week 15 min later,
 * then back where it is saved (which discards it), with the board's range for the delta. Each call gives
 * the next request's input. Throws if the week holds no card to move.
 */
function stager(board: BoardAnswer, week: Week, nowMs: number): () => unknown {
  const card = board.value?.bookings.find((b) => b.status === 'scheduled' && b.slot && toMs(b.slot.start) > nowMs);
  if (!card?.slot) throw new Error('no scheduled card in the week to stage');
  const slot = card.slot;
  let moved = false;
  return () => {
    moved = !moved;
    const shift = moved ? 15 * 60_000 : 0;
    return { id: card.id, slot: { ...slot, start: fromMs(toMs(slot.start) + shift), end: fromMs(toMs(slot.end) + shift) }, view: week };
  };
}

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
          into.push({ name, ms: performance.now() - sent, sent, fromTables: (isReadTableRequest(name) || isDraftRequest(name)) && backend.readTableAnswers > tablesBefore, hostStall: 0, tablesMs: backend.readTableBusyMs - busyBefore });
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
 * The sync server and desktops a and b (while linking) run in child processes of their own
 * (bench/sync-servers.ts, bench/sync-desktop-child.ts): in the app the server is another machine, and this
 * thread is only b's host (its router and read tables), as the web host's or the desktop's backend process is.
 */
async function benchSyncApply(root: string, dataDir: string, week: Week, nowMs: number) {
  const server = await startServer('crewline');
  const syncedMs: number[] = [];
  /** Probes sent until b's document is decoded, and from then to 300 ms after `synced` (the apply). */
  const reads = { decode: [] as Probe[], apply: [] as Probe[] };
  // A second set of runs with a write every 100 ms too: reads sent after a write wait for it (never overtake it).
  const writes = { decode: [] as Probe[], apply: [] as Probe[] };
  const readsWithWrites = { decode: [] as Probe[], apply: [] as Probe[] };
  const monitor = stallMonitor();
  let a: DesktopProcess | null = null;
  try {
    await addUser(server, DISPATCHER);
    const aDir = join(root, 'sync-a');
    cpSync(dataDir, aDir, { recursive: true });
    a = await DesktopProcess.start('bench-a', aDir);
    await a.request({ type: 'signIn', serverUrl: server.httpUrl, ...ADMIN, mode: 'upload' });
    await until(async () => (await a!.state()).synced, 'a synced after its upload');
    for (let run = 0; run < 2 * runs; run++) {
      const withWrites = run >= runs;
      const bDir = join(root, `sync-b${run}`);
      mkdirSync(bDir);
      const linking = await DesktopProcess.start(`bench-b${run}`, bDir);
      await linking.request({ type: 'signIn', serverUrl: server.httpUrl, email: DISPATCHER.email, password: DISPATCHER.password, mode: 'replace' });
      await until(async () => (await linking.state()).synced, 'b synced after linking');
      await linking.close(true);
      await a.request({ type: 'create', count: 3000, title: `Added while b was away ${run}.` });
      await until(async () => (await a!.state()).synced, 'a synced after its 3,000 jobs');

      const t0 = performance.now();
      const backend = startBackendWorker({ dataDir: bDir, version: 'bench', transport: 'ipc', nowMs });
      const client = createPortClient({ transport: 'ipc' });
      client.attach(backend.connect() as unknown as ClientPort);
      const request = client.request as AnyRequest;
      let synced = false;
      let loadedAt = Infinity;
      void backend.loaded.then(() => (loadedAt = performance.now()));
      client.on('sync:statusChanged', (status) => {
        if (status.state === 'synced') synced = true;
      });
      const probes: Promise<void>[] = [];
      const ran: Probe[] = [];
      const wrote: Probe[] = [];
      const probe = (name: RequestName, input: unknown, into: Probe[]) => {
        const sent = performance.now();
        const tablesBefore = backend.readTableAnswers;
        const busyBefore = backend.readTableBusyMs;
        probes.push(
          request(name, input).then((result) => {
            if (!result.ok) throw new Error(`${name} failed: ${result.error?.message}`);
            into.push({ name, ms: performance.now() - sent, sent, fromTables: (isReadTableRequest(name) || isDraftRequest(name)) && backend.readTableAnswers > tablesBefore, hostStall: 0, tablesMs: backend.readTableBusyMs - busyBefore });
          }),
        );
      };
      const reading: RequestName[] = ['board:getRange', 'providers:list', 'queue:list', 'settings:get', 'sync:getStatus'];
      let i = 0;
      const first = (await request('board:getRange', week)) as BoardAnswer;
      if (!first.ok) throw new Error('b: first board request failed');
      const stage = stager(first, week, nowMs);
      const readTimer = setInterval(() => {
        const name = reading[i++ % reading.length]!;
        probe(name, name === 'board:getRange' ? week : {}, ran);
      }, 25);
      const writeTimer = withWrites ? setInterval(() => probe('draft:stage', stage(), wrote), 100) : undefined;
      await waitFor(() => synced, 'b synced again', 300_000);
      if (!withWrites) syncedMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 300));
      clearInterval(readTimer);
      clearInterval(writeTimer);
      await Promise.all(probes);
      const decoded = loadedAt;
      const into = withWrites ? readsWithWrites : reads;
      for (const p of ran) (p.sent < decoded ? into.decode : into.apply).push(p);
      for (const p of wrote) (p.sent < decoded ? writes.decode : writes.apply).push(p);
      const cleared = await request('draft:discard', {});
      if (!cleared.ok) throw new Error(`draft:discard failed: ${cleared.error?.message}`);
      client.close();
      await backend.close();
      const file = new Database(join(bDir, WORKSPACE_FILE), { readonly: true });
      const landed = file.prepare('SELECT count(*) FROM bookings WHERE data LIKE ?').pluck().get(`%Added while b was away ${run}.%`) as number;
      file.close();
      if (landed !== 3000) throw new Error(`${landed} of the 3,000 jobs arrived`);
      rmSync(bDir, { recursive: true, force: true });
    }
  } finally {
    await a?.close();
    await server.stop();
  }
  for (const p of [...reads.decode, ...reads.apply, ...writes.decode, ...writes.apply, ...readsWithWrites.decode, ...readsWithWrites.apply]) {
    p.hostStall = monitor.worst(p.sent, p.sent + p.ms);
    p.gcMs = monitor.gc(p.sent, p.sent + p.ms);
  }
  monitor.stop();
  return { syncedMs, reads, writes, readsWithWrites };
}

/** Polls an async condition (a desktop process's state) until it holds. */
async function until(condition: () => Promise<boolean>, label: string, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
