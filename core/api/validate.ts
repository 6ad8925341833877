import { validationFailure } from '../commands/define';
import { fail, ok, type Result } from '../result';
import { isRequestName, REQUESTS, type RequestName } from './contract';

/**
 * Every transport calls this on every incoming request before a handler sees it: an unknown channel or a
 * malformed argument never reaches the backend.
 */
export function validateRequest(name: unknown, input: unknown): Result<{ name: RequestName; input: unknown }> {
  if (!isRequestName(name)) return fail('unknown_command', `Unknown request ${String(name).slice(0, 64)}`);
  const parsed = REQUESTS[name].input.safeParse(input ?? {});
  if (!parsed.success) return validationFailure(parsed.error);
  return ok({ name, input: parsed.data });
}
