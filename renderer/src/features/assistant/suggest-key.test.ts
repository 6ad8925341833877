import { describe, expect, it, vi } from 'vitest';
import { actionForKey, runBoardAction, type KeyPress } from '../board/board-actions';
import type { BoardState, BoardStore } from '../board/board-store';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('S suggests a technician for the selected job', () => {
  it('is the plain S key (Ctrl+S still saves), not in a text field or dialog', () => {
    expect(actionForKey(press('s'), false, false)?.action.id).toBe('suggest');
    expect(actionForKey(press('s', { ctrlKey: true }), false, false)?.action.id).toBe('save');
    expect(actionForKey(press('S', { shiftKey: true }), false, false)).toBeNull();
    expect(actionForKey(press('s'), true, false)).toBeNull();
  });

  it('opens the suggest panel on the selection, only with one and on an editable board', () => {
    let state = { readOnly: false, selectedId: null } as BoardState;
    const store = { getState: () => state, openAssistant: vi.fn() } as unknown as BoardStore;
    const action = actionForKey(press('s'), false, false)!.action;
    expect(runBoardAction(action, { store, today: '2026-11-23' })).toBe(false);
    state = { ...state, selectedId: 'job-1', readOnly: true };
    expect(runBoardAction(action, { store, today: '2026-11-23' })).toBe(false);
    state = { ...state, readOnly: false };
    expect(runBoardAction(action, { store, today: '2026-11-23' })).toBe(true);
    expect(store.openAssistant).toHaveBeenCalledWith({ kind: 'suggest', bookingId: 'job-1' });
  });
});
