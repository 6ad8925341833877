// Sandboxed preload (bundled to CommonJS: out/preload/index.cjs). Exposes window.crewline.
import { contextBridge, ipcRenderer } from 'electron';

/**
 * Channels the renderer may invoke. Empty until the API contract (DESIGN §6) lands;
 * then this list comes from the contract's runtime allow-list.
 */
const ALLOWED_CHANNELS: readonly string[] = [];

const bridge = {
  invoke(channel: string, arg: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !ALLOWED_CHANNELS.includes(channel)) {
      return Promise.reject(new Error(`crewline: channel not allowed: ${String(channel)}`));
    }
    return ipcRenderer.invoke(channel, arg);
  },
};

export type CrewlineBridge = typeof bridge;

contextBridge.exposeInMainWorld('crewline', bridge);
