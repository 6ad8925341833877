// ESLint flat config (eslint 10 + typescript-eslint 8). Not type-aware, to stay fast.
// Process boundaries of docs/design.md §1 and §2 are enforced with no-restricted-imports / no-restricted-globals.
// Note: for one file only the LAST matching config's options of a rule apply, so the blocks
// below are ordered from general to specific and each repeats the full list it needs.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const bareBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

const electronOnlyInMain = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (docs/design.md §1).',
};
const electronSubpaths = {
  group: ['electron/*'],
  message: 'Only electron/main and electron/preload may import electron (docs/design.md §1).',
};

/** no-restricted-imports options forbidding Node, Electron and native-module imports. */
function noNodeImports(where) {
  const message = `${where} must not use Node, Electron or native modules (docs/design.md §2).`;
  return {
    paths: [
      { name: 'electron', message },
      { name: 'better-sqlite3', message },
      { name: 'ws', message },
      ...bareBuiltins.map((name) => ({ name, message })),
    ],
    patterns: [
      { group: ['node:*'], message },
      { group: ['electron/*', 'better-sqlite3/*', 'ws/*'], message },
    ],
  };
}

const domGlobals = [
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'alert',
  'confirm',
  'prompt',
  'requestAnimationFrame',
].map((name) => ({ name, message: `core/ has no DOM: do not use ${name} (docs/design.md §2).` }));

const nodeGlobals = ['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global'].map(
  (name) => ({ name, message: `core/ has no Node runtime: do not use ${name} (docs/design.md §2).` }),
);

/**
 * Our own folders a module may not import from (issue 21, 5): core imports nothing of ours; the renderer
 * only core and itself; the sync server and the desktop backend do not import each other (what both need
 * lives in core). Tests and test harnesses may reach across to start a real server or desktop.
 */
function ownFolders(dirs, message) {
  return dirs.map((dir) => ({ group: [`**/${dir}/**`, `${dir}/**`], message }));
}
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];

export default defineConfig(
  {
    ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', '.vitest-reports/', '.crewline-data/'],
  },
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnlyInMain], patterns: [electronSubpaths] }],
    },
  },
  {
    files: ['electron/backend/**'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [electronSubpaths, ...ownFolders(['sync-server', 'renderer'], 'electron/backend does not import the sync server or the renderer: shared code lives in core/.')],
        },
      ],
    },
  },
  {
    files: ['sync-server/**'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [electronSubpaths, ...ownFolders(['electron', 'renderer'], 'The sync server does not import the desktop: shared code lives in core/.')],
        },
      ],
    },
  },
  {
    // Node code both the desktop backend and the sync server use (issue 21, 5): it imports core/ and
    // itself only, so neither side reaches into the other through it.
    files: ['node-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [electronSubpaths, ...ownFolders(['electron', 'sync-server', 'renderer', 'bench', 'scripts', 'e2e'], 'node-shared/ imports only core/ and itself: it is what the desktop and the sync server share.')],
        },
      ],
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        (() => {
          const base = noNodeImports('core/');
          const ours = ownFolders(['electron', 'renderer', 'sync-server', 'bench', 'scripts', 'e2e'], 'core/ imports nothing of ours outside core/.');
          return { ...base, patterns: [...base.patterns, ...ours] };
        })(),
      ],
      'no-restricted-globals': ['error', ...domGlobals, ...nodeGlobals],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        (() => {
          const base = noNodeImports('renderer/ (talks to the backend only through the API client)');
          const ours = ownFolders(['electron', 'sync-server', 'bench', 'scripts', 'e2e'], 'renderer/ imports only core/ and itself.');
          return { ...base, patterns: [...base.patterns, ...ours] };
        })(),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
    },
  },
  {
    // The board's calendar is reached through one bridge (issue 21, 1): FullCalendar is imported only by
    // the bridge's folder and the React wrapper that creates it. A rule of its own name, so it adds to the blocks above.
    files: ['renderer/**'],
    ignores: ['renderer/src/features/board/calendar/**', 'renderer/src/components/Timeline.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fullcalendar', 'fullcalendar/*', 'fullcalendar-scheduler', 'fullcalendar-scheduler/*', '@fullcalendar/*'],
              message: 'Only features/board/calendar/ (and components/Timeline.tsx) talk to FullCalendar.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': 'off',
    },
  },
  {
    // The sandboxed preload can load electron's renderer modules and nothing of Node.
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...bareBuiltins.map((name) => ({ name, message: 'The sandboxed preload has no Node modules.' }))],
          patterns: [{ group: ['node:*'], message: 'The sandboxed preload has no Node modules.' }],
        },
      ],
    },
  },
);
