import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { manualClock } from '../../../core/clock';
import type { RestoreRefusal } from '../../../core/backup/backups';
import type { Actor, Result } from '../../../core/index';
import { DOC_NAMES } from './doc-log';
import { LocalStore, type ChangeEvent } from './local-store';
import { SCHEMA_VERSION } from './schema';
import type { SyncLinkSettings } from './sync-link';
import { dumpReadTables } from './testing/tables';
import { tempDir } from './testing/temp-dir';
import { WorkspaceBackups, type SyncControl } from './workspace-backup';

const actor: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'admin' };
const START = Date.parse('2026-11-24T14:00:00Z');
const HOUR = 3_600_000;
const LINK: SyncLinkSettings = {
  serverUrl: 'http://127.0.0.1:4455',
  orgId: '01900000-0000-7000-8000-00000000000a',
  user: { id: 'u1', name: 'Dana Dispatcher', email: 'dana@example.com', role: 'admin' },
  linkedAt: '2026-11-23T12:00:00.000Z',
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function setup() {
  const tmp = tempDir();
  const clock = manualClock(START);
  const stores: LocalStore[] = [];
  cleanups.push(() => {
    for (const s of stores) if (s.db.open) s.close();
    tmp.cleanup();
  });
  const open = (name = 'workspace.sqlite') => {
    const store = LocalStore.open(tmp.file(name), { actor, clock: clock.now });
    stores.push(store);
    return store;
  };
  const store = open();
  const syncCalls: string[] = [];
  const sync: SyncControl = {
    stop: () => void syncCalls.push('stop'),
    start: async () => void syncCalls.push('start'),
  };
  const backups = new WorkspaceBackups(store, { sync });
  return { tmp, clock, store, open, backups, syncCalls };
}

function seed(store: LocalStore, label = 'Acme') {
  must(store.execute('initializeOrganization', { name: label, timeZone: 'America/Chicago' }));
  const ana = must(store.execute('createProvider', { name: 'Ana Silva' })).id;
  const cust = must(store.execute('createCustomer', { name: 'Smith Residence', address: '12 Oak St' })).id;
  const job = must(
    store.execute('createBooking', {
      title: `${label} AC repair`,
      customerId: cust,
      slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] },
    }),
  ).id;
  return { ana, cust, job };
}

function archiveRow(store: LocalStore, id: string, title: string) {
  store.db
    .prepare(
      "INSERT INTO archive_bookings (id, title, customer_id, status, start_ms, end_ms, archived_at, data, history) VALUES (?, ?, NULL, 'completed', 1, 2, '2026-01-01T00:00:00Z', '{}', '[]')",
    )
    .run(id, title);
}

const stateVectors = (store: LocalStore) =>
  Object.fromEntries(DOC_NAMES.map((name) => [name, [...Y.decodeStateVector(Y.encodeStateVector(store.docs[name]))].sort()]));

const sha = (file: string) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null);

/** Everything a refused restore must leave exactly as it was. */
function everything(store: LocalStore, backups: WorkspaceBackups) {
  return {
    tables: dumpReadTables(store.db),
    stateVectors: stateVectors(store),
    documents: Object.fromEntries(DOC_NAMES.map((name) => [name, Buffer.from(Y.encodeStateAsUpdate(store.docs[name])).toString('base64')])),
    drafts: [...store.drafts.list()],
    meta: store.db.prepare('SELECT * FROM meta ORDER BY key').all(),
    link: store.syncLink.get(),
    settings: store.queries.settings(),
    backups: backups.list(),
    backupsFolder: existsSync(backups.dir) ? readdirSync(backups.dir).sort() : null,
    workspaceFolder: readdirSync(dirname(store.path)).sort(),
    file: sha(store.path),
    wal: sha(`${store.path}-wal`),
  };
}

