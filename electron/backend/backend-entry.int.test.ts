// The backend entry for real in a Node worker_threads Worker: the contract over a MessagePort, a crash
// (the worker exits, or throws) seen by the client as "backend stopped", and a restart on the same data
// folder that still has everything committed before the crash.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortClient, type ClientPort, type PortClient } from '../../renderer/src/api/port-client';
import { startBackendWorker, type BackendWorker, type BackendWorkerOptions } from './backend-entry-remote';
import { PortTokenVault, serveTokenVault } from './backend-entry-vault';
import { FileTokenVault } from './sync/token-vault';
import { REQUEST_NAMES } from '../../core/api/names';
import { tempDir } from './store/testing/temp-dir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const NOW = Date.parse('2026-11-23T15:00:00Z');

function backend(dataDir: string, extra: Partial<BackendWorkerOptions> = {}): BackendWorker {
  const worker = startBackendWorker({ dataDir, version: 'test', transport: 'ipc', nowMs: NOW, ...extra });
  cleanups.push(() => worker.close());
  return worker;
}

function clientOf(worker: BackendWorker): PortClient {
  const client = createPortClient({ transport: 'ipc' });
  client.attach(worker.connect() as unknown as ClientPort);
  worker.onStop((reason) => client.stopped(reason));
  cleanups.push(() => client.close());
  return client;
}

