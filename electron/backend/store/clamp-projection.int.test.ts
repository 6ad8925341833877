/**
 * A clamp the server records (core/doc/clamps.ts) changes no record, only how a stamp compares, and it
 * can arrive in a later message than the entries it settles. The read tables must follow it: before,
 * a desktop that had shown the entry set ahead as the winner kept showing it after the clamp made its own
 * write win, while the other desktop showed the other value (seen in CI: the roster lost-write spec under
 * a shifted clock). Two real LocalStores on SQLite files, and a plain document standing in for the server
 * that clamps as the sync server does (`stampsWritten`, `clampsFor`, its own transaction).
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAMPS_MAP, clampsFor, stampsWritten } from '../../../core/doc/clamps';
import type { Actor } from '../../../core/model';
import type { DocName } from './doc-log';
import { LocalStore } from './local-store';
import { dumpReadTables } from './testing/tables';
import { tempDir } from './testing/temp-dir';

const ACTOR: Actor = { id: 'u-office', name: 'Office', role: 'admin' };
const T0 = Date.parse('2031-05-06T14:00:00Z');
const MINUTE = 60_000;

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The server's copy of both documents; it clamps what is set ahead of `now` in its own transaction. */
function serverDocs() {
  const docs: Record<DocName, Y.Doc> = { roster: new Y.Doc(), schedule: new Y.Doc() };
  let now = T0;
  return {
    docs,
    setNow: (ms: number) => (now = ms),
    keep(doc: DocName, update: Uint8Array) {
      let stamps: string[] = [];
      const collect = (tr: Y.Transaction) => (stamps = stampsWritten(tr));
      docs[doc].on('afterTransaction', collect);
      Y.applyUpdate(docs[doc], update, 'client');
      docs[doc].off('afterTransaction', collect);
      const clamps = clampsFor(stamps, now);
      if (clamps.size > 0) docs[doc].transact(() => clamps.forEach((wall, stamp) => docs[doc].getMap(CLAMPS_MAP).set(stamp, wall)), 'server');
      return clamps.size;
    },
  };
}

const diff = (from: Y.Doc, to: Y.Doc) => Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));

describe('read tables follow a clamp that arrives after the entries it settles', () => {
  const dir = tempDir('crewline-clamp-projection-');
  const open: LocalStore[] = [];
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
  });

  it('a provider and a job show the write that wins once the clamp is in, on the desktop that had shown the other', () => {
    let aNow = T0;
    let bNow = T0;
    const a = LocalStore.open(dir.file('a.sqlite'), { actor: ACTOR, clock: () => aNow });
    const b = LocalStore.open(dir.file('b.sqlite'), { actor: ACTOR, clock: () => bNow });
    open.push(a, b);
    const server = serverDocs();
    const send = (from: LocalStore, doc: DocName) => server.keep(doc, diff(from.docs[doc], server.docs[doc]));
    const receive = (to: LocalStore, doc: DocName) => to.applyUpdate(doc, diff(server.docs[doc], to.docs[doc]), 'remote');

    must(a.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }));
    const { id: providerId } = must(a.execute('createProvider', { name: 'Ana Silva', phone: '+1 312 555 0100' })) as { id: string };
    const { id: jobId } = must(a.execute('createBooking', { title: 'Fix the sink', notes: 'first' })) as { id: string };
    for (const doc of ['roster', 'schedule'] as const) {
      expect(send(a, doc)).toBe(0);
      receive(b, doc);
    }

    // A's clock is a day ahead; B writes an hour later than the server's clock, after A.
    aNow = T0 + 24 * 60 * MINUTE;
    must(a.execute('updateProvider', { id: providerId, phone: '+1 312 555 0111' }));
    must(a.execute('updateBooking', { id: jobId, notes: 'from the clock set ahead' }));
    bNow = T0 + 60 * MINUTE;
    must(b.execute('updateProvider', { id: providerId, phone: '+1 312 555 0222' }));
    must(b.execute('updateBooking', { id: jobId, notes: 'an hour later' }));

    const phoneOn = (store: LocalStore) =>
      JSON.parse((store.db.prepare('SELECT data FROM providers WHERE id = ?').get(providerId) as { data: string }).data).phone as string;
    const notesOn = (store: LocalStore) =>
      JSON.parse((store.db.prepare('SELECT data FROM bookings WHERE id = ?').get(jobId) as { data: string }).data).notes as string;

    // The server keeps A's update at T0 + 30 min and records the clamps in a transaction of its own.
    server.setNow(T0 + 30 * MINUTE);
    expect(send(a, 'roster')).toBeGreaterThan(0);
    expect(send(a, 'schedule')).toBeGreaterThan(0);

    // B gets A's entries first (one message: A's own state, no clamps) and the clamps later (another).
    b.applyUpdate('roster', diff(a.docs.roster, b.docs.roster), 'remote');
    b.applyUpdate('schedule', diff(a.docs.schedule, b.docs.schedule), 'remote');
    expect(phoneOn(b)).toBe('+1 312 555 0111');
    expect(notesOn(b)).toBe('from the clock set ahead');

    receive(b, 'roster');
    receive(b, 'schedule');
    expect(b.docs.roster.getMap(CLAMPS_MAP).size).toBeGreaterThan(0);
    expect(phoneOn(b)).toBe('+1 312 555 0222');
    expect(notesOn(b)).toBe('an hour later');

    // The incremental tables are what a rebuild from the documents makes.
    const incremental = dumpReadTables(b.db);
    b.rebuildProjection();
    expect(dumpReadTables(b.db)).toEqual(incremental);

    // B's write reaches the server in its own time (no clamp); A, which gets it and its own clamp in one
    // message, shows the same.
    server.setNow(bNow + MINUTE);
    expect(send(b, 'roster')).toBe(0);
    expect(send(b, 'schedule')).toBe(0);
    receive(a, 'roster');
    receive(a, 'schedule');
    expect(phoneOn(a)).toBe('+1 312 555 0222');
    expect(notesOn(a)).toBe('an hour later');
  });
});
