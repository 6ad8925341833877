import { copyFileSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  effectiveStatus,
  listBookings,
  listCustomers,
  listProviders,
  listServices,
  readHistory,
  scheduleMaps,
  toMs,
  type Actor,
  type Booking,
} from '../../../core/index';
import {
  ACTORS,
  contentOf,
  DOCS,
  expectProductive,
  finishScenario,
  opsArb,
  runCommandOp,
  runScenario,
  setClientIds,
  START_NOW,
  startScenario,
  type DocKey,
  type ReplicaPort,
  type Totals,
} from '../../../core/testing/convergence-scenario';
import { LocalStore } from './local-store';
import { dumpReadTables } from './testing/tables';
import { tempDir } from './testing/temp-dir';

/**
 * The two-replica convergence property of core/convergence.test.ts (docs/design.md §4), run on two real LocalStores
 * over SQLite files: every command goes through `store.execute`, every sync through `store.applyUpdate`.
 * Besides the document-level assertions of the shared scenario, after the final full sync the read tables
 * must be identical on both stores, equal to what `rebuildProjection()` makes from each store's own
 * documents (the incremental projection never drifts from a rebuild), and equal to rows worked out from
 * the documents without the Projection code (so a bug a rebuild would repeat is caught too).
 *
 * Replay a failure with FC_SEED=<seed> (printed below); STORE_CONVERGENCE_RUNS sets the run count.
 * Store ids are UUIDv7 from core's `newId`, which is monotonic within the process, so id order, and with
 * it every choice the scenario makes, is the same on a replay even though the id values differ.
 */

