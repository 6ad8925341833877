// The Electron transport of the one API contract (DESIGN §6, §11): one invoke channel for every request,
// one send channel for every event. The web host's WebSocket (electron/backend/transport) is the other.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { fail, validateRequest, type Result } from '../../core/index';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../../core/api/names';
import type { BackendApi } from '../backend/api/backend-api';
import { isAppUrl } from './app-url';

/**
 * The preload's allow-list is a courtesy, not the boundary: any frame of any webContents can reach
 * ipcMain. We answer only the app's own page, judged by the URL of the frame that sent the message
 * (`senderFrame`) — not by `event.sender.getURL()`, which names the top-level page even when an embedded
 * frame sent it, nor by anything the message itself claims. It must be a top frame (no iframe, even one
 * showing our own file) showing our index.html (or the dev server's origin under `electron-vite dev`).
 * `senderFrame` is null when the frame navigated away or was destroyed before we looked: refuse.
 */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/**
 * Requests the desktop shell answers itself instead of the backend, because they need the window that
 * asked (printing it). Validated against the contract like every other request.
 */
export interface ShellRequests {
  'routeSheets:savePdf': (input: { fileName: string }, sender: WebContents) => Promise<Result<{ path: string | null }>>;
}

/** Registers the request handler and forwards backend events to the app's windows; returns an undo. */
export function registerIpc(api: BackendApi, shell?: ShellRequests): () => void {
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, name: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event)) return fail('forbidden', 'This page may not use the Crewline API');
    // Every argument is checked against the contract before a handler sees it.
    const checked = validateRequest(name, input);
    if (!checked.ok) return checked;
    if (shell && checked.value.name === 'routeSheets:savePdf') {
      return shell['routeSheets:savePdf'](checked.value.input as { fileName: string }, event.sender);
    }
    return api.handle(checked.value.name, checked.value.input);
  });
  const unsubscribe = api.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const contents = win.webContents;
      if (contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
      contents.send(IPC_EVENT_CHANNEL, name, payload);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
  };
}
