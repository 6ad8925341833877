import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * The CSP lives in renderer/index.html. Vite's dev server injects CSS as <style> elements,
 * so only while serving we allow inline styles; the built app keeps `style-src 'self'`.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'crewline:relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  // Packages in `dependencies` stay external (electron-vite's default externalizeDeps);
  // devDependencies (React, FullCalendar) are bundled.
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          // The backend's utilityProcess (forked by main) and its worker thread (issue 22).
          backend: resolve(root, 'electron/backend/backend-entry-utility.ts'),
          'backend-worker': resolve(root, 'electron/backend/backend-entry-worker.ts'),
          // Compaction's merge, in a thread of its own started by the backend worker.
          'compaction-worker': resolve(root, 'electron/backend/store/compaction-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle everything except electron.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS; .cjs because package.json has "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [relaxCspForDevServer()],
    build: {
      // electron-vite leaves bundles unminified by default; the board's first paint pays for parsing
      // every byte of React + FullCalendar (measured in bench/board-bench.ts).
      minify: true,
      chunkSizeWarningLimit: 1024,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