const env = process.env;
const NUM_RUNS = Number(env.STORE_CONVERGENCE_RUNS ?? 500);
const REVERSE_RUNS = Math.max(1, Math.ceil(NUM_RUNS / 5));
const SEED = env.FC_SEED !== undefined ? Number(env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

// ---------------------------------------------------------------------------------------------------
// Store replicas

interface StoreReplica extends ReplicaPort {
  store: LocalStore;
}

/**
 * One directory for the whole file. Each replica starts as a copy of an empty store made once here by
 * `LocalStore.open` (schema and projection version in place) and is deleted after its scenario: a fresh
 * store costs ~4.5 ms to create, a copy ~1.8 ms, and there is no mkdtemp/rm -r per run. Commands still
 * commit with the store's own durability settings (WAL, synchronous=FULL): most of the time is fsync.
 */
let dir: ReturnType<typeof tempDir>;
let template: string;
beforeAll(() => {
  dir = tempDir('crewline-convergence-');
  template = dir.file('template.sqlite');
  LocalStore.open(template, { actor: ACTORS[0] }).close();
});
afterAll(() => dir.cleanup());

let fileSeq = 0;

function storeReplica(open: LocalStore[], clientBase: number, actor: Actor): StoreReplica {
  let now = START_NOW;
  const path = dir.file(`r${++fileSeq}.sqlite`);
  copyFileSync(template, path);
  const store = LocalStore.open(path, { actor, clock: () => Date.parse(now) });
  open.push(store);
  // Before the first write, so Yjs' tie-breaking is the same on every replay.
  setClientIds(store.docs, clientBase);
  const totalChanges = store.db.prepare('SELECT total_changes()').pluck();
  return {
    store,
    roster: store.docs.roster,
    schedule: store.docs.schedule,
    run(name, input, runAs) {
      const before = totalChanges.get();
      const result = store.execute(name, input, runAs);
      // A refused command leaves the file alone too: no log row, no projected row.
      if (!result.ok) expect(totalChanges.get(), `${name} refused but wrote to SQLite`).toBe(before);
      return result;
    },
    setNow(instant) {
      now = instant;
    },
    receive(doc, update) {
      store.applyUpdate(doc, update, 'remote');
    },
  };
}

/** Runs `body` with a maker of fresh store pairs; closes and deletes every store it opened, pass or fail. */
function withStores<T>(body: (makePair: () => [StoreReplica, StoreReplica]) => T): T {
  const open: LocalStore[] = [];
  try {
    return body(() => [storeReplica(open, 100, ACTORS[0]), storeReplica(open, 200, ACTORS[1])]);
  } finally {
    for (const store of open) {
      if (store.db.open) store.close();
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(store.path + suffix, { force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Read tables

const tables = dumpReadTables;

/** Byte order, as SQLite's BINARY collation sorts TEXT keys. */
const byKey = (...keys: string[]) => (x: Record<string, unknown>, y: Record<string, unknown>) => {
  for (const k of keys) {
    const [p, q] = [x[k] as string | number, y[k] as string | number];
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
};
const parsed = (row: Record<string, unknown>, ...cols: string[]) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cols.includes(k) ? JSON.parse(v as string) : v]));

/** The projected columns as the read tables hold them, JSON columns parsed. */
function projected(db: Database.Database) {
  const rows = (sql: string, ...json: string[]) => (db.prepare(sql).all() as Record<string, unknown>[]).map((r) => parsed(r, ...json));
  return {
    providers: rows('SELECT id, name, active, sort_order, data FROM providers ORDER BY id', 'data'),
    customers: rows('SELECT id, name, data FROM customers ORDER BY id', 'data'),
    services: rows('SELECT id, name, data FROM services ORDER BY id', 'data'),
    bookings: rows(
      'SELECT id, title, customer_id, status, start_ms, end_ms, assignee_count, address, data, history FROM bookings ORDER BY id',
      'data',
      'history',
    ),
    booking_assignees: rows('SELECT provider_id, start_ms, booking_id, end_ms FROM booking_assignees ORDER BY provider_id, start_ms, booking_id'),
    archived: rows('SELECT id FROM archive_bookings ORDER BY id'),
  };
}

/**
 * The same columns worked out from the documents with core's readers only, independently of Projection:
 * a projection bug that a rebuild would repeat (both run the same code) still shows up here.
 */
function expectedFromDocs(docs: { roster: Y.Doc; schedule: Y.Doc }): ReturnType<typeof projected> {
  const bookings = listBookings(docs.schedule);
  const slotMs = (b: Booking) => (b.slot ? [toMs(b.slot.start), toMs(b.slot.end)] : [null, null]);
  return {
    providers: listProviders(docs.roster)
      .map((p) => ({ id: p.id, name: p.name, active: p.active ? 1 : 0, sort_order: p.sortOrder, data: p }))
      .sort(byKey('id')),
    customers: listCustomers(docs.roster).map((c) => ({ id: c.id, name: c.name, data: c })).sort(byKey('id')),
    services: listServices(docs.roster).map((x) => ({ id: x.id, name: x.name, data: x })).sort(byKey('id')),
    bookings: bookings
      .map((b) => {
        const status = effectiveStatus(b.status, b.slot);
        const [start, end] = slotMs(b);
        return {
          id: b.id, title: b.title, customer_id: b.customerId, status, start_ms: start, end_ms: end,
          assignee_count: b.slot?.assignees.length ?? 0, address: b.location.address,
          data: { ...b, status }, history: readHistory(docs.schedule, b.id),
        };
      })
      .sort(byKey('id')),
    booking_assignees: bookings
      .flatMap((b) => {
        const [start, end] = slotMs(b);
        return (b.slot?.assignees ?? []).map((p) => ({ provider_id: p, start_ms: start, booking_id: b.id, end_ms: end }));
      })
      .sort(byKey('provider_id', 'start_ms', 'booking_id')),
    archived: [...scheduleMaps(docs.schedule).archived.keys()].map((id) => ({ id })).sort(byKey('id')),
  };
}

/**
 * Both stores hold identical read tables; each store's tables are what a rebuild makes of its documents;
 * and they say what the documents say.
 */
function checkTables(a: StoreReplica, b: StoreReplica): void {
  const ta = tables(a.store.db);
  expect(tables(b.store.db), 'read tables differ between the stores').toEqual(ta);
  expect(ta.bookings.length).toBeGreaterThan(0);
  for (const [side, r] of [['A', a], ['B', b]] as const) {
    const incremental = tables(r.store.db);
    r.store.rebuildProjection();
    expect(tables(r.store.db), `store ${side}: incremental projection differs from a rebuild`).toEqual(incremental);
  }
  expect(projected(a.store.db), 'read tables do not match the documents').toEqual(expectedFromDocs(a));
}

// ---------------------------------------------------------------------------------------------------

describe('two offline LocalStores converge to identical read tables', () => {
  it(`random concurrent command sequences (${NUM_RUNS} runs)`, () => {
    console.log(`store convergence: seed ${SEED}, ${NUM_RUNS} runs (replay with FC_SEED=${SEED} STORE_CONVERGENCE_RUNS=${NUM_RUNS})`);
    const totals: Totals = { ran: 0, refused: 0 };
    const started = performance.now();
    fc.assert(
      fc.property(opsArb, (ops) =>
        withStores((makePair) => {
          const { trace } = runScenario(ops, makePair, checkTables);
          totals.ran += trace.ran;
          totals.refused += trace.refused;
        }),
      ),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    console.log(
      `store convergence: ${totals.ran} commands applied, ${totals.refused} refused, ${Math.round(performance.now() - started)} ms`,
    );
    expectProductive(totals);
  }, 180_000);

  /*
   * Out of order, an update's delete set applies at once while its inserts wait as pending structs, so a
   * record can be seen without a field group until the earlier updates arrive. This found the roster
   * readers without defaults (shrunk case: A adds time off, then renames; B applies the rename first).
   */
  it(`a partitioned pair converges when one store applies the other's updates in reverse order (${REVERSE_RUNS} runs)`, () => {
    console.log(`store convergence (reverse order): seed ${SEED}, ${REVERSE_RUNS} runs (replay with FC_SEED=${SEED} STORE_CONVERGENCE_RUNS=${NUM_RUNS})`);
    let outOfOrder = 0;
    fc.assert(
      fc.property(opsArb, (ops) =>
        withStores((makePair) => {
          const scenario = startScenario(makePair);
          const { a, b } = scenario;
          // Partitioned from here on: every update each side makes, in the order it made them.
          const captured: [Array<{ doc: DocKey; update: Uint8Array }>, Array<{ doc: DocKey; update: Uint8Array }>] = [[], []];
          const detach = [a, b].flatMap((r, i) =>
            DOCS.map((doc) => {
              const listener = (update: Uint8Array, origin: unknown) => {
                if (origin === 'local') captured[i]!.push({ doc, update });
              };
              r[doc].on('update', listener);
              return () => r[doc].off('update', listener);
            }),
          );
          for (const op of ops) if (op.t !== 'sync') runCommandOp(scenario, op);
          for (const off of detach) off();

          // B takes A's updates newest first; A takes B's in order.
          let pending = false;
          for (const { doc, update } of [...captured[0]].reverse()) {
            b.receive(doc, update);
            pending ||= b[doc].store.pendingStructs !== null;
          }
          if (pending) outOfOrder += 1;
          for (const { doc, update } of captured[1]) a.receive(doc, update);

          // Converged without any further exchange: same state, same content, same tables.
          for (const doc of DOCS) {
            expect(b[doc].store.pendingStructs, `${doc}: updates still pending on B`).toBeNull();
            expect(b[doc].store.pendingDs, `${doc}: deletes still pending on B`).toBeNull();
            expect(Y.encodeStateVector(b[doc]), `${doc}: state vectors differ`).toEqual(Y.encodeStateVector(a[doc]));
          }
          expect(contentOf(b)).toEqual(contentOf(a));
          checkTables(a, b);
          // And the full scenario check (the final sync has nothing left to send).
          finishScenario(scenario, checkTables);

          // What B logged while applying out of order is enough to reopen it as it is.
          const before = { content: contentOf(b), tables: tables(b.store.db) };
          const { path } = b.store;
          b.store.close();
          const reopened = LocalStore.open(path, { actor: ACTORS[1] });
          try {
            expect(contentOf(reopened.docs)).toEqual(before.content);
            expect(tables(reopened.db)).toEqual(before.tables);
          } finally {
            reopened.close();
          }
        }),
      ),
      { numRuns: REVERSE_RUNS, seed: SEED },
    );
    console.log(`store convergence (reverse order): ${outOfOrder} of ${REVERSE_RUNS} runs left updates pending mid-way`);
    // Reverse order must really have been out of order, or the test shows nothing.
    expect(outOfOrder).toBeGreaterThan(REVERSE_RUNS / 2);
  }, 120_000);
});
