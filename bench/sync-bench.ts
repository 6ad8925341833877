/**
 * Sync server performance (issue #4): Crewline's server and the stock `@y/websocket-server` 0.1.1 side by
 * side in one run, rounds interleaved (A B, B A, ...) because this machine is noisy: fan-out latency of one
 * edit to 100 clients, sustained updates/s, memory per idle connection; then end-to-end convergence of
 * 2 desktops × 1,000 offline edits (Crewline only: the desktop needs its accounts and ack extension).
 *
 * `npx tsx bench/sync-bench.ts [--quick] [--only fanout,throughput,memory,convergence] [--profile DIR]`
 * `--profile DIR` writes a CPU profile of each server for the last round of each phase (and of both
 * desktops for the last convergence round) into DIR.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { ms, percentile, table } from './stats';
import { ConvergencePair, type ConvergenceSamples } from './sync-convergence';
import { FanOutRig, measureMemory, seedSchedule, ThroughputRig, type FanOutMode, type MemorySamples, type ThroughputSamples } from './sync-measures';
import { startServer, type BenchServer, type ServerKind } from './sync-servers';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = flag('--only')?.split(',');
const profileDir = flag('--profile') ? resolve(flag('--profile')!) : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const wants = (phase: string) => !only || only.includes(phase);

const SIZE = quick
  ? {
      seed: { providers: 3, bookings: 30 },
      fanOut: { clients: 10, edits: 10, rounds: 1 },
      throughput: { writers: 4, readers: 2, window: 4, maxPerWriter: 400, warmupMs: 300, measureMs: 1000, rounds: 1 },
      memory: { connections: 20, rounds: 1 },
      convergence: { providers: 5, bookings: 50, edits: 20, rounds: 1 },
    }
  : {
      // One organization's schedule room: 10 providers, 100 bookings (each of the 100 clients holds it).
      seed: { providers: 10, bookings: 100 },
      fanOut: { clients: 100, edits: 50, rounds: 4 },
      throughput: { writers: 40, readers: 10, window: 8, maxPerWriter: 400, warmupMs: 1000, measureMs: 4000, rounds: 4 },
      memory: { connections: 500, rounds: 3 },
      convergence: { providers: 20, bookings: 1000, edits: 1000, rounds: 5 },
    };

const KINDS: readonly ServerKind[] = ['crewline', 'reference'];
/** A B, then B A, ...: neither server always runs right after the other. */
const orderOf = (round: number): readonly ServerKind[] => (round % 2 === 0 ? KINDS : [...KINDS].reverse());

// y-websocket adds one process 'exit' listener per provider.
process.setMaxListeners(0);

/** Share of the machine's CPU time that was busy (all processes), from /proc/stat. */
function machineBusy(): () => number {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + fields[4]!;
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return () => {
    const end = read();
    return 1 - (end.idle - start.idle) / Math.max(1, end.total - start.total);
  };
}

async function profiled<T>(server: BenchServer, name: string, last: boolean, fn: () => Promise<T>): Promise<T> {
  if (!profileDir || !last) return fn();
  await server.profileStart();
  try {
    return await fn();
  } finally {
    await server.profileStop(join(profileDir, `${server.kind}-${name}.cpuprofile`));
  }
}

const servers = {} as Record<ServerKind, BenchServer>;
const busy: Record<string, number> = {};
const fanOut: Record<FanOutMode, Record<ServerKind, { latencies: number[]; missed: number }>> = {
  raw: { crewline: { latencies: [], missed: 0 }, reference: { latencies: [], missed: 0 } },
  providers: { crewline: { latencies: [], missed: 0 }, reference: { latencies: [], missed: 0 } },
};
const throughput: Record<ServerKind, ThroughputSamples[]> = { crewline: [], reference: [] };
const memory: Record<ServerKind, MemorySamples[]> = { crewline: [], reference: [] };
const convergence: ConvergenceSamples[] = [];
const started = performance.now();
const load = loadavg();

