/**
 * The desktop's log (issue 22): structured lines (core/log/log-entry.ts) in `<data dir>/logs/crewline.log`,
 * rotated by size through electron-log's file transport (log-file.ts: 5 MB, crewline.log plus five archives
 * crewline.1.log … crewline.5.log, oldest dropped).
 *
 * One writer per data folder: the process that owns the window or the port writes the file (Electron's
 * main, the web host's main thread); the backend's worker thread and the utility process's router hand
 * their entries up to it (`{type: 'entry'}` messages), so two writers never race over a rotation.
 * Writes are synchronous appends: a line is on disk before a crash that follows it, and a log holds a few
 * lines a minute, not thousands.
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../../core/clock';
import {
  DEFAULT_LOG_LEVEL,
  formatLogLine,
  levelEnabled,
  makeLogEntry,
  parseLogLevel,
  type LogEntry,
  type LogFields,
  type LogLevel,
  type LogSource,
} from '../../core/log/log-entry';
import { openLogFile, type LogFile, type LogFileOptions } from './log-file';

export type { LogEntry, LogFields, LogLevel, LogSource } from '../../core/log/log-entry';

export { LOG_ARCHIVES, LOG_FILE_NAME, LOG_MAX_BYTES, type LogFile } from './log-file';

/** Where a data folder's logs are (Help → Open logs folder, the web host's start-up line). */
export const logsDirOf = (dataDir: string): string => join(dataDir, 'logs');

export interface Logger {
  readonly level: LogLevel;
  log(level: LogLevel, event: string, msg: string, fields?: LogFields): void;
  debug(event: string, msg: string, fields?: LogFields): void;
  info(event: string, msg: string, fields?: LogFields): void;
  warn(event: string, msg: string, fields?: LogFields): void;
  error(event: string, msg: string, fields?: LogFields): void;
}

/** A logger that hands each entry at or above `level` to `sink` (a file, a parent thread, a test array). */
export function createLogger(sink: (entry: LogEntry) => void, options: { source: LogSource; level?: LogLevel; clock?: Clock }): Logger {
  const level = options.level ?? DEFAULT_LOG_LEVEL;
  const clock = options.clock ?? systemClock;
  const log = (at: LogLevel, event: string, msg: string, fields?: LogFields) => {
    if (!levelEnabled(at, level)) return;
    try {
      sink(makeLogEntry(clock(), at, options.source, event, msg, fields));
    } catch {
      // Logging never breaks what it reports on (a full disk, a closed port).
    }
  };
  return {
    level,
    log,
    debug: (event, msg, fields) => log('debug', event, msg, fields),
    info: (event, msg, fields) => log('info', event, msg, fields),
    warn: (event, msg, fields) => log('warn', event, msg, fields),
    error: (event, msg, fields) => log('error', event, msg, fields),
  };
}

export const silentLogger: Logger = createLogger(() => undefined, { source: 'backend', level: 'error' });

/** The level from `CREWLINE_LOG_LEVEL` (default info); a bad value throws with the allowed ones named. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const parsed = parseLogLevel(env.CREWLINE_LOG_LEVEL);
  if (!parsed.ok) throw new Error(`CREWLINE_LOG_LEVEL: ${parsed.error.message}`);
  return parsed.value;
}

export interface FileLogger extends Logger {
  readonly file: LogFile;
  /** Writes an entry another thread or process made (its level is checked against this file's). */
  write(entry: LogEntry): void;
}

/** The one writer of `<dataDir>/logs/crewline.log`. */
export function openFileLogger(
  dataDir: string,
  options: Omit<LogFileOptions, 'level'> & { source: LogSource; level?: LogLevel; clock?: Clock },
): FileLogger {
  const level = options.level ?? DEFAULT_LOG_LEVEL;
  const file = openLogFile(logsDirOf(dataDir), { ...options, level });
  const write = (entry: LogEntry) => {
    if (!levelEnabled(entry.level, level)) return;
    try {
      file.write(entry.level, formatLogLine(entry));
    } catch {
      // A log that cannot be written (disk full, folder removed) must not take the app down with it.
    }
  };
  return { ...createLogger(write, { ...options, level }), file, write };
}
