import type { KeyboardEvent } from 'react';

/**
 * Keyboard contract of every form: Escape cancels; Enter submits, also from checkboxes and selects (text
 * inputs submit natively; textareas keep Enter for new lines; buttons keep their own action).
 */
export function formKeyDown(onCancel: (() => void) | undefined) {
  return (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.defaultPrevented) return;
    if (e.key === 'Escape' && onCancel) {
      e.preventDefault();
      onCancel();
      return;
    }
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    const isToggle = target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio' || target.type === 'color');
    if (isToggle || target instanceof HTMLSelectElement) {
      e.preventDefault();
      e.currentTarget.requestSubmit();
    }
  };
}
