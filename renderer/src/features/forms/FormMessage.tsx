import { useContext } from 'react';
import { fieldLabel } from '../../../../core/field-labels.ts';
import { FieldErrorsContext } from './field-errors';
import './forms.css';

export interface FormMessageProps {
  /** Human names for error keys that have no field on screen (e.g. `{ coordinates: 'Coordinates' }`). */
  labels?: Readonly<Record<string, string>>;
}

/**
 * The form's general error: errors without a field, and any field error no control on screen claims
 * (each listed in its own `[data-error-for]` so nothing is lost).
 */
export function FormMessage({ labels }: FormMessageProps) {
  const errors = useContext(FieldErrorsContext);
  if (!errors || (!errors.general && errors.orphans.length === 0)) return null;
  return (
    <div className="adm-form-message" role="alert" data-form-error="">
      {errors.general ? <p>{errors.general}</p> : null}
      {errors.orphans.length > 0 ? (
        <ul>
          {errors.orphans.map((o) => (
            <li key={o.key} data-error-for={o.key}>
              <strong>{labels?.[o.key] ?? fieldLabel(o.key)}:</strong> {o.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
