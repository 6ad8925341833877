// Moving to PostgreSQL takes the accounts and calendar feed tokens along: a populated SQLite data dir is
// copied, and then people sign in, tokens work or stay revoked, codes and locks carry over, on PostgreSQL.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AccountStore } from '../accounts/account-store';
import { CalendarFeedStore } from '../calendar/feed-store';
import { RoomStore, ROOMS_FILE } from '../sync/room-store';
import { tempDir } from '../sync/testing/harness';
import { copyRoomsToPostgres } from './copy-to-postgres';
import { startPostgres, type TestPostgres } from './testing/engines';

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

it('copies organizations, users, tokens, codes, sign-in locks and feed tokens; sign-in then works on PostgreSQL', async () => {
  const dir = tempDir('crewline-copy-accounts-');
  let clock = Date.parse('2026-03-01T09:00:00Z');
  const now = () => clock;
  const sqlite = AccountStore.open(dir, { scrypt: FAST_SCRYPT, now });
  const { org, admin } = await sqlite.createOrganization({ name: 'Acme', admin: { email: 'admin@acme.test', name: 'Ada', password: PASSWORD } });
  const live = await sqlite.login({ email: 'admin@acme.test', password: PASSWORD });
  const revoked = await sqlite.login({ email: 'admin@acme.test', password: PASSWORD });
  await sqlite.logout(revoked.tokenId);
  const { invite } = await sqlite.inviteUser(org.id, { email: 'new@acme.test', name: 'New', role: 'dispatcher' });
  const locked = { ip: '203.0.113.5' };
  for (let i = 0; i < 5; i++) await sqlite.login({ email: 'admin@acme.test', password: `guess ${i}` }, locked).catch(() => {});
  await expect(sqlite.login({ email: 'admin@acme.test', password: PASSWORD }, locked)).rejects.toMatchObject({ code: 'too_many_attempts' });
  await sqlite.close();
  const feedsSqlite = CalendarFeedStore.open(dir, now);
  const feed = await feedsSqlite.ensure(org.id, '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199');
  await feedsSqlite.close();
  const rooms = new RoomStore(join(dir, ROOMS_FILE));
  const doc = new Y.Doc();
  doc.on('update', (u: Uint8Array) => rooms.append(`org/${org.id}/roster`, u));
  doc.getMap('settings').set('timeZone', 'Europe/Paris');
  rooms.close();

  const url = await postgres.createDatabase();
  const copied = await copyRoomsToPostgres(dir, url);
  expect(copied).toMatchObject({ rooms: 1, accounts: { organizations: 1, users: 2, tokens: 2, codes: 1, feeds: 1 } });
  await expect(copyRoomsToPostgres(dir, url)).rejects.toThrow(/already holds/);

  const shared = await AccountStore.openPostgres(url, { scrypt: FAST_SCRYPT, now });
  const feeds = await CalendarFeedStore.openPostgres(url, now);
  try {
    expect(await shared.listOrganizations()).toEqual([expect.objectContaining({ id: org.id, name: 'Acme', userCount: 2 })]);
    expect(await shared.authenticate(live.token)).toMatchObject({ userId: admin!.id, orgId: org.id, role: 'admin' });
    expect(await shared.authenticate(revoked.token)).toBeNull();
    const session = await shared.login({ email: 'admin@acme.test', password: PASSWORD });
    expect(session.user).toMatchObject({ id: admin!.id, orgId: org.id });
    // The lock a guesser earned on SQLite holds on PostgreSQL until its window ends.
    await expect(shared.login({ email: 'admin@acme.test', password: PASSWORD }, locked)).rejects.toMatchObject({ code: 'too_many_attempts' });
    clock += 15 * 60_000;
    await shared.login({ email: 'admin@acme.test', password: PASSWORD }, locked);
    const redeemed = await shared.redeemInviteCode({ code: invite!.code, password: 'chosen on pg' });
    expect(redeemed.user.email).toBe('new@acme.test');
    expect(await feeds.lookup(feed.token)).toEqual({ orgId: org.id, providerId: feed.providerId });
    expect(await feeds.get(org.id, feed.providerId)).toEqual(feed);
  } finally {
    await shared.close();
    await feeds.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
