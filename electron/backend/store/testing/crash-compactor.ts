/**
 * Child process for the crash-mid-compaction test: a store whose compaction merges in a Worker held for a
 * minute (so the crash lands inside it), writing bookings and printing each id only after `execute` has
 * returned (committed). It prints `compacting <through>` when a merge starts. The parent SIGKILLs it.
 */
import { workerCompactor } from '../compaction';
import { LocalStore } from '../local-store';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: crash-compactor <db>');
const compactor = workerCompactor({ entry: new URL('../compaction-worker.ts', import.meta.url), delayMs: 60_000 });
const store = LocalStore.open(path, {
  actor: { id: 'crash', name: 'Crash Writer', role: 'admin' },
  compactEvery: 100,
  compactor,
  onCompaction: (doc, outcome) => process.stdout.write(`${outcome.kind === 'started' ? 'compacting' : outcome.kind} ${doc} ${outcome.through}\n`),
});
let n = 0;
// Writes on a timer, so the merge's Worker gets its turn: the crash must come while it runs.
const write = () => {
  const start = new Date(Date.UTC(2026, 10, 23, 14, 0) + (n % 500) * 3_600_000).toISOString().replace('.000Z', 'Z');
  const end = new Date(Date.parse(start) + 3_600_000).toISOString().replace('.000Z', 'Z');
  const result = store.execute('createBooking', { title: `Crash job ${n}`, slot: { start, end, assignees: [] } });
  if (!result.ok) throw new Error(result.error.message);
  process.stdout.write(`${result.value.id}\n`);
  n++;
  setTimeout(write, 2);
};
write();
