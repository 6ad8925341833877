/**
 * Preloaded (`--import`) into each sync server (and desktop) the sync benchmark starts, so that both servers run
 * unmodified (Crewline's `sync-server/src/main.ts`, the reference's own bin) and the bench can still ask
 * them, over the IPC channel, for what only the process itself knows: memory after a full GC, CPU time,
 * and a CPU profile of a chosen window. Nothing here runs while a measurement is under way except the
 * CPU-time reads at the window's ends.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';

export type ProbeRequest =
  | { id: number; type: 'memory' }
  | { id: number; type: 'cpu' }
  | { id: number; type: 'profile-start' }
  | { id: number; type: 'profile-stop'; file: string };

export interface ProbeMemory {
  rss: number;
  heapUsed: number;
  /** Buffers and typed arrays outside the JS heap (socket buffers, Yjs updates). */
  external: number;
}

export interface ProbeCpu {
  /** user + system CPU time of the process, ms. */
  cpuMs: number;
  /** Event-loop busy time, ms (performance.eventLoopUtilization().active). */
  loopActiveMs: number;
  atMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
let session: Session | null = null;

async function answer(request: ProbeRequest): Promise<unknown> {
  switch (request.type) {
    case 'memory': {
      // Twice: the first pass runs finalizers that free more on the second.
      gc?.();
      await new Promise((resolve) => setImmediate(resolve));
      gc?.();
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, gcExposed: gc !== undefined };
    }
    case 'cpu': {
      const usage = process.cpuUsage();
      return {
        cpuMs: (usage.user + usage.system) / 1000,
        loopActiveMs: performance.eventLoopUtilization().active,
        atMs: performance.timeOrigin + performance.now(),
      } satisfies ProbeCpu;
    }
    case 'profile-start': {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      return { ok: true };
    }
    case 'profile-stop': {
      if (!session) throw new Error('no profile running');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      writeFileSync(request.file, JSON.stringify(profile));
      return { file: request.file };
    }
  }
}

const PROBE_TYPES = new Set<string>(['memory', 'cpu', 'profile-start', 'profile-stop']);

if (process.send) {
  process.on('message', (request: ProbeRequest) => {
    // The process may answer requests of its own on the same channel (bench/sync-desktop-child.ts).
    if (!PROBE_TYPES.has(request.type)) return;
    answer(request).then(
      (value) => process.send?.({ id: request.id, ok: true, value }),
      (error: unknown) => process.send?.({ id: request.id, ok: false, error: String(error) }),
    );
  });
  // The channel must not keep a server alive that was asked to stop.
  process.channel?.unref();
  // The bench went away (crashed, killed): stop too, through the process's own SIGTERM handling if it
  // has any (Crewline's server closes gracefully; a bench desktop removes its files).
  process.on('disconnect', () => {
    if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM');
    else process.exit(0);
  });
}
