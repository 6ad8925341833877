import fc from 'fast-check';
import { ConvergenceRig, syncRunArb, emptyStats, addStats } from '../electron/backend/sync/testing/convergence-rig';
const rig = await ConvergenceRig.start(process.env.ROOT ? { root: process.env.ROOT } : {});
const total = emptyStats();
const runs = Number(process.argv[2] ?? 20);
const t0 = performance.now();
let n = 0;
try {
  await fc.assert(fc.asyncProperty(syncRunArb, async (events) => {
    const t = performance.now();
    const s = await rig.run(events);
    addStats(total, s);
    n++;
    if (n % 10 === 0) console.log(n, (performance.now() - t).toFixed(0), 'ms', JSON.stringify(total));
  }), { numRuns: runs, seed: Number(process.argv[3] ?? 1), endOnFailure: true });
} finally {
  console.log('total', ((performance.now() - t0) / 1000).toFixed(1), 's', JSON.stringify(total));
  await rig.close();
}
