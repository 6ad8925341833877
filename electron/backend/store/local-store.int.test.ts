import { fixedClock } from '../../../core/clock';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { getBooking, toMs, type Actor } from '../../../core/index';
import { LocalStore, type ChangeEvent } from './local-store';
import { WorkspaceInUseError } from './workspace-lock';
import { tempDir } from './testing/temp-dir';
import { dumpReadTables } from './testing/tables';

const actor: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'admin' };
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(name = 'ws.sqlite', options: { compactEvery?: number } = {}) {
  const tmp = tempDir();
  const path = tmp.file(name);
  const stores: LocalStore[] = [];
  const open = () => {
    const s = LocalStore.open(path, { actor, clock: fixedClock(Date.parse('2026-11-23T12:00:00Z')), ...options });
    stores.push(s);
    return s;
  };
  cleanups.push(() => {
    for (const s of stores) if (s.db.open) s.close();
    tmp.cleanup();
  });
  return { path, open, tmp };
}

function seed(store: LocalStore) {
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  must(store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }));
  const ana = must(store.execute('createProvider', { name: 'Ana Silva' })).id;
  const bo = must(store.execute('createProvider', { name: 'Bo Chen' })).id;
  const cust = must(store.execute('createCustomer', { name: 'Smith Residence', address: '12 Oak St' })).id;
  const job = must(
    store.execute('createBooking', {
      title: 'AC repair',
      customerId: cust,
      slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] },
    }),
  ).id;
  const queued = must(store.execute('createBooking', { title: 'Drain cleaning' })).id;
  return { ana, bo, cust, job, queued, must };
}

const tables = dumpReadTables;

