import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator, Principal } from '../auth/principal';
import { bearerToken, HttpError, methodNotAllowed, requestPath, sendError, sendUnexpected } from './http-util';

/**
 * The route tables of the server's JSON APIs (accounts, field, calendar): a path pattern, a handler per
 * method, and one place that turns whatever a handler throws into an error answer.
 */

/** `params` are the pattern's capture groups, still percent-encoded. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: readonly string[]) => Promise<void>;

export interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, RouteHandler>>;
}

/**
 * A function that answers the paths it owns and resolves true; for any other path it resolves false and
 * touches nothing, so the server can try its next table. `toHttpError` maps a module's own errors; an
 * HttpError is sent as it is and anything else is a 500.
 */
export function createRouter(
  routes: readonly Route[],
  toHttpError: (error: unknown) => HttpError | null = () => null,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = requestPath(req);
    if (path === null) return false;
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      try {
        const handler = route.methods[req.method ?? ''];
        if (!handler) throw methodNotAllowed(Object.keys(route.methods));
        await handler(req, res, match.slice(1));
      } catch (error) {
        const mapped = error instanceof HttpError ? error : toHttpError(error);
        if (mapped) sendError(res, mapped);
        else sendUnexpected(res, error);
      }
      return true;
    }
    return false;
  };
}

/** Who the bearer token is, or 401 (no token; unknown, revoked or disabled). */
export async function requirePrincipal(req: IncomingMessage, auth: Authenticator): Promise<Principal> {
  const token = bearerToken(req);
  if (token === null) {
    throw new HttpError(401, 'unauthenticated', 'Sign in first: send Authorization: Bearer <token>', undefined, {
      'WWW-Authenticate': 'Bearer',
    });
  }
  const principal = await auth.authenticate(token);
  if (!principal) {
    throw new HttpError(401, 'unauthenticated', 'This token is unknown, revoked or its user is disabled', undefined, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
  return principal;
}
