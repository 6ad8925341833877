import type { Locator, Page } from '@playwright/test';
import { assigneesOf, bookingsOn, openBoard, type BookingRow } from './board';
import { DEMO_DATE, expect, test as base } from './fixtures';
import { expectSyncState, openSyncHost, signInThroughUi, type SyncHost } from './sync-hosts';
import { startSyncServerProcess, type SyncServerProcess } from './sync-server-process';

/**
 * A real sync server (child process, the demo's clock) and one desktop (web host on its own workspace, the
 * demo company), as fixtures: `server` and `host` (a `SyncHost`, in place of the plain host of
 * fixtures.ts), started for each test and stopped after it, desktop first. `deskName` names the
 * desktop's data dir. Used by the specs that need one signed-in desktop beside a server.
 */

/** The organization's admin the server is started with. */
export const ANA = { email: 'ana@northwind.example', password: 'ana-password-1' };

export const test = base.extend<{ deskName: string; server: SyncServerProcess; host: SyncHost }>({
  deskName: ['desk', { option: true }],
  server: async ({}, use) => {
    const server = await startSyncServerProcess({ admin: ANA });
    await use(server);
    await server.dispose();
  },
  // Depends on the server so that it stops first, as a desktop signed in to it would.
  host: async ({ deskName, server: _server }, use) => {
    const host = await openSyncHost(deskName);
    await use(host);
    await host.dispose();
  },
});

export { expect };

/** Signs the open desktop in as Ana, uploads its demo company and waits until all is synced. */
export async function uploadDemoCompany(page: Page, server: Pick<SyncServerProcess, 'url'>): Promise<Locator> {
  const dialog = await signInThroughUi(page, server, ANA.email, ANA.password);
  await dialog.locator('[data-action="upload-workspace"]').click();
  await dialog.locator('[data-action="close-sync"]').click();
  await expectSyncState(page, 'synced', 0);
  return dialog;
}

/** A job of the demo day sent to one technician, with that technician. */
export function dispatchedSoloJob(host: SyncHost): { job: BookingRow; providerId: string; providerName: string } {
  const job = bookingsOn(host).find((b) => b.status === 'dispatched' && b.assignee_count === 1)!;
  expect(job, 'a dispatched one-person job on the demo day').toBeDefined();
  const providerId = assigneesOf(host, job.id)[0]!;
  const providerName = host.query<{ name: string }>('SELECT name FROM providers WHERE id = ?', providerId)[0]!.name;
  return { job, providerId, providerName };
}

/** Opens the board of the demo day and signs in and uploads there. */
export async function openSyncedBoard(page: Page, host: SyncHost, server: Pick<SyncServerProcess, 'url'>): Promise<void> {
  await openBoard(page, host, DEMO_DATE);
  await uploadDemoCompany(page, server);
}
