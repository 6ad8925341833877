import { createContext, use, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastKind = 'info' | 'success' | 'error';
interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}
type Show = (text: string, kind?: ToastKind) => void;

const ToastContext = createContext<Show>(() => {});

/** Short messages at the bottom right: refused drops, saves, sends. Errors stay longer. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (text, kind = 'info') => {
      const id = next.current++;
      setToasts((list) => [...list.slice(-4), { id, kind, text }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 3500);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext value={value}>
      {children}
      <div className="cl-toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`cl-toast cl-toast--${t.kind}`} data-toast={t.kind}>
            <span>{t.text}</span>
            <button type="button" className="cl-toast__close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

export const useToast = (): Show => use(ToastContext);
