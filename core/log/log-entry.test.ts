import { describe, expect, it } from 'vitest';
import { fail, ok } from '../result';
import { formatLogLine, levelEnabled, makeLogEntry, parseLogLevel, REDACTED, requestLogEntry } from './log-entry';

const AT = Date.parse('2026-11-24T15:00:00Z');

describe('log levels', () => {
  it('defaults to info, accepts any case, names the allowed ones for a bad value', () => {
    expect(parseLogLevel(undefined)).toEqual({ ok: true, value: 'info' });
    expect(parseLogLevel(' DEBUG ')).toEqual({ ok: true, value: 'debug' });
    const bad = parseLogLevel('verbose');
    expect(!bad.ok && bad.error.message).toBe('Log level must be one of debug, info, warn, error, got verbose');
  });

  it('lets through the threshold and above only', () => {
    expect(levelEnabled('warn', 'info')).toBe(true);
    expect(levelEnabled('info', 'info')).toBe(true);
    expect(levelEnabled('debug', 'info')).toBe(false);
    expect(levelEnabled('warn', 'error')).toBe(false);
  });
});

describe('log entries', () => {
  it('is one JSON line with time, level, source, event, msg and fields', () => {
    const line = formatLogLine(makeLogEntry(AT, 'info', 'backend', 'workspace.opened', 'Opened x', { path: '/data/x.sqlite', demoSeeded: false }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2026-11-24T15:00:00.000Z',
      level: 'info',
      source: 'backend',
      event: 'workspace.opened',
      msg: 'Opened x',
      fields: { path: '/data/x.sqlite', demoSeeded: false },
    });
  });

  it('never writes a secret field, however deep, nor a token in a URL', () => {
    const entry = makeLogEntry(AT, 'warn', 'host', 'x', 'GET /?token=abc123&x=1', {
      password: 'hunter2',
      nested: { token: 't0k', inviteCode: 'INV-1', body: 'Hello Mrs. Smith', kept: 'yes' },
      csvText: 'a,b',
      error: new Error('boom'),
    });
    const line = formatLogLine(entry);
    for (const secret of ['hunter2', 't0k', 'INV-1', 'Mrs. Smith', 'a,b', 'abc123']) expect(line).not.toContain(secret);
    expect(entry.fields).toEqual({
      password: REDACTED,
      nested: { token: REDACTED, inviteCode: REDACTED, body: REDACTED, kept: 'yes' },
      csvText: REDACTED,
      error: { name: 'Error', message: 'boom' },
    });
    expect(entry.msg).toBe(`GET /?token=${REDACTED}&x=1`);
  });
});

describe('which requests are logged', () => {
  it('a failed sign-in: who and why, not the password', () => {
    const input = { serverUrl: 'http://10.0.0.5:4455', email: 'ana@northwind.example', password: 'wrong-password' };
    const entry = requestLogEntry('sync:signIn', input, fail('unauthenticated', 'Wrong email or password'), 40);
    expect(entry).toEqual({
      level: 'warn',
      event: 'sync.sign_in_failed',
      msg: 'Sync sign-in failed: Wrong email or password',
      fields: { request: 'sync:signIn', serverUrl: 'http://10.0.0.5:4455', email: 'ana@northwind.example', errorType: 'unauthenticated', error: 'Wrong email or password' },
    });
    expect(JSON.stringify(entry)).not.toContain('wrong-password');
  });

  it('an exception anywhere is an error line; a slow request a warning; an ordinary one nothing', () => {
    expect(requestLogEntry('board:getRange', {}, fail('internal', 'database is locked'), 3)).toMatchObject({ level: 'error', event: 'request.failed', fields: { request: 'board:getRange', error: 'database is locked' } });
    expect(requestLogEntry('board:getRange', {}, ok({}), 1500.4)).toEqual({ level: 'warn', event: 'request.slow', msg: 'board:getRange took 1500 ms', fields: { request: 'board:getRange', ms: 1500 } });
    expect(requestLogEntry('board:getRange', {}, ok({}), 999)).toBeNull();
    expect(requestLogEntry('commands:run', {}, fail('validation', 'Required'), 5)).toBeNull();
  });

  it('an import commit: counts only, never the file or its rows', () => {
    const result = ok({ created: 3, updated: 1, unchanged: 0, rejected: 2, rejectedCsv: 'Name,Error\nMrs. Smith,bad', rows: [{ name: 'Mrs. Smith' }] });
    const entry = requestLogEntry('import:commit', { kind: 'customers', csvText: 'Name\nMrs. Smith' }, result, 20);
    expect(entry?.fields).toEqual({ kind: 'customers', created: 3, updated: 1, unchanged: 0, rejected: 2, ms: 20 });
    expect(JSON.stringify(entry)).not.toContain('Smith');
  });

  it('backups taken and restored, with file names', () => {
    expect(requestLogEntry('backup:create', {}, ok({ name: 'manual-2026.sqlite', kind: 'manual', at: '', size: 10 }), 5)).toMatchObject({ event: 'backup.created', fields: { file: 'manual-2026.sqlite', size: 10 } });
    expect(requestLogEntry('backup:restore', {}, ok({ restoredFrom: 'daily.sqlite', discardedDrafts: 0 }), 5)).toMatchObject({ event: 'backup.restored', fields: { from: 'daily.sqlite' } });
    expect(requestLogEntry('backup:restore', {}, fail('validation', 'Not a Crewline backup'), 5)).toMatchObject({ level: 'warn', event: 'request.refused' });
  });
});
