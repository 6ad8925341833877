/**
 * One replica id per workspace (workspace-replica.ts): a restored backup, and a workspace file copied from
 * elsewhere, take a fresh id, and their clock never stamps earlier than the file it came from did.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../core/clock';
import { compareStamps, type Stamp } from '../../../core/doc/hlc';
import { rosterMaps } from '../../../core/doc/roster';
import type { Actor, Result } from '../../../core/index';
import { LocalStore } from './local-store';
import { tempDir } from './testing/temp-dir';
import { WorkspaceBackups } from './workspace-backup';
import { lastStampIn } from './workspace-replica';

const actor: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'admin' };
const START = Date.parse('2026-11-24T14:00:00Z');
const HOUR = 3_600_000;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Workspaces in folders of one temp dir; `clockAt` is each store's time (manual, so stamps are known). */
function workspaces() {
  const tmp = tempDir();
  const stores: LocalStore[] = [];
  cleanups.push(() => {
    for (const s of stores) if (s.db.open) s.close();
    tmp.cleanup();
  });
  const fileOf = (folder: string) => {
    mkdirSync(join(tmp.dir, folder), { recursive: true });
    return join(tmp.dir, folder, 'workspace.sqlite');
  };
  const open = (folder: string, clockAt = START) => {
    const store = LocalStore.open(fileOf(folder), { actor, clock: manualClock(clockAt).now });
    stores.push(store);
    return store;
  };
  return { tmp, fileOf, open };
}

/** A workspace holding an organization with one provider, its clock at `at`. */
function organization(open: (folder: string, at?: number) => LocalStore, folder: string, at: number): { store: LocalStore; provider: string } {
  const store = open(folder, at);
  must(store.execute('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' }));
  const provider = must(store.execute('createProvider', { name: 'Ana Silva' })).id;
  return { store, provider };
}

const stampOnDisk = (file: string): Stamp => {
  const db = new Database(file, { readonly: true });
  try {
    return lastStampIn(db);
  } finally {
    db.close();
  }
};

/** Keys of the provider's group entries written by `replica`. */
const entriesBy = (store: LocalStore, provider: string, replica: string) =>
  [...(rosterMaps(store.docs.roster).providers.get(provider)?.keys() ?? [])].filter((key) => key.endsWith(`@${replica}`));

describe('replica ids of restored and copied workspaces', () => {
  it('restoring one backup into two workspaces gives each its own fresh id, its clock not behind the backup', async () => {
    const w = workspaces();
    // The backup's desktop ran two hours ahead of the two that restore it: their clocks must catch up.
    const source = organization(w.open, 'source', START + 2 * HOUR);
    const backupFile = join(w.tmp.dir, 'northwind.sqlite');
    source.store.backupTo(backupFile);
    const backupStamp = stampOnDisk(backupFile);
    expect(backupStamp.r).toBe(source.store.replica.id);
    expect(backupStamp.wall).toBe(START + 2 * HOUR);

    const restored = ['b', 'c'].map((folder) => {
      const store = w.open(folder, START);
      const before = store.replica.id;
      must(new WorkspaceBackups(store).restore({ path: backupFile }));
      return { store, before, after: store.replica.id };
    });
    const [b, c] = restored as [(typeof restored)[number], (typeof restored)[number]];
    expect(b.after).not.toBe(c.after);
    for (const r of restored) {
      expect(r.after).not.toBe(r.before);
      expect(r.after).not.toBe(source.store.replica.id);
      // Later, not merely equal in time: ids break ties, and a fresh id may sort before the backup's.
      expect(compareStamps(r.store.replica.hlc.current, backupStamp)).toBe(1);
      expect(compareStamps(stampOnDisk(r.store.path), backupStamp)).toBe(1);
    }

    // A write after the restore is stamped by the fresh id, later than anything in the backup.
    must(b.store.execute('updateProvider', { id: source.provider, name: 'Ana S.' }));
    expect(entriesBy(b.store, source.provider, b.after)).not.toEqual([]);
    expect(b.store.replica.hlc.current.r).toBe(b.after);
    expect(compareStamps(b.store.replica.hlc.current, backupStamp)).toBe(1);

    // The fresh id is the workspace's from now on: a restart keeps it.
    const stampBeforeClose = b.store.replica.hlc.current;
    b.store.close();
    const reopened = w.open('b', START);
    expect(reopened.replica.id).toBe(b.after);
    expect(compareStamps(reopened.replica.hlc.current, stampBeforeClose)).toBe(0);
  });

  it('a workspace file copied from elsewhere opens with a fresh id; the original keeps its own', () => {
    const w = workspaces();
    const original = organization(w.open, 'original', START + HOUR);
    const id = original.store.replica.id;
    const last = original.store.replica.hlc.current;
    original.store.close();
    copyFileSync(w.fileOf('original'), w.fileOf('copy'));

    const copy = w.open('copy', START);
    const copyId = copy.replica.id;
    expect(copyId).not.toBe(id);
    expect(compareStamps(copy.replica.hlc.current, last)).toBe(1);
    expect(copy.replica.hlc.current.wall).toBe(last.wall);
    copy.close();

    // No false alarm: each file reopened keeps the id it has.
    const again = w.open('original', START + HOUR);
    expect(again.replica.id).toBe(id);
    expect(compareStamps(again.replica.hlc.current, last)).toBe(0);
    again.close();
    expect(w.open('copy', START).replica.id).toBe(copyId);

    // Whichever way a fresh id sorts against the original's, its clock is past the original's last stamp.
    for (let i = 0; i < 12; i++) {
      copyFileSync(w.fileOf('original'), w.fileOf(`copy-${i}`));
      const another = w.open(`copy-${i}`, START);
      expect(compareStamps(another.replica.hlc.current, last)).toBe(1);
      another.close();
    }
  });

  it('a workspace made before the file identity was kept keeps its id, and knows its file from then on', () => {
    const w = workspaces();
    const old = organization(w.open, 'old', START);
    const id = old.store.replica.id;
    old.store.db.prepare("DELETE FROM meta WHERE key = 'hlc_home'").run();
    old.store.close();
    const reopened = w.open('old', START);
    expect(reopened.replica.id).toBe(id);
    reopened.close();
    // Now the id is this file's: a copy of it is told apart.
    copyFileSync(w.fileOf('old'), w.fileOf('old-copy'));
    expect(w.open('old-copy', START).replica.id).not.toBe(id);
  });
});
