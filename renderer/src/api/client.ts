/**
 * The renderer's only way to the backend (docs/design.md §6). `createClient()` picks the transport: on the desktop
 * a MessagePort to the backend's utilityProcess (./desktop-client.ts, when the preload offers
 * `window.crewlineBackend`), else the preload bridge `window.crewline` (IPC), else the web host's WebSocket at
 * `ws://<location.host>/api`. The rest of the UI sees a `BackendClient` and never knows which.
 *
 * Web host session token: the URL printed by `npm run web` carries `?token=...`. On first load it moves
 * to sessionStorage (so a reload of this tab still works) and leaves the address bar, so it is not left in
 * history, bookmarks or screenshots.
 */
import type { Result } from '../../../core/index';
import type { CrewlineBridge } from '../../../core/api/names';
import type { ConsoleClient } from './types';
import { createWebSocketClient, DISCONNECTED, type SocketConstructor } from './ws-client';
import type { BackendConnector } from './backend-port-channels';
import { createDesktopClient, type MessageWindow } from './desktop-client';

export { DISCONNECTED };
export type { ConsoleClient };

const TOKEN_KEY = 'crewline.sessionToken';

/** The IPC transport: the preload allow-lists names, the main process validates every input. */
export function createIpcClient(bridge: CrewlineBridge): ConsoleClient {
  const request = async (name: Parameters<CrewlineBridge['request']>[0], input: unknown): Promise<Result<unknown>> => {
    try {
      return await bridge.request(name, input);
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
  };
  return {
    transport: 'ipc',
    connected: true,
    request: request as ConsoleClient['request'],
    on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
    onConnectionChange: () => () => undefined,
    close: () => undefined,
  };
}

/** A client that answers every request with `error` (no backend reachable from this page). */
function unavailableClient(message: string): ConsoleClient {
  return {
    transport: 'websocket',
    connected: false,
    request: (() => Promise.resolve({ ok: false, error: { code: 'forbidden', message } })) as ConsoleClient['request'],
    on: () => () => undefined,
    onConnectionChange: () => () => undefined,
    close: () => undefined,
  };
}

/** Reads the web host's token from `?token=` (then hides it) or from this tab's sessionStorage. */
export function takeSessionToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    } catch {
      // storage disabled: the token still works for this page load
    }
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export interface CreateClientOptions {
  /** Defaults to `window.crewline` (Electron); when absent the WebSocket transport is used. */
  bridge?: CrewlineBridge;
  /** Defaults to `window.crewlineBackend` (Electron): the backend is then reached over a MessagePort. */
  backend?: BackendConnector;
  /** Defaults to the page's global WebSocket. */
  WebSocket?: SocketConstructor;
  /** Defaults to `ws(s)://<location.host>/api?token=<session token>`. */
  url?: string;
}

export function createClient(options: CreateClientOptions = {}): ConsoleClient {
  const bridge = options.bridge ?? (typeof window !== 'undefined' ? window.crewline : undefined);
  const backend = options.backend ?? (typeof window !== 'undefined' ? window.crewlineBackend : undefined);
  if (bridge && backend) return createDesktopClient({ bridge, backend, window: window as unknown as MessageWindow });
  if (bridge) return createIpcClient(bridge);
  let url = options.url;
  if (url === undefined) {
    const token = takeSessionToken();
    if (!token) return unavailableClient('No session token: open the address printed by `npm run web`.');
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    url = `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  }
  return createWebSocketClient({ url, WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as SocketConstructor) });
}
