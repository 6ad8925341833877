// Dark mode on the desktop (issue 22): the app follows the system. With themeSource 'system' Chromium
// reports the OS setting to prefers-color-scheme, which is all the renderer's dark.css needs.
import { nativeTheme, type BrowserWindow } from 'electron';
import { windowBackgroundColor } from './theme-colors';

export function followSystemTheme(): void {
  nativeTheme.themeSource = 'system';
}

/** The colour to create a window with, for the scheme the system uses right now. */
export function currentWindowBackground(): string {
  return windowBackgroundColor(nativeTheme.shouldUseDarkColors);
}

/** Keeps the window's background (seen while resizing or reloading) in step when the system switches. */
export function trackThemeBackground(win: BrowserWindow): void {
  const update = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(currentWindowBackground());
  };
  nativeTheme.on('updated', update);
  win.once('closed', () => nativeTheme.off('updated', update));
}
