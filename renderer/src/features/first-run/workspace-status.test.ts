import { describe, expect, it } from 'vitest';
import { createWorkspaceStatusStore } from './workspace-status';

const answering = (answer: unknown) => ({ request: (() => Promise.resolve(answer)) as never });

describe('workspace status store', () => {
  it('is unknown until the backend answers, then tells subscribers what the workspace holds', async () => {
    const store = createWorkspaceStatusStore();
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.get().state));
    expect(store.get()).toEqual({ state: 'unknown' });
    await store.load(answering({ ok: true, value: { state: 'empty', demoName: null, linked: false, updateRequired: null } }));
    expect(store.get()).toEqual({ state: 'empty', demoName: null, linked: false, updateRequired: null });
    store.set({ state: 'demo', demoName: 'Northwind Home Services', linked: false, updateRequired: null });
    expect(seen).toEqual(['empty', 'demo']);
  });

  it('treats a host that cannot say (refused, or the request failed) as holding a company', async () => {
    const refused = createWorkspaceStatusStore();
    await refused.load(answering({ ok: false, error: { code: 'unavailable', message: 'no' } }));
    expect(refused.get().state).toBe('company');
    const broken = createWorkspaceStatusStore();
    await broken.load({ request: (() => Promise.reject(new Error('socket closed'))) as never });
    expect(broken.get().state).toBe('company');
  });

  it('stops telling a listener once it unsubscribes', () => {
    const store = createWorkspaceStatusStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.set({ state: 'empty', demoName: null, linked: false, updateRequired: null });
    off();
    store.set({ state: 'company', demoName: null, linked: false, updateRequired: null });
    expect(calls).toBe(1);
  });
});
