import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

/**
 * Browser end-to-end tests: Debian's Chromium (no browser download is possible on our machines, DESIGN
 * §12) driving the real renderer served by the web host over the real backend and a real SQLite file.
 */
/** `npm test` runs the suite under several clocks (scripts/test-all.ts); each run keeps its own files. */
const run = process.env.CREWLINE_TEST_RUN;
const suffix = run && run !== 'today' ? `-${run}` : '';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // Two shared cores: one browser at a time keeps timings honest and tests independent.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: `test-results/e2e${suffix}.json` }]],
  outputDir: `test-results/e2e-artifacts${suffix}`,
  use: {
    browserName: 'chromium',
    viewport: { width: 1600, height: 1000 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
