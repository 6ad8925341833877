import Database from 'better-sqlite3';

export class WorkspaceInUseError extends Error {
  constructor(readonly workspacePath: string) {
    super(`This workspace is already open in another Crewline (the desktop app or a web host): ${workspacePath}. Close that one first.`);
    this.name = 'WorkspaceInUseError';
  }
}

/**
 * One process at a time per workspace file. Each store keeps the documents in memory and compacts the
 * update log from its own copy, deleting every logged row up to the newest: a second writer's updates,
 * never applied to that copy, would be deleted with them. The lock is SQLite's own exclusive lock on
 * `<workspace>.lock`, taken by a write in EXCLUSIVE locking mode and held until `release`. The operating
 * system drops it when the process ends however it ends, so a crash leaves nothing to clean up. Readers of
 * the workspace file itself (backups, tests) are not affected.
 */
export class WorkspaceLock {
  private constructor(private readonly db: Database.Database) {}

  static acquire(workspacePath: string): WorkspaceLock {
    // timeout 0: a held lock is an answer, not something to wait for.
    const db = new Database(`${workspacePath}.lock`, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // Its content means nothing: no journal file, no syncing.
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec('CREATE TABLE IF NOT EXISTS held (pid INTEGER NOT NULL, at TEXT NOT NULL)');
      db.transaction(() => {
        db.exec('DELETE FROM held');
        db.prepare('INSERT INTO held (pid, at) VALUES (?, ?)').run(process.pid, new Date().toISOString());
      })();
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new WorkspaceInUseError(workspacePath);
      throw error;
    }
    return new WorkspaceLock(db);
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}
