/**
 * Merges one document's update log in a `worker_threads` Worker (./compaction.ts starts it), so the
 * backend thread never spends the seconds a year-sized merge and encode take. Reads only: the snapshot and
 * the log rows up to `through`, on its own read-only connection, merged and garbage-collected as
 * `garbageCollected` does; the backend commits the result. A crash here, or of the backend meanwhile,
 * leaves the file exactly as it was.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { mergeParts } from '../../../node-shared/update-log/sqlite-update-log';

export interface CompactionJob {
  path: string;
  doc: string;
  /** The last log row to fold in: rows logged after it stay in the log. */
  through: number;
  /** Tests and the bench only: hold the merged state this long before answering (a slow compaction, made deterministic). */
  delayMs?: number;
}

export type CompactionAnswer = { ok: true; state: Uint8Array } | { ok: false; message: string };

function merge(job: CompactionJob): Uint8Array {
  const db = new Database(job.path, { readonly: true, fileMustExist: true });
  try {
    // One read transaction: the snapshot and the rows it is merged with are from the same commit.
    const parts = db.transaction(() => {
      const snapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').pluck().get(job.doc) as Buffer | undefined;
      const rows = db.prepare('SELECT data FROM doc_updates WHERE doc = ? AND id <= ? ORDER BY id').pluck().all(job.doc, job.through) as Buffer[];
      return [...(snapshot ? [snapshot] : []), ...rows].map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    })();
    const merged = mergeParts(parts);
    // Applied to a fresh document, deleted content is garbage-collected (what the live one keeps for undo).
    const fresh = new Y.Doc({ gc: true });
    if (merged) Y.applyUpdate(fresh, merged);
    const state = Y.encodeStateAsUpdate(fresh);
    fresh.destroy();
    return state;
  } finally {
    db.close();
  }
}

if (parentPort) {
  const job = workerData as CompactionJob;
  let answer: CompactionAnswer;
  try {
    const state = merge(job);
    if (job.delayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, job.delayMs);
    answer = { ok: true, state };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(answer, answer.ok ? [answer.state.buffer as ArrayBuffer] : []);
}
