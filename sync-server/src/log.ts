import pino from 'pino';

/**
 * The server's structured log (issue 22): one JSON line per event, for a support person to read and a log
 * shipper to index. Never passwords, tokens or message bodies: paths are logged without their query and
 * with feed tokens masked, and the fields named below are redacted should one slip into an object.
 */
export type Log = pino.Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const isLogLevel = (value: string): value is LogLevel => (LOG_LEVELS as readonly string[]).includes(value);

const REDACT = [
  'password',
  'token',
  'setupCode',
  'inviteCode',
  'authorization',
  'text',
  'html',
  'body',
  '*.password',
  '*.token',
  '*.authorization',
  'headers.cookie',
];

/** A log at `level`, to `destination` (stdout by default). */
export function createLog(level: LogLevel = 'info', destination?: pino.DestinationStream): Log {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'crewline-sync' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** For code that runs without a server log (library use, most tests). */
export const silentLog: Log = pino({ level: 'silent' });

/**
 * A request path safe to log: no query string (`?token=` on upgrades) and the calendar feed's secret
 * token masked.
 */
export function safePath(url: string | undefined): string {
  const raw = url ?? '';
  const query = raw.indexOf('?');
  const path = query === -1 ? raw : raw.slice(0, query);
  return path.replace(/^\/api\/calendar\/[^/]+\.ics$/, '/api/calendar/:token.ics').slice(0, 200);
}

/** An error as log fields: its message and kind, without a stack for expected failures. */
export const errorFields = (error: unknown) =>
  error instanceof Error ? { err: { type: error.name, message: error.message, stack: error.stack } } : { err: { message: String(error) } };
