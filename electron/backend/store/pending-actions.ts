import type Database from 'better-sqlite3';
import type { DocName } from './doc-log';
import { systemClock, type Clock } from '../../../core/clock';

/** Where one local action left one document: the Yjs client that wrote it and its clock afterwards. */
export interface ActionMark {
  doc: DocName;
  clientId: number;
  clock: number;
}

/**
 * Local actions the sync server has not confirmed (`sync_pending`). The store records one action per
 * committed local write (a command, a Save batch, an undo or redo), with one row per document it changed,
 * in the same SQLite transaction as the write; an ack's state vector deletes the rows it covers
 * (`core/sync/ack.ts`). Rows outlive restarts: a reopened store writes under a new client id, and the old
 * rows are confirmed once the server's state vector covers them after the reconnect handshake.
 */
export class PendingActions {
  private readonly stmts;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.stmts = {
      nextAction: db.prepare('SELECT coalesce(max(action), 0) + 1 FROM sync_pending').pluck(),
      insert: db.prepare('INSERT INTO sync_pending (action, doc, client_id, clock, at) VALUES (?, ?, ?, ?, ?)'),
      count: db.prepare('SELECT count(DISTINCT action) FROM sync_pending').pluck(),
      clients: db.prepare('SELECT DISTINCT client_id FROM sync_pending WHERE doc = ?').pluck(),
      deleteCovered: db.prepare('DELETE FROM sync_pending WHERE doc = ? AND client_id = ? AND clock <= ?'),
      deleteAll: db.prepare('DELETE FROM sync_pending'),
      oldest: db.prepare('SELECT min(at) FROM sync_pending').pluck(),
    };
  }

  /** One action touching the given documents; runs inside the caller's (the store write's) transaction. */
  record(marks: readonly ActionMark[], at = this.clock()): void {
    if (marks.length === 0) return;
    const action = this.stmts.nextAction.get() as number;
    for (const m of marks) this.stmts.insert.run(action, m.doc, m.clientId, m.clock, at);
  }

  /** Actions still waiting for the server (an action counts until every document it changed is confirmed). */
  count(): number {
    return this.stmts.count.get() as number;
  }

  /** When the oldest unconfirmed action was made (epoch ms), or null. */
  oldestAt(): number | null {
    return (this.stmts.oldest.get() as number | null) ?? null;
  }

  /**
   * Deletes every row of `doc` the server's state vector covers (`isConfirmed` of core/sync/ack.ts: a
   * client the server has never heard of counts as clock 0). Returns the rows deleted.
   */
  confirm(doc: DocName, serverState: ReadonlyMap<number, number>): number {
    return this.db.transaction(() => {
      let deleted = 0;
      for (const clientId of this.stmts.clients.all(doc) as number[]) {
        deleted += this.stmts.deleteCovered.run(doc, clientId, serverState.get(clientId) ?? 0).changes;
      }
      return deleted;
    })();
  }

  clear(): void {
    this.stmts.deleteAll.run();
  }
}
