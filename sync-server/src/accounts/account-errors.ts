import type { z } from 'zod';

/**
 * What can go wrong in the accounts module, named so the HTTP layer can map each to one status code and a
 * form can put the message next to `field`.
 */
export const ACCOUNT_ERROR_STATUS = {
  validation: 400,
  /** A setup or invite code this server never issued (or mistyped). */
  code_unknown: 400,
  /** A code redeemed already, or voided by a newer one: 410, it will never work again. */
  code_used: 410,
  code_expired: 410,
  /** A setup code sent to redeem-invite, or an invite code sent to setup: the code is fine, the door is not. */
  code_is_setup: 400,
  code_is_invite: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  account_disabled: 403,
  not_found: 404,
  conflict: 409,
  too_many_attempts: 429,
} as const;
export type AccountErrorCode = keyof typeof ACCOUNT_ERROR_STATUS;

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly field?: string,
    /** Set for `too_many_attempts`: when the caller may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AccountError';
  }

  toJSON(): { code: AccountErrorCode; message: string; field?: string } {
    return { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) };
  }
}

/** The first problem zod found, as a field-level validation error (unknown keys name the key). */
export function fromZodError(error: z.ZodError): AccountError {
  const issue = error.issues[0];
  if (!issue) return new AccountError('validation', 'Invalid input');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const where = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
    return new AccountError('validation', `Unknown field: ${where}${key}`, `${where}${key}`);
  }
  const field = issue.path.map(String).join('.');
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const message = missing ? 'Required' : issue.message;
  return new AccountError('validation', field ? `${field}: ${message}` : message, field || undefined);
}

/** Parse with a zod schema or throw the first problem as an AccountError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}
