import type { ReactNode } from 'react';
import { FieldErrorsContext, type FieldErrors } from './field-errors';
import { FormMessage } from './FormMessage';

export interface FormShellProps {
  /** `data-form`, the form's test hook. */
  name: string;
  errors: FieldErrors | null;
  onSubmit: () => unknown;
  children: ReactNode;
}

/**
 * A form of features/forms around its fields: the errors in context for each `Field`, the form's general
 * message first, and submit without the browser's own validation (the contract's schemas judge).
 */
export function FormShell({ name, errors, onSubmit, children }: FormShellProps) {
  return (
    <FieldErrorsContext value={errors}>
      <form
        className="cl-form"
        data-form={name}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        <FormMessage />
        {children}
      </form>
    </FieldErrorsContext>
  );
}
