/**
 * Compaction off the backend thread (issue 22): the merge and encode of a document's log (seconds for a
 * year of history) run in a `worker_threads` Worker (./compaction-worker.ts) on a read-only connection;
 * the backend thread then commits the result in one short transaction that replaces the snapshot and
 * deletes only the rows the merge covered (`SqliteUpdateLog.compactThrough`). Updates logged meanwhile
 * stay in the log. A crash at any point leaves either the old snapshot and log or the new ones.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompactionAnswer, CompactionJob } from './compaction-worker';

// The ESM build of tsx's API (require.resolve names the CommonJS one).
const tsxApi = () => pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;

/** Merges a document's snapshot and log rows through an id into one garbage-collected state. */
export interface Compactor {
  merge(job: Omit<CompactionJob, 'delayMs'>): Promise<Uint8Array>;
  /** Ends any merge under way (its promise rejects); the store is closing. */
  close(): void;
}

export interface WorkerCompactorOptions {
  /** ./compaction-worker.ts under tsx, or its bundle (`out/main/compaction-worker.js`). */
  entry: URL;
  /** Tests and the bench only (CompactionJob.delayMs). */
  delayMs?: number;
}

/** A fresh Worker per merge: compactions are rare (every 2000 updates), and nothing outlives one. */
export function workerCompactor(options: WorkerCompactorOptions): Compactor {
  const running = new Set<Worker>();
  return {
    merge(job) {
      const data: CompactionJob = { ...job, ...(options.delayMs ? { delayMs: options.delayMs } : {}) };
      const worker = options.entry.pathname.endsWith('.ts')
        ? // The sources under tsx: its hooks must be registered inside the thread (as backend-entry-remote.ts does).
          new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(options.entry.href)}); })`, {
            eval: true,
            workerData: data,
          })
        : new Worker(options.entry, { workerData: data });
      running.add(worker);
      return new Promise<Uint8Array>((resolve, reject) => {
        worker.once('message', (answer: CompactionAnswer) => (answer.ok ? resolve(answer.state) : reject(new Error(answer.message))));
        worker.once('error', reject);
        worker.once('exit', (code) => {
          running.delete(worker);
          reject(new Error(`The compaction worker exited (code ${code})`));
        });
      });
    },
    close() {
      for (const worker of running) void worker.terminate();
      running.clear();
    },
  };
}
