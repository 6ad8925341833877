import type { MenuAction } from '../../../../core/api/names.ts';
import type { BoardState, BoardStore } from './board-store.ts';

/**
 * The board's actions, in one table that serves the keyboard (`actionForKey`), the desktop menu's
 * `app:menuInvoked` (`actionForMenu`) and the header's buttons (`runBoardAction` by id). A key or menu
 * item does what its button does: there is no second switch to keep in step. Unit test: board-actions.test.ts.
 */

export interface KeySpec {
  /** `KeyboardEvent.key`, compared case-insensitively. */
  key: string;
  /** Ctrl (or Cmd) held. */
  mod?: boolean;
  /** Shift must be held (true), must not be (false), or either (absent). */
  shift?: boolean;
  /** Alt must not be held (absent: either). */
  noAlt?: boolean;
  /** Also while a dialog is open or focus is in a text field (Ctrl+S, Ctrl+K, Ctrl+P). */
  everywhere?: boolean;
  /** The browser's default for the key is prevented (when the action runs). */
  preventDefault?: boolean;
}

/** What an action needs besides the store: the day the console shows as today. */
export interface ActionContext {
  store: BoardStore;
  today: string;
}

export interface BoardAction {
  id: string;
  label: string;
  keys: KeySpec[];
  menu?: MenuAction;
  /** From the menu with focus in a text field: the field's own edit command instead (as a native Edit menu). */
  menuInTextField?: 'undo' | 'redo';
  /** False: the key is not taken (it falls through), and the button is disabled. */
  enabled: (state: BoardState) => boolean;
  run: (ctx: ActionContext) => void;
}

const always = () => true;
const editable = (s: BoardState) => !s.readOnly;
const hasSelection = (s: BoardState) => s.selectedId !== null;

export const BOARD_ACTIONS: readonly BoardAction[] = [
  { id: 'save', label: 'Save', keys: [{ key: 's', mod: true, everywhere: true, preventDefault: true }], menu: 'save', enabled: editable, run: ({ store }) => store.openSave() },
  { id: 'search', label: 'Search', keys: [{ key: 'k', mod: true, everywhere: true, preventDefault: true }], menu: 'search', enabled: always, run: ({ store }) => store.openDialog('search') },
  {
    id: 'route-sheets',
    label: 'Route sheets',
    keys: [{ key: 'p', mod: true, shift: false, noAlt: true, everywhere: true, preventDefault: true }],
    menu: 'printRouteSheets',
    enabled: always,
    run: ({ store, today }) => store.openRouteSheets(today),
  },
  { id: 'undo', label: 'Undo', keys: [{ key: 'z', mod: true, shift: false, preventDefault: true }], menu: 'undo', menuInTextField: 'undo', enabled: editable, run: ({ store }) => void store.undo() },
  {
    id: 'redo',
    label: 'Redo',
    keys: [
      { key: 'z', mod: true, shift: true, preventDefault: true },
      { key: 'y', mod: true, preventDefault: true },
    ],
    menu: 'redo',
    menuInTextField: 'redo',
    enabled: editable,
    run: ({ store }) => void store.redo(),
  },
  { id: 'select-left', label: 'Previous card', keys: [{ key: 'ArrowLeft', preventDefault: true }], enabled: always, run: ({ store }) => store.moveSelection('left') },
  { id: 'select-right', label: 'Next card', keys: [{ key: 'ArrowRight', preventDefault: true }], enabled: always, run: ({ store }) => store.moveSelection('right') },
  { id: 'select-up', label: 'Card on the row above', keys: [{ key: 'ArrowUp', preventDefault: true }], enabled: always, run: ({ store }) => store.moveSelection('up') },
  { id: 'select-down', label: 'Card on the row below', keys: [{ key: 'ArrowDown', preventDefault: true }], enabled: always, run: ({ store }) => store.moveSelection('down') },
  { id: 'open', label: 'Open the job', keys: [{ key: 'Enter', preventDefault: true }], enabled: hasSelection, run: ({ store }) => store.openPanel() },
  { id: 'escape', label: 'Close the panel / clear the selection', keys: [{ key: 'Escape' }], enabled: always, run: ({ store }) => store.escape() },
  {
    id: 'unassign',
    label: 'Unassign',
    keys: [{ key: 'Delete', preventDefault: true }, { key: 'Backspace', preventDefault: true }, { key: 'u', preventDefault: true }],
    enabled: hasSelection,
    run: ({ store }) => {
      const id = store.getState().selectedId;
      if (id) void store.unassign(id);
    },
  },
  {
    id: 'suggest',
    label: 'Suggest a technician',
    keys: [{ key: 's', shift: false, preventDefault: true }],
    enabled: (s) => editable(s) && hasSelection(s),
    run: ({ store }) => {
      const id = store.getState().selectedId;
      if (id) store.openAssistant({ kind: 'suggest', bookingId: id });
    },
  },
  { id: 'day-view', label: 'Day', keys: [{ key: 'd' }], menu: 'viewDay', enabled: always, run: ({ store }) => store.calendar?.day() },
  { id: 'week-view', label: 'Week', keys: [{ key: 'w' }], menu: 'viewWeek', enabled: always, run: ({ store }) => store.calendar?.week() },
  { id: 'week-load-view', label: 'Week load', keys: [{ key: 'l' }], enabled: always, run: ({ store }) => store.calendar?.weekLoad() },
  { id: 'today', label: 'Today', keys: [{ key: 't' }], menu: 'today', enabled: always, run: ({ store, today }) => store.calendar?.gotoDate(today) },
  { id: 'new-booking', label: 'New booking', keys: [{ key: 'n' }], menu: 'newBooking', enabled: editable, run: ({ store }) => store.openNewBooking() },
  { id: 'prev', label: 'Previous', keys: [], enabled: always, run: ({ store }) => store.calendar?.prev() },
  { id: 'next', label: 'Next', keys: [], enabled: always, run: ({ store }) => store.calendar?.next() },
  { id: 'discard', label: 'Discard', keys: [], enabled: editable, run: ({ store }) => store.openDialog('discard') },
  { id: 'send-day', label: 'Send day', keys: [], enabled: editable, run: ({ store }) => store.openDialog('send-day') },
];

