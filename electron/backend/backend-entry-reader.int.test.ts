// The read tables on the host thread follow every commit of the workspace's writer (another thread or
// process): bookings, the roster, the sync link; never what is not committed.
import { afterEach, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock';
import { openReadTables } from './backend-entry-reader';
import { tempDir } from './store/testing/temp-dir';
import { openWorkspace } from './workspace';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A workspace with an organization, open as the backend holds it, and read tables opened on it after. */
function organization() {
  const tmp = tempDir();
  const clock = fixedClock(Date.parse('2026-11-23T15:00:00Z'));
  const { store } = openWorkspace({ dataDir: tmp.dir, clock });
  cleanups.push(() => {
    store.close();
    tmp.cleanup();
  });
  must(store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }));
  const openReader = () => {
    const reader = openReadTables(tmp.dir, { info: { version: 't', transport: 'ipc' }, clock });
    cleanups.unshift(() => reader.close());
    return reader;
  };
  return { store, openReader };
}

it('answers from what is committed now: new jobs, an edited roster, a new sync link', () => {
  const { store, openReader } = organization();
  const reader = openReader();
  const names = () => {
    const r = reader.handle('providers:list', {});
    return r.ok ? (r.value as Array<{ name: string }>).map((p) => p.name) : [];
  };
  const jobs = () => {
    const r = reader.handle('bookings:list', { text: 'Fix' });
    return r.ok ? (r.value as unknown[]).length : -1;
  };
  expect(names()).toEqual([]);
  expect(jobs()).toBe(0);

  must(store.execute('createProvider', { name: 'Ana Silva' }));
  expect(names()).toEqual(['Ana Silva']);
  must(store.execute('createBooking', { title: 'Fix the sink' }));
  expect(jobs()).toBe(1);
  must(store.execute('updateSettings', { name: 'Acme Plumbing' }));
  const settings = reader.handle('settings:get', {});
  expect(settings.ok && (settings.value as { name: string }).name).toBe('Acme Plumbing');

  // A write in progress (its transaction open) is not seen; once committed, it is.
  store.db.exec('BEGIN');
  store.db.prepare("UPDATE bookings SET title = 'Fix the tap', data = json_set(data, '$.title', 'Fix the tap')").run();
  const during = reader.handle('bookings:list', { text: 'tap' });
  expect(during.ok && (during.value as unknown[]).length).toBe(0);
  store.db.exec('ROLLBACK');
  // (The same change committed is seen: the check above could fail.)
  store.db.prepare("UPDATE bookings SET title = 'Fix the tap', data = json_set(data, '$.title', 'Fix the tap')").run();
  const after = reader.handle('bookings:list', { text: 'tap' });
  expect(after.ok && (after.value as unknown[]).length).toBe(1);

  const status = reader.handle('sync:getStatus', {});
  expect(status.ok && status.value).toMatchObject({ state: 'signed-out', linked: false, pending: 0 });
  store.syncLink.set({ serverUrl: 'http://127.0.0.1:1', orgId: 'org-1', user: { id: 'u', name: 'Ana', email: 'a@x.example', role: 'admin' }, linkedAt: '2026-11-23T15:00:00.000Z' });
  const linked = reader.handle('sync:getStatus', {});
  expect(linked.ok && linked.value).toMatchObject({ linked: true, orgId: 'org-1', user: { name: 'Ana' } });
});

it('stages as the linked user, and never waits for a write lock the backend holds: it fails at once, writing nothing', () => {
  const { store, openReader } = organization();
  const ana = must(store.execute('createProvider', { name: 'Ana Silva' })).id;
  const job = must(store.execute('createBooking', { title: 'Fix the sink' })).id;
  const slot = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] };
  const reader = openReader();

  // The backend's write transaction holds the lock (a large sync apply): the stage throws at once.
  store.db.exec('BEGIN IMMEDIATE');
  const began = performance.now();
  expect(() => reader.stage('draft:stage', { id: job, slot })).toThrow(/locked|busy/i);
  expect(performance.now() - began).toBeLessThan(1000);
  store.db.exec('COMMIT');
  expect(store.drafts.count()).toBe(0);

  // Once it is released, the stage lands where the backend reads drafts.
  expect(reader.stage('draft:stage', { id: job, slot })).toEqual({ ok: true, value: { stagedCount: 1 } });
  expect(store.drafts.list().get(job)).toEqual(slot);

  // A viewer's desktop stages nothing, as its backend would refuse.
  store.syncLink.set({ serverUrl: 'http://127.0.0.1:1', orgId: 'org-1', user: { id: 'v', name: 'Val', email: 'v@x.example', role: 'viewer' }, linkedAt: '2026-11-23T15:00:00.000Z' });
  // (Discarding asks for no role, on either side: a draft is this desktop's own.)
  expect(reader.stage('draft:discard', { id: job })).toEqual({ ok: true, value: { stagedCount: 0 } });
  const viewer = reader.stage('draft:stage', { id: job, slot });
  expect(!viewer.ok && viewer.error.code).toBe('forbidden');
  expect(store.drafts.count()).toBe(0);
});
