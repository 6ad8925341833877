// Prints one line "N passed, N failed" summed over every JSON test report in test-results/.
// Understands vitest/jest JSON (numPassedTests/numFailedTests) and Playwright JSON
// (stats.expected/stats.unexpected; flaky tests count as passed). Exits 1 when a report
// cannot be read or no report exists, so a silently missing test run is not reported as green.
// Run with node >= 24 (type stripping): `node scripts/ci-summary.ts [dir]`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Counts {
  passed: number;
  failed: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** Counts of one parsed report, or null if the format is not recognised. */
export function countsOf(report: unknown): Counts | null {
  if (!isRecord(report)) return null;
  if ('numPassedTests' in report || 'numFailedTests' in report) {
    // vitest's JSON reporter (jest-compatible). A suite that failed with no failed test of its own (it did
    // not load, or a beforeAll threw and its tests were skipped) counts as one failure, even when other
    // suites' tests failed too.
    const failedTests = count(report['numFailedTests']);
    const suites = report['testResults'];
    if (Array.isArray(suites)) {
      const brokenSuites = suites.filter(
        (suite) =>
          isRecord(suite) &&
          suite['status'] === 'failed' &&
          !(Array.isArray(suite['assertionResults']) && suite['assertionResults'].some((a) => isRecord(a) && a['status'] === 'failed')),
      ).length;
      const unexplained = failedTests + brokenSuites === 0 && report['success'] === false ? 1 : 0;
      return { passed: count(report['numPassedTests']), failed: failedTests + brokenSuites + unexplained };
    }
    const failedSuites = count(report['numFailedTestSuites']);
    const loadErrors = failedTests === 0 && report['success'] === false ? Math.max(failedSuites, 1) : 0;
    return { passed: count(report['numPassedTests']), failed: failedTests + loadErrors };
  }
  const stats = report['stats'];
  if (isRecord(stats) && ('expected' in stats || 'unexpected' in stats)) {
    // Playwright's JSON reporter.
    return { passed: count(stats['expected']) + count(stats['flaky']), failed: count(stats['unexpected']) };
  }
  return null;
}

/**
 * The names of a report's failures, so a red run says which tests failed in the last lines of its log
 * (CI often keeps only the tail). Vitest: "file › test" per failed test, and "file: message" for a suite that
 * failed on its own. Playwright: "file:line › title" per test whose outcome was unexpected.
 */
export function failuresOf(report: unknown): string[] {
  if (!isRecord(report)) return [];
  const failures: string[] = [];
  const suites = report['testResults'];
  if (Array.isArray(suites)) {
    for (const suite of suites) {
      if (!isRecord(suite)) continue;
      const file = String(suite['name'] ?? '?');
      const results = Array.isArray(suite['assertionResults']) ? suite['assertionResults'].filter(isRecord) : [];
      const failed = results.filter((a) => a['status'] === 'failed');
      for (const a of failed) {
        const first = Array.isArray(a['failureMessages']) ? String(a['failureMessages'][0] ?? '').split('\n')[0] : '';
        failures.push(`${file} › ${String(a['fullName'] ?? a['title'] ?? '?')}${first ? ` — ${first.slice(0, 200)}` : ''}`);
      }
      if (suite['status'] === 'failed' && failed.length === 0) {
        failures.push(`${file}: ${String(suite['message'] ?? 'failed').split('\n')[0]?.slice(0, 200)}`);
      }
    }
  }
  const walk = (suite: Record<string, unknown>, titles: string[]) => {
    const here = suite['title'] ? [...titles, String(suite['title'])] : titles;
    for (const spec of Array.isArray(suite['specs']) ? suite['specs'].filter(isRecord) : []) {
      const tests = Array.isArray(spec['tests']) ? spec['tests'].filter(isRecord) : [];
      if (tests.some((t) => t['status'] === 'unexpected')) {
        failures.push(`${String(spec['file'] ?? '?')}:${String(spec['line'] ?? '?')} › ${[...here.slice(1), String(spec['title'])].join(' › ')}`);
      }
    }
    for (const child of Array.isArray(suite['suites']) ? suite['suites'].filter(isRecord) : []) walk(child, here);
  };
  if (Array.isArray(report['suites']) && isRecord(report['stats'])) {
    for (const suite of report['suites'].filter(isRecord)) walk(suite, []);
  }
  return failures;
}

export function summarize(dir: string): { counts: Counts; problems: string[]; failures: string[] } {
  const counts: Counts = { passed: 0, failed: 0 };
  const problems: string[] = [];
  const failures: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch {
    problems.push(`no report directory ${dir}`);
  }
  if (files.length === 0 && problems.length === 0) problems.push(`no JSON report in ${dir}`);
  for (const name of files) {
    const file = path.join(dir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${file}: unreadable (${String(error)})`);
      continue;
    }
    const reportCounts = countsOf(parsed);
    if (reportCounts === null) {
      problems.push(`${file}: not a vitest or Playwright JSON report`);
      continue;
    }
    counts.passed += reportCounts.passed;
    counts.failed += reportCounts.failed;
    for (const failure of failuresOf(parsed)) failures.push(`${name}: ${failure}`);
  }
  return { counts, problems, failures };
}

if (import.meta.main) {
  const dir = path.resolve(process.argv[2] ?? 'test-results');
  const { counts, problems, failures } = summarize(dir);
  for (const problem of problems) console.error(`ci-summary: ${problem}`);
  for (const failure of failures) console.log(`ci-summary: failed: ${failure}`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
