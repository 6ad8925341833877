import { Button } from '../../components/Button';

/** The submit + Cancel row at the foot of every record form. */
export interface FormActionsProps {
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  onCancel: () => void;
  /** Also disables submit, e.g. while settings the form needs are still loading. */
  disabled?: boolean;
}

export function FormActions({ busy, submitLabel, busyLabel, onCancel, disabled = false }: FormActionsProps) {
  return (
    <div className="adm-actions">
      <Button type="submit" variant="primary" disabled={busy || disabled}>
        {busy ? busyLabel : submitLabel}
      </Button>
      <Button onClick={onCancel}>Cancel</Button>
    </div>
  );
}
