import { existsSync } from 'node:fs';
import * as Y from 'yjs';
import { DOC_SCHEMA_VERSION, SCHEMA_MAP } from '../../core/doc/schema-version';
import { afterEach, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../core/clock';
import { decodeStamp } from '../../core/doc/hlc';
import { DEMO_COMPANY_NAME } from '../../core/demo/demo-company';
import { BackendApi, directClient } from './api/backend-api';
import { LocalStore } from './store/local-store';
import { tempDir } from './store/testing/temp-dir';
import { openWorkspace, WORKSPACE_FILE } from './workspace';

const NOW = Date.parse('2026-11-24T14:00:00Z');
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A workspace in a fresh folder, opened as the desktop opens it (no demo unless asked), with its API. */
function open(dir = tempDir('crewline-first-run-'), seedDemo = false) {
  if (!cleanups.length) cleanups.push(dir.cleanup);
  const opened = openWorkspace({ dataDir: dir.dir, seedDemo, clock: clockStartingAt(NOW) });
  const client = directClient(new BackendApi(opened.store, { version: 'test', transport: 'websocket' }, null, { setup: opened.setup }));
  cleanups.push(() => opened.store.close());
  return { ...opened, client, dir };
}

const WEEK = {
  mon: [{ start: '07:00', end: '15:30' }],
  tue: [{ start: '07:00', end: '15:30' }],
  wed: [{ start: '07:00', end: '15:30' }],
  thu: [{ start: '07:00', end: '15:30' }],
  fri: [{ start: '07:00', end: '12:00' }],
  sat: [],
  sun: [],
};

describe('first run', () => {
  it('an empty workspace says so, and the demo goes in once, marked as the demo, with nothing to undo', async () => {
    const w = open();
    expect(await w.client.request('workspace:getStatus', {})).toEqual({ ok: true, value: { state: 'empty', demoName: null, linked: false, updateRequired: null } });
    const started = await w.client.request('workspace:startDemo', {});
    expect(started).toEqual({ ok: true, value: { status: { state: 'demo', demoName: DEMO_COMPANY_NAME, linked: false, updateRequired: null } } });
    expect(w.store.queries.providers({ includeInactive: true }).length).toBeGreaterThan(5);
    expect(await w.client.request('history:undo', {})).toMatchObject({ ok: true, value: { done: false } });
    const again = await w.client.request('workspace:startDemo', {});
    expect(again.ok || again.error.code).toBe('conflict');
  });

  it('the demo tells its story up to its noon, but stamps its writes with the desktop’s own time', async () => {
    // NOW is 08:00 in Chicago: the demo's day has jobs done by noon, history later than now.
    const w = open();
    expect((await w.client.request('workspace:startDemo', {})).ok).toBe(true);
    const latestHistory = w.store.db.prepare("SELECT max(json_extract(value, '$.at')) FROM bookings, json_each(bookings.history)").pluck().get() as string;
    expect(Date.parse(latestHistory)).toBeGreaterThan(NOW);
    // A stamp ahead of the desktop's clock would stamp every write ahead until the story's noon passed.
    const last = decodeStamp(w.store.db.prepare("SELECT value FROM meta WHERE key = 'hlc_last'").pluck().get());
    expect(last).not.toBeNull();
    expect(last!.wall).toBeLessThanOrEqual(w.store.clock());
    expect(last!.wall).toBeGreaterThanOrEqual(NOW);
  });

  it('sets up the company from the first-run answers; new providers start from its usual week', async () => {
    const w = open();
    const bad = await w.client.request('workspace:setUpCompany', { name: ' ', timeZone: 'Mars/Olympus', distanceUnit: 'mi', defaultWeeklyHours: WEEK });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.error.fieldErrors ?? {}).sort()).toEqual(['name', 'timeZone']);
    expect(w.setup.status().state).toBe('empty');

    const done = await w.client.request('workspace:setUpCompany', { name: 'Lakeside Plumbing', timeZone: 'Europe/Berlin', distanceUnit: 'km', timeFormat: '12h', defaultWeeklyHours: WEEK });
    expect(done).toEqual({ ok: true, value: { status: { state: 'company', demoName: null, linked: false, updateRequired: null } } });
    expect(w.store.queries.settings()).toMatchObject({ name: 'Lakeside Plumbing', timeZone: 'Europe/Berlin', distanceUnit: 'km', timeFormat: '12h', defaultWeeklyHours: WEEK });
    const created = await w.client.request('commands:run', { name: 'createProvider', input: { name: 'Jonas' } });
    expect(created.ok).toBe(true);
    expect(w.store.queries.providers({ includeInactive: true })[0]!.weeklyHours).toEqual(WEEK);
    const twice = await w.client.request('workspace:setUpCompany', { name: 'Other', timeZone: 'Europe/Berlin', distanceUnit: 'km', defaultWeeklyHours: WEEK });
    expect(twice.ok || twice.error.code).toBe('conflict');
    const noDemo = await w.client.request('workspace:startDemo', {});
    expect(noDemo.ok || noDemo.error.code).toBe('conflict');
  });

  it('"Start my company" backs the demo up, leaves an empty workspace that stays empty on reopening', async () => {
    const w = open(undefined, true);
    expect(w.demo).not.toBeNull();
    expect(w.setup.status()).toEqual({ state: 'demo', demoName: DEMO_COMPANY_NAME, linked: false, updateRequired: null });
    const started = await w.client.request('workspace:startMyCompany', {});
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.value.status).toEqual({ state: 'empty', demoName: null, linked: false, updateRequired: null });
    expect(w.store.queries.providers({ includeInactive: true })).toEqual([]);
    expect(w.store.queries.customers()).toEqual([]);
    expect(w.store.queries.list({})).toEqual([]);
    expect((await w.client.request('queue:list', {})).ok).toBe(true);
    // Undo cannot bring the demo back piece by piece: it is in the backup.
    expect(await w.client.request('history:undo', {})).toMatchObject({ ok: true, value: { done: false } });
    expect(existsSync(started.value.backupPath)).toBe(true);
    const backup = LocalStore.open(started.value.backupPath, { actor: { id: 'x', name: 'x', role: 'admin' } });
    try {
      expect(backup.queries.settings().name).toBe(DEMO_COMPANY_NAME);
      expect(backup.queries.providers({ includeInactive: true }).length).toBeGreaterThan(5);
    } finally {
      backup.close();
    }
    const again = await w.client.request('workspace:startMyCompany', {});
    expect(again.ok || again.error.code).toBe('conflict');

    // The desktop opens without seeding: the empty workspace (and the first-run question) stays.
    w.store.close();
    cleanups.pop();
    const reopened = open(w.dir, false);
    expect(reopened.setup.status()).toEqual({ state: 'empty', demoName: null, linked: false, updateRequired: null });
    expect(existsSync(`${w.dir.dir}/${WORKSPACE_FILE}`)).toBe(true);
  });

  it('"Start my company" refuses a workspace that holds the user\'s own company', async () => {
    const w = open();
    await w.client.request('workspace:setUpCompany', { name: 'Lakeside Plumbing', timeZone: 'America/Denver', distanceUnit: 'mi', defaultWeeklyHours: WEEK });
    const refused = await w.client.request('workspace:startMyCompany', {});
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/does not hold the demo company/);
    expect(w.store.queries.settings().name).toBe('Lakeside Plumbing');
  });
});

