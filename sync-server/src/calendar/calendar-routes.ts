import type { IncomingMessage, ServerResponse } from 'node:http';
import { getProvider } from '../../../core/doc/roster';
import { ID_PATTERN } from '../../../core/ids';
import type { Authenticator, Principal } from '../auth/principal';
import { HttpError, sendJson } from '../http/http-util';
import { createRouter, requirePrincipal, type Route } from '../http/router';
import { prepareOrgDocs, withOrgDocs } from '../sync/org-docs';
import type { RoomRegistry } from '../sync/room-registry';
import { buildCalendarFeed } from './calendar-feed';
import type { CalendarFeedStore, CalendarFeedToken } from './feed-store';

/**
 * Calendar feeds (docs/design.md §7): `GET /api/calendar/<feedToken>.ics` for calendar apps (the token is the
 * credential: no sign-in), and `GET/POST /api/admin/providers/<providerId>/calendar-feed` for admins and
 * dispatchers to read a provider's feed address (made on first ask) or replace it with a new one.
 */

export const feedPath = (token: string): string => `/api/calendar/${token}.ics`;

export interface CalendarRoutesOptions {
  registry: RoomRegistry;
  auth: Authenticator;
  feeds: CalendarFeedStore;
  now?: () => number;
}

const noFeed = () => new HttpError(404, 'not_found', 'No calendar feed at this address (it may have been replaced)');

export function createCalendarRoutes({ registry, auth, feeds, now = Date.now }: CalendarRoutesOptions) {
  const office = async (req: IncomingMessage): Promise<Principal> => {
    const principal = await requirePrincipal(req, auth);
    if (principal.role !== 'admin' && principal.role !== 'dispatcher') {
      throw new HttpError(403, 'forbidden', 'Only admins and dispatchers manage calendar feeds');
    }
    return principal;
  };

  /** A provider of the caller's organization, from the path; anything else is 404. */
  const providerOf = async (principal: Principal, params: readonly string[]): Promise<string> => {
    const id = params[0] ?? '';
    await prepareOrgDocs(registry, principal.orgId);
    const exists = ID_PATTERN.test(id) && withOrgDocs(registry, principal.orgId, (docs) => getProvider(docs.roster, id) !== undefined);
    if (!exists) throw new HttpError(404, 'not_found', 'No such service provider in your organization');
    return id;
  };

  const describe = (req: IncomingMessage, feed: CalendarFeedToken) => {
    const path = feedPath(feed.token);
    const host = req.headers.host;
    // The address as the caller reached this server; behind a TLS proxy the console builds its own from
    // the server address it signed in to.
    return { providerId: feed.providerId, path, url: host ? `http://${host}${path}` : path, createdAt: feed.createdAt };
  };

  const serveFeed = (head: boolean) => async (req: IncomingMessage, res: ServerResponse, params: readonly string[]) => {
    const owner = await feeds.lookup(params[0] ?? '');
    if (!owner) throw noFeed();
    await prepareOrgDocs(registry, owner.orgId);
    const text = withOrgDocs(registry, owner.orgId, (docs) => buildCalendarFeed(docs, owner.providerId, now()));
    res.writeHead(200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Content-Disposition': 'inline; filename="crewline-jobs.ics"',
      // Calendar apps poll; every answer is fresh, and shared caches must not keep a secret feed.
      'Cache-Control': 'private, no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(head ? undefined : text);
  };

  const routes: Route[] = [
    {
      pattern: /^\/api\/calendar\/([^/]+)\.ics$/,
      methods: { GET: serveFeed(false), HEAD: serveFeed(true) },
    },
    {
      pattern: /^\/api\/admin\/providers\/([^/]+)\/calendar-feed$/,
      methods: {
        GET: async (req, res, params) => {
          const principal = await office(req);
          const providerId = await providerOf(principal, params);
          sendJson(res, 200, describe(req, await feeds.ensure(principal.orgId, providerId)));
        },
        POST: async (req, res, params) => {
          const principal = await office(req);
          const providerId = await providerOf(principal, params);
          sendJson(res, 200, describe(req, await feeds.regenerate(principal.orgId, providerId)));
        },
      },
    },
  ];
  return createRouter(routes);
}
