// Pure logic for remembering the window's place (no electron import, so vitest can check it).

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1400, height: 900 };
const MIN_VISIBLE = 100;

/** Parses a saved state; anything malformed gives null (start with the default size). */
export function parseWindowState(raw: string): WindowState | null {
  try {
    const value = JSON.parse(raw) as Partial<WindowState>;
    const b = value.bounds;
    const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
    if (!b || ![b.x, b.y, b.width, b.height].every(finite) || b.width < 400 || b.height < 300) return null;
    return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: value.maximized === true };
  } catch {
    return null;
  }
}

/**
 * The saved bounds if enough of the window would still be on one of today's displays (a monitor may have
 * been unplugged since), else null so the window opens centred at the default size.
 */
export function visibleBounds(saved: Rect, displays: readonly Rect[]): Rect | null {
  const onScreen = displays.some((d) => {
    const overlapX = Math.min(saved.x + saved.width, d.x + d.width) - Math.max(saved.x, d.x);
    const overlapY = Math.min(saved.y + saved.height, d.y + d.height) - Math.max(saved.y, d.y);
    return overlapX >= MIN_VISIBLE && overlapY >= MIN_VISIBLE;
  });
  return onScreen ? saved : null;
}
