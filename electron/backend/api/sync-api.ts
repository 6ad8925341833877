import { fail, ok, toMs, type EventName, type EventPayloads, type Handlers, type RequestName } from '../../../core/index';
import type { LocalStore } from '../store/local-store';
import type { SyncClient } from '../sync/sync-client';

type SyncRequestName = Extract<RequestName, `sync:${string}`>;
type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * The `sync:*` requests of the contract, over the desktop's SyncClient, and its events forwarded as
 * `sync:*` events. Offline-change markers live in the workspace, so they answer even where nothing syncs;
 * a host without a SyncClient refuses the rest.
 */
export function syncHandlers(store: LocalStore, sync: SyncClient | null, emit: Emit): Pick<Handlers, SyncRequestName> {
  if (sync) {
    sync.on('status', (status) => emit('sync:statusChanged', status));
    sync.on('presence', (peers) => emit('sync:presenceChanged', { peers }));
    sync.on('offlineChanges', (bookingIds) => emit('sync:offlineChangesChanged', { bookingIds }));
  }
  const unavailable = () => fail('unavailable', 'This console does not sync with a server');
  return {
    'sync:getStatus': () => (sync ? ok(sync.status()) : unavailable()),
    'sync:signIn': (input) => (sync ? sync.signIn(input) : unavailable()),
    'sync:link': async (input) => {
      if (!sync) return unavailable();
      const staged = store.drafts.count();
      const linked = await sync.link(input);
      // A replace discards staged board edits with the old workspace: the board must hear of it.
      if (linked.ok && store.drafts.count() !== staged) emit('draft:changed', { stagedCount: store.drafts.count() });
      return linked;
    },
    'sync:signOut': () => (sync ? sync.signOut() : unavailable()),
    'sync:getPresence': () => ok(sync?.presence() ?? []),
    'sync:setPresence': ({ openJobId }) => {
      sync?.setPresence(openJobId);
      return ok({ openJobId });
    },
    'sync:listOfflineChanges': ({ bookingId, from, to }) => {
      if ((from === undefined) !== (to === undefined)) {
        const field = from === undefined ? 'from' : 'to';
        return fail('validation', 'Give both ends of the range, or neither', { fieldErrors: { [field]: 'Required with the other end' } });
      }
      const range = from !== undefined && to !== undefined ? { fromMs: toMs(from), toMs: toMs(to) } : {};
      return ok(store.offlineChanges.list({ bookingId, ...range }));
    },
    'sync:dismissOfflineChange': ({ bookingId }) => {
      const dismissed = store.offlineChanges.dismiss(bookingId);
      if (dismissed > 0) emit('sync:offlineChangesChanged', { bookingIds: [bookingId] });
      return ok({ dismissed });
    },
  };
}
