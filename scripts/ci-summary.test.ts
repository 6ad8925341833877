import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countsOf, failuresOf, summarize } from './ci-summary.ts';

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

  it('counts a suite whose tests were skipped by a failed set-up, beside failed tests of another suite', () => {
    const report = {
      numPassedTests: 10,
      numFailedTests: 2,
      numFailedTestSuites: 2,
      success: false,
      testResults: [
        { status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'failed' }] },
        { status: 'failed', message: 'redis-server did not start', assertionResults: [{ status: 'skipped' }, { status: 'skipped' }] },
        { status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    };
    expect(countsOf(report)).toEqual({ passed: 10, failed: 3 });
    // A failed run that names no failure still is not green.
    expect(countsOf({ numPassedTests: 1, numFailedTests: 0, success: false, testResults: [] })).toEqual({ passed: 1, failed: 1 });
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

  it('names the failed tests of both report kinds', () => {
    const vitest = {
      numPassedTests: 1,
      numFailedTests: 1,
      testResults: [
        { name: '/r/a.test.ts', status: 'failed', assertionResults: [{ status: 'failed', fullName: 'a › b', failureMessages: ['AssertionError: 1 !== 2\n  at x'] }] },
        { name: '/r/b.test.ts', status: 'failed', message: 'Cannot find module\nstack', assertionResults: [] },
        { name: '/r/c.test.ts', status: 'passed', assertionResults: [{ status: 'passed', fullName: 'fine' }] },
      ],
    };
    expect(failuresOf(vitest)).toEqual(['/r/a.test.ts › a › b — AssertionError: 1 !== 2', '/r/b.test.ts: Cannot find module']);
    const playwright = {
      stats: { expected: 1, unexpected: 1 },
      suites: [
        {
          title: 'x.spec.ts',
          specs: [{ title: 'top', file: 'x.spec.ts', line: 3, tests: [{ status: 'expected' }] }],
          suites: [{ title: 'group', specs: [{ title: 'inner', file: 'x.spec.ts', line: 9, tests: [{ status: 'unexpected' }] }] }],
        },
      ],
    };
    expect(failuresOf(playwright)).toEqual(['x.spec.ts:9 › group › inner']);
  });

  it('reports a missing directory as a problem', () => {
    expect(summarize(path.join(tmpdir(), 'ci-summary-does-not-exist')).problems).toHaveLength(1);
  });
});
