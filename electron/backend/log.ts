/**
 * The desktop's log (issue 22): structured lines (core/log/log-entry.ts) in `<data dir>/logs/crewline.log`,
 * rotated by size (5 MB, 5 files: crewline.log, crewline.1.log … crewline.4.log, oldest dropped).
 *
 * One writer per data folder: the process that owns the window or the port writes the file (Electron's
 * main, the web host's main thread); the backend's worker thread and the utility process's router hand
 * their entries up to it (`{type: 'entry'}` messages), so two writers never race over a rotation.
 * Writes are synchronous appends: a line is on disk before a crash that follows it, and a log holds a few
 * lines a minute, not thousands.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
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

export type { LogEntry, LogFields, LogLevel, LogSource } from '../../core/log/log-entry';

export const LOG_FILE_NAME = 'crewline.log';
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_FILES = 5;

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

export interface RotatingFileOptions {
  maxBytes?: number;
  /** Files kept, the current one included. */
  files?: number;
}

/**
 * `<dir>/crewline.log`, appended line by line; a line that would take it past `maxBytes` first moves it to
 * crewline.1.log (and .1 to .2 …), dropping the oldest, so at most `files` files of about `maxBytes` each.
 */
export class RotatingLogFile {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly files: number;
  private size: number;

  constructor(
    readonly dir: string,
    options: RotatingFileOptions = {},
  ) {
    this.path = join(dir, LOG_FILE_NAME);
    this.maxBytes = options.maxBytes ?? LOG_MAX_BYTES;
    this.files = Math.max(1, options.files ?? LOG_FILES);
    mkdirSync(dir, { recursive: true });
    this.size = sizeOf(this.path);
  }

  /** crewline.log, crewline.1.log, … (index 0 is the current file). */
  fileAt(index: number): string {
    return index === 0 ? this.path : join(this.dir, LOG_FILE_NAME.replace(/\.log$/, `.${index}.log`));
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    appendFileSync(this.path, line, { mode: 0o600 });
    this.size += bytes;
  }

  private rotate(): void {
    rmSync(this.fileAt(this.files - 1), { force: true });
    for (let index = this.files - 2; index >= 0; index--) {
      try {
        renameSync(this.fileAt(index), this.fileAt(index + 1));
      } catch {
        // That one does not exist (yet): nothing to move.
      }
    }
    this.size = 0;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export interface FileLogger extends Logger {
  readonly file: RotatingLogFile;
  /** Writes an entry another thread or process made (its level is checked against this file's). */
  write(entry: LogEntry): void;
}

/** The one writer of `<dataDir>/logs/crewline.log`. */
export function openFileLogger(dataDir: string, options: RotatingFileOptions & { source: LogSource; level?: LogLevel; clock?: Clock }): FileLogger {
  const file = new RotatingLogFile(logsDirOf(dataDir), options);
  const level = options.level ?? DEFAULT_LOG_LEVEL;
  const write = (entry: LogEntry) => {
    if (!levelEnabled(entry.level, level)) return;
    try {
      file.write(formatLogLine(entry));
    } catch {
      // A log that cannot be written (disk full, folder removed) must not take the app down with it.
    }
  };
  return { ...createLogger(write, { ...options, level }), file, write };
}
