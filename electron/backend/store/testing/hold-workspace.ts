/**
 * Child process for the workspace lock test: opens a store, says "open" and keeps it open until killed.
 */
import { LocalStore } from '../local-store';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: hold-workspace <db>');
LocalStore.open(path, { actor: { id: 'holder', name: 'Holder', role: 'admin' } });
process.stdout.write('open\n');
setInterval(() => undefined, 60_000);
