import { describe, expect, it, vi } from 'vitest';
import { MENU_ACTIONS } from '../../../../core/api/names';
import { actionForKey, actionForMenu, BOARD_ACTIONS, runBoardAction, type KeyPress } from './board-actions';
import type { BoardState, BoardStore } from './board-store';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const idFor = (e: KeyPress, blocked = false, onControl = false) => actionForKey(e, blocked, onControl)?.action.id ?? null;

describe('board actions table', () => {
  it('ids are unique and no two actions share a key or a menu item', () => {
    expect(new Set(BOARD_ACTIONS.map((a) => a.id)).size).toBe(BOARD_ACTIONS.length);
    const keys = BOARD_ACTIONS.flatMap((a) => a.keys.map((k) => `${k.mod ? 'mod+' : ''}${k.shift === true ? 'shift+' : ''}${k.key.toLowerCase()}`));
    expect(new Set(keys).size).toBe(keys.length);
    const menus = BOARD_ACTIONS.flatMap((a) => (a.menu ? [a.menu] : []));
    expect(new Set(menus).size).toBe(menus.length);
  });

  it('every board menu item of the desktop has its action', () => {
    for (const menu of ['save', 'search', 'newBooking', 'undo', 'redo', 'viewDay', 'viewWeek', 'today', 'printRouteSheets'] as const) {
      expect(MENU_ACTIONS).toContain(menu);
      expect(actionForMenu(menu), menu).not.toBeNull();
    }
  });

  it('keys: Ctrl or Cmd, shift variants, plain letters any case', () => {
    expect(idFor(press('s', { ctrlKey: true }))).toBe('save');
    expect(idFor(press('S', { metaKey: true }))).toBe('save');
    expect(idFor(press('z', { ctrlKey: true }))).toBe('undo');
    expect(idFor(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(idFor(press('y', { ctrlKey: true }))).toBe('redo');
    expect(idFor(press('p', { ctrlKey: true }))).toBe('route-sheets');
    expect(idFor(press('p', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(idFor(press('D', { shiftKey: true }))).toBe('day-view');
    expect(idFor(press('d', { altKey: true }))).toBeNull();
    expect(idFor(press('d', { ctrlKey: true }))).toBeNull();
    expect(idFor(press('Backspace'))).toBe('unassign');
    expect(idFor(press('ArrowDown'))).toBe('select-down');
  });

  it('in a dialog or a text field only Ctrl+S, Ctrl+K and Ctrl+P count; Enter on a button is the button’s', () => {
    expect(idFor(press('k', { ctrlKey: true }), true)).toBe('search');
    expect(idFor(press('z', { ctrlKey: true }), true)).toBeNull();
    expect(idFor(press('n'), true)).toBeNull();
    expect(idFor(press('Enter'), false, true)).toBeNull();
    expect(idFor(press('Enter'))).toBe('open');
  });

  it('an action runs only when enabled in the store’s state', () => {
    let state = { readOnly: true, selectedId: null } as BoardState;
    const store = { getState: () => state, openSave: vi.fn(), unassign: vi.fn(), openPanel: vi.fn() } as unknown as BoardStore;
    const save = actionForMenu('save')!;
    expect(runBoardAction(save, { store, today: '2026-11-23' })).toBe(false);
    state = { ...state, readOnly: false };
    expect(runBoardAction(save, { store, today: '2026-11-23' })).toBe(true);
    expect(store.openSave).toHaveBeenCalledOnce();
    const unassign = actionForKey(press('u'), false, false)!.action;
    expect(runBoardAction(unassign, { store, today: '2026-11-23' })).toBe(false);
    state = { ...state, selectedId: 'b1' };
    expect(runBoardAction(unassign, { store, today: '2026-11-23' })).toBe(true);
    expect(store.unassign).toHaveBeenCalledWith('b1');
  });
});
