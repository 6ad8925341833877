import { useId, useRef, useState, type FormEvent, type Ref, type SyntheticEvent } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors.ts';
import { FormMessage } from '../forms/FormMessage.tsx';

interface RangePickerProps {
  /** What the board shows, e.g. "November 24, 2026": the button's text. */
  title: string;
  /** First and last visible local dates (inclusive): each opening starts from them. */
  firstDay: string;
  lastDay: string;
  onRange: (first: string, last: string) => void;
}

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
  const errors = useFieldErrors();

  // The fields start from the board's dates as the popover opens: in `beforetoggle`, which runs before it
  // shows. `toggle` comes a task later, and a reset there wiped a date typed straight after the click.
  const onBeforeToggle = (e: SyntheticEvent<HTMLFormElement>) => {
    if ((e.nativeEvent as ToggleEvent).newState !== 'open') return;
    setFrom(firstDay);
    setTo(lastDay);
    errors.clear();
  };
  // Focus once it is shown: a hidden field cannot take it. Not if a field already has it (typed into).
  const onToggle = (e: SyntheticEvent<HTMLFormElement>) => {
    if ((e.nativeEvent as ToggleEvent).newState !== 'open') return;
    if (!popover.current?.contains(document.activeElement)) fromInput.current?.focus();
  };

  const edit = (set: (value: string) => void, name: string, value: string) => {
    set(value);
    errors.clear(name);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!from) found.rangeFrom = 'Pick the first day';
    if (!to) found.rangeTo = 'Pick the last day';
    if (errors.showLocal(found)) return;
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
        onBeforeToggle={onBeforeToggle}
        onToggle={onToggle}
        onSubmit={submit}
      >
        <FieldErrorsContext value={errors}>
          <FormMessage />
          <RangeField label="From" name="rangeFrom" value={from} inputRef={fromInput} onChange={(v) => edit(setFrom, 'rangeFrom', v)} />
          <RangeField label="To" name="rangeTo" value={to} onChange={(v) => edit(setTo, 'rangeTo', v)} />
        </FieldErrorsContext>
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
  inputRef?: Ref<HTMLInputElement>;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label} path={props.name}>
      {(control) => (
        <input {...control} ref={props.inputRef} type="date" className="cl-input" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Field>
  );
}