describe('LocalStore', () => {
  it('projects every committed command into the read tables and survives a reopen', () => {
    const { open } = setup();
    const store = open();
    const { ana, job, queued } = seed(store);
    expect(store.queries.providers().map((p) => p.name)).toEqual(['Ana Silva', 'Bo Chen']);
    expect(store.queries.booking(job)?.slot?.assignees).toEqual([ana]);
    expect(store.queries.unassigned().map((b) => b.id)).toEqual([queued]);
    expect(store.queries.providerDay(ana, '2026-11-24').map((b) => b.id)).toEqual([job]);
    const before = tables(store.db);
    const state = Y.encodeStateAsUpdate(store.docs.schedule);
    store.close();

    const reopened = open();
    expect(tables(reopened.db)).toEqual(before);
    expect(getBooking(reopened.docs.schedule, job)?.title).toBe('AC repair');
    expect(Y.encodeStateAsUpdate(reopened.docs.schedule)).toEqual(state);
  });

  it('takes a remote update holding values that are not records without breaking, and keeps working', () => {
    const { open } = setup();
    const store = open();
    const { job, must } = seed(store);
    const before = tables(store.db);
    // Another client writes junk where records and history logs belong.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(store.docs.schedule));
    other.getMap('bookings').set('0190ffff-0000-7000-8000-000000000001', 'junk');
    other.getMap('history').set(job, 7);
    store.applyUpdate('schedule', Y.encodeStateAsUpdate(other, Y.encodeStateVector(store.docs.schedule)));
    expect(tables(store.db).bookings).toEqual((before.bookings as Array<{ id: string }>).map((row) => (row.id === job ? { ...row, history: '[]' } : row)));
    must(store.execute('updateBooking', { id: job, notes: 'Gate code 1234' }));
    expect(store.queries.booking(job)?.notes).toBe('Gate code 1234');
    store.rebuildProjection();
    expect(store.queries.booking(job)?.notes).toBe('Gate code 1234');
  });

  it('keeps the projection equal to a rebuild from the documents', () => {
    const { open } = setup();
    const store = open();
    const { ana, bo, job, queued, must } = seed(store);
    must(store.execute('assignProvider', { id: queued, providerId: bo, start: '2026-11-24T18:00:00Z' }));
    must(store.execute('setTeam', { id: job, assignees: [ana, bo] }));
    must(store.execute('updateProvider', { id: bo, name: 'Bo Chen Jr.', active: false }));
    must(store.execute('sendToTech', { id: job }));
    const incremental = tables(store.db);
    store.rebuildProjection();
    expect(tables(store.db)).toEqual(incremental);
    expect(incremental.booking_assignees).toHaveLength(3);
  });

  it('answers range queries including bookings that start before the range', () => {
    const { open } = setup();
    const store = open();
    const { ana, must } = seed(store);
    const long = must(
      store.execute('createBooking', {
        title: 'Overnight install',
        slot: { start: '2026-11-24T02:00:00Z', end: '2026-11-24T20:00:00Z', assignees: [ana] },
      }),
    ).id;
    const from = toMs('2026-11-24T16:00:00Z');
    const to = toMs('2026-11-24T19:00:00Z');
    const ids = store.queries.bookingsInRange(from, to).map((b) => b.title);
    expect(ids).toEqual(['Overnight install', 'AC repair']);
    expect(store.queries.bookingsInRange(toMs('2026-11-25T00:00:00Z'), toMs('2026-11-26T00:00:00Z'))).toEqual([]);
    expect(store.queries.providerBookings(ana, from, to).map((b) => b.id)).toContain(long);
    const conflicts = store.queries.conflictsInRange(from, to);
    expect(conflicts.get(long)?.map((c) => c.kind)).toContain('double_booking');
  });

  it('searches jobs, customers and providers, and filters the queue', () => {
    const { open } = setup();
    const store = open();
    seed(store);
    expect(store.queries.search('smith').map((h) => `${h.kind}:${h.label}`)).toEqual([
      'customer:Smith Residence',
      'booking:AC repair',
    ]);
    expect(store.queries.search('ana').map((h) => h.kind)).toEqual(['provider']);
    expect(store.queries.search('100%')).toEqual([]);
    expect(store.queries.unassigned({ text: 'drain' })).toHaveLength(1);
    expect(store.queries.unassigned({ text: 'boiler' })).toHaveLength(0);
  });

  it('fires change events only after the commit, with the changed ids', () => {
    const { open } = setup();
    const store = open();
    const { job, ana, bo, must } = seed(store);
    const seen: Array<{ event: ChangeEvent; rowVisible: boolean }> = [];
    store.onChange((event) => {
      // Another connection sees only committed data: proves the event came after COMMIT.
      const reader = new Database(store.path, { readonly: true });
      const row = reader.prepare('SELECT data FROM bookings WHERE id = ?').pluck().get(job) as string;
      seen.push({ event, rowVisible: (JSON.parse(row) as { slot: { assignees: string[] } }).slot.assignees.includes(bo) });
      reader.close();
    });
    must(store.execute('reassignProvider', { id: job, fromProviderId: ana, toProviderId: bo }));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.event.changed.bookings).toEqual([job]);
    expect(seen[0]!.rowVisible).toBe(true);
    const refused = store.execute('reassignProvider', { id: job, fromProviderId: ana, toProviderId: bo });
    expect(refused.ok).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('undoes and redoes the local user’s actions across both documents, keeping history', () => {
    const { open } = setup();
    const store = open();
    const { job, ana, bo, must } = seed(store);
    must(store.execute('updateProvider', { id: bo, name: 'Bo C.' }));
    must(store.execute('reassignProvider', { id: job, fromProviderId: ana, toProviderId: bo }));
    expect(store.undo()).toBe(true);
    expect(store.queries.booking(job)?.slot?.assignees).toEqual([ana]);
    expect(store.queries.provider(bo)?.name).toBe('Bo C.');
    expect(store.undo()).toBe(true);
    expect(store.queries.provider(bo)?.name).toBe('Bo Chen');
    expect(store.redo()).toBe(true);
    expect(store.queries.provider(bo)?.name).toBe('Bo C.');
    expect(store.redo()).toBe(true);
    expect(store.queries.booking(job)?.slot?.assignees).toEqual([bo]);
    expect(store.redo()).toBe(false);
    // Undo reverted the slot, not the record of what happened.
    expect(store.queries.history(job).map((h) => h.action)).toEqual(['create', 'reassign']);
  });

  it('does not undo changes that came from other desktops', () => {
    const { open } = setup();
    const { open: openOther } = setup('other.sqlite');
    const store = open();
    const { job, ana, bo } = seed(store);
    const other = openOther();
    other.applyUpdate('roster', Y.encodeStateAsUpdate(store.docs.roster));
    other.applyUpdate('schedule', Y.encodeStateAsUpdate(store.docs.schedule));
    const before = Y.encodeStateVector(store.docs.schedule);
    const r = other.execute('reassignProvider', { id: job, fromProviderId: ana, toProviderId: bo });
    expect(r.ok).toBe(true);
    store.applyUpdate('schedule', Y.encodeStateAsUpdate(other.docs.schedule, before));
    expect(store.queries.booking(job)?.slot?.assignees).toEqual([bo]);
    expect(other.canUndo()).toBe(true);
    while (store.undo()); // undo everything the local user did
    expect(store.queries.booking(job)).toBeUndefined(); // the local user's creation is undone...
    expect(tables(other.db).bookings.length).toBeGreaterThan(0); // ...the other desktop is untouched
  });

  it('keeps archived bookings as read-only rows when the archive arrives from the server', () => {
    const { open } = setup();
    const { open: openServer } = setup('server.sqlite');
    const desk = open();
    const { job, must } = seed(desk);
    must(desk.execute('sendToTech', { id: job }));
    must(desk.execute('updateStatus', { id: job, status: 'en_route' }));
    must(desk.execute('updateStatus', { id: job, status: 'in_progress' }));
    must(desk.execute('updateStatus', { id: job, status: 'completed' }));
    const server = openServer();
    server.applyUpdate('roster', Y.encodeStateAsUpdate(desk.docs.roster));
    server.applyUpdate('schedule', Y.encodeStateAsUpdate(desk.docs.schedule));
    const sv = Y.encodeStateVector(server.docs.schedule);
    const archived = server.execute('archiveClosedBookings', { closedBefore: '2027-01-01T00:00:00Z' });
    expect(archived.ok && archived.value.archived).toEqual([job]);
    desk.applyUpdate('schedule', Y.encodeStateAsUpdate(server.docs.schedule, sv), 'server');

    expect(desk.queries.booking(job)).toBeUndefined();
    const rows = desk.queries.archived(toMs('2026-11-01T00:00:00Z'), toMs('2026-12-01T00:00:00Z'));
    expect(rows.map((r) => [r.id, r.status])).toEqual([[job, 'completed']]);
    expect(desk.queries.archivedCount()).toBe(1);
    const edit = desk.execute('updateBooking', { id: job, notes: 'late edit' });
    expect(edit.ok).toBe(false);
    expect(!edit.ok && edit.error.message).toMatch(/archived/);
    // A rebuild of the projection never drops the archive: it is not derivable from the documents.
    desk.rebuildProjection();
    expect(desk.queries.archivedCount()).toBe(1);
  });

  it('compacts the log into a snapshot in one transaction, and rolls back a failed compaction', () => {
    const { open, path } = setup();
    const store = open();
    seed(store);
    const count = () => store.db.prepare("SELECT count(*) FROM doc_updates WHERE doc = 'schedule'").pluck().get();
    const snapshot = () => store.db.prepare("SELECT data FROM doc_snapshots WHERE doc = 'schedule'").pluck().get();
    expect(count()).toBeGreaterThan(0);

    // A real SQLite failure at the last step of compaction: deleting the merged log rows.
    store.db.exec(`CREATE TEMP TRIGGER refuse_delete BEFORE DELETE ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const logBefore = count();
    expect(() => store.compact('schedule')).toThrow(/disk says no/);
    expect(count()).toBe(logBefore);
    expect(snapshot()).toBeUndefined();
    store.db.exec('DROP TRIGGER refuse_delete');

    store.compact('schedule');
    expect(count()).toBe(0);
    expect(snapshot()).toBeInstanceOf(Buffer);
    const before = tables(store.db);
    const state = Y.encodeStateAsUpdate(store.docs.schedule);
    store.close();
    const reopened = LocalStore.open(path, { actor });
    cleanups.push(() => reopened.close());
    expect(Y.encodeStateAsUpdate(reopened.docs.schedule)).toEqual(state);
    expect(tables(reopened.db)).toEqual(before);
  });

  it('refuses further writes when SQLite fails mid-action, and the file keeps the last good state', () => {
    const { open, path } = setup();
    const store = open();
    const { job, ana, bo } = seed(store);
    const before = tables(store.db);
    store.db.exec(`CREATE TEMP TRIGGER refuse_insert BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => store.execute('reassignProvider', { id: job, fromProviderId: ana, toProviderId: bo })).toThrow(/disk full/);
    const next = store.execute('updateBooking', { id: job, notes: 'x' });
    expect(next.ok).toBe(false);
    store.close();
    const reopened = LocalStore.open(path, { actor });
    cleanups.push(() => reopened.close());
    expect(tables(reopened.db)).toEqual(before);
    expect(reopened.queries.booking(job)?.slot?.assignees).toEqual([ana]);
  });

  it('keeps every committed action after the writing process is killed with SIGKILL', async () => {
    const { open, path } = setup('crash.sqlite');
    const store = open();
    const { ana } = seed(store);
    store.close();

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url)), path, ana],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const committed: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        committed.push(...lines);
        // Past at least one compaction (every 150 updates) and well into the stream.
        if (committed.length >= 400 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(stderr).toBe('');
    expect(committed.length).toBeGreaterThanOrEqual(400);

    const reopened = LocalStore.open(path, { actor });
    cleanups.push(() => reopened.close());
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const id of committed) expect(reopened.queries.booking(id)?.id).toBe(id);
    // The projection agrees with the recovered documents.
    const recovered = tables(reopened.db);
    reopened.rebuildProjection();
    expect(tables(reopened.db)).toEqual(recovered);
  });
});

