import { describe, expect, it } from 'vitest';
import { automaticBackupDue, automaticBackupsToPrune, backupFileName, checkKeep, parseBackupFileName, type BackupEntry } from './backups';

const at = Date.parse('2026-11-24T14:00:00.123Z');
const DAY = 86_400_000;

describe('backup file names', () => {
  it('round-trip kind and time, and tell apart two taken in the same millisecond', () => {
    for (const kind of ['manual', 'automatic', 'pre-restore', 'before-sync'] as const) {
      const name = backupFileName(kind, at);
      expect(name).toMatch(/^[A-Za-z0-9-]+\.sqlite$/);
      expect(parseBackupFileName(name)).toEqual({ kind, atMs: at });
      expect(parseBackupFileName(backupFileName(kind, at, 2))).toEqual({ kind, atMs: at });
      expect(backupFileName(kind, at, 2)).not.toBe(name);
    }
    expect(backupFileName('before-sync', at)).toBe('workspace-backup-2026-11-24T14-00-00-123Z.sqlite');
  });

  it('ignore other files', () => {
    for (const name of ['workspace.sqlite', 'backup-.sqlite', 'auto-2026-11-24.sqlite', 'notes.txt', 'backup-2026-11-24T14-00-00-123Z.sqlite-wal']) {
      expect(parseBackupFileName(name)).toBeNull();
    }
  });
});

describe('automatic backups', () => {
  it('are due once a day has passed, at first, and when the clock was set back', () => {
    expect(automaticBackupDue(null, at)).toBe(true);
    expect(automaticBackupDue(at, at + DAY - 1)).toBe(false);
    expect(automaticBackupDue(at, at + DAY)).toBe(true);
    expect(automaticBackupDue(at, at - 1)).toBe(true);
  });

  it('prune only automatic backups beyond the newest `keep`', () => {
    const entry = (kind: BackupEntry['kind'], day: number) => ({ kind, name: backupFileName(kind, at + day * DAY), at: new Date(at + day * DAY).toISOString() });
    const entries = [entry('automatic', 0), entry('manual', 0), entry('automatic', 2), entry('pre-restore', -5), entry('automatic', 1), entry('automatic', 3)];
    expect(automaticBackupsToPrune(entries, 2)).toEqual([entry('automatic', 1).name, entry('automatic', 0).name]);
    expect(automaticBackupsToPrune(entries, 4)).toEqual([]);
  });

  it('keep a whole number of 1 to 100', () => {
    expect(checkKeep(7)).toBeNull();
    expect(checkKeep(0)).toBe('At least 1');
    expect(checkKeep(101)).toBe('At most 100');
    expect(checkKeep(2.5)).toBe('Must be a whole number');
  });
});
