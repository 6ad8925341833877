import { useSyncExternalStore } from 'react';

/**
 * Whether a CSS media query matches now, re-rendering when that changes. For markup that must change with
 * the screen's width, so the shared classes (forms.css `.adm-sr-only`) serve instead of a copy of their
 * rules inside a `@media` block.
 */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}
