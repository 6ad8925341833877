import { useCallback, useEffect, useState } from 'react';
import type { OfflineChange } from '../../../../core/sync/client-status.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { useSync } from './SyncContext.tsx';
import { lostChangeText, offlineChangeText, viewersText } from './sync-labels.ts';
import { CONFLICT_LOST_ACTION } from '../../../../core/doc/lost-write-summary.ts';

/**
 * The job panel's notes about other desktops: who else has this job open (presence), and what others
 * changed on it while this desktop was offline, until dismissed.
 */
export function JobSyncNotes({ bookingId, formatTime }: { bookingId: string; formatTime: (iso: string) => string }) {
  const client = useClient();
  const toast = useToast();
  const { peers } = useSync();
  const [changes, setChanges] = useState<OfflineChange[]>([]);

  const load = useCallback(async () => {
    const r = await client.request('sync:listOfflineChanges', { bookingId });
    if (r.ok) setChanges(r.value);
  }, [client, bookingId]);

  useEffect(() => {
    void load();
    return client.on('sync:offlineChangesChanged', ({ bookingIds }) => {
      if (bookingIds.includes(bookingId)) void load();
    });
  }, [client, bookingId, load]);

  const dismiss = async () => {
    const r = await client.request('sync:dismissOfflineChange', { bookingId });
    if (!r.ok) toast(r.error.message, 'error');
    else setChanges([]);
  };

  const viewers = [...new Set(peers.filter((p) => p.openJobId === bookingId).map((p) => p.name))].sort();
  const lost = changes.filter((c) => c.action === CONFLICT_LOST_ACTION).length;
  const by = [...new Set(changes.filter((c) => c.action !== CONFLICT_LOST_ACTION).map((c) => c.by.name))].sort();
  const heading = [by.length > 0 ? offlineChangeText(by) : null, lost > 0 ? lostChangeText(lost) : null].filter(Boolean).join('. ');
  if (viewers.length === 0 && changes.length === 0) return null;
  return (
    <>
      {viewers.length > 0 ? (
        <section className="cl-panel__section sync-note sync-note--presence" data-job-viewers={viewers.join(', ')}>
          <p>{viewersText(viewers)} on another desktop.</p>
        </section>
      ) : null}
      {changes.length > 0 ? (
        <section className="cl-panel__section sync-note sync-note--offline" data-offline-note={by.join(', ')}>
          <p>
            <strong>{heading}.</strong>
          </p>
          <ul>
            {changes.map((c) => (
              <li key={c.entryId} data-offline-change={c.action}>
                <span className="cl-muted">{formatTime(c.at)}</span> {c.by.name}: {c.summary}
              </li>
            ))}
          </ul>
          <button type="button" className="cl-button" data-action="dismiss-offline-change" onClick={() => void dismiss()}>
            Dismiss
          </button>
        </section>
      ) : null}
    </>
  );
}
