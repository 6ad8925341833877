import { useSyncExternalStore } from 'react';

/**
 * How much room the console gives its side parts: the navigation and the unassigned queue collapse to
 * narrow strips, so a 1280 × 800 laptop shows a working day on the board. Kept per browser profile
 * (localStorage) across reloads; a store outside React, read through useSyncExternalStore.
 */
export interface Layout {
  navCollapsed: boolean;
  queueCollapsed: boolean;
}

const KEY = 'crewline.layout';

export interface LayoutStore {
  get(): Layout;
  set(patch: Partial<Layout>): void;
  subscribe(listener: () => void): () => void;
}

export function createLayoutStore(storage: Pick<Storage, 'getItem' | 'setItem'> | null): LayoutStore {
  let layout: Layout = { navCollapsed: false, queueCollapsed: false };
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<Layout> | null;
    if (saved) layout = { navCollapsed: saved.navCollapsed === true, queueCollapsed: saved.queueCollapsed === true };
  } catch {
    // A broken saved value is forgotten, not fatal.
  }
  const listeners = new Set<() => void>();
  return {
    get: () => layout,
    set(patch) {
      layout = { ...layout, ...patch };
      try {
        storage?.setItem(KEY, JSON.stringify(layout));
      } catch {
        // Storage full or refused: the layout still changes for this page.
      }
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const storage = (() => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
})();

export const layoutStore = createLayoutStore(storage);

export function useLayout(): Layout {
  return useSyncExternalStore(layoutStore.subscribe, layoutStore.get);
}
