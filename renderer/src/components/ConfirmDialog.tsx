import type { ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';
import { Button } from './Button.tsx';

interface ConfirmDialogProps {
  name: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A yes/no question; the confirm button carries `data-action="confirm-<name>"` for tests. */
export function ConfirmDialog({ name, title, children, confirmLabel, danger, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog
      name={name}
      title={title}
      onClose={onCancel}
      footer={
        <>
          {/* Enter answers the question; for a destructive one it means Cancel. */}
          <Button autoFocus={danger} onClick={onCancel}>
            Cancel
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} data-action={`confirm-${name}`} autoFocus={!danger} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
