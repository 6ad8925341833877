import { useEffect } from 'react';
import type { Slot } from '../../../../core/model.ts';
import { Button } from '../../components/Button.tsx';
import { toLocalInput } from '../board/time-format.ts';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext } from '../forms/field-errors.ts';
import { useForm } from '../forms/use-form.ts';
import { whenSlotOf, type WhenDraft } from './job-details.ts';

interface JobWhenFormProps {
  slot: Slot | null;
  zone: string;
  /** How long a job without a slot lasts when it is given a start: its labor hours over its team, or 1 h. */
  defaultDurationMs: number;
  disabled: boolean;
  /** Stages the new slot through the board (one staged edit, saved with the board's Save). */
  onStage: (slot: Slot) => Promise<boolean>;
}

const draftOf = (slot: Slot | null, zone: string): WhenDraft => ({ start: toLocalInput(slot?.start, zone), end: toLocalInput(slot?.end, zone) });

/**
 * Start and end of a job, typed: the keyboard's way to put a queued job on a day (then Add member gives it
 * a technician) or to move one without dragging. Times are in the organization's zone, like the board.
 */
export function JobWhenForm({ slot, zone, defaultDurationMs, disabled, onStage }: JobWhenFormProps) {
  const form = useForm<WhenDraft, Slot | null, boolean>(() => draftOf(slot, zone), {
    check: (draft) => whenSlotOf(draft, zone, defaultDurationMs, slot?.assignees ?? []),
    send: (next) => (next ? onStage(next).then((staged) => ({ ok: true, value: staged })) : null),
  });
  const { draft, set, errors, model } = form;
  const { clear } = errors;
  // The saved or staged slot changed elsewhere (a drag, another desktop): show it.
  const [startAt, endAt] = [slot?.start, slot?.end];
  useEffect(() => {
    model.reset({ start: toLocalInput(startAt, zone), end: toLocalInput(endAt, zone) });
    clear();
  }, [model, clear, startAt, endAt, zone]);

  const field = (name: keyof WhenDraft, label: string) => (
    <Field label={label} path={`when.${name}`}>
      {(c) => <input {...c} className="cl-input" type="datetime-local" value={draft[name]} onChange={(e) => set(name, e.target.value, `when.${name}`)} />}
    </Field>
  );

  return (
    <FieldErrorsContext value={errors}>
      <form className="cl-form cl-when-form" data-form="when" noValidate onSubmit={form.onSubmit}>
        {field('start', 'Starts')}
        {field('end', 'Ends')}
        <div className="cl-row">
          <Button type="submit" data-action="stage-when" disabled={disabled || form.busy}>
            {slot ? 'Move' : 'Schedule'}
          </Button>
          <span className="cl-muted cl-small">Staged until Save.</span>
        </div>
      </form>
    </FieldErrorsContext>
  );
}
