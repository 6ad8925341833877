// Proves the process-boundary lint rules of eslint.config.js fire where they should (docs/design.md §1 and §2).
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: path.join(repoRoot, 'eslint.config.js') });

/** Lints `code` as if it lived at `file` (the file need not exist) and returns the rule ids hit. */
async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  if (result === undefined) throw new Error('ESLint returned no result');
  const fatal = result.messages.filter((m) => m.fatal === true || m.ruleId === null);
  expect(fatal, 'parse errors / ignored file').toEqual([]);
  return result.messages.map((m) => m.ruleId ?? '');
}

describe('lint: process boundaries', () => {
  it.each([
    ['core/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['core/x.ts', "import fs from 'fs';\nexport const f = fs;\n"],
    ['core/x.ts', "import type { Database } from 'better-sqlite3';\nexport type D = Database;\n"],
    ['core/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['core/x.ts', "export { WebSocket } from 'ws';\n"],
    ['renderer/src/x.tsx', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n"],
    ['renderer/src/x.ts', "import path from 'node:path';\nexport const p = path;\n"],
    ['electron/backend/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['sync-server/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
  ])('%s: forbids %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['core/x.ts', 'export const w = window.innerWidth;\n'],
    ['core/x.ts', 'export const d = document.title;\n'],
    ['core/x.ts', "export const p = fetch('/x');\n"],
    ['core/x.ts', 'export const e = process.env;\n'],
  ])('%s: forbids the global in %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-globals');
  });

  it.each([
    ['electron/main/index.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/preload/index.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n"],
    ['electron/backend/x.ts', "import path from 'node:path';\nexport const p = path;\n"],
    ['core/x.ts', "import * as Y from 'yjs';\nexport const doc = new Y.Doc();\n"],
    ['renderer/src/x.ts', 'export const w = window.innerWidth;\n'],
  ])('%s: allows %j', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });
});

describe('lint: our own folders, by path (issue 21, 5)', () => {
  it.each([
    ['core/x.ts', "import { LocalStore } from '../electron/backend/store/local-store';\nexport const s = LocalStore;\n"],
    ['core/doc/x.ts', "import { App } from '../../renderer/src/App';\nexport const a = App;\n"],
    ['core/x.ts', "import { createSyncServer } from '../sync-server/src/server';\nexport const c = createSyncServer;\n"],
    ['renderer/src/x.ts', "import { BackendApi } from '../../electron/backend/api/backend-api';\nexport const b = BackendApi;\n"],
    ['renderer/src/features/x.ts', "import { parseConfig } from '../../../sync-server/src/config';\nexport const p = parseConfig;\n"],
    ['renderer/src/x.ts', "import { summarize } from '../../scripts/ci-summary';\nexport const s = summarize;\n"],
    ['electron/backend/api/x.ts', "import { createSyncServer } from '../../../sync-server/src/server';\nexport const c = createSyncServer;\n"],
    ['sync-server/src/x.ts', "import { LocalStore } from '../../electron/backend/store/local-store';\nexport const s = LocalStore;\n"],
    ['electron/preload/x.ts', "import path from 'node:path';\nexport const p = path;\n"],
    ['electron/preload/x.ts', "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n"],
  ])('%s: forbids %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['renderer/src/x.ts', "import { toMs } from '../../core/time';\nexport const t = toMs;\n"],
    ['electron/backend/api/x.ts', "import { toMs } from '../../../core/time';\nexport const t = toMs;\n"],
    ['sync-server/src/x.ts', "import { toMs } from '../../core/time';\nexport const t = toMs;\n"],
    // Tests and harnesses start a real server or desktop across the line.
    ['electron/backend/api/x.int.test.ts', "import { createSyncServer } from '../../../sync-server/src/server';\nexport const c = createSyncServer;\n"],
    ['sync-server/src/sync/testing/x.ts', "import { LocalStore } from '../../../../electron/backend/store/local-store';\nexport const s = LocalStore;\n"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n"],
  ])('%s: allows %j', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });

  it.each([
    ['node-shared/update-log/x.ts', "import { DocLog } from '../../electron/backend/store/doc-log';\nexport const d = DocLog;\n"],
    ['node-shared/update-log/x.ts', "import { RoomStore } from '../../sync-server/src/sync/room-store';\nexport const r = RoomStore;\n"],
    ['node-shared/x.ts', "import { App } from '../renderer/src/App';\nexport const a = App;\n"],
    ['node-shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
  ])('node-shared: %s forbids %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['node-shared/update-log/x.ts', "import { toMs } from '../../core/time';\nimport Database from 'better-sqlite3';\nexport const t = [toMs, Database];\n"],
    ['electron/backend/store/x.ts', "import { SqliteUpdateLog } from '../../../node-shared/update-log/sqlite-update-log';\nexport const s = SqliteUpdateLog;\n"],
    ['sync-server/src/sync/x.ts', "import { SqliteUpdateLog } from '../../../node-shared/update-log/sqlite-update-log';\nexport const s = SqliteUpdateLog;\n"],
  ])('node-shared: %s allows %j', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });

  it('react-hooks: a hook called conditionally fails lint', async () => {
    const code = [
      "import { useState } from 'react';",
      'export function Card({ open }: { open: boolean }) {',
      '  if (open) {',
      '    const [n] = useState(0);',
      '    return n;',
      '  }',
      '  return null;',
      '}',
      '',
    ].join('\n');
    expect(await ruleIds('renderer/src/x.tsx', code)).toContain('react-hooks/rules-of-hooks');
  });
});

describe('lint: FullCalendar only through the board calendar folder (issue 21, 1)', () => {
  it.each([
    ['renderer/src/features/board/Board.tsx', "import { Calendar } from 'fullcalendar';\nexport const c = Calendar;\n"],
    ['renderer/src/features/board/UnassignedQueue.tsx', "import { Draggable } from 'fullcalendar/interaction';\nexport const d = Draggable;\n"],
    ['renderer/src/features/board/x.ts', "import type { EventInput } from 'fullcalendar';\nexport type E = EventInput;\n"],
    ['renderer/src/features/board/calendar-bridge.ts', "import { Calendar } from 'fullcalendar';\nexport const c = Calendar;\n"],
    ['renderer/src/features/calendar/x.ts', "import { Calendar } from 'fullcalendar';\nexport const c = Calendar;\n"],
    ['renderer/src/features/jobs/x.ts', "import type { ResourceApi } from 'fullcalendar-scheduler';\nexport type R = ResourceApi;\n"],
    ['renderer/src/x.ts', "import plugin from 'fullcalendar-scheduler/resource-timeline';\nexport const p = plugin;\n"],
  ])('%s: forbids %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('@typescript-eslint/no-restricted-imports');
  });

  it.each([
    ['renderer/src/features/board/calendar/calendar-bridge.ts', "import { Calendar } from 'fullcalendar';\nexport const c = Calendar;\n"],
    ['renderer/src/features/board/calendar/event-inputs.ts', "import type { EventInput } from 'fullcalendar';\nexport type E = EventInput;\n"],
    ['renderer/src/components/Timeline.tsx', "import resourceTimelinePlugin from 'fullcalendar-scheduler/resource-timeline';\nexport const p = resourceTimelinePlugin;\n"],
    ['bench/fc-floor-page.ts', "import { Calendar } from 'fullcalendar';\nexport const c = Calendar;\n"],
  ])('%s: allows %j', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });

  it('the bridge still may not import Node', async () => {
    expect(await ruleIds('renderer/src/features/board/calendar/calendar-bridge.ts', "import path from 'node:path';\nexport const p = path;\n")).toContain('no-restricted-imports');
  });
});
