/**
 * Where the store reports records it had to leave out (./projection.ts): the console until a backend
 * opens, then that backend's log (electron/backend/log.ts). One sink per thread: each backend worker has
 * its own module instance, so two workspaces in two workers never share it.
 */
export type StoreWarning = { kind: string; id: string; problem: string };

let sink: (warning: StoreWarning) => void = ({ kind, id, problem }) =>
  console.warn(`store: left out ${kind} ${id}: ${problem} (it does not read as a ${kind})`);

export function storeWarning(warning: StoreWarning): void {
  sink(warning);
}

/** Sends the store's warnings to `next` instead; returns an undo. */
export function setStoreWarningSink(next: (warning: StoreWarning) => void): () => void {
  const before = sink;
  sink = next;
  return () => {
    if (sink === next) sink = before;
  };
}
