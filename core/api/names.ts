import type { Result } from '../result';

/**
 * The contract's channel names as plain data, with no zod and no domain code behind them, so the sandboxed
 * preload can allow-list them without bundling the contract. `contract.ts` checks both lists against the
 * request table and the event payload map at compile time.
 */
export const REQUEST_NAMES = [
  'app:getInfo',
  'settings:get',
  'providers:list',
  'customers:list',
  'services:list',
  'board:getRange',
  'queue:list',
  'bookings:get',
  'bookings:list',
  'search:query',
  'series:ofBooking',
  'series:rulesFor',
  'commands:run',
  'draft:stage',
  'draft:stageMany',
  'draft:discard',
  'draft:preview',
  'draft:save',
  'routeSheets:get',
  'routeSheets:savePdf',
  'history:undo',
  'history:redo',
  'sync:getStatus',
  'sync:signIn',
  'sync:redeemCode',
  'sync:link',
  'sync:signOut',
  'sync:getPresence',
  'sync:setPresence',
  'sync:listOfflineChanges',
  'sync:dismissOfflineChange',
  'roster:listLostWrites',
  'roster:dismissLostWrite',
  'team:listUsers',
  'team:invite',
  'team:updateUser',
  'team:revokeSessions',
  'team:newInviteCode',
  'team:getCalendarFeed',
  'team:regenerateCalendarFeed',
  'notifications:listForBooking',
  'notifications:listDeadLetters',
  'notifications:retry',
  'notifications:resendDaily',
  'import:preview',
  'import:commit',
  'export:csv',
  'workspace:getStatus',
  'workspace:startDemo',
  'workspace:setUpCompany',
  'workspace:startMyCompany',
  'backup:list',
  'backup:create',
  'backup:check',
  'backup:restore',
  'backup:getSettings',
  'backup:setSettings',
  'assistant:fillDay',
  'assistant:cancel',
  'assistant:orderRoute',
  'assistant:suggest',
  'updates:getStatus',
  'updates:setFeedUrl',
  'updates:check',
  'updates:restart',
] as const;

export const EVENT_NAMES = [
  'schedule:changed',
  'roster:changed',
  'draft:changed',
  'app:menuInvoked',
  'sync:statusChanged',
  'sync:presenceChanged',
  'sync:offlineChangesChanged',
  'roster:lostWritesChanged',
  'assistant:progress',
  'updates:stateChanged',
] as const;

/** What the desktop menu can ask of the renderer; the keyboard shortcuts run the same actions. */
export const MENU_ACTIONS = ['newBooking', 'save', 'undo', 'redo', 'viewDay', 'viewWeek', 'today', 'search', 'printRouteSheets', 'openSync'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

/** Electron IPC channels: one for every request (`invoke`), one for every event (`send`). */
export const IPC_REQUEST_CHANNEL = 'crewline:request';
export const IPC_EVENT_CHANNEL = 'crewline:event';

/**
 * What the preload exposes as `window.crewline`. Untyped on purpose at this boundary: the preload only
 * allow-lists names, the main process validates every input, and the renderer's client adds the types.
 */
export interface CrewlineBridge {
  request(name: (typeof REQUEST_NAMES)[number], input: unknown): Promise<Result<unknown>>;
  on(event: (typeof EVENT_NAMES)[number], listener: (payload: unknown) => void): () => void;
}
