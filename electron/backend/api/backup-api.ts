import { fail, ok, type EventName, type EventPayloads, type Handlers, type RequestName } from '../../../core/index';
import type { LocalStore } from '../store/local-store';
import type { WorkspaceBackups } from '../store/workspace-backup';

type BackupRequestName = Extract<RequestName, `backup:${string}`>;
type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * The `backup:*` requests over the workspace's backups. A restore's replaced documents reach the views as
 * the store's change events (`roster:changed`, `schedule:changed`, as after a sync replace); the staged
 * edits it discards are announced here.
 */
export function backupHandlers(store: LocalStore, backups: WorkspaceBackups, emit: Emit): Pick<Handlers, BackupRequestName> {
  return {
    'backup:list': () => ok({ dir: backups.dir, backups: backups.list() }),
    'backup:create': () => {
      try {
        return ok(backups.create('manual'));
      } catch (error) {
        return fail('internal', `The backup could not be written: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    'backup:check': (source) => backups.check(source),
    'backup:restore': (source) => {
      const restored = backups.restore(source);
      if (restored.ok && restored.value.discardedDrafts > 0) emit('draft:changed', { stagedCount: store.drafts.count() });
      return restored;
    },
    'backup:getSettings': () => ok(backups.settings()),
    'backup:setSettings': ({ keep }) => backups.setKeep(keep),
  };
}
