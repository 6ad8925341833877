import { useSyncExternalStore } from 'react';
import type { BackendClient, WorkspaceStatus } from '../../../../core/api/contract';

/**
 * What the workspace holds (empty, the demo, a company), outside React: the app chooses between the
 * first-run screen and the console with it, and the navigation shows the demo badge. `unknown` until the
 * backend answers; a host that cannot tell (no first-run support) counts as holding a company.
 */
export type StatusView = WorkspaceStatus | { state: 'unknown' };

export interface WorkspaceStatusStore {
  get(): StatusView;
  set(status: WorkspaceStatus): void;
  load(client: Pick<BackendClient, 'request'>): Promise<void>;
  subscribe(listener: () => void): () => void;
}

const HOLDS_A_COMPANY: WorkspaceStatus = { state: 'company', demoName: null, linked: false, updateRequired: null };

export function createWorkspaceStatusStore(): WorkspaceStatusStore {
  let status: StatusView = { state: 'unknown' };
  const listeners = new Set<() => void>();
  const set = (next: StatusView) => {
    status = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    get: () => status,
    set,
    async load(client) {
      try {
        const answer = await client.request('workspace:getStatus', {});
        set(answer.ok ? answer.value : HOLDS_A_COMPANY);
      } catch {
        set(HOLDS_A_COMPANY);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const workspaceStatus = createWorkspaceStatusStore();

export const useWorkspaceStatus = (): StatusView => useSyncExternalStore(workspaceStatus.subscribe, workspaceStatus.get);
