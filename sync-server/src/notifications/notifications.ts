/**
 * The notification worker as the server composes it: its tables in `rooms.sqlite` (or a shared store on
 * PostgreSQL, one worker per node, issue 23), the channels from the
 * configuration (files under `<dataDir>/outbox` for any channel not configured), the worker, and the admin
 * routes.
 */
import { join } from 'node:path';
import type { Authenticator } from '../auth/principal';
import { ROOMS_FILE } from '../sync/room-store';
import type { RoomRegistry } from '../sync/room-registry';
import { createChannelSenders, type ChannelConfig, type ChannelSenders } from './channels';
import { createNotificationRoutes } from './notification-routes';
import { SqliteNotificationStore, type NotificationStore } from './notification-store';
import { NotificationWorker, type WorkerOptions } from './worker';

export const OUTBOX_DIR = 'outbox';

export interface NotificationOptions extends WorkerOptions, Partial<ChannelConfig> {
  /** Replaces configured channels (tests). */
  senders?: Partial<ChannelSenders>;
}

/** A store shared by many nodes (PostgreSQL): interrupted attempts are taken over when their lease lapses. */
export interface SharedNotificationStore {
  store: NotificationStore;
  prepareOrg: (orgId: string) => Promise<void>;
  organizations: () => Promise<string[]>;
}

export interface Notifications {
  readonly worker: NotificationWorker;
  readonly store: NotificationStore;
  /** The admin routes, answering with `auth`'s principals. */
  routes(auth: Authenticator): ReturnType<typeof createNotificationRoutes>;
  close(): Promise<void>;
}

export async function startNotifications(
  registry: RoomRegistry,
  dataDir: string,
  options: NotificationOptions = {},
  synchronous?: 'normal' | 'full',
  shared?: SharedNotificationStore,
): Promise<Notifications> {
  const store = shared?.store ?? new SqliteNotificationStore(join(dataDir, ROOMS_FILE), { synchronous });
  const senders: ChannelSenders = {
    ...createChannelSenders({ ...options, outboxDir: options.outboxDir ?? join(dataDir, OUTBOX_DIR) }),
    ...options.senders,
  };
  const worker = new NotificationWorker(registry, store, senders, {
    attemptDeadlineMs: 2 * (options.timeoutMs ?? 15_000) + 1000,
    ...options,
    ...(shared ? { prepareOrg: shared.prepareOrg, organizations: shared.organizations } : {}),
  });
  await worker.start(!shared);
  return {
    worker,
    store,
    routes: (auth) => createNotificationRoutes(auth, worker),
    async close() {
      await worker.close();
      await store.close();
    },
  };
}
