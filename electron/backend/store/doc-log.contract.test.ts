// The desktop's DocLog keeps the shared update-log contract (issue 21, 3) on a real workspace schema.
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { mergeParts } from '../../../node-shared/update-log/sqlite-update-log';
import { updateLogContract, type UpdateLogSubject } from '../../../node-shared/update-log/testing/contract';
import { sqliteFault } from '../../../node-shared/update-log/testing/sqlite-faults';
import { DOC_LOG_TABLES, DocLog, type DocName } from './doc-log';
import { migrate } from './schema';
import { tempDir } from './testing/temp-dir';

function subject(file: string, cleanup: () => void): UpdateLogSubject {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db);
  const log = new DocLog(db, () => 1_700_000_000_000);
  const reader = () => new Database(file, { readonly: true });
  const read = <T>(fn: (r: Database.Database) => T): T => {
    const r = reader();
    try {
      return fn(r);
    } finally {
      r.close();
    }
  };
  const bytes = (b: Buffer | undefined) => (b ? new Uint8Array(b) : null);
  let closed = false;
  return {
    // The desktop appends inside its own command transaction, next to the projection rows.
    write: async (key, updates) => {
      try {
        db.transaction(() => {
          for (const u of updates) log.append(key as DocName, u, 'contract');
        })();
        return true;
      } catch {
        return false;
      }
    },
    load: async (key) => log.load(key as DocName),
    readBack: async (key) =>
      read((r) => {
        const snap = r.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').pluck().get(key) as Buffer | undefined;
        const rows = r.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY id').pluck().all(key) as Buffer[];
        return mergeParts([...(snap ? [snap] : []), ...rows].map((b) => new Uint8Array(b)));
      }),
    readSnapshot: async (key) =>
      read((r) => bytes(r.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').pluck().get(key) as Buffer | undefined)),
    logLength: async (key) => log.pendingCount(key as DocName),
    compact: async (key, state) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      try {
        log.compact(key as DocName, doc);
        return true;
      } catch {
        return false;
      } finally {
        doc.destroy();
      }
    },
    keys: async () => read((r) => r.prepare('SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates ORDER BY 1').pluck().all() as string[]),
    fault: async (kind, afterRows) => {
      const remove = sqliteFault(db, DOC_LOG_TABLES, kind, afterRows);
      return async () => remove();
    },
    reopen: async () => {
      closed = true;
      db.close();
      return subject(file, cleanup);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      db.close();
      cleanup();
    },
  };
}

updateLogContract('desktop DocLog (workspace.sqlite)', {
  open: async () => {
    const tmp = tempDir('crewline-doclog-');
    return subject(tmp.file('workspace.sqlite'), tmp.cleanup);
  },
});
