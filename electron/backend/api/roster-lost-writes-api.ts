import { ok, type EventName, type EventPayloads, type Handlers } from '../../../core/index';
import type { LocalStore } from '../store/local-store';
import type { SyncClient } from '../sync/sync-client';

type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * The record screens' "A change of yours was not kept" marks (`roster-lost-writes.ts`): read and
 * dismissed here, added by the SyncClient while it applies the roster, whose news is forwarded as
 * `roster:lostWritesChanged`. The marks live in the workspace, so they answer even where nothing syncs.
 */
export function rosterLostWriteHandlers(
  store: LocalStore,
  sync: SyncClient | null,
  emit: Emit,
): Pick<Handlers, 'roster:listLostWrites' | 'roster:dismissLostWrite'> {
  sync?.on('rosterLostWrites', (records) => emit('roster:lostWritesChanged', { records }));
  return {
    'roster:listLostWrites': ({ kind }) => ok(store.rosterLostWrites.list(kind)),
    'roster:dismissLostWrite': ({ kind, id }) => {
      const dismissed = store.rosterLostWrites.dismiss(kind, id);
      if (dismissed > 0) emit('roster:lostWritesChanged', { records: [{ kind, id }] });
      return ok({ dismissed });
    },
  };
}
