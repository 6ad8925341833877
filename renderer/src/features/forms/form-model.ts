import type { AppError, Result } from '../../../../core/result';
import { changedFields } from './values';

/**
 * The form engine of every form, in plain TypeScript (React reads it through `useForm`): a draft of what the
 * inputs hold, local checks that turn it into what is sent, one send at a time, and the outcome of a
 * submit for the view to show (errors go through FieldErrors, see field-errors.ts).
 */

export interface FormSpec<D, V, R> {
  /** The draft converted to what is sent, with the errors found before sending (field path -> message). */
  check(draft: D): { value: V; errors: Record<string, string> };
  /** Sends the value; null when there is nothing to send (nothing changed). */
  send(value: V, draft: D): Promise<Result<R>> | null;
}

export type SubmitOutcome<V, R> =
  /** A submit is already running: this one did nothing. */
  | { kind: 'busy' }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'unchanged'; value: V }
  | { kind: 'failed'; error: AppError }
  | { kind: 'done'; value: V; result: R };

export interface FormState<D> {
  draft: D;
  /** A submit is on its way. */
  busy: boolean;
  /** Edited since it was last reset or sent. */
  dirty: boolean;
}

export class FormModel<D, V, R> {
  private state: FormState<D>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private spec: FormSpec<D, V, R>,
    draft: D,
  ) {
    this.state = { draft, busy: false, dirty: false };
  }

  /** The view's latest spec (its closures see the latest props). */
  setSpec(spec: FormSpec<D, V, R>): void {
    this.spec = spec;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): FormState<D> => this.state;

  set<K extends keyof D>(key: K, value: D[K]): void {
    this.update((d) => ({ ...d, [key]: value }));
  }

  update(change: (draft: D) => D): void {
    this.emit({ ...this.state, draft: change(this.state.draft), dirty: true });
  }

  /** Shows `draft` as not edited (a record saved or changed elsewhere, Revert). */
  reset(draft: D): void {
    this.emit({ ...this.state, draft, dirty: false });
  }

  async submit(): Promise<SubmitOutcome<V, R>> {
    if (this.state.busy) return { kind: 'busy' };
    const draft = this.state.draft;
    const { value, errors } = this.spec.check(draft);
    if (Object.keys(errors).length > 0) return { kind: 'invalid', errors };
    const sending = this.spec.send(value, draft);
    if (!sending) {
      this.emit({ ...this.state, dirty: false });
      return { kind: 'unchanged', value };
    }
    this.emit({ ...this.state, busy: true });
    let result: Result<R>;
    try {
      result = await sending;
    } catch (error) {
      result = { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
    // Edits typed while it was sending stay, and stay dirty.
    const editedMeanwhile = this.state.draft !== draft;
    this.emit({ ...this.state, busy: false, dirty: result.ok ? editedMeanwhile : this.state.dirty });
    return result.ok ? { kind: 'done', value, result: result.value } : { kind: 'failed', error: result.error };
  }

  private emit(next: FormState<D>): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

/** What a record form reports once saved: the record, whether it was new, and its name for the notice. */
export interface SavedRecord {
  id: string;
  created: boolean;
  name: string;
}

export interface RecordFormOptions<Rec extends { id: string; name: string }, D, F extends { name: string }> {
  /** The record edited; absent for a new one. */
  record?: Rec;
  /** The draft of a record (or of a new one). */
  draftOf: (record?: Rec) => D;
  /** The draft as the command's fields, with local errors. */
  fieldsOf: (draft: D) => { fields: F; errors: Record<string, string> };
  create: (fields: F) => Promise<Result<{ id: string }>>;
  /** Sends only the changed fields, so a colleague's concurrent edit of another field survives the merge. */
  update: (id: string, patch: Partial<F>) => Promise<Result<unknown>>;
}

/** The create/update spec every record form shares (Customers, Services, Providers). */
export function recordFormSpec<Rec extends { id: string; name: string }, D, F extends { name: string }>(
  o: RecordFormOptions<Rec, D, F>,
): FormSpec<D, F, SavedRecord> {
  return {
    check: (draft) => {
      const { fields, errors } = o.fieldsOf(draft);
      return { value: fields, errors };
    },
    send: (fields) => {
      const name = fields.name.trim();
      const record = o.record;
      if (!record) {
        return o.create(fields).then((r) => (r.ok ? { ok: true, value: { id: r.value.id, created: true, name } } : r));
      }
      const patch = changedFields(o.fieldsOf(o.draftOf(record)).fields, fields);
      if (Object.keys(patch).length === 0) return null;
      return o.update(record.id, patch).then((r) => (r.ok ? { ok: true, value: { id: record.id, created: false, name } } : r));
    },
  };
}

/** A record form's submit, as the screen hears of it: saved (also when nothing changed), or not. */
export function savedRecordOf<Rec extends { id: string; name: string }>(
  outcome: SubmitOutcome<unknown, SavedRecord>,
  record: Rec | undefined,
): SavedRecord | null {
  if (outcome.kind === 'done') return outcome.result;
  if (outcome.kind === 'unchanged' && record) return { id: record.id, created: false, name: record.name };
  return null;
}
