/**
 * Child process for the crash test: opens a store and writes bookings as fast as it can, printing each
 * id only after `execute` has returned (i.e. after the SQLite commit). The parent SIGKILLs it mid-stream.
 */
import { LocalStore } from '../local-store';

const [path, providerId] = process.argv.slice(2);
if (!path || !providerId) throw new Error('usage: crash-writer <db> <providerId>');
const store = LocalStore.open(path, { actor: { id: 'crash', name: 'Crash Writer', role: 'admin' }, compactEvery: 150 });
let n = 0;
for (;;) {
  const start = new Date(Date.UTC(2026, 10, 23, 14, 0) + (n % 500) * 3_600_000).toISOString().replace('.000Z', 'Z');
  const end = new Date(Date.parse(start) + 3_600_000).toISOString().replace('.000Z', 'Z');
  const result = store.execute('createBooking', {
    title: `Crash job ${n}`,
    slot: { start, end, assignees: n % 3 === 0 ? [] : [providerId] },
  });
  if (!result.ok) throw new Error(result.error.message);
  process.stdout.write(`${result.value.id}\n`);
  n++;
}
