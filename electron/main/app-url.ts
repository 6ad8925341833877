import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Set by `electron-vite dev`: the renderer then comes from its dev server instead of out/renderer. */
export const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
export const rendererFile = path.join(import.meta.dirname, '../renderer/index.html');
export const preloadFile = path.join(import.meta.dirname, '../preload/index.cjs');

/** True for URLs that belong to the app itself (the dev server or the built index.html). */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (devServerUrl !== undefined) return url.origin === new URL(devServerUrl).origin;
  return url.protocol === 'file:' && url.pathname === pathToFileURL(rendererFile).pathname;
}
