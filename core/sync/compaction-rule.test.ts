import { describe, expect, it } from 'vitest';
import { compactionDue, DEFAULT_COMPACTION, type CompactionPolicy } from './compaction-rule';

const policy: CompactionPolicy = { logRatio: 0.5, minLogBytes: 1000, maxLogRows: 100 };

describe('compaction by logged bytes', () => {
  it('waits for the log to reach its share of the snapshot', () => {
    expect(compactionDue({ rows: 10, bytes: 4999, snapshotBytes: 10_000 }, policy)).toBe(false);
    expect(compactionDue({ rows: 10, bytes: 5000, snapshotBytes: 10_000 }, policy)).toBe(true);
  });

  it('an older, bigger room needs a proportionally longer log: the same cost per logged byte', () => {
    const due = (snapshotBytes: number) => {
      let bytes = 0;
      while (!compactionDue({ rows: 1, bytes, snapshotBytes }, policy)) bytes += 100;
      return bytes;
    };
    expect(due(100_000) / 100_000).toBe(0.5);
    expect(due(1_000_000) / 1_000_000).toBe(0.5);
  });

  it('never compacts a young room before it logged the minimum, nor an empty log', () => {
    expect(compactionDue({ rows: 5, bytes: 999, snapshotBytes: 0 }, policy)).toBe(false);
    expect(compactionDue({ rows: 5, bytes: 1000, snapshotBytes: 0 }, policy)).toBe(true);
    expect(compactionDue({ rows: 0, bytes: 0, snapshotBytes: 0 }, { ...policy, minLogBytes: 0 })).toBe(false);
  });

  it('bounds the rows whatever their size', () => {
    expect(compactionDue({ rows: 99, bytes: 500, snapshotBytes: 1_000_000 }, policy)).toBe(false);
    expect(compactionDue({ rows: 100, bytes: 500, snapshotBytes: 1_000_000 }, policy)).toBe(true);
  });

  it('by default: a log as big as the snapshot, 256 KB at least, 20,000 rows at most', () => {
    expect(compactionDue({ rows: 1000, bytes: 200_000, snapshotBytes: 0 })).toBe(false);
    expect(compactionDue({ rows: 1000, bytes: 2_000_000, snapshotBytes: 2_000_001 })).toBe(false);
    expect(compactionDue({ rows: 1000, bytes: 2_000_001, snapshotBytes: 2_000_001 })).toBe(true);
    expect(compactionDue({ rows: DEFAULT_COMPACTION.maxLogRows, bytes: 1, snapshotBytes: 2_000_001 })).toBe(true);
  });
});
