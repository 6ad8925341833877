/**
 * Folds a snapshot and its logged updates into one state on a worker thread (issue 23, 5): re-encoding a
 * whole document takes milliseconds to hundreds of them as a room grows, and on the server's thread it
 * would hold up every relay of every room meanwhile. The worker applies the parts to a fresh document with
 * gc on (deleted content is dropped, as in the live room's own encode) and encodes it.
 *
 * The worker's code is a plain-JavaScript string that requires Yjs' CommonJS build by absolute path:
 * it runs the same under tsx (`npm run server`), vitest and a bundled build, with no TypeScript loader
 * in the worker.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, parts }) => {
  try {
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => { for (const part of parts) Y.applyUpdate(doc, part); });
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, state }, [state.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
  }
});
`;

interface Pending {
  resolve: (state: Uint8Array) => void;
  reject: (error: Error) => void;
}

export class OffThreadMerger {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  /** Merges done, for tests and metrics. */
  merges = 0;

  /** The parts (snapshot first, then updates in log order) as one update holding the whole document. */
  merge(parts: readonly Uint8Array[]): Promise<Uint8Array> {
    const worker = this.started();
    const id = ++this.next;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The first merge keeps the worker referenced; an idle worker never holds the process open.
      worker.ref();
      worker.postMessage({ id, parts });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { yjs } });
    worker.on('message', ({ id, state, error }: { id: number; state?: Uint8Array; error?: string }) => {
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (error !== undefined) waiting.reject(new Error(`merge failed: ${error}`));
      else {
        this.merges++;
        waiting.resolve(state!);
      }
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`merge worker exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
