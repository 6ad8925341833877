/**
 * Test scaffolding for the desktop sync client: a real Crewline sync server (sync-server/src/server.ts) on
 * 127.0.0.1 in a temp data dir with one organization and its users, and desktops — each a workspace file
 * in its own temp dir, a SyncClient with a file token vault, and the BackendApi reached through a
 * validating in-process client, wired exactly as the web host wires them. Both can be restarted on the
 * same files (and the server on the same port), for offline/restart scenarios, convergence batteries and
 * benchmarks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendClient, EventName, EventPayloads, Role } from '../../../../core/index';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '../../../../sync-server/src/server';
import { BackendApi, directClient } from '../../api/backend-api';
import type { LocalStore } from '../../store/local-store';
import { openWorkspace } from '../../workspace';
import { SyncClient } from '../sync-client';
import { FileTokenVault } from '../token-vault';
import type { Clock } from '../../../../core/clock';

/** Cheap password hashing: sign-ins in tests should not cost 100 ms of scrypt each. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  role: Role;
}

export interface TestSyncServer {
  /** `http://127.0.0.1:<port>`: what a user types as the server address. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly orgId: string;
  readonly users: Record<string, TestUser>;
  /** The running server (replaced by `restart`). */
  server: SyncServer;
  /** Stops the server; `start` brings it back on the same port and files. */
  halt(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>;
}

/**
 * A sync server with one organization: `ana` (admin) and `bo` (dispatcher) by default; `users` adds more
 * by short name (e.g. `{ cy: 'viewer' }`). Passwords are `<name>-password`.
 */
export async function startSyncServer(
  options: {
    users?: Record<string, Role>;
    limits?: SyncServerOptions['limits'];
    clock?: Clock;
    /** More server options (a node of many: `testing/sync-nodes.ts`). */
    server?: Partial<SyncServerOptions>;
  } = {},
): Promise<TestSyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crewline-sync-server-'));
  const serverOptions = {
    dataDir,
    archiveEveryMs: 0,
    accountOptions: { scrypt: FAST_SCRYPT },
    limits: options.limits,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.server,
  };
  let server = await createSyncServer({ ...serverOptions, port: 0 });
  const port = server.port;
  const accounts = server.accounts!;
  const roles: Record<string, Role> = { ana: 'admin', bo: 'dispatcher', ...options.users };
  const users: Record<string, TestUser> = {};
  const credentials = (short: string) => ({
    email: `${short}@northwind.example`,
    name: short.charAt(0).toUpperCase() + short.slice(1),
    password: `${short}-password`,
  });
  const { org, admin } = await accounts.createOrganization({ name: 'Northwind Home Services', admin: credentials('ana') });
  users.ana = { ...credentials('ana'), id: admin!.id, role: 'admin' };
  for (const [short, role] of Object.entries(roles)) {
    if (short === 'ana') continue;
    const { user } = await accounts.inviteUser(org.id, { ...credentials(short), role });
    users[short] = { ...credentials(short), id: user.id, role };
  }
  let running = true;
  const handle: TestSyncServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    orgId: org.id,
    users,
    get server() {
      return server;
    },
    set server(next) {
      server = next;
    },
    async halt() {
      if (!running) return;
      running = false;
      await server.close();
    },
    async start() {
      if (running) return;
      server = await createSyncServer({ ...serverOptions, port });
      running = true;
    },
    async restart() {
      await handle.halt();
      await handle.start();
    },
    async dispose() {
      await handle.halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

export interface RecordedEvent {
  event: EventName;
  payload: unknown;
  at: number;
}

export interface TestDesktop {
  readonly name: string;
  readonly dataDir: string;
  readonly store: LocalStore;
  readonly sync: SyncClient;
  readonly api: BackendApi;
  /** Validates every request like a transport does. */
  readonly client: BackendClient;
  /** Every backend event since the desktop opened, in order, with `performance.now()` times. */
  readonly events: RecordedEvent[];
  eventsOf<E extends EventName>(event: E): Array<EventPayloads[E]>;
  /** Signs in and, when the server asks, links with `mode` (default: upload when empty, else replace). */
  signIn(server: TestSyncServer, user: string, mode?: 'upload' | 'replace'): Promise<void>;
  /** Closes the sync client and the store (the files stay). */
  close(): void;
  /** Closes and opens the same data dir again (a restart of the app), resuming sync if it was linked. */
  reopen(): Promise<TestDesktop>;
  /** Closes and deletes its files. */
  dispose(): void;
}

export interface DesktopOptions {
  /** Reuse a data dir (a restart); default: a fresh temp dir. */
  dataDir?: string;
  /** Seed the demo company into an empty, unlinked workspace (default false). */
  seedDemo?: boolean;
  demoDate?: string;
  /** What time it is on this desktop (default: the system's); give its server the same one. */
  clock?: Clock;
  /** Reconnect backoff cap (default 300 ms: tests restart servers and want the desktops back quickly). */
  maxBackoffMs?: number;
  /** The document format this desktop knows (default `DOC_SCHEMA_VERSION`): an older or updated app. */
  knownDocFormat?: number;
}

export async function openDesktop(name: string, options: DesktopOptions = {}): Promise<TestDesktop> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `crewline-desktop-${name}-`));
  const { store, setup } = openWorkspace({
    dataDir,
    seedDemo: options.seedDemo ?? false,
    demoDate: options.demoDate,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.knownDocFormat !== undefined ? { knownDocFormat: options.knownDocFormat } : {}),
  });
  const sync = new SyncClient({ store, vault: new FileTokenVault(dataDir), maxBackoffMs: options.maxBackoffMs ?? 300 });
  const api = new BackendApi(store, { version: 'test', transport: 'websocket' }, sync, { setup });
  const client = directClient(api);
  const events: RecordedEvent[] = [];
  api.subscribe((event, payload) => events.push({ event, payload, at: performance.now() }));
  await sync.start();
  let closed = false;
  const desktop: TestDesktop = {
    name,
    dataDir,
    store,
    sync,
    api,
    client,
    events,
    eventsOf: <E extends EventName>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as EventPayloads[E]),
    async signIn(server, user, mode) {
      const account = server.users[user];
      if (!account) throw new Error(`No test user ${user}`);
      const signedIn = await client.request('sync:signIn', { serverUrl: server.url, email: account.email, password: account.password });
      if (!signedIn.ok) throw new Error(`${name}: sign-in failed: ${signedIn.error.message}`);
      if (!signedIn.value.needsLink) return;
      const linked = await client.request('sync:link', { mode: mode ?? (signedIn.value.orgEmpty ? 'upload' : 'replace'), confirmDemo: true });
      if (!linked.ok) throw new Error(`${name}: link failed: ${linked.error.message}`);
    },
    close() {
      if (closed) return;
      closed = true;
      sync.close();
      store.close();
    },
    async reopen() {
      desktop.close();
      return openDesktop(name, { ...options, dataDir });
    },
    dispose() {
      desktop.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return desktop;
}

