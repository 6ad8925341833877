// Sandboxed preload (bundled to CommonJS: out/preload/index.cjs). Exposes window.crewline.
// It imports only core/api/names.ts (plain arrays, no zod): the bundle stays a few hundred bytes.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, REQUEST_NAMES, type CrewlineBridge } from '../../core/api/names';

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

contextBridge.exposeInMainWorld('crewline', bridge);
