/**
 * Opens a store in a fresh process and reports: `LocalStore.open` (roster doc + read tables), the first
 * board query, and the deferred load of the schedule document (paid before the first booking edit).
 */
import { LocalStore } from '../electron/backend/store/local-store';
import { BENCH_ACTOR } from './fixtures';

const [path, from, to] = process.argv.slice(2);
const t0 = performance.now();
const store = LocalStore.open(path!, { actor: BENCH_ACTOR });
const t1 = performance.now();
const rows = store.queries.bookingsInRange(Number(from), Number(to)).length;
const t2 = performance.now();
store.loadDocuments();
const t3 = performance.now();
store.close();
process.stdout.write(JSON.stringify({ openMs: t1 - t0, firstQueryMs: t2 - t1, scheduleLoadMs: t3 - t2, rows }));