describe('WorkspaceBackups: back up and restore', () => {
  it('a restore brings back exactly the backed-up data, keeps a pre-restore copy, and tells the views', () => {
    const { store, backups, clock, syncCalls, open } = setup();
    const { job, cust } = seed(store);
    archiveRow(store, 'archived-before', 'Old finished job');
    store.drafts.stage(job, null);
    const backedUp = { tables: dumpReadTables(store.db), stateVectors: stateVectors(store), settings: store.queries.settings() };

    const entry = backups.create();
    expect(entry.kind).toBe('manual');
    expect(entry.at).toBe(new Date(START).toISOString());
    expect(statSync(join(backups.dir, entry.name)).size).toBe(entry.size);
    expect(backups.list()).toEqual([entry]);

    clock.advance(HOUR);
    must(store.execute('createBooking', { title: 'Added after the backup' }));
    must(store.execute('updateCustomer', { id: cust, name: 'Renamed after the backup' }));
    must(store.execute('updateSettings', { name: 'Acme Renamed' }));
    archiveRow(store, 'archived-after', 'Archived after the backup');
    store.drafts.stage(job, { start: '2026-11-25T15:00:00Z', end: '2026-11-25T17:00:00Z', assignees: [] });
    expect(dumpReadTables(store.db)).not.toEqual(backedUp.tables);

    expect(must(backups.check({ name: entry.name }))).toEqual({
      organization: 'Acme',
      providers: 1,
      bookings: 1,
      archivedBookings: 1,
      schemaVersion: SCHEMA_VERSION,
      linkedTo: null,
    });
    const events: ChangeEvent[] = [];
    store.onChange((e) => events.push(e));
    const restored = must(backups.restore({ name: entry.name }));

    expect(dumpReadTables(store.db)).toEqual(backedUp.tables);
    expect(stateVectors(store)).toEqual(backedUp.stateVectors);
    expect(store.queries.settings()).toEqual(backedUp.settings);
    expect(store.queries.list({}).map((b) => b.title)).toEqual(['Acme AC repair']);
    expect(store.queries.customer(cust)?.name).toBe('Smith Residence');
    // Staged edits belong to the replaced workspace: discarded here, kept in the pre-restore copy.
    expect(store.drafts.count()).toBe(0);
    expect(restored.discardedDrafts).toBe(1);
    expect(restored.sync).toBe('not-linked');
    expect(store.canUndo()).toBe(false);
    expect(syncCalls).toEqual(['stop', 'start']);
    // One change event naming every record of both workspaces: the views re-query.
    expect(events).toHaveLength(1);
    expect(events[0]!.changed.bookings).toHaveLength(2);
    expect(events[0]!.changed.settings).toContain('name');

    const pre = restored.preRestoreBackup;
    expect(pre.kind).toBe('pre-restore');
    expect(backups.list().map((e) => e.name).sort()).toEqual([entry.name, pre.name].sort());
    const copy = new Database(join(backups.dir, pre.name), { readonly: true });
    try {
      expect(copy.prepare('SELECT title FROM bookings ORDER BY title').pluck().all()).toEqual(['Acme AC repair', 'Added after the backup']);
      expect(copy.prepare('SELECT id FROM archive_bookings ORDER BY id').pluck().all()).toEqual(['archived-after', 'archived-before']);
      expect(copy.prepare('SELECT count(*) FROM draft_changes').pluck().get()).toBe(1);
    } finally {
      copy.close();
    }

    // The restored documents are the store's: edits go on, and the file reopens to the same.
    must(store.execute('createBooking', { title: 'After the restore' }));
    const afterEdit = { tables: dumpReadTables(store.db), stateVectors: stateVectors(store) };
    store.close();
    const reopened = open();
    expect({ tables: dumpReadTables(reopened.db), stateVectors: stateVectors(reopened) }).toEqual(afterEdit);
  });

  it('a backup to a chosen path replaces a file already there, and is a checked copy', () => {
    const { store, backups, tmp } = setup();
    seed(store);
    const target = tmp.file('chosen.sqlite');
    writeFileSync(target, 'an old file the save dialog agreed to replace');
    const written = backups.backUpTo(target);
    expect(written.size).toBe(statSync(target).size);
    expect(existsSync(`${target}.partial`)).toBe(false);
    expect(must(backups.check({ path: target })).organization).toBe('Acme');
    expect(() => backups.backUpTo(store.path)).toThrow(/workspace file itself/);
  });
});

