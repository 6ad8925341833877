import { z } from 'zod';
import { fail, ok, type ErrorCode, type Result } from '../../../core/index';
import type { SyncClient } from '../sync/sync-client';

/**
 * One way for the backend to call the sync server's admin API (Team screen, calendar feeds, notification
 * log): with this workspace's server address and the sync client's token, so the renderer never holds a
 * credential. Server errors keep their message; those naming a field reach that form field.
 */
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

/** What the server's HTTP status means for the console (its message is kept). */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
};

export interface ServerCallOptions {
  timeoutMs?: number;
}

export type ServerMethod = 'GET' | 'POST' | 'PATCH';

/** Calls `path` on the signed-in server and checks the answer's shape; also returns the server address. */
export async function callServer<T>(
  sync: SyncClient | null,
  options: ServerCallOptions,
  method: ServerMethod,
  path: string,
  body: unknown,
  answer: z.ZodType<T>,
): Promise<Result<{ answer: T; serverUrl: string }>> {
  const session = sync?.serverSession() ?? null;
  if (!session) return fail('unauthenticated', 'Sign in to a Crewline server first (Sync)');
  let response: Response;
  try {
    response = await fetch(`${session.serverUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${session.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      redirect: 'error',
    });
  } catch {
    return fail('unavailable', `Cannot reach the server at ${session.serverUrl}: try again when it is back`);
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) return serverError(response.status, json);
  const parsed = answer.safeParse(json);
  if (!parsed.success) return fail('unavailable', 'The server answered with something unexpected');
  return ok({ answer: parsed.data, serverUrl: session.serverUrl });
}

/** A sync server's error answer as a Result. */
export function serverError(status: number, json: unknown): Result<never> {
  const parsed = errorBody.safeParse(json);
  const code = STATUS_CODES[status] ?? 'unavailable';
  if (!parsed.success) return fail(code, `The server answered ${status}`);
  const { message, field } = parsed.data.error;
  if (status === 401) return fail(code, `The server no longer accepts this sign-in (${message}): sign in again`);
  if (!field) return fail(code, message);
  // The server prefixes validation messages with their field ("email: Must be ..."); the form shows the field.
  const prefix = `${field}: `;
  return fail(code, message, { fieldErrors: { [field]: message.startsWith(prefix) ? message.slice(prefix.length) : message } });
}
