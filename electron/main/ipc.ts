// What main still answers over IPC (issue 22): the backend's API goes over a MessagePort to its
// utilityProcess (./backend-process.ts); main keeps the requests that need the window that asked
// (printing it), validated against the contract like every other, and hands out backend ports.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { fail, validateRequest, type Result } from '../../core/index';
import { IPC_REQUEST_CHANNEL } from '../../core/api/names';
import { BACKEND_CONNECT_CHANNEL } from '../../renderer/src/api/backend-port-channels';
import { isAppUrl } from './app-url';

/**
 * The preload's allow-list is a courtesy, not the boundary: any frame of any webContents can reach
 * ipcMain. We answer only the app's own page, judged by the URL of the frame that sent the message
 * (`senderFrame`) — not by `event.sender.getURL()`, which names the top-level page even when an embedded
 * frame sent it, nor by anything the message itself claims. It must be a top frame (no iframe, even one
 * showing our own file) showing our index.html (or the dev server's origin under `electron-vite dev`).
 * `senderFrame` is null when the frame navigated away or was destroyed before we looked: refuse.
 */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/**
 * Requests the desktop shell answers itself: printing needs the window that asked, and the updater
 * (./updater.ts) lives in main.
 */
export interface ShellRequests {
  'routeSheets:savePdf': (input: { fileName: string }, sender: WebContents) => Promise<Result<{ path: string | null }>>;
  'updates:getStatus'?: () => Result<unknown>;
  'updates:setFeedUrl'?: (input: { feedUrl: string }) => Result<unknown>;
  'updates:check'?: () => Result<unknown>;
  'updates:restart'?: () => Result<unknown>;
}

/** Registers the shell's request handler and the backend-port request; returns an undo. */
export function registerIpc(shell: ShellRequests, connectBackend: (contents: WebContents) => void): () => void {
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, name: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event)) return fail('forbidden', 'This page may not use the Crewline API');
    // Every argument is checked against the contract before a handler sees it.
    const checked = validateRequest(name, input);
    if (!checked.ok) return checked;
    if (checked.value.name === 'routeSheets:savePdf') {
      return shell['routeSheets:savePdf'](checked.value.input as { fileName: string }, event.sender);
    }
    if (checked.value.name === 'updates:setFeedUrl' && shell['updates:setFeedUrl']) return shell['updates:setFeedUrl'](checked.value.input as { feedUrl: string });
    if (checked.value.name === 'updates:getStatus' && shell['updates:getStatus']) return shell['updates:getStatus']();
    if (checked.value.name === 'updates:check' && shell['updates:check']) return shell['updates:check']();
    if (checked.value.name === 'updates:restart' && shell['updates:restart']) return shell['updates:restart']();
    return fail('unknown_command', `${checked.value.name} goes to the backend over its port, not to the desktop shell`);
  });
  const onConnect = (event: IpcMainEvent) => {
    if (isTrustedSender(event)) connectBackend(event.sender);
  };
  ipcMain.on(BACKEND_CONNECT_CHANNEL, onConnect);
  return () => {
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
    ipcMain.off(BACKEND_CONNECT_CHANNEL, onConnect);
  };
}
