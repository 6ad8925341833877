import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('uses the DESIGN §7 defaults', () => {
    expect(parseConfig([], {})).toEqual({
      ok: true,
      config: {
        port: 4455,
        host: '127.0.0.1',
        dataDir: resolve('./crewline-server-data'),
        maxPayloadBytes: 64 * 1024 * 1024,
        sqliteSynchronous: 'normal',
        archiveEveryMinutes: 60,
      },
    });
  });

  it('takes environment variables, and flags over them', () => {
    const env = { CREWLINE_PORT: '5000', CREWLINE_HOST: '0.0.0.0', CREWLINE_DATA_DIR: '/tmp/env-dir', CREWLINE_SQLITE_SYNCHRONOUS: 'full' };
    const fromEnv = parseConfig([], env);
    expect(fromEnv.ok && fromEnv.config).toMatchObject({ port: 5000, host: '0.0.0.0', dataDir: '/tmp/env-dir', sqliteSynchronous: 'full' });
    const fromFlags = parseConfig(['--port', '0', '--host', '::1', '--data-dir', '/tmp/flag-dir', '--admin-email', 'a@b.c', '--admin-password', 'pw12345678'], env);
    expect(fromFlags.ok && fromFlags.config).toMatchObject({
      port: 0,
      host: '::1',
      dataDir: '/tmp/flag-dir',
      adminEmail: 'a@b.c',
      adminPassword: 'pw12345678',
    });
    // Empty variables count as unset.
    const empty = parseConfig([], { CREWLINE_PORT: '' });
    expect(empty.ok && empty.config.port).toBe(4455);
  });

  it('names the flag that is wrong', () => {
    expect(parseConfig(['--port', '70000'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--port: /) });
    expect(parseConfig(['--port', 'x'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--port: /) });
    expect(parseConfig([], { CREWLINE_PORT: '-1' })).toEqual({ ok: false, error: expect.stringMatching(/^--port: /) });
    expect(parseConfig(['--sqlite-synchronous', 'off'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--sqlite-synchronous: /) });
    expect(parseConfig(['--admin-password', 'x'], {})).toEqual({ ok: false, error: '--admin-email and --admin-password go together' });
    expect(parseConfig(['--nope'], {})).toEqual({ ok: false, error: expect.stringMatching(/nope/) });
    expect(parseConfig(['extra'], {})).toEqual({ ok: false, error: expect.stringMatching(/extra/) });
    expect(parseConfig(['--help'], {})).toEqual({ ok: false, help: true });
  });
});