function dataDir(): string {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  return tmp.dir;
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('backend entry in a worker_threads Worker', () => {
  it('serves the contract over the port: commands, queries, events, validation, unknown names', async () => {
    const worker = backend(dataDir());
    const api = clientOf(worker);
    const info = await api.request('app:getInfo', {});
    expect(info.ok && info.value.transport).toBe('ipc');
    expect(info.ok && info.value.now).toBeGreaterThanOrEqual(NOW);

    const status = await api.request('workspace:getStatus', {});
    expect(status.ok && status.value.state).toBe('empty');
    const init = await api.request('commands:run', { name: 'initializeOrganization', input: { name: 'Acme', timeZone: 'America/Chicago' } });
    expect(init.ok).toBe(true);

    const roster: string[][] = [];
    api.on('roster:changed', (payload) => roster.push(payload.ids));
    const created = await api.request('commands:run', { name: 'createProvider', input: { name: 'Ana Silva' } });
    expect(created.ok).toBe(true);
    await until(() => roster.length > 0);
    const providers = await api.request('providers:list', {});
    expect(providers.ok && providers.value.map((p) => p.name)).toEqual(['Ana Silva']);

    // Validated in the backend as the other transports do: a field-level reason, never a throw.
    const bad = await api.request('providers:list', { includeInactive: 'yes' } as never);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('validation');
    const unknown = await api.request('nope:nothing' as never, {} as never);
    expect(!unknown.ok && unknown.error.code).toBe('unknown_command');
    // A malformed frame (no id) is ignored; the port keeps working.
    (worker.connect() as unknown as ClientPort).postMessage({ hello: 'world' });
    expect((await api.request('settings:get', {})).ok).toBe(true);
  });

  it('answers every request of the contract over the port: a Result each, from its handler', async () => {
    const worker = backend(dataDir());
    const api = clientOf(worker);
    const codes: Record<string, string> = {};
    for (const name of REQUEST_NAMES) {
      const result = await Promise.race([
        (api.request as (n: string, input: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>)(name, {}),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${name} did not answer`)), 10_000)),
      ]);
      codes[name] = result.ok ? 'ok' : result.error!.code;
      // Known to the backend (validated, then its handler ran or refused): never lost on the way.
      expect(codes[name], `${name}: ${result.error?.message}`).not.toBe('unknown_command');
      expect(codes[name], `${name}: ${result.error?.message}`).not.toBe('internal');
    }
    expect(Object.keys(codes)).toHaveLength(REQUEST_NAMES.length);
    expect(codes['app:getInfo']).toBe('ok');
    expect(codes['commands:run']).toBe('validation');
  });

  it('serves several clients at once, each with the events', async () => {
    const worker = backend(dataDir());
    const a = clientOf(worker);
    const b = clientOf(worker);
    const seen: string[][] = [];
    b.on('roster:changed', (payload) => seen.push(payload.ids));
    expect((await a.request('commands:run', { name: 'initializeOrganization', input: { name: 'Acme', timeZone: 'Europe/Berlin' } })).ok).toBe(true);
    await until(() => seen.length > 0);
    expect((await b.request('settings:get', {})).ok && true).toBe(true);
  });

  it('a worker that exits is "backend stopped" for waiting and later requests; a restart keeps every commit', async () => {
    const dir = dataDir();
    const worker = backend(dir);
    const api = clientOf(worker);
    const changes: boolean[] = [];
    api.onConnectionChange((connected) => changes.push(connected));
    expect((await api.request('commands:run', { name: 'initializeOrganization', input: { name: 'Acme', timeZone: 'America/Chicago' } })).ok).toBe(true);
    for (const name of ['Ana Silva', 'Bo Chen', 'Cy Diaz']) {
      expect((await api.request('commands:run', { name: 'createProvider', input: { name } })).ok).toBe(true);
    }
    // Crash: the thread is killed while a request may still be on its way.
    const inFlight = api.request('providers:list', {});
    await worker.worker.terminate();
    await until(() => worker.state === 'stopped');
    const answered = await inFlight;
    if (!answered.ok) expect(answered.error.message).toMatch(/^The backend stopped: /);
    const after = await api.request('providers:list', {});
    expect(after.ok).toBe(false);
    expect(!after.ok && after.error.message).toMatch(/^The backend stopped/);
    expect(api.connected).toBe(false);
    expect(api.stopReason).toMatch(/exited/);

    await worker.restart();
    expect(worker.state).toBe('running');
    api.attach(worker.connect() as unknown as ClientPort);
    expect(changes).toEqual([false, true]);
    const back = await api.request('providers:list', {});
    expect(back.ok && back.value.map((p) => p.name).sort()).toEqual(['Ana Silva', 'Bo Chen', 'Cy Diaz']);
    const settings = await api.request('settings:get', {});
    expect(settings.ok && settings.value.name).toBe('Acme');
  });

  it('a worker that throws is "backend stopped" with the error; a restart keeps every commit', async () => {
    const dir = dataDir();
    const worker = backend(dir, { entry: new URL('./transport/testing/throwing-backend-worker.ts', import.meta.url) });
    const api = clientOf(worker);
    expect((await api.request('commands:run', { name: 'initializeOrganization', input: { name: 'Acme', timeZone: 'America/Chicago' } })).ok).toBe(true);
    expect((await api.request('commands:run', { name: 'createProvider', input: { name: 'Ana Silva' } })).ok).toBe(true);
    worker.worker.postMessage({ type: 'throw-for-test' });
    await until(() => worker.state === 'stopped');
    expect(worker.stopReason).toBe('boom in the backend');
    const after = await api.request('providers:list', {});
    expect(!after.ok && after.error.message).toBe('The backend stopped: boom in the backend');

    await worker.restart();
    api.attach(worker.connect() as unknown as ClientPort);
    const back = await api.request('providers:list', {});
    expect(back.ok && back.value.map((p) => p.name)).toEqual(['Ana Silva']);
  });

  it('a second backend on a data folder in use fails to start with the reason', async () => {
    const dir = dataDir();
    const first = backend(dir);
    await first.ready;
    const second = backend(dir);
    await expect(second.ready).rejects.toThrow(/already open in another Crewline/);
    await until(() => second.state === 'stopped');
    expect((await second.api.handle('settings:get', {})).ok).toBe(false);
  });
});

describe('reads during the schedule-document load', () => {
  it('answers board and list reads from the read tables while a 2 s load blocks the backend; writes wait for it', async () => {
    const dir = dataDir();
    // A demo company (seeding decodes the documents in the same run: no deferred load there) ...
    const seeding = backend(dir, { seedDemo: true, demoDate: '2026-11-23' });
    await seeding.loaded;
    const seeded = clientOf(seeding);
    const expected = await seeded.request('board:getRange', { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    expect(expected.ok && expected.value.bookings.length).toBeGreaterThan(0);
    await seeding.close();

    // ... reopened: the backend decodes the schedule document after opening, made to take 2 s here.
    const worker = backend(dir, { loadDelayMs: 2000 });
    const api = clientOf(worker);
    await until(() => worker.loading);
    const started = performance.now();
    const board = await api.request('board:getRange', { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    const providers = await api.request('providers:list', {});
    const queue = await api.request('queue:list', {});
    const status = await api.request('workspace:getStatus', {});
    const info = await api.request('app:getInfo', {});
    // Still decoding: these did not wait for it. (No wall-clock bound: on a loaded machine the reads alone
    // may take a second; the longest wait is measured in bench/backend-worker-bench.ts.)
    expect(worker.loading).toBe(true);
    expect(board.ok && board.value).toEqual(expected.ok && expected.value);
    expect(providers.ok && providers.value.length).toBeGreaterThan(0);
    expect(queue.ok).toBe(true);
    expect(status.ok && status.value.state).toBe('demo');
    expect(info.ok && info.value.now).toBeGreaterThanOrEqual(NOW);
    // Input is still validated on this path.
    const bad = await api.request('board:getRange', { from: '2026-11-30T00:00:00Z', to: '2026-11-23T00:00:00Z' });
    expect(!bad.ok && bad.error.code).toBe('validation');

    // A write needs the document: it waits for the load, then lands.
    expect(worker.loading).toBe(true);
    const write = await api.request('commands:run', { name: 'createProvider', input: { name: 'Late Hire' } });
    expect(write.ok).toBe(true);
    expect(worker.loading).toBe(false);
    expect(performance.now() - started).toBeGreaterThan(1500);
    const after = await api.request('providers:list', {});
    expect(after.ok && after.value.map((p) => p.name)).toContain('Late Hire');
  });

  it('stages and refuses a drop from the read tables while a 2 s load blocks the backend; Save then commits it', async () => {
    const dir = dataDir();
    const seeding = backend(dir, { seedDemo: true, demoDate: '2026-11-23' });
    await seeding.loaded;
    const week = { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' };
    const before = await clientOf(seeding).request('board:getRange', week);
    const job = before.ok ? before.value.bookings.find((b) => b.status === 'scheduled' && b.slot?.assignees.length) : undefined;
    expect(job).toBeDefined();
    await seeding.close();
    const slot = job!.slot!;
    const moved = { ...slot, start: new Date(Date.parse(slot.start) + 3_600_000).toISOString(), end: new Date(Date.parse(slot.end) + 3_600_000).toISOString() };
    const unknown = { ...moved, assignees: ['0190ffff-0000-7000-8000-000000000009'] };

    const worker = backend(dir, { loadDelayMs: 2000 });
    const api = clientOf(worker);
    const announced: number[] = [];
    api.on('draft:changed', ({ stagedCount }) => announced.push(stagedCount));
    await until(() => worker.loading);
    const answeredByTables = worker.readTableAnswers;
    const staged = await api.request('draft:stage', { id: job!.id, slot: moved, view: week });
    const refused = await api.request('draft:stage', { id: job!.id, slot: unknown });
    const board = await api.request('board:getRange', week);
    // Still decoding: the read tables staged it, refused the other, and the board read shows it.
    expect(worker.loading).toBe(true);
    expect(worker.readTableAnswers - answeredByTables).toBe(3);
    expect(staged.ok && staged.value.stagedCount).toBe(1);
    expect(staged.ok && staged.value.view?.bookings.find((b) => b.id === job!.id)).toMatchObject({ staged: true, slot: moved });
    expect(!refused.ok && refused.error.code).toBe('not_found');
    expect(board.ok && board.value.bookings.find((b) => b.id === job!.id)).toMatchObject({ staged: true, slot: moved });
    await until(() => announced.length === 1);
    expect(announced).toEqual([1]);

    // The backend, once loaded, refuses the same drop the same way, and its Save commits the staged one.
    await worker.loaded;
    expect(worker.loading).toBe(false);
    const refusedAfter = await api.request('draft:stage', { id: job!.id, slot: unknown });
    expect(!refusedAfter.ok && refusedAfter.error).toEqual(!refused.ok && refused.error);
    const saved = await api.request('draft:save', { notifyProviders: false, notifyCustomers: false });
    expect(saved.ok && saved.value.saved).toBe(1);
    const got = await api.request('bookings:get', { id: job!.id });
    expect(got.ok && got.value.booking).toMatchObject({ staged: false, slot: moved });
  });
});

describe('token vault over a named port', () => {
  it('loads, saves and clears through the keeper at the other end', async () => {
    const dir = dataDir();
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => {
      port1.close();
    });
    const keeper = new FileTokenVault(dir);
    serveTokenVault(port2, keeper);
    const vault = new PortTokenVault(port1);
    expect(await vault.load()).toBeNull();
    await vault.save('secret-token');
    expect(await keeper.load()).toBe('secret-token');
    expect(await vault.load()).toBe('secret-token');
    await vault.clear();
    expect(await keeper.load()).toBeNull();
  });
});
