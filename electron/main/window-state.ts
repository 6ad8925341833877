// Remembers the main window's size, place and maximized state between runs, in the app-data folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, screen, type BrowserWindow } from 'electron';
import { DEFAULT_SIZE, parseWindowState, visibleBounds, type Rect, type WindowState } from './window-bounds';

const stateFile = () => join(app.getPath('userData'), 'window-state.json');

export function restoredBounds(): { bounds: Partial<Rect>; maximized: boolean } {
  let saved: WindowState | null = null;
  try {
    saved = parseWindowState(readFileSync(stateFile(), 'utf8'));
  } catch {
    // First run, or the file is gone: default size.
  }
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const bounds = saved ? visibleBounds(saved.bounds, displays) : null;
  return { bounds: bounds ?? DEFAULT_SIZE, maximized: saved?.maximized ?? false };
}

export function rememberBounds(win: BrowserWindow): void {
  win.on('close', () => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeFileSync(stateFile(), JSON.stringify(state));
    } catch {
      // Not worth stopping the quit for: next start uses the default size.
    }
  });
}
