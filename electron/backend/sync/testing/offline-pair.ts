/**
 * Two desktops on a real sync server that write offline, for the tests of who wins and who is told
 * (lost-write marks on jobs and roster records, undo as a new write): a and b linked and seeded, the server
 * halted, b closed between its writes and its return (its files stay) so that it comes back by a handshake.
 */
import { openLinkedDesktops, startSyncServer, waitFor, type TestDesktop, type TestSyncServer } from './sync-harness';

/** Runs a command as the console does; a refusal fails the test with the desktop's name. */
export async function runCommand(d: TestDesktop, name: string, input: unknown): Promise<{ id: string }> {
  const result = await d.client.request('commands:run', { name, input });
  if (!result.ok) throw new Error(`${d.name} ${name}: ${result.error.message}`);
  return result.value as { id: string };
}

/** Stamps come from each desktop's clock (the system's, on both and the server): a pause orders them. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Synced with nothing waiting: every write of this desktop reached the server and was kept. */
export const settled = (d: TestDesktop) =>
  waitFor(() => d.sync.status().state === 'synced' && d.sync.status().pending === 0, `${d.name} synced`, 20_000);

/** The seed of the job tests: an organization, one technician and one booking on them (sent to them if `sent`). */
export async function seedOneJob(d: TestDesktop, sent: boolean): Promise<string> {
  d.store.execute('initializeOrganization', { name: 'Northwind', timeZone: 'America/Chicago' });
  const provider = await runCommand(d, 'createProvider', { name: 'Tess Tech' });
  const slot = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [provider.id] };
  const booking = (await runCommand(d, 'createBooking', { title: 'Boiler', slot })).id;
  if (sent) await runCommand(d, 'sendToTech', { id: booking });
  return booking;
}

export interface OfflinePair {
  server: TestSyncServer;
  a: TestDesktop;
  /** b as it is now (reopened by `bringBackB`). */
  b(): TestDesktop;
  /** Reopens b (after `b().close()` and the server's restart) and waits until it has synced. */
  bringBackB(): Promise<TestDesktop>;
}

/**
 * `seed` runs once on the first desktop (the organization and its records); `arrived` says when b has
 * them. Returns with the server halted: both desktops write offline from there. Disposal goes to `disposers`.
 */
export async function offlinePair(
  disposers: Array<() => unknown>,
  seed: (d: TestDesktop) => Promise<void>,
  arrived: (b: TestDesktop) => boolean,
): Promise<OfflinePair> {
  const server = await startSyncServer();
  disposers.push(() => server.dispose());
  const [a, b] = await openLinkedDesktops(server, ['a', 'b'], { users: ['ana', 'bo'], seed });
  disposers.push(() => a!.dispose());
  let current = b!;
  disposers.push(() => current.dispose());
  await waitFor(() => arrived(current), 'the seed at b');
  await server.halt();
  return {
    server,
    a: a!,
    b: () => current,
    async bringBackB() {
      current = await current.reopen();
      await settled(current);
      return current;
    },
  };
}
