/**
 * The sync benchmark's measuring functions at toy size against both real servers (child processes):
 * they must run to the end and return numbers that make sense. No timing thresholds: the figures
 * themselves come from `npx tsx bench/sync-bench.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvergencePair } from './sync-convergence';
import { FanOutRig, measureMemory, seedSchedule, ThroughputRig } from './sync-measures';
import { startServer, type BenchServer, type ServerKind } from './sync-servers';

const servers = {} as Record<ServerKind, BenchServer>;

beforeAll(async () => {
  const [crewline, reference] = await Promise.all([startServer('crewline'), startServer('reference')]);
  servers.crewline = crewline;
  servers.reference = reference;
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

const seed = seedSchedule(2, 12);

describe.each(['crewline', 'reference'] as const)('against %s', (kind) => {
  it.each(['raw', 'providers'] as const)('fan-out (%s): one sample per receiver per edit, none missed', async (mode) => {
    const rig = await FanOutRig.open(servers[kind], seed, { clients: 4, mode, idPrefix: mode === 'raw' ? 11 : 12 });
    try {
      const samples = await rig.run(3, 1);
      expect(samples).toMatchObject({ edits: 3, missed: 0 });
      expect(samples.latencies).toHaveLength(3 * 3);
      for (const latency of samples.latencies) expect(latency).toBeGreaterThan(0);
    } finally {
      await rig.close();
    }
  });

  it('throughput: updates delivered to every reader, CPU shares read from both processes', async () => {
    const rig = await ThroughputRig.open(servers[kind], { writers: 2, readers: 2, window: 2, maxPerWriter: 100 });
    try {
      const samples = await rig.run(100, 400);
      expect(samples.delivered).toBeGreaterThan(0);
      // Never more than the writers may send: the pacing holds (with one update of slack each).
      expect(samples.delivered).toBeLessThanOrEqual(samples.offeredCap * samples.seconds + 2 * 2 + 2);
      expect(samples.perSecond).toBeCloseTo(samples.delivered / samples.seconds, 6);
      expect(samples.latencyP99).toBeGreaterThanOrEqual(samples.latencyP50);
      expect(samples.serverCores).toBeGreaterThan(0);
      expect(samples.serverCores).toBeLessThan(4);
      expect(samples.clientCores).toBeGreaterThan(0);
    } finally {
      await rig.close();
    }
  });

  it('memory: per-connection figures from the server process', async () => {
    const samples = await measureMemory(servers[kind], 5, 50);
    expect(samples.connections).toBe(5);
    expect(Number.isFinite(samples.heapPerConnection)).toBe(true);
    expect(Number.isFinite(samples.rssPerConnection)).toBe(true);
    const after = await servers[kind].memory();
    expect(after.heapUsed).toBeGreaterThan(0);
  });
});

it('convergence: two desktop processes with offline edits each end identical with nothing pending', async () => {
  const server = await startServer('crewline');
  let pair: ConvergencePair | null = null;
  try {
    pair = await ConvergencePair.open(server, { providers: 2, bookings: 10 });
    const samples = await pair.run(4, 1);
    // Each offline edit is one pending action until the server acknowledges it.
    expect(samples.pendingBefore).toEqual([4, 4]);
    expect(samples.docsEqualMs).toBeGreaterThan(0);
    expect(samples.convergeMs).toBeGreaterThanOrEqual(samples.docsEqualMs);
    const [a, b] = await Promise.all([pair.a.state(true), pair.b.state(true)]);
    expect(a).toMatchObject({ synced: true, pending: 0 });
    expect(b).toEqual(a);
  } finally {
    await pair?.close();
    await server.stop();
  }
}, 60_000);
