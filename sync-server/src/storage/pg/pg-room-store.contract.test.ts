// The PostgreSQL room store keeps the same update-log contract as the desktop and the SQLite server
// (issue 21, 3 and issue 23, 1), on a real PostgreSQL started for this file. Faults are PL/pgSQL triggers.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { mergeParts } from '../../../../node-shared/update-log/sqlite-update-log';
import { updateLogContract, type FaultKind, type UpdateLogSubject } from '../../../../node-shared/update-log/testing/contract';
import { startPostgres, type TestPostgres } from '../testing/engines';
import { PgRoomStore } from './pg-room-store';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const FAULTS: Record<FaultKind, string> = {
  'log-insert': 'BEFORE INSERT ON room_updates FOR EACH ROW EXECUTE FUNCTION contract_fault_count',
  'log-delete': 'BEFORE DELETE ON room_updates FOR EACH ROW EXECUTE FUNCTION contract_fault',
  'snapshot-write': 'BEFORE INSERT OR UPDATE ON room_snapshots FOR EACH ROW EXECUTE FUNCTION contract_fault',
};

async function subject(url: string): Promise<UpdateLogSubject> {
  const store = await PgRoomStore.open(url, { onError: () => {}, maxConnections: 4 });
  let closed = false;
  return {
    write: async (key, updates) => {
      for (const u of updates) store.append(key, u);
      return store.flush();
    },
    load: async (key) => {
      await store.prefetch(key);
      return mergeParts(store.load(key));
    },
    readBack: async (key) => {
      const snap = await query<{ data: Buffer }>(url, 'SELECT data FROM room_snapshots WHERE room = $1', [key]);
      const rows = await query<{ data: Buffer }>(url, 'SELECT data FROM room_updates WHERE room = $1 ORDER BY id', [key]);
      return mergeParts([...snap, ...rows].map((r) => new Uint8Array(r.data)));
    },
    readSnapshot: async (key) => {
      const [row] = await query<{ data: Buffer }>(url, 'SELECT data FROM room_snapshots WHERE room = $1', [key]);
      return row ? new Uint8Array(row.data) : null;
    },
    logLength: async (key) => {
      const [row] = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM room_updates WHERE room = $1', [key]);
      return Number(row!.n);
    },
    compact: (key, state) => store.compact(key, state),
    keys: () => store.storedRooms(),
    sizes: async (key) => ({ rows: store.logLength(key), bytes: store.logBytes(key), snapshotBytes: store.snapshotBytes(key) }),
    compactStored: (key) => store.compactStored(key),
    fault: async (kind, afterRows = 0) => {
      await query(
        url,
        `CREATE OR REPLACE FUNCTION contract_fault() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'injected fault'; END $$;
         CREATE OR REPLACE FUNCTION contract_fault_count() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF (SELECT count(*) FROM room_updates) >= ${Number(afterRows)} THEN RAISE EXCEPTION 'injected fault'; END IF;
           RETURN NEW;
         END $$;
         CREATE TRIGGER contract_fault ${FAULTS[kind]}()`,
      );
      const table = kind === 'snapshot-write' ? 'room_snapshots' : 'room_updates';
      return async () => {
        await query(url, `DROP TRIGGER contract_fault ON ${table}`);
      };
    },
    reopen: async () => {
      closed = true;
      await store.close();
      return subject(url);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}

updateLogContract('server PgRoomStore (PostgreSQL)', { open: async () => subject(await server.createDatabase()), compactsByBytes: true });
