import { afterEach, describe, expect, it, vi } from 'vitest';
import { setStoreWarningSink, storeWarning, type StoreWarning } from './store-warnings';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('store warnings', () => {
  it('go to the console until a sink is set, to the sink meanwhile, and back after its undo', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: StoreWarning[] = [];
    const undo = setStoreWarningSink((warning) => seen.push(warning));
    storeWarning({ kind: 'booking', id: 'b1', problem: 'slot: expected object' });
    expect(seen).toEqual([{ kind: 'booking', id: 'b1', problem: 'slot: expected object' }]);
    expect(warn).not.toHaveBeenCalled();
    undo();
    storeWarning({ kind: 'booking', id: 'b2', problem: 'title: required' });
    expect(seen).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith('store: left out booking b2: title: required (it does not read as a booking)');
  });
});
