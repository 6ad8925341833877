import { describe, expect, it } from 'vitest';
import { folderOf, hostOf, isSignedIn, redeemCodeProblems, roleLabel } from './sync-dialog-text.ts';

const form = { serverUrl: 'http://192.168.1.20:4455', code: '7KQ2M-XW9DA', email: '', name: '', password: 'longenough', passwordAgain: 'longenough' };

describe('sync dialog text', () => {
  it('names the host of a server address, and shows an address it cannot parse as typed', () => {
    expect(hostOf('http://192.168.1.20:4455/path')).toBe('192.168.1.20:4455');
    expect(hostOf('not a url')).toBe('not a url');
  });

  it('finds the folder of POSIX and Windows paths', () => {
    expect(folderOf('/home/ana/Crewline/workspace.sqlite')).toBe('/home/ana/Crewline');
    expect(folderOf('C:\\Users\\ana\\workspace.sqlite')).toBe('C:\\Users\\ana');
    expect(folderOf('workspace.sqlite')).toBe('workspace.sqlite');
  });

  it('labels known roles and passes unknown ones through', () => {
    expect(roleLabel('dispatcher')).toBe('Dispatcher');
    expect(roleLabel('auditor')).toBe('auditor');
  });

  it('counts as signed in only with a user, a link and a working state', () => {
    const base = { user: { name: 'Ana', email: 'a@x', role: 'admin' }, linked: true, state: 'synced' } as unknown as Parameters<typeof isSignedIn>[0];
    expect(isSignedIn(base)).toBe(true);
    expect(isSignedIn({ ...base!, linked: false })).toBe(false);
    expect(isSignedIn({ ...base!, state: 'error' } as typeof base)).toBe(false);
    expect(isSignedIn(null)).toBe(false);
  });
});

describe('redeemCodeProblems', () => {
  it('accepts a complete invite form', () => {
    expect(redeemCodeProblems(form, false)).toEqual({});
  });

  it('requires email and name only for a setup code', () => {
    expect(redeemCodeProblems(form, true)).toEqual({ email: 'Required', name: 'Required' });
  });

  it('puts a short password on the password and a mismatch on the repeat', () => {
    expect(redeemCodeProblems({ ...form, password: 'short', passwordAgain: 'short' }, false)).toEqual({ password: 'At least 8 characters' });
    expect(redeemCodeProblems({ ...form, passwordAgain: 'different1' }, false)).toEqual({
      passwordAgain: 'The two passwords are not the same: type the new password again',
    });
    expect(redeemCodeProblems({ ...form, code: '  ', passwordAgain: '' }, false)).toEqual({ code: 'Required', passwordAgain: 'Required' });
  });
});
