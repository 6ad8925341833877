import { useId, useRef, useState, type FormEvent, type Ref, type SyntheticEvent } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { Field } from '../forms/Field.tsx';

interface RangePickerProps {
  /** What the board shows, e.g. "November 24, 2026": the button's text. */
  title: string;
  /** First and last visible local dates (inclusive): each opening starts from them. */
  firstDay: string;
  lastDay: string;
  onRange: (first: string, last: string) => void;
}

type FieldErrors = { from?: string; to?: string };

/**
 * The board's title doubles as its date-range picker: a click opens two dates in a popover. Kept out of the
 * toolbar itself so that the toolbar fits one row on a laptop screen (1280 px). The native popover gives
 * light dismiss and Escape; anchor positioning puts it under the title.
 */
export function RangePicker({ title, firstDay, lastDay, onRange }: RangePickerProps) {
  const popoverId = useId();
  const popover = useRef<HTMLFormElement>(null);
  const fromInput = useRef<HTMLInputElement>(null);
  const [from, setFrom] = useState(firstDay);
  const [to, setTo] = useState(lastDay);
  const [errors, setErrors] = useState<FieldErrors>({});

  const onToggle = (e: SyntheticEvent<HTMLFormElement>) => {
    if ((e.nativeEvent as ToggleEvent).newState !== 'open') return;
    setFrom(firstDay);
    setTo(lastDay);
    setErrors({});
    fromInput.current?.focus();
  };

  const edit = (set: (value: string) => void, value: string) => {
    set(value);
    setErrors({});
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!from) found.from = 'Pick the first day';
    if (!to) found.to = 'Pick the last day';
    setErrors(found);
    if (found.from || found.to) return;
    // Dates typed the wrong way round still mean the days between them.
    onRange(from <= to ? from : to, from <= to ? to : from);
    popover.current?.hidePopover();
  };

  return (
    <>
      <h1 className="cl-board-header__title" data-board-title="">
        <button type="button" className="cl-range-button" popoverTarget={popoverId} data-action="pick-range" title="Show other dates">
          {title}
          <Icon name="chevronDown" />
        </button>
      </h1>
      <form
        id={popoverId}
        ref={popover}
        popover="auto"
        className="cl-range-popover"
        aria-label="Show dates"
        data-range-picker=""
        noValidate
        onToggle={onToggle}
        onSubmit={submit}
      >
        <RangeField label="From" name="rangeFrom" value={from} error={errors.from} inputRef={fromInput} onChange={(v) => edit(setFrom, v)} />
        <RangeField label="To" name="rangeTo" value={to} error={errors.to} onChange={(v) => edit(setTo, v)} />
        <div className="cl-range-popover__actions">
          <button type="button" className="cl-button" popoverTarget={popoverId} popoverTargetAction="hide">
            Cancel
          </button>
          <button type="submit" className="cl-button cl-button--primary" data-action="apply-range">
            Show
          </button>
        </div>
      </form>
    </>
  );
}

function RangeField(props: {
  label: string;
  name: string;
  value: string;
  error: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label} path={props.name} error={props.error}>
      {(control) => (
        <input {...control} ref={props.inputRef} type="date" className="cl-input" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Field>
  );
}
