import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import { WORKSPACE_FILE } from '../electron/backend/workspace';
import { DEMO_NOW } from './demo-clock';
import { expect, type Host } from './fixtures';
import type { SyncServerProcess } from './sync-server-process';
import { spawnWebHost } from './web-host-process';

/**
 * Desktops for the sync specs: web hosts, each on its own workspace (the demo company on first start),
 * that can be stopped and started again on the same files — a desktop closed while others work on.
 */
export interface SyncHost extends Host {
  /** Stops the host process; the workspace and its token stay. */
  stop(): Promise<void>;
  /** Starts it again on the same data dir (a new address and session token). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openSyncHost(name: string): Promise<SyncHost> {
  const dataDir = mkdtempSync(join(tmpdir(), `crewline-e2e-${name}-`));
  let db: Database.Database | null = null;
  let stopHost: (() => Promise<void>) | null = null;
  const host: SyncHost = {
    url: '',
    dataDir,
    query: <T>(sql: string, ...params: unknown[]) => {
      db ??= new Database(join(dataDir, WORKSPACE_FILE), { readonly: true, fileMustExist: true });
      return db.prepare(sql).all(...params) as T[];
    },
    scheduleDoc: () => {
      throw new Error('not used by the sync specs');
    },
    async stop() {
      db?.close();
      db = null;
      await stopHost?.();
      stopHost = null;
    },
    async start() {
      const started = await spawnWebHost({ args: ['--data-dir', dataDir], now: DEMO_NOW });
      host.url = started.url;
      stopHost = started.stop;
    },
    async dispose() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await host.start();
  return host;
}

export const syncIndicator = (page: Page) => page.locator('[data-sync-indicator]');
export const syncDialog = (page: Page) => page.locator('[data-dialog="sync"]');

/** Opens the Sync dialog from the header and submits the sign-in form; returns the dialog. */
export async function signInThroughUi(page: Page, server: Pick<SyncServerProcess, 'url'>, email: string, password: string): Promise<Locator> {
  if (!(await syncDialog(page).isVisible())) await syncIndicator(page).click();
  const dialog = syncDialog(page);
  const form = dialog.locator('[data-form="sync-sign-in"]');
  await expect(form).toBeVisible();
  await form.locator('input[name="serverUrl"]').fill(server.url);
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('[data-action="sign-in"]').click();
  return dialog;
}

/** Waits until the header says the state (and, if given, the exact pending count). */
export async function expectSyncState(page: Page, state: string, pending?: number, timeout = 20_000): Promise<void> {
  await expect(syncIndicator(page)).toHaveAttribute('data-sync-state', state, { timeout });
  if (pending !== undefined) await expect(syncIndicator(page)).toHaveAttribute('data-sync-pending', String(pending), { timeout });
}

/** The pending actions the workspace file holds: what the header's N must equal. */
export const pendingInStore = (host: Host) => host.query<{ n: number }>('SELECT count(DISTINCT action) AS n FROM sync_pending')[0]!.n;
