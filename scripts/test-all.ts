/**
 * `npm test`: the unit/integration suite (vitest) and the browser suite (Playwright + Chromium), run under
 * three system clocks, each run writing its JSON reports to test-results/ under its own name:
 *
 *   today  the real clock;
 *   year   the system clock a year ahead (libfaketime `+365d`);
 *   dst    the system clock two minutes before the demo's zone (America/Chicago) springs forward on
 *          2027-03-14, set afresh for each suite, so the change happens while vitest runs and again
 *          while the browser specs run.
 *
 * The tests set their dates through the injected clock (docs/architecture.md, "One clock"); the shifted
 * runs prove that nothing reads the real date behind its back, so a test that passes today also passes next
 * month. Shifting uses Debian's `faketime` (libfaketime, preloaded into every process of the run, Chromium
 * included). Both runs shift by a constant offset, monotonic clocks included: Chromium stops answering its
 * own WebSocket frames when only the wall clock moves, and a constant shift keeps every duration and
 * timeout its real length.
 *
 * Every run always runs; the exit code is non-zero if any failed. `npm test -- --clock today` (or `year`,
 * `dst`, comma-separated) runs only those.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

interface ClockRun {
  name: 'today' | 'year' | 'dst';
  /** libfaketime's FAKETIME for a suite starting now, or null for the real clock. */
  faketime: () => string | null;
  what: string;
}

const DST_START = Date.parse('2027-03-14T07:58:00Z'); // 01:58 CST; at 08:00Z Chicago jumps to 03:00 CDT

const RUNS: ClockRun[] = [
  { name: 'today', faketime: () => null, what: 'the real clock' },
  { name: 'year', faketime: () => '+365d', what: 'the system clock a year ahead' },
  {
    name: 'dst',
    // An offset from the real clock (not an absolute date), so it means the same on any machine's zone.
    faketime: () => `${DST_START >= Date.now() ? '+' : '-'}${Math.abs(Math.round((DST_START - Date.now()) / 1000))}`,
    what: 'the system clock at 2027-03-14T07:58Z, two minutes before Chicago springs forward',
  },
];

const { values } = parseArgs({ options: { clock: { type: 'string', default: RUNS.map((r) => r.name).join(',') } } });
const chosen = values.clock.split(',').map((name) => name.trim());
const unknown = chosen.filter((name) => !RUNS.some((r) => r.name === name));
if (unknown.length > 0) {
  console.error(`test-all: unknown --clock ${unknown.join(', ')} (choose from ${RUNS.map((r) => r.name).join(', ')})`);
  process.exit(2);
}

function hasFaketime(): boolean {
  return spawnSync('faketime', ['-f', '+1d', 'true'], { stdio: 'ignore' }).status === 0;
}

const shell = process.platform === 'win32';
const statuses: Array<{ run: string; suite: string; status: number }> = [];

for (const run of RUNS.filter((r) => chosen.includes(r.name))) {
  const shifted = run.faketime() !== null;
  if (shifted && !hasFaketime()) {
    console.error(`test-all: the '${run.name}' run needs libfaketime's \`faketime\` command (Debian: apt-get install faketime)`);
    statuses.push({ run: run.name, suite: 'setup', status: 1 });
    continue;
  }
  const suffix = run.name === 'today' ? '' : `-${run.name}`;
  // playwright.config.ts names its report and artifacts folder after the run.
  const env: NodeJS.ProcessEnv = { ...process.env, CREWLINE_TEST_RUN: run.name };
  const exec = (suite: string, command: string, args: string[]) => {
    const faketime = run.faketime();
    const [file, argv] = faketime === null ? [command, args] : ['faketime', ['-f', faketime, command, ...args]];
    console.log(`\n=== ${suite} under ${run.what}${faketime === null ? '' : ` (FAKETIME=${faketime})`} ===\n`);
    const status = spawnSync(file, argv, { stdio: 'inherit', env, shell }).status ?? 1;
    statuses.push({ run: run.name, suite, status });
  };
  exec('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=test-results/vitest${suffix}.json`]);
  exec('browser', 'npm', ['run', '--silent', 'test:e2e']);
}

const failed = statuses.filter((s) => s.status !== 0);
for (const s of statuses) console.log(`test-all: ${s.run} ${s.suite}: ${s.status === 0 ? 'passed' : `failed (exit ${s.status})`}`);
process.exit(failed.length === 0 ? 0 : 1);
