import type { SyncStatus } from '../../../../core/sync/client-status.ts';
import { countText, listText, pluralWord } from '../../../../core/format.ts';

/** Words for the sync state, shared by the header indicator, the Sync dialog and the Team screen. */

const changes = (n: number) => countText(n, 'change');

/** The header's short text: "All synced", "Syncing 3 changes", "Offline · 2 changes waiting"... */
export function syncLabel(status: SyncStatus | null): string {
  if (!status) return 'Sync';
  switch (status.state) {
    case 'signed-out':
      return status.linked ? 'Signed out' : 'Not syncing';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return status.pending > 0 ? `Offline · ${changes(status.pending)} waiting` : 'Offline';
    case 'syncing':
      return status.pending > 0 ? `Syncing ${changes(status.pending)}` : 'Syncing…';
    case 'synced':
      return 'All synced';
    case 'error':
      return status.error?.code === 'auth' ? 'Sign in again' : 'Sync stopped';
  }
}

/** The longer explanation (tooltip, dialog). */
export function syncDescription(status: SyncStatus | null, formatTime: (iso: string) => string): string {
  if (!status) return 'This console does not sync with a server.';
  const where = status.serverUrl ? ` with ${status.serverUrl}` : '';
  const last = status.lastSyncedAt ? ` Last fully synced ${formatTime(status.lastSyncedAt)}.` : '';
  switch (status.state) {
    case 'signed-out':
      return status.linked
        ? `Signed out: changes stay on this computer${status.pending > 0 ? ` (${changes(status.pending)} not on the server yet)` : ''} until you sign in again.`
        : 'This workspace is not linked to a Crewline server. Sign in to share the schedule with other desktops.';
    case 'connecting':
      return `Connecting${where}…`;
    case 'offline':
      return `The server cannot be reached; retrying. Edits are kept on this computer${status.pending > 0 ? ` (${changes(status.pending)} waiting)` : ''}.${last}`;
    case 'syncing':
      return status.pending > 0 ? `Sending ${changes(status.pending)} the server has not confirmed yet.` : `Catching up${where}…`;
    case 'synced':
      return `Every change is on the server.${last}`;
    case 'error':
      return status.error?.message ?? 'Syncing stopped.';
  }
}

/** "Ana Lopez" -> "AL", "bo" -> "B". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0]!.charAt(0);
  const last = words.length > 1 ? words[words.length - 1]!.charAt(0) : '';
  return (first + last).toUpperCase();
}

/** "Ana", "Ana and Bo", "Ana, Bo, and Cy" (Intl.ListFormat through core/format.ts). */
export const nameList = (names: readonly string[]): string => listText(names);

export const offlineChangeText = (names: readonly string[]) => `Changed by ${nameList(names)} while you were offline`;
/** A change of this desktop's that lost a conflict (core/doc/conflict-rules.ts). */
export const lostChangeText = (count: number) => (count === 1 ? 'A change of yours was not kept' : `${count} changes of yours were not kept`);
export const viewersText = (names: readonly string[]) => `${nameList(names)} ${pluralWord(names.length, 'has', 'have')} this job open`;
