import type { CrewlineBridge } from '../../core/api/names';
import type { BackendConnector } from './api/backend-port-channels';

declare global {
  interface Window {
    /** Set by the Electron preload (electron/preload/index.ts); absent in a browser on the web host. */
    readonly crewline?: CrewlineBridge;
    /** Set by the Electron preload: asks main for a MessagePort to the backend's utilityProcess. */
    readonly crewlineBackend?: BackendConnector;
  }
}

export {};
