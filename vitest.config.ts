import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'core/**/*.test.ts',
      'electron/**/*.test.ts',
      'sync-server/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
      'renderer/src/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'out/**', 'dist/**', 'e2e/**'],
    // Some tests spawn processes (servers, the web host): be generous.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
