// Main's log under Node (main-log.ts imports no Electron): the level from the flag, then the environment,
// and a bad value falls back to info and says so in the file instead of stopping the app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../backend/log';
import { tempDir } from '../backend/store/testing/temp-dir';
import { desktopLogLevel, logsDirOf, openMainLogger } from './main-log';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("main's log", () => {
  it('takes --log-level= first, then CREWLINE_LOG_LEVEL, else info; a bad one is info with the reason', () => {
    expect(desktopLogLevel(['electron', '.', '--log-level=debug'], { CREWLINE_LOG_LEVEL: 'error' })).toEqual({ level: 'debug', problem: null });
    expect(desktopLogLevel(['electron', '.'], { CREWLINE_LOG_LEVEL: 'warn' })).toEqual({ level: 'warn', problem: null });
    expect(desktopLogLevel(['electron', '.'], {})).toEqual({ level: 'info', problem: null });
    expect(desktopLogLevel(['electron', '--log-level=chatty'], {})).toEqual({ level: 'info', problem: 'Log level must be one of debug, info, warn, error, got chatty' });
  });

  it('writes app.started to <userData>/logs/crewline.log, and the bad level warning after it', () => {
    const tmp = tempDir('crewline-main-log-');
    try {
      vi.stubEnv('CREWLINE_LOG_LEVEL', 'nonsense');
      const logger = openMainLogger(tmp.dir, '1.2.3');
      expect(logger.file.path).toBe(join(logsDirOf(tmp.dir), 'crewline.log'));
      const entries = readFileSync(logger.file.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LogEntry);
      expect(entries.map((entry) => [entry.source, entry.level, entry.event])).toEqual([
        ['main', 'info', 'app.started'],
        ['main', 'warn', 'app.bad_log_level'],
      ]);
      expect(entries[0]!.fields).toMatchObject({ version: '1.2.3', platform: process.platform, level: 'info' });
    } finally {
      tmp.cleanup();
    }
  });
});