describe('LocalStore: one process per workspace', () => {
  it('refuses a second store on an open workspace with the reason, and opens it once the first is closed', () => {
    const { open, path } = setup();
    const first = open();
    seed(first);
    expect(() => LocalStore.open(path, { actor })).toThrow(WorkspaceInUseError);
    expect(() => LocalStore.open(path, { actor })).toThrow(/already open in another Crewline .*ws\.sqlite/);
    expect(first.queries.providers()).toHaveLength(2); // the holder is untouched
    first.close();
    const second = open();
    expect(second.queries.providers()).toHaveLength(2);
  });

  it('refuses while another process holds it, and opens once that process is killed (SIGKILL leaves no lock)', async () => {
    const { open, path } = setup();
    const seeding = open();
    seed(seeding);
    seeding.close();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/hold-workspace.ts', import.meta.url)), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve());
      child.on('exit', (code) => reject(new Error(`holder exited (${code}): ${stderr}`)));
    });
    expect(() => LocalStore.open(path, { actor })).toThrow(WorkspaceInUseError);
    child.kill('SIGKILL');
    await exited;
    const reopened = open();
    expect(reopened.queries.providers()).toHaveLength(2);
  });

  it('a workspace that fails to open is not left held', () => {
    const { path } = setup();
    writeFileSync(path, 'not a database, but a file the user pointed at by mistake'.repeat(100));
    expect(() => LocalStore.open(path, { actor })).toThrow(/not a database/);
    expect(() => LocalStore.open(path, { actor })).toThrow(/not a database/); // not "already open"
  });
});

describe('LocalStore lazy schedule document', () => {
  it('answers queries from the read tables without loading the schedule document, and loads it on the first booking edit', () => {
    const { open } = setup();
    const first = open();
    const { job, ana, bo } = seed(first);
    first.close();

    const store = open();
    expect(store.scheduleLoaded).toBe(false);
    expect(store.queries.booking(job)?.title).toBe('AC repair');
    expect(store.queries.providerDay(ana, '2026-11-24')).toHaveLength(1);
    expect(store.execute('updateProvider', { id: bo, phone: '+1 312 555 0100' }).ok).toBe(true);
    expect(store.scheduleLoaded).toBe(false);
    const moved = store.execute('reassignProvider', { id: job, fromProviderId: ana, toProviderId: bo });
    expect(moved.ok).toBe(true);
    expect(store.scheduleLoaded).toBe(true);
    expect(store.queries.booking(job)?.slot?.assignees).toEqual([bo]);
    // Undo order still spans both documents, including the one loaded late.
    expect(store.undo()).toBe(true);
    expect(store.queries.booking(job)?.slot?.assignees).toEqual([ana]);
    expect(store.undo()).toBe(true);
    expect(store.queries.provider(bo)?.phone).toBe('');
  });
});
