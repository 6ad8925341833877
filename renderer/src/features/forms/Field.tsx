import { useId, type ReactNode } from 'react';
import { useFieldError } from './field-errors';
import './forms.css';

/** What a control inside <Field> spreads onto itself: id for the label, name = field path, error state. */
export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  label: ReactNode;
  /** The field path: the control's `name` and the key of its errors (e.g. `email`, `weeklyHours.mon.0.end`). */
  path: string;
  /** An explicit message; otherwise the surrounding form's errors for `path` (see FieldErrorsContext). */
  error?: string;
  /** Other error keys shown on this field (e.g. `slot.end` on a duration field). */
  aliases?: readonly string[];
  hint?: ReactNode;
  /** Checkbox layout: the control comes before its label. */
  inline?: boolean;
  /** Keeps the label for screen readers only (compact rows such as working-hours intervals). */
  hideLabel?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/**
 * A labelled control with its error shown in place: the control gets `aria-invalid="true"` and
 * `aria-describedby`, and the message sits in `[data-error-for="<path>"]`.
 */
export function Field({ label, path, error, aliases, hint, inline, hideLabel, className, children }: FieldProps) {
  const id = useId();
  const shown = useFieldError(aliases ? [path, ...aliases] : [path], error);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = shown ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const control: ControlProps = {
    id,
    name: path,
    'aria-invalid': shown ? 'true' : undefined,
    'aria-describedby': describedBy,
  };
  const classes = ['adm-field', inline ? 'adm-field--inline' : '', shown ? 'adm-field--invalid' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  const labelEl = (
    <label htmlFor={id} className={hideLabel ? 'adm-sr-only' : 'adm-field-label'}>
      {label}
    </label>
  );
  return (
    <div className={classes} data-field={path}>
      {inline ? (
        <div className="adm-field-row">
          {children(control)}
          {labelEl}
        </div>
      ) : (
        <>
          {labelEl}
          {children(control)}
        </>
      )}
      {hint ? (
        <p id={hintId} className="adm-field-hint">
          {hint}
        </p>
      ) : null}
      {shown ? (
        <p id={errorId} className="adm-field-error" data-error-for={shown.path}>
          {shown.message}
        </p>
      ) : null}
    </div>
  );
}
