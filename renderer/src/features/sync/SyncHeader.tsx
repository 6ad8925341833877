import type { PresencePeer } from '../../../../core/sync/client-status.ts';
import { useSync } from './SyncContext.tsx';
import { useOrgWhen } from '../forms/org-when.ts';
import { initials, nameList, syncDescription, syncLabel } from './sync-labels.ts';
import { SyncStateIcon } from './SyncStateIcon.tsx';


/**
 * The header's sync status (offline / connecting / syncing N changes / all synced) and who else is online.
 * `data-sync-state` and `data-sync-pending` carry the exact state and count for tests and styling.
 * `compact`: the words are for screen readers only (the icon stays; the tooltip says it all).
 */
export function SyncHeader({ compact = false }: { compact?: boolean }) {
  const { status, peers, openDialog } = useSync();
  const fmtWhen = useOrgWhen();
  const state = status?.state ?? 'unavailable';
  return (
    <div className="sync-header" data-sync-header="">
      <PresenceList peers={peers} />
      <button
        type="button"
        className={`sync-indicator sync-indicator--${state}`}
        data-sync-indicator=""
        data-sync-state={state}
        data-sync-pending={status?.pending ?? 0}
        title={`${syncDescription(status, fmtWhen)}${status?.user ? `\n${status.user.name} on ${status.serverUrl}` : ''}\nClick for sync settings.`}
        aria-label={`Sync: ${syncLabel(status)}`}
        onClick={openDialog}
      >
        <SyncStateIcon state={status?.state ?? null} />
        <span className={compact ? 'sync-indicator__text adm-sr-only' : 'sync-indicator__text'} aria-live="polite">
          {syncLabel(status)}
        </span>
      </button>
    </div>
  );
}

/** Initials of the others online; the name, role and open job on hover. One person on two desktops shows twice. */
export function PresenceList({ peers }: { peers: readonly PresencePeer[] }) {
  if (peers.length === 0) return null;
  const shown = peers.slice(0, 5);
  return (
    <ul className="sync-presence" aria-label="Also online" data-presence-count={peers.length}>
      {shown.map((p) => (
        <li
          key={p.clientId}
          className="sync-avatar"
          style={p.color ? { backgroundColor: p.color } : undefined}
          title={`${p.name} (${p.role})${p.openJobId ? ' — has a job open' : ''}`}
          data-presence-user={p.userId}
          data-presence-name={p.name}
          data-presence-job={p.openJobId ?? ''}
        >
          {initials(p.name)}
        </li>
      ))}
      {peers.length > shown.length ? (
        <li className="sync-avatar sync-avatar--more" title={nameList(peers.slice(shown.length).map((p) => p.name))}>
          +{peers.length - shown.length}
        </li>
      ) : null}
    </ul>
  );
}
