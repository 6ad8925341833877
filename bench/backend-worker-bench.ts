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
 * `npx tsx bench/backend-worker-bench.ts [--quick] [--runs N]` (--quick: 20k bookings instead of 100k).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays, dayBoundsMs, fromMs, type RequestName } from '../core/index';
import { startBackendWorker } from '../electron/backend/backend-entry-remote';
import { WORKSPACE_FILE } from '../electron/backend/workspace';
import { createPortClient, type ClientPort } from '../renderer/src/api/port-client';
import { buildStore } from './fixtures';
import { ms, percentile, table } from './stats';

const quick = process.argv.includes('--quick');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const START = '2025-11-24';
const DAYS = 364;

const root = mkdtempSync(join(tmpdir(), 'crewline-backend-bench-'));
try {
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  const bookings = quick ? 20_000 : 100_000;
  const built = buildStore(join(dataDir, WORKSPACE_FILE), { providers: 200, bookings, startDate: START, days: DAYS, closeFraction: 0.97, archiveAfterDays: 30 });
  const active = built.store.db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
  built.store.close();
  console.log(`built ${bookings} bookings over a year (${active} active) in ${built.seconds.toFixed(1)} s`);

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
      probes.push(
        (client.request as (n: RequestName, input: unknown) => Promise<{ ok: boolean }>)(name, inputs[name] ?? {}).then((result) => {
          if (!result.ok) throw new Error(`${name} failed during the bench`);
          const phase = !loadingAt || sent < loadingAt ? 'before' : !loadedAt || sent < loadedAt ? 'during' : 'after';
          (into ?? readWaits[phase]).push(performance.now() - sent);
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
      row('sync:getStatus from launch to 300 ms after the decode (waits for it)', otherWaits, ''),
    ]),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
