// The window's own background before and under the page: the page's --cl-bg in each scheme
// (renderer/src/styles/app.css and dark.css), so a dark system shows no white flash while the page loads.
// Pure so a unit test can hold it to the stylesheets.

export const LIGHT_WINDOW_BACKGROUND = '#f4f6f9';
export const DARK_WINDOW_BACKGROUND = '#0e131a';

export function windowBackgroundColor(dark: boolean): string {
  return dark ? DARK_WINDOW_BACKGROUND : LIGHT_WINDOW_BACKGROUND;
}
