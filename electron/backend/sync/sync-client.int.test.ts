import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SyncStatus } from '../../../core/sync/client-status';
import { LocalStore } from '../store/local-store';
import { dumpReadTables } from '../store/testing/tables';
import { TOKEN_FILE } from './token-vault';
import { openDesktop, openLinkedDesktops, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from './testing/sync-harness';

const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function server(options?: Parameters<typeof startSyncServer>[0]): Promise<TestSyncServer> {
  const s = await startSyncServer(options);
  disposers.push(() => s.dispose());
  return s;
}

/** A desktop that is disposed after the test, whatever `reopen` made of it in between. */
function adopt(opened: TestDesktop): { current: TestDesktop; reopen(): Promise<TestDesktop> } {
  const holder = {
    current: opened,
    async reopen() {
      holder.current = await holder.current.reopen();
      return holder.current;
    },
  };
  disposers.push(() => holder.current.dispose());
  return holder;
}

const desktop = async (name: string) => adopt(await openDesktop(name));

async function run<T = { id: string }>(d: TestDesktop, name: string, input: unknown): Promise<T> {
  const result = await d.client.request('commands:run', { name, input });
  if (!result.ok) throw new Error(`${d.name} ${name}: ${result.error.message}`);
  return result.value as T;
}

/** A small organization: settings, one provider, one booking on them. */
async function seedCompany(d: TestDesktop, label: string) {
  d.store.execute('initializeOrganization', { name: label, timeZone: 'America/Chicago' });
  const provider = await run(d, 'createProvider', { name: `${label} tech` });
  const booking = await run(d, 'createBooking', {
    title: `${label} job`,
    slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [provider.id] },
  });
  return { provider: provider.id, booking: booking.id };
}

const statusOf = (d: TestDesktop): SyncStatus => d.sync.status();
const synced = (d: TestDesktop) =>
  waitFor(() => statusOf(d).state === 'synced', `${d.name} synced`).catch((error: Error) => {
    const rooms = (d.sync as unknown as { rooms: Record<string, { phase: string; synced: boolean; failedAttempts: number; provider: { wsconnected: boolean; synced: boolean } }> | null }).rooms;
    throw new Error(`${error.message}: ${JSON.stringify(statusOf(d))} ${JSON.stringify(rooms && Object.fromEntries(Object.entries(rooms).map(([k, r]) => [k, { phase: r.phase, synced: r.synced, failed: r.failedAttempts, ws: r.provider.wsconnected, ps: r.provider.synced }])))}`);
  });
const bookingTitles = (d: TestDesktop) =>
  d.store.queries
    .list({})
    .map((b) => b.title)
    .sort();

/** Both documents equal, byte for byte in content, and the read tables equal row for row. */
function expectConverged(a: TestDesktop, b: TestDesktop): void {
  for (const doc of ['roster', 'schedule'] as const) {
    expect(Y.decodeStateVector(Y.encodeStateVector(a.store.docs[doc]))).toEqual(Y.decodeStateVector(Y.encodeStateVector(b.store.docs[doc])));
    expect(a.store.docs[doc].toJSON()).toEqual(b.store.docs[doc].toJSON());
  }
  const { archive_bookings: _a, ...tablesA } = dumpReadTables(a.store.db);
  const { archive_bookings: _b, ...tablesB } = dumpReadTables(b.store.db);
  expect(tablesA).toEqual(tablesB);
}

async function linkedPair(s: TestSyncServer) {
  let seeded!: Awaited<ReturnType<typeof seedCompany>>;
  const [first, second] = await openLinkedDesktops(s, ['a', 'b'], {
    users: ['ana', 'bo'],
    seed: async (d) => {
      seeded = await seedCompany(d, 'Northwind');
    },
  });
  return { a: adopt(first!), b: adopt(second!), seeded };
}

