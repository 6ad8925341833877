import { afterEach, describe, expect, it } from 'vitest';
import { scheduleMaps, type Result } from '../../../core/index';
import { serverDoc } from '../sync/testing/convergence-rig';
import { openDesktop, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from '../sync/testing/sync-harness';

/**
 * Restore in a workspace that syncs, against a real sync server: a backup of another organization never
 * reaches the linked one (the restored workspace is unlinked); a backup of the same organization keeps the
 * link, and the organization's later changes merge back in when syncing resumes.
 */

const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function desktop(name: string): Promise<TestDesktop> {
  const d = await openDesktop(name);
  disposers.push(() => d.dispose());
  return d;
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function seed(d: TestDesktop, label: string): Promise<string> {
  d.store.execute('initializeOrganization', { name: label, timeZone: 'America/Chicago' });
  return (must(await d.client.request('commands:run', { name: 'createBooking', input: { title: `${label} job` } })) as { id: string }).id;
}

const titles = (d: TestDesktop) => d.store.queries.list({}).map((b) => b.title).sort();

describe('restore while syncing', () => {
  let server: TestSyncServer;

  it('a backup of another organization is restored unlinked, and nothing of it reaches the server', async () => {
    server = await startSyncServer();
    disposers.push(() => server.dispose());
    const office = await desktop('office');
    await seed(office, 'Acme');
    await office.signIn(server, 'ana', 'upload');
    await waitFor(() => office.sync.status().state === 'synced', 'office synced');

    const other = await desktop('other');
    const foreignJob = await seed(other, 'Foreign Co');
    const file = `${other.dataDir}/foreign-backup.sqlite`;
    other.store.backupTo(file);

    const restored = must(await office.client.request('backup:restore', { path: file }));
    expect(restored.sync).toBe('unlinked');
    expect(titles(office)).toEqual(['Foreign Co job']);
    const status = office.sync.status();
    expect(status.linked).toBe(false);
    expect(status.state).toBe('signed-out');
    // Give a wrongly live connection time to push, then look at what the server holds.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const schedule = serverDoc(server, server.orgId, 'schedule');
    expect(schedule && scheduleMaps(schedule).bookings.has(foreignJob)).toBeFalsy();
    expect(schedule ? [...scheduleMaps(schedule).bookings.keys()] : []).toHaveLength(1);
  });

  it('a backup of the same organization keeps the link, and syncing brings the organization’s later changes back', async () => {
    server = await startSyncServer();
    disposers.push(() => server.dispose());
    const office = await desktop('office');
    await seed(office, 'Acme');
    await office.signIn(server, 'ana', 'upload');
    await waitFor(() => office.sync.status().state === 'synced', 'office synced');
    const backup = must(await office.client.request('backup:create', {}));
    must(await office.client.request('commands:run', { name: 'createBooking', input: { title: 'Since the backup' } }));
    await waitFor(() => office.sync.status().state === 'synced', 'office synced the new job');

    const restored = must(await office.client.request('backup:restore', { name: backup.name }));
    expect(restored.sync).toBe('kept');
    expect(office.store.syncLink.get()?.orgId).toBe(server.orgId);
    // The documents are one history: the organization's newer job comes back from the server.
    await waitFor(() => titles(office).length === 2 && office.sync.status().state === 'synced', 'office resynced');
    expect(titles(office)).toEqual(['Acme job', 'Since the backup']);
  });
});
