import { ConvergenceRig } from '../electron/backend/sync/testing/convergence-rig';
const rig = await ConvergenceRig.start();
const t0 = performance.now();
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await rig.run([{ t: 'settle' }]);
  console.log('empty run', (performance.now() - t).toFixed(0), 'ms');
}
console.log('avg', ((performance.now() - t0) / 10).toFixed(0));
const t1 = performance.now();
await rig.run([{ t: 'server', action: 'restart' }]);
console.log('restart run', (performance.now() - t1).toFixed(0));
const t2 = performance.now();
await rig.run([{ t: 'offline', d: 0, how: 'network' }, { t: 'online', d: 0 }]);
console.log('partition run', (performance.now() - t2).toFixed(0));
const t3 = performance.now();
await rig.run([{ t: 'drop', d: 0 }]);
console.log('drop run', (performance.now() - t3).toFixed(0));
const t4 = performance.now();
await rig.run([{ t: 'reopen', d: 1 }]);
console.log('reopen run', (performance.now() - t4).toFixed(0));
await rig.close();
