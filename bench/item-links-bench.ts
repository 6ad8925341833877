/**
 * What the sync server's link check (`sync-server/src/sync/item-links.ts`) adds to applying a client update:
 * small map edits from 40 writers into a room whose document already holds history from N earlier sessions
 * (each a Yjs client, so N is the state vector's size). Same updates, alternating without / with the check,
 * medians of 6 rounds, in one process.
 *
 * `npx tsx bench/item-links-bench.ts [--quick]`
 */
import * as Y from 'yjs';
import { clientsOf, findMisplacedItem } from '../sync-server/src/sync/item-links';
import { percentile } from './stats';

const quick = process.argv.includes('--quick');
const UPDATES = quick ? 2000 : 20_000;
const ROUNDS = quick ? 2 : 6;

function writerUpdates(writers: number, n: number): Uint8Array[] {
  const docs = Array.from({ length: writers }, () => new Y.Doc());
  const updates: Uint8Array[] = [];
  docs.forEach((d) => d.on('update', (u: Uint8Array) => updates.push(u)));
  for (let i = 0; i < n; i++) docs[i % writers]!.getMap('bookings').set(`job-${i % 500}`, { i, note: 'x'.repeat(40) });
  return updates;
}

function roomWithHistory(sessions: number): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  for (let c = 0; c < sessions; c++) {
    const past = new Y.Doc();
    past.getMap('history').set(`session-${c}`, c);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(past));
  }
  return doc;
}

/** µs per update. */
function applyAll(updates: Uint8Array[], sessions: number, check: boolean): number {
  const doc = roomWithHistory(sessions);
  let clients: number[] = [];
  if (check) {
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (findMisplacedItem(transaction, clients)) throw new Error('an honest update was flagged');
    });
  }
  const started = performance.now();
  for (const update of updates) {
    if (check) clients = clientsOf(update);
    Y.applyUpdate(doc, update);
  }
  return ((performance.now() - started) * 1000) / updates.length;
}

const updates = writerUpdates(40, UPDATES);
console.log(`\nitem-links check: ${UPDATES} map edits from 40 writers, median of ${ROUNDS} rounds`);
console.log('| past sessions in the room | apply | apply + check | added |');
console.log('|---|---|---|---|');
for (const sessions of [50, 2000]) {
  const without: number[] = [];
  const withCheck: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    without.push(applyAll(updates, sessions, false));
    withCheck.push(applyAll(updates, sessions, true));
  }
  const a = percentile(without, 50);
  const b = percentile(withCheck, 50);
  console.log(`| ${sessions} | ${a.toFixed(1)} µs | ${b.toFixed(1)} µs | ${(b - a).toFixed(1)} µs (${(((b - a) / a) * 100).toFixed(0)}%) |`);
}
