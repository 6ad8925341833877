import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRosterInitialized, toMs, type Actor } from '../../core/index';
import { systemClock, todayIn, type Clock } from '../../core/clock';
import { createDemoCompany, DEMO_TIME_ZONE, type DemoCompanySummary } from '../../core/demo/demo-company';
import { LocalStore } from './store/local-store';

export const WORKSPACE_FILE = 'workspace.sqlite';

/** The desktop user before anyone signs in to a sync server: the workspace's own administrator. */
export const LOCAL_ADMIN: Actor = { id: 'local-admin', name: 'Local dispatcher', role: 'admin' };
const DEMO_SEEDER: Actor = { id: 'demo-seed', name: 'Demo data', role: 'admin' };

export interface OpenWorkspaceOptions {
  dataDir: string;
  actor?: Actor;
  /** Fill an empty workspace with the demo company (first start). */
  seedDemo?: boolean;
  /** The demo's "today"; defaults to the clock's date in the demo company's zone. */
  demoDate?: string;
  /** What time it is (default: the system's). */
  clock?: Clock;
}

export interface OpenedWorkspace {
  store: LocalStore;
  /** Set when this call created the demo company. */
  demo: DemoCompanySummary | null;
}

export function openWorkspace(options: OpenWorkspaceOptions): OpenedWorkspace {
  mkdirSync(options.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  // The demo generator moves this clock so seeded history carries plausible times; null means the clock's.
  let seedClock: number | null = null;
  const store = LocalStore.open(join(options.dataDir, WORKSPACE_FILE), {
    actor: options.actor ?? LOCAL_ADMIN,
    clock: () => seedClock ?? clock(),
  });
  let demo: DemoCompanySummary | null = null;
  // A workspace linked to a sync server holds its organization's data, however empty: never seed it.
  if (options.seedDemo && !store.syncLink.linked && !isRosterInitialized(store.docs.roster)) {
    const anchorDate = options.demoDate ?? todayIn(clock, DEMO_TIME_ZONE);
    demo = store.batch(() =>
      createDemoCompany((name, input, actor) => store.execute(name, input, actor ?? DEMO_SEEDER), {
        anchorDate,
        setNow: (instant) => {
          seedClock = toMs(instant);
        },
        technicianActors: true,
      }),
    );
    seedClock = null;
    // The user did not make these edits; Ctrl+Z must not start unpicking the demo company.
    store.clearUndoHistory();
  }
  return { store, demo };
}
