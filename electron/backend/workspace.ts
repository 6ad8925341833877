import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { fail, isRosterInitialized, ok, toMs, type Actor, type Result } from '../../core/index';
import { systemClock, todayIn, type Clock } from '../../core/clock';
import { createDemoCompany, DEMO_COMPANY_NAME, DEMO_TIME_ZONE, type DemoCompanySummary } from '../../core/demo/demo-company';
import { newerFormatRefusal } from '../../core/doc/schema-version';
import type { CompanySetup, WorkspaceStatus } from '../../core/api/contract';
import { LocalStore, type LocalStoreOptions } from './store/local-store';
import { DOC_NAMES, type DocName } from './store/doc-log';
import { clearDemoMark, readDemoMark, writeDemoMark } from './store/demo-mark';

export const WORKSPACE_FILE = 'workspace.sqlite';

/** The desktop user before anyone signs in to a sync server: the workspace's own administrator. */
export const LOCAL_ADMIN: Actor = { id: 'local-admin', name: 'Local dispatcher', role: 'admin' };
const DEMO_SEEDER: Actor = { id: 'demo-seed', name: 'Demo data', role: 'admin' };

export interface OpenWorkspaceOptions {
  dataDir: string;
  actor?: Actor;
  /** Fill an empty workspace with the demo company (`npm run web`; the desktop asks instead). */
  seedDemo?: boolean;
  /** The demo's "today"; defaults to the clock's date in the demo company's zone. */
  demoDate?: string;
  /** What time it is (default: the system's). */
  clock?: Clock;
  /** Compaction off the backend thread, and what to do when it fails (LocalStoreOptions). */
  compaction?: Pick<LocalStoreOptions, 'compactor' | 'onCompaction' | 'compactEvery'>;
  /** The document format this app knows (LocalStoreOptions; tests play an older or newer desktop). */
  knownDocFormat?: number;
}

export interface OpenedWorkspace {
  store: LocalStore;
  /** Set when this call created the demo company. */
  demo: DemoCompanySummary | null;
  /** First run, the demo and "Start my company" (the `workspace:*` requests). */
  setup: WorkspaceSetup;
}

/**
 * What a workspace holds, and the first-run steps that change it: an empty workspace (nothing set up, not
 * linked to a server) asks for the demo company or the user's own; the demo can be swapped for an empty
 * workspace in one step. A workspace linked to a sync server holds its organization's data, however empty:
 * it is never "empty" here and never seeded.
 */
export class WorkspaceSetup {
  constructor(
    private readonly store: LocalStore,
    private readonly seed: (anchorDate?: string) => DemoCompanySummary,
  ) {}

  status(): WorkspaceStatus {
    const mark = readDemoMark(this.store.db);
    const linked = this.store.syncLink.linked;
    // The roster alone: asking what the workspace holds must not wait for the schedule document to decode.
    const roster = this.store.rosterDoc;
    const state = mark ? 'demo' : !linked && !isRosterInitialized(roster) ? 'empty' : 'company';
    return { state, demoName: mark?.name ?? null, linked, updateRequired: newerFormatRefusal(roster, this.store.knownDocFormat)?.error.message ?? null };
  }

  startDemo(anchorDate?: string): Result<DemoCompanySummary> {
    if (this.status().state !== 'empty') return fail('conflict', 'This workspace already holds a company: the demo goes only into an empty one');
    return ok(this.seed(anchorDate));
  }

  /** The organization's first settings, by the workspace's own administrator. */
  setUpCompany(input: CompanySetup): Result<WorkspaceStatus> {
    if (this.status().state !== 'empty') return fail('conflict', 'This workspace is already set up');
    const done = this.store.execute('initializeOrganization', input);
    return done.ok ? ok(this.status()) : done;
  }

  /**
   * Removes the demo company: the workspace is backed up first (`backUp` answers where: a backup the
   * Backups list offers to restore), then its documents are replaced by empty ones in one transaction
   * (staged edits and undo history go with them).
   */
  startMyCompany(backUp: () => string): Result<{ backupPath: string; status: WorkspaceStatus }> {
    const mark = readDemoMark(this.store.db);
    if (!mark) return fail('conflict', 'This workspace does not hold the demo company: nothing to remove');
    const link = this.store.syncLink.get();
    if (link) {
      return fail(
        'conflict',
        `The demo data was uploaded to ${link.serverUrl} and is that organization's schedule now: removing it here would not remove it there. Sign out of sync first.`,
      );
    }
    const backupPath = backUp();
    const empty = Object.fromEntries(DOC_NAMES.map((name) => [name, Y.encodeStateAsUpdate(new Y.Doc())])) as Record<DocName, Uint8Array>;
    this.store.replaceDocuments(empty);
    clearDemoMark(this.store.db);
    return ok({ backupPath, status: this.status() });
  }
}

export function openWorkspace(options: OpenWorkspaceOptions): OpenedWorkspace {
  mkdirSync(options.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  // The demo generator moves this clock so seeded history carries plausible times; null means the clock's.
  let seedClock: number | null = null;
  const store = LocalStore.open(join(options.dataDir, WORKSPACE_FILE), {
    actor: options.actor ?? LOCAL_ADMIN,
    clock: () => seedClock ?? clock(),
    stampClock: clock,
    ...options.compaction,
    ...(options.knownDocFormat !== undefined ? { knownDocFormat: options.knownDocFormat } : {}),
  });
  const seed = (anchorDate = todayIn(clock, DEMO_TIME_ZONE)): DemoCompanySummary => {
    const seededAt = new Date(clock()).toISOString();
    try {
      const summary = store.batch(() =>
        createDemoCompany((name, input, actor) => store.execute(name, input, actor ?? DEMO_SEEDER), {
          anchorDate,
          setNow: (instant) => {
            seedClock = toMs(instant);
          },
          technicianActors: true,
        }),
      );
      writeDemoMark(store.db, { name: DEMO_COMPANY_NAME, seededAt });
      return summary;
    } finally {
      seedClock = null;
      // The user did not make these edits; Ctrl+Z must not start unpicking the demo company.
      store.clearUndoHistory();
    }
  };
  const setup = new WorkspaceSetup(store, seed);
  const demo = options.seedDemo && setup.status().state === 'empty' ? seed(options.demoDate) : null;
  return { store, demo, setup };
}
