// Sandboxed preload (bundled to CommonJS: out/preload/index.cjs). Exposes window.crewline (the desktop
// shell: printing, menu events) and window.crewlineBackend (asks main for a MessagePort to the backend's
// utilityProcess, which arrives as a window message: renderer/src/api/desktop-client.ts).
// It imports only plain-data modules (no zod): the bundle stays a few hundred bytes.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, REQUEST_NAMES, type CrewlineBridge } from '../../core/api/names';
import {
  BACKEND_CONNECT_CHANNEL,
  BACKEND_PORT_CHANNEL,
  BACKEND_STATE_CHANNEL,
  type BackendConnector,
  type BackendPageMessage,
} from '../../renderer/src/api/backend-port-channels';

const requests: ReadonlySet<string> = new Set(REQUEST_NAMES);
const events: ReadonlySet<string> = new Set(EVENT_NAMES);

const bridge: CrewlineBridge = {
  // Only contract names pass; the main process checks the sender and validates `input` again.
  request(name, input) {
    if (!requests.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_command', message: `Unknown request ${String(name).slice(0, 64)}` } });
    }
    return ipcRenderer.invoke(IPC_REQUEST_CHANNEL, name, input);
  },
  on(event, listener) {
    if (!events.has(event)) throw new Error(`crewline: unknown event ${String(event).slice(0, 64)}`);
    // The IpcRendererEvent (with its `sender`) never reaches the page: only the payload does.
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

// The preload runs in the page's renderer (DOM), but is type-checked with the Node-side code (no DOM lib).
const page = globalThis as unknown as { postMessage(message: unknown, targetOrigin: string, transfer: readonly unknown[]): void };
const post = (message: BackendPageMessage, ports: readonly unknown[] = []) => page.postMessage(message, '*', ports);
// A MessagePort cannot cross contextBridge; window.postMessage with a transfer list can (Electron's docs).
ipcRenderer.on(BACKEND_PORT_CHANNEL, (event) => {
  if (event.ports.length === 1) post({ crewline: 'backend-port' }, event.ports);
});
ipcRenderer.on(BACKEND_STATE_CHANNEL, (_event, state: unknown) => {
  const reason = (state as { reason?: unknown } | null)?.reason;
  post({ crewline: 'backend-stopped', reason: typeof reason === 'string' ? reason.slice(0, 500) : 'unknown' });
});
const backend: BackendConnector = {
  connect: () => ipcRenderer.send(BACKEND_CONNECT_CHANNEL),
};

contextBridge.exposeInMainWorld('crewline', bridge);
contextBridge.exposeInMainWorld('crewlineBackend', backend);