describe('WorkspaceBackups: refused restores change nothing', () => {
  /** Each bad file, made from a real backup where that makes the case sharper, with the reason it gets. */
  const cases: Array<{ name: string; reason: RestoreRefusal; message: RegExp; make: (good: string, file: string) => void }> = [
    {
      name: 'a truncated backup',
      reason: 'damaged',
      message: /damaged/,
      make: (good, file) => {
        copyFileSync(good, file);
        truncateSync(file, Math.floor(statSync(good).size / 2));
      },
    },
    {
      name: 'a backup with a corrupted page',
      reason: 'damaged',
      message: /damaged/,
      make: (good, file) => {
        const bytes = readFileSync(good);
        const pageSize = bytes.readUInt16BE(16);
        // The second page onwards: b-tree pages of the schema's tables, now noise.
        for (let i = pageSize; i < Math.min(bytes.length, pageSize * 4); i++) bytes[i] = (i * 7919) % 251;
        writeFileSync(file, bytes);
      },
    },
    {
      name: 'a file that is not SQLite',
      reason: 'not-sqlite',
      message: /not a SQLite database/,
      make: (_good, file) => writeFileSync(file, 'id,title\n1,Not a workspace\n'.repeat(100)),
    },
    {
      name: 'another application’s SQLite database',
      reason: 'not-crewline',
      message: /not a Crewline workspace/,
      make: (_good, file) => {
        const db = new Database(file);
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
        db.pragma('user_version = 2');
        db.close();
      },
    },
    {
      name: 'a workspace from a newer Crewline',
      reason: 'newer',
      message: /newer Crewline \(workspace schema \d+; this app reads up to \d+\)/,
      make: (good, file) => {
        copyFileSync(good, file);
        const db = new Database(file);
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        db.close();
      },
    },
    {
      name: 'a workspace whose documents do not decode',
      reason: 'unreadable-documents',
      message: /roster document cannot be read/,
      make: (good, file) => {
        copyFileSync(good, file);
        const db = new Database(file);
        // Intact as a database, but the roster's updates are noise.
        db.prepare("UPDATE doc_updates SET data = ? WHERE doc = 'roster'").run(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
        db.prepare("UPDATE doc_snapshots SET data = ? WHERE doc = 'roster'").run(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
        db.close();
      },
    },
    {
      name: 'a workspace with no organization',
      reason: 'empty',
      message: /holds no organization/,
      make: (_good, file) => LocalStore.open(file, { actor }).close(),
    },
    {
      name: 'a path where there is no file',
      reason: 'missing',
      message: /There is no file at/,
      make: () => undefined,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: refused with the reason, the workspace byte for byte as it was`, () => {
      const { store, backups, tmp } = setup();
      const { job } = seed(store);
      store.drafts.stage(job, null);
      store.syncLink.set(LINK);
      const good = tmp.file('good.sqlite');
      store.backupTo(good);
      must(store.execute('createBooking', { title: 'Not in the backup' }));
      backups.create();
      const file = tmp.file('candidate.sqlite');
      c.make(good, file);

      const before = everything(store, backups);
      for (const answer of [backups.check({ path: file }), backups.restore({ path: file })]) {
        expect(answer.ok).toBe(false);
        if (answer.ok) continue;
        expect(answer.error.details).toEqual({ reason: c.reason });
        expect(answer.error.message).toMatch(c.message);
      }
      expect(everything(store, backups)).toEqual(before);
    });
  }

  it('a refused file leaves no trace, not even a backups folder', () => {
    const { store, backups, tmp } = setup();
    seed(store);
    const notes = tmp.file('notes.txt');
    writeFileSync(notes, 'x'.repeat(4096));
    const foreign = new Database(tmp.file('foreign.sqlite'));
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    const before = everything(store, backups);
    expect(before.backupsFolder).toBeNull();
    expect(backups.restore({ path: notes }).ok).toBe(false);
    expect(backups.restore({ path: tmp.file('foreign.sqlite') }).ok).toBe(false);
    expect(everything(store, backups)).toEqual(before);
  });

  it('names must be listed backups and paths must be full: refused on the field', () => {
    const { store, backups } = setup();
    seed(store);
    const before = everything(store, backups);
    const refusals = [
      backups.restore({ name: '../workspace.sqlite' }),
      backups.restore({ path: 'relative/backup.sqlite' }),
      backups.restore({ path: store.path }),
      backups.restore({}),
    ];
    expect(refusals.map((r) => (r.ok ? null : Object.keys(r.error.fieldErrors ?? {})))).toEqual([['name'], ['path'], ['path'], []]);
    expect(everything(store, backups)).toEqual(before);
  });
});

describe('WorkspaceBackups: the sync link on restore', () => {
  function backupLinkedTo(link: SyncLinkSettings | null) {
    const env = setup();
    seed(env.store);
    if (link) env.store.syncLink.set(link);
    const entry = env.backups.create();
    env.store.syncLink.set(LINK);
    must(env.store.execute('createBooking', { title: 'Since the backup' }));
    return { ...env, entry };
  }

  it('a backup of the same organization keeps the link: syncing resumes', () => {
    const { store, backups, entry, syncCalls } = backupLinkedTo({ ...LINK, serverUrl: 'http://127.0.0.1:4455/' });
    const restored = must(backups.restore({ name: entry.name }));
    expect(restored.sync).toBe('kept');
    expect(restored.summary.linkedTo).toEqual({ serverUrl: 'http://127.0.0.1:4455/', orgId: LINK.orgId });
    expect(store.syncLink.get()).toEqual(LINK);
    expect(syncCalls).toEqual(['stop', 'start']);
  });

  it('a backup of another organization, or of no link, unlinks: it never syncs into this link unasked', () => {
    for (const link of [{ ...LINK, orgId: '01900000-0000-7000-8000-00000000000b' }, { ...LINK, serverUrl: 'http://10.0.0.9:4455' }, null]) {
      const { store, backups, entry } = backupLinkedTo(link);
      const restored = must(backups.restore({ name: entry.name }));
      expect(restored.sync).toBe('unlinked');
      expect(store.syncLink.get()).toBeNull();
      expect(store.db.prepare("SELECT count(*) FROM meta WHERE key = 'sync_link'").pluck().get()).toBe(0);
    }
  });
});

describe('WorkspaceBackups: automatic daily backups', () => {
  it('run once a day by the clock and keep the newest `keep`; manual and pre-restore ones are never pruned', () => {
    const { store, backups, clock } = setup();
    // An empty workspace (first run) is not backed up, and the day is not counted as done.
    expect(backups.runAutomaticIfDue()).toBeNull();
    seed(store);
    expect(backups.settings()).toEqual({ keep: 7, lastAutomaticAt: null, dir: backups.dir });

    const first = backups.runAutomaticIfDue();
    expect(first?.kind).toBe('automatic');
    expect(backups.runAutomaticIfDue()).toBeNull();
    clock.advance(23 * HOUR);
    expect(backups.runAutomaticIfDue()).toBeNull();
    const manual = backups.create('manual');
    const pre = backups.create('pre-restore');
    clock.advance(HOUR);
    expect(backups.runAutomaticIfDue()?.at).toBe(new Date(START + 24 * HOUR).toISOString());
    expect(backups.settings().lastAutomaticAt).toBe(new Date(START + 24 * HOUR).toISOString());

    const fieldOf = (r: Result<unknown>) => (r.ok ? null : r.error.fieldErrors);
    expect(fieldOf(backups.setKeep(0))).toEqual({ keep: 'At least 1' });
    expect(fieldOf(backups.setKeep(101))).toEqual({ keep: 'At most 100' });
    expect(backups.settings().keep).toBe(7);
    must(backups.setKeep(3));
    for (let day = 2; day <= 5; day++) {
      clock.advance(24 * HOUR);
      expect(backups.runAutomaticIfDue()).not.toBeNull();
    }
    const automatic = backups.list().filter((e) => e.kind === 'automatic');
    expect(automatic.map((e) => e.at)).toEqual([5, 4, 3].map((d) => new Date(START + d * 24 * HOUR).toISOString()));
    expect(readdirSync(backups.dir).filter((n) => n.startsWith('auto-'))).toHaveLength(3);
    // Lowering the count prunes at once; the other kinds stay.
    must(backups.setKeep(1));
    expect(backups.list().map((e) => e.kind).sort()).toEqual(['automatic', 'manual', 'pre-restore']);
    expect(backups.list().map((e) => e.name)).toEqual(expect.arrayContaining([manual.name, pre.name]));
    expect(first && existsSync(join(backups.dir, first.name))).toBe(false);

    // The setting is the workspace's, in its meta table: a new WorkspaceBackups reads it back.
    expect(new WorkspaceBackups(store).settings().keep).toBe(1);
  });

  it('startAutomatic checks after its first delay and then on its timer', async () => {
    const { store, backups, clock } = setup();
    seed(store);
    const automatic = () => backups.list().filter((e) => e.kind === 'automatic').length;
    backups.startAutomatic({ firstAfterMs: 30, everyMs: 20 });
    cleanups.push(() => backups.stopAutomatic());
    // Not at once: the console paints first.
    expect(automatic()).toBe(0);
    await expect.poll(automatic).toBe(1);
    clock.advance(25 * HOUR);
    await expect.poll(automatic).toBe(2);
    backups.stopAutomatic();
    clock.advance(25 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(automatic()).toBe(2);
  });
});
