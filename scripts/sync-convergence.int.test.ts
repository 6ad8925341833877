/**
 * scripts/sync-convergence.ts: the deadline stops runs from starting, never a run under way, and the exit
 * status says whether every finished run passed. First its loop (runBattery) on a fake clock with fake runs,
 * then the real command on the real rig, with a failure planted in its last run.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyStats, type RunStats, type SyncEvent } from '../electron/backend/sync/testing/convergence-rig';
import { runBattery } from './sync-convergence.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SEED = 20261124;

/** Fake runs that take `runMs` on a fake clock (and a real timer tick, so a run really is under way). */
function fakeRuns(runMs: number, fails: (run: { index: number; endsAt: number; events: SyncEvent[] }) => boolean = () => false) {
  let clock = 0;
  const seen: SyncEvent[][] = [];
  const startedAt: number[] = [];
  let finished = 0;
  const run = async (events: SyncEvent[]): Promise<RunStats> => {
    const index = seen.length;
    seen.push(events);
    startedAt.push(clock);
    await new Promise((done) => setTimeout(done, 1));
    clock += runMs;
    finished++;
    if (fails({ index, endsAt: clock, events })) throw new Error(`planted failure in run ${index + 1}`);
    return emptyStats();
  };
  return { run, now: () => clock, seen, startedAt, finished: () => finished };
}

describe('runBattery (fake clock, fake runs)', () => {
  it('cut by its deadline with every run passing: exit 0, the run under way finished and counted', async () => {
    const runs = fakeRuns(10);
    const lines: string[] = [];
    const result = await runBattery(runs.run, { runs: 1000, seed: SEED, deadline: 35, now: runs.now, log: (line) => lines.push(line) });
    // Runs start at 0, 10, 20 and 30; the fourth ends at 40, past the deadline, and no fifth starts.
    expect(runs.startedAt).toEqual([0, 10, 20, 30]);
    expect(runs.finished(), 'every run that started finished before runBattery returned').toBe(4);
    expect(result).toEqual({ code: 0, passed: 4, cut: true });
    expect(lines.at(-1)).toMatch(/^sync convergence: 4 runs passed in 0 s \(stopped at the deadline; the run under way finished\), seed 20261124;/);
  });

  it('a failure in the last run (under way at the deadline): exit 1, reported with its replay, nothing started after', async () => {
    const runs = fakeRuns(10, ({ endsAt }) => endsAt > 35);
    const lines: string[] = [];
    const result = await runBattery(runs.run, { runs: 1000, seed: SEED, deadline: 35, now: runs.now, log: (line) => lines.push(line) });
    expect(runs.startedAt, 'no shrinking step starts after the deadline').toEqual([0, 10, 20, 30]);
    expect(result).toEqual({ code: 1, passed: 3, cut: true });
    const output = lines.join('\n');
    expect(output).toContain('run 4 failed (planted failure in run 4); shrinking...');
    expect(output).toContain('sync convergence: FAILED at run 4 (0 s), seed 20261124, shrunk 0 times (shrinking stopped at the deadline)');
    expect(output).toContain(`replay it alone: npx tsx scripts/sync-convergence.ts --seed ${SEED} --path 3`);
    expect(output).not.toMatch(/passed in/);

    // The printed seed and path replay the failing run first.
    const replay = fakeRuns(10, () => true);
    const replayed = await runBattery(replay.run, { runs: 1000, seed: SEED, path: '3', log: () => {} });
    expect(replay.seen[0]).toEqual(runs.seen[3]);
    expect(replayed.code).toBe(1);
  });

  it('a failure before the deadline is shrunk; without a deadline the battery runs to the end', async () => {
    const failing = fakeRuns(10, ({ events }) => events.length >= 8);
    const lines: string[] = [];
    const failed = await runBattery(failing.run, { runs: 200, seed: SEED, log: (line) => lines.push(line) });
    expect(failed).toMatchObject({ code: 1, cut: false });
    const minimal = /^minimal event list: (.*)$/m.exec(lines.join('\n'));
    expect(JSON.parse(minimal![1]!), 'shrunk to the shortest failing list').toHaveLength(8);

    const passing = fakeRuns(10);
    expect(await runBattery(passing.run, { runs: 25, seed: SEED, log: () => {} })).toEqual({ code: 0, passed: 25, cut: false });
  });

  it('no run finished before the deadline: exit 1, not a pass', async () => {
    const runs = fakeRuns(10);
    const lines: string[] = [];
    const result = await runBattery(runs.run, { runs: 1000, seed: SEED, deadline: 0, now: runs.now, log: (line) => lines.push(line) });
    expect(runs.seen).toEqual([]);
    expect(result).toEqual({ code: 1, passed: 0, cut: true });
    expect(lines.at(-1)).toBe('sync convergence: FAILED, no run finished before the deadline (0 s), seed 20261124');
  });

  it('a seed replays the same runs', async () => {
    const [first, second] = [fakeRuns(10), fakeRuns(10)];
    await runBattery(first.run, { runs: 20, seed: SEED, log: () => {} });
    await runBattery(second.run, { runs: 20, seed: SEED, log: () => {} });
    expect(second.seen).toEqual(first.seen);
    expect(new Set(first.seen.map((events) => JSON.stringify(events))).size, 'the runs differ from one another').toBe(20);
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npx tsx scripts/sync-convergence.ts ...`, as documented. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'scripts/sync-convergence.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 50_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, '') });
    });
  });
}

describe('npx tsx scripts/sync-convergence.ts (real rig)', { concurrent: true }, () => {
  const cut = ['--runs', '100000', '--seed', String(SEED), '--minutes', '0.1'];

  it('--minutes with every run passing: exit 0, says how many runs passed and that the deadline stopped it', async () => {
    const { code, stdout, stderr } = await cli(cut);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toContain(`sync convergence: seed ${SEED}, 100000 runs, at most 0.1 min`);
    const passed = /sync convergence: (\d+) runs passed in \d+ s \(stopped at the deadline; the run under way finished\)/.exec(stdout);
    expect(passed, stdout).not.toBeNull();
    expect(Number(passed![1])).toBeGreaterThan(0);
    expect(stdout).not.toMatch(/failed/i);
  }, 60_000);

  it('--minutes with a failure planted in the last run: exit 1, the failure and its replay printed', async () => {
    const { code, stdout, stderr } = await cli(cut, { SYNC_CONVERGENCE_PLANT_FAILURE: 'last' });
    expect(code, stdout + stderr).toBe(1);
    const failed = /sync convergence: FAILED at run (\d+) \(\d+ s\), seed 20261124, shrunk 0 times \(shrinking stopped at the deadline\)/.exec(stdout);
    expect(failed, stdout).not.toBeNull();
    expect(stdout).toContain(`run ${failed![1]} failed (planted failure (SYNC_CONVERGENCE_PLANT_FAILURE=last)`);
    expect(stdout).toContain(`replay it alone: npx tsx scripts/sync-convergence.ts --seed ${SEED} --path ${Number(failed![1]) - 1}`);
    expect(stdout).not.toMatch(/runs passed/);
  }, 60_000);

  it('bad flags: exit 2', async () => {
    const { code, stderr } = await cli(['--runs', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('--runs must be a positive whole number, got 0');
  }, 60_000);
});
