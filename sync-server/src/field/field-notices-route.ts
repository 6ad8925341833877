import type { IncomingMessage } from 'node:http';
import { getBooking } from '../../../core/doc/schedule';
import { fieldNotices, type ToldItem } from '../../../core/field/field-notices';
import { readSettings } from '../../../core/doc/roster';
import { DAY_MS } from '../../../core/time';
import type { Principal } from '../auth/principal';
import { sendJson } from '../http/http-util';
import type { Route } from '../http/router';
import { prepareOrgDocs, withOrgDocs } from '../sync/org-docs';
import type { RoomRegistry } from '../sync/room-registry';

type MaybePromise<T> = T | Promise<T>;

/** How far back the technician page looks for jobs taken from them. */
export const NOTICE_DAYS = 2;

/**
 * `GET /api/field/notices`: the caller's jobs that were cancelled, taken off them or moved after they had
 * been sent them, in the last two days (`core/field/field-notices.ts`), so the phone page says so even to a
 * technician who turned every channel off. Read from the notification worker's log, never from a desktop.
 */
export function fieldNoticesRoute(deps: {
  registry: RoomRegistry;
  // Either may answer later (sign-in checks and the notification store can be asynchronous).
  technician: (req: IncomingMessage) => MaybePromise<Principal & { providerId: string }>;
  told: (orgId: string, providerId: string, sinceMs: number) => MaybePromise<ToldItem[]>;
  now: () => number;
}): Route {
  return {
    pattern: /^\/api\/field\/notices$/,
    methods: {
      GET: async (req, res) => {
        const me = await deps.technician(req);
        const items = await deps.told(me.orgId, me.providerId, deps.now() - NOTICE_DAYS * DAY_MS);
        await prepareOrgDocs(deps.registry, me.orgId);
        const notices = withOrgDocs(deps.registry, me.orgId, (docs) =>
          fieldNotices(items, (id) => getBooking(docs.schedule, id), me.providerId, readSettings(docs.roster)),
        );
        sendJson(res, 200, { notices });
      },
    },
  };
}
