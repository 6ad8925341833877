/**
 * The sync convergence battery at length (sync issue #4): the runs of electron/backend/sync/convergence.int.test.ts
 * (three desktops, a real server, random commands, partitions, resets, app and server restarts; see
 * electron/backend/sync/testing/convergence-rig.ts), as many as asked.
 *
 *   npx tsx scripts/sync-convergence.ts --runs 10000 [--seed N] [--path P] [--minutes M]
 *
 * Prints the seed first and progress as it goes. On a failure fast-check shrinks the run to a minimal event
 * list, which is printed with the seed and the replay commands (`--seed N --path P` here, or FC_SEED and
 * FC_PATH for the test). `--minutes` stops early (counted as a pass) once that much time has gone by.
 * Exit status: 0 all runs passed, 1 a run failed, 2 bad flags.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { addStats, ConvergenceRig, emptyStats, syncRunArb, type RunStats, type SyncEvent } from '../electron/backend/sync/testing/convergence-rig';

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

async function main(): Promise<number> {
  let options: ReturnType<typeof flags>;
  try {
    options = flags();
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const { runs, seed, path, minutes } = options;
  console.log(`sync convergence: seed ${seed}, ${runs} runs${path ? `, path ${path}` : ''}${minutes ? `, at most ${minutes} min` : ''}`);

  let rig = await ConvergenceRig.start();
  let onRig = 0;
  let done = 0;
  let failures = 0;
  const totals = emptyStats();
  const started = performance.now();
  let lastProgress = started;
  const elapsed = () => (performance.now() - started) / 1000;

  const property = fc.asyncProperty(syncRunArb, async (events: SyncEvent[]) => {
    if (onRig >= RUNS_PER_SERVER) {
      await rig.close();
      rig = await ConvergenceRig.start();
      onRig = 0;
    }
    onRig++;
    try {
      addStats(totals, await rig.run(events));
      done++;
    } catch (error) {
      failures++;
      if (failures === 1) {
        console.log(`run ${done + 1} failed (${(error as Error).message.split('\n')[0]}); shrinking...`);
        console.log(`  events: ${JSON.stringify(events)}`);
      }
      throw error;
    } finally {
      const now = performance.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        const rate = done / elapsed();
        const phase = failures > 0 ? `shrinking (${failures} failing runs so far)` : `${done}/${runs} runs`;
        console.log(`  ${phase}, ${elapsed().toFixed(0)} s, ${rate.toFixed(1)} runs/s; ${summary(totals)}`);
      }
    }
  });

  const details = await fc.check(property, {
    numRuns: runs,
    seed,
    ...(path ? { path } : {}),
    ...(minutes ? { interruptAfterTimeLimit: minutes * 60_000, markInterruptAsFailure: false } : {}),
  });
  await rig.close();

  const time = `${elapsed().toFixed(0)} s`;
  if (!details.failed) {
    const interrupted = details.interrupted ? ` (stopped after ${minutes} min)` : '';
    console.log(`sync convergence: ${details.numRuns} runs passed in ${time}${interrupted}, seed ${seed}; ${summary(totals)}`);
    return 0;
  }
  console.log(`\nsync convergence: FAILED after ${details.numRuns} runs (${time}), seed ${seed}, shrunk ${details.numShrinks} times`);
  console.log(`minimal event list: ${JSON.stringify(details.counterexample?.[0])}`);
  console.log(`error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  console.log(`replay it alone: npx tsx scripts/sync-convergence.ts --seed ${seed} --path ${details.counterexamplePath}`);
  console.log(`or in the test:  FC_SEED=${seed} FC_PATH=${details.counterexamplePath} npx vitest run electron/backend/sync/convergence.int.test.ts`);
  return 1;
}

process.exitCode = await main();
