import { useId, type ReactNode } from 'react';
import { useFieldError } from './field-errors';
import './forms.css';

export interface FieldGroupProps {
  legend: ReactNode;
  /** Error key for the group as a whole (e.g. `channels`, `weeklyHours.mon`, `slot.assignees`). */
  path: string;
  error?: string;
  aliases?: readonly string[];
  hint?: ReactNode;
  hideLegend?: boolean;
  className?: string;
  children: ReactNode;
}

/** A <fieldset> whose own errors (not its fields') show under it, with `aria-invalid` on the fieldset. */
export function FieldGroup({ legend, path, error, aliases, hint, hideLegend, className, children }: FieldGroupProps) {
  const id = useId();
  const shown = useFieldError(aliases ? [path, ...aliases] : [path], error);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = shown ? `${id}-error` : undefined;
  const classes = ['adm-group', shown ? 'adm-group--invalid' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <fieldset
      className={classes}
      data-field={path}
      aria-invalid={shown ? 'true' : undefined}
      aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
    >
      <legend className={hideLegend ? 'adm-sr-only' : 'adm-group-legend'}>{legend}</legend>
      {children}
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
    </fieldset>
  );
}
