import { afterEach, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../../core/clock';
import { calendarUid } from '../../../core/field/calendar-entries';
import { parseIcs } from '../../../sync-server/src/calendar/testing/parse-ics';
import { openDesktop, startSyncServer, waitFor } from '../sync/testing/sync-harness';

/**
 * The provider screen's calendar feed requests against a real sync server: the backend asks the server's
 * admin endpoint with the workspace's sign-in and answers the full address on the server it signed in to;
 * the address really serves that provider's jobs, and regenerating retires the old one.
 */
const disposers: Array<() => unknown> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

describe('team:getCalendarFeed / team:regenerateCalendarFeed', () => {
  it('answers a working feed address for a provider and replaces it on request', async () => {
    // The feed lists the jobs of a window around the server's today: desktop and server share the demo's.
    const clock = clockStartingAt(Date.parse('2026-11-24T14:00:00Z'));
    const server = await startSyncServer({ users: { vic: 'viewer' }, clock });
    disposers.push(() => server.dispose());
    const admin = await openDesktop('admin', { seedDemo: true, clock });
    disposers.push(() => admin.dispose());
    await admin.signIn(server, 'ana', 'upload');
    // The server knows the providers once the upload is confirmed.
    await waitFor(() => admin.sync.status().state === 'synced' && admin.sync.status().pending === 0, 'upload confirmed');

    const providers = await admin.client.request('providers:list', {});
    if (!providers.ok) throw new Error(providers.error.message);
    const provider = providers.value[0]!;
    const first = await admin.client.request('team:getCalendarFeed', { providerId: provider.id });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.providerId).toBe(provider.id);
    expect(first.value.url).toMatch(new RegExp(`^${server.url}/api/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    const again = await admin.client.request('team:getCalendarFeed', { providerId: provider.id });
    expect(again.ok && again.value.url).toBe(first.value.url);

    const feed = await fetch(first.value.url);
    expect(feed.status).toBe(200);
    const events = parseIcs(await feed.text()).events;
    const theirs = await admin.client.request('bookings:list', { providerId: provider.id });
    if (!theirs.ok) throw new Error(theirs.error.message);
    const expected = theirs.value.filter((b) => b.status !== 'cancelled').map((b) => calendarUid(b.id));
    expect(expected.length).toBeGreaterThan(0);
    for (const uid of expected) expect(events.map((e) => e.uid)).toContain(uid);

    const fresh = await admin.client.request('team:regenerateCalendarFeed', { providerId: provider.id });
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(fresh.value.url).not.toBe(first.value.url);
    expect((await fetch(first.value.url)).status).toBe(404);
    expect((await fetch(fresh.value.url)).status).toBe(200);

    const unknown = await admin.client.request('team:getCalendarFeed', { providerId: '01900000-0000-7000-8000-0000000000ff' });
    expect(!unknown.ok && unknown.error.code).toBe('not_found');
    const malformed = await admin.client.request('team:getCalendarFeed', { providerId: 'nope' } as never);
    expect(!malformed.ok && malformed.error.code).toBe('validation');

    // A viewer's console is told no; a console that is not signed in is told to sign in.
    const viewer = await openDesktop('viewer');
    disposers.push(() => viewer.dispose());
    await viewer.signIn(server, 'vic', 'replace');
    const refused = await viewer.client.request('team:getCalendarFeed', { providerId: provider.id });
    expect(!refused.ok && refused.error.code).toBe('forbidden');
    const alone = await openDesktop('alone');
    disposers.push(() => alone.dispose());
    const signedOut = await alone.client.request('team:getCalendarFeed', { providerId: provider.id });
    expect(!signedOut.ok && signedOut.error.code).toBe('unauthenticated');
  });
});
