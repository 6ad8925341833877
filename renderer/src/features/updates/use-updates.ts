import { useCallback, useEffect, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import type { UpdateStatus } from '../../../../core/api/updates-contract';
import { request } from '../forms/backend';
import { withState } from './update-view';

/** The updater's status, kept current by `updates:stateChanged` (desktop only; the web host has none). */
export function useUpdates(client: BackendClient): { status: UpdateStatus | null; setStatus: (status: UpdateStatus) => void } {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  useEffect(() => {
    let live = true;
    void request(client, 'updates:getStatus', {}).then((r) => {
      if (live && r.ok) setStatus(r.value);
    });
    const off = client.on('updates:stateChanged', (state) => setStatus((s) => withState(s, state)));
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return { status, setStatus: useCallback((next: UpdateStatus) => setStatus(next), []) };
}
