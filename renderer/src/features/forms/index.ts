/** Shared form helpers: one way to show errors in every form (see field-errors.ts for the routing rules). */
export { Field, type ControlProps, type FieldProps } from './Field';
export { FieldGroup, type FieldGroupProps } from './FieldGroup';
export { FormActions, type FormActionsProps } from './FormActions';
export { FormMessage, type FormMessageProps } from './FormMessage';
export { FormShell, type FormShellProps } from './FormShell';
export { TagInput, type TagInputProps } from './TagInput';
export { FieldErrorsContext, useFieldError, useFieldErrors, type FieldErrorEntry, type FieldErrors } from './field-errors';
export { formKeyDown } from './form-keys';
export { request, runCommand, useBackendQuery, useOrgSettings, type Query } from './backend';
export * from './time-zone';
export * from './values';
