import type { CrewlineBridge } from '../../core/api/names';

declare global {
  interface Window {
    /** Set by the Electron preload (electron/preload/index.ts); absent in a browser on the web host. */
    readonly crewline?: CrewlineBridge;
  }
}

export {};
