import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import type { PresencePeer, SyncStatus } from '../../../../core/sync/client-status.ts';
import type { ConsoleClient } from '../../api/types.ts';
import { SyncDialog } from './SyncDialog.tsx';
import './sync.css';

export interface SyncState {
  /** Null until the first answer, or when this host does not sync at all. */
  status: SyncStatus | null;
  /** Other consoles of the organization online now, with the job each has open. */
  peers: PresencePeer[];
  openDialog: () => void;
}

const SyncContext = createContext<SyncState>({ status: null, peers: [], openDialog: () => undefined });

export const useSync = (): SyncState => use(SyncContext);

/**
 * The console's view of the sync client (`sync:getStatus` + `sync:statusChanged`, presence) for every
 * screen, and the one Sync dialog: opened from the header, the Team screen or the desktop menu's "Sync…".
 */
export function SyncProvider({ client, children }: { client: BackendClient; children: ReactNode }) {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [peers, setPeers] = useState<PresencePeer[]>([]);
  const [dialogOpen, setDialogOpen] = useState(false);

  useEffect(() => {
    let live = true;
    const read = () => {
      void client.request('sync:getStatus', {}).then((r) => {
        if (live) setStatus(r.ok ? r.value : null);
      });
      void client.request('sync:getPresence', {}).then((r) => {
        if (live && r.ok) setPeers(r.value);
      });
    };
    read();
    const offs = [
      client.on('sync:statusChanged', (next) => setStatus(next)),
      client.on('sync:presenceChanged', ({ peers: next }) => setPeers(next)),
      client.on('app:menuInvoked', ({ action }) => {
        if (action === 'openSync') setDialogOpen(true);
      }),
    ];
    // The web host's socket may drop: what changed meanwhile is read again once it is back.
    const withConnection = client as Partial<Pick<ConsoleClient, 'onConnectionChange'>>;
    if (withConnection.onConnectionChange) offs.push(withConnection.onConnectionChange((up) => up && read()));
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, [client]);

  const openDialog = useCallback(() => setDialogOpen(true), []);
  const value = useMemo(() => ({ status, peers, openDialog }), [status, peers, openDialog]);
  return (
    <SyncContext value={value}>
      {children}
      {dialogOpen ? <SyncDialog client={client} status={status} onClose={() => setDialogOpen(false)} /> : null}
    </SyncContext>
  );
}
