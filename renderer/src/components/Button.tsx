import type { ButtonHTMLAttributes } from 'react';

/**
 * The one button of the console. Variants: `primary` (the screen's or form's main action), `danger`
 * (destroys or cancels something), `link` (an action inside text or a list row); `small` for row actions.
 * It renders the `.cl-button` classes (styles/app.css), which e2e specs may also select by.
 */
export type ButtonVariant = 'default' | 'primary' | 'danger' | 'link';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  small?: boolean;
}

export function buttonClass(variant: ButtonVariant = 'default', small = false, extra?: string): string {
  const base = variant === 'link' ? ['cl-link-button'] : ['cl-button', variant === 'default' ? '' : `cl-button--${variant}`];
  return [...base, small ? 'cl-button--small' : '', extra ?? ''].filter(Boolean).join(' ');
}

export function Button({ variant = 'default', small = false, className, type = 'button', ...rest }: ButtonProps) {
  return <button type={type} className={buttonClass(variant, small, className)} {...rest} />;
}
