/**
 * Two sync server nodes on one PostgreSQL and one Redis (issue 23), in this process, for desktop tests that
 * spread their desktops over both: `startSyncServer`'s organization and users, served by node A and node B
 * alike. The nodes share one account store (in production it is shared through PostgreSQL; here one
 * `AccountStore` object), and the notification worker is off (the outbox across nodes is tested on its own).
 * `halt`/`start`/`restart` act on both nodes; each keeps its port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../../../../sync-server/src/accounts/account-store';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '../../../../sync-server/src/server';
import { FAST_SCRYPT, startSyncServer, type TestSyncServer } from './sync-harness';

export interface TestSyncNodes extends TestSyncServer {
  /** The running nodes, node A (`server`) first. */
  readonly servers: readonly SyncServer[];
  readonly ports: readonly number[];
}

export async function startSyncNodes(options: { databaseUrl: string; redisUrl: string; limits?: SyncServerOptions['limits'] }): Promise<TestSyncNodes> {
  const accountsDir = mkdtempSync(join(tmpdir(), 'crewline-sync-accounts-'));
  const accounts = AccountStore.open(accountsDir, { scrypt: FAST_SCRYPT });
  // A server closes the account store it was given when it stops; both nodes restart on this one, so
  // they get a view of it whose `close` does nothing, and `dispose` closes it.
  const view = new Proxy(accounts, { get: (target, key) => (key === 'close' ? () => {} : Reflect.get(target, key, target)) });
  const shared: Partial<SyncServerOptions> = { databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, accounts: view, notifications: false };
  const a = await startSyncServer({ limits: options.limits, server: shared });
  const dirB = mkdtempSync(join(tmpdir(), 'crewline-sync-node-b-'));
  const optionsB: SyncServerOptions = { dataDir: dirB, archiveEveryMs: 0, limits: options.limits, ...shared };
  let b: SyncServer | null = await createSyncServer({ ...optionsB, port: 0 });
  const portB = b.port;
  const haltB = async () => {
    const node = b;
    b = null;
    await node?.close();
  };
  const startB = async () => {
    if (!b) b = await createSyncServer({ ...optionsB, port: portB });
  };
  const nodes: TestSyncNodes = {
    url: a.url,
    port: a.port,
    dataDir: a.dataDir,
    orgId: a.orgId,
    users: a.users,
    get server() {
      return a.server;
    },
    set server(next) {
      a.server = next;
    },
    get servers() {
      return b ? [a.server, b] : [a.server];
    },
    ports: [a.port, portB],
    async halt() {
      await Promise.all([a.halt(), haltB()]);
    },
    async start() {
      await Promise.all([a.start(), startB()]);
    },
    async restart() {
      await nodes.halt();
      await nodes.start();
    },
    async dispose() {
      await Promise.all([a.dispose(), haltB()]);
      accounts.close();
      rmSync(dirB, { recursive: true, force: true });
      rmSync(accountsDir, { recursive: true, force: true });
    },
  };
  return nodes;
}
