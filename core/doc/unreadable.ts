/**
 * Records the total readers pass over (`record-checks.ts`), told to whoever watches: the sync server and
 * the desktop log them. Core only calls the watchers; it does no I/O itself.
 */

export interface UnreadableRecord {
  /** `booking`, `provider`, `setting`, `history entry`, ... */
  kind: string;
  id: string;
  problem: string;
}

export type UnreadableWatcher = (record: UnreadableRecord) => void;

const watchers = new Set<UnreadableWatcher>();

/** Distinct problems remembered per watcher before it starts over (a flood must not grow memory). */
const REMEMBERED = 10_000;

/**
 * Calls `watcher` once per distinct record and problem (readers meet the same bad record on every read).
 * Returns the function that stops watching.
 */
export function watchUnreadableRecords(watcher: UnreadableWatcher): () => void {
  const seen = new Set<string>();
  const once: UnreadableWatcher = (record) => {
    const key = `${record.kind} ${record.id}: ${record.problem}`;
    if (seen.has(key)) return;
    if (seen.size >= REMEMBERED) seen.clear();
    seen.add(key);
    watcher(record);
  };
  watchers.add(once);
  return () => {
    watchers.delete(once);
  };
}

export function passOver(kind: string, id: string, problem: string): void {
  for (const watcher of watchers) watcher({ kind, id, problem });
}
