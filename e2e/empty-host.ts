import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WORKSPACE_FILE } from '../electron/backend/workspace';
import { DEMO_NOW } from './demo-clock';
import { spawnWebHost } from './web-host-process';

export interface EmptyHost {
  url: string;
  dataDir: string;
  /** Read-only view of the workspace file: what the store really committed. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  dispose(): Promise<void>;
}

/** `npm run web -- --empty` on a fresh folder, at the demo's clock: the desktop's first start. */
export async function startEmptyHost(name: string): Promise<EmptyHost> {
  const dataDir = mkdtempSync(join(tmpdir(), `crewline-e2e-${name}-`));
  const { url, stop } = await spawnWebHost({ args: ['--data-dir', dataDir, '--empty'], now: DEMO_NOW });
  let db: Database.Database | null = null;
  return {
    url,
    dataDir,
    query: <T>(sql: string, ...params: unknown[]) => {
      db ??= new Database(join(dataDir, WORKSPACE_FILE), { readonly: true, fileMustExist: true });
      return db.prepare(sql).all(...params) as T[];
    },
    dispose: async () => {
      db?.close();
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
