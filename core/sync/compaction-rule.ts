/**
 * When a document's update log is folded into its snapshot (issue 23, 5). A compaction re-encodes the whole
 * document, so its cost grows with the document; compacting after a fixed number of updates made every
 * update dearer as a room aged (40 writers: 11,745 → 7,570 updates/s over four rounds). Compacting once the
 * log has grown to a share of the snapshot's size makes the cost proportional to what was logged since:
 * per logged byte it stays the same however old the room is. A room's log is also bounded in rows (many
 * tiny updates load slowly) and a young room is not compacted before it has logged `minLogBytes`.
 */

export interface CompactionPolicy {
  /** Compact once the log holds this many bytes per byte of snapshot (1: when the log is as big). */
  logRatio: number;
  /** Never compact a log smaller than this (a young room's snapshot is tiny). */
  minLogBytes: number;
  /** Compact at this many rows whatever their size. */
  maxLogRows: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { logRatio: 1, minLogBytes: 256 * 1024, maxLogRows: 20_000 };

export interface LogSize {
  /** Rows logged since the snapshot, and their bytes. */
  rows: number;
  bytes: number;
  /** The snapshot's bytes (0: none yet). */
  snapshotBytes: number;
}

export function compactionDue(size: LogSize, policy: CompactionPolicy = DEFAULT_COMPACTION): boolean {
  if (size.rows === 0) return false;
  if (size.rows >= policy.maxLogRows) return true;
  return size.bytes >= Math.max(policy.minLogBytes, policy.logRatio * size.snapshotBytes);
}
