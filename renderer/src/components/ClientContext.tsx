import { createContext, use, type ReactNode } from 'react';
import type { BackendClient } from '../../../core/api/contract.ts';

/** The one backend client (IPC or WebSocket: the renderer never knows which), provided to every screen. */
export const ClientContext = createContext<BackendClient | null>(null);

export function ClientProvider({ client, children }: { client: BackendClient; children: ReactNode }) {
  return <ClientContext value={client}>{children}</ClientContext>;
}

export function useClient(): BackendClient {
  const client = use(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientProvider>');
  return client;
}
