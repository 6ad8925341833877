import { statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FileTokenVault } from '../sync/token-vault';
import { openWorkspace } from '../workspace';
import { LocalStore, type ChangeEvent } from './local-store';
import { SCHEMA_VERSION } from './schema';
import type { SyncLinkSettings } from './sync-link';
import { dumpReadTables } from './testing/tables';
import { tempDir } from './testing/temp-dir';

const admin = { id: 'admin-1', name: 'Ana Admin', role: 'admin' as const };
const LINK: SyncLinkSettings = {
  serverUrl: 'http://127.0.0.1:4455',
  orgId: '01900000-0000-7000-8000-00000000000a',
  user: { id: 'admin-1', name: 'Ana Admin', email: 'ana@example.com', role: 'admin' },
  linkedAt: '2026-11-23T12:00:00.000Z',
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function setup() {
  const tmp = tempDir();
  const stores: LocalStore[] = [];
  cleanups.push(() => {
    for (const s of stores) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    tmp.cleanup();
  });
  const open = (name = 'workspace.sqlite') => {
    const store = LocalStore.open(tmp.file(name), { actor: admin });
    stores.push(store);
    return store;
  };
  return { tmp, open };
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function seed(store: LocalStore, label = 'Acme') {
  must(store.execute('initializeOrganization', { name: label, timeZone: 'America/Chicago' }));
  const provider = must(store.execute('createProvider', { name: `${label} tech` })).id;
  const booking = must(
    store.execute('createBooking', {
      title: `${label} job`,
      slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [provider] },
    }),
  ).id;
  return { provider, booking };
}

const stateOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe('schema 3', () => {
  it('upgrades a schema-2 workspace, keeping its data', () => {
    const { tmp, open } = setup();
    const first = open();
    const s = seed(first);
    first.drafts.stage(s.booking, null);
    first.close();
    const raw = new Database(tmp.file('workspace.sqlite'));
    raw.exec('DROP TABLE sync_pending; DROP TABLE offline_changes');
    raw.pragma('user_version = 2');
    raw.close();

    const store = open();
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(3);
    expect(store.queries.booking(s.booking)?.title).toBe('Acme job');
    expect(store.drafts.count()).toBe(1);
    expect(store.pendingActions.count()).toBe(0);
    expect(store.offlineChanges.list()).toEqual([]);
  });
});

describe('pending actions', () => {
  it('are recorded only while linked, one per committed write, and survive a reopen', () => {
    const { open } = setup();
    const store = open();
    const s = seed(store);
    expect(store.pendingActions.count()).toBe(0); // not linked: nothing to wait for

    store.syncLink.set(LINK);
    must(store.execute('updateBooking', { id: s.booking, notes: 'one' }));
    expect(store.pendingActions.count()).toBe(1);
    // One write touching both documents is one action.
    store.batch(() => {
      must(store.execute('createProvider', { name: 'Bo' }));
      must(store.execute('createBooking', { title: 'Two docs' }));
    });
    expect(store.pendingActions.count()).toBe(2);
    expect(store.undo()).toBe(true);
    expect(store.redo()).toBe(true);
    expect(store.pendingActions.count()).toBe(4);
    // A refused command writes nothing and is no action.
    expect(store.execute('updateBooking', { id: 'nope', notes: 'x' }).ok).toBe(false);
    expect(store.pendingActions.count()).toBe(4);

    // Changes from elsewhere are never this desktop's actions.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(store.docs.schedule));
    other.getMap('notificationRequests').set('r1', { id: 'r1' });
    store.applyUpdate('schedule', Y.encodeStateAsUpdate(other, Y.encodeStateVector(store.docs.schedule)));
    expect(store.pendingActions.count()).toBe(4);

    const clientId = store.docs.schedule.clientID;
    store.close();
    const reopened = open();
    expect(reopened.pendingActions.count()).toBe(4);
    expect(reopened.syncLink.get()).toEqual(LINK);
    // A new session writes under a new client id; the old rows keep theirs.
    expect(reopened.docs.schedule.clientID).not.toBe(clientId);
    const clients = reopened.db.prepare('SELECT DISTINCT client_id FROM sync_pending').pluck().all();
    expect(clients).toContain(clientId);
  });

  it('are confirmed by a state vector that covers their clock, per document', () => {
    const { open } = setup();
    const store = open();
    seed(store);
    store.syncLink.set(LINK);
    const roster = store.docs.roster;
    const schedule = store.docs.schedule;
    const before = { roster: stateOf(roster), schedule: stateOf(schedule) };
    must(store.execute('createBooking', { title: 'First' }));
    const afterFirst = stateOf(schedule);
    store.batch(() => {
      must(store.execute('createProvider', { name: 'Cy' }));
      must(store.execute('createBooking', { title: 'Second' }));
    });
    expect(store.pendingActions.count()).toBe(2);

    // A server that has only what came before: nothing confirmed.
    expect(store.pendingActions.confirm('schedule', before.schedule)).toBe(0);
    // The first action's clock: only it is confirmed.
    expect(store.pendingActions.confirm('schedule', afterFirst)).toBe(1);
    expect(store.pendingActions.count()).toBe(1);
    // The second action changed both documents: it counts until both are confirmed.
    expect(store.pendingActions.confirm('schedule', stateOf(schedule))).toBe(1);
    expect(store.pendingActions.count()).toBe(1);
    expect(store.pendingActions.confirm('roster', before.roster)).toBe(0);
    expect(store.pendingActions.confirm('roster', stateOf(roster))).toBe(1);
    expect(store.pendingActions.count()).toBe(0);
  });
});

describe('receive', () => {
  it('applies a sync message as one remote write: logged as remote, projected, not undoable, an event after commit', () => {
    const { open } = setup();
    const store = open();
    const s = seed(store);
    store.syncLink.set(LINK);
    const events: ChangeEvent[] = [];
    store.onChange((e) => events.push(e));
    // Another desktop with the same documents edits the booking.
    const peer = open('peer.sqlite');
    for (const doc of ['roster', 'schedule'] as const) peer.applyUpdate(doc, Y.encodeStateAsUpdate(store.docs[doc]));
    must(peer.execute('updateBooking', { id: s.booking, notes: 'From elsewhere' }));
    const update = Y.encodeStateAsUpdate(peer.docs.schedule, Y.encodeStateVector(store.docs.schedule));
    const provider = { name: 'a stand-in for the WebsocketProvider origin' };
    store.clearUndoHistory();

    store.receive('schedule', (doc) => Y.applyUpdate(doc, update, provider));
    expect(store.queries.booking(s.booking)?.notes).toBe('From elsewhere');
    expect(events).toEqual([{ changed: expect.objectContaining({ bookings: [s.booking] }), origin: 'remote' }]);
    const lastOrigin = store.db.prepare('SELECT origin FROM doc_updates ORDER BY id DESC LIMIT 1').pluck().get();
    expect(lastOrigin).toBe('remote');
    expect(store.pendingActions.count()).toBe(0);
    // Not an undo step: Ctrl+Z never takes back what someone else did.
    expect(store.canUndo()).toBe(false);
  });
});

describe('withdrawing lost-write marks', () => {
  it('removes only the named marks of that record, for jobs and roster records, and counts them', () => {
    const { open } = setup();
    const store = open();
    const lost = (id: string) => ({ id, at: '2026-11-23T12:00:00Z', by: { id: '', name: 'A later change' }, action: 'conflict_lost', summary: 'Notes' });
    store.offlineChanges.add('job-1', [lost('lost-notes-a'), lost('lost-slot-b')]);
    store.offlineChanges.add('job-2', [lost('lost-notes-c')]);
    // Another booking's mark id named under job-1, and ids never marked, are left alone.
    expect(store.offlineChanges.withdraw('job-1', ['lost-notes-a', 'lost-notes-c', 'lost-title-z'])).toBe(1);
    expect(store.offlineChanges.withdraw('job-1', [])).toBe(0);
    expect(store.offlineChanges.list().map((m) => m.entryId).sort()).toEqual(['lost-notes-c', 'lost-slot-b']);

    const mark = (entryId: string) => ({ entryId, at: '2026-11-23T12:00:00Z', summary: 'Kept: Phone "1". Yours, not kept: Phone "2".' });
    store.rosterLostWrites.add('providers', 'p-1', [mark('lost-providers-p-1-profile-s1'), mark('lost-providers-p-1-hours-s2')]);
    store.rosterLostWrites.add('customers', 'p-1', [mark('lost-customers-p-1-profile-s3')]);
    expect(store.rosterLostWrites.withdraw('providers', 'p-1', ['lost-providers-p-1-profile-s1', 'lost-customers-p-1-profile-s3'])).toBe(1);
    expect(store.rosterLostWrites.list().map((m) => m.entryId).sort()).toEqual(['lost-customers-p-1-profile-s3', 'lost-providers-p-1-hours-s2']);
    // The jobs' marks are not the roster's to withdraw.
    expect(store.rosterLostWrites.withdraw('providers', 'job-2', ['lost-notes-c'])).toBe(0);
    expect(store.offlineChanges.list()).toHaveLength(2);
  });
});

describe('replaceDocuments and backupTo', () => {
  it('backs up the workspace, then replaces documents, read tables and local bookkeeping in one go', () => {
    const { tmp, open } = setup();
    const store = open();
    const old = seed(store, 'Old');
    store.drafts.stage(old.booking, null);
    store.syncLink.set(LINK);
    must(store.execute('updateBooking', { id: old.booking, notes: 'pending' }));
    store.offlineChanges.add(old.booking, [{ id: 'h1', at: '2026-11-23T12:00:00Z', by: { id: 'x', name: 'X' }, action: 'edit', summary: 'Edited notes' }]);
    expect(store.pendingActions.count()).toBe(1);

    const backup = tmp.file('backup.sqlite');
    store.backupTo(backup);
    expect(() => store.backupTo(backup)).toThrow();

    // The organization's documents, made elsewhere.
    const server = LocalStore.open(tmp.file('server.sqlite'), { actor: admin });
    const fresh = seed(server, 'Server');
    const states = { roster: Y.encodeStateAsUpdate(server.docs.roster), schedule: Y.encodeStateAsUpdate(server.docs.schedule) };
    const expected = dumpReadTables(server.db);
    server.close();

    const events: ChangeEvent[] = [];
    store.onChange((e) => events.push(e));
    const link = { ...LINK, orgId: '01900000-0000-7000-8000-00000000000b' };
    store.replaceDocuments(states, link);

    expect(dumpReadTables(store.db)).toEqual(expected);
    expect(store.queries.settings().name).toBe('Server');
    expect(store.drafts.count()).toBe(0);
    expect(store.pendingActions.count()).toBe(0);
    expect(store.offlineChanges.list()).toEqual([]);
    expect(store.syncLink.get()).toEqual(link);
    expect(store.canUndo()).toBe(false);
    expect(events).toHaveLength(1);
    expect(events[0]!.origin).toBe('remote');
    expect(new Set(events[0]!.changed.bookings)).toEqual(new Set([old.booking, fresh.booking]));
    // The new documents are the store's: commands write to them, and the file reopens to the same.
    must(store.execute('createBooking', { title: 'After replace' }));
    const afterReplace = dumpReadTables(store.db);
    store.close();
    const reopened = open();
    expect(dumpReadTables(reopened.db)).toEqual(afterReplace);
    expect(reopened.queries.booking(old.booking)).toBeUndefined();

    const saved = LocalStore.open(backup, { actor: admin });
    try {
      expect(saved.queries.booking(old.booking)?.notes).toBe('pending');
      expect(saved.drafts.count()).toBe(1);
      expect(saved.pendingActions.count()).toBe(1);
    } finally {
      saved.close();
    }
  });
});

describe('openWorkspace', () => {
  it('never seeds the demo company into a linked workspace, even an empty one', () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const first = openWorkspace({ dataDir: tmp.dir });
    first.store.syncLink.set(LINK);
    first.store.close();
    const again = openWorkspace({ dataDir: tmp.dir, seedDemo: true, demoDate: '2026-11-23' });
    try {
      expect(again.demo).toBeNull();
      expect(again.store.queries.providers()).toEqual([]);
    } finally {
      again.store.close();
    }
    // The same call on an unlinked empty workspace does seed: the check above is the link's doing.
    const other = tempDir();
    cleanups.push(other.cleanup);
    const seeded = openWorkspace({ dataDir: other.dir, seedDemo: true, demoDate: '2026-11-23' });
    expect(seeded.demo).not.toBeNull();
    seeded.store.close();
  });
});

describe('FileTokenVault', () => {
  it('keeps the token in a file only its owner can read, and forgets it', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const vault = new FileTokenVault(tmp.dir);
    expect(await vault.load()).toBeNull();
    await vault.save('secret-1');
    expect(await vault.load()).toBe('secret-1');
    expect(statSync(vault.path).mode & 0o777).toBe(0o600);
    // A stale temporary file with loose permissions must not loosen the saved one.
    writeFileSync(`${vault.path}.${process.pid}.tmp`, 'old');
    chmodSync(`${vault.path}.${process.pid}.tmp`, 0o644);
    await vault.save('secret-2');
    expect(await vault.load()).toBe('secret-2');
    expect(statSync(vault.path).mode & 0o777).toBe(0o600);
    await vault.clear();
    expect(existsSync(vault.path)).toBe(false);
    expect(await vault.load()).toBeNull();
  });
});
