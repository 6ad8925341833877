// The desktop updater's requests (issue 22), spread into REQUESTS (contract.ts). Main answers them
// (electron/main/update-ipc.ts); the backend, and so the web host, answers that it has no updater
// (electron/backend/api/updates-api.ts), and the console then hides the update UI.
import { z } from 'zod';
import { normalizeFeedUrl } from '../updates/feed-url';
import type { UpdateState } from '../updates/update-state';

export interface UpdateStatus {
  /** False on the web host (and an unpackaged desktop build): no updater, no update UI. */
  supported: boolean;
  /** The feed URL saved on this machine, null for the build's own. */
  feedUrl: string | null;
  /** Set when CREWLINE_UPDATE_FEED_URL overrides the saved one (IT's policy wins; the form says so). */
  environmentFeedUrl: string | null;
  state: UpdateState;
}

const request =
  <O>() =>
  <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });

/** Empty: back to the build's URL; otherwise an https (or this machine's http) folder URL. */
const feedUrl = z
  .string()
  .max(2000, 'At most 2000 characters')
  .superRefine((value, ctx) => {
    if (value.trim() === '') return;
    const normalized = normalizeFeedUrl(value);
    if (!normalized.ok) ctx.addIssue({ code: 'custom', message: normalized.error });
  });

export const UPDATE_REQUESTS = {
  'updates:getStatus': request<UpdateStatus>()(z.object({})),
  /** Saves the feed URL in <user data>/update-settings.json; the next check uses it. */
  'updates:setFeedUrl': request<UpdateStatus>()(z.object({ feedUrl })),
  /** Help → Check for updates, and the Settings button. Answers at once; progress comes as events. */
  'updates:check': request<UpdateStatus>()(z.object({})),
  /** "Restart to update": quits and installs the downloaded update (refused when none is ready). */
  'updates:restart': request<{ restarting: boolean }>()(z.object({})),
} as const;

export type UpdateEventPayloads = { 'updates:stateChanged': UpdateState };
