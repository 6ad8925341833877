import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AppError } from '../../../../core/result';

/**
 * One way to show errors in every form. A failed Result's `error.fieldErrors` (keys are dot paths like
 * `email` or `weeklyHours.mon.0.end`) go to the field registered under that path; a key with no field of its
 * own goes to the closest registered ancestor (`skills.3` -> `skills`), and anything still unclaimed is listed
 * in the form's general message, so no error is ever silently dropped.
 */

export interface FieldErrorEntry {
  /** The key as the backend (or a local check) reported it. */
  key: string;
  message: string;
}

export interface FieldErrors {
  /** Raw errors by path, as last set. */
  readonly fields: Readonly<Record<string, string>>;
  /** A message for the form as a whole (errors without fields, transport failures). */
  readonly general: string | null;
  /** Errors no registered field claims: shown in the general message. */
  readonly orphans: readonly FieldErrorEntry[];
  readonly hasErrors: boolean;
  /** The message shown on the field registered at `path`, if any. */
  messageFor(path: string): string | undefined;
  /** Shows a failed Result's error. */
  showError(error: AppError): void;
  /** Shows errors found before sending (e.g. a date that cannot be converted); returns true if any. */
  showLocal(fields: Record<string, string>, general?: string): boolean;
  /** Clears the errors at `path` and below (call on edit), or every error without an argument. */
  clear(path?: string): void;
  /** Fields call this (through <Field>/<FieldGroup>) so errors know where they can be shown. */
  register(path: string): () => void;
}

interface State {
  fields: Record<string, string>;
  general: string | null;
}

const EMPTY: State = { fields: {}, general: null };

function summaryFor(error: AppError, fieldCount: number): string {
  if (fieldCount === 0) return error.message;
  if (error.code === 'validation' || error.code === 'not_found') {
    return fieldCount === 1 ? 'Please correct the highlighted field.' : 'Please correct the highlighted fields.';
  }
  return error.message;
}

export function useFieldErrors(): FieldErrors {
  const [state, setState] = useState<State>(EMPTY);
  const registry = useRef(new Map<string, number>());
  const [registryVersion, setRegistryVersion] = useState(0);

  const register = useCallback((path: string) => {
    const map = registry.current;
    const count = map.get(path) ?? 0;
    map.set(path, count + 1);
    if (count === 0) setRegistryVersion((v) => v + 1);
    return () => {
      const now = map.get(path) ?? 0;
      if (now <= 1) {
        map.delete(path);
        setRegistryVersion((v) => v + 1);
      } else map.set(path, now - 1);
    };
  }, []);

  const showError = useCallback((error: AppError) => {
    const fields: Record<string, string> = {};
    let rootMessage: string | null = null;
    for (const [key, message] of Object.entries(error.fieldErrors ?? {})) {
      if (key === '_' || key === '') rootMessage = message;
      else fields[key] = message;
    }
    const general = rootMessage ?? summaryFor(error, Object.keys(fields).length);
    setState({ fields, general });
  }, []);

  const showLocal = useCallback((fields: Record<string, string>, general?: string) => {
    const count = Object.keys(fields).length;
    if (count === 0 && !general) return false;
    setState({
      fields,
      general: general ?? (count === 1 ? 'Please correct the highlighted field.' : 'Please correct the highlighted fields.'),
    });
    return true;
  }, []);

  const clear = useCallback((path?: string) => {
    setState((prev) => {
      if (path === undefined) return prev === EMPTY ? prev : EMPTY;
      const keys = Object.keys(prev.fields).filter((k) => k === path || k.startsWith(`${path}.`));
      if (keys.length === 0) return prev;
      const fields = { ...prev.fields };
      for (const k of keys) delete fields[k];
      return { fields, general: Object.keys(fields).length === 0 ? null : prev.general };
    });
  }, []);

  const routed = useMemo(() => {
    void registryVersion; // recompute when fields mount or unmount
    const byTarget = new Map<string, string>();
    const orphans: FieldErrorEntry[] = [];
    for (const [key, message] of Object.entries(state.fields)) {
      const target = closestRegistered(key, registry.current);
      if (target === null) orphans.push({ key, message });
      else if (!byTarget.has(target)) byTarget.set(target, message);
    }
    return { byTarget, orphans };
  }, [state.fields, registryVersion]);

  return useMemo<FieldErrors>(
    () => ({
      fields: state.fields,
      general: state.general,
      orphans: routed.orphans,
      hasErrors: state.general !== null || Object.keys(state.fields).length > 0,
      messageFor: (path) => routed.byTarget.get(path),
      showError,
      showLocal,
      clear,
      register,
    }),
    [state, routed, showError, showLocal, clear, register],
  );
}

function closestRegistered(key: string, registry: ReadonlyMap<string, number>): string | null {
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (registry.has(candidate)) return candidate;
  }
  return null;
}

/** Provided by each form (`<FieldErrorsContext value={errors}>`); read by Field, FieldGroup and FormMessage. */
export const FieldErrorsContext = createContext<FieldErrors | null>(null);

/**
 * Registers `paths` with the surrounding form's errors and returns the first (path, message) to show.
 * An explicit `error` wins (for fields outside a FieldErrorsContext).
 */
export function useFieldError(paths: readonly string[], explicit?: string): { path: string; message: string } | null {
  const errors = useContext(FieldErrorsContext);
  const key = paths.join('\n');
  const register = errors?.register;
  useLayoutEffect(() => {
    if (!register) return undefined;
    const offs = key.split('\n').map((p) => register(p));
    return () => offs.forEach((off) => off());
    // `register` is stable for the lifetime of the form: this re-runs only when the paths change.
  }, [register, key]);
  if (explicit) return { path: paths[0] ?? '', message: explicit };
  if (!errors) return null;
  for (const path of paths) {
    const message = errors.messageFor(path);
    if (message) return { path, message };
  }
  return null;
}
