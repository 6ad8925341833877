import { useEffect, useState } from 'react';
import type { Slot } from '../../../../core/model.ts';
import { toMs } from '../../../../core/time.ts';
import { fromLocalInput, isoOf, toLocalInput } from '../board/time-format.ts';

interface JobWhenFormProps {
  slot: Slot | null;
  zone: string;
  /** How long a job without a slot lasts when it is given a start: its labor hours over its team, or 1 h. */
  defaultDurationMs: number;
  disabled: boolean;
  /** Stages the new slot through the board (one staged edit, saved with the board's Save). */
  onStage: (slot: Slot) => Promise<boolean>;
}

type Errors = Partial<Record<'start' | 'end', string>>;

/**
 * Start and end of a job, typed: the keyboard's way to put a queued job on a day (then Add member gives it
 * a technician) or to move one without dragging. Times are in the organization's zone, like the board.
 */
export function JobWhenForm({ slot, zone, defaultDurationMs, disabled, onStage }: JobWhenFormProps) {
  const [start, setStart] = useState(() => toLocalInput(slot?.start, zone));
  const [end, setEnd] = useState(() => toLocalInput(slot?.end, zone));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  // The saved or staged slot changed elsewhere (a drag, another desktop): show it.
  useEffect(() => {
    setStart(toLocalInput(slot?.start, zone));
    setEnd(toLocalInput(slot?.end, zone));
    setErrors({});
  }, [slot?.start, slot?.end, zone]);

  const submit = async () => {
    const startAt = fromLocalInput(start, zone);
    // A start alone is enough: the end follows the job's usual length.
    const endAt = end ? fromLocalInput(end, zone) : startAt && isoOf(toMs(startAt) + defaultDurationMs);
    const next: Errors = {};
    if (!startAt) next.start = 'Pick a date and time';
    if (end && !endAt) next.end = 'Pick a date and time';
    else if (startAt && endAt && toMs(endAt) <= toMs(startAt)) next.end = 'Must be after the start';
    setErrors(next);
    if (next.start || next.end || !startAt || !endAt) return;
    setBusy(true);
    try {
      await onStage({ start: startAt, end: endAt, assignees: slot?.assignees ?? [] });
    } finally {
      setBusy(false);
    }
  };

  const field = (name: 'start' | 'end', label: string, value: string, set: (v: string) => void) => (
    <label className={errors[name] ? 'cl-field has-error' : 'cl-field'}>
      <span>{label}</span>
      <input
        className="cl-input"
        type="datetime-local"
        name={`when.${name}`}
        value={value}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(e) => {
          set(e.target.value);
          if (errors[name]) setErrors((prev) => ({ ...prev, [name]: undefined }));
        }}
      />
      {errors[name] ? (
        <span className="cl-field__error" data-field-error={`when.${name}`}>
          {errors[name]}
        </span>
      ) : null}
    </label>
  );

  return (
    <form
      className="cl-form cl-when-form"
      data-form="when"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {field('start', 'Starts', start, setStart)}
      {field('end', 'Ends', end, setEnd)}
      <div className="cl-row">
        <button type="submit" className="cl-button" data-action="stage-when" disabled={disabled || busy}>
          {slot ? 'Move' : 'Schedule'}
        </button>
        <span className="cl-muted cl-small">Staged until Save.</span>
      </div>
    </form>
  );
}
