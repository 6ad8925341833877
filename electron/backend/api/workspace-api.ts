import { fail, ok, type Handlers, type RequestName } from '../../../core/index';
import { join } from 'node:path';
import type { WorkspaceBackups } from '../store/workspace-backup';
import type { WorkspaceSetup } from '../workspace';

type WorkspaceRequestName = Extract<RequestName, `workspace:${string}`>;

/** First run over the host's WorkspaceSetup (electron/backend/workspace.ts); a host without one refuses. */
export function workspaceHandlers(setup: WorkspaceSetup | null, backups: WorkspaceBackups): Pick<Handlers, WorkspaceRequestName> {
  const unavailable = () => fail('unavailable', 'This console cannot set up its workspace');
  return {
    'workspace:getStatus': () => (setup ? ok(setup.status()) : unavailable()),
    'workspace:startDemo': () => {
      if (!setup) return unavailable();
      const seeded = setup.startDemo();
      return seeded.ok ? ok({ status: setup.status() }) : seeded;
    },
    'workspace:setUpCompany': (input) => {
      if (!setup) return unavailable();
      const done = setup.setUpCompany(input);
      return done.ok ? ok({ status: done.value }) : done;
    },
    'workspace:startMyCompany': () => (setup ? setup.startMyCompany(() => join(backups.dir, backups.create('manual').name)) : unavailable()),
  };
}
