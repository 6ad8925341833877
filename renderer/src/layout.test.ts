import { describe, expect, it } from 'vitest';
import { createLayoutStore } from './layout';

const memory = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

describe('layout store', () => {
  it('starts expanded, tells subscribers of a change and keeps it for the next page', () => {
    const storage = memory();
    const first = createLayoutStore(storage);
    expect(first.get()).toEqual({ navCollapsed: false, queueCollapsed: false });
    let calls = 0;
    first.subscribe(() => calls++);
    first.set({ queueCollapsed: true });
    expect(calls).toBe(1);
    expect(first.get()).toEqual({ navCollapsed: false, queueCollapsed: true });
    expect(createLayoutStore(storage).get()).toEqual({ navCollapsed: false, queueCollapsed: true });
  });

  it('forgets a broken saved value and works without storage', () => {
    const storage = memory();
    storage.setItem('crewline.layout', '{not json');
    expect(createLayoutStore(storage).get()).toEqual({ navCollapsed: false, queueCollapsed: false });
    const none = createLayoutStore(null);
    none.set({ navCollapsed: true });
    expect(none.get().navCollapsed).toBe(true);
  });
});
