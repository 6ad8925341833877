import { useCallback, useLayoutEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useFieldErrors, type FieldErrors } from './field-errors';
import { FormModel, recordFormSpec, savedRecordOf, type FormSpec, type RecordFormOptions, type SavedRecord, type SubmitOutcome } from './form-model';

export interface UseForm<D, V, R> {
  draft: D;
  busy: boolean;
  dirty: boolean;
  model: FormModel<D, V, R>;
  /** Provide to the form: `<FieldErrorsContext value={form.errors}>`. */
  errors: FieldErrors;
  /** Sets one draft key and clears the errors at `path` (the key by default) and below. */
  set: <K extends keyof D>(key: K, value: D[K], path?: string) => void;
  /** Submits, and shows what went wrong on the fields (local checks, then the backend's answer). */
  submit: () => Promise<SubmitOutcome<V, R>>;
  /** For `<form onSubmit>`. */
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}

/** A form on the form model: state outside the component, errors through FieldErrors. */
export function useForm<D, V, R>(initial: () => D, spec: FormSpec<D, V, R>): UseForm<D, V, R> {
  const [model] = useState(() => new FormModel(spec, initial()));
  useLayoutEffect(() => model.setSpec(spec));
  const state = useSyncExternalStore(model.subscribe, model.getState);
  const errors = useFieldErrors();
  const { clear, showLocal, showError } = errors;

  const set = useCallback(
    <K extends keyof D>(key: K, value: D[K], path: string = String(key)) => {
      model.set(key, value);
      clear(path);
    },
    [model, clear],
  );

  const submit = useCallback(async () => {
    const outcome = await model.submit();
    if (outcome.kind === 'invalid') showLocal(outcome.errors);
    else if (outcome.kind === 'failed') showError(outcome.error);
    else if (outcome.kind !== 'busy') clear();
    return outcome;
  }, [model, showLocal, showError, clear]);

  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      void submit();
    },
    [submit],
  );

  return { ...state, model, errors, set, submit, onSubmit };
}

/**
 * The one record form of Customers, Services and Providers: create, or update only the changed fields;
 * `onSaved` hears of a save (also of a submit with nothing changed, which just closes the form).
 */
export function useRecordForm<Rec extends { id: string; name: string }, D, F extends { name: string }>(
  options: RecordFormOptions<Rec, D, F> & { onSaved: (saved: SavedRecord) => void },
): UseForm<D, F, SavedRecord> {
  const form = useForm(() => options.draftOf(options.record), recordFormSpec(options));
  const { submit: send } = form;
  const { record, onSaved } = options;
  const submit = useCallback(async () => {
    const outcome = await send();
    const saved = savedRecordOf(outcome, record);
    if (saved) onSaved(saved);
    return outcome;
  }, [send, record, onSaved]);
  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      void submit();
    },
    [submit],
  );
  return { ...form, submit, onSubmit };
}