export type BoardActionId = (typeof BOARD_ACTIONS)[number]['id'];

const byId = new Map(BOARD_ACTIONS.map((a) => [a.id, a]));

export function boardAction(id: string): BoardAction {
  const action = byId.get(id);
  if (!action) throw new Error(`No board action ${id}`);
  return action;
}

/** The part of a keyboard event the table reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

function matches(spec: KeySpec, e: KeyPress): boolean {
  if (spec.key.toLowerCase() !== e.key.toLowerCase()) return false;
  const mod = e.ctrlKey || e.metaKey;
  if (!!spec.mod !== mod) return false;
  if (spec.shift !== undefined && spec.shift !== e.shiftKey) return false;
  if (spec.noAlt && e.altKey) return false;
  // A plain key (no Ctrl) with Alt held is not ours (Alt+D etc. belong to the system or the browser).
  if (!spec.mod && e.altKey) return false;
  return true;
}

/**
 * The action a key press asks for, with the key's spec. `blocked`: a dialog is open or focus is in a
 * text field, where only the keys marked `everywhere` count. `onControl`: focus is on a button or link,
 * whose own Enter and Space the board must not take over.
 */
export function actionForKey(e: KeyPress, blocked: boolean, onControl: boolean): { action: BoardAction; spec: KeySpec } | null {
  if (onControl && (e.key === 'Enter' || e.key === ' ')) blocked = true;
  for (const action of BOARD_ACTIONS) {
    for (const spec of action.keys) {
      if ((blocked && !spec.everywhere) || !matches(spec, e)) continue;
      return { action, spec };
    }
  }
  return null;
}

export function actionForMenu(menu: MenuAction): BoardAction | null {
  return BOARD_ACTIONS.find((a) => a.menu === menu) ?? null;
}

/** Runs an action if it is enabled in the store's state now; true when it ran. */
export function runBoardAction(action: BoardAction, ctx: ActionContext): boolean {
  if (!action.enabled(ctx.store.getState())) return false;
  action.run(ctx);
  return true;
}