try {
  const starts = await Promise.allSettled(KINDS.map((kind) => startServer(kind)));
  for (const start of starts) if (start.status === 'fulfilled') servers[start.value.kind] = start.value;
  for (const start of starts) if (start.status === 'rejected') throw start.reason;

  if (wants('memory')) {
    const done = machineBusy();
    // Round 0 warms both servers up (first connections allocate pools and compile code) and is not counted.
    for (let round = 0; round <= SIZE.memory.rounds; round++) {
      for (const kind of orderOf(round)) {
        const sample = await measureMemory(servers[kind], SIZE.memory.connections);
        if (round > 0) memory[kind].push(sample);
      }
    }
    busy.memory = done();
    console.log('memory done');
  }

  if (wants('fanout')) {
    const seed = seedSchedule(SIZE.seed.providers, SIZE.seed.bookings);
    for (const mode of ['raw', 'providers'] as const) {
      const done = machineBusy();
      const rigs = {} as Record<ServerKind, FanOutRig>;
      for (const [i, kind] of KINDS.entries()) {
        rigs[kind] = await FanOutRig.open(servers[kind], seed, { clients: SIZE.fanOut.clients, mode, idPrefix: i + 1 });
      }
      for (const kind of KINDS) await rigs[kind].run(3, 99); // warm-up edits, not counted
      for (let round = 0; round < SIZE.fanOut.rounds; round++) {
        for (const kind of orderOf(round)) {
          const last = round === SIZE.fanOut.rounds - 1;
          const samples = await profiled(servers[kind], `fanout-${mode}`, last, () => rigs[kind].run(SIZE.fanOut.edits, round * 2 + 1));
          fanOut[mode][kind].latencies.push(...samples.latencies);
          fanOut[mode][kind].missed += samples.missed;
        }
      }
      for (const kind of KINDS) await rigs[kind].close();
      busy[`fanout-${mode}`] = done();
      console.log(`fan-out (${mode}) done`);
    }
  }

  if (wants('throughput')) {
    const done = machineBusy();
    const { warmupMs, measureMs, rounds, ...options } = SIZE.throughput;
    const rigs = {} as Record<ServerKind, ThroughputRig>;
    for (const kind of KINDS) rigs[kind] = await ThroughputRig.open(servers[kind], options);
    for (let round = 0; round < rounds; round++) {
      for (const kind of orderOf(round)) {
        const last = round === rounds - 1;
        const samples = await profiled(servers[kind], 'throughput', last, () => rigs[kind].run(warmupMs, measureMs));
        throughput[kind].push(samples);
        const cpuPerUpdate = (samples.serverCores * 1e6) / samples.perSecond;
        console.log(`  throughput ${kind} round ${round + 1}: ${samples.perSecond.toFixed(0)}/s, server ${samples.serverCores.toFixed(2)} cores, ${cpuPerUpdate.toFixed(0)} µs server CPU per update`);
      }
    }
    for (const kind of KINDS) await rigs[kind].close();
    busy.throughput = done();
    console.log('throughput done');
  }

  if (wants('convergence')) {
    const done = machineBusy();
    // A fresh server: the organization must be empty for the first desktop's upload.
    const server = await startServer('crewline');
    const { rounds, edits, ...size } = SIZE.convergence;
    let pair: ConvergencePair | null = null;
    try {
      pair = await ConvergencePair.open(server, size);
      for (let round = 0; round < rounds; round++) {
        const last = round === rounds - 1;
        const offline = await pair.goOffline(edits, round);
        // Profiles (of the server and both desktops) cover the reconnect only, not the offline edits.
        const desktops = profileDir && last ? [pair.a, pair.b] : [];
        for (const d of desktops) await d.profileStart();
        const opened = pair;
        const times = await profiled(server, 'convergence', last, () => opened.reconnect());
        for (const d of desktops) await d.profileStop(join(profileDir!, `${d.name}-convergence.cpuprofile`));
        convergence.push({ ...offline, ...times });
      }
    } finally {
      await pair?.close();
      await server.stop();
    }
    busy.convergence = done();
    console.log('convergence done');
  }
} finally {
  for (const server of Object.values(servers)) await server.stop();
}

// --- report ------------------------------------------------------------------------------------------------

const rows: Array<Record<string, string | number>> = [];
const median = (xs: number[]) => percentile(xs, 50);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (measure: string, crewline: string, reference: string, target: string) => rows.push({ measure, crewline, reference, target });

