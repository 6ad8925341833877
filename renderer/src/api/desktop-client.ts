/**
 * The desktop's client (issue 22): API requests and backend events go over a MessagePort straight to the
 * backend's utilityProcess (main never sees them); the shell's own requests (printing the window) and menu
 * events still go through the preload's `window.crewline` to main. The port arrives as a window message
 * from the preload (electron/preload/index.ts); when the backend stops, requests answer "The backend
 * stopped: …" until main hands over a new port. No DOM globals: the window is a parameter.
 */
import type { CrewlineBridge } from '../../../core/api/names';
import type { Result } from '../../../core/index';
import type { BackendConnector, BackendPageMessage } from './backend-port-channels';
import { createPortClient, type ClientPort, type PortClient } from './port-client';

/** What we use of `window`: its message events (the preload's, judged by `source`). */
export interface MessageWindow {
  addEventListener(type: 'message', listener: (event: { source: unknown; data: unknown; ports: readonly unknown[] }) => void): void;
}

/** Requests main answers itself (electron/main/ipc.ts); the rest go to the backend's port. */
const MAIN_REQUESTS = ['routeSheets:savePdf', 'updates:getStatus', 'updates:setFeedUrl', 'updates:check', 'updates:restart'] as const;

export function createDesktopClient(options: { bridge: CrewlineBridge; backend: BackendConnector; window: MessageWindow }): PortClient {
  const { bridge, backend, window: page } = options;
  const client = createPortClient({
    transport: 'ipc',
    // Printing needs the window that asked, and the updater lives in main: main answers these (validated
    // there like every request).
    local: Object.fromEntries(MAIN_REQUESTS.map((name) => [name, (input: unknown) => bridge.request(name, input) as Promise<Result<unknown>>])),
  });
  page.addEventListener('message', (event) => {
    // Only the preload's messages: it posts on this same window (Electron's documented check).
    if (event.source !== page) return;
    const message = event.data as Partial<BackendPageMessage> | null;
    if (message?.crewline === 'backend-port' && event.ports.length === 1) client.attach(event.ports[0] as ClientPort);
    else if (message?.crewline === 'backend-stopped') client.stopped(String((message as { reason?: unknown }).reason ?? 'unknown'));
  });
  backend.connect();
  const on: PortClient['on'] = (event, listener) =>
    // The menu and the updater are main's: their events come over IPC; everything else is the backend's.
    event === 'app:menuInvoked' || event === 'updates:stateChanged' ? bridge.on(event, listener as (payload: unknown) => void) : client.on(event, listener);
  return Object.defineProperties(Object.create(client) as PortClient, { on: { value: on } });
}
