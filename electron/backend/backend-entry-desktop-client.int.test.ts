// The desktop renderer's client (renderer/src/api/desktop-client.ts) under Node, against the backend in a
// worker_threads Worker: the port arrives as a window message from "the preload" (here the test, posting
// on the same window as the preload does), menu events and printing go through the bridge, a stop is shown
// and a new port after a restart brings the client back.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrewlineBridge } from '../../core/api/names';
import { createDesktopClient, type MessageWindow } from '../../renderer/src/api/desktop-client';
import { startBackendWorker } from './backend-entry-remote';
import { tempDir } from './store/testing/temp-dir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A window whose message listeners get what `post` sends, with `source` as a real window message has. */
type FakeWindow = MessageWindow & { post(data: unknown, ports?: unknown[], source?: unknown): void };
function fakeWindow(): FakeWindow {
  const listeners: Array<Parameters<MessageWindow['addEventListener']>[1]> = [];
  const win: FakeWindow = {
    addEventListener: (_type: 'message', listener: Parameters<MessageWindow['addEventListener']>[1]) => listeners.push(listener),
    post: (data: unknown, ports: unknown[] = [], source: unknown = win) => listeners.forEach((l) => l({ source, data, ports })),
  };
  return win;
}

describe('desktop client over a MessagePort', () => {
  it('waits for the port, serves the contract, routes printing and menu events to the shell, shows a stop', async () => {
    const tmp = tempDir();
    const backend = startBackendWorker({ dataDir: tmp.dir, version: 'test', transport: 'ipc' });
    cleanups.push(async () => {
      await backend.close();
      tmp.cleanup();
    });
    const shellCalls: string[] = [];
    const menuListeners: Array<(payload: unknown) => void> = [];
    const bridgeEvents: string[] = [];
    const bridge: CrewlineBridge = {
      request: (name) => {
        shellCalls.push(name);
        return Promise.resolve({ ok: true, value: { path: '/tmp/sheets.pdf' } });
      },
      on: (event, listener) => {
        bridgeEvents.push(event);
        menuListeners.push(listener);
        return () => undefined;
      },
    };
    const win = fakeWindow();
    let connects = 0;
    const client = createDesktopClient({ bridge, backend: { connect: () => void connects++ }, window: win });
    cleanups.push(() => client.close());
    expect(connects).toBe(1);
    expect(client.connected).toBe(false);

    // Asked before the port is there: waits for it.
    const early = client.request('workspace:getStatus', {});
    // A message from another source (an iframe, another window) is not the preload's: ignored.
    const stray = new MessageChannel();
    win.post({ crewline: 'backend-port' }, [stray.port2], {});
    cleanups.push(() => stray.port1.close());
    expect(client.connected).toBe(false);
    win.post({ crewline: 'backend-port' }, [backend.connect()]);
    expect(client.connected).toBe(true);
    const status = await early;
    expect(status.ok && status.value.state).toBe('empty');
    expect(client.transport).toBe('ipc');

    const printed = await client.request('routeSheets:savePdf', { fileName: 'sheets.pdf' });
    expect(printed.ok).toBe(true);
    expect(shellCalls).toEqual(['routeSheets:savePdf']);
    const menu: unknown[] = [];
    client.on('app:menuInvoked', (payload) => menu.push(payload));
    menuListeners.forEach((l) => l({ action: 'save' }));
    expect(menu).toEqual([{ action: 'save' }]);
    // The updater is main's too: its requests and its state events go through the bridge, not the backend.
    await client.request('updates:check', {});
    expect(shellCalls).toEqual(['routeSheets:savePdf', 'updates:check']);
    client.on('updates:stateChanged', () => undefined);
    client.on('schedule:changed', () => undefined);
    expect(bridgeEvents).toEqual(['app:menuInvoked', 'updates:stateChanged']);

    win.post({ crewline: 'backend-stopped', reason: 'the backend process exited (code 9)' });
    expect(client.connected).toBe(false);
    const stopped = await client.request('settings:get', {});
    expect(!stopped.ok && stopped.error.message).toBe('The backend stopped: the backend process exited (code 9)');
    win.post({ crewline: 'backend-port' }, [backend.connect()]);
    expect(client.connected).toBe(true);
    expect((await client.request('settings:get', {})).ok).toBe(true);
  });
});
