// The desktop's log file on disk (issue 22): JSON lines, levels, and rotation by size keeping N files.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock';
import { createLogger, LOG_ARCHIVES, LOG_MAX_BYTES, logLevelFromEnv, logsDirOf, openFileLogger, type LogEntry } from './log';
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

  it('rotates through electron-log past the size limit, keeping five archives, the newest lines in crewline.log', () => {
    const dir = dataDir();
    const logger = openFileLogger(dir, { source: 'host', maxBytes: 1000, clock: fixedClock(AT) });
    const lineBytes = Buffer.byteLength(tickLine(0));
    // Enough for about nine files' worth: only the live one and five archives may stay.
    const total = Math.ceil((9 * 1000) / lineBytes);
    for (let n = 1; n <= total; n++) logger.info('tick', `line ${String(n).padStart(4, '0')}`, { token: 'sekrit-token-1234' });

    const files = readdirSync(logsDirOf(dir)).sort();
    expect(files).toEqual(['crewline.1.log', 'crewline.2.log', 'crewline.3.log', 'crewline.4.log', 'crewline.5.log', 'crewline.log']);
    expect(LOG_ARCHIVES).toBe(5);
    expect(LOG_MAX_BYTES).toBe(5 * 1024 * 1024);
    // electron-log archives a file once it has passed the limit, so an archive holds at most one line more.
    const archives = [5, 4, 3, 2, 1].map((index) => logger.file.fileAt(index));
    for (const archive of archives) {
      expect(statSync(archive).size).toBeGreaterThan(1000);
      expect(statSync(archive).size).toBeLessThanOrEqual(1000 + lineBytes);
    }
    // Whole files rotate: .5 … .1 then the live one hold consecutive lines, the last one last.
    const numbers = (file: string) => lines(file).map((entry) => Number(entry.msg.slice(5)));
    const all = [...archives, logger.file.path].flatMap(numbers);
    expect(all.at(-1)).toBe(total);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all[0]! + i));
    expect(all[0]).toBeGreaterThan(1); // the oldest lines were dropped
    for (const file of [...archives, logger.file.path]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain('sekrit-token-1234');
      expect(text).toContain('"token":"[redacted]"');
    }
  });

  it('goes on from the size an existing file already has (a restart does not reset the limit)', () => {
    const dir = dataDir();
    mkdirSync(logsDirOf(dir), { recursive: true });
    writeFileSync(join(logsDirOf(dir), 'crewline.log'), 'x'.repeat(510) + '\n');
    const logger = openFileLogger(dir, { source: 'host', maxBytes: 500 });
    logger.info('after.restart', 'first line after a restart');
    expect(readFileSync(logger.file.fileAt(1), 'utf8')).toBe('x'.repeat(510) + '\n');
    expect(lines(logger.file.path).map((entry) => entry.event)).toEqual(['after.restart']);
  });

  it('keeps one writer per folder: a second open of the same folder shares the size count', () => {
    const dir = dataDir();
    const first = openFileLogger(dir, { source: 'host', maxBytes: 400 });
    const second = openFileLogger(dir, { source: 'backend', maxBytes: 400 });
    for (let n = 0; n < 6; n++) (n % 2 ? first : second).info('tick', `line ${n}`);
    // Each line is about 120 bytes: six of them pass 400 once, so exactly one archive, whoever wrote.
    expect(readdirSync(logsDirOf(dir)).sort()).toEqual(['crewline.1.log', 'crewline.log']);
    const events = [...lines(first.file.fileAt(1)), ...lines(first.file.path)].map((entry) => entry.msg);
    expect(events).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });

  it('takes its level from CREWLINE_LOG_LEVEL, info by default, and refuses a misspelt one', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ CREWLINE_LOG_LEVEL: 'warn' })).toBe('warn');
    expect(() => logLevelFromEnv({ CREWLINE_LOG_LEVEL: 'loud' })).toThrow('CREWLINE_LOG_LEVEL: Log level must be one of debug, info, warn, error, got loud');
  });
});

/** One `tick` line as written (all lines of the rotation test weigh the same). */
function tickLine(n: number): string {
  return `${JSON.stringify({ time: new Date(AT).toISOString(), level: 'info', source: 'host', event: 'tick', msg: `line ${String(n).padStart(4, '0')}`, fields: { token: '[redacted]' } })}\n`;
}
