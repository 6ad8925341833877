import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../core/clock';
import type { EventName, Result } from '../../../core/index';
import { LocalStore } from '../store/local-store';
import { dumpReadTables } from '../store/testing/tables';
import { tempDir } from '../store/testing/temp-dir';
import { BackendApi, directClient } from './backend-api';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const actor = { id: 'u1', name: 'Dana Dispatcher', role: 'admin' as const };

function setup() {
  const tmp = tempDir();
  const clock = manualClock(Date.parse('2026-11-24T14:00:00Z'));
  const store = LocalStore.open(tmp.file('workspace.sqlite'), { actor, clock: clock.now });
  cleanups.push(() => {
    if (store.db.open) store.close();
    tmp.cleanup();
  });
  const client = directClient(new BackendApi(store, { version: 'test', transport: 'websocket' }));
  const events: Array<{ event: EventName; payload: unknown }> = [];
  for (const event of ['schedule:changed', 'roster:changed', 'draft:changed'] as const) {
    client.on(event, (payload) => events.push({ event, payload }));
  }
  return { tmp, clock, store, client, events };
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('backup:* requests', () => {
  it('back up, change, restore: the change is gone, and the views are told to re-query', async () => {
    const { store, client, events, clock } = setup();
    must(store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }));
    const job = must(store.execute('createBooking', { title: 'Gutter cleaning' })).id;
    const before = dumpReadTables(store.db);

    const entry = must(await client.request('backup:create', {}));
    expect(must(await client.request('backup:list', {})).backups).toEqual([entry]);
    clock.advance(60_000);
    must(await client.request('commands:run', { name: 'updateBooking', input: { id: job, title: 'Renamed' } }));
    must(await client.request('draft:stage', { id: job, slot: { start: '2026-11-25T15:00:00Z', end: '2026-11-25T16:00:00Z', assignees: [] } }));
    events.length = 0;

    const restored = must(await client.request('backup:restore', { name: entry.name }));
    expect(restored.summary.organization).toBe('Acme');
    expect(restored.discardedDrafts).toBe(1);
    expect(dumpReadTables(store.db)).toEqual(before);
    expect(must(await client.request('bookings:get', { id: job })).booking.title).toBe('Gutter cleaning');
    expect(events.map((e) => e.event).sort()).toEqual(['draft:changed', 'roster:changed', 'schedule:changed']);
    expect(events.find((e) => e.event === 'draft:changed')!.payload).toEqual({ stagedCount: 0 });
    const list = must(await client.request('backup:list', {})).backups;
    expect(list.map((e) => e.kind)).toEqual(['pre-restore', 'manual']);
    expect(list[0]).toEqual(restored.preRestoreBackup);
  });

  it('a refused restore answers the reason, and nothing changes or is announced', async () => {
    const { store, client, events, tmp } = setup();
    must(store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }));
    const foreign = tmp.file('notes.txt');
    writeFileSync(foreign, 'not a database\n'.repeat(100));
    const before = dumpReadTables(store.db);
    events.length = 0;

    const refused = await client.request('backup:restore', { path: foreign });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', details: { reason: 'not-sqlite' } } });
    const checked = await client.request('backup:check', { path: foreign });
    expect(checked).toEqual(refused);
    expect(dumpReadTables(store.db)).toEqual(before);
    expect(events).toEqual([]);
    expect(must(await client.request('backup:list', {})).backups).toEqual([]);
  });

  it('the retention setting is checked field by field at the transport and by the handler', async () => {
    const { client } = setup();
    expect(must(await client.request('backup:getSettings', {})).keep).toBe(7);
    const bad = await client.request('backup:setSettings', { keep: 0 });
    expect(bad.ok ? null : bad.error.fieldErrors).toEqual({ keep: 'At least 1' });
    const fraction = await client.request('backup:setSettings', { keep: 2.5 });
    expect(fraction.ok ? null : fraction.error.fieldErrors).toEqual({ keep: 'Must be a whole number' });
    expect(must(await client.request('backup:setSettings', { keep: 14 })).keep).toBe(14);
    expect(must(await client.request('backup:getSettings', {})).keep).toBe(14);
  });
});
