/**
 * One desktop of the sync benchmark's convergence measure, in its own process (two desktops are two
 * machines: in one process their work would queue behind each other's). It is the sync client's test
 * scaffolding (`openDesktop`: a workspace LocalStore in a temp dir, the real SyncClient and BackendApi),
 * driven over IPC by bench/sync-convergence.ts. Started with the probe preloaded, so it can be profiled.
 *
 * `node --import tsx --import bench/sync-server-probe.ts bench/sync-desktop-child.ts <name> [dataDir]`
 * (dataDir: open that workspace instead of a fresh one; bench/backend-worker-bench.ts's year store).
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { createScaledSchedule } from '../core/demo/scale';
import { fromMs, toMs } from '../core/index';
import { dumpReadTables } from '../electron/backend/store/testing/tables';
import { openDesktop } from '../electron/backend/sync/testing/sync-harness';
import { lcg } from './stats';

export type DesktopRequest =
  | { id: number; type: 'seed'; providers: number; bookings: number }
  | { id: number; type: 'signIn'; serverUrl: string; email: string; password: string; mode: 'upload' | 'replace' }
  | { id: number; type: 'offline'; edits: number; seed: number; round: number; bookings: string[]; providers: string[] }
  | { id: number; type: 'online' }
  | { id: number; type: 'state'; tables: boolean }
  /** `count` new jobs, one store write each (as many edits made one after the other). */
  | { id: number; type: 'create'; count: number; title: string }
  /** keep: leave the workspace's files (another process opens them next). */
  | { id: number; type: 'close'; keep?: boolean };

export interface DesktopState {
  /** Sync state `synced` with nothing pending. */
  synced: boolean;
  pending: number;
  /** Both documents' state vectors (base64): equal on two desktops = same content. */
  stateVectors: string;
  /** SHA-256 of every read table but the archive, when asked for. */
  tables?: string;
}

const name = process.argv[2] ?? 'desktop';
const dataDir = process.argv[3];
const desktop = await openDesktop(name, { maxBackoffMs: 100, ...(dataDir ? { dataDir } : {}) });
const { store, sync, client } = desktop;
/** Net shift per moved booking, so moves go back and forth and bookings stay on their day. */
const shifted = new Map<string, number>();

function state(tables: boolean): DesktopState {
  const status = sync.status();
  const vectors = (['roster', 'schedule'] as const).map((doc) => Buffer.from(Y.encodeStateVector(store.docs[doc])).toString('base64'));
  const result: DesktopState = { synced: status.state === 'synced' && status.pending === 0, pending: status.pending, stateVectors: vectors.join(':') };
  if (tables) {
    const { archive_bookings: _archive, ...rest } = dumpReadTables(store.db);
    result.tables = createHash('sha256').update(JSON.stringify(rest)).digest('base64');
  }
  return result;
}

/** Moves (60%), notes (25%) and new bookings (15%), through the store's command path like the board's. */
function edit(request: Extract<DesktopRequest, { type: 'offline' }>): void {
  const random = lcg(request.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < request.edits; i++) {
    const roll = random();
    const id = pick(request.bookings);
    let result;
    if (roll < 0.6) {
      const slot = store.queries.booking(id)?.slot;
      if (!slot) throw new Error(`booking ${id} lost its slot`);
      const net = shifted.get(id) ?? 0;
      const shift = (1 + Math.floor(random() * 4)) * 15 * 60_000 * (net > 0 ? -1 : 1);
      shifted.set(id, net + shift);
      result = store.execute('moveBooking', { id, start: fromMs(toMs(slot.start) + shift) });
    } else if (roll < 0.85) {
      result = store.execute('updateBooking', { id, notes: `${name} round ${request.round} note ${i}` });
    } else {
      const startMs = toMs('2026-11-24T14:00:00Z') + Math.floor(random() * 10) * 86_400_000;
      result = store.execute('createBooking', {
        title: `${name} offline ${request.round}.${i}`,
        slot: { start: fromMs(startMs), end: fromMs(startMs + 3_600_000), assignees: [pick(request.providers)] },
      });
    }
    if (!result.ok) throw new Error(`${name}: offline edit ${i} failed: ${result.error.message}`);
  }
}

async function answer(request: DesktopRequest): Promise<unknown> {
  switch (request.type) {
    case 'seed': {
      const summary = store.batch(() =>
        createScaledSchedule((command, input, actor) => store.execute(command, input, actor), {
          providers: request.providers,
          bookings: request.bookings,
          startDate: '2026-11-23',
          days: 14,
          seed: 11,
        }),
      );
      store.clearUndoHistory();
      const bookings = store.queries
        .list({})
        .filter((b) => b.slot !== null)
        .map((b) => b.id);
      return { bookings, providers: summary.providerIds };
    }
    case 'signIn': {
      const signedIn = await client.request('sync:signIn', { serverUrl: request.serverUrl, email: request.email, password: request.password });
      if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.message}`);
      if (!signedIn.value.needsLink) return {};
      const linked = await client.request('sync:link', { mode: request.mode });
      if (!linked.ok) throw new Error(`link failed: ${linked.error.message}`);
      return {};
    }
    case 'offline': {
      sync.stop();
      const started = performance.now();
      edit(request);
      return { editMs: performance.now() - started, pending: sync.status().pending };
    }
    case 'online':
      await sync.start();
      return {};
    case 'state':
      return state(request.tables);
    case 'create':
      for (let i = 0; i < request.count; i++) {
        const made = store.execute('createBooking', { title: `${request.title} ${i}` });
        if (!made.ok) throw new Error(`${name}: job ${i} failed: ${made.error.message}`);
      }
      return {};
    case 'close':
      if (request.keep) desktop.close();
      else desktop.dispose();
      setImmediate(() => process.exit(0));
      return {};
  }
}

const OWN_TYPES = new Set<string>(['seed', 'signIn', 'offline', 'online', 'state', 'create', 'close']);
process.on('message', (request: DesktopRequest) => {
  // Probe requests (memory, profiles) on the same channel are sync-server-probe.ts's.
  if (!OWN_TYPES.has(request.type)) return;
  answer(request).then(
    (value) => process.send?.({ id: request.id, ok: true, value }),
    (error: unknown) => process.send?.({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// Stopped from outside (or the bench went away, see the probe): leave no files behind.
process.on('SIGTERM', () => {
  desktop.dispose();
  process.exit(0);
});
// The probe unrefs the channel (a server stays up on its own); a desktop lives for its requests.
process.channel?.ref();
process.send?.({ id: 0, ok: true, value: 'ready' });
