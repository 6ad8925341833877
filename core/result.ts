/**
 * Every request across a process boundary answers with a Result, so a validation error can travel
 * back to the exact form field that caused it instead of surfacing as an exception.
 */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'forbidden'
  | 'illegal_transition'
  | 'conflict'
  | 'unknown_command'
  /** A remote service (the sync server) refused the credentials. */
  | 'unauthenticated'
  /** A remote service could not be reached or answered unexpectedly; trying again later may work. */
  | 'unavailable'
  | 'internal';

export interface AppError {
  code: ErrorCode;
  message: string;
  /** Field path (dot-joined, e.g. `slot.end`) -> human readable problem. */
  fieldErrors?: Record<string, string>;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (
  code: ErrorCode,
  message: string,
  extra: Omit<AppError, 'code' | 'message'> = {},
): { ok: false; error: AppError } => ({ ok: false, error: { code, message, ...extra } });

/** A single-field validation failure, reported against `field` so forms can show it in place. */
export const fieldError = (field: string, message: string) =>
  fail('validation', message, { fieldErrors: { [field]: message } });

export const notFound = (field: string, what: string, id: string) =>
  fail('not_found', `${what} ${id} does not exist`, { fieldErrors: { [field]: `No ${what.toLowerCase()} with this id` } });
