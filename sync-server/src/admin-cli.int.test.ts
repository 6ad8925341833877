import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_ID_PATTERN } from '../../core/sync/rooms';
import { AccountStore } from './accounts/account-store';

// The real entry point, spawned as `npm run server:admin` runs it. Every command and error message is
// covered in-process by accounts/admin-commands.int.test.ts; here: the process, its exit codes and streams.
const ROOT = resolve(import.meta.dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      'npx',
      ['tsx', 'sync-server/src/admin-cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, CREWLINE_DATA_DIR: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, '') });
      },
    );
  });
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crewline-admin-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run server:admin', () => {
  it('add-org twice (flag and env data dir) makes two isolated organizations; bad usage exits 2', async () => {
    const [north, south, usage] = await Promise.all([
      cli(['add-org', '--name', 'North', '--admin-email', 'boss@north.test', '--admin-password', 'north pass 1', '--data-dir', dir]),
      cli(['add-org', '--name', 'South', '--admin-email', 'boss@south.test', '--admin-password', 'south pass 1'], {
        CREWLINE_DATA_DIR: dir,
      }),
      cli(['add-org', '--name', 'Nope', '--data-dir', dir]),
    ]);
    expect(north.stderr).toBe('');
    expect(north.code).toBe(0);
    expect(south.code, south.stderr).toBe(0);
    const northId = north.stdout.trim();
    const southId = south.stdout.trim();
    expect(northId).toMatch(ORG_ID_PATTERN);
    expect(southId).toMatch(ORG_ID_PATTERN);
    expect(northId).not.toBe(southId);

    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toContain('error: add-org: missing --admin-email, --admin-password');
    expect(usage.stderr).toContain('Usage: npm run server:admin -- <command> [options]');

    const list = await cli(['list-orgs', '--data-dir', dir]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n').sort();
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain(`${northId}\tNorth\t1 user\t`);
    expect(lines.join('\n')).toContain(`${southId}\tSouth\t1 user\t`);

    const store = AccountStore.open(dir);
    try {
      expect((await store.listUsers(northId)).map((u) => u.email)).toEqual(['boss@north.test']);
      expect((await store.listUsers(southId)).map((u) => u.email)).toEqual(['boss@south.test']);
      const northAdmin = await store.login({ email: 'boss@north.test', password: 'north pass 1' });
      expect(await store.authenticate(northAdmin.token)).toMatchObject({ orgId: northId, role: 'admin' });
      const southAdminId = (await store.listUsers(southId))[0]!.id;
      await expect(store.updateUser(northId, southAdminId, { disabled: true })).rejects.toThrow(/No such user/);
    } finally {
      await store.close();
    }
  });
});
