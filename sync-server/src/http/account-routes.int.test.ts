import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../accounts/account-store';
import { createAccountRoutes } from './account-routes';
import { sendJson } from './http-util';

// Cheap scrypt for speed; passwords.test.ts covers the production parameters.
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'open sesame 42';

let dir: string;
let store: AccountStore;
let server: Server;
let base: string;
let orgA: string;
let orgB: string;
let adminA: string;
let adminB: string;

interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, checked by each test
}

async function call(
  method: string,
  path: string,
  { token, json, body, contentType }: { token?: string; json?: unknown; body?: string | Buffer; contentType?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (json !== undefined || body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: json !== undefined ? JSON.stringify(json) : body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function login(email: string, password = PASSWORD): Promise<string> {
  const reply = await call('POST', '/api/auth/login', { json: { email, password } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.token as string;
}

function expectError(reply: Reply, status: number, code: string, field?: string): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body.error.code).toBe(code);
  expect(typeof reply.body.error.message).toBe('string');
  expect(reply.body.error.message.length).toBeGreaterThan(3);
  if (field !== undefined) expect(reply.body.error.field).toBe(field);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crewline-account-routes-'));
  store = AccountStore.open(dir, { scrypt: FAST_SCRYPT });
  const routes = createAccountRoutes(store);
  // What the server composition does: accounts first, then its own routes (here: a 404).
  server = createServer((req, res) => {
    void routes(req, res).then((handled) => {
      if (!handled) sendJson(res, 404, { error: { code: 'not_found', message: 'No such route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const a = await store.createOrganization({ name: 'A', admin: { email: 'admin@a.test', name: 'Ann', password: PASSWORD } });
  const b = await store.createOrganization({ name: 'B', admin: { email: 'admin@b.test', name: 'Bob', password: PASSWORD } });
  orgA = a.org.id;
  orgB = b.org.id;
  adminA = await login('admin@a.test');
  adminB = await login('admin@b.test');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sign-in endpoints', () => {
  it('login returns the docs/design.md §7 shape; me and logout use the bearer token', async () => {
    const reply = await call('POST', '/api/auth/login', { json: { email: 'Admin@A.test', password: PASSWORD } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(reply.body).sort()).toEqual(['token', 'user']);
    expect(reply.body.user).toEqual({ id: expect.any(String), orgId: orgA, email: 'admin@a.test', name: 'Ann', role: 'admin' });
    const token = reply.body.token as string;

    const me = await call('GET', '/api/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(reply.body.user);

    expect((await call('POST', '/api/auth/logout', { token })).status).toBe(200);
    expectError(await call('GET', '/api/auth/me', { token }), 401, 'unauthenticated');
    expectError(await call('POST', '/api/auth/logout', { token }), 401, 'unauthenticated');
  });

  it('a technician sees their provider link', async () => {
    const providerId = '01a1fe2d-e3e0-740c-86ce-f4f4a3b08199';
    await store.inviteUser(orgA, { email: 'tech@a.test', name: 'Tia', role: 'technician', providerId, password: PASSWORD });
    const reply = await call('POST', '/api/auth/login', { json: { email: 'tech@a.test', password: PASSWORD } });
    expect(reply.body.user).toMatchObject({ role: 'technician', providerId, orgId: orgA });
  });

  it('wrong password, unknown email and missing or bad tokens are 401', async () => {
    const wrong = await call('POST', '/api/auth/login', { json: { email: 'admin@a.test', password: 'nope nope' } });
    const unknown = await call('POST', '/api/auth/login', { json: { email: 'ghost@a.test', password: 'nope nope' } });
    expectError(wrong, 401, 'invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
    const missing = await call('GET', '/api/auth/me');
    expectError(missing, 401, 'unauthenticated');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expectError(await call('GET', '/api/auth/me', { token: 'a'.repeat(43) }), 401, 'unauthenticated');
    const basic = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Basic ${btoa('a:b')}` } });
    expect(basic.status).toBe(401);
  });

  it('locks out an email + address after repeated failures with 429 and Retry-After', async () => {
    await store.inviteUser(orgA, { email: 'victim@a.test', name: 'V', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 5; i++) {
      expectError(
        await call('POST', '/api/auth/login', { json: { email: 'victim@a.test', password: `guess ${i}` } }),
        401,
        'invalid_credentials',
      );
    }
    const locked = await call('POST', '/api/auth/login', { json: { email: 'victim@a.test', password: PASSWORD } });
    expectError(locked, 429, 'too_many_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('setup code: 201 with a session once, then refused', async () => {
    const { org } = await store.createOrganization({ name: 'Fresh' });
    const { code } = await store.issueSetupCode(org.id);
    const body = { code, email: 'first@fresh.test', name: 'First', password: PASSWORD };
    const reply = await call('POST', '/api/auth/setup', { json: body });
    expect(reply.status).toBe(201);
    expect(reply.body.user).toMatchObject({ orgId: org.id, role: 'admin', email: 'first@fresh.test' });
    expect((await call('GET', '/api/auth/me', { token: reply.body.token })).status).toBe(200);
    const again = await call('POST', '/api/auth/setup', { json: { ...body, email: 'second@fresh.test' } });
    expectError(again, 410, 'code_used', 'code');
  });

  it('invite flow: admin invites, the user redeems the code, signs in', async () => {
    const invited = await call('POST', '/api/admin/users', {
      token: adminA,
      json: { email: 'disp@a.test', name: 'Dora', role: 'dispatcher' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.user).toMatchObject({ email: 'disp@a.test', role: 'dispatcher', hasPassword: false, orgId: orgA });
    expect(invited.body.inviteCode).toEqual(expect.any(String));
    expect(Date.parse(invited.body.inviteExpiresAt)).toBeGreaterThan(Date.now());

    const short = await call('POST', '/api/auth/redeem-invite', { json: { code: invited.body.inviteCode, password: 'short' } });
    expectError(short, 400, 'validation', 'password');
    const redeemed = await call('POST', '/api/auth/redeem-invite', {
      json: { code: invited.body.inviteCode, password: 'dora password' },
    });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body.user).toMatchObject({ id: invited.body.user.id, role: 'dispatcher' });
    await login('disp@a.test', 'dora password');
    const reused = await call('POST', '/api/auth/redeem-invite', { json: { code: invited.body.inviteCode, password: 'other password' } });
    expectError(reused, 410, 'code_used', 'code');
    expect(reused.body.error.message).toBe('This code was already used or replaced by a newer one: ask your admin for a new one');
    const unknown = await call('POST', '/api/auth/redeem-invite', { json: { code: 'ABCDE', password: 'other password' } });
    expectError(unknown, 400, 'code_unknown', 'code');

    const reissued = await call('POST', `/api/admin/users/${invited.body.user.id}/invite-code`, { token: adminA });
    expect(reissued.status).toBe(200);
    expect(reissued.body.inviteCode).not.toBe(invited.body.inviteCode);
  });
});

describe('admin endpoints', () => {
  it('only admins get in: 401 without a token, 403 for other roles', async () => {
    await store.inviteUser(orgA, { email: 'd2@a.test', name: 'D2', role: 'dispatcher', password: PASSWORD });
    await store.inviteUser(orgA, { email: 'v2@a.test', name: 'V2', role: 'viewer', password: PASSWORD });
    const dispatcher = await login('d2@a.test');
    const viewer = await login('v2@a.test');
    const adminId = (await store.listUsers(orgA)).find((u) => u.email === 'admin@a.test')!.id;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/admin/users'],
      ['POST', '/api/admin/users', { email: 'x@a.test', name: 'X', role: 'admin', password: PASSWORD }],
      ['PATCH', `/api/admin/users/${adminId}`, { disabled: true }],
      ['POST', `/api/admin/users/${adminId}/revoke-tokens`],
      ['POST', `/api/admin/users/${adminId}/invite-code`],
    ];
    for (const [method, path, json] of attempts) {
      expectError(await call(method, path, { json }), 401, 'unauthenticated');
      expectError(await call(method, path, { json, token: dispatcher }), 403, 'forbidden');
      expectError(await call(method, path, { json, token: viewer }), 403, 'forbidden');
    }
    expect((await store.listUsers(orgA)).find((u) => u.id === adminId)!.disabled).toBe(false);
    expect((await store.listUsers(orgA)).some((u) => u.email === 'x@a.test')).toBe(false);
    expect(await store.authenticate(adminA)).not.toBeNull();
  });

  it('lists, adds and changes users of the own organization', async () => {
    const added = await call('POST', '/api/admin/users', {
      token: adminA,
      json: { email: 'tech2@a.test', name: 'Tom', role: 'technician', password: PASSWORD },
    });
    expect(added.status).toBe(201);
    expect(added.body.inviteCode).toBeUndefined();
    const id = added.body.user.id as string;
    const token = await login('tech2@a.test');

    const list = await call('GET', '/api/admin/users', { token: adminA });
    expect(list.status).toBe(200);
    expect(list.body.users.every((u: { orgId: string }) => u.orgId === orgA)).toBe(true);
    expect(list.body.users.find((u: { id: string }) => u.id === id)).toMatchObject({ name: 'Tom', hasPassword: true });
    expect(JSON.stringify(list.body)).not.toMatch(/password_hash|scrypt/);

    const providerId = '01a1fe30-bac9-727d-8301-bc165f18a0c6';
    const patched = await call('PATCH', `/api/admin/users/${id}`, {
      token: adminA,
      json: { name: 'Tommy', providerId },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.user).toMatchObject({ name: 'Tommy', providerId, role: 'technician' });
    expect((await call('GET', '/api/auth/me', { token })).body.user).toMatchObject({ name: 'Tommy', providerId });

    const unlinked = await call('PATCH', `/api/admin/users/${id}`, { token: adminA, json: { providerId: null } });
    expect(unlinked.body.user.providerId).toBeUndefined();

    const disabled = await call('PATCH', `/api/admin/users/${id}`, { token: adminA, json: { disabled: true } });
    expect(disabled.body.user.disabled).toBe(true);
    expectError(await call('GET', '/api/auth/me', { token }), 401, 'unauthenticated');
    const refused = await call('POST', '/api/auth/login', { json: { email: 'tech2@a.test', password: PASSWORD } });
    expectError(refused, 403, 'account_disabled');

    await call('PATCH', `/api/admin/users/${id}`, { token: adminA, json: { disabled: false, role: 'viewer' } });
    const again = await login('tech2@a.test');
    const revoked = await call('POST', `/api/admin/users/${id}/revoke-tokens`, { token: adminA });
    expect(revoked.body).toEqual({ revoked: 1 });
    expectError(await call('GET', '/api/auth/me', { token: again }), 401, 'unauthenticated');
  });

  it('refuses to demote the last admin and a taken email', async () => {
    const solo = await store.createOrganization({ name: 'Solo', admin: { email: 'solo@s.test', name: 'S', password: PASSWORD } });
    const token = await login('solo@s.test');
    expectError(
      await call('PATCH', `/api/admin/users/${solo.admin!.id}`, { token, json: { role: 'viewer' } }),
      409,
      'conflict',
      'role',
    );
    expectError(
      await call('POST', '/api/admin/users', { token, json: { email: 'admin@a.test', name: 'Dup', role: 'viewer' } }),
      409,
      'conflict',
      'email',
    );
  });
});

describe('organizations are isolated over HTTP', () => {
  it('an admin of A cannot see, change or revoke users of B; tokens stay in their organization', async () => {
    const { user: bUser } = await store.inviteUser(orgB, { email: 'd@b.test', name: 'Dee', role: 'dispatcher', password: PASSWORD });
    const bToken = await login('d@b.test');

    const listA = await call('GET', '/api/admin/users', { token: adminA });
    expect(listA.body.users.map((u: { email: string }) => u.email)).not.toContain('d@b.test');
    expect(listA.body.users.map((u: { email: string }) => u.email)).not.toContain('admin@b.test');
    const listB = await call('GET', '/api/admin/users', { token: adminB });
    expect(listB.body.users.map((u: { email: string }) => u.email).sort()).toEqual(['admin@b.test', 'd@b.test']);

    expectError(await call('PATCH', `/api/admin/users/${bUser.id}`, { token: adminA, json: { disabled: true } }), 404, 'not_found');
    expectError(await call('POST', `/api/admin/users/${bUser.id}/revoke-tokens`, { token: adminA }), 404, 'not_found');
    expectError(await call('POST', `/api/admin/users/${bUser.id}/invite-code`, { token: adminA }), 404, 'not_found');
    expect((await store.getUser(orgB, bUser.id)).disabled).toBe(false);
    expect((await call('GET', '/api/auth/me', { token: bToken })).body.user).toMatchObject({ orgId: orgB, id: bUser.id });

    // Users an admin adds always land in the admin's own organization, whatever the body says.
    expectError(
      await call('POST', '/api/admin/users', {
        token: adminA,
        json: { email: 'sneak@b.test', name: 'S', role: 'admin', orgId: orgB },
      }),
      400,
      'validation',
      'orgId',
    );
    expect((await call('GET', '/api/auth/me', { token: adminA })).body.user.orgId).toBe(orgA);
  });
});

describe('bad input', () => {
  const login = '/api/auth/login';

  it('missing fields, wrong types and unknown fields: 400 with the field', async () => {
    expectError(await call('POST', login, { json: { password: PASSWORD } }), 400, 'validation', 'email');
    expectError(await call('POST', login, { json: { email: 'admin@a.test' } }), 400, 'validation', 'password');
    expectError(await call('POST', login, { json: { email: 'admin@a.test', password: 12345678 } }), 400, 'validation', 'password');
    expectError(await call('POST', login, { json: { email: ['admin@a.test'], password: PASSWORD } }), 400, 'validation', 'email');
    const extra = await call('POST', login, { json: { email: 'admin@a.test', password: PASSWORD, remember: true } });
    expectError(extra, 400, 'validation', 'remember');
    expect(extra.body.error.message).toBe('Unknown field: remember');
    expectError(await call('POST', login, { json: [] }), 400, 'validation');
    expectError(await call('POST', login, { json: null }), 400, 'validation');
    expectError(await call('POST', login, { json: 'admin@a.test' }), 400, 'validation');
    const adminId = (await store.listUsers(orgA)).find((u) => u.email === 'admin@a.test')!.id;
    const patch = (json: unknown) => call('PATCH', `/api/admin/users/${adminId}`, { token: adminA, json });
    expectError(await patch({}), 400, 'validation');
    expectError(await patch({ role: 'owner' }), 400, 'validation', 'role');
    expectError(await patch({ disabled: 'yes' }), 400, 'validation', 'disabled');
    expectError(await patch({ email: 'x@a.test' }), 400, 'validation', 'email');
    expectError(await patch({ name: 'x'.repeat(101) }), 400, 'validation', 'name');
  });

  it('bad JSON, empty body and invalid UTF-8: 400 with the reason', async () => {
    const bad = await call('POST', login, { body: '{"email": "a@a.test",' });
    expectError(bad, 400, 'bad_json');
    expect(bad.body.error.message).toMatch(/not valid JSON: .+/);
    expectError(await call('POST', login, { body: '' }), 400, 'bad_json');
    expectError(await call('POST', login, { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }), 400, 'bad_json');
  });

  it('wrong or missing content type: 415', async () => {
    const body = JSON.stringify({ email: 'admin@a.test', password: PASSWORD });
    expectError(await call('POST', login, { body, contentType: 'text/plain' }), 415, 'unsupported_media_type');
    expectError(await call('POST', login, { body, contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    expectError(await call('POST', login, { body, contentType: 'application/json; charset=latin1' }), 415, 'unsupported_media_type');
    const none = await fetch(base + login, { method: 'POST', body: new Blob([body]) });
    expect(none.status).toBe(415);
    expect((await call('POST', login, { body, contentType: 'Application/JSON; charset=UTF-8' })).status).toBe(200);
  });

  it('oversize body: 413, declared or streamed', async () => {
    const huge = JSON.stringify({ email: 'admin@a.test', password: 'x'.repeat(70 * 1024) });
    expectError(await call('POST', login, { body: huge }), 413, 'payload_too_large');
    // Chunked, no Content-Length: the limit holds while streaming.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}${login}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8 * 1024));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.code).toBe('payload_too_large');
  });

  it('wrong method: 405 with Allow; unknown paths and malformed ids', async () => {
    const wrong = await call('GET', login);
    expectError(wrong, 405, 'method_not_allowed');
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await call('DELETE', '/api/admin/users', { token: adminA })).headers.get('allow')).toBe('GET, POST');
    // Not an accounts path: left to the rest of the server.
    expectError(await call('GET', '/api/auth/nothing-here'), 404, 'not_found');
    expect((await call('GET', '/api/auth/nothing-here')).body.error.message).toBe('No such route');
    for (const id of ['not-an-id', orgA.toUpperCase(), '..%2F..']) {
      expectError(await call('PATCH', `/api/admin/users/${id}`, { token: adminA, json: { name: 'X' } }), 404, 'not_found');
    }
  });

  it('the server is still answering after all of the above', async () => {
    expect((await call('GET', '/api/auth/me', { token: adminA })).status).toBe(200);
  });
});
