import { z } from 'zod';
import { fail, ok, ROLES, type Result } from '../../../core/index';
import { ORG_ID_PATTERN } from '../../../core/sync/rooms';

/** `POST /api/auth/login` (docs/design.md §7), as far as the desktop relies on it. */
const loginResponse = z.object({
  token: z.string().min(1),
  user: z.object({
    id: z.string().min(1),
    name: z.string(),
    role: z.enum(ROLES),
    orgId: z.string().regex(ORG_ID_PATTERN),
    email: z.string().optional(),
    providerId: z.string().optional(),
  }),
});
export type LoginResponse = z.infer<typeof loginResponse>;

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

/**
 * The server's base address as the user typed it, normalised: `http(s)://host[:port]` with no path,
 * query or trailing slash. Sync goes to the same host over `ws(s)://host[:port]/sync`.
 */
export function normaliseServerUrl(raw: string): Result<{ httpUrl: string; syncUrl: string }> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail('validation', 'Not a server address', { fieldErrors: { serverUrl: 'Must look like http://192.168.1.20:4455' } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('validation', 'Only http and https servers', { fieldErrors: { serverUrl: 'Must start with http:// or https://' } });
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return fail('validation', 'Give the server address only', { fieldErrors: { serverUrl: 'Just http://host:port, without a path' } });
  }
  const httpUrl = `${url.protocol}//${url.host}`;
  return ok({ httpUrl, syncUrl: `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}/sync` });
}

/** POSTs JSON to one of the server's sign-in routes; an unreachable server is a `serverUrl` error. */
async function postAuth(httpUrl: string, path: string, body: unknown, timeoutMs: number): Promise<Result<{ status: number; body: unknown }>> {
  let response: Response;
  try {
    response = await fetch(`${httpUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return fail('unavailable', `Cannot reach the server at ${httpUrl}: ${reason(error)}`, {
      fieldErrors: { serverUrl: 'No Crewline server answered at this address' },
    });
  }
  return ok({ status: response.status, body: await response.json().catch(() => null) });
}

/** A successful sign-in answer checked for the shape the desktop relies on. */
function signedIn(body: unknown): Result<LoginResponse> {
  const parsed = loginResponse.safeParse(body);
  if (!parsed.success) {
    return fail('unavailable', 'The server answered the sign-in with something unexpected', {
      fieldErrors: { serverUrl: 'This does not look like a Crewline server' },
    });
  }
  return ok(parsed.data);
}

export async function login(httpUrl: string, email: string, password: string, timeoutMs = 15_000): Promise<Result<LoginResponse>> {
  const response = await postAuth(httpUrl, '/api/auth/login', { email, password }, timeoutMs);
  if (!response.ok) return response;
  const { status, body } = response.value;
  if (status < 200 || status >= 300) {
    const parsed = errorBody.safeParse(body);
    const message = parsed.success ? parsed.data.error.message : `The server answered ${status}`;
    if (status === 401) return fail('unauthenticated', message, { fieldErrors: { password: 'Wrong email or password' } });
    if (status === 429) return fail('unavailable', message);
    if (status === 400 && parsed.success && parsed.data.error.field) {
      return fail('validation', message, { fieldErrors: { [parsed.data.error.field]: message } });
    }
    if (status === 403) return fail('forbidden', message);
    return fail('unavailable', message, { fieldErrors: { serverUrl: 'This does not look like a Crewline server' } });
  }
  return signedIn(body);
}

/**
 * Redeems a one-time code (sync-server/README.md, "Accounts"): `invite` sets the invited user's password
 * (`POST /api/auth/redeem-invite`), `setup` creates the organization's first admin (`POST /api/auth/setup`).
 * Both answer like a sign-in. A refusal keeps the server's sentence on its field (`code`: unknown, used,
 * expired, or the other kind of code; `password`; `email`) and the server's error code in
 * `details.serverCode`, so the caller can tell a setup code sent to the invite route from a dead code.
 */
export async function redeemOneTimeCode(
  httpUrl: string,
  redeem: { kind: 'invite'; code: string; password: string } | { kind: 'setup'; code: string; password: string; email: string; name: string },
  timeoutMs = 15_000,
): Promise<Result<LoginResponse>> {
  const { kind, ...body } = redeem;
  const response = await postAuth(httpUrl, kind === 'invite' ? '/api/auth/redeem-invite' : '/api/auth/setup', body, timeoutMs);
  if (!response.ok) return response;
  const { status, body: answer } = response.value;
  if (status >= 200 && status < 300) return signedIn(answer);
  const parsed = errorBody.safeParse(answer);
  if (!parsed.success || status === 404 || status === 405 || status === 415) {
    // Not a Crewline server, or one older than these routes.
    return fail('unavailable', `The server answered ${status}`, { fieldErrors: { serverUrl: 'This does not look like a Crewline server' } });
  }
  const { code: serverCode, message, field } = parsed.data.error;
  const details = { serverCode };
  if (status === 429) return fail('unavailable', message, { details });
  if (status === 403) return fail('forbidden', message, { details });
  if (!field) return fail(status >= 500 ? 'unavailable' : 'validation', message, { details });
  // The server prefixes validation messages with their field ("password: At least 8 characters"); the form shows the field.
  const onField = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  return fail(status === 409 ? 'conflict' : 'validation', message, { fieldErrors: { [field]: onField }, details });
}

/** Revokes the token on the server (best effort: signing out locally never depends on it). */
export async function logout(httpUrl: string, token: string, timeoutMs = 5_000): Promise<boolean> {
  try {
    const response = await fetch(`${httpUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

const reason = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};
