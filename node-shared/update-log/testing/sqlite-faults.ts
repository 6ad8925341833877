import type Database from 'better-sqlite3';
import type { UpdateLogTables } from '../sqlite-update-log';
import type { FaultKind } from './contract';

/** Installs the contract's fault as a SQLite trigger that aborts the statement (and so its transaction). */
export function sqliteFault(db: Database.Database, tables: UpdateLogTables, kind: FaultKind, afterRows = 0): () => void {
  const raise = `BEGIN SELECT RAISE(ABORT, 'injected fault: ${kind}'); END`;
  const names: string[] = [];
  const trigger = (name: string, sql: string) => {
    db.exec(`CREATE TRIGGER ${name} ${sql} ${raise}`);
    names.push(name);
  };
  if (kind === 'log-insert') {
    trigger('fault_log_insert', `BEFORE INSERT ON ${tables.updates} WHEN (SELECT count(*) FROM ${tables.updates}) >= ${afterRows}`);
  } else if (kind === 'log-delete') {
    trigger('fault_log_delete', `BEFORE DELETE ON ${tables.updates}`);
  } else {
    trigger('fault_snapshot_insert', `BEFORE INSERT ON ${tables.snapshots}`);
    trigger('fault_snapshot_update', `BEFORE UPDATE ON ${tables.snapshots}`);
  }
  return () => {
    for (const name of names) db.exec(`DROP TRIGGER ${name}`);
  };
}
