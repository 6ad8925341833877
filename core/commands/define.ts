import type * as Y from 'yjs';
import type { z } from 'zod';
import type { Actor, Role } from '../model';
import { fail, type AppError, type Result } from '../result';
import { fieldLabel } from '../field-labels';

export interface CommandContext {
  roster: Y.Doc;
  schedule: Y.Doc;
  actor: Actor;
  /** Injected so replays and tests are deterministic. */
  now: () => string;
  newId: () => string;
  /** The document format this app knows (`core/doc/schema-version.ts`); default `DOC_SCHEMA_VERSION`. */
  knownDocFormat?: number;
}

/**
 * A command first *plans*: it validates against the current documents without writing anything and
 * returns a write closure. Only then does the executor run that closure in one Y transaction, so a
 * refused command leaves both documents exactly as they were.
 */
export interface CommandDef<S extends z.ZodType, R> {
  doc: 'roster' | 'schedule';
  roles: readonly Role[];
  input: S;
  plan(ctx: CommandContext, input: z.output<S>): Result<() => R>;
}

export const defineCommand = <S extends z.ZodType, R>(def: CommandDef<S, R>): CommandDef<S, R> => def;

export const OFFICE: readonly Role[] = ['admin', 'dispatcher'];
export const ADMIN: readonly Role[] = ['admin'];
export const FIELD: readonly Role[] = ['admin', 'dispatcher', 'technician'];

export function validationFailure(error: z.ZodError): { ok: false; error: AppError } {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    const message =
      issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'Required' : issue.message;
    fieldErrors[key] ??= message;
  }
  const summary = Object.entries(fieldErrors)
    // The reason people read names fields with the forms' words; `fieldErrors` keeps the paths for the forms.
    .map(([field, message]) => (field === '_' ? message : `${fieldLabel(field)}: ${message}`))
    .join('; ');
  return fail('validation', `Invalid input — ${summary}`, { fieldErrors });
}
