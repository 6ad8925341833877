// The server's SQLite RoomStore (the shared update log plus its batching) keeps the update-log contract
// (issue 21, 3). Faults are installed as triggers from a second connection, as an outside failure would.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mergeParts } from '../../../node-shared/update-log/sqlite-update-log';
import { updateLogContract, type UpdateLogSubject } from '../../../node-shared/update-log/testing/contract';
import { sqliteFault } from '../../../node-shared/update-log/testing/sqlite-faults';
import { ROOM_LOG_TABLES, RoomStore } from './room-store';
import { tempDir } from './testing/harness';

function subject(dir: string): UpdateLogSubject {
  const file = join(dir, 'rooms.sqlite');
  const store = new RoomStore(file, { onError: () => {} });
  const read = <T>(fn: (r: Database.Database) => T): T => {
    const r = new Database(file);
    try {
      return fn(r);
    } finally {
      r.close();
    }
  };
  let closed = false;
  return {
    // The room's path: appends queue up and one flush commits them together.
    write: async (key, updates) => {
      for (const u of updates) store.append(key, u);
      return store.flush();
    },
    load: async (key) => mergeParts(store.load(key)),
    readBack: async (key) =>
      read((r) => {
        const snap = r.prepare('SELECT data FROM room_snapshots WHERE room = ?').pluck().get(key) as Buffer | undefined;
        const rows = r.prepare('SELECT data FROM room_updates WHERE room = ? ORDER BY id').pluck().all(key) as Buffer[];
        return mergeParts([...(snap ? [snap] : []), ...rows].map((b) => new Uint8Array(b)));
      }),
    readSnapshot: async (key) =>
      read((r) => {
        const snap = r.prepare('SELECT data FROM room_snapshots WHERE room = ?').pluck().get(key) as Buffer | undefined;
        return snap ? new Uint8Array(snap) : null;
      }),
    logLength: async (key) => store.logLength(key),
    compact: async (key, state) => {
      try {
        return store.compact(key, state);
      } catch {
        return false;
      }
    },
    keys: async () => store.rooms(),
    sizes: async (key) => ({ rows: store.logLength(key), bytes: store.logBytes(key), snapshotBytes: store.snapshotBytes(key) }),
    compactStored: (key) => store.compactStored(key),
    fault: async (kind, afterRows) => {
      const conn = new Database(file);
      const remove = sqliteFault(conn, ROOM_LOG_TABLES, kind, afterRows);
      return async () => {
        remove();
        conn.close();
      };
    },
    reopen: async () => {
      closed = true;
      store.close();
      return subject(dir);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

updateLogContract('server RoomStore (rooms.sqlite)', { open: async () => subject(tempDir()), compactsByBytes: true });