describe('first sign-in', () => {
  it('uploads into an empty organization; a second desktop replaces its workspace, keeping a backup; both converge', async () => {
    const s = await server();
    const a = (await desktop('a')).current;
    const b = (await desktop('b')).current;
    const north = await seedCompany(a, 'Northwind');
    const old = await seedCompany(b, 'Old company');
    // An unsaved board edit on b, which the replace will discard.
    const staged = await b.client.request('draft:stage', { id: old.booking, slot: null });
    expect(staged.ok).toBe(true);

    const first = await a.client.request('sync:signIn', { serverUrl: `${s.url}/`, email: 'ANA@northwind.example', password: 'ana-password' });
    expect(first).toMatchObject({ ok: true, value: { needsLink: true, orgEmpty: true, localEmpty: false, orgId: s.orgId, user: { name: 'Ana', role: 'admin' } } });
    // Nothing was recorded as pending before the link: there was no server to wait for.
    expect(a.store.pendingActions.count()).toBe(0);
    expect(await a.client.request('sync:link', { mode: 'upload' })).toEqual({ ok: true, value: { mode: 'upload', backupPath: null, discardedDrafts: 0 } });
    await synced(a);
    expect(statusOf(a)).toMatchObject({ state: 'synced', pending: 0, linked: true, orgId: s.orgId, user: { email: 'ana@northwind.example' } });

    const second = await b.client.request('sync:signIn', { serverUrl: s.url, email: 'bo@northwind.example', password: 'bo-password' });
    expect(second).toMatchObject({ ok: true, value: { needsLink: true, orgEmpty: false, stagedCount: 1 } });
    // Uploading into an organization that has data would mix two companies: refused.
    const upload = await b.client.request('sync:link', { mode: 'upload' });
    expect(upload.ok || upload.error.code).toBe('conflict');
    expect(bookingTitles(b)).toEqual(['Old company job']);

    const replaced = await b.client.request('sync:link', { mode: 'replace' });
    if (!replaced.ok) throw new Error(replaced.error.message);
    expect(replaced.value).toMatchObject({ mode: 'replace', discardedDrafts: 1 });
    expect(b.eventsOf('draft:changed').at(-1)).toEqual({ stagedCount: 0 });
    await synced(b);
    expect(bookingTitles(b)).toEqual(['Northwind job']);
    expect(b.store.queries.booking(old.booking)).toBeUndefined();
    expect(b.store.drafts.count()).toBe(0);

    // The backup sits next to the workspace and opens as a workspace holding the old data.
    const backupPath = replaced.value.backupPath!;
    expect(backupPath.startsWith(b.dataDir)).toBe(true);
    expect(statSync(backupPath).size).toBeGreaterThan(0);
    const backup = LocalStore.open(backupPath, { actor: { id: 'x', name: 'x', role: 'admin' } });
    try {
      expect(backup.queries.booking(old.booking)?.title).toBe('Old company job');
      expect(backup.queries.settings().name).toBe('Old company');
      expect(backup.drafts.count()).toBe(1);
    } finally {
      backup.close();
    }

    // Edits from either side reach the other, and the history names who made them.
    const fromB = await run(b, 'createBooking', { title: 'Gutter cleaning' });
    await run(a, 'updateBooking', { id: north.booking, notes: 'Gate code 1234' });
    await waitFor(() => a.store.queries.booking(fromB.id) !== undefined, 'b’s booking at a');
    await waitFor(() => b.store.queries.booking(north.booking)?.notes === 'Gate code 1234', 'a’s notes at b');
    await Promise.all([synced(a), synced(b)]);
    expect(a.store.queries.history(fromB.id).map((h) => h.by.name)).toEqual(['Bo']);
    expectConverged(a, b);
  });

  it('never uploads the demo company without the user confirming it is demo data; a replace ends the demo', async () => {
    const s = await server();
    const demo = adopt(await openDesktop('demo', { seedDemo: true, demoDate: '2026-11-24' })).current;
    const signedIn = await demo.client.request('sync:signIn', { serverUrl: s.url, email: 'ana@northwind.example', password: 'ana-password' });
    expect(signedIn).toMatchObject({ ok: true, value: { needsLink: true, orgEmpty: true } });
    const refused = await demo.client.request('sync:link', { mode: 'upload' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('conflict');
      expect(refused.error.message).toContain('demo company “Northwind Home Services”');
    }
    // Nothing went up: another desktop still finds the organization empty.
    const other = (await desktop('other')).current;
    await seedCompany(other, 'Real company');
    const probe = await other.client.request('sync:signIn', { serverUrl: s.url, email: 'bo@northwind.example', password: 'bo-password' });
    expect(probe).toMatchObject({ ok: true, value: { orgEmpty: true } });
    // The real company goes up; the demo desktop, told so, replaces its demo with it.
    expect((await other.client.request('sync:link', { mode: 'upload' })).ok).toBe(true);
    await synced(other);
    const replaced = await demo.client.request('sync:link', { mode: 'replace' });
    expect(replaced.ok).toBe(true);
    expect(await demo.client.request('workspace:getStatus', {})).toEqual({ ok: true, value: { state: 'company', demoName: null, linked: true, updateRequired: null } });
    await synced(demo);
    expect(bookingTitles(demo)).toEqual(['Real company job']);
  });

  it('uploads the demo company when the user confirms it', async () => {
    const s = await server();
    const demo = adopt(await openDesktop('demo', { seedDemo: true, demoDate: '2026-11-24' })).current;
    await demo.client.request('sync:signIn', { serverUrl: s.url, email: 'ana@northwind.example', password: 'ana-password' });
    expect(await demo.client.request('sync:link', { mode: 'upload', confirmDemo: true })).toMatchObject({ ok: true, value: { mode: 'upload' } });
    await synced(demo);
    // Still the demo, now on the server too: the badge stays.
    expect(await demo.client.request('workspace:getStatus', {})).toEqual({ ok: true, value: { state: 'demo', demoName: 'Northwind Home Services', linked: true, updateRequired: null } });
  });

  it('refuses a technician, a wrong password and an unreachable server with reasons', async () => {
    const s = await server({ users: { tess: 'technician', vic: 'viewer' } });
    const d = (await desktop('d')).current;
    const tech = await d.client.request('sync:signIn', { serverUrl: s.url, email: 'tess@northwind.example', password: 'tess-password' });
    expect(tech.ok || tech.error.code).toBe('forbidden');
    const wrong = await d.client.request('sync:signIn', { serverUrl: s.url, email: 'ana@northwind.example', password: 'nope' });
    expect(wrong.ok || [wrong.error.code, Object.keys(wrong.error.fieldErrors ?? {})]).toEqual(['unauthenticated', ['password']]);
    await s.halt();
    const down = await d.client.request('sync:signIn', { serverUrl: s.url, email: 'ana@northwind.example', password: 'ana-password' });
    expect(down.ok || [down.error.code, Object.keys(down.error.fieldErrors ?? {})]).toEqual(['unavailable', ['serverUrl']]);
    const badUrl = await d.client.request('sync:signIn', { serverUrl: 'ftp://example.com', email: 'a@b.c', password: 'x' });
    expect(badUrl.ok || Object.keys(badUrl.error.fieldErrors ?? {})).toEqual(['serverUrl']);
    const link = await d.client.request('sync:link', { mode: 'replace' });
    expect(link.ok || link.error.code).toBe('conflict');
    expect(statusOf(d)).toMatchObject({ state: 'signed-out', linked: false, pending: 0 });

    // A viewer's changes are dropped by the server: uploading would lose the workspace silently.
    await s.start();
    const viewer = await d.client.request('sync:signIn', { serverUrl: s.url, email: 'vic@northwind.example', password: 'vic-password' });
    expect(viewer).toMatchObject({ ok: true, value: { needsLink: true, orgEmpty: true, user: { role: 'viewer' } } });
    const upload = await d.client.request('sync:link', { mode: 'upload' });
    expect(upload.ok || upload.error.code).toBe('forbidden');
    expect(statusOf(d).linked).toBe(false);
  });
});

describe('live sync', () => {
  it('shows a change from another desktop in the read tables and as a change event within a second', async () => {
    const s = await server();
    const { a, b } = await linkedPair(s);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = b.current.events.length;
      const started = performance.now();
      const { id } = await run(a.current, 'createBooking', { title: `Live job ${i}` });
      await waitFor(
        () => b.current.events.slice(before).some((e) => e.event === 'schedule:changed' && (e.payload as { ids: string[] }).ids.includes(id)),
        `schedule:changed for ${id} at b`,
        2000,
      );
      latencies.push(performance.now() - started);
      expect(b.current.store.queries.booking(id)?.title).toBe(`Live job ${i}`);
    }
    console.log(`live update latency a -> b (ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    expect(Math.max(...latencies)).toBeLessThan(1000);

    const provider = await run(b.current, 'createProvider', { name: 'Cy Ortiz' });
    await waitFor(() => a.current.eventsOf('roster:changed').some((p) => p.ids.includes(provider.id)), 'roster:changed at a', 2000);
    expect(a.current.store.queries.provider(provider.id)?.name).toBe('Cy Ortiz');
  });

  it('lists who else is online and which job they have open', async () => {
    const s = await server();
    const { a, b, seeded } = await linkedPair(s);
    await waitFor(() => b.current.sync.presence().length === 1, 'a in b’s presence');
    expect(b.current.sync.presence()).toMatchObject([{ name: 'Ana', role: 'admin', openJobId: null }]);

    expect(await a.current.client.request('sync:setPresence', { openJobId: seeded.booking })).toEqual({ ok: true, value: { openJobId: seeded.booking } });
    await waitFor(() => b.current.sync.presence()[0]?.openJobId === seeded.booking, 'open job at b');
    const listed = await b.current.client.request('sync:getPresence', {});
    expect(listed.ok && listed.value.map((p) => [p.name, p.openJobId])).toEqual([['Ana', seeded.booking]]);
    expect(b.current.eventsOf('sync:presenceChanged').some((e) => e.peers.some((p) => p.openJobId === seeded.booking))).toBe(true);
    expect(a.current.sync.presence().map((p) => p.name)).toEqual(['Bo']);

    a.current.close();
    await waitFor(() => b.current.sync.presence().length === 0, 'a gone from b’s presence', 5000);
  });
});

describe('offline', () => {
  it('counts exactly the local actions the server has not confirmed, and gets back to zero after reconnecting', async () => {
    const s = await server();
    const { a, b, seeded } = await linkedPair(s);
    await s.halt();
    await waitFor(() => statusOf(a.current).state === 'offline', 'a offline');
    expect(statusOf(a.current).pending).toBe(0);

    const one = await run(a.current, 'createBooking', { title: 'Offline 1' });
    await run(a.current, 'createBooking', { title: 'Offline 2' });
    await run(a.current, 'updateBooking', { id: one.id, notes: 'Ring twice' });
    await run(a.current, 'createBooking', { title: 'Offline 3 (undone)' });
    expect((await a.current.client.request('history:undo', {})).ok).toBe(true);
    // A Save of a staged edit is one action, however many jobs it saves.
    await a.current.client.request('draft:stage', { id: seeded.booking, slot: null });
    const saved = await a.current.client.request('draft:save', { notifyProviders: false, notifyCustomers: false });
    expect(saved.ok).toBe(true);
    await waitFor(() => statusOf(a.current).pending === 6, 'six pending');
    expect(statusOf(a.current)).toMatchObject({ state: 'offline', pending: 6 });
    const statusEvents = a.current.eventsOf('sync:statusChanged');
    expect(statusEvents.at(-1)).toMatchObject({ state: 'offline', pending: 6 });

    const seen = a.current.events.length;
    await s.start();
    await synced(a.current);
    await synced(b.current);
    const after = a.current.events.slice(seen).filter((e) => e.event === 'sync:statusChanged').map((e) => e.payload as SyncStatus);
    // While the handshake and the acks were under way it said "syncing 6" (never a smaller, untrue count).
    expect(after.some((st) => st.state === 'syncing' && st.pending === 6)).toBe(true);
    expect(after.filter((st) => st.state === 'syncing').every((st) => st.pending === 6 || st.pending === 0)).toBe(true);
    expect(after.at(-1)).toMatchObject({ state: 'synced', pending: 0 });
    expect(bookingTitles(b.current)).toEqual(['Northwind job', 'Offline 1', 'Offline 2']);
    expect(b.current.store.queries.booking(seeded.booking)?.slot).toBeNull();
    expectConverged(a.current, b.current);
  });

  it('keeps offline edits across restarts of the desktop and of the server, then merges them', async () => {
    const s = await server();
    const { a, b } = await linkedPair(s);
    await s.halt();
    const fromA = await run(a.current, 'createBooking', { title: 'Made offline on a' });
    const fromB = await run(b.current, 'createBooking', { title: 'Made offline on b' });
    await waitFor(() => statusOf(a.current).pending === 1, 'a pending 1');

    // The desktop restarts while the server is still down: its edit and its pending count survive.
    await a.reopen();
    expect(a.current.store.queries.booking(fromA.id)?.title).toBe('Made offline on a');
    expect(statusOf(a.current)).toMatchObject({ pending: 1, linked: true });
    await waitFor(() => statusOf(a.current).state === 'offline', 'a offline after restart');

    await s.start();
    await Promise.all([synced(a.current), synced(b.current)]);
    expect(bookingTitles(a.current)).toEqual(['Made offline on a', 'Made offline on b', 'Northwind job']);
    expectConverged(a.current, b.current);

    // The server restarts: nothing is lost, and a newcomer gets everything from it alone.
    await s.restart();
    await Promise.all([synced(a.current), synced(b.current)]);
    const c = (await desktop('c')).current;
    await c.signIn(s, 'ana');
    await synced(c);
    expect(bookingTitles(c)).toEqual(['Made offline on a', 'Made offline on b', 'Northwind job']);
    expect(c.store.queries.booking(fromB.id)?.title).toBe('Made offline on b');
    expectConverged(a.current, c);
  });

  it('marks jobs that others changed while this desktop was away, naming them, until dismissed', async () => {
    const s = await server();
    const { a, b, seeded } = await linkedPair(s);
    a.current.close();
    await run(b.current, 'updateBooking', { id: seeded.booking, notes: 'Dog in the yard' });
    const created = await run(b.current, 'createBooking', {
      title: 'Booked while a was closed',
      slot: { start: '2026-11-25T15:00:00Z', end: '2026-11-25T16:00:00Z', assignees: [seeded.provider] },
    });
    await synced(b.current);

    await a.reopen();
    // Offline edits of a's own are not "changed by someone else".
    await run(a.current, 'createBooking', { title: 'Own offline edit' });
    await synced(a.current);
    expect(a.current.store.queries.booking(created.id)?.title).toBe('Booked while a was closed');
    const all = await a.current.client.request('sync:listOfflineChanges', {});
    if (!all.ok) throw new Error(all.error.message);
    expect(new Set(all.value.map((c) => c.bookingId))).toEqual(new Set([seeded.booking, created.id]));
    expect(all.value.every((c) => c.by.name === 'Bo' && c.by.id === s.users.bo!.id)).toBe(true);
    expect(all.value.find((c) => c.bookingId === seeded.booking)?.summary).toMatch(/note/i);
    const marked = a.current.eventsOf('sync:offlineChangesChanged').flatMap((e) => e.bookingIds);
    expect(new Set(marked)).toEqual(new Set([seeded.booking, created.id]));

    const nov25 = await a.current.client.request('sync:listOfflineChanges', { from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' });
    expect(nov25.ok && nov25.value.map((c) => c.bookingId)).toEqual([created.id]);
    const halfRange = await a.current.client.request('sync:listOfflineChanges', { from: '2026-11-25T00:00:00Z' });
    expect(halfRange.ok || Object.keys(halfRange.error.fieldErrors ?? {})).toEqual(['to']);

    expect(await a.current.client.request('sync:dismissOfflineChange', { bookingId: created.id })).toEqual({ ok: true, value: { dismissed: 1 } });
    const left = await a.current.client.request('sync:listOfflineChanges', {});
    expect(left.ok && left.value.map((c) => c.bookingId)).toEqual([seeded.booking]);
    // Live changes are seen as they happen: no marker.
    await run(b.current, 'updateBooking', { id: created.id, notes: 'Live note' });
    await waitFor(() => a.current.store.queries.booking(created.id)?.notes === 'Live note', 'live note at a');
    const still = await a.current.client.request('sync:listOfflineChanges', { bookingId: created.id });
    expect(still.ok && still.value).toEqual([]);
  });
});

describe('a change the workspace cannot save', () => {
  it('stops syncing and asks to reopen; after reopening nothing is lost', async () => {
    const s = await server();
    const { a, b } = await linkedPair(s);
    // The disk refuses writes (as when it is full or the file became read-only).
    b.current.store.db.pragma('query_only = ON');
    const job = await run(a.current, 'createBooking', { title: 'Cannot be saved on b yet' });
    await waitFor(() => statusOf(b.current).state === 'error', 'b error');
    expect(statusOf(b.current).error).toMatchObject({ code: 'store' });
    expect(statusOf(b.current).error?.message).toMatch(/reopen/);
    await b.reopen();
    await synced(b.current);
    expect(b.current.store.queries.booking(job.id)?.title).toBe('Cannot be saved on b yet');
    expectConverged(a.current, b.current);
  });
});

describe('a workspace larger than the server takes in one message', () => {
  it('stops with a server error instead of retrying the same handshake forever', async () => {
    const s = await server({ limits: { maxPayloadBytes: 64 * 1024 } });
    const d = await openDesktop('big', { seedDemo: true, demoDate: '2026-11-23' });
    disposers.push(() => d.dispose());
    expect(Y.encodeStateAsUpdate(d.store.docs.schedule).byteLength).toBeGreaterThan(64 * 1024);
    await d.signIn(s, 'ana', 'upload');
    await waitFor(() => statusOf(d).state === 'error', 'error state');
    expect(statusOf(d).error).toMatchObject({ code: 'server' });
    expect(statusOf(d).error?.message).toMatch(/size limit/);
    const connections = s.server.metrics().connections;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(statusOf(d).state).toBe('error');
    expect(s.server.metrics().connections).toBeLessThanOrEqual(connections);
  });
});

describe('sign-in ends', () => {
  it('stops with a sign-in-again state when the token is revoked, and resumes after signing in again', async () => {
    const s = await server();
    const { a } = await linkedPair(s);
    const tokenFile = `${a.current.dataDir}/${TOKEN_FILE}`;
    expect(existsSync(tokenFile)).toBe(true);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    // Revoked while connected: the server closes the sockets (4401) and y-websocket must not retry.
    await s.server.accounts!.revokeAllForUser(s.orgId, s.users.ana!.id);
    await waitFor(() => statusOf(a.current).state === 'error', 'a error');
    expect(statusOf(a.current).error).toMatchObject({ code: 'auth' });
    await waitFor(() => !existsSync(tokenFile), 'token forgotten');
    const connectionsAfter = s.server.metrics().connections;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(statusOf(a.current).state).toBe('error');
    expect(s.server.metrics().connections).toBe(connectionsAfter);

    // Local work goes on, counted, and syncs once signed in again.
    const offline = await run(a.current, 'createBooking', { title: 'While signed out' });
    expect(statusOf(a.current).pending).toBe(1);
    const again = await a.current.client.request('sync:signIn', { serverUrl: s.url, email: 'ana@northwind.example', password: 'ana-password' });
    expect(again).toMatchObject({ ok: true, value: { needsLink: false } });
    await synced(a.current);
    expect(s.server.rooms.get(`org/${s.orgId}/schedule`)?.doc.getMap('bookings').has(offline.id)).toBe(true);

    // Revoked while the app was closed: the upgrade answers 401, and it stops at once.
    a.current.close();
    await s.server.accounts!.revokeAllForUser(s.orgId, s.users.ana!.id);
    await a.reopen();
    await waitFor(() => statusOf(a.current).state === 'error', 'a error after restart');
    expect(statusOf(a.current).error?.message).toMatch(/401/);
  });

  it('signs out: stops syncing and forgets the token, keeps the link and counts edits for next time', async () => {
    const s = await server();
    const { a, b } = await linkedPair(s);
    expect(await a.current.client.request('sync:signOut', {})).toEqual({ ok: true, value: { signedOut: true } });
    expect(statusOf(a.current)).toMatchObject({ state: 'signed-out', linked: true, orgId: s.orgId });
    expect(existsSync(`${a.current.dataDir}/${TOKEN_FILE}`)).toBe(false);
    const job = await run(a.current, 'createBooking', { title: 'Signed out' });
    expect(statusOf(a.current).pending).toBe(1);
    await a.reopen();
    expect(statusOf(a.current)).toMatchObject({ state: 'signed-out', pending: 1 });
    await a.current.signIn(s, 'ana');
    await waitFor(() => b.current.store.queries.booking(job.id) !== undefined, 'signed-out edit at b');
    await synced(a.current);
  });
});
