import { useEffect } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';

/** Tells the other desktops (awareness, through `sync:setPresence`) which job this console has open. */
export function usePresenceReport(client: BackendClient, openJobId: string | null): void {
  useEffect(() => {
    if (!openJobId) return undefined;
    void client.request('sync:setPresence', { openJobId });
    return () => void client.request('sync:setPresence', { openJobId: null });
  }, [client, openJobId]);
}
