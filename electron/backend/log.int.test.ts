// The desktop's log file on disk (issue 22): JSON lines, levels, and rotation by size keeping N files.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock';
import { createLogger, logLevelFromEnv, logsDirOf, openFileLogger, type LogEntry } from './log';
import { tempDir } from './store/testing/temp-dir';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
const dataDir = () => {
  const tmp = tempDir('crewline-log-');
  cleanups.push(tmp.cleanup);
  return tmp.dir;
};
const AT = Date.parse('2026-11-24T15:00:00Z');
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);

describe('the log file', () => {
  it('writes one JSON object per line to <data dir>/logs/crewline.log, at the level asked', () => {
    const dir = dataDir();
    const logger = openFileLogger(dir, { source: 'host', level: 'info', clock: fixedClock(AT) });
    expect(logger.file.path).toBe(join(dir, 'logs', 'crewline.log'));
    expect(logsDirOf(dir)).toBe(join(dir, 'logs'));
    logger.debug('request.done', 'not at info');
    logger.info('workspace.opened', 'Opened', { path: '/x.sqlite' });
    logger.error('request.failed', 'boom', { request: 'board:getRange', password: 'hunter2' });
    // An entry made elsewhere (the worker) goes through the same level check.
    const fromWorker = createLogger((entry) => logger.write(entry), { source: 'backend', level: 'debug', clock: fixedClock(AT) });
    fromWorker.debug('x', 'dropped by the file');
    fromWorker.warn('sync.error', 'Sync error', { errorType: 'server' });

    const written = lines(logger.file.path);
    expect(written).toEqual([
      { time: '2026-11-24T15:00:00.000Z', level: 'info', source: 'host', event: 'workspace.opened', msg: 'Opened', fields: { path: '/x.sqlite' } },
      { time: '2026-11-24T15:00:00.000Z', level: 'error', source: 'host', event: 'request.failed', msg: 'boom', fields: { request: 'board:getRange', password: '[redacted]' } },
      { time: '2026-11-24T15:00:00.000Z', level: 'warn', source: 'backend', event: 'sync.error', msg: 'Sync error', fields: { errorType: 'server' } },
    ]);
    expect(readFileSync(logger.file.path, 'utf8')).not.toContain('hunter2');
    if (process.platform !== 'win32') expect(statSync(logger.file.path).mode & 0o777).toBe(0o600);
  });

  it('rotates at the size limit and keeps N files, the newest lines in crewline.log', () => {
    const dir = dataDir();
    const logger = openFileLogger(dir, { source: 'host', maxBytes: 1000, files: 3, clock: fixedClock(AT) });
    const lineBytes = Buffer.byteLength(tickLine(0));
    // Enough for about six files' worth: only three may stay.
    const total = Math.ceil((6 * 1000) / lineBytes);
    for (let n = 1; n <= total; n++) logger.info('tick', `line ${String(n).padStart(4, '0')}`);

    const files = readdirSync(logsDirOf(dir)).sort();
    expect(files).toEqual(['crewline.1.log', 'crewline.2.log', 'crewline.log']);
    const perFile = Math.floor(1000 / lineBytes);
    for (const name of files) {
      expect(statSync(join(logsDirOf(dir), name)).size).toBeLessThanOrEqual(1000);
    }
    // Full files rotate whole: .2 then .1 then the current one hold consecutive lines, the last one last.
    const numbers = (name: string) => lines(join(logsDirOf(dir), name)).map((entry) => Number(entry.msg.slice(5)));
    const current = numbers('crewline.log');
    const one = numbers('crewline.1.log');
    const two = numbers('crewline.2.log');
    expect(current.at(-1)).toBe(total);
    expect(one).toHaveLength(perFile);
    expect(two).toHaveLength(perFile);
    expect([...two, ...one, ...current]).toEqual(Array.from({ length: two.length + one.length + current.length }, (_, i) => two[0]! + i));
    expect(two[0]).toBeGreaterThan(1); // the oldest lines were dropped
  });

  it('goes on from the size an existing file already has (a restart does not reset the limit)', () => {
    const dir = dataDir();
    const first = openFileLogger(dir, { source: 'host', maxBytes: 500, files: 2 });
    writeFileSync(first.file.path, 'x'.repeat(490) + '\n');
    const second = openFileLogger(dir, { source: 'host', maxBytes: 500, files: 2 });
    second.info('after.restart', 'first line after a restart');
    expect(existsSync(second.file.fileAt(1))).toBe(true);
    expect(lines(second.file.path).map((entry) => entry.event)).toEqual(['after.restart']);
  });

  it('takes its level from CREWLINE_LOG_LEVEL, info by default, and refuses a misspelt one', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ CREWLINE_LOG_LEVEL: 'warn' })).toBe('warn');
    expect(() => logLevelFromEnv({ CREWLINE_LOG_LEVEL: 'loud' })).toThrow('CREWLINE_LOG_LEVEL: Log level must be one of debug, info, warn, error, got loud');
  });
});

/** One `tick` line as written (all lines of the rotation test weigh the same). */
function tickLine(n: number): string {
  return `${JSON.stringify({ time: new Date(AT).toISOString(), level: 'info', source: 'host', event: 'tick', msg: `line ${String(n).padStart(4, '0')}`, fields: {} })}\n`;
}
