import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calendarUid } from '../../../core/field/calendar-entries';
import { PASSWORD, startFieldFixture, type FieldFixture, type Reply } from '../field/testing/field-fixture';
import { parseIcs } from './testing/parse-ics';

/**
 * Calendar feeds over HTTP: admins and dispatchers get a provider's secret feed address (made on first
 * ask) and can replace it, after which the old address answers 404; a calendar app fetches the feed with
 * no sign-in, and a technician's status change shows in the next fetch with a higher SEQUENCE.
 */

function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body.error.code).toBe(code);
}

describe('calendar feeds', () => {
  let f: FieldFixture;
  beforeEach(async () => {
    f = await startFieldFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  const feedAdmin = (token: string, providerId: string, method = 'GET') =>
    f.call(method, `/api/admin/providers/${providerId}/calendar-feed`, { token });

  it('gives admins and dispatchers one stable address per provider; a calendar app reads the provider’s jobs from it', async () => {
    const first = await feedAdmin(f.tokens.admin, f.providers.ana);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({
      providerId: f.providers.ana,
      path: expect.stringMatching(/^\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/),
      url: `${f.url}${first.body.path}`,
      createdAt: expect.any(String),
    });
    // Asking again (an admin or a dispatcher) shows the same address; another provider has another.
    expect((await feedAdmin(f.tokens.admin, f.providers.ana)).body.path).toBe(first.body.path);
    expect((await feedAdmin(f.tokens.dispatcher, f.providers.ana)).body.path).toBe(first.body.path);
    const bos = await feedAdmin(f.tokens.dispatcher, f.providers.bo);
    expect(bos.body.path).not.toBe(first.body.path);

    // No sign-in: the address is the credential.
    const feed = await fetch(`${f.url}${first.body.path}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feed.headers.get('cache-control')).toBe('private, no-cache');
    const calendar = parseIcs(await feed.text());
    expect(calendar.name).toBe('Northwind: Ana Silva');
    expect(calendar.events.map((e) => e.uid).sort()).toEqual(
      [f.jobs.team, f.jobs.anaLater, f.jobs.cancelled, f.jobs.tomorrow].map(calendarUid).sort(),
    );
    expect(calendar.events.find((e) => e.uid === calendarUid(f.jobs.cancelled))!.status).toBe('CANCELLED');
    const head = await fetch(`${f.url}${first.body.path}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    const bosFeed = parseIcs(await (await fetch(`${f.url}${bos.body.path}`)).text());
    expect(bosFeed.events.map((e) => e.uid).sort()).toEqual([f.jobs.team, f.jobs.bo].map(calendarUid).sort());
  });

  it('shows a technician’s status change in the next fetch with the same UID and a higher SEQUENCE', async () => {
    const { path } = (await feedAdmin(f.tokens.admin, f.providers.ana)).body;
    const read = async () => parseIcs(await (await fetch(`${f.url}${path}`)).text()).events.find((e) => e.uid === calendarUid(f.jobs.team))!;
    const before = await read();
    expect(before.status).toBe('CONFIRMED');
    expect(before.description).toContain('Status: Dispatched');
    const moved = await f.call('POST', `/api/field/jobs/${f.jobs.team}/status`, { token: f.tokens.ana, json: { status: 'en_route' } });
    expect(moved.status).toBe(200);
    const after = await read();
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.description).toContain('Status: En route');
    expect([after.startMs, after.endMs]).toEqual([before.startMs, before.endMs]);
  });

  it('replaces an address on request: the old one answers 404 at once', async () => {
    const old = (await feedAdmin(f.tokens.admin, f.providers.ana)).body.path as string;
    const fresh = await feedAdmin(f.tokens.dispatcher, f.providers.ana, 'POST');
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.body.path).not.toBe(old);
    expectError(await f.call('GET', old), 404, 'not_found');
    expect((await fetch(`${f.url}${fresh.body.path}`)).status).toBe(200);
    expect((await feedAdmin(f.tokens.admin, f.providers.ana)).body.path).toBe(fresh.body.path);
  });

  it('refuses technicians, viewers, strangers, other organizations’ providers and unknown addresses', async () => {
    for (const token of [f.tokens.ana, f.tokens.viewer]) {
      expectError(await feedAdmin(token, f.providers.ana), 403, 'forbidden');
      expectError(await feedAdmin(token, f.providers.ana, 'POST'), 403, 'forbidden');
    }
    expectError(await f.call('GET', `/api/admin/providers/${f.providers.ana}/calendar-feed`), 401, 'unauthenticated');
    expectError(await feedAdmin(f.tokens.admin, '01900000-0000-7000-8000-0000000000ff'), 404, 'not_found');
    expectError(await feedAdmin(f.tokens.admin, 'not-a-provider'), 404, 'not_found');
    expectError(await feedAdmin(f.tokens.admin, f.providers.ana, 'DELETE'), 405, 'method_not_allowed');

    // An admin of another organization cannot reach this organization's providers.
    const accounts = f.server.accounts!;
    await accounts.createOrganization({ name: 'Elsewhere', admin: { email: 'root@elsewhere.example', name: 'Root', password: PASSWORD } });
    const other = (await f.call('POST', '/api/auth/login', { json: { email: 'root@elsewhere.example', password: PASSWORD } })).body.token as string;
    expectError(await feedAdmin(other, f.providers.ana), 404, 'not_found');

    expectError(await f.call('GET', `/api/calendar/${'A'.repeat(43)}.ics`), 404, 'not_found');
    expectError(await f.call('GET', '/api/calendar/short.ics'), 404, 'not_found');
    expectError(await f.call('GET', '/api/calendar/../admin/users.ics'), 404, 'not_found');
  });
});
