/**
 * The notification worker as the server composes it: its tables in `rooms.sqlite`, the channels from the
 * configuration (files under `<dataDir>/outbox` for any channel not configured), the worker, and the admin
 * routes.
 */
import { join } from 'node:path';
import type { Authenticator } from '../auth/principal';
import { ROOMS_FILE } from '../sync/room-store';
import type { RoomRegistry } from '../sync/room-registry';
import { createChannelSenders, type ChannelConfig, type ChannelSenders } from './channels';
import { createNotificationRoutes } from './notification-routes';
import { NotificationStore } from './notification-store';
import { NotificationWorker, type WorkerOptions } from './worker';

export const OUTBOX_DIR = 'outbox';

export interface NotificationOptions extends WorkerOptions, Partial<ChannelConfig> {
  /** Replaces configured channels (tests). */
  senders?: Partial<ChannelSenders>;
}

export interface Notifications {
  readonly worker: NotificationWorker;
  readonly store: NotificationStore;
  /** The admin routes, answering with `auth`'s principals. */
  routes(auth: Authenticator): ReturnType<typeof createNotificationRoutes>;
  close(): Promise<void>;
}

export function startNotifications(
  registry: RoomRegistry,
  dataDir: string,
  options: NotificationOptions = {},
  synchronous?: 'normal' | 'full',
): Notifications {
  const store = new NotificationStore(join(dataDir, ROOMS_FILE), { synchronous });
  const senders: ChannelSenders = {
    ...createChannelSenders({ ...options, outboxDir: options.outboxDir ?? join(dataDir, OUTBOX_DIR) }),
    ...options.senders,
  };
  const worker = new NotificationWorker(registry, store, senders, {
    attemptDeadlineMs: 2 * (options.timeoutMs ?? 15_000) + 1000,
    ...options,
  });
  worker.start();
  return {
    worker,
    store,
    routes: (auth) => createNotificationRoutes(auth, worker),
    async close() {
      await worker.close();
      store.close();
    },
  };
}
