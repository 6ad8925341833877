import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countsOf, summarize } from './ci-summary.ts';

describe('ci-summary', () => {
  it('reads vitest and Playwright JSON reports', () => {
    expect(countsOf({ numPassedTests: 5, numFailedTests: 1, success: false })).toEqual({ passed: 5, failed: 1 });
    expect(countsOf({ stats: { expected: 3, unexpected: 2, flaky: 1, skipped: 4 } })).toEqual({ passed: 4, failed: 2 });
    expect(countsOf({ something: 'else' })).toBeNull();
  });

  it('counts a vitest run whose test files failed to load as failed', () => {
    expect(countsOf({ numPassedTests: 2, numFailedTests: 0, numFailedTestSuites: 3, success: false })).toEqual({
      passed: 2,
      failed: 3,
    });
  });

  it('sums every report in a directory and flags unreadable ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ci-summary-'));
    writeFileSync(path.join(dir, 'vitest.json'), JSON.stringify({ numPassedTests: 10, numFailedTests: 0 }));
    writeFileSync(path.join(dir, 'e2e.json'), JSON.stringify({ stats: { expected: 4, unexpected: 1 } }));
    writeFileSync(path.join(dir, 'broken.json'), '{');
    const { counts, problems } = summarize(dir);
    expect(counts).toEqual({ passed: 14, failed: 1 });
    expect(problems).toHaveLength(1);
  });

  it('reports a missing directory as a problem', () => {
    expect(summarize(path.join(tmpdir(), 'ci-summary-does-not-exist')).problems).toHaveLength(1);
  });
});
