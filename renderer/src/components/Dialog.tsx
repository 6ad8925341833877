import { useEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
  /** data-testid-like hook for tests: rendered as data-dialog. */
  name: string;
}

/** A modal dialog on the native <dialog> element (focus trap, Escape and backdrop for free). */
export function Dialog({ title, onClose, children, footer, className, name }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
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
      <div className="cl-dialog__body">{children}</div>
      {footer ? <footer className="cl-dialog__footer">{footer}</footer> : null}
    </dialog>
  );
}