describe('a newer document format', () => {
  it('makes this desktop read-only, saying "update Crewline", while it still reads everything', async () => {
    const w = open(undefined, true);
    const provider = w.store.queries.providers({ includeInactive: true })[0]!;
    await w.client.request('commands:run', { name: 'updateProvider', input: { id: provider.id, name: 'Renamed before' } });
    // A newer desktop migrated the organization; its update arrives like any synced change.
    const newer = new Y.Doc();
    Y.applyUpdate(newer, Y.encodeStateAsUpdate(w.store.docs.roster));
    const before = Y.encodeStateVector(newer);
    newer.getMap(SCHEMA_MAP).set('version', DOC_SCHEMA_VERSION + 1);
    w.store.applyUpdate('roster', Y.encodeStateAsUpdate(newer, before));

    const status = await w.client.request('workspace:getStatus', {});
    expect(status.ok && status.value.updateRequired).toMatch(/saved by a newer version of Crewline .*Update Crewline to make changes/);
    const refused = await w.client.request('commands:run', { name: 'updateProvider', input: { id: provider.id, name: 'Renamed after' } });
    expect(refused.ok || refused.error.message).toMatch(/Update Crewline/);
    const undo = await w.client.request('history:undo', {});
    expect(undo.ok || undo.error.message).toMatch(/Update Crewline/);
    expect(w.store.queries.providers({ includeInactive: true })[0]!.name).toBe('Renamed before');
    const board = await w.client.request('board:getRange', { from: '2026-11-23T06:00:00Z', to: '2026-11-30T06:00:00Z' });
    expect(board.ok && board.value.bookings.length).toBeGreaterThan(10);
  });
});
