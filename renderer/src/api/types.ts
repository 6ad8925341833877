import type { BackendClient } from '../../../core/index';

/** What `createClient()` returns: the contract's client plus the connection state the UI may show. */
export interface ConsoleClient extends BackendClient {
  readonly transport: 'ipc' | 'websocket';
  /** False while the WebSocket is down (always true over IPC). */
  readonly connected: boolean;
  /** Called when the connection drops or comes back; after it comes back, re-query what is visible. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  /** Stops reconnecting and answers "Disconnected" to anything still waiting. */
  close(): void;
}
