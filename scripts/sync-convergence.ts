/**
 * The sync convergence battery at length (sync issue #4): the runs of electron/backend/sync/convergence.int.test.ts
 * (three desktops, a real server, random commands, partitions, resets, app and server restarts; see
 * electron/backend/sync/testing/convergence-rig.ts), as many as asked.
 *
 *   npx tsx scripts/sync-convergence.ts --runs 10000 [--seed N] [--path P] [--minutes M]
 *
 * Prints the seed first and progress as it goes. On a failure fast-check shrinks the run to a minimal event
 * list, which is printed with the seed and the replay commands (`--seed N --path P` here, or FC_SEED and
 * FC_PATH for the test). `--minutes` is a deadline for starting runs, counted from the start: no run (nor
 * shrinking step) starts after it, and the one under way finishes and counts like any other.
 * Exit status: 0 every finished run passed (at least one finished), 1 a run failed or none finished,
 * 2 bad flags.
 *
 * Test seam (scripts/sync-convergence.int.test.ts): SYNC_CONVERGENCE_PLANT_FAILURE=last makes the run that
 * is under way at the deadline (so the last run) fail after it has really run.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { addStats, ConvergenceRig, emptyStats, syncRunArb, type RunStats, type SyncEvent } from '../electron/backend/sync/testing/convergence-rig';
import { runAsScript } from './exit-when-flushed';

/** A fresh server (and data dir) every so many runs: 10,000 organizations in one file is not the point. */
const RUNS_PER_SERVER = 1000;
const PROGRESS_EVERY_MS = 10_000;

function flags() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '1000' },
      seed: { type: 'string' },
      path: { type: 'string' },
      minutes: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const minutes = values.minutes === undefined ? undefined : Number(values.minutes);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, got ${values.runs}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got ${values.seed}`);
  if (minutes !== undefined && !(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${values.minutes}`);
  return { runs, seed, path: values.path, minutes };
}

function summary(t: RunStats): string {
  return (
    `${t.ran} commands (${t.offlineCommands} offline, ${t.refused} refused, ${t.undos} undos), ${t.partitions} partitions, ` +
    `${t.appStops} sync stops, ${t.drops} resets, ${t.reopens} app restarts, ${t.serverRestarts} server restarts, ` +
    `${t.serverOutages} outages, ${t.concurrentMoves} concurrent moves, max pending ${t.maxPending}`
  );
}

export interface BatteryOptions {
  runs: number;
  seed: number;
  path?: string;
  /** On `now`'s clock: no run starts at or after it. Undefined: no deadline. */
  deadline?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface BatteryResult {
  /** The exit status: 0 every finished run passed and at least one did, 1 otherwise. */
  code: 0 | 1;
  /** Runs that passed before the first failure (shrinking runs are not counted). */
  passed: number;
  /** The deadline stopped the battery (before all runs, or during shrinking). */
  cut: boolean;
}

/**
 * The battery's loop: fast-check draws the runs from the seed (so a seed replays them) and shrinks a failure.
 * The deadline is checked only before a run starts. fast-check's own time limit (interruptAfterTimeLimit)
 * races the run under way instead and returns while it still runs: the caller then closed the rig under it,
 * and a run that would have failed counted as "interrupted", that is passed.
 */
export async function runBattery(run: (events: SyncEvent[]) => Promise<RunStats>, options: BatteryOptions): Promise<BatteryResult> {
  const { runs, seed, path, deadline, now = () => performance.now(), log = console.log } = options;
  let passed = 0;
  let failures = 0;
  let cut = false;
  const totals = emptyStats();
  const started = now();
  let lastProgress = started;
  const seconds = () => (now() - started) / 1000;

  const property = fc.asyncProperty(syncRunArb, async (events: SyncEvent[]) => {
    if (deadline !== undefined && now() >= deadline) {
      cut = true;
      // Ends fc.check where it stands: a failure found so far stays failed.
      throw new fc.PreconditionFailure(true);
    }
    try {
      addStats(totals, await run(events));
      if (failures === 0) passed++;
    } catch (error) {
      failures++;
      if (failures === 1) {
        log(`run ${passed + 1} failed (${(error as Error).message.split('\n')[0]}); shrinking...`);
        log(`  events: ${JSON.stringify(events)}`);
      }
      throw error;
    } finally {
      const at = now();
      if (at - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = at;
        const phase = failures > 0 ? `shrinking (${failures} failing runs so far)` : `${passed}/${runs} runs`;
        log(`  ${phase}, ${seconds().toFixed(0)} s, ${(passed / seconds()).toFixed(1)} runs/s; ${summary(totals)}`);
      }
    }
  });

  const details = await fc.check(property, { numRuns: runs, seed, ...(path ? { path } : {}) });
  const time = `${seconds().toFixed(0)} s`;
  const stopped = cut ? ' (stopped at the deadline; the run under way finished)' : '';

  if (!details.failed) {
    log(`sync convergence: ${passed} runs passed in ${time}${stopped}, seed ${seed}; ${summary(totals)}`);
    return { code: 0, passed, cut };
  }
  if (details.counterexample === null) {
    // fast-check counts an interrupted check with no passed run as failed, and so do we: nothing was tested.
    log(`sync convergence: FAILED, no run finished before the deadline (${time}), seed ${seed}`);
    return { code: 1, passed, cut };
  }
  const shrinking = cut ? ' (shrinking stopped at the deadline)' : '';
  log(`\nsync convergence: FAILED at run ${passed + 1} (${time}), seed ${seed}, shrunk ${details.numShrinks} times${shrinking}`);
  log(`minimal event list: ${JSON.stringify(details.counterexample[0])}`);
  log(`error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  log(`replay it alone: npx tsx scripts/sync-convergence.ts --seed ${seed} --path ${details.counterexamplePath}`);
  log(`or in the test:  FC_SEED=${seed} FC_PATH=${details.counterexamplePath} npx vitest run electron/backend/sync/convergence.int.test.ts`);
  return { code: 1, passed, cut };
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  let options: ReturnType<typeof flags>;
  try {
    options = flags();
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const { runs, seed, path, minutes } = options;
  console.log(`sync convergence: seed ${seed}, ${runs} runs${path ? `, path ${path}` : ''}${minutes ? `, at most ${minutes} min` : ''}`);
  const deadline = minutes === undefined ? undefined : startedAt + minutes * 60_000;
  const plantLast = process.env.SYNC_CONVERGENCE_PLANT_FAILURE === 'last';

  let rig = await ConvergenceRig.start();
  let onRig = 0;
  const run = async (events: SyncEvent[]): Promise<RunStats> => {
    if (onRig >= RUNS_PER_SERVER) {
      await rig.close();
      rig = await ConvergenceRig.start();
      onRig = 0;
    }
    onRig++;
    const stats = await rig.run(events);
    if (plantLast && deadline !== undefined && performance.now() >= deadline) {
      throw new Error('planted failure (SYNC_CONVERGENCE_PLANT_FAILURE=last): the run under way at the deadline');
    }
    return stats;
  };
  try {
    return (await runBattery(run, { runs, seed, path, deadline })).code;
  } finally {
    await rig.close();
  }
}

runAsScript(import.meta.url, main);
