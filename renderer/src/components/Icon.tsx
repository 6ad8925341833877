/** A few inline SVG icons (no icon font, nothing remote: the CSP allows neither). */
const PATHS = {
  save: 'M3 2h8.6L14 4.4V14H2V2h1zm1 1v3.5h7V3H4zm4 5.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  undo: 'M5.5 4 2 7.5 5.5 11V8.6h4.25a2.4 2.4 0 0 1 0 4.8H7V15h2.75a4 4 0 0 0 0-8H5.5z',
  redo: 'M10.5 4 14 7.5 10.5 11V8.6H6.25a2.4 2.4 0 0 0 0 4.8H9V15H6.25a4 4 0 0 1 0-8h4.25z',
  search: 'M7 2a5 5 0 0 1 4 8l3.5 3.5-1 1L10 11A5 5 0 1 1 7 2zm0 1.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z',
  send: 'M1.5 2 15 8 1.5 14l1.2-5L10 8 2.7 7z',
  chevronLeft: 'M10 2.5 4.5 8l5.5 5.5 1-1L6.5 8 11 3.5z',
  chevronRight: 'M6 2.5 11.5 8 6 13.5l-1-1L9.5 8 5 3.5z',
  chevronDown: 'M2.5 6 8 11.5 13.5 6l-1-1L8 9.5 3.5 5z',
  close: 'M3.5 2.5 8 7l4.5-4.5 1 1L9 8l4.5 4.5-1 1L8 9l-4.5 4.5-1-1L7 8 2.5 3.5z',
  print: 'M4 1h8v4H4zM1 6h14v6h-3v3H4v-3H1zm4 4v4h6v-4z',
  plus: 'M7.25 2h1.5v5.25H14v1.5H8.75V14h-1.5V8.75H2v-1.5h5.25z',
  fill: 'M2 2h5v5H2zm7 0h5v5H9zM2 9h5v5H2zm7 0h5v5H9z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, title }: { name: IconName; title?: string }) {
  return (
    <svg className="cl-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden={title ? undefined : true} role={title ? 'img' : undefined}>
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} fill="currentColor" fillRule="evenodd" />
    </svg>
  );
}
