/**
 * The desktop log's file, written and rotated by electron-log's file transport (issue 22) rather than by
 * hand: `<logs dir>/crewline.log` grows to `maxBytes`, then `archiveLogFn` shifts it to crewline.1.log
 * (.1 to .2 …) and drops what would become crewline.<archives + 1>.log.
 *
 * electron-log's node entry is used in both Electron's main and the web host: it needs nothing from
 * Electron, so the same code runs (and is tested) under plain Node. Lines arrive already formatted and
 * redacted (core/log/log-entry.ts); the transport only writes them, so its own formatting is bypassed.
 * electron-log keeps one File per path per process (its registry); this module keeps one logger per path on
 * top of that, so opening the same folder twice still gives one writer and one size count.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import electronLog from 'electron-log/node';
import type { LogLevel } from '../../core/log/log-entry';

export const LOG_FILE_NAME = 'crewline.log';
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
/** Archives kept next to the live file (crewline.1.log … crewline.5.log). */
export const LOG_ARCHIVES = 5;

export interface LogFileOptions {
  maxBytes?: number;
  archives?: number;
  /** Lines below this level are not written (the flag / CREWLINE_LOG_LEVEL value). */
  level?: LogLevel;
}

export interface LogFile {
  readonly dir: string;
  readonly path: string;
  /** crewline.log for 0, crewline.<n>.log for the n-th newest archive. */
  fileAt(index: number): string;
  /** Appends one line (no trailing newline needed) if `level` passes the file's level. */
  write(level: LogLevel, line: string): void;
}

const loggers = new Map<string, ReturnType<typeof electronLog.create>>();

export function archivePath(dir: string, index: number): string {
  return index === 0 ? join(dir, LOG_FILE_NAME) : join(dir, LOG_FILE_NAME.replace(/\.log$/, `.${index}.log`));
}

/** Shifts crewline.log to .1, .1 to .2 …, the oldest beyond `archives` removed first. */
export function shiftArchives(dir: string, archives: number): void {
  rmSync(archivePath(dir, archives), { force: true });
  for (let index = archives - 1; index >= 0; index--) {
    try {
      renameSync(archivePath(dir, index), archivePath(dir, index + 1));
    } catch {
      // That one does not exist (yet): nothing to move.
    }
  }
}

export function openLogFile(dir: string, options: LogFileOptions = {}): LogFile {
  const path = resolve(dir, LOG_FILE_NAME);
  const archives = Math.max(1, options.archives ?? LOG_ARCHIVES);
  let logger = loggers.get(path);
  if (!logger) {
    logger = electronLog.create({ logId: path });
    loggers.set(path, logger);
  }
  mkdirSync(dir, { recursive: true });

  // Only the file: the console is the host's own (its start-up lines), and ipc / remote are not ours.
  for (const [name, transport] of Object.entries(logger.transports)) {
    if (name !== 'file' && transport) transport.level = false;
  }
  const file = logger.transports.file;
  file.level = options.level ?? 'info';
  file.maxSize = options.maxBytes ?? LOG_MAX_BYTES;
  file.resolvePathFn = () => path;
  file.sync = true; // a line is on disk before a crash that follows it
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  file.transforms = [
    ({ data, message }) => {
      // electron-log 5.4 resets a file's size after archiving and only re-reads it from disk at the next
      // check, by which time the first new line is both on disk and counted: every archive after the first
      // would come one line early. Reading the size here, between the reset and the write, keeps it exact.
      void file.getFile(message).size;
      return String(data[0]);
    },
  ];
  file.archiveLogFn = () => shiftArchives(dir, archives);
  // The node entry otherwise looks for a package.json to name the default folder, which we never use.
  file.setAppName('Crewline');

  return {
    dir,
    path,
    fileAt: (index) => archivePath(dir, index),
    write: (level, line) => logger[level](line.replace(/\n$/, '')),
  };
}
