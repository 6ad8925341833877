import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { test as base, expect } from '@playwright/test';
import { buildStore } from '../bench/fixtures';
import { WORKSPACE_FILE } from '../electron/backend/workspace';
import { DEMO_NOW } from './demo-clock';
import { spawnWebHost } from './web-host-process';

export { DEMO_DATE, DEMO_NOW } from './demo-clock';

export interface Host {
  url: string;
  dataDir: string;
  /** Read-only view of the workspace file: what the store really committed. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** The schedule document as committed to the file (snapshot + update log), decoded with Yjs. */
  scheduleDoc(): Y.Doc;
}

/** What the workspace holds when the host starts: the demo company, or a generated large schedule. */
export type Seed = 'demo' | { providers: number; bookings: number; startDate: string; days: number };

/** Starts `npm run web`'s entry as a child on a fresh workspace and waits for the URL it prints. */
async function startHost(seed: Seed): Promise<{ host: Host; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crewline-e2e-'));
  if (seed !== 'demo') {
    // Built through the real command path; the host then opens a non-empty workspace and seeds nothing.
    buildStore(join(dataDir, WORKSPACE_FILE), seed).store.close();
  }
  const { url, stop: stopHost } = await spawnWebHost({ args: ['--data-dir', dataDir], now: DEMO_NOW });
  const db = new Database(join(dataDir, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  const host: Host = {
    url,
    dataDir,
    query: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    scheduleDoc: () => {
      const parts = [
        ...(db.prepare("SELECT data FROM doc_snapshots WHERE doc = 'schedule'").pluck().all() as Buffer[]),
        ...(db.prepare("SELECT data FROM doc_updates WHERE doc = 'schedule' ORDER BY id").pluck().all() as Buffer[]),
      ];
      const doc = new Y.Doc();
      for (const part of parts) Y.applyUpdate(doc, new Uint8Array(part));
      return doc;
    },
  };
  return {
    host,
    stop: async () => {
      db.close();
      await stopHost();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ host: Host; seed: Seed }>({
  seed: ['demo', { option: true }],
  host: async ({ seed }, use) => {
    const { host, stop } = await startHost(seed);
    await use(host);
    await stop();
  },
});

export { expect };
