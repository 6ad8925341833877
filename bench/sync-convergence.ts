/**
 * End-to-end convergence (sync issue): two desktops — each in its own process (bench/sync-desktop-child.ts:
 * a real workspace LocalStore with the real sync client and BackendApi, from the sync client's test
 * scaffolding) — linked to one organization on a Crewline server in a third process. Each goes offline
 * (its sync client stopped: the rooms closed), makes N edits through the store's command path (moves,
 * notes, new bookings; both pick from the same bookings, so some edits meet), and reconnects. Measured:
 * reconnect → both desktops' documents and read tables identical and nothing pending on either (every
 * edit acknowledged as committed by the server).
 *
 * Only Crewline's server can be measured here: the desktop signs in over its HTTP API and counts pending
 * edits by its ack extension, neither of which the reference server has.
 */
import { fileURLToPath } from 'node:url';
import type { DesktopRequest, DesktopState } from './sync-desktop-child';
import { ADMIN, addUser, ipcClient, spawnNode, type BenchServer } from './sync-servers';

const CHILD = fileURLToPath(new URL('./sync-desktop-child.ts', import.meta.url));
const SECOND_USER = { email: 'bench-dispatcher@example.com', name: 'Bench Dispatcher', role: 'dispatcher' as const, password: 'bench-dispatcher-password' };

export interface ConvergenceSamples {
  /** Reconnect → documents and read tables identical on both, pending 0 on both. */
  convergeMs: number;
  /** Reconnect → both documents hold the same state (acks and the table check may still be missing). */
  docsEqualMs: number;
  /** Pending actions each desktop had when it reconnected. */
  pendingBefore: [number, number];
  /** Time to make the offline edits (both desktops at once, informational). */
  editMs: number;
}

type Request = DesktopRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One desktop process. */
export class DesktopProcess {
  private constructor(
    readonly name: string,
    private readonly ask: <T>(request: { type: string; [key: string]: unknown }) => Promise<T>,
    private readonly exited: Promise<void>,
  ) {}

  /** `dataDir`: open that workspace (else a fresh one in a temp dir). */
  static async start(name: string, dataDir?: string): Promise<DesktopProcess> {
    const child = spawnNode([CHILD, name, ...(dataDir ? [dataDir] : [])], {});
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      void exited.then(() => reject(new Error(`desktop ${name} exited:\n${output}`)));
    });
    // Errors the desktop prints from now on are shown.
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[desktop ${name}] ${chunk.toString()}`));
    return new DesktopProcess(name, ipcClient(child, `desktop ${name}`), exited);
  }

  request<T>(request: Request): Promise<T> {
    return this.ask<T>(request as { type: string });
  }

  state(tables = false): Promise<DesktopState> {
    return this.request<DesktopState>({ type: 'state', tables });
  }

  profileStart(): Promise<void> {
    return this.ask({ type: 'profile-start' });
  }

  profileStop(file: string): Promise<void> {
    return this.ask({ type: 'profile-stop', file });
  }

  /** keep: leave its workspace files (another process opens them next). */
  async close(keep = false): Promise<void> {
    await this.request({ type: 'close', keep }).catch(() => {});
    await this.exited;
  }
}

export class ConvergencePair {
  private round = 0;

  private constructor(
    readonly a: DesktopProcess,
    readonly b: DesktopProcess,
    private readonly bookings: string[],
    private readonly providers: string[],
  ) {}

  /**
   * Desktop a is filled by the demo generator (`providers` × `bookings` over two weeks) and uploads it
   * into the (empty) organization; desktop b, another user, replaces its workspace with it.
   */
  static async open(server: BenchServer, size: { providers: number; bookings: number }): Promise<ConvergencePair> {
    await addUser(server, SECOND_USER);
    const [a, b] = await Promise.all([DesktopProcess.start('bench-a'), DesktopProcess.start('bench-b')]);
    try {
      const seeded = await a.request<{ bookings: string[]; providers: string[] }>({ type: 'seed', ...size });
      await a.request({ type: 'signIn', serverUrl: server.httpUrl, ...ADMIN, mode: 'upload' });
      await until(async () => (await a.state()).synced, 'desktop a synced after upload');
      await b.request({ type: 'signIn', serverUrl: server.httpUrl, email: SECOND_USER.email, password: SECOND_USER.password, mode: 'replace' });
      await until(async () => (await converged(a, b)) !== null, 'desktop b synced after replace');
      return new ConvergencePair(a, b, seeded.bookings, seeded.providers);
    } catch (error) {
      await Promise.all([a.close(), b.close()]);
      throw error;
    }
  }

  /** Both offline, `edits` each, both back: the times of one round. */
  async run(edits: number, seed: number): Promise<ConvergenceSamples> {
    const offline = await this.goOffline(edits, seed);
    return { ...offline, ...(await this.reconnect()) };
  }

  /** Both desktops stop syncing and make `edits` edits each (at the same time, each in its process). */
  async goOffline(edits: number, seed: number): Promise<Pick<ConvergenceSamples, 'editMs' | 'pendingBefore'>> {
    this.round++;
    const started = performance.now();
    const common = { type: 'offline' as const, edits, round: this.round, bookings: this.bookings, providers: this.providers };
    const [a, b] = await Promise.all([
      this.a.request<{ pending: number }>({ ...common, seed: seed * 2 + 1 }),
      this.b.request<{ pending: number }>({ ...common, seed: seed * 2 + 2 }),
    ]);
    return { editMs: performance.now() - started, pendingBefore: [a.pending, b.pending] };
  }

  /** Both reconnect at once; resolves when they have converged. */
  async reconnect(): Promise<Pick<ConvergenceSamples, 'convergeMs' | 'docsEqualMs'>> {
    const t0 = performance.now();
    await Promise.all([this.a.request({ type: 'online' }), this.b.request({ type: 'online' })]);
    let docsEqualAt = 0;
    let convergedAt = 0;
    await until(
      async () => {
        // A poll's answers describe the desktops at or after the moment it was sent.
        const at = performance.now();
        const found = await converged(this.a, this.b, () => {
          if (docsEqualAt === 0) docsEqualAt = at;
        });
        if (found === null) return false;
        convergedAt = at;
        return true;
      },
      'both desktops converged',
      120_000,
    );
    return { convergeMs: convergedAt - t0, docsEqualMs: docsEqualAt - t0 };
  }

  async close(): Promise<void> {
    await Promise.all([this.a.close(), this.b.close()]);
  }
}

/**
 * Null unless both desktops are synced with nothing pending, hold the same documents and the same read
 * tables (hashed in each process; only asked for once the rest holds, being the costliest check).
 */
async function converged(a: DesktopProcess, b: DesktopProcess, onDocsEqual?: () => void): Promise<DesktopState | null> {
  const [sa, sb] = await Promise.all([a.state(), b.state()]);
  if (sa.stateVectors !== sb.stateVectors) return null;
  onDocsEqual?.();
  if (!sa.synced || !sb.synced) return null;
  const [ta, tb] = await Promise.all([a.state(true), b.state(true)]);
  if (ta.stateVectors !== sa.stateVectors || tb.stateVectors !== sb.stateVectors || ta.tables !== tb.tables || !ta.synced || !tb.synced) return null;
  return ta;
}

/** Polls every 5 ms: each poll costs the desktops a little (status, state vectors), so not more often. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