/**
 * N desktops on one organization, all synced: the first (signed in as `users[0]`) uploads its workspace
 * (after `seed` filled it, if given), the others sign in as the next users (cycling) and replace theirs.
 */
export async function openLinkedDesktops(
  server: TestSyncServer,
  names: readonly string[],
  options: { users?: readonly string[]; seed?: (first: TestDesktop) => Promise<void> | void; desktop?: DesktopOptions } = {},
): Promise<TestDesktop[]> {
  const users = options.users ?? Object.keys(server.users);
  const desktops: TestDesktop[] = [];
  for (const [i, name] of names.entries()) {
    const desktop = await openDesktop(name, options.desktop);
    desktops.push(desktop);
    if (i === 0) await options.seed?.(desktop);
    await desktop.signIn(server, users[i % users.length]!, i === 0 ? 'upload' : 'replace');
    await waitFor(() => desktop.sync.status().state === 'synced', `${name} synced`);
  }
  return desktops;
}

/** Polls `condition` every 10 ms; throws with `label` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, label: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A server and one desktop signed in as its admin (`ana`, uploading its empty workspace): the start of every
 * test of the console's requests to the server's admin API. `track` receives the disposers.
 */
export async function serverWithAdminDesktop(
  track: (dispose: () => unknown) => void,
): Promise<{ server: TestSyncServer; admin: TestDesktop }> {
  const server = await startSyncServer();
  track(() => server.dispose());
  const admin = await openDesktop('admin');
  track(() => admin.dispose());
  await admin.signIn(server, 'ana', 'upload');
  return { server, admin };
}
