import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
  /** data-testid-like hook for tests: rendered as data-dialog. */
  name: string;
}

/**
 * A modal dialog on the native <dialog> element (focus trap, Escape and backdrop for free).
 *
 * The content mounts only once the dialog is open: React's `autoFocus` focuses an element as it mounts,
 * which does nothing inside a closed <dialog>, and `showModal()` would then focus the first button (Close).
 * The second render happens inside the layout effect, before anything is painted.
 */
export function Dialog({ title, onClose, children, footer, className, name }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    setOpen(true);
    const cancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} className={`cl-dialog ${className ?? ''}`} data-dialog={name} aria-label={title}>
      <header className="cl-dialog__header">
        <h2>{title}</h2>
        <button type="button" className="cl-icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="cl-dialog__body">{open ? children : null}</div>
      {footer && open ? <footer className="cl-dialog__footer">{footer}</footer> : null}
    </dialog>
  );
}
