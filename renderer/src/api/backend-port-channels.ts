/**
 * The desktop's backend connection (issue 22): main hands the page a MessagePort to the backend's
 * utilityProcess. Plain data only, so the sandboxed preload can import it.
 *
 * Page -> preload: `window.crewlineBackend.connect()` asks main for a port (BACKEND_CONNECT_CHANNEL).
 * Main -> preload: the port (BACKEND_PORT_CHANNEL, in `event.ports`), or the backend's state
 * (BACKEND_STATE_CHANNEL). Preload -> page: `window.postMessage(message, '*', ports)` with a
 * `{crewline: 'backend-port'}` or `{crewline: 'backend-stopped', reason}` message, as Electron's docs show
 * for handing a MessagePort from a sandboxed preload to the page.
 */
export const BACKEND_CONNECT_CHANNEL = 'crewline:backend-connect';
export const BACKEND_PORT_CHANNEL = 'crewline:backend-port';
export const BACKEND_STATE_CHANNEL = 'crewline:backend-state';

export type BackendPageMessage = { crewline: 'backend-port' } | { crewline: 'backend-stopped'; reason: string };

/** What the preload exposes as `window.crewlineBackend`. */
export interface BackendConnector {
  connect(): void;
}
