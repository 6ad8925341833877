import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORG_ID_PATTERN } from '../../../core/sync/rooms';
import { AccountStore } from './account-store';
import { runAdminCommand } from './admin-commands';

// Cheap scrypt for speed; passwords.test.ts covers the production parameters.
const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crewline-admin-commands-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function admin(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCommand(
    [...args, '--data-dir', dir],
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    { env: {}, store: FAST },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withStore<T>(use: (store: AccountStore) => T | Promise<T>): Promise<T> {
  const store = AccountStore.open(dir, FAST);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('admin commands', () => {
  it('add-org, add-user, list-users and reset-password', async () => {
    const north = await admin(
      ...['add-org', '--name', 'North', '--admin-email', 'Boss@North.test', '--admin-password', 'north pass 1'],
      ...['--admin-name', 'Nora'],
    );
    const south = await admin('add-org', '--name', 'South', '--admin-email', 'boss@south.test', '--admin-password', 'south pass 1');
    expect([north.code, south.code]).toEqual([0, 0]);
    const [northId, southId] = [north.out, south.out];
    expect(northId).toMatch(ORG_ID_PATTERN);
    expect(southId).toMatch(ORG_ID_PATTERN);

    const providerId = '01a1fe30-bac9-727d-8301-bc165f18a0c6';
    const added = await admin(
      ...['add-user', '--org', southId, '--email', 'tech@south.test', '--name', 'Sam Tech', '--role', 'technician'],
      ...['--password', 'sam password', '--provider-id', providerId],
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^[0-9a-f-]{36}$/);

    const users = (await admin('list-users', '--org', southId)).out.split('\n');
    expect(users).toHaveLength(2);
    expect(users).toContain(`${added.out}\ttech@south.test\ttechnician\tSam Tech\tactive`);
    expect(users.some((line) => /\tboss@south\.test\tadmin\tAdmin\tactive$/.test(line))).toBe(true);
    expect((await admin('list-users', '--org', northId)).out).toMatch(/\tboss@north\.test\tadmin\tNora\tactive$/);

    const before = await withStore((store) => store.login({ email: 'tech@south.test', password: 'sam password' }));
    const reset = await admin('reset-password', '--email', 'TECH@south.test', '--password', 'brand new pass');
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toContain('tech@south.test');
    await withStore(async (store) => {
      expect(await store.authenticate(before.token)).toBeNull();
      await expect(store.login({ email: 'tech@south.test', password: 'sam password' })).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      const after = await store.login({ email: 'tech@south.test', password: 'brand new pass' });
      expect(await store.authenticate(after.token)).toMatchObject({ orgId: southId, providerId, role: 'technician' });
    });

    const orgs = await admin('list-orgs');
    expect(orgs.out).toContain(`${northId}\tNorth\t1 user\t`);
    expect(orgs.out).toContain(`${southId}\tSouth\t2 users\t`);
  });

  it('refuses bad arguments with a reason and exit 2, bad values with exit 1, and changes nothing', async () => {
    const org = '01a1fe30-bac9-727d-8301-bc165f18a0c6';
    const addOrg = (email: string, password: string) =>
      ['add-org', '--name', 'X', '--admin-email', email, '--admin-password', password];
    const addUser = (role: string) => ['add-user', '--org', org, '--email', 'u@x.test', '--name', 'U', '--role', role];
    const cases: Array<[string[], number, RegExp]> = [
      [[], 2, /error: Give a command first/],
      [['make-coffee'], 2, /Unknown command "make-coffee"/],
      [addOrg('x@x.test', 'long enough').slice(0, -2), 2, /add-org: missing --admin-password/],
      [['add-org', '--name', '', '--admin-email', 'x@x.test', '--admin-password', 'long enough'], 2, /missing --name/],
      [[...addOrg('x@x.test', 'long enough'), '--color', 'red'], 2, /Unknown option '--color'/],
      [addOrg('x@x.test', '').slice(0, -1), 2, /forget to specify the option argument for '--admin-password'/],
      [['list-orgs', 'extra'], 2, /Unexpected argument 'extra'/],
      [addOrg('not-an-email', 'long enough'), 1, /^error: --admin-email: Must be an email address/],
      [addOrg('x@x.test', 'short'), 1, /^error: --admin-password: At least 8 characters$/],
      [[...addUser('boss'), '--password', 'long enough'], 2, /--role must be one of admin, dispatcher, technician, viewer/],
      [[...addUser('viewer'), '--password', 'long enough'], 1, /^error: --org: No such organization$/],
      [[...addUser('viewer'), '--password', 'long enough', '--provider-id', 'P-1'], 1, /^error: --provider-id: Must be/],
      [['list-users', '--org', org], 1, /No organization/],
      [['reset-password', '--email', 'no@x.test', '--password', 'long enough'], 1, /^error: --email: No user with email no@x.test$/],
      [['list-orgs', '--database-url', 'mysql://db/crewline'], 2, /^error: --database-url must be a URL like postgres:\/\//],
    ];
    for (const [args, code, message] of cases) {
      const run = await admin(...args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.err, args.join(' ')).toMatch(message);
      expect(run.out).toBe('');
      if (code === 2) expect(run.err).toContain('Usage: npm run server:admin');
    }
    await withStore(async (store) => expect(await store.listOrganizations()).toEqual([]));
  });

  it('a taken email is refused across organizations', async () => {
    const first = await admin('add-org', '--name', 'A', '--admin-email', 'same@x.test', '--admin-password', 'long enough');
    expect(first.code).toBe(0);
    const second = await admin('add-org', '--name', 'B', '--admin-email', 'SAME@x.test', '--admin-password', 'long enough');
    expect(second).toMatchObject({ code: 1, out: '' });
    expect(second.err).toBe('error: --admin-email: An account with this email already exists');
    await withStore(async (store) => expect((await store.listOrganizations()).map((o) => o.name)).toEqual(['A']));
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const out: string[] = [];
    const help = await runAdminCommand(['--help'], { out: (line) => out.push(line), err: () => expect.unreachable() });
    expect(out.join('\n')).toContain('reset-password --email <email> --password <password>');
    expect(help).toBe(0);
  });
});
