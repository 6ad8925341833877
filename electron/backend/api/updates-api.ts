import { fail, ok, type Handlers } from '../../../core/index';
import { INITIAL_UPDATE_STATE } from '../../../core/updates/update-state';
import type { UpdateStatus } from '../../../core/api/updates-contract';

/**
 * The updater's requests as the backend answers them (issue 22). The desktop's main process answers them
 * itself (electron/main/update-ipc.ts, routed by renderer/src/api/desktop-client.ts), so only the web host
 * reaches these: it has no updater (its server is updated like any server), and says so. `updates:getStatus`
 * answers `supported: false`, which is how the console knows to hide the update UI.
 */
export const NO_UPDATER: UpdateStatus = { supported: false, feedUrl: null, environmentFeedUrl: null, state: INITIAL_UPDATE_STATE };
const REASON = 'Updates are part of the desktop app; the web host is updated with the server that runs it';

export function updateHandlers(): Pick<Handlers, 'updates:getStatus' | 'updates:setFeedUrl' | 'updates:check' | 'updates:restart'> {
  return {
    'updates:getStatus': () => ok(NO_UPDATER),
    'updates:setFeedUrl': () => fail('forbidden', REASON),
    'updates:check': () => fail('forbidden', REASON),
    'updates:restart': () => fail('forbidden', REASON),
  };
}
