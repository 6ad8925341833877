// Main's side of the desktop log (issue 22): the one writer of <userData>/logs/crewline.log. The level comes
// from `--log-level=<level>` on the command line, else CREWLINE_LOG_LEVEL, else info; a bad value is
// logged and info used (a typo must not stop the app from starting). Type-checked only, like all of main.
import { parseLogLevel, type LogLevel } from '../../core/log/log-entry';
import { logsDirOf, openFileLogger, type FileLogger } from '../backend/log';

export function desktopLogLevel(argv: readonly string[], env: NodeJS.ProcessEnv): { level: LogLevel; problem: string | null } {
  const flag = argv.find((arg) => arg.startsWith('--log-level='))?.slice('--log-level='.length);
  const parsed = parseLogLevel(flag ?? env.CREWLINE_LOG_LEVEL);
  return parsed.ok ? { level: parsed.value, problem: null } : { level: 'info', problem: parsed.error.message };
}

export function openMainLogger(userData: string, version: string): FileLogger {
  const { level, problem } = desktopLogLevel(process.argv, process.env);
  const logger = openFileLogger(userData, { source: 'main', level });
  logger.info('app.started', 'Crewline started', { version, platform: process.platform, arch: process.arch, electron: process.versions.electron ?? null, pid: process.pid, level });
  if (problem) logger.warn('app.bad_log_level', problem);
  return logger;
}

export { logsDirOf };