for (const mode of ['raw', 'providers'] as const) {
  const c = fanOut[mode].crewline;
  const r = fanOut[mode].reference;
  if (c.latencies.length === 0) continue;
  const what = mode === 'raw' ? 'arrived (raw sockets)' : 'applied (stock providers)';
  const cell = (s: typeof c) => `${ms(percentile(s.latencies, 50))} / ${ms(percentile(s.latencies, 99))} ms`;
  row(`fan-out to ${SIZE.fanOut.clients - 1}, ${what}, p50 / p99 (n = ${c.latencies.length}, missed ${c.missed} / ${r.missed})`, cell(c), cell(r), mode === 'raw' ? 'p99 ≤ 10 ms' : '');
}
if (throughput.crewline.length > 0) {
  const t = SIZE.throughput;
  const pick = (kind: ServerKind, f: (s: ThroughputSamples) => number) => median(throughput[kind].map(f));
  const perSecond = (kind: ServerKind) => pick(kind, (s) => s.perSecond);
  const cpuPer = (kind: ServerKind) => pick(kind, (s) => (s.serverCores * 1e6) / s.perSecond);
  row(
    `updates/s delivered to all ${t.readers} readers (${t.writers} writers, median of ${t.rounds})`,
    perSecond('crewline').toFixed(0),
    perSecond('reference').toFixed(0),
    `≥ 1.5× reference (${(perSecond('crewline') / perSecond('reference')).toFixed(2)}×)`,
  );
  row('  server CPU per delivered update', `${cpuPer('crewline').toFixed(0)} µs`, `${cpuPer('reference').toFixed(0)} µs`, `reference ÷ Crewline: ${(cpuPer('reference') / cpuPer('crewline')).toFixed(2)}×`);
  row('  server / client process CPU in the window (cores)', `${pick('crewline', (s) => s.serverCores).toFixed(2)} / ${pick('crewline', (s) => s.clientCores).toFixed(2)}`, `${pick('reference', (s) => s.serverCores).toFixed(2)} / ${pick('reference', (s) => s.clientCores).toFixed(2)}`, '');
  // Issue 23, 5: a room that ages (each round adds to the same room) must not get slower.
  const rounds = (kind: ServerKind) => throughput[kind].map((s) => s.perSecond.toFixed(0)).join(' → ');
  const decay = (kind: ServerKind) => throughput[kind].at(-1)!.perSecond / throughput[kind][0]!.perSecond - 1;
  row('  rounds in order, updates/s', rounds('crewline'), rounds('reference'), `last within 10% of first (${(decay('crewline') * 100).toFixed(0)}%)`);
  // On a loaded machine the rate follows the CPU the server was given; its CPU per update follows the room.
  const perUpdate = (kind: ServerKind) => throughput[kind].map((s) => ((s.serverCores * 1e6) / s.perSecond).toFixed(0)).join(' → ');
  row('  rounds in order, server CPU µs per update', perUpdate('crewline'), perUpdate('reference'), '');
  row('  send → every reader, p50 / p99', `${ms(pick('crewline', (s) => s.latencyP50))} / ${ms(pick('crewline', (s) => s.latencyP99))} ms`, `${ms(pick('reference', (s) => s.latencyP50))} / ${ms(pick('reference', (s) => s.latencyP99))} ms`, '');
}
if (memory.crewline.length > 0) {
  const n = SIZE.memory.connections;
  row(`memory per idle connection, heap + buffers (${n} connections, median of ${SIZE.memory.rounds})`, kb(median(memory.crewline.map((m) => m.heapPerConnection))), kb(median(memory.reference.map((m) => m.heapPerConnection))), '');
  row('  same, RSS', kb(median(memory.crewline.map((m) => m.rssPerConnection))), kb(median(memory.reference.map((m) => m.rssPerConnection))), '');
}
if (convergence.length > 0) {
  const c = SIZE.convergence;
  const conv = convergence.map((s) => s.convergeMs);
  row(`convergence, 2 desktops × ${c.edits} offline edits: p50 / max of ${convergence.length}`, `${ms(median(conv))} / ${ms(Math.max(...conv))} ms`, 'n/a (no accounts, no acks)', '≤ 500 ms');
  const docs = convergence.map((s) => s.docsEqualMs);
  row('  of which until both documents equal', `${ms(median(docs))} / ${ms(Math.max(...docs))} ms`, '', '');
}

console.log(`\nSync server bench${quick ? ' (--quick)' : ''}: node ${process.version}, load average at start ${load.map((l) => l.toFixed(1)).join(' ')}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(table(rows));
console.log(`machine CPU busy (all processes) per phase: ${Object.entries(busy).map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(', ')}`);
if (quick) console.log('--quick is a smoke run: toy sizes, writers capped by their pacing; compare figures from a full run');
if (profileDir) console.log(`CPU profiles in ${profileDir}`);
