/**
 * The sync client's state changes, for the log (issue 22): connected, offline, signed out, and each error
 * the header shows. The status carries the server address, the organization and the user, never the token.
 * Only changes are logged: the pending count alone moving is not a support event.
 */
import type { SyncStatus } from '../../core/sync/client-status';
import type { Logger } from './log';

type StatusSource = { status(): SyncStatus; on(event: 'status', listener: (status: SyncStatus) => void): () => void };

export function logSyncStatus(sync: StatusSource, logger: Logger): () => void {
  let last = sync.status();
  return sync.on('status', (status) => {
    const before = last;
    last = status;
    const fields = { state: status.state, from: before.state, serverUrl: status.serverUrl, orgId: status.orgId, userId: status.user?.id ?? null, pending: status.pending };
    if (status.error && (status.error.code !== before.error?.code || status.error.message !== before.error.message)) {
      logger.warn('sync.error', `Sync error (${status.error.code}): ${status.error.message}`, { ...fields, errorType: status.error.code, error: status.error.message });
      return;
    }
    if (status.state === before.state) return;
    const event = status.state === 'synced' || status.state === 'syncing' ? 'sync.connected' : status.state === 'offline' ? 'sync.disconnected' : `sync.${status.state.replace('-', '_')}`;
    if (event === 'sync.connected' && (before.state === 'synced' || before.state === 'syncing')) return;
    logger.info(event, `Sync: ${before.state} → ${status.state}`, fields);
  });
}
