/**
 * Issue 23, 5: does a room's update cost grow as the room ages? The server's own update path in process,
 * no sockets and no client to share the CPU with (on a loaded machine the socket bench measures mostly the
 * scheduler): one room on rooms.sqlite, 40 writers' updates through `Room.applyClientUpdate` (checks,
 * apply, batch append, compaction), one event-loop turn per 40 updates so batches commit and compactions
 * start as on the live server. Four rounds on the same room; a share of updates add a new record, so the
 * room grows as a schedule does. Reported per round: updates per second of main-thread busy time
 * (event-loop utilization) and of process CPU (compaction workers included).
 *
 *   npx tsx bench/room-ageing-bench.ts [--rounds 4] [--updates 20000] [--grow 0.2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import type { Connection } from '../sync-server/src/sync/connection';
import { DEFAULT_LIMITS } from '../sync-server/src/sync/limits';
import { SyncMetrics } from '../sync-server/src/sync/metrics';
import { RoomRegistry } from '../sync-server/src/sync/room-registry';
import { RoomStore } from '../sync-server/src/sync/room-store';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, updates: { type: 'string' }, grow: { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 4);
const UPDATES = Number(values.updates ?? 20_000);
const GROW = Number(values.grow ?? 0.2);
const WRITERS = 40;
const ROOM = 'org/01900000-0000-7000-8000-0000000a9e01/roster';

const dir = mkdtempSync(join(tmpdir(), 'crewline-room-ageing-'));
const store = new RoomStore(join(dir, 'rooms.sqlite'), { onError: (error) => console.error(error) });
const metrics = new SyncMetrics(() => ({ connections: 0, roomsLoaded: 1, bytesInFlight: 0, persistCommits: 0, persistFailures: 0 }));
const registry = new RoomRegistry(store, metrics, { ...DEFAULT_LIMITS, compactIdleMs: 3_600_000 });
const room = registry.acquire(ROOM);
// Only what the update path reads of a connection: who writes.
const conn = { principal: { userId: 'bench', orgId: '01900000-0000-7000-8000-0000000a9e01', role: 'admin', name: 'bench', email: 'b@x', tokenId: 't' } } as unknown as Connection;
const writers = Array.from({ length: WRITERS }, () => {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  return { doc, out, n: 0 };
});
const turn = () => new Promise((resolve) => setImmediate(resolve));

let created = 0;
console.log(`room ageing: ${ROUNDS} rounds × ${UPDATES} updates, ${WRITERS} writers, ${GROW * 100}% add a record; node ${process.version}`);
for (let round = 1; round <= ROUNDS; round++) {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < UPDATES; i += WRITERS) {
    for (const w of writers) {
      const n = w.n++;
      const map = w.doc.getMap('bench-ageing');
      const start = 1_795_000_000_000 + n * 60_000;
      const value = { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), assignees: [`p${n % 7}`] };
      if (Math.random() < GROW) map.set(`new-${created++}`, value);
      else map.set(`k${n % 50}`, value);
      for (const u of w.out.splice(0)) {
        const refused = room.applyClientUpdate(conn, u);
        if (refused) throw new Error(`refused: ${refused.message}`);
      }
    }
    await turn();
  }
  while (!store.settled()) await turn();
  const seconds = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const busyS = elu.active / 1000;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const state = Y.encodeStateAsUpdate(room.doc).byteLength;
  const line = `round ${round}: ${(UPDATES / busyS).toFixed(0)} updates/s of main-thread busy time, ${(UPDATES / cpuS).toFixed(0)} per process CPU s, wall ${seconds.toFixed(1)} s; room ${(state / 1024).toFixed(0)} KB,  log ${store.logLength(ROOM)} rows`;
  console.log(line);
}
await registry.close();
store.close();
rmSync(dir, { recursive: true, force: true });
