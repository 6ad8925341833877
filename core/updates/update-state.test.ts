import { describe, expect, it } from 'vitest';
import { INITIAL_UPDATE_STATE, nextUpdateState, progressText, updateStatusText, type UpdateEvent } from './update-state';

const run = (...events: UpdateEvent[]) => events.reduce(nextUpdateState, INITIAL_UPDATE_STATE);

describe('the updater state the console shows', () => {
  it('goes checking → downloading with progress → ready, and says so', () => {
    expect(updateStatusText(run({ type: 'checking' }))).toBe('Checking for updates…');
    const downloading = run({ type: 'checking' }, { type: 'available', version: '1.4.0' }, { type: 'progress', percent: 42.7, bytesPerSecond: 3_100_000 });
    expect(downloading).toMatchObject({ phase: 'downloading', version: '1.4.0', percent: 42.7 });
    expect(updateStatusText(downloading)).toBe('Downloading update 1.4.0: 42 % (3.1 MB/s)');
    const ready = nextUpdateState(downloading, { type: 'downloaded', version: '1.4.0' });
    expect(ready).toMatchObject({ phase: 'ready', percent: 100 });
    expect(updateStatusText(ready)).toBe('Crewline 1.4.0 is ready to install.');
  });

  it('keeps a ready update ready through later checks and errors', () => {
    const ready = run({ type: 'available', version: '2.0.0' }, { type: 'downloaded', version: '2.0.0' });
    expect(nextUpdateState(ready, { type: 'checking' })).toBe(ready);
    expect(nextUpdateState(ready, { type: 'not-available' })).toBe(ready);
    expect(nextUpdateState(ready, { type: 'error', message: 'offline' })).toBe(ready);
  });

  it('says a failed download keeps this version running, and an empty check that it is up to date', () => {
    const failed = run({ type: 'available', version: '1.4.0' }, { type: 'error', message: 'sha512 checksum mismatch' });
    expect(failed.phase).toBe('error');
    expect(updateStatusText(failed)).toBe('The update failed; this version keeps running. sha512 checksum mismatch');
    expect(updateStatusText(run({ type: 'checking' }, { type: 'not-available' }))).toBe('Crewline is up to date.');
    expect(updateStatusText(INITIAL_UPDATE_STATE)).toBeNull();
    // A new check clears the last error.
    expect(nextUpdateState(failed, { type: 'checking' })).toMatchObject({ phase: 'checking', error: null });
  });

  it('clamps progress to 0–100 and writes slow rates in kB/s', () => {
    expect(run({ type: 'available', version: '1' }, { type: 'progress', percent: 140, bytesPerSecond: -5 })).toMatchObject({ percent: 100, bytesPerSecond: 0 });
    expect(run({ type: 'available', version: '1' }, { type: 'progress', percent: Number.NaN, bytesPerSecond: 0 }).percent).toBe(0);
    expect(progressText('1.4.0', 7.9, 420_000)).toBe('Downloading update 1.4.0: 7 % (420 kB/s)');
  });
});
